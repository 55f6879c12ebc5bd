/**
 * The resources a scope's session policy names, as plain data, and their checks. Every name ends
 * up in an IAM `Resource` pattern, where `*` and `?` are wildcards: a wildcard smuggled into a
 * bucket name or an ARN would widen the wall to other tenants' resources, so each kind is checked
 * against its service's own naming rules, which admit neither.
 */
import { checkLogicalBucketName } from './buckets.js';
import { describeValue as describe } from './guard-format.js';
import { SessionPolicyError } from './session-policy-error.js';

/** Where a service's resources of the scope live: the account and region of their ARNs. */
export interface SessionAccount {
  /** 12 digits. */
  readonly accountId: string;
  /** `eu-west-1`. */
  readonly region: string;
}

/**
 * What one scope's session may touch. Every member is optional; at least one must name something.
 * ARNs are exact (no wildcards): the policy adds the scope's prefixes itself.
 */
export interface SessionPolicyResources {
  /** DynamoDB table ARNs (`arn:aws:dynamodb:eu-west-1:123456789012:table/DEVUS.platform_data`): items under the scope's key prefix. */
  readonly tables?: readonly string[] | undefined;
  /** Also the tables' indexes (`<table ARN>/index/*`), for queries on an index. */
  readonly indexes?: boolean | undefined;
  /** S3 bucket names (`scope.bucket('uploads')`): objects under the scope's object prefix, and lists confined to it. */
  readonly buckets?: readonly string[] | undefined;
  /** SQS queue ARNs (`arn:aws:sqs:eu-west-1:123456789012:DEVUS-jobs`, the ARN of the queue URL `scope.queue('jobs')` names). */
  readonly queues?: readonly string[] | undefined;
  /** SNS topic ARNs (`scope.topic('alerts')`): publishing to them. */
  readonly topics?: readonly string[] | undefined;
  /** EventBridge event bus ARNs (`arn:aws:events:eu-west-1:123456789012:event-bus/default`): PutEvents on them. */
  readonly eventBuses?: readonly string[] | undefined;
  /** SSM parameters under the scope's parameter prefix (`/tenants/acme/capsules/DEVUS/`), in this account and region. */
  readonly parameters?: SessionAccount | undefined;
  /** Secrets Manager secrets under the scope's parameter prefix, in this account and region. */
  readonly secrets?: SessionAccount | undefined;
  /** The scope's parameter prefix when the factory's `parameterPrefix` gives it another (`scope.parameterPrefix`); default `parameterPrefixOf(scope)`. */
  readonly parameterPrefix?: string | undefined;
  /** The partition of the bucket, parameter and secret ARNs built from names: `aws` (default), `aws-cn`, `aws-us-gov`. */
  readonly partition?: string | undefined;
}

/** The resources, checked: exact ARNs and names, each listed once. */
export interface CheckedResources {
  readonly partition: string;
  readonly tables: readonly string[];
  readonly indexes: boolean;
  readonly buckets: readonly string[];
  readonly queues: readonly string[];
  readonly topics: readonly string[];
  readonly eventBuses: readonly string[];
  readonly parameters: SessionAccount | undefined;
  readonly secrets: SessionAccount | undefined;
  /** As given: checked against the scope by the policy (`checkParameterPrefix`). */
  readonly parameterPrefix: unknown;
}

const PARTITION = /^aws(?:-[a-z]+)*$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const ARN_HEAD = String.raw`^arn:aws(?:-[a-z]+)*:`;
const REGION_ACCOUNT = String.raw`:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:`;

/** ARN shapes per kind: the service's own name rules, which exclude `*` and `?`. */
const ARN_KINDS = {
  tables: {
    pattern: new RegExp(`${ARN_HEAD}dynamodb${REGION_ACCOUNT}table/[A-Za-z0-9_.-]{3,255}$`),
    example: "a DynamoDB table ARN such as 'arn:aws:dynamodb:eu-west-1:123456789012:table/platform_data', without wildcards (pass `indexes: true` for the table's indexes)",
  },
  queues: {
    pattern: new RegExp(`${ARN_HEAD}sqs${REGION_ACCOUNT}[A-Za-z0-9_-]{1,80}(?:\\.fifo)?$`),
    example: "an SQS queue ARN such as 'arn:aws:sqs:eu-west-1:123456789012:DEVUS-jobs' (the queue URL's account and name), without wildcards",
  },
  topics: {
    pattern: new RegExp(`${ARN_HEAD}sns${REGION_ACCOUNT}[A-Za-z0-9_-]{1,256}(?:\\.fifo)?$`),
    example: "an SNS topic ARN such as 'arn:aws:sns:eu-west-1:123456789012:DEVUS-alerts', without wildcards",
  },
  eventBuses: {
    pattern: new RegExp(`${ARN_HEAD}events${REGION_ACCOUNT}event-bus/[A-Za-z0-9/._-]{1,256}$`),
    example: "an EventBridge event bus ARN such as 'arn:aws:events:eu-west-1:123456789012:event-bus/default', without wildcards",
  },
} as const;

const MEMBERS = new Set(['tables', 'indexes', 'buckets', 'queues', 'topics', 'eventBuses', 'parameters', 'secrets', 'parameterPrefix', 'partition']);

export function checkResources(resources: SessionPolicyResources): CheckedResources {
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new SessionPolicyError(`resources ${describe(resources)}`, 'an object such as { tables: [...], buckets: [...], queues: [...] } (see SessionPolicyResources)');
  }
  for (const member of Object.keys(resources)) {
    if (!MEMBERS.has(member)) {
      throw new SessionPolicyError(`resources.${member}`, `only ${[...MEMBERS].join(', ')}${member === 'arns' ? ' (table ARNs go in `tables`)' : ''}`);
    }
  }
  const partition = resources.partition ?? 'aws';
  if (typeof partition !== 'string' || !PARTITION.test(partition)) throw new SessionPolicyError(`partition ${describe(partition)}`, "an AWS partition: 'aws', 'aws-cn' or 'aws-us-gov'");
  const indexes = resources.indexes ?? false;
  if (typeof indexes !== 'boolean') throw new SessionPolicyError(`indexes ${describe(indexes)}`, 'true or false');
  const checked: CheckedResources = {
    partition,
    tables: arnList('tables', resources.tables),
    indexes,
    buckets: bucketList(resources.buckets),
    queues: arnList('queues', resources.queues),
    topics: arnList('topics', resources.topics),
    eventBuses: arnList('eventBuses', resources.eventBuses),
    parameters: account('parameters', resources.parameters),
    secrets: account('secrets', resources.secrets),
    parameterPrefix: resources.parameterPrefix,
  };
  const named = checked.tables.length + checked.buckets.length + checked.queues.length + checked.topics.length + checked.eventBuses.length;
  if (named === 0 && checked.parameters === undefined && checked.secrets === undefined) {
    throw new SessionPolicyError('no resources', 'one or more of tables, buckets, queues, topics, eventBuses, parameters, secrets (a session that may touch nothing needs no policy)');
  }
  if (indexes && checked.tables.length === 0) throw new SessionPolicyError('indexes: true without tables', 'the table ARNs whose indexes the scope queries, in `tables`');
  return checked;
}

function list(member: string, value: unknown): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SessionPolicyError(`${member} ${describe(value)}`, `an array (or leave ${member} out)`);
  return value;
}

function arnList(member: keyof typeof ARN_KINDS, value: unknown): string[] {
  const kind = ARN_KINDS[member];
  const arns = list(member, value);
  for (const arn of arns) {
    if (typeof arn !== 'string' || !kind.pattern.test(arn)) throw new SessionPolicyError(`${ARN_NOUN[member]} ${describe(arn)}`, kind.example);
  }
  return [...new Set(arns as readonly string[])];
}

const ARN_NOUN: Readonly<Record<keyof typeof ARN_KINDS, string>> = { tables: 'table ARN', queues: 'queue ARN', topics: 'topic ARN', eventBuses: 'event bus ARN' };

function bucketList(value: unknown): string[] {
  const names = list('buckets', value);
  for (const name of names) {
    try {
      checkLogicalBucketName(name);
    } catch {
      throw new SessionPolicyError(
        `bucket ${describe(name)}`,
        "an S3 bucket name (not an ARN) such as 'uploads': 3–63 lowercase letters, digits, '.' and '-', no wildcards",
      );
    }
  }
  return [...new Set(names as readonly string[])];
}

function account(member: 'parameters' | 'secrets', value: unknown): SessionAccount | undefined {
  if (value === undefined) return undefined;
  const { accountId, region } = (typeof value === 'object' && value !== null ? value : {}) as { accountId?: unknown; region?: unknown };
  if (typeof accountId !== 'string' || !ACCOUNT.test(accountId) || typeof region !== 'string' || !REGION.test(region)) {
    throw new SessionPolicyError(`${member} ${describe(value)}`, `{ accountId: '123456789012', region: 'eu-west-1' }: the account (12 digits) and region of the scope's ${member === 'parameters' ? 'SSM parameters' : 'secrets'}`);
  }
  return { accountId, region };
}
