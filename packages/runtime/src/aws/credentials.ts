/**
 * Operator credentials: STS AssumeRole into a customer account, one shared memoized provider per
 * (account, role, external id, session policy).
 *
 * Why a shared provider: every AWS SDK client wraps the provider it is given in its own memoizer
 * unless the provider is marked `memoized` (`@aws-sdk/core`'s `resolveAwsSdkSigV4Config` checks
 * `credentials?.memoized`), so N clients on one plain provider make N AssumeRole calls
 * (aws-sdk-js-v3 issue 4612). Here each key gets one provider built on the SDK's own
 * `memoizeIdentityProvider` and marked `memoized = true`; clients use it as is.
 *
 * Refresh, per provider:
 * - Credentials are fresh until `refreshBeforeExpirySeconds` before their expiration. Calls return
 *   them without touching STS.
 * - Inside that refresh window, the first call starts ONE background AssumeRole and every call
 *   keeps getting the current, still valid credentials without waiting. A failed background
 *   refresh is not cached: a later call starts another, after a short backoff.
 * - In the last fifth of the window (60 s with the defaults) the credentials are treated as
 *   expired: calls wait for the refresh, all of them on the same in-flight AssumeRole (the SDK
 *   memoizer coalesces concurrent fetches), and a failure reaches every waiting caller and is not
 *   cached either (the next call tries again).
 * - Credentials that STS issued for a shorter time than asked (role limits, role chaining) would
 *   otherwise start in the window: the lead is at most half their lifetime.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import { doesIdentityRequireRefresh, memoizeIdentityProvider } from '@smithy/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Identity } from '@smithy/types';
import { LRUCache } from 'lru-cache';
import type { IamPolicyDocument } from './session-policy.js';

export interface OperatorCredentialOptions {
  readonly region: string;
  /** STS endpoint override (tests, VPC endpoints); else the SDK's own resolution. */
  readonly stsEndpoint?: string;
  /** Credentials used to call STS; default: the SDK default chain. */
  readonly baseCredentials?: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Default `IsolationOperator`. */
  readonly roleName?: string;
  /** Requested session duration, 900–43200; default 3600. */
  readonly sessionDurationSeconds?: number;
  /** Start refreshing this long before expiration; default 300. */
  readonly refreshBeforeExpirySeconds?: number;
  /** Bound of the provider cache (least recently used keys are dropped); default 1000. */
  readonly maxRoles?: number;
  /** Default `isolation-operator`. */
  readonly roleSessionName?: string;
}

export interface OperatorProviderOptions {
  readonly roleName?: string;
  readonly externalId?: string;
  /** An inline session policy (JSON text, or a document such as `sessionPolicyFor(…)` returns). */
  readonly policy?: string | IamPolicyDocument;
}

/** A credential provider the SDK clients use as is, without wrapping it in their own memoizer. */
export type SharedCredentialProvider = AwsCredentialIdentityProvider & { readonly memoized: true };

/** Invalid operator credential input: which option, what was found, what is expected. */
export class OperatorCredentialsError extends Error {
  override readonly name = 'OperatorCredentialsError';
  constructor(
    readonly option: string,
    readonly found: string,
    readonly expected: string,
  ) {
    super(`Invalid ${option}: found ${found}; expected ${expected}`);
  }
}

/** An AssumeRole call that failed; `cause` is the SDK's error (`cause.name` e.g. `Throttling`). */
export class AssumeRoleError extends Error {
  override readonly name = 'AssumeRoleError';
  constructor(
    readonly roleArn: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`STS AssumeRole for ${roleArn} failed: ${message}`, options);
  }
}

const DEFAULTS = {
  roleName: 'IsolationOperator',
  sessionDurationSeconds: 3600,
  refreshBeforeExpirySeconds: 300,
  maxRoles: 1000,
  roleSessionName: 'isolation-operator',
} as const;

/** The share of the refresh window, at its end, in which callers wait for new credentials. */
const BLOCKING_SHARE_OF_WINDOW = 0.2;
/** Backoff between failed background refreshes: doubling from 1 s, at most 30 s. */
const BACKGROUND_RETRY_MS = { first: 1000, max: 30_000 } as const;

type StsModule = Pick<typeof import('@aws-sdk/client-sts'), 'STSClient' | 'AssumeRoleCommand'>;

export class OperatorCredentials {
  readonly #region: string;
  readonly #stsEndpoint: string | undefined;
  readonly #baseCredentials: AwsCredentialIdentityProvider | AwsCredentialIdentity | undefined;
  readonly #roleName: string;
  readonly #sessionDurationSeconds: number;
  readonly #refreshBeforeMs: number;
  readonly #roleSessionName: string;
  readonly #providers: LRUCache<string, SharedCredentialProvider>;
  #sts: Promise<{ client: STSClient; module: StsModule }> | undefined;

  constructor(options: OperatorCredentialOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new OperatorCredentialsError('options', describe(options), 'an object with at least `region`');
    }
    this.#region = check('region', options.region, (v) => typeof v === 'string' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v), "an AWS region such as 'eu-west-1'");
    this.#stsEndpoint =
      options.stsEndpoint === undefined ? undefined : check('stsEndpoint', options.stsEndpoint, (v) => typeof v === 'string' && URL.canParse(v), "an absolute URL such as 'https://sts.eu-west-1.amazonaws.com'");
    this.#baseCredentials = options.baseCredentials;
    this.#roleName = checkRoleName('roleName', options.roleName ?? DEFAULTS.roleName);
    this.#roleSessionName = check(
      'roleSessionName',
      options.roleSessionName ?? DEFAULTS.roleSessionName,
      (v) => typeof v === 'string' && /^[\w+=,.@-]{2,64}$/.test(v),
      "2–64 characters of letters, digits and '+=,.@_-' (STS RoleSessionName)",
    );
    this.#sessionDurationSeconds = check(
      'sessionDurationSeconds',
      options.sessionDurationSeconds ?? DEFAULTS.sessionDurationSeconds,
      (v) => Number.isInteger(v) && v >= 900 && v <= 43_200,
      'a whole number of seconds from 900 to 43200 (STS DurationSeconds; the role’s maximum session duration applies too)',
    );
    const refreshBefore = check(
      'refreshBeforeExpirySeconds',
      options.refreshBeforeExpirySeconds ?? DEFAULTS.refreshBeforeExpirySeconds,
      (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < this.#sessionDurationSeconds,
      `a number of seconds ≥ 0 and below sessionDurationSeconds (${this.#sessionDurationSeconds})`,
    );
    this.#refreshBeforeMs = refreshBefore * 1000;
    const maxRoles = check('maxRoles', options.maxRoles ?? DEFAULTS.maxRoles, (v) => Number.isInteger(v) && v >= 1, 'a whole number ≥ 1');
    this.#providers = new LRUCache({ max: maxRoles });
  }

  /** One memoized provider per (accountId, roleName, externalId, session policy); every client of that operator scope shares it. */
  provider(accountId: string, options: OperatorProviderOptions = {}): SharedCredentialProvider {
    const { key, roleName, externalId, policy } = this.#key(accountId, options);
    let provider = this.#providers.get(key);
    if (!provider) {
      provider = this.#createProvider(`arn:aws:iam::${accountId}:role/${roleName}`, accountId, externalId, policy);
      this.#providers.set(key, provider);
    }
    return provider;
  }

  /** Whether `provider(accountId, options)` would return a cached provider (no new AssumeRole session); validates like `provider`. */
  has(accountId: string, options: OperatorProviderOptions = {}): boolean {
    return this.#providers.has(this.#key(accountId, options).key);
  }

  #key(accountId: string, options: OperatorProviderOptions): { key: string; roleName: string; externalId: string | undefined; policy: string | undefined } {
    check('accountId', accountId, (v) => typeof v === 'string' && /^\d{12}$/.test(v), 'a 12-digit AWS account id');
    const roleName = options.roleName === undefined ? this.#roleName : checkRoleName('roleName', options.roleName);
    const externalId =
      options.externalId === undefined
        ? undefined
        : check('externalId', options.externalId, (v) => typeof v === 'string' && /^[\w+=,.@:/-]{2,1224}$/.test(v), "2–1224 characters of letters, digits and '+=,.@:/_-' (STS ExternalId)");
    const policy = options.policy === undefined ? undefined : policyText(options.policy);
    return { key: JSON.stringify([accountId, roleName, externalId ?? null, policy ?? null]), roleName, externalId, policy };
  }

  /** Providers currently cached (at most `maxRoles`). */
  get size(): number {
    return this.#providers.size;
  }

  /** Closes the STS client's connections; providers already handed out fail at their next AssumeRole. */
  destroy(): void {
    const sts = this.#sts;
    this.#sts = Promise.reject(new Error('OperatorCredentials was destroyed'));
    this.#sts.catch(() => undefined);
    this.#providers.clear();
    void sts?.then(({ client }) => client.destroy()).catch(() => undefined);
  }

  #createProvider(roleArn: string, accountId: string, externalId: string | undefined, policy: string | undefined): SharedCredentialProvider {
    /** When each issued identity enters the refresh window, and when callers must wait for new ones. */
    const schedule = new WeakMap<Identity, { refreshAt: number; blockAt: number }>();

    const assumeRole = async (): Promise<AwsCredentialIdentity> => {
      const { client, module } = await this.#stsClient();
      const requestedAt = Date.now();
      let output;
      try {
        output = await client.send(
          new module.AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: this.#roleSessionName,
            DurationSeconds: this.#sessionDurationSeconds,
            ExternalId: externalId,
            Policy: policy,
          }),
        );
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        throw new AssumeRoleError(roleArn, `${name}: ${message}`, { cause: error });
      }
      const credentials = output.Credentials;
      const expiration = credentials?.Expiration;
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !(expiration instanceof Date) || Number.isNaN(expiration.getTime())) {
        const present = Object.entries(credentials ?? {})
          .filter(([, value]) => value !== undefined && value !== '')
          .map(([name]) => name);
        throw new AssumeRoleError(roleArn, `the response carried ${present.length ? present.join(', ') : 'no credentials'}; expected AccessKeyId, SecretAccessKey, SessionToken and Expiration`);
      }
      const identity: AwsCredentialIdentity = {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        expiration,
        accountId,
      };
      const expiresAt = expiration.getTime();
      const lead = Math.max(0, Math.min(this.#refreshBeforeMs, (expiresAt - requestedAt) / 2));
      schedule.set(identity, { refreshAt: expiresAt - lead, blockAt: expiresAt - lead * BLOCKING_SHARE_OF_WINDOW });
      return identity;
    };

    // The SDK's memoizer: caches the identity, coalesces concurrent fetches into one, does not
    // cache failures, and fetches anew (callers waiting) once `mustWait` says so.
    const mustWait = (identity: Identity): boolean => Date.now() >= (schedule.get(identity)?.blockAt ?? 0);
    const memoized = memoizeIdentityProvider<AwsCredentialIdentity>(assumeRole, mustWait, doesIdentityRequireRefresh);
    if (!memoized) throw new Error('memoizeIdentityProvider returned no provider');

    // The gap: refresh in the background once inside the window, callers keep valid credentials.
    let background: Promise<void> | undefined;
    let failures = 0;
    let retryAt = 0;
    const provider = async (identityProperties?: Record<string, unknown>): Promise<AwsCredentialIdentity> => {
      const identity = await memoized(identityProperties);
      const times = schedule.get(identity);
      const now = Date.now();
      if (times && now >= times.refreshAt && !background && now >= retryAt) {
        background = memoized({ forceRefresh: true })
          .then(
            () => {
              failures = 0;
              retryAt = 0;
            },
            () => {
              // Not cached: callers keep the current credentials, and a later call tries again.
              failures += 1;
              const backoff = Math.min(BACKGROUND_RETRY_MS.first * 2 ** (failures - 1), BACKGROUND_RETRY_MS.max, (times.blockAt - times.refreshAt) / 4);
              retryAt = Date.now() + backoff;
            },
          )
          .finally(() => {
            background = undefined;
          });
      }
      return identity;
    };
    return Object.assign(provider, { memoized: true as const });
  }

  #stsClient(): Promise<{ client: STSClient; module: StsModule }> {
    this.#sts ??= import('@aws-sdk/client-sts').then(
      (module: StsModule) => ({
        module,
        client: new module.STSClient({
          region: this.#region,
          ...(this.#stsEndpoint === undefined ? {} : { endpoint: this.#stsEndpoint }),
          ...(this.#baseCredentials === undefined ? {} : { credentials: this.#baseCredentials }),
        }),
      }),
      (error: unknown) => {
        this.#sts = undefined;
        throw new Error('OperatorCredentials needs the peer dependency @aws-sdk/client-sts; install it next to @isolation/runtime', { cause: error });
      },
    );
    return this.#sts;
  }
}

/** IAM role names: 1–64 characters of letters, digits and `+=,.@_-` (no path). */
function checkRoleName(option: string, value: string): string {
  return check(option, value, (v) => typeof v === 'string' && /^[\w+=,.@-]{1,64}$/.test(v), "an IAM role name: 1–64 characters of letters, digits and '+=,.@_-', without a path");
}

function policyText(policy: string | IamPolicyDocument): string {
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OperatorCredentialsError('policy', describe(policy), 'an IAM policy document (a JSON object, such as sessionPolicyFor() returns)');
  }
  if (text.length > 2048) {
    throw new OperatorCredentialsError('policy', `${text.length} characters`, 'at most 2048 characters (the STS limit for an inline session policy)');
  }
  return text;
}

function check<T>(option: string, value: T, valid: (value: T) => boolean, expected: string): T {
  if (!valid(value)) throw new OperatorCredentialsError(option, describe(value), expected);
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return `${String(value)} (${value === null ? 'null' : typeof value})`;
  return `a value of type ${typeof value}`;
}
