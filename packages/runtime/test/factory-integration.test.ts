/**
 * The factory end to end: its scopes' clients against dynalite (in-process DynamoDB) through the
 * real AWS SDK, and its operator and scoped credentials against a local STS endpoint speaking
 * AssumeRole's wire format.
 */
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysOf } from '../src/keys.js';
import { CapsuleIsolated, Entity } from '../src/decorators.js';
import { createClientFactory, IsolationViolationError, type ClientFactory } from '../src/aws/index.js';
import { createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';
import { startStsServer, type StsServer } from '../src/testing/sts-server.js';

let dynamo: LocalDynamo;
let sts: StsServer;
let aws: ClientFactory;
const violations: IsolationViolationError[] = [];

class RoleAssignment {
  tenantId!: string;
  capsuleId!: string;
  id!: string;
}
// Applied as the compiler applies `@CapsuleIsolated() @Entity(…)`: the test transform has no decorator syntax.
CapsuleIsolated()(RoleAssignment);
Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}', sk: 'METADATA' })(RoleAssignment);

beforeAll(async () => {
  dynamo = await startDynalite();
  sts = await startStsServer();
  const admin = lowLevelClient(dynamo.endpoint);
  for (const table of ['DEV.platform_data', 'DEVX.platform_data', 'platform_data']) await createTestTable(admin, table);
  admin.destroy();
  aws = createClientFactory({
    region: 'us-east-1',
    endpoint: dynamo.endpoint,
    credentials: DUMMY_CREDENTIALS,
    tables: ['platform_data'],
    keys: TEST_KEYS,
    operator: { stsEndpoint: sts.endpoint },
    onViolation: (error) => violations.push(error),
  });
}, 60_000);

afterAll(async () => {
  aws.destroy();
  await dynamo.stop();
  await sts.close();
});

describe('factory scopes against dynalite (in-process DynamoDB) through the real AWS SDK', () => {
  it('dynamo(translateConfig) hands out a Document client with those translate options, still guarded, one per options', async () => {
    const dev = aws.capsule('acme', 'DEV');
    const { pk, sk } = keysOf(RoleAssignment, { tenantId: 'acme', capsuleId: 'DEV', id: 'r-numbers' });
    await dev.dynamo().send(new PutCommand({ TableName: dev.table('platform_data'), Item: { pk, sk, count: 12345678901234567890n.toString().length } }));
    const exact = dev.dynamo({ unmarshallOptions: { wrapNumbers: true } });
    expect(dev.dynamo({ unmarshallOptions: { wrapNumbers: true } })).toBe(exact);
    expect(exact).not.toBe(dev.dynamo());
    // The default client reads numbers as numbers; the configured one wraps them, as its options say.
    const plain = await dev.dynamo().send(new GetCommand({ TableName: dev.table('platform_data'), Key: { pk, sk } }));
    const wrapped = await exact.send(new GetCommand({ TableName: dev.table('platform_data'), Key: { pk, sk } }));
    expect(plain.Item?.['count']).toBe(20);
    expect(wrapped.Item?.['count']).toMatchObject({ value: '20' });
    const other = keysOf(RoleAssignment, { tenantId: 'globex', capsuleId: 'DEV', id: 'r1' });
    await expect(exact.send(new GetCommand({ TableName: dev.table('platform_data'), Key: other }))).rejects.toBeInstanceOf(IsolationViolationError);
  });

  it('a capsule scope writes and reads its own items with keys from keysOf and its own table', async () => {
    const dev = aws.capsule('acme', 'DEV');
    const { pk, sk } = keysOf(RoleAssignment, { tenantId: 'acme', capsuleId: 'DEV', id: 'r1' });
    await dev.dynamo().send(new PutCommand({ TableName: dev.table('platform_data'), Item: { pk, sk, role: 'admin' } }));
    const read = await dev.dynamo().send(new GetCommand({ TableName: dev.table('platform_data'), Key: { pk, sk } }));
    expect(read.Item).toEqual({ pk: 'TENANT#acme#CAPSULE#DEV#ROLE#r1', sk: 'METADATA', role: 'admin' });
    const listed = await dev.dynamo().send(new QueryCommand({ TableName: dev.table('platform_data'), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
    expect(listed.Items).toHaveLength(1);
  });

  it('refuses another capsule, a capsule whose code extends ours, another tenant, and other tables, before sending', async () => {
    const dev = aws.capsule('acme', 'DEV');
    const attempts = [
      { TableName: 'DEV.platform_data', Key: { pk: 'TENANT#acme#CAPSULE#PROD#ROLE#r1', sk: 'METADATA' } },
      { TableName: 'DEV.platform_data', Key: { pk: 'TENANT#acme#CAPSULE#DEVX#ROLE#r1', sk: 'METADATA' } },
      { TableName: 'DEV.platform_data', Key: { pk: 'TENANT#globex#CAPSULE#DEV#ROLE#r1', sk: 'METADATA' } },
      { TableName: 'DEVX.platform_data', Key: { pk: 'TENANT#acme#CAPSULE#DEV#ROLE#r1', sk: 'METADATA' } },
    ];
    const before = dynamo.requestCount?.() ?? 0;
    violations.length = 0;
    for (const input of attempts) await expect(dev.dynamo().send(new GetCommand(input))).rejects.toBeInstanceOf(IsolationViolationError);
    expect(violations.map((error) => error.rule)).toEqual(['partition-key-scope', 'partition-key-scope', 'partition-key-scope', 'table-scope']);
    expect(violations[0]?.message).toContain('TENANT#acme#CAPSULE#DEV#');
    expect(dynamo.requestCount?.()).toBe(before);
  });

  it("capsule DEV_x's table \"data\" is not capsule DEV's table \"x_data\": one cannot write into the other", async () => {
    const named = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, tables: ['data', 'x_data'], keys: TEST_KEYS });
    const dev = named.capsule('acme', 'DEV');
    const devX = named.capsule('acme', 'DEV_x');
    expect(devX.table('data')).not.toBe(dev.table('x_data'));
    const admin = lowLevelClient(dynamo.endpoint);
    for (const table of [dev.table('x_data'), devX.table('data')]) await createTestTable(admin, table);
    await devX.dynamo().send(new PutCommand({ TableName: devX.table('data'), Item: { pk: `${devX.keyPrefix}ROLE#r1`, sk: 'METADATA' } }));
    const inDev = await admin.send(new GetItemCommand({ TableName: dev.table('x_data'), Key: { pk: { S: `${devX.keyPrefix}ROLE#r1` }, sk: { S: 'METADATA' } } }));
    expect(inDev.Item).toBeUndefined();
    await expect(devX.dynamo().send(new GetCommand({ TableName: dev.table('x_data'), Key: { pk: `${devX.keyPrefix}ROLE#r1`, sk: 'METADATA' } }))).rejects.toMatchObject({ rule: 'table-scope' });
    admin.destroy();
    named.destroy();
  });

  it('guards a client asked for by class, and leaves the platform scope unguarded', async () => {
    await expect(aws.tenant('acme').client(DynamoDBClient).send(new GetItemCommand({ TableName: 'platform_data', Key: { pk: { S: 'TENANT#globex#X' }, sk: { S: 'A' } } }))).rejects.toMatchObject({
      rule: 'partition-key-scope',
    });
    const tables = await aws.platform().client(DynamoDBClient).send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain('platform_data');
  });
});

describe('factory credentials against a local STS endpoint speaking AssumeRole\'s wire format', () => {
  it('operator scopes share one AssumeRole per role across all their clients and calls', async () => {
    sts.reset();
    const operator = aws.operator('123456789012', { roleName: 'Auditor', externalId: 'ext-1' });
    expect(aws.operator('123456789012', { roleName: 'Auditor', externalId: 'ext-1' })).toBe(operator);
    // Listing tables of the local DynamoDB signs with the assumed role's key.
    await Promise.all(Array.from({ length: 50 }, () => operator.client(DynamoDBClient).send(new ListTablesCommand({}))));
    await operator.dynamo().send(new GetCommand({ TableName: 'platform_data', Key: { pk: 'any', sk: 'any' } }));
    expect(sts.calls('arn:aws:iam::123456789012:role/Auditor')).toBe(1);
    expect(sts.requests[0]).toMatchObject({ externalId: 'ext-1', signedWith: DUMMY_CREDENTIALS.accessKeyId });
    expect(operator.describe()).toMatchObject({ label: 'operator 123456789012 (Auditor)', guarded: false, keyPrefix: '' });
  });

  it('refuses an account id that is not 12 digits', () => {
    expect(() => aws.operator('12345')).toThrow(/12-digit/);
  });

  it('the second wall: tenant and capsule scopes assume a role with a session policy on their key prefix', async () => {
    sts.reset();
    const walled = createClientFactory({
      region: 'us-east-1',
      endpoint: dynamo.endpoint,
      credentials: DUMMY_CREDENTIALS,
      tables: ['platform_data'],
      operator: { stsEndpoint: sts.endpoint },
      scopedCredentials: { accountId: '123456789012', roleName: 'TenantData' },
    });
    const dev = walled.capsule('acme', 'DEV');
    await dev.dynamo().send(new GetCommand({ TableName: dev.table('platform_data'), Key: { pk: 'TENANT#acme#CAPSULE#DEV#ROLE#r1', sk: 'METADATA' } }));
    const [request] = sts.requests;
    const policy = JSON.parse(request?.policy ?? '{}') as { Statement: { Resource: string[]; Condition: Record<string, Record<string, unknown>> }[] };
    expect(policy.Statement[0]?.Resource).toEqual(['arn:aws:dynamodb:us-east-1:123456789012:table/DEV.platform_data', 'arn:aws:dynamodb:us-east-1:123456789012:table/DEV.platform_data/index/*']);
    expect(policy.Statement[0]?.Condition['ForAllValues:StringLike']).toEqual({ 'dynamodb:LeadingKeys': ['TENANT#acme#CAPSULE#DEV#*'] });
    walled.destroy();
  });
});
