/**
 * `@isolation/runtime/context`: the request context, framework-neutral. One function verifies the
 * bearer token (see `token.ts`), derives the scope from the path and the token's claims, refuses a
 * path tenant that is not the token's and a capsule the tenant does not have, and only then binds
 * configuration and AWS clients to that scope: the scope-before-config ordering cannot be got wrong.
 *
 * Handlers read tenant and capsule ids from the context (`context.scope`), never from route
 * parameters: the context's ids are the checked ones.
 */
import type { ClientFactory, Scope } from '../aws/factory.js';
import type { ConfigSchema, ConfigService, SectionValues } from '../config/index.js';
import { isCapsuleId, isTenantId, type CapsuleId, type TenantId } from '../ids.js';
import { capsuleMembership, type CapsuleLister } from './capsules.js';
import { ContextError } from './errors.js';
import { pathCapsule, pathTenant } from './path.js';
import { tokenVerifier, type VerifyOptions } from './token.js';

export { ContextError, type ContextErrorCode } from './errors.js';
export { pathCapsule, pathSegments, pathTenant, rawPathOf } from './path.js';
export type { VerifyOptions, VerifiedClaims } from './token.js';
export type { CapsuleLister } from './capsules.js';

export interface ClaimNames {
  /** Default `tenant_id`. */
  readonly tenant?: string | undefined;
  /** Default `capsule_id`. */
  readonly capsule?: string | undefined;
  /** Default `roles`: an array of strings or a space-separated string. */
  readonly roles?: string | undefined;
}

export interface RequestContextOptions<S extends ConfigSchema> {
  readonly verify: VerifyOptions;
  readonly claims?: ClaimNames | undefined;
  /** Where the capsule comes from; default: path `/…/capsules/{capsuleId}/…`, then header `x-capsule-id`, else the token's capsule claim. */
  readonly capsuleFrom?: ((request: Request) => string | undefined) | undefined;
  /**
   * The capsule ids a tenant has. When given, a request naming any other capsule (path, header,
   * claim) is refused with 403 before a scope, client or cache entry exists for it. Answers are
   * cached per tenant for `capsulesTtlMs`; a failing call answers 503 and is not cached.
   */
  readonly capsules?: CapsuleLister | undefined;
  /** How long a tenant's `capsules` answer is kept; default 60 s. */
  readonly capsulesTtlMs?: number | undefined;
  readonly config: ConfigService<S>;
  readonly aws: ClientFactory;
}

export interface Principal {
  readonly subject: string;
  readonly roles: readonly string[];
  /** The tenant the token is bound to (its tenant claim), if any. */
  readonly tenantId?: TenantId | undefined;
  /** The capsule the token is bound to (its capsule claim), if any: such a token acts on that capsule only. */
  readonly capsuleId?: CapsuleId | undefined;
  /** Roles include `platform-admin` and the token names no tenant and no capsule: a tenant's token is never a platform admin's. */
  readonly platformAdmin: boolean;
  /** Roles include `tenant-admin` and the token names a tenant (the context's tenant). */
  readonly tenantAdmin: boolean;
}

type SectionReader<S extends ConfigSchema> = <K extends keyof S & string>(section: K) => Promise<SectionValues<S[K]>>;

/** A request of a tenant (and possibly one of its capsules). */
export interface TenantContext<S extends ConfigSchema = ConfigSchema> {
  readonly kind: 'tenant';
  /** The checked ids: read them here, never from route parameters. */
  readonly scope: { readonly tenantId: TenantId; readonly capsuleId?: CapsuleId | undefined };
  readonly principal: Principal;
  /** The section resolved for this scope through the config service (cached there). */
  readonly config: SectionReader<S>;
  /** `aws.capsule(t, c)` or `aws.tenant(t)`: guarded clients of this scope, made on first use. */
  readonly clients: Scope;
}

/** A platform administrator's request naming no tenant (token and path): no tenant clients. */
export interface PlatformContext<S extends ConfigSchema = ConfigSchema> {
  readonly kind: 'platform';
  readonly scope: { readonly kind: 'platform' };
  readonly principal: Principal;
  /** The section resolved at platform level. */
  readonly config: SectionReader<S>;
}

export type IsolationContext<S extends ConfigSchema = ConfigSchema> = TenantContext<S> | PlatformContext<S>;

/** What a framework routes on when it is not the request URL's normalised path. */
export interface RequestTarget {
  /** The path as sent (Express matches routes on it, without URL normalisation); default `new URL(request.url).pathname`. */
  readonly path?: string | undefined;
}

export type ContextFor<S extends ConfigSchema = ConfigSchema> = (request: Request, target?: RequestTarget) => Promise<IsolationContext<S>>;

const PLATFORM_ADMIN = 'platform-admin';
const TENANT_ADMIN = 'tenant-admin';
const DEFAULT_CAPSULES_TTL_MS = 60_000;

function rolesOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((role) => role.length > 0);
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string');
  return [];
}

/**
 * Builds `contextFor(request, target?)`: verifies the bearer token, derives and checks the scope,
 * then binds config and clients to it. Throws `ContextError` (400, 401, 403, 503) on refusal, and
 * TypeError at once for options that would make a weak check.
 */
export function createRequestContext<const S extends ConfigSchema>(options: RequestContextOptions<S>): ContextFor<S> {
  const { config, aws } = options;
  const verifyToken = tokenVerifier(options.verify);
  if (typeof config?.resolve !== 'function') throw new TypeError('createRequestContext needs config: a ConfigService (createConfigService)');
  if (typeof aws?.tenant !== 'function' || typeof aws.capsule !== 'function') throw new TypeError('createRequestContext needs aws: a ClientFactory (createClientFactory)');
  const tenantClaim = options.claims?.tenant ?? 'tenant_id';
  const capsuleClaim = options.claims?.capsule ?? 'capsule_id';
  const rolesClaim = options.claims?.roles ?? 'roles';
  const checkCapsule = options.capsules === undefined ? undefined : capsuleMembership(options.capsules, options.capsulesTtlMs ?? DEFAULT_CAPSULES_TTL_MS);

  return async (request, target) => {
    const header = request.headers.get('authorization');
    if (header === null || header.trim() === '') throw new ContextError(401, 'unauthorized', 'missing bearer token: send Authorization: Bearer <jwt>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) throw new ContextError(401, 'unauthorized', 'the Authorization header is not "Bearer <jwt>"');
    const payload = await verifyToken(match[1]);

    // The token's tenant and capsule: never a scope unless they are valid ids.
    const claimedTenant = payload[tenantClaim];
    if (claimedTenant !== undefined && !isTenantId(claimedTenant)) throw new ContextError(403, 'forbidden', `the token's ${JSON.stringify(tenantClaim)} claim is not a valid tenant id`);
    const claimedCapsule = payload[capsuleClaim];
    if (claimedCapsule !== undefined && !isCapsuleId(claimedCapsule)) throw new ContextError(403, 'forbidden', `the token's ${JSON.stringify(capsuleClaim)} claim is not a valid capsule id`);
    if (claimedCapsule !== undefined && claimedTenant === undefined) throw new ContextError(403, 'forbidden', `the token names capsule ${claimedCapsule} (claim ${JSON.stringify(capsuleClaim)}) but no tenant (claim ${JSON.stringify(tenantClaim)}): a capsule is always some tenant's`);

    const roles = rolesOf(payload[rolesClaim]);
    const principal: Principal = Object.freeze({
      subject: payload.sub,
      roles: Object.freeze(roles),
      tenantId: claimedTenant,
      capsuleId: claimedCapsule,
      platformAdmin: claimedTenant === undefined && roles.includes(PLATFORM_ADMIN),
      tenantAdmin: claimedTenant !== undefined && roles.includes(TENANT_ADMIN),
    });

    const path = target?.path ?? new URL(request.url).pathname;
    const routeTenant = pathTenant(path);
    if (routeTenant !== undefined) {
      if (!isTenantId(routeTenant)) throw new ContextError(400, 'bad_request', `the path's tenant ${JSON.stringify(routeTenant)} is not a valid tenant id`);
      if (claimedTenant === undefined) throw new ContextError(403, 'forbidden', `the token names no tenant (claim ${JSON.stringify(tenantClaim)}) and the path is tenant ${routeTenant}'s`);
      if (claimedTenant !== routeTenant) throw new ContextError(403, 'forbidden', `the token is tenant ${claimedTenant}'s and the path is tenant ${routeTenant}'s`);
    }
    const tenant = routeTenant ?? claimedTenant;

    if (tenant === undefined) {
      if (!principal.platformAdmin) throw new ContextError(403, 'forbidden', `the token names no tenant (claim ${JSON.stringify(tenantClaim)})`);
      const platform = Object.freeze({ kind: 'platform' as const });
      return Object.freeze({
        kind: 'platform',
        scope: platform,
        principal,
        config: (section) => config.resolve(platform, section).then((resolved) => resolved.values),
      } satisfies PlatformContext<S>);
    }

    const requested = options.capsuleFrom !== undefined ? options.capsuleFrom(request) : (pathCapsule(path) ?? request.headers.get('x-capsule-id') ?? undefined);
    if (requested !== undefined && !isCapsuleId(requested)) throw new ContextError(400, 'bad_request', `capsule ${JSON.stringify(requested)} is not a valid capsule id`);
    // A token bound to a capsule acts on that capsule only.
    if (requested !== undefined && claimedCapsule !== undefined && requested !== claimedCapsule) throw new ContextError(403, 'forbidden', `the token is bound to capsule ${claimedCapsule} and the request names capsule ${requested}`);
    const capsule = requested ?? claimedCapsule;
    if (capsule !== undefined) await checkCapsule?.(tenant, capsule);

    const scope = Object.freeze(capsule === undefined ? { tenantId: tenant } : { tenantId: tenant, capsuleId: capsule });
    // Made on first use: a request that never touches AWS adds no scope to the factory's cache.
    let clients: Scope | undefined;
    return Object.freeze({
      kind: 'tenant',
      scope,
      principal,
      config: (section) => config.resolve(scope, section).then((resolved) => resolved.values),
      get clients(): Scope {
        return (clients ??= capsule === undefined ? aws.tenant(tenant) : aws.capsule(tenant, capsule));
      },
    } satisfies TenantContext<S>);
  };
}
