/**
 * The SNS attack matrix, against a local endpoint speaking the SNS Query protocol
 * (`src/testing/sns-server.ts`): a capsule scope's SNS client (acme/DEV, from the factory) aims
 * every command family at another capsule of the same tenant (acme/PROD), a capsule whose code
 * extends ours (acme/DEVX), another tenant (globex/DEV) and the platform's topic. Every attempt
 * must be refused with the right rule before anything reaches the endpoint (it records every
 * request), and the victims' topics, messages and subscriptions, read back from the endpoint, must
 * be intact. The same commands on the scope's own topics succeed.
 */
import {
  AddPermissionCommand,
  CheckIfPhoneNumberIsOptedOutCommand,
  ConfirmSubscriptionCommand,
  CreatePlatformEndpointCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  PutDataProtectionPolicyCommand,
  RemovePermissionCommand,
  SetSMSAttributesCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addIsolationGuard, createClientFactory, IsolationViolationError, type ClientFactory, type GuardRule, type Scope } from '../src/aws/index.js';
import { defaultTopicNaming, TopicNameError } from '../src/aws/topics.js';
import type { ScopeDescription } from '../src/aws/scope.js';
import { startSnsServer, type SnsServer } from '../src/testing/sns-server.js';
import { DUMMY_CREDENTIALS } from './support/dynamo.js';
import { refusalOf } from './support/refusal.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

interface Target {
  readonly name: string;
  readonly scope: () => Scope;
}

const TARGETS: readonly Target[] = [
  { name: 'another capsule of the same tenant (acme/PROD)', scope: () => aws.capsule('acme', 'PROD') },
  { name: 'a capsule whose code extends ours (acme/DEVX)', scope: () => aws.capsule('acme', 'DEVX') },
  { name: 'another tenant (globex/DEV)', scope: () => aws.capsule('globex', 'DEV') },
  { name: "the platform's topic", scope: () => aws.platform() },
];

/** What an attack aims at: the victim's topic, one of its subscriptions, and its queue. */
interface Victim {
  readonly topic: string;
  readonly subscription: string;
  readonly queue: string;
}

type Attack = readonly [name: string, make: (victim: Victim) => object, rule?: GuardRule];

const ATTACKS: readonly Attack[] = [
  ['Publish (TopicArn)', (v) => new PublishCommand({ TopicArn: v.topic, Message: 'forged' })],
  ['Publish (TargetArn)', (v) => new PublishCommand({ TargetArn: v.topic, Message: 'forged' })],
  ['Publish to our topic and theirs (TopicArn and TargetArn)', (v) => new PublishCommand({ TopicArn: ours(), TargetArn: v.topic, Message: 'forged' }), 'unverifiable-request'],
  ['PublishBatch', (v) => new PublishBatchCommand({ TopicArn: v.topic, PublishBatchRequestEntries: [{ Id: '1', Message: 'forged' }] })],
  ['Subscribe our queue to their topic', (v) => new SubscribeCommand({ TopicArn: v.topic, Protocol: 'sqs', Endpoint: queueArnOf(dev.queue('jobs')) })],
  ['Subscribe their queue to our topic (a write into their queue)', (v) => new SubscribeCommand({ TopicArn: ours(), Protocol: 'sqs', Endpoint: v.queue })],
  ['Unsubscribe their subscription', (v) => new UnsubscribeCommand({ SubscriptionArn: v.subscription })],
  ['GetSubscriptionAttributes of their subscription', (v) => new GetSubscriptionAttributesCommand({ SubscriptionArn: v.subscription })],
  ['GetTopicAttributes', (v) => new GetTopicAttributesCommand({ TopicArn: v.topic })],
  ['ListSubscriptionsByTopic', (v) => new ListSubscriptionsByTopicCommand({ TopicArn: v.topic })],
  ['SetTopicAttributes', (v) => new SetTopicAttributesCommand({ TopicArn: v.topic, AttributeName: 'DisplayName', AttributeValue: 'owned' }), 'unbounded-operation'],
  ['DeleteTopic', (v) => new DeleteTopicCommand({ TopicArn: v.topic }), 'unbounded-operation'],
  ['AddPermission', (v) => new AddPermissionCommand({ TopicArn: v.topic, Label: 'open', AWSAccountId: ['999999999999'], ActionName: ['Publish'] }), 'unbounded-operation'],
  ['SetSubscriptionAttributes (a redrive into their queue)', (v) => new SetSubscriptionAttributesCommand({ SubscriptionArn: v.subscription, AttributeName: 'RedrivePolicy', AttributeValue: '{}' }), 'unbounded-operation'],
  ['TagResource', (v) => new TagResourceCommand({ ResourceArn: v.topic, Tags: [{ Key: 'k', Value: 'v' }] }), 'unbounded-operation'],
];

let server: SnsServer;
let aws: ClientFactory;
let dev: Scope;
let client: SNSClient;
let raw: SNSClient;
const violations: IsolationViolationError[] = [];
const victims = new Map<string, Victim>();

const ours = (): string => dev.topic('alerts');
const queueArnOf = (url: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${url.slice(url.lastIndexOf('/') + 1)}`;
const topicName = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

beforeAll(async () => {
  server = await startSnsServer({ region: REGION, accountId: ACCOUNT });
  aws = createClientFactory({
    region: REGION,
    endpoint: server.endpoint,
    accountId: ACCOUNT,
    topics: ['alerts'],
    queues: ['jobs'],
    credentials: DUMMY_CREDENTIALS,
    clientConfig: { maxAttempts: 1 },
    onViolation: (error) => violations.push(error),
  });
  dev = aws.capsule('acme', 'DEV');
  client = dev.client(SNSClient);
  raw = new SNSClient({ region: REGION, endpoint: server.endpoint, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  aws?.destroy();
  raw?.destroy();
  await server?.close();
});

beforeEach(async () => {
  server.reset();
  victims.clear();
  server.createTopic(topicName(ours()));
  for (const target of TARGETS) {
    const scope = target.scope();
    const topic = scope.topic('alerts');
    server.createTopic(topicName(topic));
    const queue = queueArnOf(scope.queue('jobs'));
    const { SubscriptionArn } = await raw.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queue }));
    await raw.send(new PublishCommand({ TopicArn: topic, Message: `secret of ${target.name}` }));
    victims.set(target.name, { topic, subscription: SubscriptionArn as string, queue });
  }
  server.clearRequests();
  violations.length = 0;
});

/** A refusal, and proof that nothing reached the endpoint. */
async function refusal(send: () => Promise<unknown>): Promise<IsolationViolationError> {
  const before = server.requests.length;
  const error = await refusalOf(send(), IsolationViolationError);
  expect(server.requests.length, 'a refused request must send nothing').toBe(before);
  return error;
}

function expectVictimsIntact(): void {
  for (const target of TARGETS) {
    const victim = victims.get(target.name) as Victim;
    expect(server.messages(victim.topic).map((message) => message.message)).toEqual([`secret of ${target.name}`]);
    expect(server.subscriptions(victim.topic).map((subscription) => subscription.subscriptionArn)).toEqual([victim.subscription]);
    expect(server.attributes(victim.topic)).toMatchObject({ DisplayName: '' });
  }
  expect(server.subscriptions(ours())).toEqual([]);
}

describe('naming: scope.topic()', () => {
  it('gives each tenant and capsule its own topic ARN, in the factory account and region, and the platform the logical name', () => {
    expect(dev.topic('alerts')).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:4_acme_3_DEV_alerts`);
    expect(aws.capsule('acme', 'DEVX').topic('alerts')).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:4_acme_4_DEVX_alerts`);
    expect(aws.tenant('acme').topic('alerts')).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:4_acme_alerts`);
    expect(aws.platform().topic('alerts')).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`);
    expect(() => dev.topic('orders')).toThrow(/topic "orders" is not one of the factory's topics \('alerts'\); add it to createClientFactory\(\{ topics \}\)/);
    expect(dev.describe()).toMatchObject({ topics: { alerts: `arn:aws:sns:us-east-1:${ACCOUNT}:4_acme_3_DEV_alerts` } });
  });

  it('is injective: ids whose plain concatenations collide get different names', () => {
    const name = (scope: ScopeDescription, logical: string): string => defaultTopicNaming(logical, scope);
    const capsule = (tenantId: string, capsuleId: string): ScopeDescription => ({ kind: 'capsule', tenantId, capsuleId }) as ScopeDescription;
    const tenant = (tenantId: string): ScopeDescription => ({ kind: 'tenant', tenantId }) as ScopeDescription;
    const names = [
      name(capsule('acme', 'DEV'), 'x_alerts'),
      name(capsule('acme', 'DEV_x'), 'alerts'),
      name(capsule('acme_3', 'DEV'), 'alerts'),
      name(capsule('acme', '3_DEV'), 'alerts'),
      name(tenant('acme'), 'alerts'),
      name(tenant('acme_3_DEV'), 'alerts'),
      name(tenant('acme-DEV'), 'alerts'),
      name(capsule('acme', 'DEV'), 'alerts'),
      name({ kind: 'platform' }, 'alerts'),
    ];
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps FIFO topics FIFO, refuses logical names that could be a scope name, and needs the account', () => {
    const fifo = createClientFactory({ region: 'cn-north-1', accountId: ACCOUNT });
    expect(fifo.capsule('acme', 'DEV').topic('orders.fifo')).toBe(`arn:aws-cn:sns:cn-north-1:${ACCOUNT}:4_acme_3_DEV_orders.fifo`);
    expect(() => fifo.platform().topic('3_DEV_alerts')).toThrow(TopicNameError);
    expect(() => fifo.platform().topic('alerts.json')).toThrow(/logical topic name "alerts.json" is invalid/);
    fifo.destroy();
    const accountless = createClientFactory({ region: REGION });
    expect(() => accountless.tenant('acme').topic('alerts')).toThrow(/needs the account of the application's topics: createClientFactory\(\{ accountId/);
    accountless.destroy();
    expect(() => createClientFactory({ region: REGION, topics: ['alerts'] })).toThrow(/topics need the account they live in/);
    expect(() => createClientFactory({ region: REGION, accountId: '12345' })).toThrow(/accountId must be an AWS account id of 12 digits/);
    const named = createClientFactory({ region: REGION, accountId: ACCOUNT, topicNaming: () => 'not a topic!' });
    expect(() => named.tenant('acme').topic('alerts')).toThrow(/topic naming turned 'alerts' into "not a topic!"/);
    named.destroy();
  });
});

describe.each(TARGETS)('SNS attacks on $name, against a local endpoint speaking the SNS Query protocol', (target) => {
  for (const [name, make, rule] of ATTACKS) {
    it(`${name} is refused before sending, and the victim is intact`, async () => {
      const error = await refusal(() => client.send(make(victims.get(target.name) as Victim) as never));
      expect(error.rule).toBe(rule ?? 'topic-scope');
      expect(error.scope).toEqual({ kind: 'capsule', tenantId: 'acme', capsuleId: 'DEV' });
      expect(error.found.length).toBeGreaterThan(0);
      if (rule === undefined) expect(error.expected).toContain('4_acme_3_DEV_');
      expect(violations).toEqual([error]);
      expectVictimsIntact();
    });
  }
});

describe('SNS requests no topic of the scope can bound, against a local endpoint speaking the SNS Query protocol', () => {
  it.each([
    ['CreateTopic', () => new CreateTopicCommand({ Name: '4_acme_3_DEV_new' })],
    ['DeleteTopic of our own topic', () => new DeleteTopicCommand({ TopicArn: ours() })],
    ['ListTopics', () => new ListTopicsCommand({})],
    ['ListSubscriptions', () => new ListSubscriptionsCommand({})],
    ['SetTopicAttributes of our own topic (its policy)', () => new SetTopicAttributesCommand({ TopicArn: ours(), AttributeName: 'Policy', AttributeValue: '{}' })],
    ['AddPermission on our own topic', () => new AddPermissionCommand({ TopicArn: ours(), Label: 'l', AWSAccountId: ['999999999999'], ActionName: ['Subscribe'] })],
    ['RemovePermission on our own topic', () => new RemovePermissionCommand({ TopicArn: ours(), Label: 'l' })],
    ['PutDataProtectionPolicy', () => new PutDataProtectionPolicyCommand({ ResourceArn: ours(), DataProtectionPolicy: '{}' })],
    ['ListTagsForResource', () => new ListTagsForResourceCommand({ ResourceArn: ours() })],
    ['ConfirmSubscription', () => new ConfirmSubscriptionCommand({ TopicArn: ours(), Token: 't' })],
    ['CheckIfPhoneNumberIsOptedOut', () => new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550100' })],
    ['SetSMSAttributes', () => new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Promotional' } })],
    ['CreatePlatformEndpoint', () => new CreatePlatformEndpointCommand({ PlatformApplicationArn: `arn:aws:sns:${REGION}:${ACCOUNT}:app/GCM/x`, Token: 't' })],
  ] as const)('%s: unbounded-operation', async (_name, make) => {
    const error = await refusal(() => client.send(make() as never));
    expect(error.rule).toBe('unbounded-operation');
    expectVictimsIntact();
  });

  it.each([
    ['Publish to a phone number', () => new PublishCommand({ PhoneNumber: '+15555550100', Message: 'code 1234' }), 'topic-scope'],
    ['Publish to a phone number and our topic', () => new PublishCommand({ TopicArn: ours(), PhoneNumber: '+15555550100', Message: 'x' }), 'topic-scope'],
    ['Publish without a destination', () => new PublishCommand({ Message: 'x' }), 'unverifiable-request'],
    ['Publish to a mobile endpoint (TargetArn)', () => new PublishCommand({ TargetArn: `arn:aws:sns:${REGION}:${ACCOUNT}:endpoint/GCM/app/1`, Message: 'x' }), 'topic-scope'],
    ['Publish to our topic’s name in another account', () => new PublishCommand({ TopicArn: ours().replace(ACCOUNT, '999999999999'), Message: 'x' }), 'topic-scope'],
    ['Publish to our topic’s name in another region', () => new PublishCommand({ TopicArn: ours().replace(REGION, 'eu-west-1'), Message: 'x' }), 'topic-scope'],
    ['Subscribe our topic to an HTTPS URL', () => new SubscribeCommand({ TopicArn: ours(), Protocol: 'https', Endpoint: 'https://collector.example/hook' }), 'topic-scope'],
    ['Subscribe our topic to an email address', () => new SubscribeCommand({ TopicArn: ours(), Protocol: 'email', Endpoint: 'someone@example.com' }), 'topic-scope'],
    ['Subscribe our topic to a Lambda function', () => new SubscribeCommand({ TopicArn: ours(), Protocol: 'lambda', Endpoint: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f` }), 'topic-scope'],
    ['Subscribe our topic to our queue’s name in another region', () => new SubscribeCommand({ TopicArn: ours(), Protocol: 'sqs', Endpoint: queueArnOf(dev.queue('jobs')).replace(REGION, 'eu-west-1') }), 'topic-scope'],
    ['Unsubscribe a subscription ARN that only starts with our topic’s', () => new UnsubscribeCommand({ SubscriptionArn: `${ours()}:a:b` }), 'topic-scope'],
  ] as const)('%s: refused', async (_name, make, rule) => {
    const error = await refusal(() => client.send(make() as never));
    expect(error.rule).toBe(rule);
    expect(server.messages().filter((message) => message.phoneNumber !== undefined)).toEqual([]);
    expectVictimsIntact();
  });
});

describe('legitimate SNS calls on the scope’s own topics, against a local endpoint speaking the SNS Query protocol', () => {
  it('publish, publish a batch, subscribe its queue, read attributes and subscriptions, unsubscribe', async () => {
    const topic = ours();
    await client.send(new PublishCommand({ TopicArn: topic, Message: 'hello', Subject: 's', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } }));
    await client.send(new PublishCommand({ TargetArn: topic, Message: 'by target' }));
    const batch = await client.send(new PublishBatchCommand({ TopicArn: topic, PublishBatchRequestEntries: [{ Id: 'a', Message: 'one' }, { Id: 'b', Message: 'two' }] }));
    expect(batch.Successful?.map((entry) => entry.Id)).toEqual(['a', 'b']);
    expect(server.messages(topic).map((message) => [message.message, message.attributes])).toEqual([
      ['hello', { kind: 'greeting' }],
      ['by target', {}],
      ['one', {}],
      ['two', {}],
    ]);
    const queue = queueArnOf(dev.queue('jobs'));
    const { SubscriptionArn } = await client.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queue }));
    expect(SubscriptionArn?.startsWith(`${topic}:`)).toBe(true);
    expect((await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions?.map((subscription) => subscription.Endpoint)).toEqual([queue]);
    expect((await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes).toMatchObject({ TopicArn: topic, Endpoint: queue });
    expect((await client.send(new GetTopicAttributesCommand({ TopicArn: topic }))).Attributes).toMatchObject({ TopicArn: topic, SubscriptionsConfirmed: '1' });
    await client.send(new UnsubscribeCommand({ SubscriptionArn }));
    expect(server.subscriptions(topic)).toEqual([]);
    expect(server.requests.map((request) => request.action)).toEqual(['Publish', 'Publish', 'PublishBatch', 'Subscribe', 'ListSubscriptionsByTopic', 'GetSubscriptionAttributes', 'GetTopicAttributes', 'Unsubscribe']);
    expect(violations).toEqual([]);
    expectVictimsIntact();
  });

  it('a tenant scope publishes to its own topics, not its capsules’ or another tenant’s', async () => {
    const tenant = aws.tenant('acme');
    const topic = tenant.topic('alerts');
    server.createTopic(topicName(topic));
    const tenantClient = tenant.client(SNSClient);
    await tenantClient.send(new PublishCommand({ TopicArn: topic, Message: 'tenant-wide' }));
    expect(server.messages(topic).map((message) => message.message)).toEqual(['tenant-wide']);
    expect((await refusal(() => tenantClient.send(new PublishCommand({ TopicArn: ours(), Message: 'x' })))).rule).toBe('topic-scope');
    expect((await refusal(() => tenantClient.send(new PublishCommand({ TopicArn: aws.tenant('globex').topic('alerts'), Message: 'x' })))).rule).toBe('topic-scope');
  });

  it('without declared topics, a scope’s guard accepts the topics that scope has named, and only those', async () => {
    const open = createClientFactory({ region: REGION, endpoint: server.endpoint, accountId: ACCOUNT, credentials: DUMMY_CREDENTIALS, clientConfig: { maxAttempts: 1 } });
    const scope = open.capsule('acme', 'DEV');
    const scopeClient = scope.client(SNSClient);
    expect((await refusal(() => scopeClient.send(new PublishCommand({ TopicArn: ours(), Message: 'x' })))).expected).toContain('none: declare them');
    expect(scope.topic('alerts')).toBe(ours());
    await scopeClient.send(new PublishCommand({ TopicArn: ours(), Message: 'named now' }));
    expect(server.messages(ours()).map((message) => message.message)).toEqual(['named now']);
    open.capsule('acme', 'PROD').topic('alerts');
    expect((await refusal(() => scopeClient.send(new PublishCommand({ TopicArn: aws.capsule('acme', 'PROD').topic('alerts'), Message: 'x' })))).rule).toBe('topic-scope');
    open.destroy();
  });

  it('a platform scope’s SNS client is not guarded', async () => {
    await aws.platform().client(SNSClient).send(new CreateTopicCommand({ Name: 'platform-made' }));
    expect(server.topics()).toContain(`arn:aws:sns:${REGION}:${ACCOUNT}:platform-made`);
  });
});

describe('inputs that could show the guard one destination and send another, against a local endpoint speaking the SNS Query protocol', () => {
  const victim = (): string => (victims.get(TARGETS[2]?.name as string) as Victim).topic;

  it('a getter is read once: what was judged is what is sent', async () => {
    let reads = 0;
    const input = {
      Message: 'getter',
      get TopicArn(): string {
        reads += 1;
        return reads === 1 ? ours() : victim();
      },
    };
    await client.send(new PublishCommand(input));
    expect(server.messages(ours()).map((message) => message.message)).toEqual(['getter']);
    expectVictimsIntact();
  });

  it('a Proxy is read once too', async () => {
    let reads = 0;
    const input = new Proxy({ TopicArn: ours(), Message: 'proxy' } as Record<string, string>, {
      get: (target, key: string) => (key === 'TopicArn' && (reads += 1) > 1 ? victim() : target[key]),
    });
    await client.send(new PublishCommand(input as never));
    expect(server.messages(ours()).map((message) => message.message)).toEqual(['proxy']);
    expectVictimsIntact();
  });

  it('an inherited TopicArn (Object.assign with a parsed "__proto__") is refused, nothing sent', async () => {
    const input = Object.assign({}, JSON.parse(`{"Message":"x","__proto__":{"TopicArn":${JSON.stringify(victim())}}}`) as object);
    const planted = Object.assign(Object.create({ TopicArn: victim() }) as object, { Message: 'x' });
    for (const attempt of [input, planted]) {
      const error = await refusal(() => client.send(new PublishCommand(attempt as never)));
      expect(error.rule).toBe('unverifiable-request');
    }
    expectVictimsIntact();
  });

  it('a polluted Object.prototype (PhoneNumber, TargetArn) is not inherited by what is serialized', async () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype['PhoneNumber'] = '+15555550100';
    prototype['TargetArn'] = victim();
    try {
      await client.send(new PublishCommand({ TopicArn: ours(), Message: 'clean' }));
    } finally {
      delete prototype['PhoneNumber'];
      delete prototype['TargetArn'];
    }
    const [sent] = server.requests;
    expect(sent?.params.filter(([name]) => ['TopicArn', 'TargetArn', 'PhoneNumber'].includes(name))).toEqual([['TopicArn', ours()]]);
    expectVictimsIntact();
  });
});

describe('requests changed after the guard judged them, against a local endpoint speaking the SNS Query protocol', () => {
  type Next = (args: { input: Record<string, unknown>; request: Record<string, unknown> }) => Promise<unknown>;
  type Stack = { add(middleware: (next: Next) => Next, options: object): void; remove(name: string): boolean };
  const victim = (): string => (victims.get(TARGETS[0]?.name as string) as Victim).topic;

  it.each([
    ['the TopicArn in the body rewritten to another capsule’s topic', 'build', (body: string): string => body.replace(encodeURIComponent(ours()), encodeURIComponent(victim()))],
    ['a second TopicArn appended to the body', 'finalizeRequest', (body: string): string => `${body}&TopicArn=${encodeURIComponent(victim())}`],
    ['the Action rewritten to DeleteTopic', 'build', (body: string): string => body.replace('Action=Publish', 'Action=DeleteTopic')],
    ['a lower-case topicArn appended', 'build', (body: string): string => `${body}&topicarn=${encodeURIComponent(victim())}`],
  ] as const)('%s (%s-step middleware): refused at the gate, nothing sent', async (_name, step, tamper) => {
    const stack = client.middlewareStack as unknown as Stack;
    stack.add((next) => (args) => {
      args.request['body'] = tamper(String(args.request['body']));
      return next(args);
    }, { step, name: 'tamper' });
    try {
      const error = await refusal(() => client.send(new PublishCommand({ TopicArn: ours(), Message: 'x' })));
      expect(error.rule).toBe('unverifiable-request');
    } finally {
      stack.remove('tamper');
    }
    expectVictimsIntact();
  });

  it('a large message is recorded by digest: it is sent, and one byte changed after the seal is refused', async () => {
    const message = 'm'.repeat(200 * 1024);
    await client.send(new PublishCommand({ TopicArn: ours(), Message: message }));
    expect(server.messages(ours())[0]?.message).toBe(message);
    const stack = client.middlewareStack as unknown as Stack;
    stack.add((next) => (args) => {
      args.request['body'] = String(args.request['body']).replace('mmm&', 'mmn&');
      return next(args);
    }, { step: 'build', name: 'tamper' });
    try {
      expect((await refusal(() => client.send(new PublishCommand({ TopicArn: ours(), Message: message, Subject: 's' })))).rule).toBe('unverifiable-request');
    } finally {
      stack.remove('tamper');
    }
  });

  it('an initialize-step middleware that swaps the input’s topic: the seal judges what is serialized, refused', async () => {
    const stack = client.middlewareStack as unknown as Stack;
    stack.add((next) => (args) => next({ ...args, input: { ...args.input, TopicArn: victim() } }), { step: 'initialize', name: 'tamper' });
    try {
      expect((await refusal(() => client.send(new PublishCommand({ TopicArn: ours(), Message: 'x' })))).rule).toBe('topic-scope');
    } finally {
      stack.remove('tamper');
    }
    expectVictimsIntact();
  });

  it('a protocol assigned later that writes another topic into the body is sealed on the spot: the body is checked against the judged input, refused', async () => {
    const guarded = new SNSClient({ region: REGION, endpoint: server.endpoint, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
    addIsolationGuard(guarded, { scope: { kind: 'capsule', tenantId: 'acme', capsuleId: 'DEV' } as never, tables: new Set(), keys: { partitionKey: 'pk', sortKey: 'sk', indexes: {} }, topics: new Set([ours()]) });
    type Protocol = { serializeRequest(this: object, schema: unknown, input: unknown, context: unknown): Promise<{ body: string }> };
    const plain = new SNSClient({ region: REGION });
    const inner = (plain.config as unknown as { protocol: Protocol }).protocol;
    const lying = Object.create(inner) as Protocol;
    Object.defineProperty(lying, 'serializeRequest', {
      value: async function serializeRequest(this: object, schema: unknown, input: unknown, context: unknown) {
        const request = await inner.serializeRequest.call(this, schema, input, context);
        request.body = request.body.replace(encodeURIComponent(ours()), encodeURIComponent(victim()));
        return request;
      },
    });
    (guarded.config as unknown as { protocol: Protocol }).protocol = lying;
    try {
      const error = await refusal(() => guarded.send(new PublishCommand({ TopicArn: ours(), Message: 'x' })));
      expect(error.rule).toBe('unverifiable-request');
      expect(error.found).toContain('whose TopicArn reads');
    } finally {
      guarded.destroy();
      plain.destroy();
    }
    expectVictimsIntact();
  });

  it('a refused request asks for no credentials and sends nothing; a client whose credentials fail still reports the refusal (ADR 0015)', async () => {
    let fetched = 0;
    const counting = createClientFactory({ region: REGION, endpoint: server.endpoint, accountId: ACCOUNT, topics: ['alerts'], clientConfig: { maxAttempts: 1 }, credentials: () => {
      fetched += 1;
      return Promise.resolve(DUMMY_CREDENTIALS);
    } });
    const countingClient = counting.capsule('acme', 'DEV').client(SNSClient);
    expect((await refusal(() => countingClient.send(new PublishCommand({ TopicArn: victim(), Message: 'x' })))).rule).toBe('topic-scope');
    expect(fetched).toBe(0);
    counting.destroy();
    const failing = createClientFactory({ region: REGION, endpoint: server.endpoint, accountId: ACCOUNT, topics: ['alerts'], clientConfig: { maxAttempts: 1 }, credentials: () => Promise.reject(new Error('no credentials')) });
    const failingClient = failing.capsule('acme', 'DEV').client(SNSClient);
    expect((await refusal(() => failingClient.send(new PublishCommand({ TopicArn: victim(), Message: 'x' })))).rule).toBe('topic-scope');
    await expect(failingClient.send(new PublishCommand({ TopicArn: failing.capsule('acme', 'DEV').topic('alerts'), Message: 'x' }))).rejects.toThrow(/no credentials/);
    expect(server.requests).toEqual([]);
    failing.destroy();
  });
});
