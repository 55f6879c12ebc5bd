/** Physical table names per scope, from logical names the application declares once. */
import type { ScopeDescription } from './scope.js';

/** Maps a logical table name to the physical one a scope uses. */
export type TableNaming = (logicalName: string, scope: ScopeDescription) => string;

/**
 * The default: a capsule's tables are prefixed by its capsule code (`DEVUS_platform_data`), so each
 * SDLC environment has its own; platform, tenant and operator scopes use the logical name as is.
 */
export const defaultTableNaming: TableNaming = (logicalName, scope) => (scope.kind === 'capsule' ? `${scope.capsuleId}_${logicalName}` : logicalName);

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** Thrown for a table name the factory cannot hand out. */
export class TableNameError extends Error {
  override readonly name = 'TableNameError';
}

export function physicalTableName(naming: TableNaming, logicalName: string, scope: ScopeDescription, known: ReadonlySet<string> | undefined): string {
  if (known !== undefined && !known.has(logicalName)) {
    throw new TableNameError(`table '${logicalName}' is not one of the factory's tables (${[...known].map((name) => `'${name}'`).join(', ')}); add it to createClientFactory({ tables })`);
  }
  const physical = naming(logicalName, scope);
  if (!TABLE_NAME.test(physical)) {
    throw new TableNameError(`table naming turned '${logicalName}' into ${JSON.stringify(physical)}, which DynamoDB refuses; expected 3–255 characters of letters, digits, '_', '-' and '.'`);
  }
  return physical;
}
