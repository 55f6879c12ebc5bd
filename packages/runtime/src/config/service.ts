/**
 * The configuration service: schema defaults, overridden by `ISOLATION_*` environment variables,
 * by a platform override, a tenant override and a capsule override, field by field, most specific
 * first. Resolved sections are cached per section, tenant and capsule, in one partition per tenant
 * (no tenant can evict another's entries); writes invalidate exactly the entries they affect, and
 * only loads of those entries are kept from caching what they read before the write.
 */
import type { ScopeDescription } from '../aws/scope.js';
import { capsuleId as validCapsuleId, tenantId as validTenantId, type CapsuleId, type TenantId } from '../ids.js';
import { ConfigEnvError, ConfigStoreError } from './errors.js';
import { PartitionedLru } from './partitioned-cache.js';
import { envVariableName, parseEnvValue, validateOverride, type ConfigSchema, type SectionOverride, type SectionValues } from './schema.js';
import { levelLabel, validLevel, type ConfigLevel, type ConfigStore, type ValidLevel } from './store.js';

export type ConfigSource = 'capsule' | 'tenant' | 'platform';

export interface Resolved<V> {
  readonly values: V;
  /** Where each field's value comes from: `platform` covers defaults, environment and the platform override. */
  readonly source: { readonly [K in keyof V]: ConfigSource };
}

/** Whose configuration: `{ tenantId, capsuleId? }`, or a factory scope description (platform, tenant, capsule). */
export type ConfigScope =
  | { readonly tenantId: TenantId | string; readonly capsuleId?: CapsuleId | string | undefined; readonly kind?: undefined }
  | { readonly kind: 'platform' }
  | { readonly kind: 'tenant'; readonly tenantId: TenantId | string }
  | { readonly kind: 'capsule'; readonly tenantId: TenantId | string; readonly capsuleId: CapsuleId | string }
  /** Accepted so a factory scope's `description` can be passed as is; operator scopes are refused at run time. */
  | ScopeDescription;

export interface ConfigCacheOptions {
  /** How long a resolved section is served without reading the store; default 5 minutes. */
  readonly ttlMs?: number | undefined;
  /** How many resolved sections (section × tenant × capsule) are kept; default 10,000. */
  readonly max?: number | undefined;
  /**
   * How many of them one tenant's scopes may hold (its capsules × sections, plus its tenant scope);
   * default 256. A tenant past it evicts its own least recently used entries, never another tenant's.
   */
  readonly maxPerTenant?: number | undefined;
  /** How long past its TTL a value is still served while the store fails; default 60 s. Then reads fail with `ConfigStoreError`. */
  readonly staleOnErrorMs?: number | undefined;
  /** The clock, in ms; default `Date.now` (tests and benchmarks pass a virtual one). */
  readonly now?: (() => number) | undefined;
}

export interface ConfigServiceOptions<S extends ConfigSchema> {
  readonly schema: S;
  /** Platform defaults in code, over the schema's: validated like any override. */
  readonly defaults?: { readonly [K in keyof S]?: SectionOverride<S[K]> } | undefined;
  /** The environment to read `ISOLATION_<SECTION>_<FIELD>` from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  readonly store: ConfigStore;
  readonly cache?: ConfigCacheOptions | undefined;
}

export interface ConfigService<S extends ConfigSchema> {
  resolve<K extends keyof S & string>(scope: ConfigScope, section: K): Promise<Resolved<SectionValues<S[K]>>>;
  /** What `resolve` would return if `override` were saved at the scope's most specific level; saves nothing. */
  preview<K extends keyof S & string>(scope: ConfigScope, section: K, override: SectionOverride<S[K]>): Promise<Resolved<SectionValues<S[K]>>>;
  /** Merges `values` into the override at `level` (validated first), field by field and atomically: concurrent sets of different fields all land. */
  set<K extends keyof S & string>(level: ConfigLevel, section: K, values: SectionOverride<S[K]>): Promise<void>;
  /** Removes the override at `level`. */
  delete<K extends keyof S & string>(level: ConfigLevel, section: K): Promise<void>;
  /** The platform level back to defaults (schema, `defaults`, environment). */
  reset<K extends keyof S & string>(section: K): Promise<void>;
  /** The platform baseline of a section: schema defaults, `defaults` and environment, without store overrides. */
  baseline<K extends keyof S & string>(section: K): SectionValues<S[K]>;
  /** Drops every cached entry. */
  clearCache(): void;
  readonly cacheSize: () => number;
}

type Values = Readonly<Record<string, unknown>>;

/** The overrides a resolution is made of, as read from the store. */
interface Layers {
  readonly platform: Values | undefined;
  readonly tenant: Values | undefined;
  readonly capsule: Values | undefined;
}

interface Entry {
  readonly layers: Layers;
  readonly resolved: Resolved<Values>;
  readonly fetchedAt: number;
}

interface Target {
  readonly section: string;
  readonly tenantId: TenantId | undefined;
  readonly capsuleId: CapsuleId | undefined;
  /** The cache partition: the tenant id, or '' for the platform (a tenant id is never empty). */
  readonly partition: string;
  /** The cache key: `partition SEP section SEP capsule`. */
  readonly id: string;
  readonly label: string;
}

const SEP = '\u0000';
const DEFAULT_TTL_MS = 5 * 60_000;
const DEFAULT_MAX = 10_000;
const DEFAULT_MAX_PER_TENANT = 256;
const DEFAULT_STALE_ON_ERROR_MS = 60_000;

export function createConfigService<const S extends ConfigSchema>(options: ConfigServiceOptions<S>): ConfigService<S> {
  const { schema, store } = options;
  if (typeof store?.get !== 'function' || typeof store.merge !== 'function' || typeof store.delete !== 'function') {
    throw new TypeError('createConfigService needs a store { get, merge, delete }, e.g. memoryConfigStore() or dynamoConfigStore(factory.platform(), table); merge(level, section, values) must update the given fields atomically (a store that only replaces whole overrides loses one of two concurrent writes)');
  }
  const ttlMs = options.cache?.ttlMs ?? DEFAULT_TTL_MS;
  const staleOnErrorMs = options.cache?.staleOnErrorMs ?? DEFAULT_STALE_ON_ERROR_MS;
  const now = options.cache?.now ?? Date.now;
  // The one place configuration enters from the environment: parsed and validated against the schema.
  const baselines = platformBaselines(schema, options.defaults, options.env ?? process.env);

  const cache = new PartitionedLru<Entry>(options.cache?.max ?? DEFAULT_MAX, options.cache?.maxPerTenant ?? DEFAULT_MAX_PER_TENANT);
  /**
   * Loads under way by cache id, shared by concurrent misses of one key. A write drops
   * the loads of the entries it affects, and a load caches its result only while it is still the
   * registered one: a write elsewhere (another tenant's) never costs this key a read.
   */
  const inFlight = new Map<string, Promise<Entry>>();

  const sectionOf = (section: string): S[keyof S] => {
    if (typeof section !== 'string' || !Object.hasOwn(schema, section)) throw new TypeError(`unknown config section ${JSON.stringify(section)}; known sections: ${Object.keys(schema).join(', ')}`);
    return schema[section] as S[keyof S];
  };

  const targetOf = (scope: ConfigScope, section: string): Target => {
    sectionOf(section);
    let tenant: TenantId | undefined;
    let capsule: CapsuleId | undefined;
    if (scope?.kind === 'platform') {
      // platform: no tenant, no capsule
    } else if (scope?.kind === undefined || scope.kind === 'tenant' || scope.kind === 'capsule') {
      tenant = validTenantId(scope.tenantId);
      const rawCapsule = scope.kind === 'tenant' ? undefined : scope.capsuleId;
      capsule = rawCapsule === undefined ? undefined : validCapsuleId(rawCapsule);
    } else {
      throw new TypeError(`config is resolved for { tenantId, capsuleId? } or a platform, tenant or capsule scope, found ${JSON.stringify(scope)}`);
    }
    const label = tenant === undefined ? 'platform' : capsule === undefined ? `tenant ${tenant}` : `capsule ${tenant}/${capsule}`;
    const partition = tenant ?? '';
    return { section, tenantId: tenant, capsuleId: capsule, partition, id: `${partition}${SEP}${section}${SEP}${capsule ?? ''}`, label };
  };

  const readLayer = async (level: ValidLevel, section: string): Promise<Values | undefined> => {
    const stored = await store.get(level, section);
    return stored === undefined ? undefined : validateOverride(section, sectionOf(section), stored, `stored override at ${levelLabel(level)}`);
  };

  const load = async (target: Target): Promise<Layers> => {
    const { section, tenantId, capsuleId } = target;
    const [platform, tenant, capsule] = await Promise.all([
      readLayer({ kind: 'platform' }, section),
      tenantId === undefined ? undefined : readLayer({ kind: 'tenant', tenantId }, section),
      tenantId === undefined || capsuleId === undefined ? undefined : readLayer({ kind: 'capsule', tenantId, capsuleId }, section),
    ]);
    return { platform, tenant, capsule };
  };

  const combine = (section: string, layers: Layers): Resolved<Values> => {
    const values: Record<string, unknown> = { ...baselines[section] };
    const source: Record<string, ConfigSource> = {};
    for (const field of Object.keys(values)) source[field] = 'platform';
    const apply = (layer: Values | undefined, from: ConfigSource): void => {
      if (layer === undefined) return;
      for (const [field, value] of Object.entries(layer)) {
        values[field] = value;
        source[field] = from;
      }
    };
    apply(layers.platform, 'platform');
    apply(layers.tenant, 'tenant');
    apply(layers.capsule, 'capsule');
    return Object.freeze({ values: Object.freeze(values), source: Object.freeze(source) });
  };

  const entryOf = (target: Target): Promise<Entry> => {
    const { partition, id } = target;
    const cached = cache.get(id);
    const time = now();
    if (cached !== undefined && time - cached.fetchedAt < ttlMs) return Promise.resolve(cached);
    const running = inFlight.get(id);
    if (running !== undefined) return running;
    const loading: Promise<Entry> = load(target)
      .then(
        (layers) => {
          const entry: Entry = { layers, resolved: combine(target.section, layers), fetchedAt: now() };
          // Still the registered load: no write has touched this entry since the load started.
          if (inFlight.get(id) === loading) cache.set(partition, id, entry);
          return entry;
        },
        (error: unknown) => {
          // Serve the last good value while the store fails, for a bounded time past its TTL.
          const last = cache.get(id);
          if (last !== undefined && now() - last.fetchedAt < ttlMs + staleOnErrorMs) return last;
          const detail = last === undefined ? 'the store read failed and no earlier value is cached' : `the store read failed and the last good value (read ${now() - last.fetchedAt} ms ago) is older than TTL ${ttlMs} ms + staleOnErrorMs ${staleOnErrorMs} ms`;
          throw new ConfigStoreError(target.section, target.label, error, detail);
        },
      )
      .finally(() => {
        if (inFlight.get(id) === loading) inFlight.delete(id);
      });
    inFlight.set(id, loading);
    return loading;
  };

  /**
   * Drops the cached entries a write at `level` of `section` affects and forgets their loads under
   * way: one entry for a capsule write, the tenant's partition for a tenant write, every partition
   * for a platform write (what every scope inherits).
   */
  const invalidate = (level: ValidLevel, section: string): void => {
    const affected = (id: string): boolean => {
      const [tenant, idSection, capsule] = id.split(SEP);
      if (idSection !== section) return false;
      if (level.kind === 'platform') return true;
      return tenant === level.tenantId && (level.kind === 'tenant' || capsule === level.capsuleId);
    };
    const partitions = level.kind === 'platform' ? cache.partitions() : [level.tenantId];
    for (const partition of partitions) for (const id of cache.idsOf(partition)) if (affected(id)) cache.delete(id);
    for (const id of [...inFlight.keys()]) if (affected(id)) inFlight.delete(id);
  };

  const write = async (rawLevel: ConfigLevel, section: string, values: unknown): Promise<void> => {
    const fields = sectionOf(section);
    const level = validLevel(rawLevel);
    const clean = validateOverride(section, fields, values);
    if (Object.keys(clean).length === 0) return; // nothing to change, nothing to invalidate
    try {
      await store.merge(level, section, clean);
    } finally {
      invalidate(level, section);
    }
  };

  return {
    async resolve(scope, section) {
      const entry = await entryOf(targetOf(scope, section));
      return entry.resolved as Resolved<SectionValues<S[typeof section]>>;
    },
    async preview(scope, section, override) {
      const target = targetOf(scope, section);
      const clean = validateOverride(section, sectionOf(section), override, 'preview override');
      const { layers } = await entryOf(target);
      const at: keyof Layers = target.capsuleId !== undefined ? 'capsule' : target.tenantId !== undefined ? 'tenant' : 'platform';
      return combine(section, { ...layers, [at]: { ...layers[at], ...clean } }) as Resolved<SectionValues<S[typeof section]>>;
    },
    set: (level, section, values) => write(level, section, values),
    async delete(rawLevel, section) {
      sectionOf(section);
      const level = validLevel(rawLevel);
      try {
        await store.delete(level, section);
      } finally {
        invalidate(level, section);
      }
    },
    async reset(section) {
      sectionOf(section);
      try {
        await store.delete({ kind: 'platform' }, section);
      } finally {
        invalidate({ kind: 'platform' }, section);
      }
    },
    baseline(section) {
      sectionOf(section);
      return { ...baselines[section] } as SectionValues<S[typeof section]>;
    },
    clearCache: () => {
      cache.clear();
      inFlight.clear();
    },
    cacheSize: () => cache.size,
  };
}

/** Schema defaults, then `defaults`, then the environment: the platform baseline of every section. */
function platformBaselines(schema: ConfigSchema, defaults: Readonly<Record<string, unknown>> | undefined, env: Readonly<Record<string, string | undefined>>): Record<string, Values> {
  const baselines: Record<string, Values> = {};
  const envProblems: { variable: string; value: string; expected: string }[] = [];
  for (const name of Object.keys(defaults ?? {})) {
    if (!Object.hasOwn(schema, name)) throw new TypeError(`defaults name unknown config section ${JSON.stringify(name)}; known sections: ${Object.keys(schema).join(', ')}`);
  }
  for (const [section, fields] of Object.entries(schema)) {
    const values: Record<string, unknown> = {};
    for (const [field, descriptor] of Object.entries(fields)) values[field] = descriptor.default;
    const inCode = defaults?.[section];
    if (inCode !== undefined) Object.assign(values, validateOverride(section, fields, inCode, 'defaults'));
    for (const [field, descriptor] of Object.entries(fields)) {
      const variable = envVariableName(section, field);
      const text = env[variable];
      if (text === undefined) continue;
      const parsed = parseEnvValue(descriptor, text);
      if ('problem' in parsed) envProblems.push({ variable, value: text, expected: parsed.problem });
      else values[field] = parsed.value;
    }
    baselines[section] = Object.freeze(values);
  }
  if (envProblems.length > 0) throw new ConfigEnvError(envProblems);
  return baselines;
}
