/** The run-time refusal: what a guarded client found, what it expected, and the scope it guards. */
import { scopeLabel, type ScopeDescription } from './scope.js';

/** Why a guarded client refused a command. */
export type GuardRule =
  /** A partition key value (in a key, an item, a key condition, a batch or a transaction) outside the scope's prefix. */
  | 'partition-key-scope'
  /** An index partition-key attribute written with a value outside the scope's prefix. */
  | 'index-partition-scope'
  /** A table that is not one of the scope's tables. */
  | 'table-scope'
  /** An index the table does not have (or, with declared key schemas, the key attributes do not name). */
  | 'unknown-index'
  /** Scan, PartiQL, DescribeTable and every other operation no key prefix can bound. */
  | 'unbounded-operation'
  /** A request the guard cannot read (a missing or non-string key value, an unparsable expression, a body it cannot parse). */
  | 'unverifiable-request'
  /** An S3 bucket that is not one of the scope's buckets (in `Bucket`, a `CopySource`, or the address a request is sent to). */
  | 'bucket-scope'
  /** An S3 object key, key prefix or list marker outside the scope's object prefix (`tenants/acme/capsules/DEVUS/`). */
  | 'object-key-scope'
  /** An SQS queue (`QueueUrl`, `QueueName`, a `ListQueues` prefix) that is not one of the scope's, or a request sent elsewhere than its queues' endpoint. */
  | 'queue-scope'
  /**
   * An EventBridge entry `scope.publish` would refuse: a `DetailType` no `@DomainEvent` of the process
   * declares, or a detail that names another tenant or capsule or lacks the ids its type's scope needs.
   */
  | 'event-scope'
  /** An EventBridge entry's `EventBusName` (absent: the default bus) that is not one of the scope's buses. */
  | 'event-bus-scope'
  /** An SNS topic (`TopicArn`, `TargetArn`, a subscription's topic) that is not one of the scope's, or a phone number as the destination. */
  | 'topic-scope'
  /** An SSM parameter name, path or name filter outside the scope's parameter prefix (`/tenants/acme/capsules/DEVUS/`). */
  | 'parameter-scope'
  /** A Secrets Manager secret id, name or name filter outside the scope's parameter prefix. */
  | 'secret-scope'
  /**
   * A repository opened in a scope of another kind than its entity's (a capsule entity's in a tenant
   * scope, a platform entity's in any scope but platform), or a transaction across two scopes.
   */
  | 'repository-scope'
  /** A request a user-defined service guard refused (`createClientFactory({ guards })`, `getIsolationGuardPlugin`). */
  | 'service-scope'
  /** A client of a service the scope cannot guard (DynamoDB Streams, DAX, S3, …) that the factory did not opt out with a reason. */
  | 'unguarded-client';

export class IsolationViolationError extends Error {
  override readonly name = 'IsolationViolationError';
  constructor(
    readonly rule: GuardRule,
    readonly scope: ScopeDescription,
    /** The command, as the SDK names it: `PutItemCommand`, `QueryCommand`; `client(S3Client)` for a refused client. */
    readonly command: string,
    /** What was found, e.g. `Key.pk = "TENANT#other#…"`. */
    readonly found: string,
    /** What the scope requires, and how to fix it. */
    readonly expected: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`[isolation/${rule}] ${command} refused in ${scopeLabel(scope)}: found ${found}; expected ${expected}`, options);
  }
}
