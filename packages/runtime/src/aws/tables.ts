/**
 * Physical table names per scope, from logical names the application declares once.
 *
 * The mapping must be injective: two (scope, logical name) pairs that are meant to be different
 * tables must never get one name. Joining a capsule code and a logical name with `_` was not:
 * `DEV` + `x_data` and `DEV_x` + `data` both gave `DEV_x_data`. The default joins them with `.`,
 * which DynamoDB allows in table names and which neither ids (`[A-Za-z0-9_-]`) nor logical names
 * may contain: the first `.` of a capsule table separates the capsule code from the logical name,
 * and shared tables (platform, tenant, operator scopes) have none.
 */
import type { ScopeDescription } from './scope.js';

/** Maps a logical table name to the physical one a scope uses. Custom namings must stay injective (see above). */
export type TableNaming = (logicalName: string, scope: ScopeDescription) => string;

/** Between a capsule code and a logical table name; no id or logical name can contain it. */
export const TABLE_NAME_DELIMITER = '.';

/**
 * The default: a capsule's tables are prefixed by its capsule code and `.` (`DEVUS.platform_data`),
 * so each SDLC environment has its own; platform, tenant and operator scopes use the logical name as is.
 */
export const defaultTableNaming: TableNaming = (logicalName, scope) => (scope.kind === 'capsule' ? `${scope.capsuleId}${TABLE_NAME_DELIMITER}${logicalName}` : logicalName);

const LOGICAL_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** Thrown for a table name the factory cannot hand out. */
export class TableNameError extends Error {
  override readonly name = 'TableNameError';
}

/** Checks a logical table name: 1–255 characters of `[A-Za-z0-9_-]` (`.` is the capsule delimiter). */
export function checkLogicalTableName(logicalName: unknown): string {
  if (typeof logicalName === 'string' && LOGICAL_NAME.test(logicalName)) return logicalName;
  const shown = typeof logicalName === 'string' ? JSON.stringify(logicalName) : `a ${logicalName === null ? 'null' : typeof logicalName}`;
  const dot = typeof logicalName === 'string' && logicalName.includes(TABLE_NAME_DELIMITER) ? ` ('${TABLE_NAME_DELIMITER}' separates a capsule code from the logical name in physical names, so logical names cannot contain it)` : '';
  throw new TableNameError(`logical table name ${shown} is invalid${dot}; expected 1–255 characters of letters, digits, '_' and '-'`);
}

export function physicalTableName(naming: TableNaming, logicalName: string, scope: ScopeDescription, known: ReadonlySet<string> | undefined): string {
  if (known !== undefined && !known.has(logicalName)) {
    throw new TableNameError(`table '${logicalName}' is not one of the factory's tables (${[...known].map((name) => `'${name}'`).join(', ')}); add it to createClientFactory({ tables })`);
  }
  checkLogicalTableName(logicalName);
  const physical = naming(logicalName, scope);
  if (typeof physical !== 'string' || !TABLE_NAME.test(physical)) {
    throw new TableNameError(`table naming turned '${logicalName}' into ${JSON.stringify(physical)}, which DynamoDB refuses; expected 3–255 characters of letters, digits, '_', '-' and '.'`);
  }
  return physical;
}
