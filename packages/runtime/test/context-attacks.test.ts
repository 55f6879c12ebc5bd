/**
 * Regression tests for the adversarial review of the request context and the configuration API:
 * each attack is replayed against a real Express 5 server on 127.0.0.1 whose configuration store
 * is dynalite (through the factory's platform scope and `dynamoConfigStore`). Requests go out with
 * node:http so paths reach the server exactly as written (no WHATWG normalisation on the way).
 */
import { isDeepStrictEqual } from 'node:util';
import { GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import express from 'express';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../src/aws/index.js';
import { configOverrideKey, createConfigService, defineSchema, dynamoConfigStore, field, type ConfigCacheOptions, type ConfigService } from '../src/config/index.js';
import { configRoutes, contextOf, isolationContext, paramMustMatchContext } from '../src/context/express.js';
import type { RequestContextOptions } from '../src/context/index.js';
import { tenantId } from '../src/ids.js';
import { countingReads } from './support/config-store.js';
import { documentClient, lowLevelClient, startPlatformStore, type LocalDynamo } from './support/dynamo.js';
import { listen, rawRequest, type RawResponse, type RunningServer } from './support/http.js';

const SECRET = 'attack-test-secret-of-more-than-32-bytes!';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'isolation-api';
const VERIFY = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };

const schema = defineSchema({
  auth: {
    jwtExpirationSeconds: field.integer({ min: 60, max: 86_400, default: 3600 }),
    refreshTokenTtlSeconds: field.integer({ min: 300, max: 30 * 86_400, default: 14 * 86_400 }),
    enableSes: field.boolean({ default: false }),
    mfaRequired: field.boolean({ default: false }),
  },
});
type Schema = typeof schema;

let dynamo: LocalDynamo;
let aws: ClientFactory;
let table: string;
let raw: DynamoDBDocumentClient;

beforeAll(async () => {
  ({ dynamo, aws, table } = await startPlatformStore());
  raw = documentClient(lowLevelClient(dynamo.endpoint));
}, 60_000);

afterAll(async () => {
  raw?.destroy();
  aws?.destroy();
  await dynamo?.stop().catch(() => undefined);
});

interface SignOptions {
  /** Seconds from now; null: no `exp`. Default 300. */
  readonly expiresIn?: number | null;
  /** Seconds from now (negative: the past); null: no `iat`. Default 0. */
  readonly issuedAt?: number | null;
  readonly subject?: string | null;
}

async function sign(claims: Record<string, unknown>, options: SignOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE);
  if (options.subject !== null) jwt = jwt.setSubject(options.subject ?? 'user-1');
  if (options.expiresIn !== null) jwt = jwt.setExpirationTime(now + (options.expiresIn ?? 300));
  if (options.issuedAt !== null) jwt = jwt.setIssuedAt(now + (options.issuedAt ?? 0));
  return jwt.sign(new TextEncoder().encode(SECRET));
}

const makeConfig = (store = dynamoConfigStore(aws.platform(), 'platform_data'), cache?: ConfigCacheOptions) => createConfigService({ schema, env: {}, store, cache });

/** Every config item of the table, read directly (no service, no cache). */
async function snapshot(): Promise<unknown[]> {
  const { Items = [] } = await raw.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return Items.map(({ pk, sk, values }) => ({ pk, sk, values })).sort((a, b) => (`${String(a.pk)}|${String(a.sk)}` < `${String(b.pk)}|${String(b.sk)}` ? -1 : 1));
}

async function emptyTable(config: ConfigService<Schema>): Promise<void> {
  for (const item of (await raw.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? []) {
    const level = String(item['level']);
    const [, tenant, , capsule] = level.split('#');
    await config.delete(level === 'platform' ? { kind: 'platform' } : capsule !== undefined ? { kind: 'capsule', tenantId: tenant!, capsuleId: capsule } : { kind: 'tenant', tenantId: tenant! }, 'auth');
  }
  config.clearCache();
}

interface App {
  readonly server: RunningServer;
  readonly config: ConfigService<Schema>;
  /** Tenant ids that app routes received in `req.params.tenantId`, with the context's tenant. */
  readonly reached: { readonly param: string | undefined; readonly context: string | undefined }[];
}

/** An app as the README shows it: the context middleware, app routes under /tenants, the config API under /api. */
async function startApp(options: { readonly config?: ConfigService<Schema>; readonly context?: Partial<RequestContextOptions<Schema>> } = {}): Promise<App> {
  const config = options.config ?? makeConfig();
  const reached: App['reached'] = [];
  const app = express();
  app.use(isolationContext({ verify: VERIFY, config, aws, ...options.context }));
  app.get('/settings', async (req, res) => {
    const context = contextOf<Schema>(req);
    res.json({ scope: context.scope, auth: await context.config('auth') });
  });
  const record: express.RequestHandler = (req, res) => {
    const context = contextOf(req);
    const param = req.params['tenantId'];
    reached.push({ param: typeof param === 'string' ? param : JSON.stringify(param), context: context.kind === 'tenant' ? context.scope.tenantId : undefined });
    res.json({ param });
  };
  app.get('/tenants/:tenantId/accounts/:accountId', record);
  app.all('/tenants/:tenantId/{*rest}', record);
  app.use('/api', configRoutes({ config }));
  return { server: await listen(app), config, reached };
}

function expectJsonError(response: RawResponse, status: number, error: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.type).toMatch(/application\/json/);
  expect(response.json?.['error'], response.text).toBe(error);
  expect(typeof response.json?.['message']).toBe('string');
}

describe('finding 1: a token bound to a capsule acts on that capsule only', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.server.close());
  beforeEach(() => emptyTable(app.config));

  it('a capsule-bound tenant admin cannot PUT, DELETE or GET tenant-level config; the store is unchanged', async () => {
    const acmeAdmin = await sign({ tenant_id: 'acme', roles: ['tenant-admin'] });
    const devAdmin = await sign({ tenant_id: 'acme', capsule_id: 'DEV', roles: ['tenant-admin'] });
    expect((await rawRequest(app.server, 'PUT', '/api/acme/config/auth', { bearer: acmeAdmin, body: { jwtExpirationSeconds: 7200 } })).status).toBe(200);
    const before = await snapshot();
    expect(before).toEqual([{ pk: 'CONFIG#auth', sk: 'LEVEL#TENANT#acme', values: { jwtExpirationSeconds: 7200 } }]);

    // its own capsule: allowed; another capsule: refused (as before the fix)
    expect((await rawRequest(app.server, 'PUT', '/api/acme/capsules/PROD/config/auth', { bearer: devAdmin, body: { jwtExpirationSeconds: 60 } })).status).toBe(403);
    expect(await snapshot()).toEqual(before);

    for (const [method, body] of [['PUT', { jwtExpirationSeconds: 60 }], ['DELETE', undefined], ['GET', undefined]] as const) {
      const response = await rawRequest(app.server, method, '/api/acme/config/auth', { bearer: devAdmin, ...(body === undefined ? {} : { body }) });
      expectJsonError(response, 403, 'forbidden');
      expect(response.json?.['message']).toMatch(/bound to capsule DEV/);
      expect(await snapshot()).toEqual(before);
    }
    // what PROD inherits is still the tenant's 7200
    const prod = await rawRequest(app.server, 'GET', '/api/acme/capsules/PROD/config/auth', { bearer: acmeAdmin });
    expect(prod.json).toMatchObject({ values: { jwtExpirationSeconds: 7200 }, source: { jwtExpirationSeconds: 'tenant' } });

    const own = await rawRequest(app.server, 'PUT', '/api/acme/capsules/DEV/config/auth', { bearer: devAdmin, body: { jwtExpirationSeconds: 300 } });
    expect(own.json).toMatchObject({ values: { jwtExpirationSeconds: 300 }, source: { jwtExpirationSeconds: 'capsule' } });
  });

  it('platform routes refuse tokens bound to a capsule or a tenant, whatever their roles', async () => {
    const bound = [
      await sign({ tenant_id: 'acme', capsule_id: 'DEV', roles: ['tenant-admin', 'platform-admin'] }),
      await sign({ capsule_id: 'DEV', roles: ['platform-admin'] }),
      await sign({ tenant_id: 'acme', roles: ['platform-admin'] }),
    ];
    for (const bearer of bound) {
      for (const [method, path, body] of [
        ['PUT', '/api/platform/config/auth', { jwtExpirationSeconds: 60 }],
        ['POST', '/api/platform/config/auth/reset', undefined],
        ['GET', '/api/platform/config/auth', undefined],
      ] as const) {
        const response = await rawRequest(app.server, method, path, { bearer, ...(body === undefined ? {} : { body }) });
        expectJsonError(response, 403, 'forbidden');
      }
    }
    expect(await snapshot()).toEqual([]);
    const platformAdmin = await sign({ roles: ['platform-admin'] });
    expect((await rawRequest(app.server, 'PUT', '/api/platform/config/auth', { bearer: platformAdmin, body: { jwtExpirationSeconds: 1800 } })).status).toBe(200);
    expect(await snapshot()).toEqual([{ pk: 'CONFIG#auth', sk: 'LEVEL#platform', values: { jwtExpirationSeconds: 1800 } }]);
  });
});

describe('finding 2: the path tenant is compared the way the router matches it', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.server.close());

  it("case variants, encoded dot segments and backslashes never reach a handler with another tenant's id", async () => {
    const acme = await sign({ tenant_id: 'acme', roles: ['tenant-admin'] });
    const attacks: [string, number, string][] = [
      ['/TENANTS/globex/accounts/1', 403, 'forbidden'],
      ['/Tenants/globex/accounts/1', 403, 'forbidden'],
      ['/tenants/globex/%2e%2e/%2e%2e', 400, 'bad_request'],
      ['/tenants/globex/%2E%2e/x', 400, 'bad_request'],
      ['/tenants/globex/accounts/.%2E', 400, 'bad_request'],
      ['/tenants/globex/accounts/1\\..\\..\\..\\..', 400, 'bad_request'],
      ['/tenants/globex/./x', 400, 'bad_request'],
      ['/API/globex/config/auth', 403, 'forbidden'],
      // Express's fallback parser (url.parse, on a '#' or an absolute-form target) reads '\\' as '/'
      ['/tenants\\globex\\accounts\\1#x', 400, 'bad_request'],
      ['http://app.test/tenants\\globex/accounts/1', 400, 'bad_request'],
      // absolute-form targets route on their path
      ['http://app.test/TENANTS/globex/accounts/1', 403, 'forbidden'],
      ['HTTP://app.test/Api/globex/config/auth?x=1', 403, 'forbidden'],
    ];
    for (const [path, status, error] of attacks) {
      const response = await rawRequest(app.server, 'GET', path, { bearer: acme });
      expect([path, response.status, response.json?.['error']]).toEqual([path, status, error]);
    }
    expect(app.reached.filter(({ param }) => param !== 'acme')).toEqual([]);
    // the legitimate paths still work
    expect((await rawRequest(app.server, 'GET', '/tenants/acme/accounts/1', { bearer: acme })).status).toBe(200);
    expect((await rawRequest(app.server, 'GET', '/TENANTS/acme/accounts/1', { bearer: acme })).status).toBe(200);
    expect(app.reached).toEqual([{ param: 'acme', context: 'acme' }, { param: 'acme', context: 'acme' }]);
  });

  it('paramMustMatchContext refuses route parameters that are not the context’s tenant or capsule', async () => {
    const other = express();
    other.use(isolationContext({ verify: VERIFY, config: makeConfig(), aws }));
    other.param('tenantId', paramMustMatchContext('tenant'));
    other.param('capsuleId', paramMustMatchContext('capsule'));
    const seen: string[] = [];
    other.get('/orgs/:tenantId/envs/:capsuleId/items', (req, res) => {
      seen.push(`${String(req.params['tenantId'])}/${String(req.params['capsuleId'])}`);
      res.json({ ok: true });
    });
    const server = await listen(other);
    try {
      const acme = await sign({ tenant_id: 'acme', roles: ['viewer'] });
      const wrongTenant = await rawRequest(server, 'GET', '/orgs/globex/envs/dev/items', { bearer: acme, headers: { 'x-capsule-id': 'dev' } });
      expectJsonError(wrongTenant, 403, 'forbidden');
      expect(wrongTenant.json?.['message']).toMatch(/route parameter tenantId is "globex".*context is tenant acme/);
      const wrongCapsule = await rawRequest(server, 'GET', '/orgs/acme/envs/prod/items', { bearer: acme, headers: { 'x-capsule-id': 'dev' } });
      expectJsonError(wrongCapsule, 403, 'forbidden');
      expect((await rawRequest(server, 'GET', '/orgs/acme/envs/dev/items', { bearer: acme, headers: { 'x-capsule-id': 'dev' } })).status).toBe(200);
      expect(seen).toEqual(['acme/dev']);
    } finally {
      await server.close();
    }
  });
});

describe('finding 8: concurrent writes of different fields all survive', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.server.close());
  beforeEach(() => emptyTable(app.config));

  it('20 rounds of four concurrent PUTs, one field each, over HTTP: every round keeps all four fields', async () => {
    const admin = await sign({ tenant_id: 'acme', roles: ['tenant-admin'] });
    const key = configOverrideKey({ kind: 'tenant', tenantId: tenantId('acme') }, 'auth');
    const lost: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      // every other round starts from no item, so creating the item races too
      if (round % 2 === 0) expect((await rawRequest(app.server, 'DELETE', '/api/acme/config/auth', { bearer: admin })).status).toBe(200);
      const bodies = [{ jwtExpirationSeconds: 600 + round }, { refreshTokenTtlSeconds: 3600 + round }, { enableSes: round % 2 === 0 }, { mfaRequired: round % 3 === 0 }];
      const responses = await Promise.all(bodies.map((body) => rawRequest(app.server, 'PUT', '/api/acme/config/auth', { bearer: admin, body })));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      const { Item } = await raw.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
      if (!isDeepStrictEqual(Item?.['values'], Object.assign({}, ...bodies))) lost.push(round);
    }
    expect(lost).toEqual([]);
  });
});

describe('finding 9: token claims and verification options', () => {
  let app: App;
  let aged: App;
  beforeAll(async () => {
    app = await startApp();
    aged = await startApp({ context: { verify: { ...VERIFY, maxTokenAge: 60 } } });
  });
  afterAll(async () => {
    await app?.server.close();
    await aged?.server.close();
  });

  it('401 for a token without exp or sub, issued in the future, older than maxTokenAge, or without iat when maxTokenAge is set', async () => {
    const claims = { tenant_id: 'acme', roles: ['viewer'] };
    const cases: [App, string, RegExp][] = [
      [app, await sign(claims, { expiresIn: null }), /"exp" claim/],
      [app, await sign(claims, { subject: null }), /"sub" claim/],
      [app, await sign(claims, { issuedAt: 600 }), /issued in the future/],
      [aged, await sign(claims, { issuedAt: -600, expiresIn: 3600 }), /older than maxTokenAge/],
      [aged, await sign(claims, { issuedAt: null }), /"iat" claim/],
    ];
    for (const [target, bearer, message] of cases) {
      const response = await rawRequest(target.server, 'GET', '/settings', { bearer });
      expectJsonError(response, 401, 'unauthorized');
      expect(response.json?.['message']).toMatch(message);
    }
    // within the clock tolerance (30 s) a slightly early iat is fine; a fresh token passes maxTokenAge
    expect((await rawRequest(app.server, 'GET', '/settings', { bearer: await sign(claims, { issuedAt: 5 }) })).status).toBe(200);
    expect((await rawRequest(aged.server, 'GET', '/settings', { bearer: await sign(claims) })).status).toBe(200);
  });

  it('refuses at start-up: HS256 secrets under 32 bytes; no issuer or audience unless disabled with false', async () => {
    const config = makeConfig();
    expect(() => isolationContext({ verify: { ...VERIFY, secret: 'short-secret' }, config, aws })).toThrow(/at least 32 bytes.*found 12/);
    expect(() => isolationContext({ verify: { ...VERIFY, secret: new Uint8Array(31) }, config, aws })).toThrow(/at least 32 bytes/);
    // @ts-expect-error: issuer is required
    expect(() => isolationContext({ verify: { secret: SECRET, audience: AUDIENCE }, config, aws })).toThrow(/verify\.issuer.*issuer: false/);
    // @ts-expect-error: audience is required
    expect(() => isolationContext({ verify: { secret: SECRET, issuer: ISSUER }, config, aws })).toThrow(/verify\.audience.*audience: false/);
    expect(() => isolationContext({ verify: { ...VERIFY, maxTokenAge: -1 }, config, aws })).toThrow(/maxTokenAge/);

    // explicitly disabled: a token of any issuer and audience is accepted
    const open = express();
    open.use(isolationContext({ verify: { secret: SECRET, issuer: false, audience: false }, config, aws }));
    open.get('/settings', (req, res) => res.json(contextOf(req).scope));
    const server = await listen(open);
    try {
      const token = await new SignJWT({ tenant_id: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
      expect((await rawRequest(server, 'GET', '/settings', { bearer: token })).json).toEqual({ tenantId: 'acme' });
    } finally {
      await server.close();
    }
  });
});

describe('finding 12: noisy neighbours', () => {
  const apps: App[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.server.close();
  });

  it("a tenant's writes cost other tenants no store reads", async () => {
    const counted = countingReads(dynamoConfigStore(aws.platform(), 'platform_data'));
    const app = await startApp({ config: makeConfig(counted.store) });
    apps.push(app);
    await emptyTable(app.config);
    const victim = await sign({ tenant_id: 'globex', roles: ['tenant-admin'] });
    const noisy = await sign({ tenant_id: 'acme', roles: ['tenant-admin'] });
    // the noisy tenant writes its own config without pause while the victim reads its own, 200 times
    let writing = true;
    const writes: number[] = [];
    const writer = async (): Promise<void> => {
      for (let round = 0; writing; round += 1) writes.push((await rawRequest(app.server, 'PUT', '/api/acme/config/auth', { bearer: noisy, body: { jwtExpirationSeconds: 60 + round } })).status);
    };
    const writers = Array.from({ length: 4 }, writer);
    try {
      for (let round = 0; round < 200; round += 1) expect((await rawRequest(app.server, 'GET', '/api/globex/capsules/dev/config/auth', { bearer: victim })).status).toBe(200);
    } finally {
      writing = false;
      await Promise.all(writers);
    }
    expect(writes.length).toBeGreaterThan(100);
    expect(writes.every((status) => status === 200)).toBe(true);
    // 200 resolves of globex/dev: one load (platform, tenant, capsule), then cache hits
    expect([counted.readsOf('auth:globex'), counted.readsOf('auth:globex/dev')]).toEqual([1, 1]);
  });

  it("made-up capsule ids in x-capsule-id cannot evict another tenant's cached config", async () => {
    // The review's attack at a tenth of the scale: the default cache (10,000 entries) against
    // 10,000 made-up ids, here a 500-entry cache against 1,000 (config.test.ts runs the defaults).
    const counted = countingReads(dynamoConfigStore(aws.platform(), 'platform_data'));
    const app = await startApp({ config: makeConfig(counted.store, { max: 500, maxPerTenant: 50 }) });
    apps.push(app);
    const victim = await sign({ tenant_id: 'globex', roles: ['viewer'] });
    const attacker = await sign({ tenant_id: 'acme', roles: ['viewer'] });
    expect((await rawRequest(app.server, 'GET', '/settings', { bearer: victim, headers: { 'x-capsule-id': 'prod' } })).status).toBe(200);
    const victimReads = counted.readsOf('auth:globex/prod');
    expect(victimReads).toBe(1);

    const ids = Array.from({ length: 1000 }, (_, index) => `made-up-${index}`);
    for (let at = 0; at < ids.length; at += 50) {
      const responses = await Promise.all(ids.slice(at, at + 50).map((id) => rawRequest(app.server, 'GET', '/settings', { bearer: attacker, headers: { 'x-capsule-id': id } })));
      expect(responses.filter((response) => response.status !== 200).map((response) => response.text)).toEqual([]);
    }
    expect((await rawRequest(app.server, 'GET', '/settings', { bearer: victim, headers: { 'x-capsule-id': 'prod' } })).json).toMatchObject({ scope: { tenantId: 'globex', capsuleId: 'prod' } });
    expect(counted.readsOf('auth:globex/prod')).toBe(victimReads);
    expect(app.config.cacheSize()).toBeLessThanOrEqual(50 + 1);
  }, 60_000);

  it('with capsules(tenantId), unknown capsule ids are refused before any config is resolved or cached', async () => {
    const calls: string[] = [];
    const capsules = (tenant: string): Promise<readonly string[]> => {
      calls.push(tenant);
      return Promise.resolve(tenant === 'acme' ? ['DEV', 'PROD'] : ['dev']);
    };
    const app = await startApp({ context: { capsules } });
    apps.push(app);
    const attacker = await sign({ tenant_id: 'acme', roles: ['viewer'] });
    for (let index = 0; index < 100; index += 1) {
      const response = await rawRequest(app.server, 'GET', '/settings', { bearer: attacker, headers: { 'x-capsule-id': `made-up-${index}` } });
      expectJsonError(response, 403, 'forbidden');
      expect(response.json?.['message']).toMatch(/tenant acme has no capsule "made-up-\d+".*DEV, PROD/);
    }
    expect(app.config.cacheSize()).toBe(0);
    expect((await rawRequest(app.server, 'GET', '/tenants/acme/capsules/nope/x', { bearer: attacker })).status).toBe(403);
    const boundToUnknown = await sign({ tenant_id: 'acme', capsule_id: 'GONE', roles: ['viewer'] });
    expect((await rawRequest(app.server, 'GET', '/settings', { bearer: boundToUnknown })).status).toBe(403);
    expect((await rawRequest(app.server, 'GET', '/settings', { bearer: attacker, headers: { 'x-capsule-id': 'DEV' } })).json).toMatchObject({ scope: { tenantId: 'acme', capsuleId: 'DEV' } });
    // one lookup per tenant while its answer is cached
    expect(calls).toEqual(['acme']);
    expect(app.config.cacheSize()).toBe(1);
  });

  it('a failing capsules(tenantId) answers 503, and is asked again next time', async () => {
    let failing = true;
    const app = await startApp({ context: { capsules: () => (failing ? Promise.reject(new Error('registry down')) : ['DEV']) } });
    apps.push(app);
    const bearer = await sign({ tenant_id: 'acme', roles: ['viewer'] });
    const down = await rawRequest(app.server, 'GET', '/settings', { bearer, headers: { 'x-capsule-id': 'DEV' } });
    expectJsonError(down, 503, 'unavailable');
    expect(down.json?.['message']).toMatch(/capsules of tenant acme cannot be listed: registry down/);
    failing = false;
    expect((await rawRequest(app.server, 'GET', '/settings', { bearer, headers: { 'x-capsule-id': 'DEV' } })).status).toBe(200);
  });
});

describe('config bodies with prototype keys', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app?.server.close());
  beforeEach(() => emptyTable(app.config));

  it('__proto__, constructor and prototype are refused with 400 naming each field; nothing is written', async () => {
    const admin = await sign({ tenant_id: 'acme', roles: ['tenant-admin'] });
    const bodies = ['{"__proto__": {"jwtExpirationSeconds": 60}}', '{"jwtExpirationSeconds": 120, "__proto__": {}}', '{"constructor": {"prototype": {}}}', '{"prototype": 1}'];
    for (const body of bodies) {
      for (const path of ['/api/acme/config/auth', '/api/acme/capsules/dev/config/auth']) {
        const response = await rawRequest(app.server, 'PUT', path, { bearer: admin, body });
        expectJsonError(response, 400, 'validation');
        const fields = response.json?.['fields'] as Record<string, unknown>;
        const key = Object.keys(JSON.parse(body) as object).find((name) => name !== 'jwtExpirationSeconds')!;
        expect(Object.keys(fields)).toEqual([key]);
        expect(Object.getOwnPropertyDescriptor(fields, key)?.value).toMatch(/unknown field; known fields of auth: jwtExpirationSeconds, refreshTokenTtlSeconds, enableSes, mfaRequired/);
      }
      const preview = await rawRequest(app.server, 'POST', '/api/acme/capsules/dev/config/auth/preview', { bearer: admin, body });
      expectJsonError(preview, 400, 'validation');
    }
    expect(await snapshot()).toEqual([]);
    expect(({} as Record<string, unknown>)['jwtExpirationSeconds']).toBeUndefined();
  });
});
