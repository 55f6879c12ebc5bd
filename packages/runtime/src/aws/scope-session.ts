/**
 * What a tenant or capsule scope's assumed-role session may reach (`scopedCredentials`): the
 * resources its session policy names. They are the factory's declared tables, buckets, queues,
 * topics and event buses under the scope's own physical names — made by the naming functions the
 * scope itself uses, so the credentials reach what the scope's guard accepts and no other scope's —
 * and its SSM parameters and secrets under its parameter prefix.
 *
 * The role is assumed when the scope is made, before it names anything: a resource kind the
 * factory does not declare is not in the policy (but for the scope's `default` event bus, which
 * its guard accepts from the start), so its credentials are denied it.
 *
 * Resources named by name (tables, buses, parameters, secrets) live in the account whose role the
 * scope assumes; queues and topics are named by URL and ARN, in the account the factory names.
 */
import { physicalBucketName, type BucketNaming } from './buckets.js';
import { DEFAULT_EVENT_BUS, EVENT_BUS_NAMES, type EventBusNaming } from './event-buses.js';
import { checkParameterPrefix, type ParameterPrefixNaming } from './parameter-prefix.js';
import { queueArnOf, queueUrl, type QueueLocation, type QueueNaming } from './queues.js';
import { scopeLabel, type GuardedScope } from './scope.js';
import { physicalName } from './scope-names.js';
import { SessionPolicyError, sessionPolicyFor, type IamPolicyDocument, type SessionPolicyResources } from './session-policy.js';
import { physicalTableName, type TableNaming } from './tables.js';
import { partitionOf, topicArn, type TopicNaming } from './topics.js';

/** The factory's declarations and namings (its settings). */
export interface DeclaredResources {
  readonly region: string;
  readonly tables: ReadonlySet<string> | undefined;
  readonly tableNaming: TableNaming;
  readonly buckets: ReadonlySet<string> | undefined;
  readonly bucketNaming: BucketNaming;
  readonly accountId: string | undefined;
  readonly topics: ReadonlySet<string> | undefined;
  readonly topicNaming: TopicNaming;
  readonly queues: ReadonlySet<string> | undefined;
  readonly queueNaming: QueueNaming;
  readonly queueLocation: QueueLocation;
  readonly eventBuses: ReadonlySet<string> | undefined;
  readonly eventBusNaming: EventBusNaming;
  readonly parameterPrefix: ParameterPrefixNaming;
}

/** The session's own settings: the role's account, and what else it reaches. */
export interface ScopeSession {
  /** The account of the role the scope assumes. */
  readonly accountId: string;
  /** Also the tables' indexes (`<table ARN>/index/*`). */
  readonly indexes: boolean;
  /** The scope's SSM parameters; default true. */
  readonly parameters?: boolean | undefined;
  /** The scope's Secrets Manager secrets; default true. */
  readonly secrets?: boolean | undefined;
}

/**
 * The session policy of `scope`: `sessionPolicyFor` its resources. A `SessionPolicyError` (a
 * policy over STS's size limit) also says which factory options decide what the policy names.
 */
export function scopeSessionPolicy(scope: GuardedScope, declared: DeclaredResources, session: ScopeSession): IamPolicyDocument {
  const resources = scopeSessionResources(scope, declared, session);
  try {
    return sessionPolicyFor(scope, resources);
  } catch (error) {
    if (!(error instanceof SessionPolicyError)) throw error;
    throw new SessionPolicyError(
      error.found,
      `${error.expected}. createClientFactory({ scopedCredentials }) names in it every table, bucket, queue, topic and event bus the factory declares, as ${scopeLabel(scope)} names them, and the scope's SSM parameters and secrets: ` +
        'declare fewer of them per factory (one factory per part of the application), or set scopedCredentials: { parameters: false } or { secrets: false } when the scopes read none',
    );
  }
}

/** The resources of `scope`'s session policy (`sessionPolicyFor`). */
export function scopeSessionResources(scope: GuardedScope, declared: DeclaredResources, session: ScopeSession): SessionPolicyResources {
  const { region } = declared;
  const partition = partitionOf(region);
  const inRoleAccount = (service: string, resource: string): string => `arn:${partition}:${service}:${region}:${session.accountId}:${resource}`;
  const each = <T>(names: ReadonlySet<string> | undefined, physical: (name: string) => T): T[] => [...(names ?? [])].map(physical);
  const busName = (name: string): string => physicalName(EVENT_BUS_NAMES, declared.eventBusNaming, name, scope, undefined);
  // Without declared buses, the scope's guard accepts its `default` bus from the start (see the factory).
  const buses = declared.eventBuses === undefined ? [busName(DEFAULT_EVENT_BUS)] : each(declared.eventBuses, busName);
  const topicLocation = { region, accountId: declared.accountId };
  const account = { accountId: session.accountId, region };
  return {
    partition,
    tables: each(declared.tables, (name) => inRoleAccount('dynamodb', `table/${physicalTableName(declared.tableNaming, name, scope, undefined)}`)),
    indexes: session.indexes && declared.tables !== undefined && declared.tables.size > 0,
    buckets: each(declared.buckets, (name) => physicalBucketName(declared.bucketNaming, name, scope, undefined)),
    queues: each(declared.queues, (name) => queueArnOf(queueUrl(declared.queueNaming, name, scope, undefined, declared.queueLocation), region)),
    topics: each(declared.topics, (name) => topicArn(declared.topicNaming, name, scope, undefined, topicLocation)),
    eventBuses: buses.map((bus) => (bus.startsWith('arn:') ? bus : inRoleAccount('events', `event-bus/${bus}`))),
    parameters: session.parameters === false ? undefined : account,
    secrets: session.secrets === false ? undefined : account,
    parameterPrefix: checkParameterPrefix(declared.parameterPrefix(scope), scope),
  };
}
