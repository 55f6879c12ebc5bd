/**
 * The configuration service over `dynamoConfigStore` against dynalite (in-process DynamoDB) through
 * the real AWS SDK, via the client factory's platform scope: item layout, resolution, and a store
 * that goes away mid-test.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientFactory } from '../src/aws/index.js';
import { ConfigStoreError, configOverrideKey, createConfigService, defineSchema, dynamoConfigStore, field } from '../src/config/index.js';
import { documentClient, lowLevelClient, startPlatformStore, type LocalDynamo } from './support/dynamo.js';

const schema = defineSchema({
  auth: {
    jwtExpirationSeconds: field.integer({ min: 60, max: 86_400, default: 3600 }),
    refreshTokenTtlSeconds: field.integer({ min: 300, max: 30 * 86_400, default: 14 * 86_400 }),
    enableSes: field.boolean({ default: false }),
  },
});

let dynamo: LocalDynamo;
let aws: ClientFactory;
let table: string;

beforeAll(async () => {
  ({ dynamo, aws, table } = await startPlatformStore());
}, 60_000);

afterAll(async () => {
  aws.destroy();
  await dynamo.stop().catch(() => undefined);
});

describe('dynamoConfigStore against dynalite through the factory platform scope', () => {
  it('refuses a tenant scope', () => {
    expect(() => dynamoConfigStore(aws.tenant('acme'), 'platform_data')).toThrow(/platform\(\) scope/);
  });

  it('keys: CONFIG#{section} / LEVEL#platform|TENANT#t|TENANT#t#CAPSULE#c; ids are validated', () => {
    expect(configOverrideKey({ kind: 'platform' }, 'auth')).toEqual({ pk: 'CONFIG#auth', sk: 'LEVEL#platform' });
    expect(configOverrideKey({ kind: 'tenant', tenantId: 'acme' as never }, 'auth')).toEqual({ pk: 'CONFIG#auth', sk: 'LEVEL#TENANT#acme' });
    expect(configOverrideKey({ kind: 'capsule', tenantId: 'acme' as never, capsuleId: 'dev' as never }, 'auth')).toEqual({ pk: 'CONFIG#auth', sk: 'LEVEL#TENANT#acme#CAPSULE#dev' });
    expect(() => configOverrideKey({ kind: 'tenant', tenantId: 'acme#CAPSULE#dev' as never }, 'auth')).toThrow(/key delimiter/);
    expect(() => configOverrideKey({ kind: 'platform' }, 'a#b')).toThrow(/key delimiter/);
  });

  it('the seeds table resolves through DynamoDB, items as documented', async () => {
    const config = createConfigService({ schema, env: {}, store: dynamoConfigStore(aws.platform(), 'platform_data') });
    await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 3600 });
    await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { jwtExpirationSeconds: 7200, enableSes: true });
    await config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth', { jwtExpirationSeconds: 300 });

    const dev = await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth');
    expect(dev.values).toEqual({ jwtExpirationSeconds: 300, refreshTokenTtlSeconds: 14 * 86_400, enableSes: true });
    expect(dev.source).toEqual({ jwtExpirationSeconds: 'capsule', refreshTokenTtlSeconds: 'platform', enableSes: 'tenant' });
    const prod = await config.resolve(aws.capsule('acme', 'prod').description, 'auth');
    expect([prod.values.jwtExpirationSeconds, prod.source.jwtExpirationSeconds]).toEqual([7200, 'tenant']);
    const other = await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth');
    expect([other.values.jwtExpirationSeconds, other.source.jwtExpirationSeconds]).toEqual([3600, 'platform']);

    const raw = documentClient(lowLevelClient(dynamo.endpoint));
    const { Item } = await raw.send(new GetCommand({ TableName: table, Key: { pk: 'CONFIG#auth', sk: 'LEVEL#TENANT#acme#CAPSULE#dev' } }));
    expect(Item).toMatchObject({ section: 'auth', level: 'TENANT#acme#CAPSULE#dev', values: { jwtExpirationSeconds: 300 } });
    raw.destroy();

    // merge on set, delete, reset through DynamoDB
    await config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth', { refreshTokenTtlSeconds: 600 });
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values).toMatchObject({ jwtExpirationSeconds: 300, refreshTokenTtlSeconds: 600 });
    await config.delete({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth');
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);
    await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 1800 });
    expect((await config.resolve({ tenantId: 'globex' }, 'auth')).values.jwtExpirationSeconds).toBe(1800);
    await config.reset('auth');
    expect((await config.resolve({ tenantId: 'globex' }, 'auth')).values.jwtExpirationSeconds).toBe(3600);
    // preview saves nothing
    const preview = await config.preview({ tenantId: 'globex', capsuleId: 'dev' }, 'auth', { enableSes: true });
    expect([preview.values.enableSes, preview.source.enableSes]).toEqual([true, 'capsule']);
    config.clearCache();
    expect((await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth')).values.enableSes).toBe(false);
  });

  it('merge is one atomic update per call: concurrent merges of different fields, creating the item or not, all land', async () => {
    const store = dynamoConfigStore(aws.platform(), 'platform_data');
    const level = { kind: 'tenant', tenantId: 'merging' } as const;
    const valid = { kind: 'tenant', tenantId: 'merging' as never } as const;
    const raw = documentClient(lowLevelClient(dynamo.endpoint));
    try {
      for (let round = 0; round < 10; round += 1) {
        if (round % 2 === 0) await store.delete(valid, 'auth');
        const fields = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`field${index}`, round * 10 + index]));
        await Promise.all(Object.entries(fields).map(([name, value]) => store.merge(valid, 'auth', { [name]: value })));
        expect(await store.get(valid, 'auth')).toEqual(fields);
      }
      const { Item } = await raw.send(new GetCommand({ TableName: table, Key: configOverrideKey(level as never, 'auth'), ConsistentRead: true }));
      expect(Item).toMatchObject({ section: 'auth', level: 'TENANT#merging', updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown });
    } finally {
      await store.delete(valid, 'auth');
      raw.destroy();
    }
  });

  it('with dynalite stopped: the last good value within the bound, then a clear ConfigStoreError', async () => {
    let time = 0;
    const config = createConfigService({ schema, env: {}, store: dynamoConfigStore(aws.platform(), 'platform_data'), cache: { ttlMs: 1000, staleOnErrorMs: 500, now: () => time } });
    await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { jwtExpirationSeconds: 7200 });
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);

    await dynamo.stop();
    time = 1100;
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);
    time = 1600;
    const error = await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth').then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigStoreError);
    expect(error).toMatchObject({ section: 'auth', scope: 'capsule acme/dev' });
    expect((error as Error).message).toMatch(/^config section "auth" of capsule acme\/dev cannot be read: the store read failed and the last good value/);
    expect((error as ConfigStoreError).cause).toBeInstanceOf(Error);
  });
});
