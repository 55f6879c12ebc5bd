/**
 * What a guard enforces, checked once when the guard is made: the scope whose prefix every
 * partition key must carry, the scope's tables, where table key schemas come from, and the metrics
 * hook. A policy that is not usable throws a `TypeError` there, never on a command.
 */
import { isCapsuleId, isTenantId } from '../ids.js';
import { keyPrefixOf, objectPrefixOf, type GuardedScope, type KeyAttributes } from './scope.js';
import { declaredKeySchemas, type KeySchemaSource } from './table-keys.js';
import type { IsolationViolationError } from './violation.js';

export interface GuardPolicy {
  /** The tenant or capsule scope whose prefix every partition key must carry. */
  readonly scope: GuardedScope;
  /** Physical table names the scope may use; read on every command, so the set may grow. */
  readonly tables: ReadonlySet<string>;
  /** Physical S3 bucket names the scope may use (default none); read on every request. */
  readonly buckets?: ReadonlySet<string> | undefined;
  /**
   * The hostname of the S3 endpoint when it is not AWS's (`http://127.0.0.1:4569` → `127.0.0.1`):
   * a path-style request (`/<bucket>/<key>`) is accepted only on it or on an AWS S3 host.
   */
  readonly endpointHost?: string | undefined;
  /** Partition/sort key attribute names, and per index name its partition-key attribute. */
  readonly keys: KeyAttributes;
  /**
   * Where each table's partition keys come from. Default: `keys`, taken as complete for every
   * table. The factory passes schemas learned with DescribeTable, so an index nobody declared is
   * still enforced (`createClientFactory({ keySchemas })`).
   */
  readonly keySchemas?: KeySchemaSource | undefined;
  /** Metrics hook, called with each violation before it is thrown; what it throws or rejects is ignored. */
  readonly onViolation?: ((error: IsolationViolationError) => void) | undefined;
}

export interface CompiledPolicy {
  readonly scope: GuardedScope;
  readonly prefix: string;
  readonly tables: ReadonlySet<string>;
  /** `tenants/acme/capsules/DEVUS/`: every S3 object key the scope touches starts with it. */
  readonly objectPrefix: string;
  readonly buckets: ReadonlySet<string>;
  readonly endpointHost: string | undefined;
  readonly schemas: KeySchemaSource;
  readonly onViolation: ((error: IsolationViolationError) => void) | undefined;
}

const compiledPolicies = new WeakMap<GuardPolicy, CompiledPolicy>();

export function compilePolicy(policy: GuardPolicy): CompiledPolicy {
  const known = compiledPolicies.get(policy);
  if (known !== undefined) return known;
  const refuse = (what: string): never => {
    throw new TypeError(`isolation guard: unusable policy: ${what}`);
  };
  if (typeof policy !== 'object' || policy === null) refuse('expected a policy object');
  const { scope, tables, keys, keySchemas, onViolation, buckets, endpointHost } = policy;
  if (typeof scope !== 'object' || scope === null || (scope.kind !== 'tenant' && scope.kind !== 'capsule')) refuse('scope must be a tenant or capsule scope');
  if (!isTenantId(scope.tenantId)) refuse(`scope.tenantId ${JSON.stringify(scope.tenantId)} is not a valid tenant id`);
  if (scope.kind === 'capsule' && !isCapsuleId(scope.capsuleId)) refuse(`scope.capsuleId ${JSON.stringify(scope.capsuleId)} is not a valid capsule id`);
  if (typeof tables !== 'object' || tables === null || typeof (tables as Partial<ReadonlySet<string>>).has !== 'function') refuse('tables must be a Set of table names');
  if (buckets !== undefined && (typeof buckets !== 'object' || buckets === null || typeof (buckets as Partial<ReadonlySet<string>>).has !== 'function')) refuse('buckets must be a Set of bucket names');
  if (endpointHost !== undefined && (typeof endpointHost !== 'string' || endpointHost.length === 0)) refuse('endpointHost must be a non-empty hostname');
  if (typeof keys !== 'object' || keys === null) refuse('keys must be KeyAttributes');
  if (typeof keys.partitionKey !== 'string' || keys.partitionKey.length === 0) refuse('keys.partitionKey must be a non-empty attribute name');
  if (typeof keys.indexes !== 'object' || keys.indexes === null) refuse('keys.indexes must be an object (index name → partition-key attribute)');
  for (const [index, attribute] of Object.entries(keys.indexes)) {
    if (typeof attribute !== 'string' || attribute.length === 0) refuse(`keys.indexes[${JSON.stringify(index)}] must be a non-empty attribute name`);
  }
  if (keySchemas !== undefined && (typeof keySchemas?.peek !== 'function' || typeof keySchemas.load !== 'function')) refuse('keySchemas must have peek(table) and load(table)');
  if (onViolation !== undefined && typeof onViolation !== 'function') refuse('onViolation must be a function');
  const compiled: CompiledPolicy = {
    scope,
    prefix: keyPrefixOf(scope),
    tables,
    objectPrefix: objectPrefixOf(scope),
    buckets: buckets ?? new Set<string>(),
    endpointHost: endpointHost?.toLowerCase(),
    schemas: keySchemas ?? declaredKeySchemas(keys),
    onViolation,
  };
  compiledPolicies.set(policy, compiled);
  return compiled;
}

/** Calls the metrics hook; neither its exception nor its rejection may hide the violation. */
export function reportViolation(compiled: CompiledPolicy, violation: IsolationViolationError): void {
  if (compiled.onViolation === undefined) return;
  try {
    const result: unknown = compiled.onViolation(violation);
    if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // The hook is for metrics; the violation is what the caller must see.
  }
}
