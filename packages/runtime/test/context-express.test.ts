/**
 * The Express adapter and the configuration REST API on a real Express server (127.0.0.1, port 0),
 * with the configuration store on dynalite through the client factory's platform scope and
 * `dynamoConfigStore`: every route, the seeds' resolution over HTTP, and refusals (wrong tenant,
 * non-admin, malformed JSON, unknown fields, unknown section) that leave the table unchanged.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import express from 'express';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../src/aws/index.js';
import { createConfigService, defineSchema, dynamoConfigStore, field } from '../src/config/index.js';
import { configRoutes, contextOf, isolationContext } from '../src/context/express.js';
import { documentClient, lowLevelClient, startPlatformStore, type LocalDynamo } from './support/dynamo.js';

const SECRET = 'express-test-secret-of-32-characters!!';
const schema = defineSchema({
  auth: {
    jwtExpirationSeconds: field.integer({ min: 60, max: 86_400, default: 3600 }),
    enableSes: field.boolean({ default: false }),
  },
});

let dynamo: LocalDynamo;
let aws: ClientFactory;
let table: string;
let raw: DynamoDBDocumentClient;
let server: Server;
let base: string;
let config: ReturnType<typeof makeConfig>;

const makeConfig = () => createConfigService({ schema, env: {}, store: dynamoConfigStore(aws.platform(), 'platform_data') });

const VERIFY = { secret: SECRET, issuer: 'https://issuer.test', audience: 'isolation-api' };
const token = (claims: Record<string, unknown>): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user').setIssuer(VERIFY.issuer).setAudience(VERIFY.audience).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));

let platformAdmin: string;
let acmeAdmin: string;
let acmeViewer: string;
let globexAdmin: string;

/** Every item of the table, read directly (no service, no cache). */
async function snapshot(): Promise<unknown[]> {
  const { Items = [] } = await raw.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return Items.map(({ pk, sk, values }) => ({ pk, sk, values })).sort((a, b) => {
    const [x, y] = [`${String(a.pk)}|${String(a.sk)}`, `${String(b.pk)}|${String(b.sk)}`];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

async function call(method: string, path: string, bearer: string | undefined, body?: string | object): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  return { status: response.status, type: response.headers.get('content-type'), json: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  ({ dynamo, aws, table } = await startPlatformStore());
  raw = documentClient(lowLevelClient(dynamo.endpoint));
  config = makeConfig();

  const app = express();
  app.use(isolationContext({ verify: VERIFY, config, aws }));
  app.get('/whoami', (req, res) => {
    const context = contextOf(req);
    res.json({ kind: context.kind, scope: context.scope, principal: context.principal });
  });
  app.use('/api', configRoutes({ config }));
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  platformAdmin = await token({ roles: ['platform-admin'] });
  acmeAdmin = await token({ tenant_id: 'acme', roles: ['tenant-admin'] });
  acmeViewer = await token({ tenant_id: 'acme', roles: ['viewer'] });
  globexAdmin = await token({ tenant_id: 'globex', roles: ['tenant-admin'] });
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  raw?.destroy();
  aws?.destroy();
  await dynamo?.stop().catch(() => undefined);
});

describe('isolationContext middleware', () => {
  it('attaches the context read by contextOf, answers refusals as JSON', async () => {
    const ok = await call('GET', '/whoami', acmeAdmin);
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ kind: 'tenant', scope: { tenantId: 'acme' }, principal: { subject: 'user', roles: ['tenant-admin'], tenantId: 'acme', platformAdmin: false, tenantAdmin: true } });
    const missing = await call('GET', '/whoami', undefined);
    expect([missing.status, missing.type, missing.json['error']]).toEqual([401, expect.stringMatching(/application\/json/) as unknown, 'unauthorized']);
    const bad = await call('GET', '/whoami', 'garbage');
    expect([bad.status, bad.json['error']]).toEqual([401, 'unauthorized']);
  });

  it('contextOf throws a clear error when the middleware did not run', () => {
    expect(() => contextOf({ method: 'GET', originalUrl: '/x' } as express.Request)).toThrow(/isolationContext\(\.\.\.\) middleware did not run/);
  });
});

describe('config REST API over dynalite', () => {
  beforeEach(async () => {
    // each test starts from an empty table and an empty cache
    for (const item of (await raw.send(new ScanCommand({ TableName: table }))).Items ?? []) {
      await config.delete(item['level'] === 'platform' ? { kind: 'platform' } : (item['level'] as string).includes('#CAPSULE#') ? { kind: 'capsule', tenantId: (item['level'] as string).split('#')[1]!, capsuleId: (item['level'] as string).split('#')[3]! } : { kind: 'tenant', tenantId: (item['level'] as string).split('#')[1]! }, item['section'] as 'auth');
    }
    expect(await snapshot()).toEqual([]);
    config.clearCache();
  });

  it('the seeds through HTTP: platform 3600, tenant 7200, dev capsule 300 → dev 300 from capsule, prod 7200 from tenant', async () => {
    expect((await call('PUT', '/api/platform/config/auth', platformAdmin, { jwtExpirationSeconds: 3600 })).status).toBe(200);
    const tenant = await call('PUT', '/api/acme/config/auth', acmeAdmin, { jwtExpirationSeconds: 7200 });
    expect(tenant).toMatchObject({ status: 200, json: { values: { jwtExpirationSeconds: 7200, enableSes: false }, source: { jwtExpirationSeconds: 'tenant', enableSes: 'platform' } } });
    const dev = await call('PUT', '/api/acme/capsules/dev/config/auth', acmeAdmin, { jwtExpirationSeconds: 300 });
    expect(dev.json).toEqual({ values: { jwtExpirationSeconds: 300, enableSes: false }, source: { jwtExpirationSeconds: 'capsule', enableSes: 'platform' } });

    expect((await call('GET', '/api/acme/capsules/dev/config/auth', acmeAdmin)).json).toMatchObject({ values: { jwtExpirationSeconds: 300 }, source: { jwtExpirationSeconds: 'capsule' } });
    expect((await call('GET', '/api/acme/capsules/prod/config/auth', acmeAdmin)).json).toMatchObject({ values: { jwtExpirationSeconds: 7200 }, source: { jwtExpirationSeconds: 'tenant' } });
    expect((await call('GET', '/api/acme/config/auth', acmeAdmin)).json).toMatchObject({ values: { jwtExpirationSeconds: 7200 }, source: { jwtExpirationSeconds: 'tenant' } });
    expect((await call('GET', '/api/platform/config/auth', platformAdmin)).json).toMatchObject({ values: { jwtExpirationSeconds: 3600 }, source: { jwtExpirationSeconds: 'platform' } });
    expect(await snapshot()).toEqual([
      { pk: 'CONFIG#auth', sk: 'LEVEL#TENANT#acme', values: { jwtExpirationSeconds: 7200 } },
      { pk: 'CONFIG#auth', sk: 'LEVEL#TENANT#acme#CAPSULE#dev', values: { jwtExpirationSeconds: 300 } },
      { pk: 'CONFIG#auth', sk: 'LEVEL#platform', values: { jwtExpirationSeconds: 3600 } },
    ]);
  });

  it('PUT merges, DELETE removes a level, preview saves nothing, reset restores the platform defaults', async () => {
    await call('PUT', '/api/platform/config/auth', platformAdmin, { jwtExpirationSeconds: 1800 });
    await call('PUT', '/api/acme/capsules/dev/config/auth', acmeAdmin, { jwtExpirationSeconds: 300 });
    const merged = await call('PUT', '/api/acme/capsules/dev/config/auth', acmeAdmin, { enableSes: true });
    expect(merged.json).toEqual({ values: { jwtExpirationSeconds: 300, enableSes: true }, source: { jwtExpirationSeconds: 'capsule', enableSes: 'capsule' } });

    const before = await snapshot();
    const preview = await call('POST', '/api/acme/capsules/dev/config/auth/preview', acmeAdmin, { jwtExpirationSeconds: 900 });
    expect(preview).toMatchObject({ status: 200, json: { values: { jwtExpirationSeconds: 900, enableSes: true }, source: { jwtExpirationSeconds: 'capsule' } } });
    expect(await snapshot()).toEqual(before);

    const deleted = await call('DELETE', '/api/acme/capsules/dev/config/auth', acmeAdmin);
    expect(deleted).toMatchObject({ status: 200, json: { values: { jwtExpirationSeconds: 1800, enableSes: false }, source: { jwtExpirationSeconds: 'platform' } } });
    await call('PUT', '/api/acme/config/auth', acmeAdmin, { jwtExpirationSeconds: 7200 });
    const tenantDeleted = await call('DELETE', '/api/acme/config/auth', acmeAdmin);
    expect(tenantDeleted.json).toMatchObject({ values: { jwtExpirationSeconds: 1800 } });

    const reset = await call('POST', '/api/platform/config/auth/reset', platformAdmin);
    expect(reset).toMatchObject({ status: 200, json: { values: { jwtExpirationSeconds: 3600 }, source: { jwtExpirationSeconds: 'platform' } } });
    expect(await snapshot()).toEqual([]);
  });

  it('refusals answer JSON with their status and write nothing', async () => {
    await call('PUT', '/api/platform/config/auth', platformAdmin, { jwtExpirationSeconds: 3600 });
    await call('PUT', '/api/acme/config/auth', acmeAdmin, { jwtExpirationSeconds: 7200 });
    await call('PUT', '/api/globex/capsules/dev/config/auth', globexAdmin, { jwtExpirationSeconds: 600 });
    const before = await snapshot();
    expect(before).toHaveLength(3);

    const refusals: [string, string, string | undefined, (string | object)?][] = [
      // tenant A's token on tenant B's paths
      ['PUT', '/api/globex/config/auth', acmeAdmin, { jwtExpirationSeconds: 60 }],
      ['DELETE', '/api/globex/config/auth', acmeAdmin],
      ['PUT', '/api/globex/capsules/dev/config/auth', acmeAdmin, { jwtExpirationSeconds: 60 }],
      ['DELETE', '/api/globex/capsules/dev/config/auth', acmeAdmin],
      ['GET', '/api/globex/capsules/dev/config/auth', acmeAdmin],
      ['POST', '/api/globex/capsules/dev/config/auth/preview', acmeAdmin, {}],
      // non-admins
      ['PUT', '/api/acme/config/auth', acmeViewer, { jwtExpirationSeconds: 60 }],
      ['DELETE', '/api/acme/config/auth', acmeViewer],
      ['GET', '/api/acme/config/auth', acmeViewer],
      ['PUT', '/api/acme/capsules/dev/config/auth', acmeViewer, { jwtExpirationSeconds: 60 }],
      ['PUT', '/api/platform/config/auth', acmeAdmin, { jwtExpirationSeconds: 60 }],
      ['POST', '/api/platform/config/auth/reset', acmeAdmin],
      ['GET', '/api/platform/config/auth', acmeViewer],
      // a platform admin is not an admin of a tenant
      ['PUT', '/api/acme/config/auth', platformAdmin, { jwtExpirationSeconds: 60 }],
    ];
    for (const [method, path, bearer, body] of refusals) {
      const response = await call(method, path, bearer, body);
      expect([method, path, response.status, response.json['error']]).toEqual([method, path, 403, 'forbidden']);
      expect(response.type).toMatch(/application\/json/);
      expect(await snapshot()).toEqual(before);
    }

    const malformed = await call('PUT', '/api/acme/config/auth', acmeAdmin, '{"jwtExpirationSeconds": 60');
    expect([malformed.status, malformed.json['error']]).toEqual([400, 'invalid_json']);
    expect(await snapshot()).toEqual(before);

    const unknownField = await call('PUT', '/api/acme/config/auth', acmeAdmin, { jwtExpirationSeconds: 60, sneaky: true });
    expect(unknownField.status).toBe(400);
    expect(unknownField.json).toMatchObject({ error: 'validation', fields: { sneaky: expect.stringMatching(/unknown field/) as unknown } });
    expect(await snapshot()).toEqual(before);

    const outOfRange = await call('PUT', '/api/acme/capsules/dev/config/auth', acmeAdmin, { jwtExpirationSeconds: 5 });
    expect(outOfRange.json).toMatchObject({ error: 'validation', fields: { jwtExpirationSeconds: expect.any(String) as unknown } });
    const notObject = await call('PUT', '/api/platform/config/auth', platformAdmin, [1, 2]);
    expect([notObject.status, notObject.json['error']]).toEqual([400, 'validation']);
    const noBody = await call('PUT', '/api/acme/config/auth', acmeAdmin);
    expect([noBody.status, noBody.json['error']]).toEqual([400, 'bad_request']);
    const previewInvalid = await call('POST', '/api/acme/capsules/dev/config/auth/preview', acmeAdmin, { nope: 1 });
    expect([previewInvalid.status, previewInvalid.json['error']]).toEqual([400, 'validation']);

    for (const [method, path, bearer] of [
      ['GET', '/api/acme/config/nosuch', acmeAdmin],
      ['PUT', '/api/acme/capsules/dev/config/nosuch', acmeAdmin],
      ['DELETE', '/api/acme/config/nosuch', acmeAdmin],
      ['POST', '/api/platform/config/nosuch/reset', platformAdmin],
    ] as const) {
      const response = await call(method, path, bearer, method === 'PUT' ? { a: 1 } : undefined);
      expect([path, response.status, response.json['error']]).toEqual([path, 404, 'not_found']);
    }

    const injected = await call('PUT', '/api/acme%23CAPSULE%23dev/config/auth', acmeAdmin, { jwtExpirationSeconds: 60 });
    expect(injected.status).toBe(400);
    const anonymous = await call('PUT', '/api/acme/config/auth', undefined, { jwtExpirationSeconds: 60 });
    expect(anonymous.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it('configRoutes can run the context middleware itself', async () => {
    const app = express();
    app.use('/api', configRoutes({ config, context: { verify: VERIFY, config, aws } }));
    const own = app.listen(0, '127.0.0.1');
    await once(own, 'listening');
    try {
      const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}/api/acme/config/auth`;
      expect((await fetch(url, { headers: { authorization: `Bearer ${acmeAdmin}` } })).status).toBe(200);
      expect((await fetch(url, { headers: { authorization: `Bearer ${globexAdmin}` } })).status).toBe(403);
    } finally {
      own.closeAllConnections();
      await new Promise<void>((resolve) => own.close(() => resolve()));
    }
  });
});
