/**
 * SQS queues per scope: `scope.queue('jobs')` is the URL of the scope's queue,
 * `<origin>/<accountId>/<name>` — the origin is the factory's `endpoint` when it has one, else
 * `https://sqs.<region>.amazonaws.com` (`.amazonaws.com.cn` in China); the account is the factory's
 * `accountId` (an operator scope's own account for its queues).
 *
 * The default gives each tenant and capsule a queue of its own per logical name, named as topics
 * are (`topics.ts`): queue names hold only `[A-Za-z0-9_-]`, as ids may, so each id is written with
 * its length in front — capsule `acme`/`DEVUS`, queue `jobs` → `4_acme_5_DEVUS_jobs`; tenant `acme`
 * → `4_acme_jobs`; platform and operator scopes use the logical name as is. Logical names start
 * with a letter and scope names with a digit, so a name reads back one way only: the naming is
 * injective, `DEV` and `DEVX` give `3_DEV_…` and `4_DEVX_…`, and every name starting with a scope's
 * prefix (`queueNamePrefixOf`) is that scope's (a tenant's prefix also starts its capsules' names).
 * A FIFO queue's logical name ends in `.fifo`, and so does its physical name; SQS allows 80
 * characters in all, so long ids need short logical names or a `queueNaming` of their own.
 */
import { physicalName, type NameRules } from './scope-names.js';
import type { GuardedScope, ScopeDescription } from './scope.js';
import { defaultTopicNaming, partitionOf } from './topics.js';

/** Maps a logical queue name to the queue name (not the URL) a scope uses. Custom namings must stay injective. */
export type QueueNaming = (logicalName: string, scope: ScopeDescription) => string;

/** The default: `4_acme_5_DEVUS_jobs` for capsule acme/DEVUS, `4_acme_jobs` for tenant acme, `jobs` for platform and operator scopes (the topics' scheme). */
export const defaultQueueNaming: QueueNaming = defaultTopicNaming;

/**
 * `4_acme_5_DEVUS_` or `4_acme_`: how every default queue name of a scope begins, and no other
 * scope's (but a tenant's capsules'). A `ListQueues` whose `QueueNamePrefix` starts with it lists
 * only the scope's queues.
 */
export function queueNamePrefixOf(scope: GuardedScope): string {
  // The default names are the scope's prefix followed by the logical name.
  return defaultQueueNaming('', scope);
}

/** Thrown for a queue name or location the factory cannot hand out. */
export class QueueNameError extends Error {
  override readonly name = 'QueueNameError';
}

/** SQS's rule: 1–80 characters of `[A-Za-z0-9_-]`, a FIFO queue's ending in `.fifo` (counted). */
const QUEUE_NAME = /^(?=.{1,80}$)[A-Za-z0-9_-]+(?:\.fifo)?$/;

export const QUEUE_NAMES: NameRules = {
  resource: 'queue',
  option: 'queues',
  logical: /^(?=.{1,80}$)[A-Za-z][A-Za-z0-9_-]*(?:\.fifo)?$/,
  logicalWanted: "an SQS queue name starting with a letter (scope queue names start with a digit): letters, digits, '_' and '-', optionally ending in '.fifo', 80 characters at most",
  physical: (name) => QUEUE_NAME.test(name),
  physicalWanted: "an SQS queue name: 1–80 letters, digits, '_' and '-', optionally ending in '.fifo' (with long tenant or capsule ids, use a shorter logical name or a queueNaming function)",
  error: QueueNameError,
};

/** Where the factory's queues live. */
export interface QueueLocation {
  readonly region: string;
  /** The factory's endpoint, if any: queue URLs are on its origin. */
  readonly endpoint: string | undefined;
  /** The application's account; an operator scope's queues are in its own. */
  readonly accountId: string | undefined;
}

/** The origin of queue URLs (scheme, host, port): the factory's endpoint, or SQS's regional endpoint. */
export function queueOrigin(location: QueueLocation): string {
  const { endpoint, region } = location;
  if (endpoint === undefined) return `https://sqs.${region}.amazonaws.com${partitionOf(region) === 'aws-cn' ? '.cn' : ''}`;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new QueueNameError(`the factory's endpoint ${JSON.stringify(endpoint)} is not an http(s) URL, so no queue URL can be built on it`);
  return url.origin;
}

/** The URL of the scope's queue for `logicalName`. */
export function queueUrl(naming: QueueNaming, logicalName: string, scope: ScopeDescription, known: ReadonlySet<string> | undefined, location: QueueLocation): string {
  const name = physicalName(QUEUE_NAMES, naming, logicalName, scope, known);
  const accountId = scope.kind === 'operator' ? scope.accountId : location.accountId;
  if (accountId === undefined) {
    throw new QueueNameError(`queue('${logicalName}') needs the account of the application's queues: createClientFactory({ accountId: '123456789012', … })`);
  }
  return `${queueOrigin(location)}/${accountId}/${name}`;
}

/** The ARN of the queue at `url` (`<origin>/<account>/<name>`), a queue of `region`: what IAM policies and SNS subscriptions name. */
export function queueArnOf(url: string, region: string): string {
  const [, account, name] = /^\/(\d{12})\/([^/]+)$/.exec(new URL(url).pathname) ?? [];
  if (account === undefined || name === undefined) throw new QueueNameError(`the queue URL ${JSON.stringify(url)} does not end in /<account>/<name>, so it names no queue ARN`);
  return `arn:${partitionOf(region)}:sqs:${region}:${account}:${name}`;
}
