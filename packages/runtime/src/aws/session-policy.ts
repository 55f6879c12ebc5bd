/**
 * The opt-in second wall: an IAM session policy, passed to STS AssumeRole, that lets the assumed
 * credentials touch only one scope's data: DynamoDB items whose partition key starts with the
 * scope's key prefix, S3 objects under its object prefix, its own queues, topics and event buses,
 * and SSM parameters and secrets under its parameter prefix. Even a client that bypassed the
 * run-time guard cannot then read or write another scope's data.
 *
 * How IAM evaluates it (see the field notes, "IAM as a second wall"):
 * - `dynamodb:LeadingKeys` is the partition-key value(s) of the request (of the index, for a query
 *   on an index); it is multi-valued, so it needs `ForAllValues:`, and prefixes need `StringLike`.
 * - `ForAllValues` is also true when the request carries no partition key at all; the `Null`
 *   condition (`"false"`: the key must be present) closes that gap.
 * - Scan carries no partition key and is left out (so is PartiQL). Transactions are authorised by
 *   the per-item actions (`ConditionCheckItem` for condition checks).
 * - `DescribeTable` is left out too: it carries no partition key (the `Null` condition would deny
 *   it anyway) and it reports table-wide item counts and sizes across all scopes.
 * - S3 lists are authorised on the bucket: `s3:prefix` must lie under the object prefix, and a
 *   `StringLike` on a key the request lacks is false, so a list without a prefix is denied.
 * - Every `*` in a resource pattern is its last character, after the scope's prefix with its
 *   trailing delimiter: `DEV` never matches `DEVX`.
 * - Calls the guard allows but IAM cannot confine to the scope are left out, so AWS denies them
 *   to the session: `UNCONFINABLE_OPERATIONS` lists them with the reason.
 */
import { isCapsuleId, isTenantId } from '../ids.js';
import { describeValue } from './guard-format.js';
import { checkParameterPrefix } from './parameter-prefix.js';
import { keyPrefixOf, objectPrefixOf, parameterPrefixOf, scopeLabel, type GuardedScope } from './scope.js';
import { SessionPolicyError } from './session-policy-error.js';
import { checkResources, type CheckedResources, type SessionAccount, type SessionPolicyResources } from './session-policy-resources.js';

/** An IAM policy document as plain JSON data. */
export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamPolicyStatement[];
}

export interface IamPolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  /** Operator → condition key → value(s). */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * The DynamoDB actions a scoped session may perform: the item-level ones `dynamodb:LeadingKeys`
 * constrains (the policy names them as `dynamodb:*Item` and `dynamodb:Query`). TransactWriteItems
 * and TransactGetItems are authorised through them.
 */
export const SCOPED_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** STS limit on the plaintext of an inline session policy (AssumeRole `Policy`). */
export const SESSION_POLICY_MAX_CHARACTERS = 2048;

/**
 * The actions the policy allows, per kind of resource: the IAM actions of every operation a
 * guarded client runs (`guard-*.ts`) that IAM can confine to the scope's own resources — a test
 * (`session-policy-coverage.test.ts`) derives the operations from the guard's rules and checks
 * each against the policy. The operations IAM cannot confine are left out, listed with the reason
 * in `UNCONFINABLE_OPERATIONS`; AWS denies them to a scoped session.
 *
 * Wildcards keep a realistic scope within STS's size limit. Each stands for a family of actions on
 * the same kind of resource, and the few extra actions one admits reach only the scope's own
 * resources (the statement names nothing else), or are authorised on `*` or on another kind of
 * resource and so never match the scope's ARNs — noted at each list.
 */
export const SESSION_POLICY_ACTIONS = {
  /** `*Item`: GetItem, PutItem, UpdateItem, DeleteItem, BatchGetItem, BatchWriteItem, ConditionCheckItem — each confined by `dynamodb:LeadingKeys`, which Scan, PartiQL and table calls lack. */
  items: ['dynamodb:*Item', 'dynamodb:Query'],
  /**
   * On `arn:aws:s3:::<bucket>/<object prefix>*`: reads, writes and deletes of objects, their ACLs,
   * tags, attributes, retention and legal holds, each with its `…Version…` form (a `VersionId`),
   * restores, and multipart uploads (Create/UploadPart/Complete are `s3:PutObject`, ListParts
   * `s3:ListMultipartUploadParts`). Copies need GetObject on the source and PutObject on the target,
   * both under the prefix. `BypassGovernanceRetention`: a delete or retention change that carries
   * the bypass header. Extra, on the scope's own objects only: torrents, replication reads and
   * object annotations; `s3:ListBucketMultipartUploads` (in `*MultipartUpload*`) is authorised on
   * the bucket, which this statement does not name.
   */
  objects: ['s3:GetObject*', 's3:PutObject*', 's3:DeleteObject*', 's3:RestoreObject', 's3:*MultipartUpload*', 's3:BypassGovernanceRetention'],
  /**
   * On the bucket, with `s3:prefix` confined to the object prefix. ListBucketMultipartUploads is
   * not among them: IAM offers no `s3:prefix` for it, so it would list every tenant's uploads.
   */
  objectLists: ['s3:ListBucket', 's3:ListBucketVersions'],
  /**
   * `*Message`: SendMessage, ReceiveMessage, DeleteMessage (and their batches); `GetQueue*`:
   * GetQueueAttributes, GetQueueUrl. Not SetQueueAttributes or CreateQueue: IAM cannot confine which
   * attributes they set (see `UNCONFINABLE_OPERATIONS`).
   */
  queues: ['sqs:*Message', 'sqs:ChangeMessageVisibility', 'sqs:GetQueue*', 'sqs:PurgeQueue', 'sqs:ListQueueTags'],
  /**
   * Publish (and PublishBatch), and reading and ending the subscriptions to the scope's topics
   * (authorised on the subscription's topic). `Get*Attributes` also matches the endpoint, platform
   * application and SMS attribute reads, which are authorised on `*` or on those resources, never
   * on a topic ARN. Not Subscribe (see `UNCONFINABLE_OPERATIONS`), and not `*Subscri*`: it would
   * admit SetSubscriptionAttributes, whose redrive policy names a queue.
   */
  topics: ['sns:Publish', 'sns:Unsubscribe', 'sns:Get*Attributes', 'sns:ListSubscriptionsByTopic'],
  events: ['events:PutEvents'],
  /**
   * On `parameter/<parameter prefix without its leading slash>*`: `*Parameter*` is every parameter
   * call the guard runs — Get (`GetParameter`, `GetParameters`, `GetParametersByPath`,
   * `GetParameterHistory`), Put, Delete(s), Label and Unlabel — and two more: DescribeParameters,
   * authorised on `*` only (so never here), and DescribeDocumentParameters, on documents.
   * GetParametersByPath is authorised on the path asked for, so `Path` must be the prefix itself
   * (with its trailing `/`) or below it. `*Tags*Resource`: the tag calls, on the scope's parameters.
   */
  parameters: ['ssm:*Parameter*', 'ssm:*Tags*Resource'],
  /**
   * `*Secret*`: Get/PutSecretValue, Create/Describe/Update/Delete/RestoreSecret, ListSecretVersionIds,
   * UpdateSecretVersionStage, ReplicateSecretToRegions; BatchGetSecretValue and ListSecrets, which
   * are authorised on `*` only (so never here); and Rotate/CancelRotateSecret, which the guard
   * refuses: they run or stop the rotation of the scope's own secret, and rotating with a new
   * function needs `lambda:InvokeFunction`, which this policy does not grant. `*Replica*`: the
   * other replication calls; `*TagResource`: TagResource, UntagResource. Not the resource policy
   * calls: they grant other principals the secret.
   */
  secrets: ['secretsmanager:*Secret*', 'secretsmanager:*Replica*', 'secretsmanager:*TagResource'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export { SessionPolicyError } from './session-policy-error.js';
export type { SessionAccount, SessionPolicyResources } from './session-policy-resources.js';

/**
 * The IAM session policy that confines assumed-role credentials to one scope. Pass the resources
 * as plain data (`SessionPolicyResources`); the older form, a list of table ARNs with
 * `{ indexes }`, still works. Throws `SessionPolicyError` for input that would widen the wall,
 * and for a policy longer than STS takes (`SESSION_POLICY_MAX_CHARACTERS`), naming what to cut.
 */
export function sessionPolicyFor(scope: GuardedScope, resources: SessionPolicyResources): IamPolicyDocument;
export function sessionPolicyFor(scope: GuardedScope, tables: readonly string[], options?: { readonly indexes?: boolean }): IamPolicyDocument;
export function sessionPolicyFor(scope: GuardedScope, resources: SessionPolicyResources | readonly string[], options: { readonly indexes?: boolean } = {}): IamPolicyDocument {
  const checkedScope = checkScope(scope);
  if (Array.isArray(resources) && resources.length === 0) throw new SessionPolicyError('no table ARNs', 'one or more DynamoDB table ARNs');
  const checked = checkResources(Array.isArray(resources) ? { tables: resources as readonly string[], indexes: options.indexes ?? false } : (resources as SessionPolicyResources));
  const parts = partsFor(checkedScope, checked);
  const policy: IamPolicyDocument = { Version: '2012-10-17', Statement: statementsOf(parts) };
  const size = JSON.stringify(policy).length;
  if (size > SESSION_POLICY_MAX_CHARACTERS) throw tooLarge(checkedScope, size, parts);
  return policy;
}

/** What one kind of resource adds to the policy, and how to make it smaller. */
interface Part {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition?: IamPolicyStatement['Condition'];
  readonly covers: string;
  readonly shrink: string;
}

/**
 * One statement per conditional part (items, object lists), and one for all the others: an action
 * only ever applies to its own service's resources, so listing them together grants nothing across
 * services, and saves the size of five statements.
 */
function statementsOf(parts: readonly Part[]): IamPolicyStatement[] {
  // No Sids: they cost characters and nothing reports them for a session policy.
  const statement = (group: readonly Part[], condition?: IamPolicyStatement['Condition']): IamPolicyStatement => ({
    Effect: 'Allow',
    Action: group.flatMap((part) => part.actions),
    Resource: group.flatMap((part) => part.resources),
    ...(condition === undefined ? {} : { Condition: condition }),
  });
  const conditional = parts.filter((part) => part.condition !== undefined).map((part) => statement([part], part.condition));
  const plain = parts.filter((part) => part.condition === undefined);
  return plain.length === 0 ? conditional : [...conditional, statement(plain)];
}

function partsFor(scope: GuardedScope, r: CheckedResources): Part[] {
  const objectPrefix = objectPrefixOf(scope);
  // `scope.parameterPrefix`: `/tenants/acme/capsules/DEVUS/`. Parameter ARNs drop its leading slash, secret ARNs keep it.
  const parameterPrefix = scopeParameterPrefix(scope, r.parameterPrefix);
  const bucketArns = r.buckets.map((bucket) => `arn:${r.partition}:s3:::${bucket}`);
  const at = (account: SessionAccount | undefined, service: string, resource: string): string[] =>
    account === undefined ? [] : [`arn:${r.partition}:${service}:${account.region}:${account.accountId}:${resource}`];
  const fewer = (what: string): string => `pass fewer ${what} per session`;
  const parts: Part[] = [
    {
      actions: SESSION_POLICY_ACTIONS.items,
      resources: r.indexes ? r.tables.flatMap((arn) => [arn, `${arn}/index/*`]) : r.tables,
      condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keyPrefixOf(scope)}*`] },
        // ForAllValues is also true for a request without a partition key: require one.
        Null: { 'dynamodb:LeadingKeys': 'false' },
      },
      covers: `${r.tables.length} table(s)${r.indexes ? ' with indexes' : ''}`,
      shrink: `${fewer('tables')}, or leave out indexes the scope does not query`,
    },
    {
      actions: SESSION_POLICY_ACTIONS.objectLists,
      resources: bucketArns,
      // StringLike on a key the request lacks is false: a list without a prefix is denied.
      condition: { StringLike: { 's3:prefix': [`${objectPrefix}*`] } },
      covers: `lists in ${r.buckets.length} bucket(s)`,
      shrink: fewer('buckets'),
    },
    { actions: SESSION_POLICY_ACTIONS.objects, resources: bucketArns.map((arn) => `${arn}/${objectPrefix}*`), covers: `${r.buckets.length} bucket(s)`, shrink: fewer('buckets') },
    { actions: SESSION_POLICY_ACTIONS.queues, resources: r.queues, covers: `${r.queues.length} queue(s)`, shrink: fewer('queues') },
    { actions: SESSION_POLICY_ACTIONS.topics, resources: r.topics, covers: `${r.topics.length} topic(s)`, shrink: fewer('topics') },
    { actions: SESSION_POLICY_ACTIONS.events, resources: r.eventBuses, covers: `${r.eventBuses.length} event bus(es)`, shrink: fewer('event buses') },
    { actions: SESSION_POLICY_ACTIONS.parameters, resources: at(r.parameters, 'ssm', `parameter${parameterPrefix}*`), covers: 'SSM parameters', shrink: 'leave out parameters if the scope reads none' },
    { actions: SESSION_POLICY_ACTIONS.secrets, resources: at(r.secrets, 'secretsmanager', `secret:${parameterPrefix}*`), covers: 'secrets', shrink: 'leave out secrets if the scope reads none' },
  ];
  return parts.filter((part) => part.resources.length > 0);
}

function tooLarge(scope: GuardedScope, size: number, parts: readonly Part[]): SessionPolicyError {
  // Each part's share: its actions, resources and condition as they appear in the policy.
  const share = (part: Part): number => JSON.stringify([part.actions, part.resources, part.condition ?? null]).length;
  const sized = parts.map((part) => ({ part, size: share(part) })).sort((a, b) => b.size - a.size);
  const breakdown = sized.map(({ part, size: partSize }) => `${partSize} for ${part.covers}`).join(', ');
  const [largest] = sized;
  return new SessionPolicyError(
    `${size} characters for ${scopeLabel(scope)} (about ${breakdown})`,
    `at most ${SESSION_POLICY_MAX_CHARACTERS} (the STS limit for an inline session policy), ${size - SESSION_POLICY_MAX_CHARACTERS} fewer: ` +
      `${largest === undefined ? '' : `the largest part is ${largest.part.covers}: ${largest.part.shrink}; `}` +
      "or attach these statements to the scope's role as a managed policy and assume it without an inline one",
  );
}

/** The default, or a prefix the guards could enforce for this scope (which admits no wildcard). */
function scopeParameterPrefix(scope: GuardedScope, prefix: unknown): string {
  if (prefix === undefined) return parameterPrefixOf(scope);
  try {
    return checkParameterPrefix(prefix, scope);
  } catch (error) {
    throw new SessionPolicyError(`parameterPrefix ${describeValue(prefix)}`, `the scope's parameter prefix (scope.parameterPrefix): ${(error as Error).message}`);
  }
}

/**
 * The prefix becomes a `StringLike` pattern: a `*` or `?` smuggled into an id (an unbranded
 * string cast to TenantId) would widen the wall, so the ids are checked again here.
 */
function checkScope(scope: GuardedScope): GuardedScope {
  const kind: unknown = (scope as { kind?: unknown } | null)?.kind;
  if (kind !== 'tenant' && kind !== 'capsule') {
    throw new SessionPolicyError(`a scope of kind ${JSON.stringify(kind)}`, "a tenant or capsule scope (platform and operator scopes have no key prefix)");
  }
  if (!isTenantId(scope.tenantId)) {
    throw new SessionPolicyError(`tenantId ${JSON.stringify(scope.tenantId)}`, "1–64 characters of [A-Za-z0-9_-] (build ids with tenantId())");
  }
  if (scope.kind === 'capsule' && !isCapsuleId(scope.capsuleId)) {
    throw new SessionPolicyError(`capsuleId ${JSON.stringify(scope.capsuleId)}`, "1–32 characters of [A-Za-z0-9_-] (build ids with capsuleId())");
  }
  return scope;
}
