/**
 * The SNS rules of the isolation guard: a tenant or capsule scope's SNS client publishes to, and
 * reads about, the scope's own topics only (`scope.topic('alerts')`: ARNs the factory names).
 *
 * - `Publish`: exactly one of `TopicArn` and `TargetArn`, naming one of the scope's topics; a
 *   `PhoneNumber` (SMS has no tenant) and a mobile endpoint (`TargetArn` of a platform endpoint)
 *   are refused, as is a Publish without a destination.
 * - `PublishBatch`, `GetTopicAttributes`, `ListSubscriptionsByTopic`: `TopicArn` one of the scope's.
 * - `Subscribe`: `TopicArn` one of the scope's, and the endpoint one the guard can place in the
 *   scope: Protocol `sqs` and the ARN of one of the scope's queues (`scope.queue()`: same partition
 *   and region as the topic, and the account and name of one of the scope's queue URLs). An
 *   address, URL, phone, function or any other queue has no tenant the guard can read, and a
 *   subscription to another tenant's queue would write into it as surely as SendMessage would, so
 *   those are refused.
 * - `Unsubscribe`, `GetSubscriptionAttributes`: the `SubscriptionArn` (`<topic ARN>:<id>`) of a
 *   subscription to one of the scope's topics.
 * - Everything else — `CreateTopic`, `DeleteTopic`, `ListTopics`, `ListSubscriptions`,
 *   `SetTopicAttributes`, `SetSubscriptionAttributes`, `AddPermission`, data protection policies,
 *   tags, SMS and mobile-push settings, and any operation this list does not name — is refused:
 *   topics and their policies are the platform's to manage.
 *
 * SNS speaks the AWS Query protocol (a form-encoded POST, `Action=Publish&TopicArn=…`): there is no
 * JSON body for the gate to read. The guard binds by address, as for S3: after serializing, the seal
 * reads the body as SNS will (`bindSnsRequest`) and checks that it carries the judged action and the
 * judged destination members and no others, then records the request's address (its body included);
 * the gate sends only recorded requests.
 */
import { describeMissing, describeValue, Failure, own, quote } from './guard-format.js';
import type { CompiledPolicy } from './guard-policy.js';
import type { HttpRequestLike } from './guard-seal.js';

/** Operations on one topic, named by `TopicArn`. */
const TOPIC_OPERATIONS = new Set(['PublishBatch', 'Subscribe', 'GetTopicAttributes', 'ListSubscriptionsByTopic']);

/** Operations on one subscription, named by `SubscriptionArn`. */
const SUBSCRIPTION_OPERATIONS = new Set(['Unsubscribe', 'GetSubscriptionAttributes']);

/** Every operation a guarded SNS client runs. */
export const GUARDED_SNS_OPERATIONS: readonly string[] = ['Publish', ...TOPIC_OPERATIONS, ...SUBSCRIPTION_OPERATIONS];

/** Input members that say where a request goes: on the wire, exactly as judged. */
const DESTINATION_MEMBERS = ['TopicArn', 'TargetArn', 'PhoneNumber', 'SubscriptionArn', 'Protocol', 'Endpoint'] as const;

/** One SNS operation's input: the first failure, or `undefined`. */
export function inspectSNS(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  const topicCall = TOPIC_OPERATIONS.has(operation);
  const subscriptionCall = SUBSCRIPTION_OPERATIONS.has(operation);
  if (operation !== 'Publish' && !topicCall && !subscriptionCall) {
    return new Failure(
      'unbounded-operation',
      `${label ?? `${operation}Command`}, which is not one of the commands a guarded SNS client runs`,
      `calls on the scope's own topics (scope.topic()) — ${GUARDED_SNS_OPERATIONS.join(', ')}; creating, deleting, listing and configuring topics belongs to a platform or operator client`,
    );
  }
  if (typeof input !== 'object' || input === null) return new Failure('unverifiable-request', `the command input ${describeMissing(input)}`, 'an input object');
  if (operation === 'Publish') return checkPublish(c, input);
  if (subscriptionCall) return checkSubscriptionArn(c, own(input, 'SubscriptionArn'));
  const topic = own(input, 'TopicArn');
  const topicFailure = checkTopic(c, topic, 'TopicArn');
  if (topicFailure !== undefined || operation !== 'Subscribe') return topicFailure;
  return checkEndpoint(c, topic as string, own(input, 'Protocol'), own(input, 'Endpoint'));
}

function scopeTopics(c: CompiledPolicy): string {
  const known = [...c.topics].map(quote).join(', ');
  return `one of the scope's topics (${known === '' ? 'none: declare them with createClientFactory({ topics, accountId }) and name them with scope.topic()' : known})`;
}

function checkTopic(c: CompiledPolicy, arn: unknown, place: string): Failure | undefined {
  if (typeof arn === 'string' && c.topics.has(arn)) return undefined;
  return new Failure(typeof arn === 'string' ? 'topic-scope' : 'unverifiable-request', `${place} ${describeMissing(arn)}`, `${place}: ${scopeTopics(c)} — another tenant's or capsule's topics belong to its own scope`);
}

function checkPublish(c: CompiledPolicy, input: object): Failure | undefined {
  const phone = own(input, 'PhoneNumber');
  if (phone !== undefined) {
    return new Failure('topic-scope', `PhoneNumber ${describeMissing(phone)}`, `TopicArn: ${scopeTopics(c)}; a text message to a phone number belongs to no tenant — send it from a platform scope`);
  }
  const topic = own(input, 'TopicArn');
  const target = own(input, 'TargetArn');
  if (topic !== undefined && target !== undefined) {
    return new Failure('unverifiable-request', `both TopicArn ${describeMissing(topic)} and TargetArn ${describeMissing(target)}`, `exactly one destination: TopicArn, ${scopeTopics(c)}`);
  }
  if (topic === undefined && target === undefined) return new Failure('unverifiable-request', 'a Publish without TopicArn or TargetArn', `TopicArn: ${scopeTopics(c)}`);
  return topic === undefined ? checkTopic(c, target, 'TargetArn') : checkTopic(c, topic, 'TopicArn');
}

/** A subscription's id, after its topic's ARN and a `:` (SNS makes UUIDs). */
const SUBSCRIPTION_ID = /^[A-Za-z0-9-]+$/;

function checkSubscriptionArn(c: CompiledPolicy, arn: unknown): Failure | undefined {
  if (typeof arn === 'string') {
    const colon = arn.lastIndexOf(':');
    if (colon > 0 && c.topics.has(arn.slice(0, colon)) && SUBSCRIPTION_ID.test(arn.slice(colon + 1))) return undefined;
  }
  return new Failure(
    typeof arn === 'string' ? 'topic-scope' : 'unverifiable-request',
    `SubscriptionArn ${describeMissing(arn)}`,
    `the ARN of a subscription to ${scopeTopics(c)}: '<topic ARN>:<subscription id>'`,
  );
}

/** `arn:<partition>:sqs:<region>:<account>:<queue name>` */
const QUEUE_ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/;

/** Whether `endpoint` is the ARN of one of the scope's queues, in the partition and region of the scope's topic. */
function isScopeQueue(c: CompiledPolicy, topicArn: string, endpoint: string): boolean {
  const [, partition, region, account, name] = QUEUE_ARN.exec(endpoint) ?? [];
  const [, topicPartition, , topicRegion] = topicArn.split(':');
  if (partition === undefined || partition !== topicPartition || region !== topicRegion) return false;
  // A queue URL is `<origin>/<account>/<name>`: its path names the queue within the region.
  for (const url of c.queues) if (pathOf(url) === `/${account}/${name}`) return true;
  return false;
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function checkEndpoint(c: CompiledPolicy, topicArn: string, protocol: unknown, endpoint: unknown): Failure | undefined {
  if (protocol === 'sqs' && typeof endpoint === 'string' && isScopeQueue(c, topicArn, endpoint)) return undefined;
  const queues = [...c.queues].map(quote).join(', ');
  return new Failure(
    typeof protocol === 'string' && typeof endpoint === 'string' ? 'topic-scope' : 'unverifiable-request',
    `a subscription with Protocol ${describeMissing(protocol)} and Endpoint ${describeMissing(endpoint)}`,
    `Protocol 'sqs' and the ARN of one of the scope's queues (scope.queue(): ${queues === '' ? 'none named' : queues}): the guard cannot tell whose an address, URL, phone, function or other queue is; subscribe those from a platform scope`,
  );
}

/** The request shape `bindSnsRequest` reads. */
export type SnsRequestLike = HttpRequestLike;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The form body SNS will read, or `undefined` when it is not text. */
function formOf(body: unknown): URLSearchParams | undefined {
  if (typeof body === 'string') return new URLSearchParams(body);
  if (body instanceof Uint8Array) {
    try {
      return new URLSearchParams(UTF8.decode(body));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Every value of a parameter, its name compared without case (so no spelling of it goes unread). */
function valuesOf(form: URLSearchParams, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of form) if (key.toLowerCase() === lower) values.push(value);
  return values;
}

/**
 * Whether a serialized SNS request is what was judged: its form body names the judged operation
 * (`Action`) once, and each destination member (`TopicArn`, `TargetArn`, `PhoneNumber`,
 * `SubscriptionArn`, `Protocol`, `Endpoint`) exactly as the judged input has it — once, or not at
 * all when the input has none. A failure, or `undefined`.
 */
export function bindSnsRequest(_c: CompiledPolicy, input: unknown, request: SnsRequestLike, operation: string): Failure | undefined {
  const form = formOf(request.body);
  if (form === undefined) return new Failure('unverifiable-request', 'a serialized SNS request whose body is not form-encoded text', 'the Query-protocol body the SDK serializes');
  const actions = valuesOf(form, 'Action');
  if (actions.length !== 1 || actions[0] !== operation) {
    return new Failure('unverifiable-request', `a serialized request with Action ${actions.map(quote).join(', ') || '(none)'} for a judged ${operation}`, `exactly one Action=${operation}, the operation the guard judged`);
  }
  for (const member of DESTINATION_MEMBERS) {
    const judged = typeof input === 'object' && input !== null ? own(input, member) : undefined;
    const sent = valuesOf(form, member);
    const same = judged === undefined || judged === null ? sent.length === 0 : sent.length === 1 && sent[0] === String(judged);
    if (!same) {
      return new Failure('unverifiable-request', `a serialized ${operation} request whose ${member} reads ${sent.length === 0 ? '(nothing)' : sent.map(quote).join(', ')} where the judged input has ${judged === undefined ? 'none' : describeValue(judged)}`, `the ${member} the guard judged, once`);
    }
  }
  return undefined;
}
