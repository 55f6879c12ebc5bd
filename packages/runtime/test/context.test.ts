/**
 * The framework-neutral request context: HS256 tokens made with jose `SignJWT` on Fetch `Request`
 * objects (missing/invalid tokens, tenant mismatch, invalid ids, scope and clients, config resolved
 * for the derived scope), and RS256 tokens verified against a JWKS served by a node:http server.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory } from '../src/aws/index.js';
import { createConfigService, defineSchema, field, memoryConfigStore } from '../src/config/index.js';
import { ContextError, createRequestContext, pathCapsule, pathSegments, pathTenant, rawPathOf, type IsolationContext } from '../src/context/index.js';
import { DUMMY_CREDENTIALS } from './support/dynamo.js';
import { refusalOf } from './support/refusal.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const SECRET = 'test-secret-of-at-least-32-characters!';
const schema = defineSchema({
  auth: { jwtExpirationSeconds: field.integer({ min: 60, max: 86_400, default: 3600 }) },
});
const aws = createClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: DUMMY_CREDENTIALS });

function setup() {
  const config = createConfigService({ schema, env: {}, store: memoryConfigStore() });
  const contextFor = createRequestContext({ verify: { secret: SECRET, issuer: 'https://issuer.test', audience: 'isolation' }, config, aws });
  return { config, contextFor };
}

interface TokenOptions {
  readonly secret?: string;
  readonly issuer?: string;
  readonly audience?: string;
  readonly expiresIn?: string | number;
  readonly subject?: string | null;
}

async function hsToken(claims: Record<string, unknown>, options: TokenOptions = {}): Promise<string> {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(options.issuer ?? 'https://issuer.test')
    .setAudience(options.audience ?? 'isolation')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m');
  if (options.subject !== null) jwt = jwt.setSubject(options.subject ?? 'user-1');
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

const request = (path: string, token?: string, headers: Record<string, string> = {}): Request =>
  new Request(`http://app.test${path}`, { headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } });

const refusal = (promise: Promise<unknown>): Promise<ContextError> => refusalOf(promise, ContextError);

describe('path parsing', () => {
  it('finds the tenant of /api/{t}/… and /tenants/{t}/…, not /api/platform/…; the capsule of …/capsules/{c}/…', () => {
    expect(pathTenant('/api/acme/config/auth')).toBe('acme');
    expect(pathTenant('/v1/tenants/acme/orders')).toBe('acme');
    expect(pathTenant('/api/platform/config/auth')).toBeUndefined();
    expect(pathTenant('/health')).toBeUndefined();
    expect(pathTenant('/api/a%23b/config')).toBe('a#b');
    expect(pathCapsule('/api/acme/capsules/dev/config/auth')).toBe('dev');
    expect(pathCapsule('/api/acme/config/auth')).toBeUndefined();
  });

  it('reads keywords in any case, as Express routes; refuses dot segments and backslashes; rawPathOf stops at the query', () => {
    expect(pathTenant('/TENANTS/globex/accounts/1')).toBe('globex');
    expect(pathTenant('/Api/globex/config/auth')).toBe('globex');
    expect(pathTenant('/api/PLATFORM/config/auth')).toBeUndefined();
    expect(pathCapsule('/api/acme/CAPSULES/dev/config/auth')).toBe('dev');
    expect(pathSegments('/files/a..b/%2e%2e.txt')).toEqual(['files', 'a..b', '...txt']);
    for (const path of ['/tenants/globex/%2e%2e/%2e%2e', '/tenants/globex/%2E', '/tenants/./x', '/x/a%2F..%2Fb', '/tenants/globex/1\\..']) {
      const error = (() => {
        try {
          pathTenant(path);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error, path).toBeInstanceOf(ContextError);
      expect((error as ContextError).status).toBe(400);
    }
    expect(rawPathOf('/tenants/acme/x?next=/tenants/globex')).toBe('/tenants/acme/x');
    expect(rawPathOf('/a%2e%2e/b#frag')).toBe('/a%2e%2e/b');
    expect(rawPathOf('http://app.test:8080/api/acme/config?x')).toBe('/api/acme/config');
    expect(rawPathOf('HTTP://app.test\\tenants\\globex')).toBe('\\tenants\\globex');
    expect(pathTenant(rawPathOf('http://app.test/api/globex/config'))).toBe('globex');
  });
});

describe('createRequestContext with HS256 tokens', () => {
  it('refuses options without exactly one verification key', () => {
    const config = createConfigService({ schema, env: {}, store: memoryConfigStore() });
    expect(() => createRequestContext({ verify: { issuer: false, audience: false }, config, aws })).toThrow(/exactly one of verify.secret/);
    expect(() => createRequestContext({ verify: { secret: SECRET, jwksUrl: 'http://127.0.0.1/jwks', issuer: false, audience: false }, config, aws })).toThrow(/exactly one/);
    expect(() => createRequestContext({ verify: { secret: SECRET, issuer: '', audience: false }, config, aws })).toThrow(/verify.issuer must be a non-empty string/);
    expect(() => createRequestContext({ verify: { secret: SECRET, issuer: false, audience: false, clockTolerance: -1 }, config, aws })).toThrow(/clockTolerance must be a non-negative number of seconds/);
  });

  it('401 without a token, with a non-Bearer header, a bad signature, an expired token, a wrong issuer or audience, no subject', async () => {
    const { contextFor } = setup();
    const cases: [Request, RegExp][] = [
      [request('/api/acme/x'), /missing bearer token/],
      [request('/api/acme/x', undefined, { authorization: 'Basic abc' }), /not "Bearer <jwt>"/],
      [request('/api/acme/x', 'not.a.jwt'), /malformed/],
      [request('/api/acme/x', await hsToken({ tenant_id: 'acme' }, { secret: 'another-secret-of-at-least-32-chars!!' })), /signature does not verify/],
      [request('/api/acme/x', await hsToken({ tenant_id: 'acme' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 })), /expired/],
      [request('/api/acme/x', await hsToken({ tenant_id: 'acme' }, { issuer: 'https://evil.test' })), /claim "iss" check failed/],
      [request('/api/acme/x', await hsToken({ tenant_id: 'acme' }, { audience: 'other' })), /claim "aud" check failed/],
      [request('/api/acme/x', await hsToken({ tenant_id: 'acme' }, { subject: null })), /no "sub" claim/],
    ];
    for (const [req, message] of cases) {
      const error = await refusal(contextFor(req));
      expect(error.status).toBe(401);
      expect(error.body).toEqual({ error: 'unauthorized', message: expect.stringMatching(message) as unknown });
    }
  });

  it('refuses an RS256-signed or unsigned token when HS256 is configured', async () => {
    const { contextFor } = setup();
    const { privateKey } = await generateKeyPair('RS256');
    const rs = await new SignJWT({ tenant_id: 'acme' }).setProtectedHeader({ alg: 'RS256' }).setSubject('u').setIssuer('https://issuer.test').setAudience('isolation').setExpirationTime('5m').sign(privateKey);
    expect((await refusal(contextFor(request('/api/acme/x', rs)))).status).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"u","tenant_id":"acme"}').toString('base64url')}.`;
    expect((await refusal(contextFor(request('/api/acme/x', none)))).status).toBe(401);
  });

  it('403 when the path tenant is not the token tenant, or the token names no tenant on a tenant route', async () => {
    const { contextFor } = setup();
    const a = await hsToken({ tenant_id: 'tenantA', roles: ['tenant-admin'] });
    const mismatch = await refusal(contextFor(request('/api/tenantB/config/auth', a)));
    expect([mismatch.status, mismatch.error]).toEqual([403, 'forbidden']);
    expect(mismatch.message).toMatch(/token is tenant tenantA's and the path is tenant tenantB's/);
    expect((await refusal(contextFor(request('/tenants/tenantB/orders', a)))).status).toBe(403);
    const none = await hsToken({ roles: ['platform-admin'] });
    const noTenant = await refusal(contextFor(request('/api/tenantB/config/auth', none)));
    expect([noTenant.status, noTenant.message]).toEqual([403, expect.stringMatching(/names no tenant/) as unknown]);
    const plain = await hsToken({});
    expect((await refusal(contextFor(request('/orders', plain)))).status).toBe(403);
  });

  it('a "#" never becomes a scope: 403 in a claim, 400 in the path, header or capsule', async () => {
    const { contextFor } = setup();
    const injected = await hsToken({ tenant_id: 'acme#CAPSULE#dev' });
    expect((await refusal(contextFor(request('/orders', injected)))).status).toBe(403);
    const capsuleClaim = await hsToken({ tenant_id: 'acme', capsule_id: 'dev#x' });
    expect((await refusal(contextFor(request('/orders', capsuleClaim)))).status).toBe(403);
    const ok = await hsToken({ tenant_id: 'acme' });
    expect((await refusal(contextFor(request('/api/acme%23x/config', ok)))).status).toBe(400);
    expect((await refusal(contextFor(request('/api/acme/capsules/dev%23x/config', ok)))).status).toBe(400);
    expect((await refusal(contextFor(request('/orders', ok, { 'x-capsule-id': 'dev#x' })))).status).toBe(400);
    expect((await refusal(contextFor(request('/api/%E0%A4%A/config', ok)))).status).toBe(400);
  });

  it('derives the scope (path capsule, then x-capsule-id, then the claim), principal and guarded clients', async () => {
    const { contextFor } = setup();
    const token = await hsToken({ tenant_id: 'acme', roles: ['tenant-admin', 'viewer'] });
    const fromPath = await contextFor(request('/api/acme/capsules/dev/config/auth', token, { 'x-capsule-id': 'prod' }));
    expect(fromPath.kind).toBe('tenant');
    expect(fromPath.scope).toEqual({ tenantId: 'acme', capsuleId: 'dev' });
    expect(fromPath.principal).toEqual({ subject: 'user-1', roles: ['tenant-admin', 'viewer'], tenantId: 'acme', capsuleId: undefined, platformAdmin: false, tenantAdmin: true });
    if (fromPath.kind !== 'tenant') throw new Error('expected a tenant context');
    expect(fromPath.clients).toBe(aws.capsule('acme', 'dev'));
    expect(fromPath.clients.keyPrefix).toBe('TENANT#acme#CAPSULE#dev#');

    const fromHeader = await contextFor(request('/orders', token, { 'x-capsule-id': 'prod' }));
    expect(fromHeader.scope).toEqual({ tenantId: 'acme', capsuleId: 'prod' });
    const tenantOnly = (await contextFor(request('/orders', token))) as IsolationContext & { kind: 'tenant' };
    expect(tenantOnly.scope).toEqual({ tenantId: 'acme' });
    expect(tenantOnly.clients.keyPrefix).toBe('TENANT#acme#');

    const bound = await hsToken({ tenant_id: 'acme', capsule_id: 'dev', roles: 'viewer editor' });
    const fromClaim = await contextFor(request('/orders', bound));
    expect(fromClaim.scope).toEqual({ tenantId: 'acme', capsuleId: 'dev' });
    expect(fromClaim.principal).toMatchObject({ roles: ['viewer', 'editor'], tenantId: 'acme', capsuleId: 'dev' });
    // a token bound to a capsule acts on that capsule only
    expect((await refusal(contextFor(request('/api/acme/capsules/prod/config/auth', bound)))).status).toBe(403);
  });

  it('custom claim names and capsuleFrom; issuer and audience checks disabled explicitly', async () => {
    const config = createConfigService({ schema, env: {}, store: memoryConfigStore() });
    const contextFor = createRequestContext({
      verify: { secret: new TextEncoder().encode(SECRET), issuer: false, audience: false },
      claims: { tenant: 'org', capsule: 'env', roles: 'groups' },
      capsuleFrom: (req) => new URL(req.url).searchParams.get('env') ?? undefined,
      config,
      aws,
    });
    const token = await new SignJWT({ org: 'acme', groups: ['tenant-admin', 'platform-admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('ops').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
    const context = await contextFor(request('/orders?env=stage', token));
    expect(context.scope).toEqual({ tenantId: 'acme', capsuleId: 'stage' });
    // a token bound to a tenant is that tenant's, whatever roles it lists
    expect(context.principal).toMatchObject({ tenantId: 'acme', platformAdmin: false, tenantAdmin: true });
  });

  it('config resolves for the derived scope (seeds: platform 3600, tenant 7200, dev 300)', async () => {
    const { config, contextFor } = setup();
    await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 3600 });
    await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { jwtExpirationSeconds: 7200 });
    await config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth', { jwtExpirationSeconds: 300 });
    const token = await hsToken({ tenant_id: 'acme' });
    expect(await (await contextFor(request('/api/acme/capsules/dev/x', token))).config('auth')).toEqual({ jwtExpirationSeconds: 300 });
    expect(await (await contextFor(request('/api/acme/capsules/prod/x', token))).config('auth')).toEqual({ jwtExpirationSeconds: 7200 });
    const globex = await hsToken({ tenant_id: 'globex' });
    expect(await (await contextFor(request('/api/globex/capsules/dev/x', globex))).config('auth')).toEqual({ jwtExpirationSeconds: 3600 });
  });

  it('a platform admin without a tenant gets a platform context (platform config, no clients)', async () => {
    const { config, contextFor } = setup();
    await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 1800 });
    const context = await contextFor(request('/api/platform/config/auth', await hsToken({ roles: ['platform-admin'] })));
    expect(context.kind).toBe('platform');
    expect(context.scope).toEqual({ kind: 'platform' });
    expect('clients' in context).toBe(false);
    expect(await context.config('auth')).toEqual({ jwtExpirationSeconds: 1800 });
  });
});

describe('createRequestContext with RS256 tokens against a JWKS served by node:http on 127.0.0.1', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: PrivateKey;
  let jwksRequests = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const rsToken = (claims: Record<string, unknown>, key: PrivateKey, kid = 'key-1'): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setSubject('user-2').setIssuer('https://issuer.test').setAudience('isolation').setExpirationTime('5m').sign(key);

  it('verifies a token signed by the published key, refuses others and HS256 tokens', async () => {
    const config = createConfigService({ schema, env: {}, store: memoryConfigStore() });
    const contextFor = createRequestContext({ verify: { jwksUrl, issuer: 'https://issuer.test', audience: 'isolation' }, config, aws });
    const context = await contextFor(request('/api/acme/capsules/dev/x', await rsToken({ tenant_id: 'acme', roles: ['tenant-admin'] }, privateKey)));
    expect(context.scope).toEqual({ tenantId: 'acme', capsuleId: 'dev' });
    expect(context.principal).toMatchObject({ subject: 'user-2', tenantAdmin: true });
    expect(jwksRequests).toBeGreaterThan(0);

    const other = await generateKeyPair('RS256');
    const wrongKey = await refusal(contextFor(request('/api/acme/x', await rsToken({ tenant_id: 'acme' }, other.privateKey))));
    expect([wrongKey.status, wrongKey.message]).toEqual([401, expect.stringMatching(/signature does not verify/) as unknown]);
    const unknownKid = await refusal(contextFor(request('/api/acme/x', await rsToken({ tenant_id: 'acme' }, other.privateKey, 'key-2'))));
    expect(unknownKid.status).toBe(401);
    const hs = await refusal(contextFor(request('/api/acme/x', await hsToken({ tenant_id: 'acme' }))));
    expect(hs.status).toBe(401);
    const mismatch = await refusal(contextFor(request('/api/globex/x', await rsToken({ tenant_id: 'acme' }, privateKey))));
    expect(mismatch.status).toBe(403);
  });
});
