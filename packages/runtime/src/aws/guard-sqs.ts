/**
 * The SQS rules of the isolation guard: a tenant or capsule scope's SQS client touches only the
 * scope's queues (`scope.queue()`), named by their URL exactly as it is sent.
 *
 * - Message and queue calls — `SendMessage[Batch]`, `ReceiveMessage`, `DeleteMessage[Batch]`,
 *   `ChangeMessageVisibility[Batch]`, `PurgeQueue`, `GetQueueAttributes`, `ListQueueTags`,
 *   `SetQueueAttributes`: `QueueUrl` one of the scope's queue URLs, compared as a string (scheme,
 *   host, port, account and name; no normalising). `SetQueueAttributes` may change timing and size
 *   settings only: a queue policy, a redrive policy (whose dead-letter queue could be another
 *   scope's) or a KMS key grants or names something outside the queue.
 * - `GetQueueUrl`: `QueueName` one of the scope's queue names, `QueueOwnerAWSAccountId` (if given)
 *   the account of that queue.
 * - `CreateQueue`: `QueueName` one of the scope's queue names; the same settings as above plus the
 *   FIFO ones; no tags (tags can drive attribute-based access control).
 * - `ListQueues`: a `QueueNamePrefix` starting with the scope's queue name prefix, when the factory
 *   names queues the default way (every name under that prefix is the scope's); no `NextToken`, an
 *   opaque position the guard cannot check (a scope has few queues: `MaxResults` up to 1000 covers them).
 * - Everything else — `DeleteQueue`, permissions, tagging, dead-letter source lists, message move
 *   tasks, and any operation this list does not name — is refused, and so is an input member the
 *   operation's rule does not list (`guard-names.ts`): a newer SDK could serialize it unread.
 *
 * The request must also go where the scope's queues are (`sqsDestination`): the SDK sends a
 * request to the host of its `QueueUrl` when no endpoint is configured, and middleware can move the
 * endpoint, so the gate checks the scheme, host, port, path and `Host` header of what it sends.
 */
import { describeMissing, describeValue, Failure, own, quote } from './guard-format.js';
import { inspectOperation, type OperationRule, type ServiceTable } from './guard-names.js';
import type { CompiledPolicy } from './guard-policy.js';
import type { HttpRequestLike, RequestMembers } from './guard-seal.js';

/** Queue attributes a scope may set on its own queue: timing and size, which grant and name nothing. */
const SETTABLE_ATTRIBUTES = new Set(['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout']);
/** At creation also the FIFO settings and SQS-managed encryption. */
const CREATION_ATTRIBUTES = new Set([...SETTABLE_ATTRIBUTES, 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit', 'SqsManagedSseEnabled']);

/** A call on one queue, named by `QueueUrl`, with the operation's input members as the SDK's schema names them. */
const onQueue = (...members: string[]): OperationRule => ({ members: ['QueueUrl', ...members], check: (input, c) => checkQueueUrl(c, own(input, 'QueueUrl')) });

const OPERATIONS: ReadonlyMap<string, OperationRule> = new Map([
  ['SendMessage', onQueue('MessageBody', 'DelaySeconds', 'MessageAttributes', 'MessageSystemAttributes', 'MessageDeduplicationId', 'MessageGroupId')],
  ['SendMessageBatch', onQueue('Entries')],
  ['ReceiveMessage', onQueue('AttributeNames', 'MessageSystemAttributeNames', 'MessageAttributeNames', 'MaxNumberOfMessages', 'VisibilityTimeout', 'WaitTimeSeconds', 'ReceiveRequestAttemptId')],
  ['DeleteMessage', onQueue('ReceiptHandle')],
  ['DeleteMessageBatch', onQueue('Entries')],
  ['ChangeMessageVisibility', onQueue('ReceiptHandle', 'VisibilityTimeout')],
  ['ChangeMessageVisibilityBatch', onQueue('Entries')],
  ['PurgeQueue', onQueue()],
  ['GetQueueAttributes', onQueue('AttributeNames')],
  ['ListQueueTags', onQueue()],
  [
    'SetQueueAttributes',
    { members: ['QueueUrl', 'Attributes'], check: (input, c) => checkQueueUrl(c, own(input, 'QueueUrl')) ?? checkAttributes(own(input, 'Attributes'), SETTABLE_ATTRIBUTES, true) },
  ],
  ['GetQueueUrl', { members: ['QueueName', 'QueueOwnerAWSAccountId'], check: (input, c) => checkQueueName(c, own(input, 'QueueName'), own(input, 'QueueOwnerAWSAccountId')) }],
  ['CreateQueue', { members: ['QueueName', 'Attributes', 'tags'], check: (input, c) => checkQueueName(c, own(input, 'QueueName'), undefined) ?? checkTags(own(input, 'tags')) ?? checkAttributes(own(input, 'Attributes'), CREATION_ATTRIBUTES, false) }],
  ['ListQueues', { members: ['QueueNamePrefix', 'NextToken', 'MaxResults'], check: checkListQueues }],
]);

/** Every operation a guarded SQS client runs, with the input members it may carry. */
export const GUARDED_SQS_OPERATIONS: ReadonlyMap<string, readonly string[]> = new Map([...OPERATIONS].map(([operation, rule]) => [operation, rule.members]));

const SQS: ServiceTable = {
  service: 'SQS',
  operations: OPERATIONS,
  allowed: () => `message and queue calls on the scope's queues (scope.queue()) — ${[...OPERATIONS.keys()].join(', ')}; deleting queues, permissions, tags and message moves belong to a platform or operator client`,
};

/** One SQS operation's input: the first failure, or `undefined`. */
export function inspectSqs(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  return inspectOperation(SQS, operation, input, c, label);
}

function checkQueueUrl(c: CompiledPolicy, url: unknown): Failure | undefined {
  if (typeof url === 'string' && c.queues.has(url)) return undefined;
  return new Failure(typeof url === 'string' ? 'queue-scope' : 'unverifiable-request', `QueueUrl ${describeMissing(url)}`, queuesWanted(c));
}

function checkTags(tags: unknown): Failure | undefined {
  if (tags === undefined || (typeof tags === 'object' && tags !== null && Object.keys(tags).length === 0)) return undefined;
  return new Failure('unbounded-operation', `tags ${describeMissing(tags)}`, 'a queue created without tags (tags can grant access through attribute-based policies): tag queues from a platform or operator client');
}

function queuesWanted(c: CompiledPolicy): string {
  const known = [...c.queues].map(quote).join(', ');
  return `one of the scope's queue URLs, exactly as scope.queue() gives it (${known === '' ? 'none: declare them with createClientFactory({ queues }) and name them with scope.queue()' : known}) — another tenant's or capsule's queue belongs to its own scope`;
}

/** The name and account of each of the scope's queue URLs (`<origin>/<account>/<name>`). */
function scopeQueueNames(c: CompiledPolicy): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  for (const url of c.queues) {
    const parts = url.split('/');
    const name = parts.at(-1) ?? '';
    const account = parts.at(-2) ?? '';
    const accounts = names.get(name) ?? new Set<string>();
    accounts.add(account);
    names.set(name, accounts);
  }
  return names;
}

function checkQueueName(c: CompiledPolicy, name: unknown, owner: unknown): Failure | undefined {
  const names = scopeQueueNames(c);
  const accounts = typeof name === 'string' ? names.get(name) : undefined;
  const shownNames = [...names.keys()].map(quote).join(', ');
  if (accounts === undefined) {
    return new Failure(typeof name === 'string' ? 'queue-scope' : 'unverifiable-request', `QueueName ${describeMissing(name)}`, `one of the scope's queue names (${shownNames === '' ? 'none: declare them with createClientFactory({ queues })' : shownNames}) — the last part of a scope.queue() URL`);
  }
  if (owner === undefined || (typeof owner === 'string' && accounts.has(owner))) return undefined;
  return new Failure(typeof owner === 'string' ? 'queue-scope' : 'unverifiable-request', `QueueOwnerAWSAccountId ${describeMissing(owner)}`, `the account of the scope's queue ${quote(String(name))} (${[...accounts].map(quote).join(', ')}), or no QueueOwnerAWSAccountId`);
}

function checkAttributes(attributes: unknown, allowed: ReadonlySet<string>, required: boolean): Failure | undefined {
  if (attributes === undefined && !required) return undefined;
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return new Failure('unverifiable-request', `Attributes ${describeMissing(attributes)}`, 'an object of queue attribute names and values');
  for (const name of Object.keys(attributes)) {
    if (allowed.has(name)) continue;
    return new Failure(
      'unbounded-operation',
      `Attributes.${name} = ${describeValue((attributes as Record<string, unknown>)[name])}`,
      `only ${[...allowed].join(', ')} — a queue policy, redrive policy or KMS key grants or names something outside the queue and is set from a platform or operator client`,
    );
  }
  return undefined;
}

function checkListQueues(input: object, c: CompiledPolicy): Failure | undefined {
  const scopePrefix = c.queueNamePrefix;
  const prefix = own(input, 'QueueNamePrefix');
  if (scopePrefix === undefined) {
    return new Failure('unbounded-operation', `ListQueuesCommand with QueueNamePrefix ${describeMissing(prefix)}, under a queue naming the guard cannot read prefixes from`, "the scope's queue URLs from scope.queue() (ListQueues is checked only with the factory's default queue naming)");
  }
  if (typeof prefix !== 'string' || !prefix.startsWith(scopePrefix)) {
    return new Failure(typeof prefix === 'string' ? 'queue-scope' : 'unverifiable-request', `QueueNamePrefix ${describeMissing(prefix)}`, `a QueueNamePrefix starting with ${quote(scopePrefix)}, the scope's queue name prefix — without it ListQueues lists every tenant's queues`);
  }
  const token = own(input, 'NextToken');
  if (token !== undefined) return new Failure('unverifiable-request', `NextToken ${describeMissing(token)}, a list position the guard cannot read`, 'a ListQueues without NextToken; MaxResults (up to 1000) covers a scope’s queues');
  return undefined;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };
const NO_QUERY: Readonly<Record<string, never>> = Object.freeze({});

/** `http://127.0.0.1:9324`, the default port written out: how a queue URL and a request name their origin alike. */
function originOf(protocol: unknown, hostname: unknown, port: unknown): string {
  const shown = port === undefined || port === '' ? DEFAULT_PORTS[String(protocol)] : String(port);
  return `${String(protocol)}//${String(hostname)}:${shown ?? ''}`;
}

/** The origins of a queue set's URLs, and the last origin found among them (compared field by field: no string to build). */
interface QueueOrigins {
  readonly size: number;
  readonly origins: ReadonlySet<string>;
  last: { readonly protocol: unknown; readonly hostname: unknown; readonly port: unknown } | undefined;
}

/** Per queue set; recomputed when the set grows (sets of queue URLs only ever grow: scopes name more queues). */
const queueOrigins = new WeakMap<ReadonlySet<string>, QueueOrigins>();

function isQueueOrigin(queues: ReadonlySet<string>, protocol: unknown, hostname: unknown, port: unknown): boolean {
  let known = queueOrigins.get(queues);
  if (known?.size !== queues.size) {
    const origins = new Set<string>();
    for (const url of queues) {
      try {
        const parsed = new URL(url);
        origins.add(originOf(parsed.protocol, parsed.hostname, parsed.port));
      } catch {
        // Not a URL: no request goes there.
      }
    }
    known = { size: queues.size, origins, last: undefined };
    queueOrigins.set(queues, known);
  }
  const last = known.last;
  if (last !== undefined && last.protocol === protocol && last.hostname === hostname && last.port === port) return true;
  if (!known.origins.has(originOf(protocol, hostname, port))) return false;
  known.last = { protocol, hostname, port };
  return true;
}

function isEmpty(query: unknown): boolean {
  if (query === undefined) return true;
  if (typeof query !== 'object' || query === null) return false;
  for (const name in query) if (Object.hasOwn(query, name)) return false;
  return true;
}

/**
 * Whether a `Host` header names the request's host: Node sends `host:port` for a port other than
 * the protocol's default, the bare host otherwise. Compared in place (this runs on every request).
 */
function namesHost(value: unknown, hostname: unknown, port: unknown): boolean {
  if (value === hostname) return true;
  if (port === undefined || typeof value !== 'string') return false;
  const host = String(hostname);
  const shownPort = String(port);
  return value.length === host.length + 1 + shownPort.length && value.charCodeAt(host.length) === 0x3a && value.startsWith(host) && value.endsWith(shownPort);
}

/**
 * Where a request goes, checked and pinned: it must go to the origin (scheme, host, port) of one of
 * the scope's queue URLs, with path `/`, no query or fragment, and a `Host` header (if any) naming
 * that host. Returns the request to send — a plain copy whose address is what was read here, once,
 * so nothing holding the original can move it afterwards — or the failure.
 */
export function sqsDestination(c: CompiledPolicy, request: HttpRequestLike): RequestMembers | Failure {
  const { method, protocol, hostname, port, path, query, fragment, username, password, headers, body } = request as RequestMembers;
  const known = isQueueOrigin(c.queues, protocol, hostname, port);
  let hostHeaders = 0;
  let hostHeader = true;
  for (const name in headers) {
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue;
    hostHeaders += 1;
    hostHeader &&= namesHost(headers[name], hostname, port);
  }
  const queryless = isEmpty(query);
  const fragmentless = fragment === undefined || fragment === '';
  if (known && path === '/' && queryless && fragmentless && hostHeaders <= 1 && hostHeader) {
    return { method, protocol, hostname, port, path, query: NO_QUERY, fragment: undefined, username, password, headers, body };
  }
  const sent = `${String(protocol)}//${String(hostname)}${port === undefined ? '' : `:${String(port)}`}${typeof path === 'string' ? path : ''}`;
  const shownHosts = Object.keys(headers)
    .filter((name) => name.toLowerCase() === 'host')
    .map((name) => quote(String(headers[name])))
    .join(' and ');
  const queueOrigins = [...new Set([...c.queues].map((url) => quote(url.slice(0, url.indexOf('/', url.indexOf('//') + 2)))))].join(', ');
  return new Failure(
    'queue-scope',
    `a request sent to ${quote(sent)}${queryless ? '' : ' with a query'}${fragmentless ? '' : ' with a fragment'}${hostHeaders === 0 ? '' : `, Host header ${shownHosts}`}`,
    `a request to the endpoint of the scope's queues (${queueOrigins === '' ? 'none named' : queueOrigins}), path '/', its Host header naming that host — the host of the QueueUrl or the factory's endpoint, unchanged since the guard judged it`,
  );
}
