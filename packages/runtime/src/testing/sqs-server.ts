/**
 * A small SQS endpoint on 127.0.0.1 speaking the AWS JSON 1.0 protocol the installed
 * `@aws-sdk/client-sqs` uses (`AwsJson1_0Protocol`): a POST with `X-Amz-Target: AmazonSQS.<Operation>`,
 * `Content-Type: application/x-amz-json-1.0` and a JSON body, answered with a JSON body or
 * `{ __type: "com.amazonaws.sqs#<Error>", message }` (`json-protocol-server.ts`). Queues live in
 * memory. As SQS does, a request's `QueueUrl` is read for its account and queue name
 * (`/<account>/<name>`), whatever host it names.
 *
 * Operations: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, SendMessage[Batch], ReceiveMessage
 * (no long polling: it answers at once), DeleteMessage[Batch], ChangeMessageVisibility[Batch],
 * PurgeQueue, Get/SetQueueAttributes, TagQueue, UntagQueue, ListQueueTags; anything else is
 * `UnknownOperationException`. Every request is recorded as it arrived, before it is answered, so a
 * test can tell that a refused request never reached it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ServiceError, startJsonProtocolServer, type JsonOperationHandler, type JsonProtocolServer } from './json-protocol-server.js';

export interface SqsServer extends JsonProtocolServer {
  /** The account of queues created here (default `000000000000`). */
  readonly accountId: string;
  /** The URL this server gives the queue `name`: `<endpoint>/<accountId>/<name>`. */
  queueUrl(name: string): string;
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, unknown>> | undefined;
  readonly sentAt: number;
  readonly groupId: string | undefined;
  readonly sequenceNumber: string | undefined;
  receiveCount: number;
  visibleAt: number;
  receiptHandle: string | undefined;
}

interface Queue {
  readonly name: string;
  readonly createdAt: number;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  messages: StoredMessage[];
}

type Input = Readonly<Record<string, unknown>>;

const QUEUE_NAME = /^(?=.{1,80}$)[A-Za-z0-9_-]+(?:\.fifo)?$/;
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const sqsError = (code: string, message: string): ServiceError => new ServiceError(`com.amazonaws.sqs#${code}`, message);
const nonExistent = (): ServiceError => sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
const invalid = (message: string): ServiceError => sqsError('InvalidParameterValue', message);

export async function startSqsServer(options: { readonly accountId?: string } = {}): Promise<SqsServer> {
  const accountId = options.accountId ?? '000000000000';
  /** By `/<account>/<name>`. */
  const queues = new Map<string, Queue>();
  let sequence = 0;
  let endpoint = '';

  const urlOf = (queue: Queue): string => `${endpoint}/${accountId}/${queue.name}`;

  function queueAt(url: unknown): Queue {
    if (typeof url !== 'string') throw sqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      throw invalid(`Value ${url} for parameter QueueUrl is invalid. Reason: not a URL.`);
    }
    const queue = queues.get(path);
    if (queue === undefined) throw nonExistent();
    return queue;
  }

  function visible(queue: Queue, now: number): StoredMessage[] {
    return queue.messages.filter((message) => message.visibleAt <= now);
  }

  function byReceipt(queue: Queue, handle: unknown): StoredMessage {
    const message = queue.messages.find((candidate) => candidate.receiptHandle !== undefined && candidate.receiptHandle === handle);
    if (message === undefined) throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${String(handle)}" is not a valid receipt handle.`);
    return message;
  }

  function send(queue: Queue, entry: Input): Record<string, unknown> {
    const body = entry['MessageBody'];
    if (typeof body !== 'string' || body === '') throw invalid('The request must contain the parameter MessageBody.');
    const fifo = queue.name.endsWith('.fifo');
    const groupId = entry['MessageGroupId'];
    if (fifo && typeof groupId !== 'string') throw sqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
    const delay = Number(entry['DelaySeconds'] ?? queue.attributes['DelaySeconds'] ?? 0);
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      attributes: entry['MessageAttributes'] as Record<string, unknown> | undefined,
      sentAt: Date.now(),
      groupId: typeof groupId === 'string' ? groupId : undefined,
      sequenceNumber: fifo ? String((sequence += 1)).padStart(20, '0') : undefined,
      receiveCount: 0,
      visibleAt: Date.now() + delay * 1000,
      receiptHandle: undefined,
    };
    queue.messages.push(message);
    return { MessageId: message.id, MD5OfMessageBody: md5(body), ...(message.sequenceNumber === undefined ? {} : { SequenceNumber: message.sequenceNumber }) };
  }

  /** Runs each entry of a batch on its own: `{ Successful, Failed }`. */
  function batch(entries: unknown, run: (entry: Input) => Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(entries) || entries.length === 0) throw sqsError('EmptyBatchRequest', 'There should be at least one entry in the request.');
    const Successful: Record<string, unknown>[] = [];
    const Failed: Record<string, unknown>[] = [];
    for (const entry of entries as Input[]) {
      try {
        Successful.push({ Id: entry['Id'], ...run(entry) });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        Failed.push({ Id: entry['Id'], Code: error.type.slice(error.type.indexOf('#') + 1), Message: error.message, SenderFault: true });
      }
    }
    return { Successful, Failed };
  }

  function wanted(names: unknown, name: string): boolean {
    return Array.isArray(names) && (names.includes('All') || names.includes(name) || names.includes('.*'));
  }

  const operations: Readonly<Record<string, JsonOperationHandler>> = {
    CreateQueue: (input) => {
      const name = input['QueueName'];
      if (typeof name !== 'string' || !QUEUE_NAME.test(name)) throw invalid(`Value ${String(name)} for parameter QueueName is invalid.`);
      const attributes = { ...(input['Attributes'] as Record<string, string> | undefined) };
      if (name.endsWith('.fifo') !== (attributes['FifoQueue'] === 'true')) throw invalid('A FIFO queue name ends in .fifo and has FifoQueue=true; other queues have neither.');
      const path = `/${accountId}/${name}`;
      const existing = queues.get(path);
      if (existing !== undefined) return { QueueUrl: urlOf(existing) };
      const queue: Queue = { name, createdAt: Date.now(), attributes, tags: { ...(input['tags'] as Record<string, string> | undefined) }, messages: [] };
      queues.set(path, queue);
      return { QueueUrl: urlOf(queue) };
    },
    GetQueueUrl: (input) => {
      const owner = typeof input['QueueOwnerAWSAccountId'] === 'string' ? input['QueueOwnerAWSAccountId'] : accountId;
      const queue = queues.get(`/${owner}/${String(input['QueueName'])}`);
      if (queue === undefined) throw nonExistent();
      return { QueueUrl: urlOf(queue) };
    },
    ListQueues: (input) => {
      const prefix = typeof input['QueueNamePrefix'] === 'string' ? input['QueueNamePrefix'] : '';
      const max = typeof input['MaxResults'] === 'number' ? input['MaxResults'] : 1000;
      return { QueueUrls: [...queues.values()].filter((queue) => queue.name.startsWith(prefix)).slice(0, max).map(urlOf) };
    },
    DeleteQueue: (input) => {
      const queue = queueAt(input['QueueUrl']);
      queues.delete(`/${accountId}/${queue.name}`);
      return {};
    },
    SendMessage: (input) => send(queueAt(input['QueueUrl']), input),
    SendMessageBatch: (input) => {
      const queue = queueAt(input['QueueUrl']);
      return batch(input['Entries'], (entry) => send(queue, entry));
    },
    ReceiveMessage: (input) => {
      const queue = queueAt(input['QueueUrl']);
      const now = Date.now();
      const count = Math.min(Math.max(Number(input['MaxNumberOfMessages'] ?? 1), 1), 10);
      const timeout = Number(input['VisibilityTimeout'] ?? queue.attributes['VisibilityTimeout'] ?? 30);
      const systemNames = input['MessageSystemAttributeNames'] ?? input['AttributeNames'];
      const Messages = visible(queue, now)
        .slice(0, count)
        .map((message) => {
          message.receiveCount += 1;
          message.visibleAt = now + timeout * 1000;
          message.receiptHandle = randomUUID();
          const attributes: Record<string, string> = {};
          if (wanted(systemNames, 'ApproximateReceiveCount')) attributes['ApproximateReceiveCount'] = String(message.receiveCount);
          if (wanted(systemNames, 'SentTimestamp')) attributes['SentTimestamp'] = String(message.sentAt);
          if (message.groupId !== undefined && wanted(systemNames, 'MessageGroupId')) attributes['MessageGroupId'] = message.groupId;
          const custom = message.attributes === undefined ? undefined : Object.fromEntries(Object.entries(message.attributes).filter(([name]) => wanted(input['MessageAttributeNames'], name)));
          return {
            MessageId: message.id,
            ReceiptHandle: message.receiptHandle,
            Body: message.body,
            MD5OfBody: md5(message.body),
            ...(Object.keys(attributes).length === 0 ? {} : { Attributes: attributes }),
            ...(custom === undefined || Object.keys(custom).length === 0 ? {} : { MessageAttributes: custom }),
          };
        });
      return Messages.length === 0 ? {} : { Messages };
    },
    DeleteMessage: (input) => {
      const queue = queueAt(input['QueueUrl']);
      const message = byReceipt(queue, input['ReceiptHandle']);
      queue.messages = queue.messages.filter((candidate) => candidate !== message);
      return {};
    },
    DeleteMessageBatch: (input) => {
      const queue = queueAt(input['QueueUrl']);
      return batch(input['Entries'], (entry) => {
        const message = byReceipt(queue, entry['ReceiptHandle']);
        queue.messages = queue.messages.filter((candidate) => candidate !== message);
        return {};
      });
    },
    ChangeMessageVisibility: (input) => {
      const message = byReceipt(queueAt(input['QueueUrl']), input['ReceiptHandle']);
      message.visibleAt = Date.now() + Number(input['VisibilityTimeout'] ?? 0) * 1000;
      return {};
    },
    ChangeMessageVisibilityBatch: (input) => {
      const queue = queueAt(input['QueueUrl']);
      return batch(input['Entries'], (entry) => {
        byReceipt(queue, entry['ReceiptHandle']).visibleAt = Date.now() + Number(entry['VisibilityTimeout'] ?? 0) * 1000;
        return {};
      });
    },
    PurgeQueue: (input) => {
      queueAt(input['QueueUrl']).messages = [];
      return {};
    },
    GetQueueAttributes: (input) => {
      const queue = queueAt(input['QueueUrl']);
      const now = Date.now();
      const all: Record<string, string> = {
        ...queue.attributes,
        QueueArn: `arn:aws:sqs:us-east-1:${accountId}:${queue.name}`,
        CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
        ApproximateNumberOfMessages: String(visible(queue, now).length),
        ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible(queue, now).length),
      };
      const Attributes = Object.fromEntries(Object.entries(all).filter(([name]) => wanted(input['AttributeNames'], name)));
      return Object.keys(Attributes).length === 0 ? {} : { Attributes };
    },
    SetQueueAttributes: (input) => {
      const queue = queueAt(input['QueueUrl']);
      queue.attributes = { ...queue.attributes, ...(input['Attributes'] as Record<string, string> | undefined) };
      return {};
    },
    TagQueue: (input) => {
      const queue = queueAt(input['QueueUrl']);
      queue.tags = { ...queue.tags, ...(input['Tags'] as Record<string, string> | undefined) };
      return {};
    },
    UntagQueue: (input) => {
      const queue = queueAt(input['QueueUrl']);
      for (const key of (input['TagKeys'] as string[] | undefined) ?? []) delete queue.tags[key];
      return {};
    },
    ListQueueTags: (input) => {
      const queue = queueAt(input['QueueUrl']);
      return Object.keys(queue.tags).length === 0 ? {} : { Tags: queue.tags };
    },
  };

  const server = await startJsonProtocolServer({ targetPrefix: 'AmazonSQS', contentType: 'application/x-amz-json-1.0', operations, clear: () => queues.clear() });
  endpoint = server.endpoint;
  return { ...server, requests: server.requests, accountId, queueUrl: (name) => `${endpoint}/${accountId}/${name}` };
}
