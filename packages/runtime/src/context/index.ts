/**
 * `@isolation/runtime/context`: the request context, framework-neutral. One function verifies the
 * bearer token (jose: HS256 with a shared secret, RS256 with a JWKS URL), derives the scope from the
 * path and the token's claims, refuses a path tenant that is not the token's, and only then binds
 * configuration and AWS clients to that scope: the scope-before-config ordering cannot be got wrong.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { ClientFactory, Scope } from '../aws/factory.js';
import type { ConfigSchema, ConfigService, SectionValues } from '../config/index.js';
import { isCapsuleId, isTenantId, type CapsuleId, type TenantId } from '../ids.js';

export type ContextErrorCode = 'unauthorized' | 'forbidden' | 'bad_request';

/** A refused request: `status` (400, 401, 403) and the JSON `body` to send. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
  constructor(
    readonly status: 400 | 401 | 403,
    readonly error: ContextErrorCode,
    message: string,
  ) {
    super(message);
  }

  get body(): { readonly error: ContextErrorCode; readonly message: string } {
    return { error: this.error, message: this.message };
  }
}

export interface VerifyOptions {
  /** HS256 shared secret. Exactly one of `secret` and `jwksUrl`. */
  readonly secret?: string | Uint8Array | undefined;
  /** RS256 through the keys published at this URL (jose `createRemoteJWKSet`). */
  readonly jwksUrl?: string | undefined;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

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
  readonly config: ConfigService<S>;
  readonly aws: ClientFactory;
}

export interface Principal {
  readonly subject: string;
  readonly roles: readonly string[];
  /** Roles include `platform-admin`. */
  readonly platformAdmin: boolean;
  /** Roles include `tenant-admin` and the token names a tenant (the context's tenant). */
  readonly tenantAdmin: boolean;
}

type SectionReader<S extends ConfigSchema> = <K extends keyof S & string>(section: K) => Promise<SectionValues<S[K]>>;

/** A request of a tenant (and possibly one of its capsules). */
export interface TenantContext<S extends ConfigSchema = ConfigSchema> {
  readonly kind: 'tenant';
  readonly scope: { readonly tenantId: TenantId; readonly capsuleId?: CapsuleId | undefined };
  readonly principal: Principal;
  /** The section resolved for this scope through the config service (cached there). */
  readonly config: SectionReader<S>;
  /** `aws.capsule(t, c)` or `aws.tenant(t)`: guarded clients of this scope. */
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

export type ContextFor<S extends ConfigSchema = ConfigSchema> = (request: Request) => Promise<IsolationContext<S>>;

const PLATFORM_ADMIN = 'platform-admin';
const TENANT_ADMIN = 'tenant-admin';

/** Path segments, percent-decoded; a segment that does not decode is a 400. */
function segmentsOf(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new ContextError(400, 'bad_request', `path segment ${JSON.stringify(segment)} is not valid percent-encoding`);
      }
    });
}

/** The tenant a path names: `/api/{tenantId}/…` (not `/api/platform/…`) or `/tenants/{tenantId}/…`. */
export function pathTenant(pathname: string): string | undefined {
  const segments = segmentsOf(pathname);
  for (let index = 0; index < segments.length - 1; index += 1) {
    const segment = segments[index];
    const next = segments[index + 1];
    if (next === undefined) break;
    if (segment === 'tenants' || (segment === 'api' && index === 0 && next !== 'platform')) return next;
  }
  return undefined;
}

/** The capsule a path names: `/…/capsules/{capsuleId}/…`. */
export function pathCapsule(pathname: string): string | undefined {
  const segments = segmentsOf(pathname);
  const at = segments.indexOf('capsules');
  return at >= 0 ? segments[at + 1] : undefined;
}

function rolesOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((role) => role.length > 0);
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string');
  return [];
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${JSON.stringify(error.claim)} check failed: ${error.reason}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token algorithm is not accepted';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the JWKS matches the token';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'the token is malformed';
  if (error instanceof joseErrors.JOSEError) return `the token was refused (${error.code})`;
  return 'the token could not be verified';
}

/**
 * Builds `contextFor(request)`: verifies the bearer token, derives and checks the scope, then binds
 * config and clients to it. Throws `ContextError` (401, 403, 400) on refusal.
 */
export function createRequestContext<const S extends ConfigSchema>(options: RequestContextOptions<S>): ContextFor<S> {
  const { verify, config, aws } = options;
  if ((verify?.secret === undefined) === (verify?.jwksUrl === undefined)) {
    throw new TypeError('createRequestContext needs exactly one of verify.secret (HS256) and verify.jwksUrl (RS256)');
  }
  if (typeof config?.resolve !== 'function') throw new TypeError('createRequestContext needs config: a ConfigService (createConfigService)');
  if (typeof aws?.tenant !== 'function' || typeof aws.capsule !== 'function') throw new TypeError('createRequestContext needs aws: a ClientFactory (createClientFactory)');
  const tenantClaim = options.claims?.tenant ?? 'tenant_id';
  const capsuleClaim = options.claims?.capsule ?? 'capsule_id';
  const rolesClaim = options.claims?.roles ?? 'roles';
  const verifyOptions = {
    algorithms: verify.secret !== undefined ? ['HS256'] : ['RS256'],
    ...(verify.issuer === undefined ? {} : { issuer: verify.issuer }),
    ...(verify.audience === undefined ? {} : { audience: verify.audience }),
  };
  const secret = typeof verify.secret === 'string' ? new TextEncoder().encode(verify.secret) : verify.secret;
  const jwks: JWTVerifyGetKey | undefined = verify.jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(verify.jwksUrl));

  const verifyToken = async (token: string): Promise<JWTPayload> => {
    try {
      const { payload } = secret !== undefined ? await jwtVerify(token, secret, verifyOptions) : await jwtVerify(token, jwks as JWTVerifyGetKey, verifyOptions);
      return payload;
    } catch (error) {
      throw new ContextError(401, 'unauthorized', `invalid bearer token: ${reasonOf(error)}`);
    }
  };

  return async (request) => {
    const header = request.headers.get('authorization');
    if (header === null || header.trim() === '') throw new ContextError(401, 'unauthorized', 'missing bearer token: send Authorization: Bearer <jwt>');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) throw new ContextError(401, 'unauthorized', 'the Authorization header is not "Bearer <jwt>"');
    const payload = await verifyToken(match[1]);
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new ContextError(401, 'unauthorized', 'invalid bearer token: no "sub" claim');

    // The token's tenant and capsule: never a scope unless they are valid ids.
    const claimedTenant = payload[tenantClaim];
    if (claimedTenant !== undefined && !isTenantId(claimedTenant)) throw new ContextError(403, 'forbidden', `the token's ${JSON.stringify(tenantClaim)} claim is not a valid tenant id`);
    const claimedCapsule = payload[capsuleClaim];
    if (claimedCapsule !== undefined && !isCapsuleId(claimedCapsule)) throw new ContextError(403, 'forbidden', `the token's ${JSON.stringify(capsuleClaim)} claim is not a valid capsule id`);

    const roles = rolesOf(payload[rolesClaim]);
    const principal: Principal = Object.freeze({
      subject: payload.sub,
      roles: Object.freeze(roles),
      platformAdmin: roles.includes(PLATFORM_ADMIN),
      tenantAdmin: claimedTenant !== undefined && roles.includes(TENANT_ADMIN),
    });

    const { pathname } = new URL(request.url);
    const routeTenant = pathTenant(pathname);
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

    const requested = options.capsuleFrom !== undefined ? options.capsuleFrom(request) : (pathCapsule(pathname) ?? request.headers.get('x-capsule-id') ?? undefined);
    if (requested !== undefined && !isCapsuleId(requested)) throw new ContextError(400, 'bad_request', `capsule ${JSON.stringify(requested)} is not a valid capsule id`);
    // A token bound to a capsule acts on that capsule only.
    if (requested !== undefined && claimedCapsule !== undefined && requested !== claimedCapsule) throw new ContextError(403, 'forbidden', `the token is bound to capsule ${claimedCapsule} and the request names capsule ${requested}`);
    const capsule = requested ?? claimedCapsule;

    const scope = Object.freeze(capsule === undefined ? { tenantId: tenant } : { tenantId: tenant, capsuleId: capsule });
    return Object.freeze({
      kind: 'tenant',
      scope,
      principal,
      config: (section) => config.resolve(scope, section).then((resolved) => resolved.values),
      clients: capsule === undefined ? aws.tenant(tenant) : aws.capsule(tenant, capsule),
    } satisfies TenantContext<S>);
  };
}
