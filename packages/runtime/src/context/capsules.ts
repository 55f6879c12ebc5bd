/**
 * The capsules a tenant has, as the application says (`capsules(tenantId)`), cached per tenant for a
 * short time. A capsule id a request names must be one of them, so made-up ids never create scopes,
 * clients or configuration cache entries (which would cost, and could evict, other tenants' ones).
 */
import { LRUCache } from 'lru-cache';
import type { TenantId } from '../ids.js';
import { ContextError } from './errors.js';

/** The capsule ids of a tenant: from a registry, a table, a constant. */
export type CapsuleLister = (tenantId: TenantId) => Iterable<string> | Promise<Iterable<string>>;

const TENANTS_KEPT = 10_000;
const LISTED = 20;

/** Resolves when `capsuleId` is one of the tenant's capsules; 403 when it is not, 503 when they cannot be listed. */
export function capsuleMembership(list: CapsuleLister, ttlMs: number): (tenantId: TenantId, capsuleId: string) => Promise<void> {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new TypeError(`capsulesTtlMs must be a positive number of milliseconds, found ${String(ttlMs)}`);
  // fetch() shares one call among concurrent misses of a tenant and does not cache failures.
  const known = new LRUCache<TenantId, ReadonlySet<string>>({ max: TENANTS_KEPT, ttl: ttlMs, fetchMethod: async (tenant) => new Set(await list(tenant)) });
  return async (tenant, capsule) => {
    let capsules: ReadonlySet<string> | undefined;
    try {
      capsules = await known.fetch(tenant);
    } catch (error) {
      throw new ContextError(503, 'unavailable', `the capsules of tenant ${tenant} cannot be listed: ${error instanceof Error ? error.message : String(error)}; try again`, { cause: error });
    }
    if (capsules?.has(capsule) === true) return;
    const names = [...(capsules ?? [])];
    const shown = names.length === 0 ? '(none)' : `${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? `, … (${names.length} in all)` : ''}`;
    throw new ContextError(403, 'forbidden', `tenant ${tenant} has no capsule ${JSON.stringify(capsule)}; its capsules: ${shown}`);
  };
}
