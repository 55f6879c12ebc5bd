/**
 * A refused request fetches no credentials and sends nothing, on every guarded client: ours
 * (DynamoDB, low-level and Document, S3, SQS, SNS, EventBridge, SSM, Secrets Manager) and a user's
 * guard, registered with the factory or installed with the plugin (STS). Each service runs against
 * a real implementation or a local endpoint speaking its protocol: dynalite, s3rver, and local
 * endpoints speaking the SQS JSON, SNS Query, EventBridge JSON, SSM JSON, Secrets Manager JSON and
 * STS Query protocols. A recording request handler under the guard sees every request sent; the
 * scope credentials are counted at their provider, or, with the factory's `scopedCredentials`, as
 * AssumeRole calls at the local STS endpoint.
 *
 * The early check (`guard-early.ts`) runs right before the SDK resolves the identity. It is not the
 * wall: with it removed, or overtaken by middleware that runs after it, the seal still refuses —
 * after the credentials were resolved, and still before anything is sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, paginateQuery, PutItemCommand, Scan$, ScanCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetRandomPasswordCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import * as doc from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientFactory,
  getIsolationGuardPlugin,
  hasIsolationGuard,
  ISOLATION_EARLY_CHECK,
  IsolationViolationError,
  queueNamePrefixOf,
  type ClientFactory,
  type ClientFactoryOptions,
  type GuardedScope,
  type GuardRule,
  type Scope,
} from '../src/aws/index.js';
import { startEventBridgeServer, startSecretsManagerServer, startSnsServer, startSqsServer, startSsmServer, startStsServer, type EventBridgeServer, type SecretsManagerServer, type SnsServer, type SqsServer, type SsmServer, type StsServer } from '../src/testing/index.js';
import { countingCredentials, createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';
import './support/events.js';
import { middlewareOrder } from './support/middleware-order.js';
import { refusalOf } from './support/refusal.js';
import { assume, RecordingHandler, ROLE_ACCOUNT, tenantRoles } from './support/sts-guard.js';

const REGION = 'us-east-1';
const ACCOUNT = ROLE_ACCOUNT;
/** The role `scopedCredentials` assumes for every tenant and capsule scope. */
const TENANT_ROLE = `arn:aws:iam::${ACCOUNT}:role/TenantData`;
const BUCKET = 'shared';
const OUR_KEY = 'TENANT#acme#CAPSULE#DEV#ORDER#1';
const THEIR_KEY = 'TENANT#globex#CAPSULE#DEV#ORDER#1';
const THEIR_NAME = '/tenants/globex/capsules/DEV/db/password';
const OWN_ROLE = `arn:aws:iam::${ACCOUNT}:role/tenants/acme/reader`;
const OTHER_ROLE = `arn:aws:iam::${ACCOUNT}:role/tenants/globex/reader`;

type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>;
type Middleware = (next: Next, context: Record<string, unknown>) => Next;
interface Stack {
  addRelativeTo(middleware: Middleware, options: object): void;
  remove(name: string): boolean;
}
interface Sender {
  send(command: never): Promise<unknown>;
  readonly middlewareStack: unknown;
  readonly config: unknown;
}
const stackOf = (client: Sender): Stack => client.middlewareStack as Stack;
const send = (client: Sender, command: object): Promise<unknown> => client.send(command as never);

let dynamo: LocalDynamo;
let s3: S3rver;
let s3Directory: string;
let s3Endpoint: string;
let sqs: SqsServer;
let sns: SnsServer;
let events: EventBridgeServer;
let ssm: SsmServer;
let secrets: SecretsManagerServer;
let sts: StsServer;

/** One guarded service: its scope client, a request it refuses and one it sends, at its local endpoint. */
interface ServiceCase {
  readonly name: string;
  /** The factory options for its local endpoint. */
  readonly options: () => Partial<ClientFactoryOptions>;
  readonly client: (scope: Scope) => Sender;
  readonly refused: (scope: Scope, factory: ClientFactory) => object;
  readonly rule: GuardRule;
  readonly allowed: (scope: Scope) => object;
}

const dynamoOptions = (): Partial<ClientFactoryOptions> => ({ endpoint: dynamo.endpoint });
const ourItem = (scope: Scope) => ({ TableName: scope.table('orders'), Key: { pk: { S: OUR_KEY }, sk: { S: 'A' } } });
const theirItem = (scope: Scope) => ({ TableName: scope.table('orders'), Key: { pk: { S: THEIR_KEY }, sk: { S: 'A' } } });

const SERVICES: readonly ServiceCase[] = [
  {
    name: 'DynamoDB (low-level client), against dynalite',
    options: dynamoOptions,
    client: (scope) => scope.client(DynamoDBClient),
    refused: (scope) => new GetItemCommand(theirItem(scope)),
    rule: 'partition-key-scope',
    allowed: (scope) => new GetItemCommand(ourItem(scope)),
  },
  {
    name: 'DynamoDB (Document client), against dynalite',
    options: dynamoOptions,
    client: (scope) => scope.dynamo(),
    refused: (scope) => new doc.GetCommand({ TableName: scope.table('orders'), Key: { pk: THEIR_KEY, sk: 'A' } }),
    rule: 'partition-key-scope',
    allowed: (scope) => new doc.GetCommand({ TableName: scope.table('orders'), Key: { pk: OUR_KEY, sk: 'A' } }),
  },
  {
    name: 'S3, against s3rver',
    options: () => ({ endpoint: s3Endpoint, buckets: [BUCKET], clientConfig: { forcePathStyle: true } }),
    client: (scope) => scope.client(S3Client),
    refused: () => new GetObjectCommand({ Bucket: BUCKET, Key: 'tenants/globex/capsules/DEV/report.txt' }),
    rule: 'object-key-scope',
    allowed: (scope) => new PutObjectCommand({ Bucket: scope.bucket(BUCKET), Key: `${scope.objectPrefix}report.txt`, Body: 'ours' }),
  },
  {
    name: 'SQS, against a local endpoint speaking the SQS JSON protocol',
    options: () => ({ endpoint: sqs.endpoint }),
    client: (scope) => scope.client(SQSClient),
    refused: (_scope, factory) => new SendMessageCommand({ QueueUrl: factory.capsule('globex', 'DEV').queue('jobs'), MessageBody: 'x' }),
    rule: 'queue-scope',
    allowed: (scope) => {
      // The gate sends SQS requests only to the host of the scope's queues: name one.
      scope.queue('jobs');
      return new ListQueuesCommand({ QueueNamePrefix: queueNamePrefixOf(scope.description as GuardedScope) });
    },
  },
  {
    name: 'SNS, against a local endpoint speaking the SNS Query protocol',
    options: () => ({ endpoint: sns.endpoint }),
    client: (scope) => scope.client(SNSClient),
    refused: (_scope, factory) => new PublishCommand({ TopicArn: factory.capsule('globex', 'DEV').topic('alerts'), Message: 'x' }),
    rule: 'topic-scope',
    allowed: (scope) => {
      const topic = scope.topic('alerts');
      sns.createTopic(topic.split(':').at(-1) as string);
      return new PublishCommand({ TopicArn: topic, Message: 'ours' });
    },
  },
  {
    name: 'EventBridge, against a local endpoint speaking the EventBridge JSON protocol',
    options: () => ({ endpoint: events.endpoint }),
    client: (scope) => scope.client(EventBridgeClient),
    refused: () => new PutEventsCommand({ Entries: [{ Source: 'crm', DetailType: 'AccountCreated', Detail: JSON.stringify({ tenantId: 'globex', capsuleId: 'DEV', accountId: 'a1' }) }] }),
    rule: 'event-scope',
    allowed: () => new PutEventsCommand({ Entries: [{ Source: 'crm', DetailType: 'AccountCreated', Detail: JSON.stringify({ tenantId: 'acme', capsuleId: 'DEV', accountId: 'a1' }) }] }),
  },
  {
    name: 'SSM, against a local endpoint speaking the SSM JSON protocol',
    options: () => ({ endpoint: ssm.endpoint }),
    client: (scope) => scope.client(SSMClient),
    refused: () => new GetParameterCommand({ Name: THEIR_NAME }),
    rule: 'parameter-scope',
    allowed: (scope) => new PutParameterCommand({ Name: `${scope.parameterPrefix}flag`, Value: 'on', Type: 'String', Overwrite: true }),
  },
  {
    name: 'Secrets Manager, against a local endpoint speaking the Secrets Manager JSON protocol',
    options: () => ({ endpoint: secrets.endpoint }),
    client: (scope) => scope.client(SecretsManagerClient),
    refused: () => new GetSecretValueCommand({ SecretId: THEIR_NAME }),
    rule: 'secret-scope',
    allowed: () => new GetRandomPasswordCommand({ PasswordLength: 16 }),
  },
  {
    name: 'STS, guarded by a user guard registered with the factory, against the local STS endpoint',
    options: () => ({ endpoint: sts.endpoint, guards: [tenantRoles] }),
    client: (scope) => scope.client(STSClient),
    refused: () => assume(OTHER_ROLE),
    rule: 'service-scope',
    allowed: () => assume(OWN_ROLE),
  },
];

/** A factory for one service's endpoint, sending through `handler`, with the given scope credentials. */
function factoryFor(service: ServiceCase, handler: RecordingHandler, credentials: Partial<ClientFactoryOptions>): ClientFactory {
  const options = service.options();
  return createClientFactory({
    region: REGION,
    accountId: ACCOUNT,
    tables: ['orders'],
    keys: TEST_KEYS,
    keySchemas: 'declared',
    ...options,
    ...credentials,
    clientConfig: { maxAttempts: 1, ...options.clientConfig, requestHandler: handler },
  });
}

/** The outcome of a request the guard lets through: sent once, whatever the endpoint answers. */
async function expectSent(handler: RecordingHandler, request: () => Promise<unknown>): Promise<void> {
  const before = handler.sent.length;
  const outcome = await request().catch((error: unknown) => error);
  expect(outcome).not.toBeInstanceOf(IsolationViolationError);
  expect(handler.sent).toHaveLength(before + 1);
}

beforeAll(async () => {
  dynamo = await startDynalite();
  s3Directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Directory, configureBuckets: [{ name: BUCKET }] });
  const { port } = (await s3.run()) as { port: number };
  s3Endpoint = `http://127.0.0.1:${port}`;
  [sqs, sns, events, ssm, secrets, sts] = await Promise.all([
    startSqsServer({ accountId: ACCOUNT }),
    startSnsServer({ region: REGION, accountId: ACCOUNT }),
    startEventBridgeServer(),
    startSsmServer(),
    startSecretsManagerServer(),
    startStsServer(),
  ]);
  const raw = lowLevelClient(dynamo.endpoint);
  await createTestTable(raw, 'DEV.orders');
  await raw.send(new PutItemCommand({ TableName: 'DEV.orders', Item: { pk: { S: OUR_KEY }, sk: { S: 'A' }, secret: { S: 'ours' } } }));
  await raw.send(new PutItemCommand({ TableName: 'DEV.orders', Item: { pk: { S: OUR_KEY }, sk: { S: 'B' }, secret: { S: 'ours too' } } }));
  await raw.send(new PutItemCommand({ TableName: 'DEV.orders', Item: { pk: { S: THEIR_KEY }, sk: { S: 'A' }, secret: { S: 'theirs' } } }));
  raw.destroy();
}, 60_000);

afterAll(async () => {
  await Promise.all([dynamo?.stop(), s3?.close(), sqs?.close(), sns?.close(), events?.close(), ssm?.close(), secrets?.close(), sts?.close()]);
  if (s3Directory !== undefined) rmSync(s3Directory, { recursive: true, force: true });
});

/** One service's capsule scope acme/DEV, on a factory of its own made with `credentials`, destroyed after `run`. */
async function inScope(service: ServiceCase, credentials: Partial<ClientFactoryOptions>, run: (scope: Scope, client: Sender, handler: RecordingHandler, aws: ClientFactory) => Promise<void> | void): Promise<void> {
  const handler = new RecordingHandler();
  const aws = factoryFor(service, handler, credentials);
  try {
    const scope = aws.capsule('acme', 'DEV');
    await run(scope, service.client(scope), handler, aws);
  } finally {
    aws.destroy();
  }
}

describe.each(SERVICES)('$name', (service) => {
  const refuse = (client: Sender, scope: Scope, aws: ClientFactory): Promise<IsolationViolationError> => refusalOf(send(client, service.refused(scope, aws)), IsolationViolationError);

  it('the early check runs right before the SDK resolves the identity, after every input-rewriting middleware before it', () =>
    inScope(service, { credentials: DUMMY_CREDENTIALS }, (scope, client, _handler, aws) => {
      const order = middlewareOrder(client, service.refused(scope, aws));
      const early = order.indexOf(ISOLATION_EARLY_CHECK);
      expect(early).toBeGreaterThan(0);
      expect(order[early + 1]).toBe('httpAuthSchemeMiddleware');
      // The Document client marshals in the serialize step: before the check, which judges marshalled input as the seal does.
      if (order.includes('DocumentMarshall')) expect(order.indexOf('DocumentMarshall')).toBeLessThan(early);
    }));

  it('a refused request asks the credential provider nothing and sends nothing; an allowed one asks once and is sent', async () => {
    const credentials = countingCredentials();
    await inScope(service, { credentials: credentials.provider }, async (scope, client, handler, aws) => {
      expect((await refuse(client, scope, aws)).rule).toBe(service.rule);
      expect(credentials.calls()).toBe(0);
      expect(handler.sent).toHaveLength(0);
      await expectSent(handler, () => send(client, service.allowed(scope)));
      expect(credentials.calls()).toBe(1);
    });
  });

  it('with STS-assumed scope credentials, a refused first request makes no AssumeRole call; the first allowed one makes it', async () => {
    sts.reset();
    await inScope(service, { credentials: DUMMY_CREDENTIALS, operator: { stsEndpoint: sts.endpoint }, scopedCredentials: { accountId: ACCOUNT, roleName: 'TenantData' } }, async (scope, client, handler, aws) => {
      expect((await refuse(client, scope, aws)).rule).toBe(service.rule);
      expect(sts.calls()).toBe(0);
      expect(handler.sent).toHaveLength(0);
      await expectSent(handler, () => send(client, service.allowed(scope)));
      expect(sts.calls(TENANT_ROLE)).toBe(1);
    });
  });

  it('with the early check removed from the client, the seal still refuses, after the credentials are resolved, and sends nothing', async () => {
    const credentials = countingCredentials();
    await inScope(service, { credentials: credentials.provider }, async (scope, client, handler, aws) => {
      expect(stackOf(client).remove(ISOLATION_EARLY_CHECK)).toBe(true);
      expect((await refuse(client, scope, aws)).rule).toBe(service.rule);
      expect(credentials.calls()).toBe(1);
      expect(handler.sent).toHaveLength(0);
      expect(hasIsolationGuard(client as never)).toBe(true);
    });
  });
});

describe('STS guarded by a user guard installed with getIsolationGuardPlugin, against the local STS endpoint', () => {
  const acme = { kind: 'tenant', tenantId: 'acme' } as GuardedScope;
  /** A client built by hand with the plugin, counting its credential calls; destroyed after `run`. */
  async function withGuarded(run: (client: STSClient, handler: RecordingHandler, credentials: ReturnType<typeof countingCredentials>) => Promise<void>): Promise<void> {
    const handler = new RecordingHandler();
    const credentials = countingCredentials();
    const client = new STSClient({ region: REGION, endpoint: sts.endpoint, credentials: credentials.provider, requestHandler: handler, maxAttempts: 1 });
    client.middlewareStack.use(getIsolationGuardPlugin(client.config, { scope: acme, guards: [tenantRoles] }));
    try {
      await run(client, handler, credentials);
    } finally {
      client.destroy();
    }
  }

  it('refuses before the credentials are resolved, and sends nothing; the early check runs right before the identity is resolved', () =>
    withGuarded(async (client, handler, credentials) => {
      const order = middlewareOrder(client as unknown as Sender, assume(OTHER_ROLE));
      expect(order[order.indexOf(ISOLATION_EARLY_CHECK) + 1]).toBe('httpAuthSchemeMiddleware');
      expect((await refusalOf(client.send(assume(OTHER_ROLE)), IsolationViolationError)).rule).toBe('service-scope');
      expect(credentials.calls()).toBe(0);
      expect(handler.sent).toHaveLength(0);
      await expectSent(handler, () => client.send(assume(OWN_ROLE)));
      expect(credentials.calls()).toBe(1);
    }));

  it('with the early check removed, the seal still refuses, after the credentials are resolved', () =>
    withGuarded(async (client, handler, credentials) => {
      expect(stackOf(client as unknown as Sender).remove(ISOLATION_EARLY_CHECK)).toBe(true);
      expect((await refusalOf(client.send(assume(OTHER_ROLE)), IsolationViolationError)).rule).toBe('service-scope');
      expect(credentials.calls()).toBe(1);
      expect(handler.sent).toHaveLength(0);
    }));
});

describe('what the early check judges and what it cannot be made to pass, against dynalite', () => {
  let handler: RecordingHandler;
  let credentials: ReturnType<typeof countingCredentials>;
  let aws: ClientFactory;
  let scope: Scope;
  let violations: IsolationViolationError[];
  const fresh = (): void => {
    aws?.destroy();
    handler = new RecordingHandler();
    credentials = countingCredentials();
    violations = [];
    aws = factoryFor(SERVICES[0] as ServiceCase, handler, { credentials: credentials.provider, onViolation: (violation) => violations.push(violation) });
    scope = aws.capsule('acme', 'DEV');
  };
  afterAll(() => aws?.destroy());

  /** A refusal with nothing sent, and how often credentials were asked for meanwhile. */
  async function refused(request: Promise<unknown>): Promise<{ error: IsolationViolationError; credentialCalls: number }> {
    const error = await refusalOf(request, IsolationViolationError);
    expect(handler.sent).toHaveLength(0);
    return { error, credentialCalls: credentials.calls() };
  }

  it.each([
    ['low-level', (): Sender => scope.client(DynamoDBClient), (): object => ({ pk: { S: THEIR_KEY }, sk: { S: 'A' } }), (): object => new GetItemCommand(ourItem(scope))],
    ['Document', (): Sender => scope.dynamo(), (): object => ({ pk: { S: THEIR_KEY }, sk: { S: 'A' } }), (): object => new doc.GetCommand({ TableName: scope.table('orders'), Key: { pk: OUR_KEY, sk: 'A' } })],
  ])('%s client: middleware placed after the early check that rewrites the key is refused by the seal, after the credentials', async (_flavor, client, theirs, ours) => {
    fresh();
    // After the check (and after the Document client's marshalling): it rewrites the marshalled key.
    stackOf(client()).addRelativeTo((next) => (args) => next({ ...args, input: { ...args.input, Key: theirs() } }), { relation: 'after', toMiddleware: ISOLATION_EARLY_CHECK, name: 'afterEarlyCheck' });
    const { error, credentialCalls } = await refused(send(client(), ours()));
    expect(error).toMatchObject({ rule: 'partition-key-scope', found: `Key.pk = "${THEIR_KEY}"` });
    expect(credentialCalls).toBe(1);
  });

  it('middleware placed after the early check that switches the operation the serializer writes (GetItem to Scan) is refused by the seal, as the Scan', async () => {
    fresh();
    const client = scope.client(DynamoDBClient);
    stackOf(client).addRelativeTo(
      (next, context) => (args) => {
        (context['__smithy_context'] as Record<string, unknown>)['operationSchema'] = Scan$;
        return next(args);
      },
      { relation: 'after', toMiddleware: ISOLATION_EARLY_CHECK, name: 'switchOperation' },
    );
    const { error, credentialCalls } = await refused(send(client, new GetItemCommand({ TableName: scope.table('orders'), Key: { pk: { S: OUR_KEY }, sk: { S: 'A' } } })));
    expect(error).toMatchObject({ rule: 'unbounded-operation', command: 'ScanCommand' });
    expect(credentialCalls).toBe(1);
  });

  it('a Scan whose command calls itself DescribeEndpointsCommand is judged as the Scan its schema names, before the credentials', async () => {
    class DescribeEndpointsCommand extends ScanCommand {
      override resolveMiddlewareWithContext(...[stack, configuration, options, params]: Parameters<ScanCommand['resolveMiddlewareWithContext']>): ReturnType<ScanCommand['resolveMiddlewareWithContext']> {
        return super.resolveMiddlewareWithContext(stack, configuration, options, { ...params, commandName: 'DescribeEndpointsCommand' });
      }
    }
    fresh();
    const { error, credentialCalls } = await refused(send(scope.client(DynamoDBClient), new DescribeEndpointsCommand({ TableName: scope.table('orders') })));
    expect(error).toMatchObject({ rule: 'unbounded-operation', command: 'ScanCommand' });
    expect(credentialCalls).toBe(0);
  });

  it('an input it cannot read (a getter that throws) is refused as unverifiable, before the credentials', async () => {
    fresh();
    const input = {
      TableName: scope.table('orders'),
      get Key(): never {
        throw new Error('no key for you');
      },
    };
    // The caller sees the getter's own error: the SDK's logger middleware (first on the stack) reads the input again to log the refusal.
    await expect(send(scope.client(DynamoDBClient), new GetItemCommand(input as never))).rejects.toThrow('no key for you');
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ rule: 'unverifiable-request', command: 'GetItemCommand', found: 'a command input whose reading threw: "no key for you"' });
    expect(credentials.calls()).toBe(0);
    expect(handler.sent).toHaveLength(0);
  });

  it('a Proxy showing our key first and another tenant’s after is read once: what it judged is what is sent', async () => {
    fresh();
    let reads = 0;
    const key = new Proxy({} as Record<string, unknown>, {
      ownKeys: () => ['pk', 'sk'],
      getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true, writable: true, value: undefined }),
      get: (_target, name) => {
        if (name === 'sk') return { S: 'A' };
        if (name !== 'pk') return undefined;
        reads += 1;
        return { S: reads === 1 ? OUR_KEY : THEIR_KEY };
      },
    });
    const output = (await send(scope.client(DynamoDBClient), new GetItemCommand({ TableName: scope.table('orders'), Key: key as never }))) as { Item?: Record<string, { S?: string }> };
    expect(output.Item?.['secret']?.S).toBe('ours');
    expect(reads).toBe(1);
    expect(handler.sent).toHaveLength(1);
  });

  it('paginators of both clients page through the scope’s own partition (no false refusal)', async () => {
    fresh();
    const query = { TableName: scope.table('orders'), KeyConditionExpression: 'pk = :pk', Limit: 1 };
    const low: string[] = [];
    for await (const page of paginateQuery({ client: scope.client(DynamoDBClient) }, { ...query, ExpressionAttributeValues: { ':pk': { S: OUR_KEY } } })) low.push(...(page.Items ?? []).map((item) => item['sk']?.S ?? ''));
    const document: string[] = [];
    for await (const page of doc.paginateQuery({ client: scope.dynamo() }, { ...query, ExpressionAttributeValues: { ':pk': OUR_KEY } })) document.push(...(page.Items ?? []).map((item) => String(item['sk'])));
    expect(low).toEqual(['A', 'B']);
    expect(document).toEqual(['A', 'B']);
  });
});

describe('S3 presigning through a guarded client, against s3rver', () => {
  it('a refused presign asks for no credentials; an allowed one signs a URL for the scope’s key', async () => {
    const credentials = countingCredentials();
    await inScope(SERVICES[2] as ServiceCase, { credentials: credentials.provider }, async (scope, client) => {
      const presign = (key: string): Promise<string> => getSignedUrl(client as unknown as S3Client, new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect((await refusalOf(presign('tenants/globex/capsules/DEV/report.txt'), IsolationViolationError)).rule).toBe('object-key-scope');
      expect(credentials.calls()).toBe(0);
      expect(new URL(await presign(`${scope.objectPrefix}report.txt`)).pathname).toBe(`/${BUCKET}/tenants/acme/capsules/DEV/report.txt`);
      expect(credentials.calls()).toBeGreaterThan(0);
    });
  });
});
