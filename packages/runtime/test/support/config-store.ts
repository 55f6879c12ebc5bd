/**
 * Instrumentation for configuration stores: a wrapper around a real store (dynalite, memory) that
 * records every read by level, so tests can count what the service's cache costs the store.
 */
import type { ConfigStore, ValidLevel } from '../../src/config/index.js';

export interface ReadCountingStore {
  readonly store: ConfigStore;
  /** Every read so far, as `section:platform`, `section:acme` or `section:acme/dev`. */
  reads(): readonly string[];
  /** Reads of one level label (`auth:acme`, …). */
  readsOf(label: string): number;
}

function labelOf(level: ValidLevel, section: string): string {
  return `${section}:${level.kind === 'platform' ? 'platform' : level.kind === 'tenant' ? level.tenantId : `${level.tenantId}/${level.capsuleId}`}`;
}

/** Forwards every method of `inner` unchanged and counts `get`. */
export function countingReads(inner: ConfigStore): ReadCountingStore {
  const log: string[] = [];
  const forwarded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inner)) forwarded[name] = typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
  const store = {
    ...forwarded,
    get: (level: ValidLevel, section: string) => {
      log.push(labelOf(level, section));
      return inner.get(level, section);
    },
  } as ConfigStore;
  return { store, reads: () => [...log], readsOf: (label) => log.filter((entry) => entry === label).length };
}
