/**
 * How many new scoped-credential sessions one tenant can cause per interval. With
 * `scopedCredentials`, each new tenant or capsule scope assumes the data role with its own session
 * policy: one STS AssumeRole call. Capsule ids often come from request paths, so without a bound a
 * caller inventing 200 capsule codes costs 200 AssumeRole calls — STS throttles per account, and the
 * throttling lands on every tenant. The budget counts, per tenant, the sessions that are new (a scope
 * whose credentials are still cached costs nothing) in fixed windows; past the limit, making the
 * scope fails with `SessionBudgetError` until the window ends.
 */
import { LRUCache } from 'lru-cache';

export interface SessionBudgetOptions {
  /** New sessions one tenant may cause per interval; default 10. */
  readonly limit?: number | undefined;
  /** The interval, in seconds; default 60. */
  readonly intervalSeconds?: number | undefined;
}

/** A tenant asked for more new scoped-credential sessions than its budget allows. */
export class SessionBudgetError extends Error {
  override readonly name = 'SessionBudgetError';
  constructor(
    readonly tenantId: string,
    readonly limit: number,
    readonly intervalSeconds: number,
    /** When the tenant's window ends. */
    readonly retryAfterSeconds: number,
  ) {
    super(
      `tenant ${JSON.stringify(tenantId)} has started ${limit} new scoped-credential sessions (AssumeRole) in the last ${intervalSeconds} s, ` +
        `the most allowed; expected at most ${limit} new tenant or capsule scopes per ${intervalSeconds} s — retry in ${retryAfterSeconds} s, ` +
        'check where capsule ids come from (an unvalidated path parameter lets callers invent them), or raise scopedCredentials.newSessionsPerTenant',
    );
  }
}

interface Window {
  start: number;
  used: number;
}

export class SessionBudget {
  readonly limit: number;
  readonly intervalSeconds: number;
  readonly #intervalMs: number;
  readonly #windows: LRUCache<string, Window>;

  constructor(options: SessionBudgetOptions = {}) {
    const limit = options.limit ?? 10;
    const intervalSeconds = options.intervalSeconds ?? 60;
    if (!Number.isInteger(limit) || limit < 1) throw new TypeError(`scopedCredentials.newSessionsPerTenant.limit must be a whole number ≥ 1, found ${String(limit)}`);
    if (typeof intervalSeconds !== 'number' || !(intervalSeconds > 0) || !Number.isFinite(intervalSeconds)) {
      throw new TypeError(`scopedCredentials.newSessionsPerTenant.intervalSeconds must be a number of seconds > 0, found ${String(intervalSeconds)}`);
    }
    this.limit = limit;
    this.intervalSeconds = intervalSeconds;
    this.#intervalMs = intervalSeconds * 1000;
    // A tenant forgotten early only gets a fresh window: the bound per tenant still holds per interval.
    this.#windows = new LRUCache({ max: 10_000 });
  }

  /** Counts one new session for `tenant`, or throws `SessionBudgetError`. */
  take(tenant: string): void {
    const now = Date.now();
    let window = this.#windows.get(tenant);
    if (window === undefined || now - window.start >= this.#intervalMs) {
      window = { start: now, used: 0 };
      this.#windows.set(tenant, window);
    }
    if (window.used >= this.limit) throw new SessionBudgetError(tenant, this.limit, this.intervalSeconds, Math.ceil((window.start + this.#intervalMs - now) / 1000));
    window.used += 1;
  }
}
