/**
 * The scoped client factory: the one place AWS clients are made. Every client a scope hands out is
 * bound to it: tenant and capsule scopes guard the clients of services they can guard (DynamoDB,
 * EventBridge, S3, recognised by service id) and refuse every other client unless the factory opts its
 * service out with a reason; operator clients carry the operator role's shared credentials; and
 * optionally tenant and capsule clients carry assumed-role credentials confined to their key prefix
 * by an IAM session policy.
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
import { GUARDED_SERVICES, serviceIdOf } from './guard-services.js';
import { quote } from './guard-format.js';
import { describeKeySchema, DescribedKeySchemas } from './key-schemas.js';
import { ClientLifetime, type DestroyableClient } from './lifetime.js';
import { checkLogicalBucketName, defaultBucketNaming, physicalBucketName, type BucketNaming } from './buckets.js';
import { DEFAULT_KEY_ATTRIBUTES, keyPrefixOf, objectPrefixOf, scopeLabel, type GuardedScope, type KeyAttributes, type ScopeDescription } from './scope.js';
import { SessionBudget, type SessionBudgetOptions } from './session-budget.js';
import { sessionPolicyFor } from './session-policy.js';
import { declaredKeySchemas, type KeySchemaSource } from './table-keys.js';
import { checkLogicalTableName, defaultTableNaming, physicalTableName, type TableNaming } from './tables.js';
import { IsolationViolationError } from './violation.js';

type ScopeCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;

/** Any AWS SDK v3 client: constructed from a config object, destroyed to release its sockets. */
export interface SdkClient {
  destroy(): void;
}
export type SdkClientClass<C extends SdkClient> = new (config: Record<string, unknown>) => C;

/** A service whose clients tenant and capsule scopes hand out without a guard, and why that is safe. */
export interface UnguardedService {
  /** The service id as the SDK names it (`client.config.serviceId`): `S3`, `SQS`, `DynamoDB Streams`. */
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
  /** Operator role settings: role name, session length, refresh window, STS endpoint. */
  readonly operator?: Omit<OperatorCredentialOptions, 'region' | 'baseCredentials'> | undefined;
  /**
   * The second wall (opt-in): tenant and capsule scopes use credentials of this role in this
   * account, assumed with an IAM session policy that confines them to the scope's key prefix. Each
   * new scope is one AssumeRole; `newSessionsPerTenant` bounds how many one tenant can cause
   * (default 10 per 60 s; past it, making the scope throws `SessionBudgetError`).
   */
  readonly scopedCredentials?: { readonly accountId: string; readonly roleName: string; readonly newSessionsPerTenant?: SessionBudgetOptions | undefined } | undefined;
  /** Called with every refusal before it is thrown, e.g. to count violations. */
  readonly onViolation?: ((error: IsolationViolationError) => void) | undefined;
  /** Extra configuration for every client (retry settings, a request handler). */
  readonly clientConfig?: Readonly<Record<string, unknown>> | undefined;
  /** How many scopes stay cached (each with its clients); the least recently used are retired (their clients destroyed once idle). Default 1000. */
  readonly maxScopes?: number | undefined;
}

/** A plain-data picture of a scope, for logs. */
export interface ScopeSummary {
  readonly scope: ScopeDescription;
  readonly label: string;
  readonly keyPrefix: string;
  readonly objectPrefix: string;
  readonly guarded: boolean;
  readonly tables: Readonly<Record<string, string>>;
  readonly buckets: Readonly<Record<string, string>>;
  readonly clients: readonly string[];
}

export interface Scope {
  readonly description: ScopeDescription;
  /** `TENANT#acme#` or `TENANT#acme#CAPSULE#DEVUS#`; empty for platform and operator scopes, which are unguarded. */
  readonly keyPrefix: string;
  /**
   * `tenants/acme/capsules/DEVUS/` or `tenants/acme/`: every S3 object key of the scope starts with
   * it (the guarded S3 client refuses any other); empty for platform and operator scopes.
   */
  readonly objectPrefix: string;
  /** A client of an AWS SDK v3 class, made once per scope and class (tenant and capsule scopes: guarded, or opted out by the factory). */
  client<C extends SdkClient>(clientClass: SdkClientClass<C>): C;
  /**
   * A DynamoDB Document client sharing the scope's (guarded) DynamoDB client, with the Document
   * client's translate options (`marshallOptions`, `unmarshallOptions`) when given; one per options.
   */
  dynamo(translateConfig?: TranslateConfig): DynamoDBDocumentClient;
  /** The physical name of a logical table in this scope. */
  table(logicalName: string): string;
  /** The physical name of a logical S3 bucket in this scope (default: the logical name, shared by all scopes). */
  bucket(logicalName: string): string;
  describe(): ScopeSummary;
  /** Validates a `@DomainEvent` against this scope and sends it with EventBridge `PutEvents`; nothing is sent on refusal. */
  publish(event: object, options?: PublishOptions): Promise<PublishResult>;
}

export interface ClientFactory {
  platform(): Scope;
  tenant(tenant: TenantId | string): Scope;
  capsule(tenant: TenantId | string, capsule: CapsuleId | string): Scope;
  operator(accountId: string, options?: { readonly roleName?: string; readonly externalId?: string }): Scope;
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
  /** By client class; Document clients with their own translate options get their own base client, keyed by those options. */
  readonly #clients = new Map<SdkClientClass<SdkClient> | string, ClientEntry>();
  readonly #tables = new Map<string, string>();
  readonly #guardTables: Set<string>;
  readonly #buckets = new Map<string, string>();
  readonly #guardBuckets: Set<string>;
  readonly #policy: GuardPolicy | undefined;
  readonly #documents = new Map<string, DynamoDBDocumentClient>();
  #retired = false;

  constructor(
    readonly description: ScopeDescription,
    private readonly settings: FactorySettings,
    private readonly credentials: ScopeCredentials,
  ) {
    this.keyPrefix = isGuarded(description) ? keyPrefixOf(description) : '';
    this.objectPrefix = isGuarded(description) ? objectPrefixOf(description) : '';
    this.#guardBuckets = new Set(settings.buckets === undefined ? [] : [...settings.buckets].map((name) => physicalBucketName(settings.bucketNaming, name, description, undefined)));
    this.#guardTables = new Set(settings.tables === undefined ? [] : [...settings.tables].map((name) => physicalTableName(settings.tableNaming, name, description, undefined)));
    this.#policy = isGuarded(description) ? { scope: description, tables: this.#guardTables, buckets: this.#guardBuckets, endpointHost: settings.endpointHost, keys: settings.keys, keySchemas: settings.keySchemas, onViolation: settings.onViolation } : undefined;
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

  describe(): ScopeSummary {
    return {
      scope: this.description,
      label: scopeLabel(this.description),
      keyPrefix: this.keyPrefix,
      objectPrefix: this.objectPrefix,
      guarded: this.#policy !== undefined,
      tables: Object.fromEntries(this.#tables),
      buckets: Object.fromEntries(this.#buckets),
      clients: [...this.#clients.values()].map((entry) => entry.client.constructor.name),
    };
  }

  publish(event: object, options?: PublishOptions): Promise<PublishResult> {
    return publishEvent(this, event, options);
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
    if (serviceId !== undefined && GUARDED_SERVICES.has(serviceId)) return addIsolationGuard(client as unknown as GuardableClient, policy);
    if (serviceId !== undefined && this.settings.unguarded.has(serviceId)) return undefined;
    const service = serviceId === undefined ? 'no service id (config.serviceId)' : `service ${quote(serviceId)}`;
    const violation = new IsolationViolationError(
      'unguarded-client',
      policy.scope,
      `client(${className || 'an anonymous class'})`,
      `a client of ${service}, which ${scopeLabel(policy.scope)} cannot guard (guarded: ${[...GUARDED_SERVICES.keys()].join(', ')})`,
      serviceId === undefined
        ? `an AWS SDK v3 client of ${[...GUARDED_SERVICES.keys()].join(' or ')} (this class has no config.serviceId to recognise it by)`
        : `a ${[...GUARDED_SERVICES.keys()].join(' or ')} client — or, if this scope may use ${serviceId} without a guard, opt it out with a reason: createClientFactory({ unguarded: [{ client: ${quote(serviceId)}, reason: '…' }] }); a platform or operator scope's client needs none`,
    );
    reportViolation(compilePolicy(policy), violation);
    throw violation;
  }
}

interface FactorySettings {
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly tables: ReadonlySet<string> | undefined;
  readonly tableNaming: TableNaming;
  readonly buckets: ReadonlySet<string> | undefined;
  readonly bucketNaming: BucketNaming;
  /** The hostname of `endpoint`, for the S3 guard's path-style requests. */
  readonly endpointHost: string | undefined;
  readonly keys: KeyAttributes;
  readonly keySchemas: KeySchemaSource;
  /** Service id → reason. */
  readonly unguarded: ReadonlyMap<string, string>;
  readonly onViolation: ((error: IsolationViolationError) => void) | undefined;
  readonly clientConfig: Readonly<Record<string, unknown>>;
}

function isGuarded(scope: ScopeDescription): scope is GuardedScope {
  return scope.kind === 'tenant' || scope.kind === 'capsule';
}

function unguardedServices(list: readonly UnguardedService[] | undefined): Map<string, string> {
  const services = new Map<string, string>();
  if (list === undefined) return services;
  if (!Array.isArray(list)) throw new TypeError('createClientFactory: unguarded must be an array of { client, reason }');
  for (const entry of list as readonly unknown[]) {
    const { client, reason } = (entry ?? {}) as { client?: unknown; reason?: unknown };
    if (typeof client !== 'string' || client.length === 0) {
      throw new TypeError(`createClientFactory: unguarded entry ${JSON.stringify(entry)} has no client; expected the service id as the SDK names it (client.config.serviceId), e.g. { client: 'SQS', reason: '…' }`);
    }
    if (GUARDED_SERVICES.has(client)) throw new TypeError(`createClientFactory: ${client} clients are always guarded in tenant and capsule scopes; remove ${quote(client)} from unguarded`);
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new TypeError(`createClientFactory: unguarded ${quote(client)} needs a reason, e.g. { client: ${quote(client)}, reason: 'jobs are confined per tenant by the queue policy' }`);
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
    endpointHost: endpointHostOf(options.endpoint),
    keys,
    keySchemas,
    unguarded: unguardedServices(options.unguarded),
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
    const tableArns = [...(settings.tables ?? [])].map((name) => `arn:aws:dynamodb:${settings.region}:${wall.accountId}:table/${physicalTableName(settings.tableNaming, name, scope, undefined)}`);
    if (tableArns.length === 0) throw new TypeError('scopedCredentials needs the factory\'s tables: createClientFactory({ tables: [...], scopedCredentials })');
    // Learned key schemas let the guard query any index of the table, so the policy allows index ARNs too.
    const indexes = options.keySchemas !== 'declared' || Object.keys(keys.indexes).length > 0;
    const session = { roleName: wall.roleName, policy: JSON.stringify(sessionPolicyFor(scope, tableArns, { indexes })) };
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
