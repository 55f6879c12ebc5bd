/**
 * The configuration service against the in-memory store: layering and per-field sources, preview,
 * environment overrides, validation, cache invalidation precision, shared misses, store faults and
 * tenant isolation of the cache.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigEnvError,
  ConfigStoreError,
  ConfigValidationError,
  createConfigService,
  defineSchema,
  envVariableName,
  field,
  memoryConfigStore,
  type ConfigCacheOptions,
  type ConfigStore,
} from '../src/config/index.js';

const schema = defineSchema({
  auth: {
    jwtExpirationSeconds: field.integer({ min: 60, max: 86_400, default: 3600 }),
    refreshTokenTtlSeconds: field.integer({ min: 300, max: 30 * 86_400, default: 14 * 86_400 }),
    enableSes: field.boolean({ default: false }),
  },
  ui: {
    theme: field.string({ min: 1, max: 20, default: 'light' }),
    ratio: field.number({ min: 0, max: 1, default: 0.5 }),
  },
});

interface Counting extends ConfigStore {
  reads: () => number;
  log: () => readonly string[];
  fail: (error: Error | undefined) => void;
  /** Holds every read until released. */
  hold: () => () => void;
}

/** Wraps a store: counts reads (per level and section), can fail them or hold them. */
function counting(inner: ConfigStore = memoryConfigStore()): Counting {
  const log: string[] = [];
  let failure: Error | undefined;
  let gate: Promise<void> | undefined;
  return {
    async get(level, section) {
      log.push(`${section}:${level.kind === 'platform' ? 'platform' : level.kind === 'tenant' ? level.tenantId : `${level.tenantId}/${level.capsuleId}`}`);
      if (gate !== undefined) await gate;
      if (failure !== undefined) throw failure;
      return inner.get(level, section);
    },
    merge: (level, section, values) => inner.merge(level, section, values),
    delete: (level, section) => inner.delete(level, section),
    reads: () => log.length,
    log: () => [...log],
    fail: (error) => {
      failure = error;
    },
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

function service(options: { store?: ConfigStore; env?: Record<string, string>; cache?: ConfigCacheOptions } = {}) {
  const store = options.store ?? counting();
  return createConfigService({ schema, store, env: options.env ?? {}, cache: options.cache });
}

/** The seeds: platform 3600, tenant acme 7200, capsule acme/dev 300. */
async function seeded(store: ConfigStore = counting()) {
  const config = service({ store });
  await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 3600 });
  await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { jwtExpirationSeconds: 7200 });
  await config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth', { jwtExpirationSeconds: 300 });
  return config;
}

describe('resolution', () => {
  it('the seeds table: the most specific level wins', async () => {
    const config = await seeded();
    const dev = await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth');
    expect([dev.values.jwtExpirationSeconds, dev.source.jwtExpirationSeconds]).toEqual([300, 'capsule']);
    const prod = await config.resolve({ tenantId: 'acme', capsuleId: 'prod' }, 'auth');
    expect([prod.values.jwtExpirationSeconds, prod.source.jwtExpirationSeconds]).toEqual([7200, 'tenant']);
    const other = await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth');
    expect([other.values.jwtExpirationSeconds, other.source.jwtExpirationSeconds]).toEqual([3600, 'platform']);
    const tenantOnly = await config.resolve({ kind: 'tenant', tenantId: 'acme' }, 'auth');
    expect(tenantOnly.values.jwtExpirationSeconds).toBe(7200);
    const platform = await config.resolve({ kind: 'platform' }, 'auth');
    expect(platform.values.jwtExpirationSeconds).toBe(3600);
    const described = await config.resolve({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth');
    expect(described.values.jwtExpirationSeconds).toBe(300);
  });

  it('per-field sources with mixed fields', async () => {
    const config = await seeded();
    await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { enableSes: true });
    await config.set({ kind: 'platform' }, 'auth', { refreshTokenTtlSeconds: 600 });
    const { values, source } = await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth');
    expect(values).toEqual({ jwtExpirationSeconds: 300, refreshTokenTtlSeconds: 600, enableSes: true });
    expect(source).toEqual({ jwtExpirationSeconds: 'capsule', refreshTokenTtlSeconds: 'platform', enableSes: 'tenant' });
    // set merges with the existing override at that level
    const tenant = await config.resolve({ tenantId: 'acme' }, 'auth');
    expect(tenant.values).toEqual({ jwtExpirationSeconds: 7200, refreshTokenTtlSeconds: 600, enableSes: true });
  });

  it('defaults only: every field from the platform; values are typed and frozen', async () => {
    const config = service();
    const { values, source } = await config.resolve({ tenantId: 'acme' }, 'ui');
    const theme: string = values.theme;
    expect(theme).toBe('light');
    expect(source).toEqual({ theme: 'platform', ratio: 'platform' });
    expect(Object.isFrozen(values)).toBe(true);
  });

  it('delete removes one level; reset brings the platform back to defaults', async () => {
    const config = await seeded();
    await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 1800 });
    await config.delete({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth');
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);
    expect((await config.resolve({ tenantId: 'globex' }, 'auth')).values.jwtExpirationSeconds).toBe(1800);
    await config.reset('auth');
    const other = await config.resolve({ tenantId: 'globex' }, 'auth');
    expect([other.values.jwtExpirationSeconds, other.source.jwtExpirationSeconds]).toEqual([3600, 'platform']);
  });

  it('refuses ids that could inject a key delimiter, and unknown sections', async () => {
    const config = service();
    await expect(config.resolve({ tenantId: 'acme#CAPSULE#x' }, 'auth')).rejects.toThrow(/key delimiter/);
    await expect(config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'a#b' }, 'auth', { enableSes: true })).rejects.toThrow(/CapsuleId/);
    await expect(config.resolve({ kind: 'operator', accountId: '123456789012', roleName: 'Ops' }, 'auth')).rejects.toThrow(/platform, tenant or capsule scope/);
    // @ts-expect-error: not a section of the schema
    await expect(config.resolve({ tenantId: 'acme' }, 'billing')).rejects.toThrow(/unknown config section "billing"; known sections: auth, ui/);
  });
});

describe('preview', () => {
  it('shows the override at the most specific level and saves nothing', async () => {
    const store = counting();
    const config = await seeded(store);
    const preview = await config.preview({ tenantId: 'acme', capsuleId: 'prod' }, 'auth', { enableSes: true });
    expect(preview.values).toEqual({ jwtExpirationSeconds: 7200, refreshTokenTtlSeconds: 14 * 86_400, enableSes: true });
    expect(preview.source).toEqual({ jwtExpirationSeconds: 'tenant', refreshTokenTtlSeconds: 'platform', enableSes: 'capsule' });
    const tenantPreview = await config.preview({ tenantId: 'acme' }, 'auth', { jwtExpirationSeconds: 60 });
    expect([tenantPreview.values.jwtExpirationSeconds, tenantPreview.source.jwtExpirationSeconds]).toEqual([60, 'tenant']);
    expect(await store.get({ kind: 'capsule', tenantId: 'acme' as never, capsuleId: 'prod' as never }, 'auth')).toBeUndefined();
    config.clearCache();
    const after = await config.resolve({ tenantId: 'acme', capsuleId: 'prod' }, 'auth');
    expect([after.values.enableSes, after.source.enableSes]).toEqual([false, 'platform']);
    expect((await config.resolve({ tenantId: 'acme' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);
  });

  it('validates the override', async () => {
    const config = service();
    await expect(config.preview({ tenantId: 'acme' }, 'auth', { jwtExpirationSeconds: 5 })).rejects.toBeInstanceOf(ConfigValidationError);
  });
});

describe('environment', () => {
  it('ISOLATION_<SECTION>_<FIELD> overrides schema and code defaults, as the platform', async () => {
    expect(envVariableName('auth', 'jwtExpirationSeconds')).toBe('ISOLATION_AUTH_JWT_EXPIRATION_SECONDS');
    const config = createConfigService({
      schema,
      store: memoryConfigStore(),
      defaults: { auth: { jwtExpirationSeconds: 1200, refreshTokenTtlSeconds: 900 } },
      env: { ISOLATION_AUTH_JWT_EXPIRATION_SECONDS: ' 600 ', ISOLATION_AUTH_ENABLE_SES: 'true', ISOLATION_UI_RATIO: '0.25', ISOLATION_UI_THEME: 'dark' },
    });
    const { values, source } = await config.resolve({ tenantId: 'acme' }, 'auth');
    expect(values).toEqual({ jwtExpirationSeconds: 600, refreshTokenTtlSeconds: 900, enableSes: true });
    expect(source.jwtExpirationSeconds).toBe('platform');
    expect(config.baseline('ui')).toEqual({ theme: 'dark', ratio: 0.25 });
    // a platform override in the store still wins over the environment
    await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 900 });
    expect((await config.resolve({ tenantId: 'acme' }, 'auth')).values.jwtExpirationSeconds).toBe(900);
  });

  it('an invalid variable fails creation naming the variable, the value and what is expected', () => {
    const create = (env: Record<string, string>) => () => createConfigService({ schema, store: memoryConfigStore(), env });
    expect(create({ ISOLATION_AUTH_JWT_EXPIRATION_SECONDS: 'soon' })).toThrow(/ISOLATION_AUTH_JWT_EXPIRATION_SECONDS="soon": expected an integer between 60 and 86400/);
    expect(create({ ISOLATION_AUTH_JWT_EXPIRATION_SECONDS: '10' })).toThrow(/ISOLATION_AUTH_JWT_EXPIRATION_SECONDS="10": expected an integer between 60 and 86400/);
    expect(create({ ISOLATION_AUTH_JWT_EXPIRATION_SECONDS: '60.5' })).toThrow(ConfigEnvError);
    expect(create({ ISOLATION_AUTH_ENABLE_SES: 'yes' })).toThrow(/ISOLATION_AUTH_ENABLE_SES="yes": expected a boolean \(true or false\) or 1\/0/);
    try {
      create({ ISOLATION_AUTH_ENABLE_SES: 'yes', ISOLATION_UI_RATIO: '2' })();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigEnvError);
      expect((error as ConfigEnvError).variables.map((v) => v.variable)).toEqual(['ISOLATION_AUTH_ENABLE_SES', 'ISOLATION_UI_RATIO']);
    }
  });

  it('invalid code defaults and schema defaults are refused', () => {
    // @ts-expect-error: a string where the schema says integer
    expect(() => createConfigService({ schema, store: memoryConfigStore(), env: {}, defaults: { auth: { jwtExpirationSeconds: 'x' } } })).toThrow(ConfigValidationError);
    expect(() => defineSchema({ auth: { ttl: field.integer({ min: 10, default: 5 }) } })).toThrow(/ttl: invalid default: expected an integer ≥ 10, found number 5/);
  });
});

describe('validation on every write', () => {
  it('lists every field problem: type, range, unknown key', async () => {
    const store = counting();
    const config = service({ store });
    // untyped input, as from a request body: a string for a boolean and an unknown key
    const body: Record<string, unknown> = { jwtExpirationSeconds: 10, enableSes: 'yes', refreshTokenTtlSeconds: 1.5, colour: 'red' };
    const attempt = config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', body as never);
    const error = await attempt.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { fields, section } = error as ConfigValidationError;
    expect(section).toBe('auth');
    expect(fields).toEqual({
      jwtExpirationSeconds: 'expected an integer between 60 and 86400, found number 10',
      enableSes: 'expected a boolean (true or false), found string "yes"',
      refreshTokenTtlSeconds: 'expected an integer between 300 and 2592000, found number 1.5',
      colour: 'unknown field; known fields of auth: jwtExpirationSeconds, refreshTokenTtlSeconds, enableSes',
    });
    expect((error as Error).message).toMatch(/jwtExpirationSeconds: expected an integer/);
    expect(await store.get({ kind: 'tenant', tenantId: 'acme' as never }, 'auth')).toBeUndefined();
  });

  it('validates strings, numbers and non-objects', async () => {
    const config = service();
    await expect(config.set({ kind: 'platform' }, 'ui', { theme: '', ratio: Number.NaN })).rejects.toMatchObject({ fields: { theme: 'expected a string 1–20 characters long, found 0 characters', ratio: 'expected a number between 0 and 1, found number NaN' } });
    // @ts-expect-error: not an object
    await expect(config.set({ kind: 'platform' }, 'ui', null)).rejects.toBeInstanceOf(ConfigValidationError);
    await config.set({ kind: 'platform' }, 'ui', { theme: 'dark', ratio: 1 });
    expect((await config.resolve({ tenantId: 'acme' }, 'ui')).values).toEqual({ theme: 'dark', ratio: 1 });
  });

  it('__proto__, constructor and prototype are unknown fields, named in the error; nothing is written, no prototype touched', async () => {
    const store = memoryConfigStore();
    const config = service({ store });
    for (const body of ['{"__proto__": {"jwtExpirationSeconds": 60}}', '{"constructor": {"prototype": {"enableSes": true}}}', '{"prototype": 1, "enableSes": true}']) {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const error = await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', parsed as never).then(() => undefined, (caught: unknown) => caught);
      expect(error, body).toBeInstanceOf(ConfigValidationError);
      const { fields } = error as ConfigValidationError;
      const key = Object.keys(parsed)[0]!;
      expect(Object.keys(fields)).toEqual([key]);
      expect(Object.getOwnPropertyDescriptor(fields, key)?.value).toMatch(/^unknown field; known fields of auth/);
      expect((error as Error).message).toContain(`${key}: unknown field`);
      await expect(config.preview({ tenantId: 'acme' }, 'auth', parsed as never)).rejects.toBeInstanceOf(ConfigValidationError);
    }
    expect(store.size()).toBe(0);
    expect(({} as Record<string, unknown>)['jwtExpirationSeconds']).toBeUndefined();
  });

  it('schemas cannot name a section or field constructor or prototype', () => {
    expect(() => defineSchema({ auth: { constructor: field.integer({ default: 1 }) } })).toThrow(/constructor: reserved field name/);
    expect(() => defineSchema({ prototype: { ttl: field.integer({ default: 1 }) } })).toThrow(/config section name "prototype" is invalid/);
  });

  it('a set with no fields writes nothing', async () => {
    const store = memoryConfigStore();
    await service({ store }).set({ kind: 'tenant', tenantId: 'acme' }, 'auth', {});
    expect(store.size()).toBe(0);
  });

  it('refuses a store without merge, saying why', () => {
    const inner = memoryConfigStore();
    const legacy = { get: inner.get, put: () => Promise.resolve(), delete: inner.delete };
    expect(() => createConfigService({ schema, env: {}, store: legacy as never })).toThrow(/store \{ get, merge, delete \}.*atomically/);
  });

  it('a stored override that does not fit the schema is reported as a store error', async () => {
    const store = memoryConfigStore();
    await store.merge({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 'x' });
    const config = service({ store });
    await expect(config.resolve({ tenantId: 'acme' }, 'auth')).rejects.toThrow(ConfigStoreError);
  });
});

describe('cache', () => {
  it('hits read nothing; writes invalidate exactly the affected entries', async () => {
    const store = counting();
    const config = await seeded(store);
    const scopes = [
      { tenantId: 'acme', capsuleId: 'dev' },
      { tenantId: 'acme', capsuleId: 'prod' },
      { tenantId: 'acme' },
      { tenantId: 'globex', capsuleId: 'dev' },
    ];
    const resolveAll = async (): Promise<number> => {
      const before = store.reads();
      for (const scope of scopes) {
        await config.resolve(scope, 'auth');
        await config.resolve(scope, 'ui');
      }
      return store.reads() - before;
    };
    // cold: capsule scopes read 3 levels, the tenant scope 2, per section
    expect(await resolveAll()).toBe(2 * (3 + 3 + 2 + 3));
    expect(await resolveAll()).toBe(0);
    expect(config.cacheSize()).toBe(8);

    // a capsule write: only that capsule's entry of that section is read again
    await config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth', { enableSes: true });
    let before = store.log().length;
    expect(await resolveAll()).toBe(3);
    expect(store.log().slice(before).sort()).toEqual(['auth:acme', 'auth:acme/dev', 'auth:platform']);
    expect(await resolveAll()).toBe(0);

    // a tenant write: that tenant's entries of that section (dev, prod, tenant-only), not globex, not ui
    await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { enableSes: false });
    before = store.log().length;
    expect(await resolveAll()).toBe(3 + 3 + 2);
    expect(store.log().slice(before).sort()).toEqual(['auth:acme', 'auth:acme', 'auth:acme', 'auth:acme/dev', 'auth:acme/prod', 'auth:platform', 'auth:platform', 'auth:platform']);
    expect(await resolveAll()).toBe(0);

    // a platform write: every entry of that section, no other section
    await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 1000 });
    expect(await resolveAll()).toBe(3 + 3 + 2 + 3);
    expect(await resolveAll()).toBe(0);
    const globex = await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth');
    expect(globex.values.jwtExpirationSeconds).toBe(1000);
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values).toEqual({ jwtExpirationSeconds: 300, refreshTokenTtlSeconds: 14 * 86_400, enableSes: true });
  });

  it('entries expire after the TTL', async () => {
    let time = 0;
    const store = counting();
    const config = service({ store, cache: { ttlMs: 1000, now: () => time } });
    await config.resolve({ tenantId: 'acme' }, 'auth');
    time = 999;
    await config.resolve({ tenantId: 'acme' }, 'auth');
    expect(store.reads()).toBe(2);
    time = 1000;
    await config.resolve({ tenantId: 'acme' }, 'auth');
    expect(store.reads()).toBe(4);
  });

  it('concurrent misses of one key share a single load (one read per level)', async () => {
    const store = counting();
    const config = await seeded(store);
    const before = store.reads();
    const release = store.hold();
    const pending = Array.from({ length: 50 }, () => config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    const results = await Promise.all(pending);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.values.jwtExpirationSeconds).toBe(300);
    expect(store.reads() - before).toBe(3);
  });

  it('a write during a load keeps the load from caching what it read before the write', async () => {
    const store = counting();
    const config = await seeded(store);
    const release = store.hold();
    const pending = config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const writing = config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth', { jwtExpirationSeconds: 120 });
    release();
    await pending;
    await writing;
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(120);
  });

  it('store faults: the last good value within the bound, then a ConfigStoreError naming section, scope and cause', async () => {
    let time = 0;
    const store = counting();
    const config = await (async () => {
      const made = service({ store, cache: { ttlMs: 1000, staleOnErrorMs: 500, now: () => time } });
      await made.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { jwtExpirationSeconds: 7200 });
      return made;
    })();
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);
    store.fail(new Error('connection refused'));
    time = 1200; // expired, within TTL + staleOnErrorMs
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);
    time = 1499;
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);
    time = 1500;
    const error = await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth').then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigStoreError);
    expect(error).toMatchObject({ section: 'auth', scope: 'capsule acme/dev' });
    expect((error as Error).message).toMatch(/config section "auth" of capsule acme\/dev cannot be read: .*older than TTL 1000 ms \+ staleOnErrorMs 500 ms: connection refused/);
    expect((error as ConfigStoreError).cause).toBeInstanceOf(Error);
    // never cached: fails at once
    await expect(config.resolve({ tenantId: 'globex' }, 'auth')).rejects.toThrow(/config section "auth" of tenant globex cannot be read: the store read failed and no earlier value is cached: connection refused/);
    // the store recovers
    store.fail(undefined);
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(7200);
  });

  it('cache keys include tenant and capsule: no tenant sees another one\'s values', async () => {
    const config = service();
    await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { enableSes: true });
    await config.set({ kind: 'capsule', tenantId: 'globex', capsuleId: 'dev' }, 'auth', { jwtExpirationSeconds: 120 });
    const acmeDev = await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth');
    const globexDev = await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth');
    const globex = await config.resolve({ tenantId: 'globex' }, 'auth');
    // cached now: read again, still apart
    for (let round = 0; round < 2; round += 1) {
      expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values).toEqual(acmeDev.values);
      expect(acmeDev.values).toMatchObject({ enableSes: true, jwtExpirationSeconds: 3600 });
      expect(globexDev.values).toMatchObject({ enableSes: false, jwtExpirationSeconds: 120 });
      expect(globex.values).toMatchObject({ enableSes: false, jwtExpirationSeconds: 3600 });
      expect((await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth')).values).toEqual(globexDev.values);
    }
    // same capsule id under another tenant is another entry; a capsule write touches only its own
    await config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth', { jwtExpirationSeconds: 90 });
    expect((await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(120);
    expect((await config.resolve({ tenantId: 'acme', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(90);
  });

  it('is bounded by max entries', async () => {
    const config = service({ cache: { max: 5 } });
    for (let index = 0; index < 20; index += 1) await config.resolve({ tenantId: `t${index}` }, 'auth');
    expect(config.cacheSize()).toBe(5);
  });
});

describe('noisy neighbours', () => {
  it("a tenant's writes during another tenant's load do not keep that load from caching", async () => {
    const store = counting();
    const config = await seeded(store);
    const release = store.hold();
    const victim = config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await config.set({ kind: 'tenant', tenantId: 'acme' }, 'auth', { enableSes: true });
    await config.set({ kind: 'capsule', tenantId: 'acme', capsuleId: 'dev' }, 'auth', { enableSes: false });
    release();
    await victim;
    const before = store.reads();
    for (let round = 0; round < 200; round += 1) await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth');
    expect(store.reads() - before).toBe(0);
    // a platform write is everyone's: it does invalidate globex
    await config.set({ kind: 'platform' }, 'auth', { jwtExpirationSeconds: 900 });
    expect((await config.resolve({ tenantId: 'globex', capsuleId: 'dev' }, 'auth')).values.jwtExpirationSeconds).toBe(900);
    expect(store.reads() - before).toBe(3);
  });

  it("with the default cache, 10,000 made-up capsule ids of one tenant leave other tenants' entries cached", async () => {
    const store = counting();
    const config = service({ store });
    for (const tenant of ['globex', 'initech']) await config.resolve({ tenantId: tenant, capsuleId: 'prod' }, 'auth');
    const before = store.reads();
    for (let index = 0; index < 10_000; index += 1) await config.resolve({ tenantId: 'acme', capsuleId: `made-up-${index}` }, 'auth');
    expect(store.reads() - before).toBe(30_000);
    const after = store.reads();
    for (const tenant of ['globex', 'initech']) await config.resolve({ tenantId: tenant, capsuleId: 'prod' }, 'auth');
    expect(store.reads()).toBe(after);
    expect(config.cacheSize()).toBe(256 + 2);
  });

  it('maxPerTenant: a tenant past its share evicts its own least recently used entry', async () => {
    const store = counting();
    const config = service({ store, cache: { max: 100, maxPerTenant: 3 } });
    const reads = async (scope: { tenantId: string; capsuleId?: string }): Promise<number> => {
      const before = store.reads();
      await config.resolve(scope, 'auth');
      return store.reads() - before;
    };
    await reads({ tenantId: 'acme', capsuleId: 'dev' });
    await reads({ tenantId: 'acme', capsuleId: 'prod' });
    await reads({ tenantId: 'acme' });
    expect(await reads({ tenantId: 'acme', capsuleId: 'dev' })).toBe(0); // dev is now the most recently used
    await reads({ tenantId: 'acme', capsuleId: 'stage' }); // evicts prod, acme's least recently used
    expect(config.cacheSize()).toBe(3);
    expect(await reads({ tenantId: 'acme', capsuleId: 'dev' })).toBe(0);
    expect(await reads({ tenantId: 'acme', capsuleId: 'prod' })).toBe(3);
    expect(() => service({ cache: { maxPerTenant: 0 } })).toThrow(/maxPerTenant must be a positive integer/);
  });
});
