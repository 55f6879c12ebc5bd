/**
 * What a guard enforces, checked once when the guard is made: the scope whose prefix every
 * partition key must carry, the scope's tables, where table key schemas come from, and the metrics
 * hook. A policy that is not usable throws a `TypeError` there, never on a command.
 */
import { isCapsuleId, isTenantId } from '../ids.js';
import { DEFAULT_EVENT_BUS } from './event-buses.js';
import { checkParameterPrefix } from './parameter-prefix.js';
import { keyPrefixOf, objectPrefixOf, parameterPrefixOf, type GuardedScope, type KeyAttributes } from './scope.js';
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
  /** URLs of the SQS queues the scope may use (default none), compared exactly; read on every request. */
  readonly queues?: ReadonlySet<string> | undefined;
  /**
   * How every queue name of the scope begins (`queueNamePrefixOf`, with the default queue naming):
   * a `ListQueues` whose `QueueNamePrefix` starts with it is allowed. Without it, `ListQueues` is refused.
   */
  readonly queueNamePrefix?: string | undefined;
  /** ARNs of the SNS topics the scope may use (default none); read on every request. */
  readonly topics?: ReadonlySet<string> | undefined;
  /**
   * `EventBusName`s (names or ARNs) the scope's PutEvents entries may name; an entry without one
   * goes to the account's default bus, accepted when the set has `default`. Default: `default` only.
   */
  readonly eventBuses?: ReadonlySet<string> | undefined;
  /** The prefix of the scope's SSM parameter and Secrets Manager secret names; default `parameterPrefixOf(scope)`. */
  readonly parameterPrefix?: string | undefined;
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
  readonly queues: ReadonlySet<string>;
  readonly queueNamePrefix: string | undefined;
  /** `/tenants/acme/capsules/DEVUS/`: every SSM parameter and Secrets Manager secret name the scope touches lies under it. */
  readonly parameterPrefix: string;
  readonly topics: ReadonlySet<string>;
  readonly eventBuses: ReadonlySet<string>;
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
  const { scope, tables, keys, keySchemas, onViolation, buckets, endpointHost, topics, eventBuses } = policy;
  if (typeof scope !== 'object' || scope === null || (scope.kind !== 'tenant' && scope.kind !== 'capsule')) refuse('scope must be a tenant or capsule scope');
  if (!isTenantId(scope.tenantId)) refuse(`scope.tenantId ${JSON.stringify(scope.tenantId)} is not a valid tenant id`);
  if (scope.kind === 'capsule' && !isCapsuleId(scope.capsuleId)) refuse(`scope.capsuleId ${JSON.stringify(scope.capsuleId)} is not a valid capsule id`);
  if (typeof tables !== 'object' || tables === null || typeof (tables as Partial<ReadonlySet<string>>).has !== 'function') refuse('tables must be a Set of table names');
  if (buckets !== undefined && (typeof buckets !== 'object' || buckets === null || typeof (buckets as Partial<ReadonlySet<string>>).has !== 'function')) refuse('buckets must be a Set of bucket names');
  if (!isSetOrAbsent(topics)) refuse('topics must be a Set of topic ARNs');
  if (!isSetOrAbsent(eventBuses)) refuse('eventBuses must be a Set of event bus names');
  if (endpointHost !== undefined && (typeof endpointHost !== 'string' || endpointHost.length === 0)) refuse('endpointHost must be a non-empty hostname');
  const { queues, queueNamePrefix } = policy;
  if (!isSetOrAbsent(queues)) refuse('queues must be a Set of queue URLs');
  if (queueNamePrefix !== undefined && (typeof queueNamePrefix !== 'string' || queueNamePrefix.length === 0)) refuse('queueNamePrefix must be a non-empty string');
  if (typeof keys !== 'object' || keys === null) refuse('keys must be KeyAttributes');
  if (typeof keys.partitionKey !== 'string' || keys.partitionKey.length === 0) refuse('keys.partitionKey must be a non-empty attribute name');
  if (typeof keys.indexes !== 'object' || keys.indexes === null) refuse('keys.indexes must be an object (index name → partition-key attribute)');
  for (const [index, attribute] of Object.entries(keys.indexes)) {
    if (typeof attribute !== 'string' || attribute.length === 0) refuse(`keys.indexes[${JSON.stringify(index)}] must be a non-empty attribute name`);
  }
  if (keySchemas !== undefined && (typeof keySchemas?.peek !== 'function' || typeof keySchemas.load !== 'function')) refuse('keySchemas must have peek(table) and load(table)');
  if (onViolation !== undefined && typeof onViolation !== 'function') refuse('onViolation must be a function');
  let parameterPrefix = parameterPrefixOf(scope);
  try {
    if (policy.parameterPrefix !== undefined) parameterPrefix = checkParameterPrefix(policy.parameterPrefix, scope);
  } catch (error) {
    refuse((error as Error).message);
  }
  const compiled: CompiledPolicy = {
    scope,
    prefix: keyPrefixOf(scope),
    tables,
    objectPrefix: objectPrefixOf(scope),
    buckets: buckets ?? new Set<string>(),
    endpointHost: endpointHost?.toLowerCase(),
    queues: queues ?? new Set<string>(),
    queueNamePrefix,
    parameterPrefix,
    topics: topics ?? new Set<string>(),
    eventBuses: eventBuses ?? new Set([DEFAULT_EVENT_BUS]),
    schemas: keySchemas ?? declaredKeySchemas(keys),
    onViolation,
  };
  compiledPolicies.set(policy, compiled);
  return compiled;
}

function isSetOrAbsent(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && typeof (value as Partial<ReadonlySet<string>>).has === 'function');
}

/** Calls the metrics hook; neither its exception nor its rejection may hide the violation. */
export function reportViolation(compiled: Pick<CompiledPolicy, 'onViolation'>, violation: IsolationViolationError): void {
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
