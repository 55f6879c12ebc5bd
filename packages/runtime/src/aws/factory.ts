/**
 * The scoped client factory: the one place AWS clients are made. Every client a scope hands out is
 * bound to it: DynamoDB clients of tenant and capsule scopes carry the isolation guard, operator
 * clients carry the operator role's shared credentials, and optionally tenant and capsule clients
 * carry assumed-role credentials confined to their key prefix by an IAM session policy.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { LRUCache } from 'lru-cache';
import { capsuleId as validCapsuleId, tenantId as validTenantId, type CapsuleId, type TenantId } from '../ids.js';
import { publishEvent, type PublishOptions, type PublishResult } from '../events/publish.js';
import { OperatorCredentials, type OperatorCredentialOptions } from './credentials.js';
import { addIsolationGuard, hasIsolationGuard, type GuardPolicy } from './guard.js';
import { DEFAULT_KEY_ATTRIBUTES, keyPrefixOf, scopeLabel, type GuardedScope, type KeyAttributes, type ScopeDescription } from './scope.js';
import { sessionPolicyFor } from './session-policy.js';
import { defaultTableNaming, physicalTableName, type TableNaming } from './tables.js';
import type { IsolationViolationError } from './violation.js';

type ScopeCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;

/** Any AWS SDK v3 client: constructed from a config object, destroyed to release its sockets. */
export interface SdkClient {
  destroy(): void;
}
export type SdkClientClass<C extends SdkClient> = new (config: Record<string, unknown>) => C;

export interface ClientFactoryOptions {
  readonly region: string;
  /** An explicit endpoint for every client (local DynamoDB, tests); else the SDK's `AWS_ENDPOINT_URL*` variables apply. */
  readonly endpoint?: string | undefined;
  /** Credentials of the process; default: the SDK's default chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  /**
   * The logical tables the application uses. With it, `table()` refuses other names and guarded
   * clients accept exactly these tables' physical names; without it, `table()` names any table and
   * guarded clients accept the physical names their scope has handed out.
   */
  readonly tables?: readonly string[] | undefined;
  /** Logical → physical table names; default `defaultTableNaming` (capsule tables prefixed by capsule code). */
  readonly tableNaming?: TableNaming | undefined;
  /** Key attribute names: `pk`, `sk`, and per index its partition-key attribute. */
  readonly keys?: Partial<KeyAttributes> | undefined;
  /** Operator role settings: role name, session length, refresh window, STS endpoint. */
  readonly operator?: Omit<OperatorCredentialOptions, 'region' | 'baseCredentials'> | undefined;
  /**
   * The second wall (opt-in): tenant and capsule scopes use credentials of this role in this
   * account, assumed with an IAM session policy that confines them to the scope's key prefix.
   */
  readonly scopedCredentials?: { readonly accountId: string; readonly roleName: string } | undefined;
  /** Called with every refusal before it is thrown, e.g. to count violations. */
  readonly onViolation?: ((error: IsolationViolationError) => void) | undefined;
  /** Extra configuration for every client (retry settings, a request handler). */
  readonly clientConfig?: Readonly<Record<string, unknown>> | undefined;
  /** How many scopes stay cached (each with its clients); the least recently used are destroyed. Default 1000. */
  readonly maxScopes?: number | undefined;
}

/** A plain-data picture of a scope, for logs. */
export interface ScopeSummary {
  readonly scope: ScopeDescription;
  readonly label: string;
  readonly keyPrefix: string;
  readonly guarded: boolean;
  readonly tables: Readonly<Record<string, string>>;
  readonly clients: readonly string[];
}

export interface Scope {
  readonly description: ScopeDescription;
  /** `TENANT#acme#` or `TENANT#acme#CAPSULE#DEVUS#`; empty for platform and operator scopes, which are unguarded. */
  readonly keyPrefix: string;
  /** A client of any AWS SDK v3 class, made once per scope and class. */
  client<C extends SdkClient>(clientClass: SdkClientClass<C>): C;
  /** A DynamoDB Document client sharing the scope's (guarded) DynamoDB client. */
  dynamo(): DynamoDBDocumentClient;
  /** The physical name of a logical table in this scope. */
  table(logicalName: string): string;
  describe(): ScopeSummary;
  /** Validates a `@DomainEvent` against this scope and sends it with EventBridge `PutEvents`; nothing is sent on refusal. */
  publish(event: object, options?: PublishOptions): Promise<PublishResult>;
}

export interface ClientFactory {
  platform(): Scope;
  tenant(tenant: TenantId | string): Scope;
  capsule(tenant: TenantId | string, capsule: CapsuleId | string): Scope;
  operator(accountId: string, options?: { readonly roleName?: string; readonly externalId?: string }): Scope;
  /** Destroys every cached client. */
  destroy(): void;
}

class ScopedClients implements Scope {
  readonly keyPrefix: string;
  readonly #clients = new Map<SdkClientClass<SdkClient>, SdkClient>();
  readonly #tables = new Map<string, string>();
  readonly #guardTables: Set<string>;
  #document: DynamoDBDocumentClient | undefined;

  constructor(
    readonly description: ScopeDescription,
    private readonly settings: FactorySettings,
    private readonly credentials: ScopeCredentials,
  ) {
    this.keyPrefix = isGuarded(description) ? keyPrefixOf(description) : '';
    this.#guardTables = new Set(settings.tables === undefined ? [] : [...settings.tables].map((name) => physicalTableName(settings.tableNaming, name, description, undefined)));
  }

  client<C extends SdkClient>(clientClass: SdkClientClass<C>): C {
    const cached = this.#clients.get(clientClass);
    if (cached !== undefined) return cached as C;
    const config: Record<string, unknown> = { ...this.settings.clientConfig, region: this.settings.region };
    if (this.settings.endpoint !== undefined) config['endpoint'] = this.settings.endpoint;
    if (this.credentials !== undefined) config['credentials'] = this.credentials;
    const client = new clientClass(config);
    if (client instanceof DynamoDBClient && isGuarded(this.description)) addIsolationGuard(client, this.#guardPolicy(this.description));
    this.#clients.set(clientClass, client);
    return client;
  }

  dynamo(): DynamoDBDocumentClient {
    if (this.#document !== undefined) return this.#document;
    const document = DynamoDBDocumentClient.from(this.client(DynamoDBClient));
    // The Document client shares its base client's middleware stack, unless it judges the base of an
    // incompatible SDK version and builds its own: a guarded scope must never hand that one out.
    if (isGuarded(this.description) && !hasIsolationGuard(document)) {
      throw new Error(`the DynamoDB Document client of ${scopeLabel(this.description)} does not share its base client's guarded middleware stack; install @aws-sdk/lib-dynamodb and @aws-sdk/client-dynamodb of the same version`);
    }
    return (this.#document = document);
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

  describe(): ScopeSummary {
    return {
      scope: this.description,
      label: scopeLabel(this.description),
      keyPrefix: this.keyPrefix,
      guarded: isGuarded(this.description),
      tables: Object.fromEntries(this.#tables),
      clients: [...this.#clients.values()].map((client) => client.constructor.name),
    };
  }

  publish(event: object, options?: PublishOptions): Promise<PublishResult> {
    return publishEvent(this, event, options);
  }

  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
    this.#document = undefined;
  }

  #guardPolicy(scope: GuardedScope): GuardPolicy {
    return { scope, tables: this.#guardTables, keys: this.settings.keys, onViolation: this.settings.onViolation };
  }
}

interface FactorySettings {
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly tables: ReadonlySet<string> | undefined;
  readonly tableNaming: TableNaming;
  readonly keys: KeyAttributes;
  readonly onViolation: ((error: IsolationViolationError) => void) | undefined;
  readonly clientConfig: Readonly<Record<string, unknown>>;
}

function isGuarded(scope: ScopeDescription): scope is GuardedScope {
  return scope.kind === 'tenant' || scope.kind === 'capsule';
}

export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  if (typeof options.region !== 'string' || options.region.length === 0) throw new TypeError('createClientFactory needs a region, e.g. { region: "us-east-1" }');
  const settings: FactorySettings = {
    region: options.region,
    endpoint: options.endpoint,
    tables: options.tables === undefined ? undefined : new Set(options.tables),
    tableNaming: options.tableNaming ?? defaultTableNaming,
    keys: { ...DEFAULT_KEY_ATTRIBUTES, ...options.keys, indexes: { ...DEFAULT_KEY_ATTRIBUTES.indexes, ...options.keys?.indexes } },
    onViolation: options.onViolation,
    clientConfig: options.clientConfig ?? {},
  };
  const roles = new OperatorCredentials({ ...options.operator, region: options.region, baseCredentials: options.credentials });
  const scopes = new LRUCache<string, ScopedClients>({ max: options.maxScopes ?? 1000, dispose: (scope) => scope.destroy() });

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
    const policy = JSON.stringify(sessionPolicyFor(scope, tableArns, { indexes: Object.keys(settings.keys.indexes).length > 0 }));
    return roles.provider(wall.accountId, { roleName: wall.roleName, policy });
  };

  return {
    platform: () => scoped('platform', () => ({ kind: 'platform' }), () => options.credentials),
    tenant: (tenant) => scoped(`tenant|${tenant}`, () => ({ kind: 'tenant', tenantId: validTenantId(tenant) }), guardedCredentials),
    capsule: (tenant, capsule) => scoped(`capsule|${tenant}|${capsule}`, () => ({ kind: 'capsule', tenantId: validTenantId(tenant), capsuleId: validCapsuleId(capsule) }), guardedCredentials),
    operator: (accountId, operatorOptions = {}) => {
      const roleName = operatorOptions.roleName ?? options.operator?.roleName ?? 'IsolationOperator';
      const key = `operator|${accountId}|${roleName}|${operatorOptions.externalId ?? ''}`;
      return scoped(
        key,
        () => ({ kind: 'operator', accountId, roleName, externalId: operatorOptions.externalId }),
        () => roles.provider(accountId, { roleName, ...(operatorOptions.externalId === undefined ? {} : { externalId: operatorOptions.externalId }) }),
      );
    },
    destroy: () => scopes.clear(),
  };
}
