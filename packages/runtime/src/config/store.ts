/** Where configuration overrides live: one record per section and level. */
import { capsuleId, tenantId, type CapsuleId, type TenantId } from '../ids.js';

export type ConfigLevel =
  | { readonly kind: 'platform' }
  | { readonly kind: 'tenant'; readonly tenantId: TenantId | string }
  | { readonly kind: 'capsule'; readonly tenantId: TenantId | string; readonly capsuleId: CapsuleId | string };

/** A validated level: ids checked with `tenantId()`/`capsuleId()`. */
export type ValidLevel = { readonly kind: 'platform' } | { readonly kind: 'tenant'; readonly tenantId: TenantId } | { readonly kind: 'capsule'; readonly tenantId: TenantId; readonly capsuleId: CapsuleId };

export interface ConfigStore {
  /** The override saved at `level` for `section`, or undefined. */
  get(level: ValidLevel, section: string): Promise<Readonly<Record<string, unknown>> | undefined>;
  /**
   * Sets the fields of `values` in the override at `level`, keeping its other fields, creating the
   * override if there is none: one atomic update per call, so concurrent merges of different fields
   * all survive (a read-merge-write in the caller would lose one of them).
   */
  merge(level: ValidLevel, section: string, values: Readonly<Record<string, unknown>>): Promise<void>;
  delete(level: ValidLevel, section: string): Promise<void>;
}

/** Validates a level's ids (no `#` can be injected into keys built from them). */
export function validLevel(level: ConfigLevel): ValidLevel {
  switch (level?.kind) {
    case 'platform':
      return { kind: 'platform' };
    case 'tenant':
      return { kind: 'tenant', tenantId: tenantId(level.tenantId) };
    case 'capsule':
      return { kind: 'capsule', tenantId: tenantId(level.tenantId), capsuleId: capsuleId(level.capsuleId) };
    default:
      throw new TypeError(`a config level is { kind: 'platform' | 'tenant' | 'capsule', tenantId?, capsuleId? }, found ${JSON.stringify(level)}`);
  }
}

/** `platform`, `TENANT#acme`, `TENANT#acme#CAPSULE#DEV`: the level's text in sort keys. */
export function levelText(level: ValidLevel): string {
  switch (level.kind) {
    case 'platform':
      return 'platform';
    case 'tenant':
      return `TENANT#${tenantId(level.tenantId)}`;
    case 'capsule':
      return `TENANT#${tenantId(level.tenantId)}#CAPSULE#${capsuleId(level.capsuleId)}`;
  }
}

/** `platform`, `tenant acme`, `capsule acme/DEV`: for messages. */
export function levelLabel(level: ValidLevel): string {
  return level.kind === 'platform' ? 'platform' : level.kind === 'tenant' ? `tenant ${level.tenantId}` : `capsule ${level.tenantId}/${level.capsuleId}`;
}

/** An in-memory store, for tests and demos. Values are copied in and out; a merge is synchronous, hence atomic. */
export function memoryConfigStore(): ConfigStore & { readonly size: () => number } {
  const records = new Map<string, Readonly<Record<string, unknown>>>();
  const key = (level: ValidLevel, section: string): string => `${section}\u0000${levelText(level)}`;
  return {
    get: (level, section) => {
      const found = records.get(key(level, section));
      return Promise.resolve(found === undefined ? undefined : { ...found });
    },
    merge: (level, section, values) => {
      records.set(key(level, section), { ...records.get(key(level, section)), ...values });
      return Promise.resolve();
    },
    delete: (level, section) => {
      records.delete(key(level, section));
      return Promise.resolve();
    },
    size: () => records.size,
  };
}
