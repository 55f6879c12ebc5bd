/**
 * The scoped client factory: the one place AWS clients are made. Every client a scope hands out is
 * bound to it: tenant and capsule scopes guard the clients of services they can guard (DynamoDB,
 * EventBridge, S3, SNS, SQS, recognised by service id, and those the factory has `guards` for) and
 * refuse every other client unless the factory opts its service out with a reason; operator clients carry the operator role's shared credentials; and
 * optionally tenant and capsule clients carry assumed-role credentials confined to their own
 * resources by an IAM session policy.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { LRUCache } from 'lru-cache';
import { capsuleId as validCapsuleId, tenantId as validTenantId, type CapsuleId, type TenantId } from '../ids.js';
import { publishEvent, type PublishOptions, type PublishResult } from '../events/publish.js';
import { OperatorCredentials, type OperatorCredentialOptions } from './credentials.js';
import { addIsolationGuard, hasIsolationGuard, type ClientGuard, type GuardableClient, type GuardPolicy } from './guard.js';
import { reportViolation, compilePolicy } from './guard-policy.js';
import { serviceIdOf, type GuardedService } from './guard-services.js';
import { servicesWith, type ServiceGuard } from './service-guard.js';
import { quote } from './guard-format.js';
import { describeKeySchema, DescribedKeySchemas } from './key-schemas.js';
import { ClientLifetime, type DestroyableClient } from './lifetime.js';
import { checkLogicalBucketName, defaultBucketNaming, physicalBucketName, type BucketNaming } from './buckets.js';
import { DEFAULT_EVENT_BUS, defaultEventBusNaming, EVENT_BUS_NAMES, type EventBusNaming } from './event-buses.js';
import { checkLogicalName, physicalName, ScopeNames } from './scope-names.js';
import { defaultTopicNaming, TOPIC_NAMES, topicArn, type TopicNaming } from './topics.js';
import { defaultQueueNaming, QUEUE_NAMES, queueNamePrefixOf, queueUrl, type QueueNaming } from './queues.js';
import { checkParameterPrefix, defaultParameterPrefix, type ParameterPrefixNaming } from './parameter-prefix.js';
import { DEFAULT_KEY_ATTRIBUTES, keyPrefixOf, objectPrefixOf, scopeLabel, type GuardedScope, type KeyAttributes, type ScopeDescription } from './scope.js';
import { SessionBudget, type SessionBudgetOptions } from './session-budget.js';
import { scopeSessionPolicy, type DeclaredResources } from './scope-session.js';
import { declaredKeySchemas, type KeySchemaSource } from './table-keys.js';
import { checkLogicalTableName, defaultTableNaming, physicalTableName, type TableNaming } from './tables.js';
import { IsolationViolationError } from './violation.js';
import { openRepository } from '../repo/open.js';
import type { Repository } from '../repo/repository.js';
import type { EntityClass, OpensIn, ScopeKind } from '../repo/types.js';

type ScopeCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;

/** Any AWS SDK v3 client: constructed from a config object, destroyed to release its sockets. */
export interface SdkClient {
  destroy(): void;
}
export type SdkClientClass<C extends SdkClient> = new (config: Record<string, unknown>) => C;

/** A service whose clients tenant and capsule scopes hand out without a guard, and why that is safe. */
export interface UnguardedService {
  /** The service id as the SDK names it (`client.config.serviceId`): `Kinesis`, `DynamoDB Streams`. */
  readonly client: string;
  /** Why a tenant or capsule scope may use it unguarded (like `@PlatformScoped({ reason })`): a non-empty text that code review reads. */
  readonly reason: string;
}

export interface ClientFactoryOptions {
  readonly region: string;
  /** An explicit endpoint for every client (local DynamoDB, tests); else the SDK's `AWS_ENDPOINT_URL*` variables apply. */
  readonly endpoint?: string | undefined;
  /** Credentials of the process; default: the SDK's default chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  /**
   * The logical tables the application uses (`[A-Za-z0-9_-]`, no `.`). With it, `table()` refuses
   * other names and guarded clients accept exactly these tables' physical names; without it,
   * `table()` names any table and guarded clients accept the physical names their scope has handed out.
   */
  readonly tables?: readonly string[] | undefined;
  /** Logical → physical table names; default `defaultTableNaming` (capsule tables: `<capsule>.<logical>`). Must be injective. */
  readonly tableNaming?: TableNaming | undefined;
  /**
   * The logical S3 buckets the application uses (S3 bucket names). With it, `bucket()` refuses
   * other names and guarded S3 clients accept exactly these buckets' physical names; without it,
   * `bucket()` names any bucket and guarded S3 clients accept the buckets their scope has named.
   */
  readonly buckets?: readonly string[] | undefined;
  /**
   * Logical → physical bucket names; default `defaultBucketNaming`: the logical name as is, one
   * bucket shared by every scope, which keeps to its own object prefix (`scope.objectPrefix`).
   */
  readonly bucketNaming?: BucketNaming | undefined;
  /** The AWS account (12 digits) of the application's topics and queues: `scope.topic()` builds ARNs and `scope.queue()` URLs in it and the factory's region. */
  readonly accountId?: string | undefined;
  /**
   * The logical SNS topics the application uses (topic names starting with a letter). With it,
   * `topic()` refuses other names and guarded SNS clients accept exactly these topics' ARNs; without
   * it, they accept the topics their scope has named. Needs `accountId`.
   */
  readonly topics?: readonly string[] | undefined;
  /**
   * Logical → physical topic names (not ARNs); default `defaultTopicNaming`: one topic per tenant
   * and capsule, named from its ids and the logical name (`4_acme_5_DEVUS_alerts`). Must be injective.
   */
  readonly topicNaming?: TopicNaming | undefined;
  /**
   * The logical SQS queues the application uses (queue names starting with a letter, `.fifo` for
   * FIFO queues). With it, `queue()` refuses other names and guarded SQS clients accept exactly
   * these queues' URLs; without it, they accept the queues their scope has named. Needs `accountId`.
   */
  readonly queues?: readonly string[] | undefined;
  /**
   * Logical → physical queue names (not URLs); default `defaultQueueNaming`: one queue per tenant
   * and capsule, named from its ids and the logical name (`4_acme_5_DEVUS_jobs`), in `accountId` at
   * `endpoint` or `https://sqs.<region>.amazonaws.com`. Must be injective; with another naming,
   * guarded clients refuse `ListQueues` (the default names are what its prefix check relies on).
   */
  readonly queueNaming?: QueueNaming | undefined;
  /**
   * The logical EventBridge buses the application uses. With it, `eventBus()` refuses other names and
   * guarded EventBridge clients accept exactly these buses (an entry without `EventBusName` only if
   * `default` is declared); without it, they accept the scope's `default` bus and the buses it has named.
   */
  readonly eventBuses?: readonly string[] | undefined;
  /**
   * Logical → physical bus names (name or ARN); default `defaultEventBusNaming`: the logical name as
   * is, one bus shared by every scope (events carry their scope's ids, checked on every entry).
   */
  readonly eventBusNaming?: EventBusNaming | undefined;
  /**
   * The prefix of a tenant or capsule scope's SSM parameter and Secrets Manager secret names
   * (`scope.parameterPrefix`), as a function of the scope; default `parameterPrefixOf`:
   * `/tenants/<tenant>/capsules/<capsule>/`, tenant scope `/tenants/<tenant>/`. It must be an SSM
   * hierarchy (`/` first and last) naming the scope's tenant and capsule as segments, and give
   * distinct scopes distinct prefixes, e.g. `(scope) => '/crm' + parameterPrefixOf(scope)`.
   */
  readonly parameterPrefix?: ParameterPrefixNaming | undefined;
  /** Key attribute names: `pk`, `sk`, and per index its partition-key attribute. */
  readonly keys?: Partial<KeyAttributes> | undefined;
  /**
   * Where the guard learns each table's index partition keys. `'describe'` (default): one
   * DescribeTable per table at first use, with `credentials`, cached; `keys` is checked against it.
   * `'declared'`: `keys` is taken as complete — an index it does not name is not enforced.
   */
  readonly keySchemas?: 'describe' | 'declared' | undefined;
  /** Services tenant and capsule scopes may hand out unguarded, each with its reason; every other unguardable client is refused. */
  readonly unguarded?: readonly UnguardedService[] | undefined;
  /**
   * Guards for services the runtime does not guard itself (`ServiceGuard`: service id, JSON target
   * prefix or address binding, rules): tenant and capsule scopes hand out their clients guarded by
   * those rules, at the seal and the gate like ours, instead of refusing them.
   */
  readonly guards?: readonly ServiceGuard[] | undefined;
  /** Operator role settings: role name, session length, refresh window, STS endpoint. */
  readonly operator?: Omit<OperatorCredentialOptions, 'region' | 'baseCredentials'> | undefined;
  /**
   * The second wall (opt-in): tenant and capsule scopes use credentials of this role in this
   * account, assumed with an IAM session policy that confines them to the scope's own resources:
   * the declared tables (items under its key prefix), buckets (objects under its object prefix),
   * queues, topics and event buses, as the scope names them, and its parameters and secrets (see
   * `scope-session.ts`). Each new scope is one AssumeRole; `newSessionsPerTenant` bounds how many
   * one tenant can cause (default 10 per 60 s; past it, making the scope throws `SessionBudgetError`).
   */
  readonly scopedCredentials?: ScopedCredentialOptions | undefined;
  /** Called with every refusal before it is thrown, e.g. to count violations. */
  readonly onViolation?: ((error: IsolationViolationError) => void) | undefined;
  /** Extra configuration for every client (retry settings, a request handler). */
  readonly clientConfig?: Readonly<Record<string, unknown>> | undefined;
  /** How many scopes stay cached (each with its clients); the least recently used are retired (their clients destroyed once idle). Default 1000. */
  readonly maxScopes?: number | undefined;
}

/** The second wall's settings (`createClientFactory({ scopedCredentials })`). */
export interface ScopedCredentialOptions {
  /** The account of the role tenant and capsule scopes assume (12 digits). */
  readonly accountId: string;
  readonly roleName: string;
  readonly newSessionsPerTenant?: SessionBudgetOptions | undefined;
  /** Whether the session reaches the scope's SSM parameters (under `scope.parameterPrefix`); default true. False leaves them out of the policy, which STS limits to 2,048 characters. */
  readonly parameters?: boolean | undefined;
  /** Whether the session reaches the scope's Secrets Manager secrets (under `scope.parameterPrefix`); default true. */
  readonly secrets?: boolean | undefined;
}

/** A plain-data picture of a scope, for logs. */
export interface ScopeSummary {
  readonly scope: ScopeDescription;
  readonly label: string;
  readonly keyPrefix: string;
  readonly objectPrefix: string;
  readonly parameterPrefix: string;
  readonly guarded: boolean;
  readonly tables: Readonly<Record<string, string>>;
  readonly buckets: Readonly<Record<string, string>>;
  readonly topics: Readonly<Record<string, string>>;
  readonly eventBuses: Readonly<Record<string, string>>;
  readonly queues: Readonly<Record<string, string>>;
  readonly clients: readonly string[];
}

/** `Kind` is the kind of scope (`aws.capsule(…)` gives a `Scope<'capsule'>`): what `repo()` may open is checked against it. */
export interface Scope<Kind extends ScopeKind = ScopeKind> {
  readonly description: ScopeDescription;
  /** `TENANT#acme#` or `TENANT#acme#CAPSULE#DEVUS#`; empty for platform and operator scopes, which are unguarded. */
  readonly keyPrefix: string;
  /**
   * `tenants/acme/capsules/DEVUS/` or `tenants/acme/`: every S3 object key of the scope starts with
   * it (the guarded S3 client refuses any other); empty for platform and operator scopes.
   */
  readonly objectPrefix: string;
  /**
   * `/tenants/acme/capsules/DEVUS/` or `/tenants/acme/` (or what the factory's `parameterPrefix`
   * gives): every SSM parameter and Secrets Manager secret name of the scope lies under it (the
   * guarded clients refuse any other); empty for platform and operator scopes.
   */
  readonly parameterPrefix: string;
  /** A client of an AWS SDK v3 class, made once per scope and class (tenant and capsule scopes: guarded, or opted out by the factory). */
  client<C extends SdkClient>(clientClass: SdkClientClass<C>): C;
  /**
   * A DynamoDB Document client sharing the scope's (guarded) DynamoDB client, with the Document
   * client's translate options (`marshallOptions`, `unmarshallOptions`) when given; one per options.
   */
  dynamo(translateConfig?: TranslateConfig): DynamoDBDocumentClient;
  /** The physical name of a logical table in this scope. */
  table(logicalName: string): string;
  /**
   * The repository of an `@Entity` of this scope's kind, through `dynamo()`: keys typed from the
   * entity's `static readonly keys` declaration, the scope's ids filled in (ADR 0022).
   */
  repo<Entity extends EntityClass>(entity: Entity & OpensIn<Kind, Entity>): Repository<Entity>;
  /** The physical name of a logical S3 bucket in this scope (default: the logical name, shared by all scopes). */
  bucket(logicalName: string): string;
  /** The ARN of a logical SNS topic in this scope (default: the scope's own topic, see `defaultTopicNaming`). */
  topic(logicalName: string): string;
  /** The URL of a logical SQS queue in this scope (default: the scope's own queue, see `defaultQueueNaming`). */
  queue(logicalName: string): string;
  /** The `EventBusName` of a logical EventBridge bus in this scope (default: the logical name, a bus shared by all scopes; `default` is the account's default bus). */
  eventBus(logicalName: string): string;
  describe(): ScopeSummary;
  /** Validates a `@DomainEvent` against this scope and sends it with EventBridge `PutEvents`; nothing is sent on refusal. */
  publish(event: object, options?: PublishOptions): Promise<PublishResult>;
}

export interface ClientFactory {
  platform(): Scope<'platform'>;
  tenant(tenant: TenantId | string): Scope<'tenant'>;
  capsule(tenant: TenantId | string, capsule: CapsuleId | string): Scope<'capsule'>;
  operator(accountId: string, options?: { readonly roleName?: string; readonly externalId?: string }): Scope<'operator'>;
  /** Retires every cached scope: their clients are destroyed as soon as no request of theirs is in flight. */
  destroy(): void;
}

interface ClientEntry {
  readonly client: SdkClient;
  readonly lifetime: ClientLifetime;
  /** The guard of a tenant or capsule scope's DynamoDB or EventBridge client. */
  readonly guard: ClientGuard | undefined;
}

class ScopedClients implements Scope {
  readonly keyPrefix: string;
  readonly objectPrefix: string;
  readonly parameterPrefix: string;
  /** By client class; Document clients with their own translate options get their own base client, keyed by those options. */
  readonly #clients = new Map<SdkClientClass<SdkClient> | string, ClientEntry>();
  readonly #tables = new Map<string, string>();
  readonly #guardTables: Set<string>;
  readonly #buckets = new Map<string, string>();
  readonly #guardBuckets: Set<string>;
  readonly #topics: ScopeNames;
  readonly #queues: ScopeNames;
  readonly #eventBuses: ScopeNames;
  readonly #policy: GuardPolicy | undefined;
  readonly #documents = new Map<string, DynamoDBDocumentClient>();
  readonly #repositories = new WeakMap<EntityClass, Repository<EntityClass>>();
  #retired = false;

  constructor(
    readonly description: ScopeDescription,
    private readonly settings: FactorySettings,
    private readonly credentials: ScopeCredentials,
  ) {
    this.keyPrefix = isGuarded(description) ? keyPrefixOf(description) : '';
    this.objectPrefix = isGuarded(description) ? objectPrefixOf(description) : '';
    this.parameterPrefix = isGuarded(description) ? checkParameterPrefix(settings.parameterPrefix(description), description) : '';
    this.#guardBuckets = new Set(settings.buckets === undefined ? [] : [...settings.buckets].map((name) => physicalBucketName(settings.bucketNaming, name, description, undefined)));
    this.#guardTables = new Set(settings.tables === undefined ? [] : [...settings.tables].map((name) => physicalTableName(settings.tableNaming, name, description, undefined)));
    const topicLocation = { region: settings.region, accountId: settings.accountId };
    this.#topics = new ScopeNames((name, known) => topicArn(settings.topicNaming, name, description, known, topicLocation), settings.topics);
    this.#queues = new ScopeNames((name, known) => queueUrl(settings.queueNaming, name, description, known, settings.queueLocation), settings.queues);
    const busName = (name: string, known: ReadonlySet<string> | undefined): string => physicalName(EVENT_BUS_NAMES, settings.eventBusNaming, name, description, known);
    // Without declared buses, the scope's `default` bus is its own from the start: where publish() sends without a bus name.
    this.#eventBuses = new ScopeNames(busName, settings.eventBuses, settings.eventBuses === undefined ? [busName(DEFAULT_EVENT_BUS, undefined)] : []);
    this.#policy = isGuarded(description) ? { scope: description, tables: this.#guardTables, buckets: this.#guardBuckets, topics: this.#topics.accepted, eventBuses: this.#eventBuses.accepted, endpointHost: settings.endpointHost, parameterPrefix: this.parameterPrefix, queues: this.#queues.accepted, queueNamePrefix: settings.queueNaming === defaultQueueNaming ? queueNamePrefixOf(description) : undefined, keys: settings.keys, keySchemas: settings.keySchemas, onViolation: settings.onViolation } : undefined;
  }

  // Nothing to re-check on the way out: a guarded client's request handler, protocol and config are
  // the guard's own non-configurable properties (ClientGuard), so no assignment, redefinition or
  // stack edit since the last call can have taken the guard off.
  client<C extends SdkClient>(clientClass: SdkClientClass<C>): C {
    return (this.#clients.get(clientClass) ?? this.#make(clientClass)).client as C;
  }

  dynamo(translateConfig?: TranslateConfig): DynamoDBDocumentClient {
    const key = JSON.stringify(translateConfig ?? {});
    const cached = this.#documents.get(key);
    if (cached !== undefined) return cached;
    // Translate options live in the configuration a Document client shares with its base client, so
    // each set of options gets a base client of its own; without options it is the scope's own.
    const baseKey = translateConfig === undefined ? DynamoDBClient : `dynamo:${key}`;
    const entry = this.#clients.get(baseKey) ?? this.#make(DynamoDBClient, baseKey);
    const document = DynamoDBDocumentClient.from(entry.client as DynamoDBClient, translateConfig);
    const guard = entry.guard;
    if (guard !== undefined) {
      // The Document client shares its base client's configuration, unless it judges the base of an
      // incompatible SDK version and builds its own: a guarded scope must never hand that one out.
      if (!hasIsolationGuard(document)) {
        throw new Error(`the DynamoDB Document client of ${scopeLabel(this.description)} does not share its base client's guarded configuration; install @aws-sdk/lib-dynamodb and @aws-sdk/client-dynamodb of the same version`);
      }
      guard.hold(document);
    }
    this.#documents.set(key, document);
    return document;
  }

  table(logicalName: string): string {
    let physical = this.#tables.get(logicalName);
    if (physical === undefined) {
      physical = physicalTableName(this.settings.tableNaming, logicalName, this.description, this.settings.tables);
      this.#tables.set(logicalName, physical);
      // Without a declared table list, the guard accepts what this scope has named.
      if (this.settings.tables === undefined) this.#guardTables.add(physical);
    }
    return physical;
  }

  bucket(logicalName: string): string {
    let physical = this.#buckets.get(logicalName);
    if (physical === undefined) {
      physical = physicalBucketName(this.settings.bucketNaming, logicalName, this.description, this.settings.buckets);
      this.#buckets.set(logicalName, physical);
      // Without a declared bucket list, the guard accepts what this scope has named.
      if (this.settings.buckets === undefined) this.#guardBuckets.add(physical);
    }
    return physical;
  }

  topic(logicalName: string): string {
    return this.#topics.name(logicalName);
  }

  queue(logicalName: string): string {
    return this.#queues.name(logicalName);
  }

  eventBus(logicalName: string): string {
    return this.#eventBuses.name(logicalName);
  }

  describe(): ScopeSummary {
    return {
      scope: this.description,
      label: scopeLabel(this.description),
      keyPrefix: this.keyPrefix,
      objectPrefix: this.objectPrefix,
      parameterPrefix: this.parameterPrefix,
      guarded: this.#policy !== undefined,
      tables: Object.fromEntries(this.#tables),
      buckets: Object.fromEntries(this.#buckets),
      topics: this.#topics.named(),
      eventBuses: this.#eventBuses.named(),
      queues: this.#queues.named(),
      clients: [...this.#clients.values()].map((entry) => entry.client.constructor.name),
    };
  }

  publish(event: object, options?: PublishOptions): Promise<PublishResult> {
    return publishEvent(this, event, options);
  }

  repo<Entity extends EntityClass>(entity: Entity & OpensIn<ScopeKind, Entity>): Repository<Entity> {
    let repository = this.#repositories.get(entity);
    if (repository === undefined) {
      repository = openRepository(this, { keys: this.settings.keys, onViolation: this.settings.onViolation }, entity) as unknown as Repository<EntityClass>;
      this.#repositories.set(entity, repository);
    }
    return repository as unknown as Repository<Entity>;
  }

  /** Evicted or shut down: each client is destroyed once no request of it is in flight. */
  retire(): void {
    this.#retired = true;
    for (const entry of this.#clients.values()) entry.lifetime.retire();
  }

  #make(clientClass: SdkClientClass<SdkClient>, key: SdkClientClass<SdkClient> | string = clientClass): ClientEntry {
    const config: Record<string, unknown> = { ...this.settings.clientConfig, region: this.settings.region };
    if (this.settings.endpoint !== undefined) config['endpoint'] = this.settings.endpoint;
    if (this.credentials !== undefined) config['credentials'] = this.credentials;
    const client = new clientClass(config);
    let guard: ClientGuard | undefined;
    try {
      guard = this.#policy === undefined ? undefined : this.#guard(client, clientClass.name);
    } catch (error) {
      client.destroy();
      throw error;
    }
    const entry: ClientEntry = { client, lifetime: new ClientLifetime(client as unknown as DestroyableClient), guard };
    this.#clients.set(key, entry);
    // A scope already retired (a caller kept it after eviction) still works, but keeps no idle client alive.
    if (this.#retired) entry.lifetime.retire();
    return entry;
  }

  /** Guards a tenant or capsule scope's client, passes an opted-out service, refuses any other. */
  #guard(client: SdkClient, className: string): ClientGuard | undefined {
    const policy = this.#policy as GuardPolicy;
    const serviceId = serviceIdOf(client);
    const services = this.settings.services;
    if (serviceId !== undefined && services.has(serviceId)) return addIsolationGuard(client as unknown as GuardableClient, policy, services);
    if (serviceId !== undefined && this.settings.unguarded.has(serviceId)) return undefined;
    const service = serviceId === undefined ? 'no service id (config.serviceId)' : `service ${quote(serviceId)}`;
    const guarded = [...services.keys()];
    const violation = new IsolationViolationError(
      'unguarded-client',
      policy.scope,
      `client(${className || 'an anonymous class'})`,
      `a client of ${service}, which ${scopeLabel(policy.scope)} cannot guard (guarded: ${guarded.join(', ')})`,
      serviceId === undefined
        ? `an AWS SDK v3 client of ${guarded.join(' or ')} (this class has no config.serviceId to recognise it by)`
        : `a ${guarded.join(' or ')} client — or a guard for ${serviceId}: createClientFactory({ guards: [{ serviceId: ${quote(serviceId)}, targetPrefix | bind, rules }] }); or, if this scope may use ${serviceId} without a guard, opt it out with a reason: createClientFactory({ unguarded: [{ client: ${quote(serviceId)}, reason: '…' }] }); a platform or operator scope's client needs none`,
    );
    reportViolation(compilePolicy(policy), violation);
    throw violation;
  }
}

/** The declared resources and their namings (`DeclaredResources`), and how clients are made and guarded. */
interface FactorySettings extends DeclaredResources {
  readonly endpoint: string | undefined;
  /** The hostname of `endpoint`, for the S3 guard's path-style requests. */
  readonly endpointHost: string | undefined;
  readonly keys: KeyAttributes;
  readonly keySchemas: KeySchemaSource;
  /** Service id → reason. */
  readonly unguarded: ReadonlyMap<string, string>;
  /** Service id → guard: ours and the factory's `guards`. */
  readonly services: ReadonlyMap<string, GuardedService>;
  readonly onViolation: ((error: IsolationViolationError) => void) | undefined;
  readonly clientConfig: Readonly<Record<string, unknown>>;
}

function isGuarded(scope: ScopeDescription): scope is GuardedScope {
  return scope.kind === 'tenant' || scope.kind === 'capsule';
}

function unguardedServices(list: readonly UnguardedService[] | undefined, guarded: ReadonlyMap<string, GuardedService>): Map<string, string> {
  const services = new Map<string, string>();
  if (list === undefined) return services;
  if (!Array.isArray(list)) throw new TypeError('createClientFactory: unguarded must be an array of { client, reason }');
  for (const entry of list as readonly unknown[]) {
    const { client, reason } = (entry ?? {}) as { client?: unknown; reason?: unknown };
    if (typeof client !== 'string' || client.length === 0) {
      throw new TypeError(`createClientFactory: unguarded entry ${JSON.stringify(entry)} has no client; expected the service id as the SDK names it (client.config.serviceId), e.g. { client: 'Kinesis', reason: '…' }`);
    }
    if (guarded.has(client)) throw new TypeError(`createClientFactory: ${client} clients are always guarded in tenant and capsule scopes; remove ${quote(client)} from unguarded (or its guard from guards)`);
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new TypeError(`createClientFactory: unguarded ${quote(client)} needs a reason, e.g. { client: ${quote(client)}, reason: 'one stream per tenant, confined by its resource policy' }`);
    }
    services.set(client, reason);
  }
  return services;
}

function endpointHostOf(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) return undefined;
  try {
    const host = new URL(endpoint).hostname;
    return host === '' ? undefined : host.toLowerCase();
  } catch {
    return undefined;
  }
}

export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  if (typeof options.region !== 'string' || options.region.length === 0) throw new TypeError('createClientFactory needs a region, e.g. { region: "us-east-1" }');
  if (options.keySchemas !== undefined && options.keySchemas !== 'describe' && options.keySchemas !== 'declared') {
    throw new TypeError(`createClientFactory: keySchemas must be 'describe' or 'declared', found ${JSON.stringify(options.keySchemas)}`);
  }
  if (options.parameterPrefix !== undefined && typeof options.parameterPrefix !== 'function') {
    throw new TypeError(`createClientFactory: parameterPrefix must be a function of the scope, e.g. (scope) => '/crm' + parameterPrefixOf(scope); found ${JSON.stringify(options.parameterPrefix)}`);
  }
  if (options.accountId !== undefined && (typeof options.accountId !== 'string' || !/^\d{12}$/.test(options.accountId))) {
    throw new TypeError(`createClientFactory: accountId must be an AWS account id of 12 digits, found ${JSON.stringify(options.accountId)}`);
  }
  if (options.queues !== undefined && options.accountId === undefined) throw new TypeError("createClientFactory: queues need the account they live in, for their URLs: createClientFactory({ queues, accountId: '123456789012' })");
  if (options.topics !== undefined && options.accountId === undefined) throw new TypeError("createClientFactory: topics need the account they live in, for their ARNs: createClientFactory({ topics, accountId: '123456789012' })");
  const services = servicesWith(options.guards);
  const keys: KeyAttributes = { ...DEFAULT_KEY_ATTRIBUTES, ...options.keys, indexes: { ...DEFAULT_KEY_ATTRIBUTES.indexes, ...options.keys?.indexes } };
  const clientConfig = options.clientConfig ?? {};

  // DescribeTable goes through a client of the factory's own (platform) credentials: a scope's
  // session policy does not allow it, and a guarded client refuses it.
  let describer: DynamoDBClient | undefined;
  const schemaReader = (): DynamoDBClient =>
    (describer ??= new DynamoDBClient({
      ...clientConfig,
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    }));
  const keySchemas: KeySchemaSource = options.keySchemas === 'declared' ? declaredKeySchemas(keys) : new DescribedKeySchemas({ describe: (table) => describeKeySchema(schemaReader(), table), declared: keys });

  const settings: FactorySettings = {
    region: options.region,
    endpoint: options.endpoint,
    tables: options.tables === undefined ? undefined : new Set(options.tables.map(checkLogicalTableName)),
    tableNaming: options.tableNaming ?? defaultTableNaming,
    buckets: options.buckets === undefined ? undefined : new Set(options.buckets.map(checkLogicalBucketName)),
    bucketNaming: options.bucketNaming ?? defaultBucketNaming,
    accountId: options.accountId,
    topics: options.topics === undefined ? undefined : new Set(options.topics.map((name) => checkLogicalName(TOPIC_NAMES, name))),
    topicNaming: options.topicNaming ?? defaultTopicNaming,
    queues: options.queues === undefined ? undefined : new Set(options.queues.map((name) => checkLogicalName(QUEUE_NAMES, name))),
    queueNaming: options.queueNaming ?? defaultQueueNaming,
    queueLocation: { region: options.region, endpoint: options.endpoint, accountId: options.accountId },
    eventBuses: options.eventBuses === undefined ? undefined : new Set(options.eventBuses.map((name) => checkLogicalName(EVENT_BUS_NAMES, name))),
    eventBusNaming: options.eventBusNaming ?? defaultEventBusNaming,
    parameterPrefix: options.parameterPrefix ?? defaultParameterPrefix,
    endpointHost: endpointHostOf(options.endpoint),
    keys,
    keySchemas,
    unguarded: unguardedServices(options.unguarded, services),
    services,
    onViolation: options.onViolation,
    clientConfig,
  };
  const roles = new OperatorCredentials({ ...options.operator, region: options.region, baseCredentials: options.credentials });
  const budget = options.scopedCredentials === undefined ? undefined : new SessionBudget(options.scopedCredentials.newSessionsPerTenant);
  const scopes = new LRUCache<string, ScopedClients>({ max: options.maxScopes ?? 1000, dispose: (scope) => scope.retire() });

  const scoped = (key: string, make: () => ScopeDescription, credentials: (scope: ScopeDescription) => ScopeCredentials): Scope => {
    let scope = scopes.get(key);
    if (scope === undefined) {
      const description = make();
      scope = new ScopedClients(description, settings, credentials(description));
      scopes.set(key, scope);
    }
    return scope;
  };

  /** Tenant and capsule credentials: the process's, or with the second wall, the scope's own confined role session. */
  const guardedCredentials = (scope: ScopeDescription): ScopeCredentials => {
    const wall = options.scopedCredentials;
    if (wall === undefined || !isGuarded(scope)) return options.credentials;
    // Learned key schemas let the guard query any index of the table, so the policy allows index ARNs too.
    const indexes = options.keySchemas !== 'declared' || Object.keys(keys.indexes).length > 0;
    const policy = scopeSessionPolicy(scope, settings, { accountId: wall.accountId, indexes, parameters: wall.parameters, secrets: wall.secrets });
    const session = { roleName: wall.roleName, policy: JSON.stringify(policy) };
    // A new session is an AssumeRole call: bounded per tenant, so invented capsule ids cannot flood STS.
    if (!roles.has(wall.accountId, session)) budget?.take(scope.tenantId);
    return roles.provider(wall.accountId, session);
  };

  return {
    platform: () => scoped('platform', () => ({ kind: 'platform' }), () => options.credentials),
    tenant: (tenant) => {
      // Validated before the cache lookup: a non-string that stringifies to a cached key must not find it.
      const tenantId = validTenantId(tenant);
      return scoped(`tenant|${tenantId}`, () => ({ kind: 'tenant', tenantId }), guardedCredentials);
    },
    capsule: (tenant, capsule) => {
      const tenantId = validTenantId(tenant);
      const capsuleId = validCapsuleId(capsule);
      return scoped(`capsule|${tenantId}|${capsuleId}`, () => ({ kind: 'capsule', tenantId, capsuleId }), guardedCredentials);
    },
    operator: (accountId, operatorOptions = {}) => {
      const roleName = operatorOptions.roleName ?? options.operator?.roleName ?? 'IsolationOperator';
      const externalId = operatorOptions.externalId;
      // The provider validates the account id, role name and external id before anything is cached.
      const provider = roles.provider(accountId, { roleName, ...(externalId === undefined ? {} : { externalId }) });
      const key = JSON.stringify(['operator', accountId, roleName, externalId ?? null]);
      return scoped(key, () => ({ kind: 'operator', accountId, roleName, externalId }), () => provider);
    },
    destroy: () => {
      scopes.clear();
      describer?.destroy();
      describer = undefined;
    },
  };
}
