/**
 * Which clients a tenant or capsule scope hands out, against dynalite (in-process DynamoDB):
 * services are recognised by what a client is (its service id), not by its class. A second copy of
 * `@aws-sdk/client-dynamodb` (npm and pnpm produce those) has a `DynamoDBClient` class of its own,
 * and a guard keyed on `instanceof` left its clients unguarded: a capsule scope's Scan returned every
 * tenant's items. Clients of services the scope cannot guard are refused unless the factory opts
 * their service out with a reason.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory, GUARDED_SERVICES, hasIsolationGuard, IsolationViolationError, type ClientFactory, type SdkClient, type SdkClientClass } from '../src/aws/index.js';
import { createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';
import { loadSecondDynamoDBSdk, type SecondSdk } from './support/second-sdk.js';
import { refusalOf } from './support/refusal.js';

const OURS = 'TENANT#acme#CAPSULE#DEV#ORDER#1';
const THEIRS = 'TENANT#globex#CAPSULE#DEV#ORDER#1';

let dynamo: LocalDynamo;
let second: SecondSdk;
let aws: ClientFactory;
let table: string;
const violations: IsolationViolationError[] = [];

beforeAll(async () => {
  dynamo = await startDynalite();
  second = loadSecondDynamoDBSdk();
  aws = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, tables: ['orders'], keys: TEST_KEYS, clientConfig: { maxAttempts: 1 }, onViolation: (error) => violations.push(error) });
  table = aws.capsule('acme', 'DEV').table('orders');
  const admin = lowLevelClient(dynamo.endpoint);
  await createTestTable(admin, table);
  for (const [pk, secret] of [
    [OURS, 'acme order'],
    [THEIRS, 'globex order'],
  ] as const) {
    await admin.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: 'A' }, secret: { S: secret } } }));
  }
  admin.destroy();
}, 60_000);

afterAll(async () => {
  aws?.destroy();
  second?.remove();
  await dynamo?.stop();
});

const refusal = (promise: Promise<unknown>): Promise<IsolationViolationError> => refusalOf(promise, IsolationViolationError);

describe('a second copy of @aws-sdk/client-dynamodb in the dependency tree', () => {
  it('is really another class: instanceof our DynamoDBClient is false for its clients', () => {
    const client = new second.module.DynamoDBClient({ region: 'us-east-1' });
    expect(second.module.DynamoDBClient).not.toBe(DynamoDBClient);
    expect(client).not.toBeInstanceOf(DynamoDBClient);
    client.destroy();
  });

  it("a capsule scope's client of that copy is guarded: its Scan is refused and nothing reaches the server", async () => {
    const client = aws.capsule('acme', 'DEV').client(second.module.DynamoDBClient);
    const before = dynamo.requestCount?.();
    const error = await refusal(client.send(new second.module.ScanCommand({ TableName: table })));
    expect(error).toMatchObject({ rule: 'unbounded-operation', command: 'ScanCommand' });
    expect(dynamo.requestCount?.()).toBe(before);
  });

  it("reads the scope's own item through that copy and refuses another tenant's", async () => {
    const client = aws.capsule('acme', 'DEV').client(second.module.DynamoDBClient);
    const own = await client.send(new second.module.GetItemCommand({ TableName: table, Key: { pk: { S: OURS }, sk: { S: 'A' } } }));
    expect(own.Item?.['secret']).toEqual({ S: 'acme order' });
    const error = await refusal(client.send(new second.module.GetItemCommand({ TableName: table, Key: { pk: { S: THEIRS }, sk: { S: 'A' } } })));
    expect(error).toMatchObject({ rule: 'partition-key-scope', found: `Key.pk = "${THEIRS}"` });
  });

  it("a tenant scope's aggregated client of that copy (new DynamoDB(…)) is guarded as well", async () => {
    const client = aws.tenant('acme').client(second.module.DynamoDB);
    await expect(refusal(client.scan({ TableName: 'orders' }))).resolves.toMatchObject({ rule: 'unbounded-operation' });
  });
});

describe('clients a tenant or capsule scope cannot guard', () => {
  const unguardable: readonly (readonly [string, SdkClientClass<SdkClient>])[] = [
    ['STS', STSClient],
  ];
  it.each(unguardable)('refuses a %s client with what it found, what it expected and the opt-out', (serviceId, clientClass) => {
    const strict = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, onViolation: (error) => violations.push(error) });
    violations.length = 0;
    let thrown: unknown;
    try {
      strict.capsule('acme', 'DEV').client(clientClass);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IsolationViolationError);
    const error = thrown as IsolationViolationError;
    expect(error.rule).toBe('unguarded-client');
    expect(error.command).toBe(`client(${clientClass.name})`);
    expect(error.found).toBe(`a client of service "${serviceId}", which capsule acme/DEV cannot guard (guarded: ${[...GUARDED_SERVICES.keys()].join(', ')})`);
    expect(error.expected).toContain(`createClientFactory({ unguarded: [{ client: "${serviceId}", reason: '…' }] })`);
    expect(violations).toEqual([error]);
    expect(() => strict.tenant('acme').client(clientClass)).toThrow(IsolationViolationError);
    // Platform and operator scopes are unguarded by design: any client.
    expect(strict.platform().client(clientClass)).toBeInstanceOf(clientClass);
    strict.destroy();
  });

  it('hands out a service the factory opted out with a reason, and only that one', () => {
    const relaxed = createClientFactory({ region: 'us-east-1', credentials: DUMMY_CREDENTIALS, unguarded: [{ client: 'STS', reason: 'GetCallerIdentity only, for diagnostics' }] });
    expect(relaxed.capsule('acme', 'DEV').client(STSClient)).toBeInstanceOf(STSClient);
    // S3 is guarded, not refused: the scope's S3 client carries the guard.
    expect(hasIsolationGuard(relaxed.capsule('acme', 'DEV').client(S3Client))).toBe(true);
    relaxed.destroy();
  });

  it('takes no opt-out without a reason, and none for the services it guards', () => {
    const create = (unguarded: unknown): ClientFactory => createClientFactory({ region: 'us-east-1', unguarded: unguarded as never });
    expect(() => create([{ client: 'Kinesis' }])).toThrow(/unguarded "Kinesis" needs a reason/);
    expect(() => create([{ client: 'Kinesis', reason: '   ' }])).toThrow(/needs a reason/);
    expect(() => create([{ client: 'S3', reason: 'speed' }])).toThrow(/S3 clients are always guarded/);
    expect(() => create([{ reason: 'why' }])).toThrow(/has no client/);
    expect(() => create([{ client: 'DynamoDB', reason: 'speed' }])).toThrow(/DynamoDB clients are always guarded/);
    expect(() => create([{ client: 'EventBridge', reason: 'speed' }])).toThrow(/EventBridge clients are always guarded/);
  });
});
