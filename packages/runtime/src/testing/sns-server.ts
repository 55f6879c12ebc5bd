/**
 * A small SNS endpoint on 127.0.0.1 speaking the AWS Query protocol the installed
 * `@aws-sdk/client-sns` uses (`AwsQueryProtocol`): a form-encoded POST
 * `Action=Publish&Version=2010-03-31&TopicArn=…&Message=…`, answered with `<PublishResponse>` XML,
 * or with `<ErrorResponse>` XML (`NotFound`, `InvalidParameter`, `InvalidAction`). It keeps topics,
 * subscriptions and published messages in memory, so a test can read a victim's state back, and
 * records every request it receives, whatever its action, so a test can prove a refused request
 * sent nothing.
 *
 * Actions: CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes, Publish
 * (to a topic, `TargetArn` of a topic, or a `PhoneNumber`), PublishBatch, Subscribe, Unsubscribe,
 * ListSubscriptionsByTopic, GetSubscriptionAttributes. Others answer `InvalidAction`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessKeyIdOf } from './signed-with.js';

const VERSION = '2010-03-31';
const NAMESPACE = `http://sns.amazonaws.com/doc/${VERSION}/`;

/** One request as received: its action and every form parameter, in order. */
export interface ReceivedSnsRequest {
  readonly method: string | undefined;
  readonly contentType: string | undefined;
  readonly action: string | undefined;
  readonly params: readonly (readonly [name: string, value: string])[];
  /** The access key id the request was signed with. */
  readonly signedWith: string | undefined;
}

export interface PublishedMessage {
  /** The topic it was published to, or `undefined` for a text message to a phone number. */
  readonly topicArn: string | undefined;
  readonly phoneNumber: string | undefined;
  readonly messageId: string;
  readonly message: string;
  readonly subject: string | undefined;
  /** Message attributes: name → string value (binary values base64, as sent). */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface SnsSubscription {
  readonly subscriptionArn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
}

export interface SnsServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Every request received, in arrival order, refused and unknown actions included. */
  readonly requests: readonly ReceivedSnsRequest[];
  /** The ARN a topic of this name has (or would have) here. */
  topicArn(name: string): string;
  /** Creates a topic directly (no request recorded); returns its ARN. */
  createTopic(name: string): string;
  /** ARNs of the topics that exist. */
  topics(): string[];
  /** Messages published (to one topic, or all, phone numbers included), in order. */
  messages(topicArn?: string): readonly PublishedMessage[];
  /** A topic's attributes (`undefined` for a topic that does not exist). */
  attributes(topicArn: string): Readonly<Record<string, string>> | undefined;
  /** Subscriptions (to one topic, or all). */
  subscriptions(topicArn?: string): readonly SnsSubscription[];
  /** Forgets the recorded requests, keeps the state. */
  clearRequests(): void;
  /** Forgets requests, topics, subscriptions and messages. */
  reset(): void;
  close(): Promise<void>;
}

interface Topic {
  readonly arn: string;
  readonly attributes: Map<string, string>;
}

class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request's parameters, read as SNS reads a Query request. */
class Form {
  constructor(readonly params: URLSearchParams) {}

  optional(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  required(name: string): string {
    const value = this.params.get(name);
    if (value === null || value === '') throw new SnsError(400, 'InvalidParameter', `Invalid parameter: ${name} is required`);
    return value;
  }

  /** `prefix.1.…`, `prefix.2.…`: the members of a serialized list or map, each as `rest → value`. */
  members(prefix: string): Map<string, string>[] {
    const groups = new Map<number, Map<string, string>>();
    for (const [name, value] of this.params) {
      if (!name.startsWith(`${prefix}.`)) continue;
      const [index = '', ...rest] = name.slice(prefix.length + 1).split('.');
      if (!/^\d+$/.test(index)) continue;
      const group = groups.get(Number(index)) ?? new Map<string, string>();
      group.set(rest.join('.'), value);
      groups.set(Number(index), group);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
  }

  /** Message attributes under `prefix` (`MessageAttributes`): name → value. */
  attributes(prefix: string): Record<string, string> {
    const attributes: Record<string, string> = {};
    for (const entry of this.members(`${prefix}.entry`)) {
      const name = entry.get('Name');
      if (name !== undefined) attributes[name] = entry.get('Value.StringValue') ?? entry.get('Value.BinaryValue') ?? '';
    }
    return attributes;
  }
}

export async function startSnsServer(options: { readonly region?: string; readonly accountId?: string } = {}): Promise<SnsServer> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const requests: ReceivedSnsRequest[] = [];
  const topics = new Map<string, Topic>();
  const subscriptions = new Map<string, SnsSubscription>();
  const messages: PublishedMessage[] = [];
  const topicArn = (name: string): string => `arn:aws:sns:${region}:${accountId}:${name}`;

  const createTopic = (name: string): string => {
    if (!/^[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/.test(name) || name.length > 256) throw new SnsError(400, 'InvalidParameter', `Invalid parameter: Topic Name ${JSON.stringify(name)}`);
    const arn = topicArn(name);
    if (!topics.has(arn)) topics.set(arn, { arn, attributes: new Map([['TopicArn', arn], ['DisplayName', '']]) });
    return arn;
  };

  const topicOf = (arn: string): Topic => {
    const topic = topics.get(arn);
    if (topic === undefined) throw new SnsError(404, 'NotFound', 'Topic does not exist');
    return topic;
  };

  const publish = (destination: { topicArn?: string; phoneNumber?: string }, form: Form, prefix = ''): string => {
    const messageId = randomUUID();
    messages.push({
      topicArn: destination.topicArn,
      phoneNumber: destination.phoneNumber,
      messageId,
      message: form.required(`${prefix}Message`),
      subject: form.optional(`${prefix}Subject`),
      attributes: form.attributes(`${prefix}MessageAttributes`),
    });
    return messageId;
  };

  /** The `<Result>` content of an action (empty for actions without output). */
  const act = (action: string, form: Form): string => {
    switch (action) {
      case 'CreateTopic':
        return `<TopicArn>${escapeXml(createTopic(form.required('Name')))}</TopicArn>`;
      case 'DeleteTopic': {
        const arn = form.required('TopicArn');
        topics.delete(arn);
        for (const [id, subscription] of subscriptions) if (subscription.topicArn === arn) subscriptions.delete(id);
        return '';
      }
      case 'ListTopics':
        return `<Topics>${[...topics.keys()].map((arn) => `<member><TopicArn>${escapeXml(arn)}</TopicArn></member>`).join('')}</Topics>`;
      case 'GetTopicAttributes': {
        const topic = topicOf(form.required('TopicArn'));
        const count = [...subscriptions.values()].filter((subscription) => subscription.topicArn === topic.arn).length;
        const attributes = new Map([...topic.attributes, ['SubscriptionsConfirmed', String(count)]]);
        return `<Attributes>${[...attributes].map(([key, value]) => `<entry><key>${escapeXml(key)}</key><value>${escapeXml(value)}</value></entry>`).join('')}</Attributes>`;
      }
      case 'SetTopicAttributes':
        topicOf(form.required('TopicArn')).attributes.set(form.required('AttributeName'), form.optional('AttributeValue') ?? '');
        return '';
      case 'Publish': {
        const phoneNumber = form.optional('PhoneNumber');
        const target = form.optional('TopicArn') ?? form.optional('TargetArn');
        if (phoneNumber !== undefined) return `<MessageId>${publish({ phoneNumber }, form)}</MessageId>`;
        if (target === undefined) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
        return `<MessageId>${publish({ topicArn: topicOf(target).arn }, form)}</MessageId>`;
      }
      case 'PublishBatch': {
        const topic = topicOf(form.required('TopicArn'));
        const entries = form.members('PublishBatchRequestEntries.member');
        if (entries.length === 0) throw new SnsError(400, 'EmptyBatchRequest', 'The batch request does not contain any entries');
        const successful = entries.map((entry) => {
          const id = entry.get('Id') ?? '';
          const entryForm = new Form(new URLSearchParams([...entry]));
          return `<member><Id>${escapeXml(id)}</Id><MessageId>${publish({ topicArn: topic.arn }, entryForm)}</MessageId></member>`;
        });
        return `<Successful>${successful.join('')}</Successful><Failed></Failed>`;
      }
      case 'Subscribe': {
        const topic = topicOf(form.required('TopicArn'));
        const subscription = { subscriptionArn: `${topic.arn}:${randomUUID()}`, topicArn: topic.arn, protocol: form.required('Protocol'), endpoint: form.optional('Endpoint') ?? '' };
        subscriptions.set(subscription.subscriptionArn, subscription);
        return `<SubscriptionArn>${escapeXml(subscription.subscriptionArn)}</SubscriptionArn>`;
      }
      case 'Unsubscribe':
        if (!subscriptions.delete(form.required('SubscriptionArn'))) throw new SnsError(404, 'NotFound', 'Subscription does not exist');
        return '';
      case 'GetSubscriptionAttributes': {
        const subscription = subscriptions.get(form.required('SubscriptionArn'));
        if (subscription === undefined) throw new SnsError(404, 'NotFound', 'Subscription does not exist');
        const attributes = { SubscriptionArn: subscription.subscriptionArn, TopicArn: subscription.topicArn, Protocol: subscription.protocol, Endpoint: subscription.endpoint };
        return `<Attributes>${Object.entries(attributes).map(([key, value]) => `<entry><key>${key}</key><value>${escapeXml(value)}</value></entry>`).join('')}</Attributes>`;
      }
      case 'ListSubscriptionsByTopic': {
        const topic = topicOf(form.required('TopicArn'));
        const members = [...subscriptions.values()]
          .filter((subscription) => subscription.topicArn === topic.arn)
          .map((subscription) => `<member><SubscriptionArn>${escapeXml(subscription.subscriptionArn)}</SubscriptionArn><Owner>${accountId}</Owner><Protocol>${escapeXml(subscription.protocol)}</Protocol><Endpoint>${escapeXml(subscription.endpoint)}</Endpoint><TopicArn>${escapeXml(subscription.topicArn)}</TopicArn></member>`);
        return `<Subscriptions>${members.join('')}</Subscriptions>`;
      }
      default:
        throw new SnsError(400, 'InvalidAction', `this test server does not speak ${JSON.stringify(action)}`);
    }
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const action = params.get('Action') ?? undefined;
    requests.push({ method: request.method, contentType: request.headers['content-type'], action, params: [...params], signedWith: accessKeyIdOf(request.headers) });
    const requestId = randomUUID();
    try {
      if (request.method !== 'POST' || action === undefined || params.get('Version') !== VERSION) {
        throw new SnsError(400, 'InvalidAction', `this test server speaks SNS ${VERSION} as form-encoded POSTs; found ${request.method ?? '?'} Action=${action ?? ''} Version=${params.get('Version') ?? ''}`);
      }
      const result = act(action, new Form(params));
      send(response, 200, `<${action}Response xmlns="${NAMESPACE}">${result === '' ? '' : `<${action}Result>${result}</${action}Result>`}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`, requestId);
    } catch (error) {
      if (!(error instanceof SnsError)) throw error;
      send(response, error.status, errorXml(error.status >= 500 ? 'Receiver' : 'Sender', error.code, error.message, requestId), requestId);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const requestId = randomUUID();
      send(response, 500, errorXml('Receiver', 'InternalFailure', String(error), requestId), requestId);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    accountId,
    requests,
    topicArn,
    createTopic,
    topics: () => [...topics.keys()],
    messages: (arn) => (arn === undefined ? [...messages] : messages.filter((message) => message.topicArn === arn)),
    attributes: (arn) => {
      const topic = topics.get(arn);
      return topic === undefined ? undefined : Object.fromEntries(topic.attributes);
    },
    subscriptions: (arn) => [...subscriptions.values()].filter((subscription) => arn === undefined || subscription.topicArn === arn),
    clearRequests: () => {
      requests.length = 0;
    },
    reset: () => {
      requests.length = 0;
      topics.clear();
      subscriptions.clear();
      messages.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(response: ServerResponse, status: number, body: string, requestId: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  response.end(body);
}

function errorXml(type: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  return `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
