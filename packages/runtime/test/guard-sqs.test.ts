/**
 * The SQS attack matrix, against a local endpoint speaking the SQS JSON protocol
 * (`startSqsServer`, which records every request it receives): a capsule scope's SQS client
 * (acme/DEV, from the factory) aims every command family at the queues of another capsule of the
 * same tenant (acme/PROD), of a capsule whose code extends ours (acme/DEVX), of another tenant
 * (globex/DEV) and of the platform. Every attempt must be refused with `queue-scope` before
 * anything reaches the endpoint, and each victim's message, read back unguarded, must be intact.
 * Then: operations no scope runs, inputs that read one way and serialize another (getters,
 * Proxies, inherited members, prototype pollution), middleware added later that rewrites the input,
 * the body, the target, the endpoint, the host or the path; and the same commands inside the scope,
 * which succeed.
 */
import {
  AddPermissionCommand,
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, hasIsolationGuard, ISOLATION_EARLY_CHECK, IsolationViolationError, type ClientFactory, type GuardRule, type Scope } from '../src/aws/index.js';
import type { ReceivedJsonRequest } from '../src/testing/json-protocol-server.js';
import { startSqsServer, type SqsServer } from '../src/testing/sqs-server.js';
import { GUARDED_SQS_OPERATIONS } from '../src/aws/guard-sqs.js';
import { schemaMembers } from './support/json-service.js';
import { DUMMY_CREDENTIALS } from './support/dynamo.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

interface Target {
  readonly name: string;
  readonly scope: (aws: ClientFactory) => Scope;
}

const TARGETS: readonly Target[] = [
  { name: 'another capsule of the same tenant (acme/PROD)', scope: (aws) => aws.capsule('acme', 'PROD') },
  { name: 'a capsule whose code extends ours (acme/DEVX)', scope: (aws) => aws.capsule('acme', 'DEVX') },
  { name: 'another tenant (globex/DEV)', scope: (aws) => aws.capsule('globex', 'DEV') },
  { name: "the platform's queue", scope: (aws) => aws.platform() },
];

/** A victim queue as the attacks see it. */
interface Victim {
  readonly url: string;
  readonly queueName: string;
  /** A receipt handle of the victim's message, as if it had leaked. */
  readonly receipt: string;
}

type Stack = {
  add(middleware: (next: (args: Record<string, unknown>) => Promise<unknown>, context: Record<string, unknown>) => (args: Record<string, unknown>) => Promise<unknown>, options: object): void;
  addRelativeTo(middleware: (next: (args: Record<string, unknown>) => Promise<unknown>, context: Record<string, unknown>) => (args: Record<string, unknown>) => Promise<unknown>, options: object): void;
  remove(name: string): boolean;
};

let sqs: SqsServer;
let raw: SQSClient;
let aws: ClientFactory;
let dev: Scope;
let client: SQSClient;
let ours: string;
const violations: IsolationViolationError[] = [];
/** How many requests the endpoint had received when the test began. */
let seen = 0;
const victims = new Map<Target, Victim>();
const secretOf = (url: string): string => `secret of ${url}`;
const nameOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

async function messagesOf(url: string): Promise<string[]> {
  const { Messages = [] } = await raw.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  return Messages.map((message) => message.Body ?? '').sort();
}

beforeAll(async () => {
  sqs = await startSqsServer({ accountId: ACCOUNT });
  raw = new SQSClient({ region: REGION, endpoint: sqs.endpoint, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  aws = createClientFactory({ region: REGION, endpoint: sqs.endpoint, credentials: DUMMY_CREDENTIALS, accountId: ACCOUNT, queues: ['jobs', 'orders.fifo'], clientConfig: { maxAttempts: 1 }, onViolation: (error) => violations.push(error) });
  dev = aws.capsule('acme', 'DEV');
  client = dev.client(SQSClient);
  ours = dev.queue('jobs');
  for (const url of [ours, ...TARGETS.map((target) => target.scope(aws).queue('jobs'))]) await raw.send(new CreateQueueCommand({ QueueName: nameOf(url) }));
});

afterAll(async () => {
  aws?.destroy();
  raw?.destroy();
  await sqs?.close();
});

beforeEach(async () => {
  for (const target of TARGETS) {
    const url = target.scope(aws).queue('jobs');
    await raw.send(new PurgeQueueCommand({ QueueUrl: url }));
    await raw.send(new SendMessageCommand({ QueueUrl: url, MessageBody: secretOf(url) }));
    const { Messages = [] } = await raw.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }));
    victims.set(target, { url, queueName: nameOf(url), receipt: Messages[0]?.ReceiptHandle ?? '' });
  }
  await raw.send(new PurgeQueueCommand({ QueueUrl: ours }));
  await raw.send(new SendMessageCommand({ QueueUrl: ours, MessageBody: 'ours' }));
  violations.length = 0;
  seen = sqs.requests.length;
});

/** The requests the endpoint received since the test began. */
const requestsSinceStart = (): readonly ReceivedJsonRequest[] => sqs.requests.slice(seen);

/** Expects `send` to be refused with nothing reaching the endpoint. */
async function refusal(send: () => Promise<unknown>): Promise<IsolationViolationError> {
  const before = sqs.requests.length;
  const thrown = await send().then(
    (output) => new Error(`expected a refusal; the endpoint answered ${JSON.stringify(output)}`),
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(IsolationViolationError);
  expect(sqs.requests.slice(before), 'a refused request must send nothing').toEqual([]);
  return thrown as IsolationViolationError;
}

async function expectVictimsIntact(): Promise<void> {
  for (const target of TARGETS) {
    const url = target.scope(aws).queue('jobs');
    expect(await messagesOf(url)).toEqual([secretOf(url)]);
  }
  expect(await messagesOf(ours)).toEqual(['ours']);
}

/** One command family aimed at a victim's queue. */
type Attack = readonly [name: string, make: (victim: Victim) => object];

const ATTACKS: readonly Attack[] = [
  ['SendMessage', (v) => new SendMessageCommand({ QueueUrl: v.url, MessageBody: 'forged' })],
  ['SendMessageBatch', (v) => new SendMessageBatchCommand({ QueueUrl: v.url, Entries: [{ Id: '1', MessageBody: 'forged' }] })],
  ['ReceiveMessage', (v) => new ReceiveMessageCommand({ QueueUrl: v.url, MaxNumberOfMessages: 10 })],
  ['DeleteMessage (with a leaked receipt handle)', (v) => new DeleteMessageCommand({ QueueUrl: v.url, ReceiptHandle: v.receipt })],
  ['DeleteMessageBatch', (v) => new DeleteMessageBatchCommand({ QueueUrl: v.url, Entries: [{ Id: '1', ReceiptHandle: v.receipt }] })],
  ['ChangeMessageVisibility', (v) => new ChangeMessageVisibilityCommand({ QueueUrl: v.url, ReceiptHandle: v.receipt, VisibilityTimeout: 600 })],
  ['ChangeMessageVisibilityBatch', (v) => new ChangeMessageVisibilityBatchCommand({ QueueUrl: v.url, Entries: [{ Id: '1', ReceiptHandle: v.receipt, VisibilityTimeout: 600 }] })],
  ['PurgeQueue', (v) => new PurgeQueueCommand({ QueueUrl: v.url })],
  ['GetQueueAttributes', (v) => new GetQueueAttributesCommand({ QueueUrl: v.url, AttributeNames: ['All'] })],
  ['SetQueueAttributes', (v) => new SetQueueAttributesCommand({ QueueUrl: v.url, Attributes: { VisibilityTimeout: '0' } })],
  ['ListQueueTags', (v) => new ListQueueTagsCommand({ QueueUrl: v.url })],
  ['GetQueueUrl (by the victim’s name)', (v) => new GetQueueUrlCommand({ QueueName: v.queueName })],
  ['CreateQueue (the victim’s name)', (v) => new CreateQueueCommand({ QueueName: v.queueName, Attributes: { VisibilityTimeout: '0' } })],
  ['ListQueues (the victim’s name as prefix)', (v) => new ListQueuesCommand({ QueueNamePrefix: v.queueName })],
  ['SendMessage, the victim’s URL on another host name for the same endpoint', (v) => new SendMessageCommand({ QueueUrl: v.url.replace('127.0.0.1', 'localhost'), MessageBody: 'forged' })],
  ['SendMessage, our URL with a dot segment to the victim', (v) => new SendMessageCommand({ QueueUrl: `${ours}/../${v.queueName}`, MessageBody: 'forged' })],
  ['SendMessage, our URL with the victim’s name after a slash', (v) => new SendMessageCommand({ QueueUrl: `${ours.slice(0, ours.lastIndexOf('/'))}//${v.queueName}`, MessageBody: 'forged' })],
];

describe.each(TARGETS)('SQS attacks on $name, against a local endpoint speaking the SQS JSON protocol', (target) => {
  for (const [name, make] of ATTACKS) {
    it(`${name} is refused before sending, and the victim is intact`, async () => {
      const error = await refusal(() => client.send(make(victims.get(target) as Victim) as never));
      expect(error.rule).toBe('queue-scope');
      expect(error.scope).toEqual({ kind: 'capsule', tenantId: 'acme', capsuleId: 'DEV' });
      expect(error.found.length).toBeGreaterThan(0);
      expect(error.message).toContain('refused in capsule acme/DEV');
      expect(violations).toEqual([error]);
      await expectVictimsIntact();
    });
  }
});

describe('SQS calls no tenant or capsule scope runs, against a local endpoint speaking the SQS JSON protocol', () => {
  const queueArn = (url: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${nameOf(url)}`;
  const victim = (): string => aws.capsule('globex', 'DEV').queue('jobs');

  it.each([
    ['DeleteQueue', () => new DeleteQueueCommand({ QueueUrl: ours })],
    ['AddPermission', () => new AddPermissionCommand({ QueueUrl: ours, Label: 'share', AWSAccountIds: ['111111111111'], Actions: ['ReceiveMessage'] })],
    ['RemovePermission', () => new RemovePermissionCommand({ QueueUrl: ours, Label: 'share' })],
    ['TagQueue (tags can drive attribute-based access)', () => new TagQueueCommand({ QueueUrl: ours, Tags: { tenant: 'globex' } })],
    ['UntagQueue', () => new UntagQueueCommand({ QueueUrl: ours, TagKeys: ['tenant'] })],
    ['ListDeadLetterSourceQueues', () => new ListDeadLetterSourceQueuesCommand({ QueueUrl: ours })],
    ['StartMessageMoveTask (into another tenant’s queue)', () => new StartMessageMoveTaskCommand({ SourceArn: queueArn(ours), DestinationArn: queueArn(victim()) })],
    ['ListMessageMoveTasks', () => new ListMessageMoveTasksCommand({ SourceArn: queueArn(ours) })],
    ['CancelMessageMoveTask', () => new CancelMessageMoveTaskCommand({ TaskHandle: 'h' })],
    ['SetQueueAttributes with a queue policy', () => new SetQueueAttributesCommand({ QueueUrl: ours, Attributes: { Policy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:*"}]}' } })],
    ['SetQueueAttributes with a redrive policy into another tenant’s queue', () => new SetQueueAttributesCommand({ QueueUrl: ours, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(victim()), maxReceiveCount: 1 }) } })],
    ['SetQueueAttributes with a KMS key', () => new SetQueueAttributesCommand({ QueueUrl: ours, Attributes: { KmsMasterKeyId: 'alias/globex' } })],
    ['CreateQueue of our own name with a redrive policy', () => new CreateQueueCommand({ QueueName: nameOf(dev.queue('orders.fifo')), Attributes: { FifoQueue: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(victim()), maxReceiveCount: 1 }) } })],
    ['CreateQueue of our own name with tags', () => new CreateQueueCommand({ QueueName: nameOf(dev.queue('orders.fifo')), Attributes: { FifoQueue: 'true' }, tags: { tenant: 'globex' } })],
  ] as const)('%s: unbounded-operation, even on our own queue', async (_name, make) => {
    const error = await refusal(() => client.send(make() as never));
    expect(error.rule).toBe('unbounded-operation');
    await expectVictimsIntact();
  });

  it.each([
    ['ListQueues without a prefix (it lists every tenant’s queues)', () => new ListQueuesCommand({}), 'unverifiable-request', 'QueueNamePrefix is missing'],
    ['ListQueues with our tenant’s prefix, from a capsule scope', () => new ListQueuesCommand({ QueueNamePrefix: '4_acme_' }), 'queue-scope', 'QueueNamePrefix = "4_acme_"'],
    ['ListQueues with a prefix that only starts like ours', () => new ListQueuesCommand({ QueueNamePrefix: '4_acme_3_DEV' }), 'queue-scope', 'QueueNamePrefix = "4_acme_3_DEV"'],
    ['ListQueues with a NextToken (a position the guard cannot read)', () => new ListQueuesCommand({ QueueNamePrefix: '4_acme_3_DEV_', NextToken: 'opaque' }), 'unverifiable-request', 'NextToken = "opaque"'],
    ['GetQueueUrl of our name in another account', () => new GetQueueUrlCommand({ QueueName: nameOf(ours), QueueOwnerAWSAccountId: '111111111111' }), 'queue-scope', 'QueueOwnerAWSAccountId = "111111111111"'],
    ['a QueueUrl that is not a string (a URL object)', () => new SendMessageCommand({ QueueUrl: new URL(ours) as unknown as string, MessageBody: 'x' }), 'unverifiable-request', 'QueueUrl, which is an instance of URL'],
    ['a member SendMessage does not have (a newer SDK could send it unread)', () => new SendMessageCommand({ QueueUrl: ours, MessageBody: 'x', TargetQueueUrl: victim() } as never), 'unverifiable-request', 'TargetQueueUrl = "'],
  ] as const)('%s: refused', async (_name, make, rule: GuardRule, found) => {
    const error = await refusal(() => client.send(make() as never));
    expect(error.rule).toBe(rule);
    expect(error.found).toContain(found);
    await expectVictimsIntact();
  });
});

describe('the rules know every input member the installed SDK serializes', () => {
  it('lists, per guarded operation, exactly the members of the SDK’s input schema', async () => {
    const sdk = (await import('@aws-sdk/client-sqs')) as unknown as Readonly<Record<string, unknown>>;
    for (const [operation, members] of GUARDED_SQS_OPERATIONS) expect([...members].sort(), operation).toEqual([...schemaMembers(sdk, operation)].sort());
  });
});

describe('inputs that read one way and serialize another, against a local endpoint speaking the SQS JSON protocol', () => {
  const theirs = (): string => aws.capsule('globex', 'DEV').queue('jobs');

  it('a getter answering our URL first and the victim’s afterwards: read once, the message lands in our queue', async () => {
    let reads = 0;
    const input = {
      get QueueUrl(): string {
        reads += 1;
        return reads === 1 ? ours : theirs();
      },
      MessageBody: 'sent once',
    };
    await client.send(new SendMessageCommand(input));
    expect(reads).toBe(1);
    expect(requestsSinceStart().map((request) => request.body?.['QueueUrl'])).toEqual([ours]);
    expect(await messagesOf(ours)).toEqual(['ours', 'sent once']);
    expect(await messagesOf(theirs())).toEqual([secretOf(theirs())]);
  });

  it('a Proxy answering the victim’s URL to its second reader: the same', async () => {
    let reads = 0;
    const input = new Proxy({ QueueUrl: ours, MessageBody: 'proxied' } as Record<string, unknown>, {
      get: (target, property, receiver) => {
        if (property !== 'QueueUrl') return Reflect.get(target, property, receiver) as unknown;
        reads += 1;
        return reads === 1 ? ours : theirs();
      },
    });
    await client.send(new SendMessageCommand(input as never));
    expect(requestsSinceStart().map((request) => request.body?.['QueueUrl'])).toEqual([ours]);
    await expectTheirsIntact();
  });

  it('a Proxy hiding QueueUrl from enumeration but answering it when read: refused as missing', async () => {
    const input = new Proxy({ QueueUrl: theirs(), MessageBody: 'hidden' } as Record<string, unknown>, { ownKeys: () => ['MessageBody'] });
    const error = await refusal(() => client.send(new SendMessageCommand(input as never)));
    expect(error).toMatchObject({ rule: 'unverifiable-request', found: 'QueueUrl is missing' });
    await expectVictimsIntact();
  });

  it('a QueueUrl inherited through a "__proto__" key merged with Object.assign: refused', async () => {
    const body = JSON.parse(`{"__proto__": {"QueueUrl": ${JSON.stringify(theirs())}}}`) as object;
    const input = Object.assign({ MessageBody: 'inherited' }, body);
    expect((input as { QueueUrl?: string }).QueueUrl).toBe(theirs());
    const error = await refusal(() => client.send(new SendMessageCommand(input as never)));
    expect(error.rule).toBe('unverifiable-request');
    expect(error.found).toContain('an object inheriting members from another object (QueueUrl)');
    await expectVictimsIntact();
  });

  it('a QueueUrl planted on Object.prototype: not inherited by what is sent, refused as missing', async () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype['QueueUrl'] = theirs();
    try {
      const error = await refusal(() => client.send(new SendMessageCommand({ MessageBody: 'polluted' } as never)));
      expect(error).toMatchObject({ rule: 'unverifiable-request', found: 'QueueUrl is missing' });
    } finally {
      delete prototype['QueueUrl'];
    }
    await expectVictimsIntact();
  });

  async function expectTheirsIntact(): Promise<void> {
    expect(await messagesOf(theirs())).toEqual([secretOf(theirs())]);
  }
});

describe('middleware added to the client later, against a local endpoint speaking the SQS JSON protocol', () => {
  const theirs = (): string => aws.capsule('globex', 'DEV').queue('jobs');
  const stack = (): Stack => client.middlewareStack as unknown as Stack;

  async function withMiddleware(name: string, add: (stack: Stack) => void, run: () => Promise<void>): Promise<void> {
    add(stack());
    try {
      await run();
    } finally {
      stack().remove(name);
    }
    await expectVictimsIntact();
  }

  const sendOurs = (): Promise<unknown> => client.send(new SendMessageCommand({ QueueUrl: ours, MessageBody: 'ours too' }));

  it('an initialize middleware rewriting QueueUrl to the victim’s: refused at the serializer', async () => {
    await withMiddleware(
      'rewrite',
      (s) => s.add((next) => (args) => next({ ...args, input: { ...(args['input'] as object), QueueUrl: theirs() } }), { step: 'initialize', priority: 'low', name: 'rewrite' }),
      async () => {
        const error = await refusal(sendOurs);
        expect(error).toMatchObject({ rule: 'queue-scope', found: `QueueUrl = "${theirs()}"` });
      },
    );
  });

  it('a build middleware rewriting the serialized body to the victim’s URL: read on the wire and refused', async () => {
    await withMiddleware(
      'body',
      (s) =>
        s.add(
          (next) => (args) => {
            const request = args['request'] as { headers: Record<string, string>; body: unknown };
            const body = JSON.stringify({ QueueUrl: theirs(), MessageBody: 'ours too' });
            request.body = body;
            request.headers['content-length'] = String(Buffer.byteLength(body));
            return next(args);
          },
          { step: 'build', name: 'body' },
        ),
      async () => {
        const error = await refusal(sendOurs);
        expect(error).toMatchObject({ rule: 'queue-scope', command: 'SendMessageCommand', found: `QueueUrl = "${theirs()}"` });
      },
    );
  });

  it('a build middleware turning the request into DeleteQueue (X-Amz-Target): refused', async () => {
    await withMiddleware(
      'retarget',
      (s) =>
        s.add(
          (next) => (args) => {
            (args['request'] as { headers: Record<string, string> }).headers['x-amz-target'] = 'AmazonSQS.DeleteQueue';
            return next(args);
          },
          { step: 'build', name: 'retarget' },
        ),
      async () => {
        const error = await refusal(sendOurs);
        expect(error).toMatchObject({ rule: 'unbounded-operation', command: 'DeleteQueueCommand' });
      },
    );
  });

  it('a middleware moving the endpoint to another SQS endpoint: refused at the gate, neither endpoint sees a request', async () => {
    const elsewhere = await startSqsServer({ accountId: ACCOUNT });
    try {
      await withMiddleware(
        'move',
        (s) =>
          s.addRelativeTo(
            (next, context) => (args) => {
              context['endpointV2'] = { url: new URL(elsewhere.endpoint) };
              return next(args);
            },
            { relation: 'after', toMiddleware: 'endpointV2Middleware', name: 'move' },
          ),
        async () => {
          const error = await refusal(sendOurs);
          expect(error.rule).toBe('queue-scope');
          expect(error.found).toBe(`a request sent to "${elsewhere.endpoint}/", Host header "${new URL(elsewhere.endpoint).host}"`);
          expect(elsewhere.requests).toEqual([]);
        },
      );
    } finally {
      await elsewhere.close();
    }
  });

  it.each([
    [
      'the hostname and port',
      (request: Record<string, unknown>): void => {
        request['hostname'] = 'localhost';
        request['port'] = 1;
      },
      'a request sent to "http://localhost:1/"',
    ],
    [
      'the path, to the victim’s queue path',
      (request: Record<string, unknown>): void => {
        request['path'] = `/${ACCOUNT}/4_globex_3_DEV_jobs`;
      },
      `/${ACCOUNT}/4_globex_3_DEV_jobs"`,
    ],
    [
      'a query',
      (request: Record<string, unknown>): void => {
        request['query'] = { QueueUrl: 'x' };
      },
      'with a query',
    ],
    [
      'the Host header',
      (request: Record<string, unknown>): void => {
        (request['headers'] as Record<string, string>)['host'] = 'sqs.eu-west-1.amazonaws.com';
      },
      'Host header "sqs.eu-west-1.amazonaws.com"',
    ],
    [
      'a second Host header in other letter case',
      (request: Record<string, unknown>): void => {
        (request['headers'] as Record<string, string>)['Host'] = 'sqs.eu-west-1.amazonaws.com';
      },
      'Host header "sqs.eu-west-1.amazonaws.com" and "127.0.0.1:',
    ],
  ] as const)('a build middleware changing %s of an approved request: refused at the gate', async (_name, tamper, found) => {
    await withMiddleware(
      'tamper',
      (s) =>
        s.add(
          (next) => (args) => {
            tamper(args['request'] as Record<string, unknown>);
            return next(args);
          },
          { step: 'build', name: 'tamper' },
        ),
      async () => {
        const error = await refusal(sendOurs);
        expect(error).toMatchObject({ rule: 'queue-scope', command: 'SQS request' });
        expect(error.found).toContain(found);
      },
    );
  });

  it('a deserialize middleware editing the signed request’s body in place: read on the wire and refused', async () => {
    // Same length as ours, so the body can be edited byte for byte.
    const sameLength = ours.replace('4_acme_3_DEV_jobs', '4_acmf_3_DEV_jobs');
    await raw.send(new CreateQueueCommand({ QueueName: nameOf(sameLength) }));
    await withMiddleware(
      'afterSigning',
      (s) =>
        s.add(
          (next) => (args) => {
            const bytes = (args['request'] as { body: Uint8Array }).body;
            bytes.set(new TextEncoder().encode(new TextDecoder().decode(bytes).replace(ours, sameLength)));
            return next(args);
          },
          { step: 'deserialize', priority: 'low', name: 'afterSigning' },
        ),
      async () => {
        const error = await refusal(sendOurs);
        expect(error).toMatchObject({ rule: 'queue-scope', found: `QueueUrl = "${sameLength}"` });
      },
    );
    expect(await messagesOf(sameLength)).toEqual([]);
  });

  it('a middleware moving the original request after the gate let it through (while the handler connects) moves nothing', async () => {
    // A fresh client: its handler awaits its configuration on the first request, before reading where to connect.
    const fresh = createClientFactory({ region: REGION, endpoint: sqs.endpoint, credentials: DUMMY_CREDENTIALS, accountId: ACCOUNT, queues: ['jobs'], clientConfig: { maxAttempts: 1 } });
    try {
      const freshClient = fresh.capsule('acme', 'DEV').client(SQSClient);
      (freshClient.middlewareStack as unknown as Stack).add(
        (next) => (args) => {
          const sent = next(args);
          Object.assign(args['request'] as object, { hostname: 'localhost', port: 1, path: `/${ACCOUNT}/4_globex_3_DEV_jobs` });
          return sent;
        },
        { step: 'deserialize', priority: 'low', name: 'moveAfterGate' },
      );
      await freshClient.send(new SendMessageCommand({ QueueUrl: ours, MessageBody: 'stayed' }));
      expect(requestsSinceStart().map((request) => [request.host, request.path])).toEqual([[new URL(sqs.endpoint).host, '/']]);
      expect(await messagesOf(ours)).toEqual(['ours', 'stayed']);
    } finally {
      fresh.destroy();
    }
  });

  it('a refused request is never signed (no finalizeRequest middleware runs) nor sent', async () => {
    let signed = 0;
    stack().add(
      (next) => (args) => {
        signed += 1;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'countSigning' },
    );
    try {
      await refusal(() => client.send(new SendMessageCommand({ QueueUrl: theirs(), MessageBody: 'x' })));
      expect(signed).toBe(0);
      await client.send(new GetQueueAttributesCommand({ QueueUrl: ours, AttributeNames: ['All'] }));
      expect(signed).toBe(1);
    } finally {
      stack().remove('countSigning');
    }
    await expectVictimsIntact();
  });

  it('a client whose credentials fail sends nothing: a refused request is refused before they are asked for, an allowed one fails on them', async () => {
    const failing = createClientFactory({ region: REGION, endpoint: sqs.endpoint, credentials: () => Promise.reject(new Error('no credentials')), accountId: ACCOUNT, queues: ['jobs'], clientConfig: { maxAttempts: 1 } });
    const scope = failing.capsule('acme', 'DEV');
    const before = sqs.requests.length;
    expect((await refusal(() => scope.client(SQSClient).send(new SendMessageCommand({ QueueUrl: theirs(), MessageBody: 'x' })))).rule).toBe('queue-scope');
    await expect(scope.client(SQSClient).send(new SendMessageCommand({ QueueUrl: scope.queue('jobs'), MessageBody: 'x' }))).rejects.toThrow(/no credentials/);
    expect(sqs.requests.length).toBe(before);
    failing.destroy();
  });

  it('the client stays guarded through all of it', () => {
    expect(hasIsolationGuard(client)).toBe(true);
  });
});

describe('without an endpoint: queue URLs on the AWS host the SDK sends to, against a local endpoint speaking the SQS JSON protocol', () => {
  /** The factory's request handler: connects to the local endpoint whatever host the request names (the Host header stays). */
  const forwarding = (): object => {
    const inner = raw.config.requestHandler as unknown as { handle(request: object, options?: unknown): Promise<unknown> };
    const { port } = new URL(sqs.endpoint);
    return { handle: (request: object, options?: unknown) => inner.handle(Object.assign(Object.create(request) as object, { protocol: 'http:', hostname: '127.0.0.1', port: Number(port) }), options) };
  };

  it('sends to https://sqs.<region>.amazonaws.com, and refuses a QueueUrl that shows the SDK’s endpoint middleware another host than the guard', async () => {
    // A logger of its own: the SDK warns when it sends to the host of a QueueUrl instead of the endpoint.
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const production = createClientFactory({ region: REGION, credentials: DUMMY_CREDENTIALS, accountId: ACCOUNT, queues: ['jobs'], clientConfig: { maxAttempts: 1, requestHandler: forwarding(), logger: quiet } });
    try {
      const scope = production.capsule('acme', 'DEV');
      const url = scope.queue('jobs');
      expect(url).toBe(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/4_acme_3_DEV_jobs`);
      const sqsClient = scope.client(SQSClient);
      const before = sqs.requests.length;
      await sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'via the AWS host' }));
      expect(sqs.requests.slice(before).map((request) => [request.host, request.body?.['QueueUrl']])).toEqual([[`sqs.${REGION}.amazonaws.com`, url]]);
      expect(await messagesOf(ours)).toEqual(['ours', 'via the AWS host']);
      // The SDK's queueUrlMiddleware reads QueueUrl (twice) to pick the host before the seal reads it. (With the
      // early check in place the input is read once, before both: the getter below could not split them.)
      expect(sqsClient.middlewareStack.remove(ISOLATION_EARLY_CHECK)).toBe(true);
      let reads = 0;
      const input = {
        get QueueUrl(): string {
          reads += 1;
          return reads <= 2 ? `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/4_acme_3_DEV_jobs` : url;
        },
        MessageBody: 'elsewhere',
      };
      const error = await refusal(() => sqsClient.send(new SendMessageCommand(input)));
      expect(error).toMatchObject({ rule: 'queue-scope', found: 'a request sent to "https://sqs.eu-west-1.amazonaws.com/", Host header "sqs.eu-west-1.amazonaws.com"' });
    } finally {
      production.destroy();
    }
  });
});

describe('legitimate SQS calls inside the scope, against a local endpoint speaking the SQS JSON protocol', () => {
  it('send, receive, change visibility, delete (single and batch), attributes, tags, GetQueueUrl, CreateQueue, ListQueues and purge succeed, and see only the scope', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: ours, MessageBody: 'one', MessageAttributes: { kind: { DataType: 'String', StringValue: 'job' } } }));
    await client.send(new SendMessageBatchCommand({ QueueUrl: ours, Entries: [{ Id: 'a', MessageBody: 'two' }, { Id: 'b', MessageBody: 'three' }] }));
    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: ours, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect((received.Messages ?? []).map((message) => message.Body).sort()).toEqual(['one', 'ours', 'three', 'two']);
    expect(received.Messages?.find((message) => message.Body === 'one')?.MessageAttributes?.['kind']?.StringValue).toBe('job');
    const [first, second, third, fourth] = (received.Messages ?? []).map((message) => message.ReceiptHandle ?? '');
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: ours, ReceiptHandle: first, VisibilityTimeout: 0 }));
    await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: ours, Entries: [{ Id: 'x', ReceiptHandle: second, VisibilityTimeout: 0 }] }));
    await client.send(new DeleteMessageCommand({ QueueUrl: ours, ReceiptHandle: third }));
    const deleted = await client.send(new DeleteMessageBatchCommand({ QueueUrl: ours, Entries: [{ Id: 'y', ReceiptHandle: fourth }] }));
    expect(deleted.Failed ?? []).toEqual([]);
    await client.send(new SetQueueAttributesCommand({ QueueUrl: ours, Attributes: { VisibilityTimeout: '45', DelaySeconds: '0' } }));
    expect((await client.send(new GetQueueAttributesCommand({ QueueUrl: ours, AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessages'] }))).Attributes).toEqual({ VisibilityTimeout: '45', ApproximateNumberOfMessages: '2' });
    expect((await client.send(new ListQueueTagsCommand({ QueueUrl: ours }))).Tags).toBeUndefined();
    expect((await client.send(new GetQueueUrlCommand({ QueueName: nameOf(ours) }))).QueueUrl).toBe(ours);
    expect((await client.send(new GetQueueUrlCommand({ QueueName: nameOf(ours), QueueOwnerAWSAccountId: ACCOUNT }))).QueueUrl).toBe(ours);
    const fifo = dev.queue('orders.fifo');
    expect((await client.send(new CreateQueueCommand({ QueueName: nameOf(fifo), Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' } }))).QueueUrl).toBe(fifo);
    const sent = await client.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: 'in order', MessageGroupId: 'g' }));
    expect(sent.SequenceNumber).toBeDefined();
    expect((await client.send(new ListQueuesCommand({ QueueNamePrefix: '4_acme_3_DEV_' }))).QueueUrls?.sort()).toEqual([ours, fifo].sort());
    await client.send(new PurgeQueueCommand({ QueueUrl: fifo }));
    expect(violations).toEqual([]);
    expect(requestsSinceStart().every((request) => request.body?.['QueueUrl'] === undefined || [ours, fifo].includes(String(request.body['QueueUrl'])))).toBe(true);
    await raw.send(new DeleteQueueCommand({ QueueUrl: fifo }));
    await raw.send(new PurgeQueueCommand({ QueueUrl: ours }));
    await raw.send(new SendMessageCommand({ QueueUrl: ours, MessageBody: 'ours' }));
    await expectVictimsIntact();
  });

  it('a tenant scope uses its tenant’s queues, lists under its tenant’s prefix, and reaches no other tenant’s queue', async () => {
    const tenant = aws.tenant('acme');
    const url = tenant.queue('jobs');
    expect(url).toBe(`${sqs.endpoint}/${ACCOUNT}/4_acme_jobs`);
    const tenantClient = tenant.client(SQSClient);
    await tenantClient.send(new CreateQueueCommand({ QueueName: '4_acme_jobs' }));
    await tenantClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'tenant job' }));
    expect(await messagesOf(url)).toEqual(['tenant job']);
    const listed = (await tenantClient.send(new ListQueuesCommand({ QueueNamePrefix: '4_acme_' }))).QueueUrls ?? [];
    expect(listed).toContain(url);
    expect(listed.every((queue) => nameOf(queue).startsWith('4_acme_'))).toBe(true);
    expect((await refusal(() => tenantClient.send(new SendMessageCommand({ QueueUrl: aws.tenant('globex').queue('jobs'), MessageBody: 'x' })))).rule).toBe('queue-scope');
    expect((await refusal(() => tenantClient.send(new ListQueuesCommand({ QueueNamePrefix: '6_globex_' })))).rule).toBe('queue-scope');
    await raw.send(new DeleteQueueCommand({ QueueUrl: url }));
  });

  it("a platform scope's SQS client is not guarded", async () => {
    const platform = aws.platform().client(SQSClient);
    expect(hasIsolationGuard(platform)).toBe(false);
    expect((await platform.send(new ListQueuesCommand({}))).QueueUrls?.length).toBeGreaterThanOrEqual(5);
  });
});
