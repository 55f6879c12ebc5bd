/**
 * What a scope is, as plain data: the shared vocabulary of the client factory, the guard, the
 * credential providers and the session policies.
 */
import { KEY_DELIMITER, type CapsuleId, type TenantId } from '../ids.js';

export type ScopeDescription =
  | { readonly kind: 'platform' }
  | { readonly kind: 'tenant'; readonly tenantId: TenantId }
  | { readonly kind: 'capsule'; readonly tenantId: TenantId; readonly capsuleId: CapsuleId }
  | { readonly kind: 'operator'; readonly accountId: string; readonly roleName: string; readonly externalId?: string | undefined };

/** The scopes whose clients are guarded: every partition key they touch starts with their prefix. */
export type GuardedScope = Extract<ScopeDescription, { kind: 'tenant' | 'capsule' }>;

/** `TENANT#acme#` or `TENANT#acme#CAPSULE#DEVUS#`: the trailing delimiter keeps `DEV` from matching `DEVX`. */
export function keyPrefixOf(scope: GuardedScope): string {
  const tenant = `TENANT${KEY_DELIMITER}${scope.tenantId}${KEY_DELIMITER}`;
  return scope.kind === 'tenant' ? tenant : `${tenant}CAPSULE${KEY_DELIMITER}${scope.capsuleId}${KEY_DELIMITER}`;
}

/**
 * `tenants/acme/` or `tenants/acme/capsules/DEVUS/`: the object-key prefix of a scope in a shared
 * bucket (S3). The trailing `/` keeps `DEV` from matching `DEVX`, as `#` does in `keyPrefixOf`.
 */
export function objectPrefixOf(scope: GuardedScope): string {
  const tenant = `tenants/${scope.tenantId}/`;
  return scope.kind === 'tenant' ? tenant : `${tenant}capsules/${scope.capsuleId}/`;
}

/**
 * `/tenants/acme/` or `/tenants/acme/capsules/DEVUS/`: the default prefix of a scope's SSM parameter
 * names and Secrets Manager secret names (the factory's `parameterPrefix` option overrides it). The
 * leading `/` makes it an SSM hierarchy; the trailing `/` keeps `DEV` from matching `DEVX`.
 */
export function parameterPrefixOf(scope: GuardedScope): string {
  return `/${objectPrefixOf(scope)}`;
}

/** A short label for messages and logs: `capsule acme/DEVUS`. */
export function scopeLabel(scope: ScopeDescription): string {
  switch (scope.kind) {
    case 'platform':
      return 'platform';
    case 'tenant':
      return `tenant ${scope.tenantId}`;
    case 'capsule':
      return `capsule ${scope.tenantId}/${scope.capsuleId}`;
    case 'operator':
      return `operator ${scope.accountId} (${scope.roleName})`;
  }
}

/**
 * Key attribute names of the tables a scope uses: the table's partition and sort key, and the
 * partition-key attribute of each index by index name. Defaults: `pk`, `sk`, no indexes.
 */
export interface KeyAttributes {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly indexes: Readonly<Record<string, string>>;
}

export const DEFAULT_KEY_ATTRIBUTES: KeyAttributes = { partitionKey: 'pk', sortKey: 'sk', indexes: {} };
