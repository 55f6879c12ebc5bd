/**
 * The operation the guard judges is the one serialized, against dynalite (in-process DynamoDB):
 * a command's name (`context.commandName`) is whatever its class says, so a Scan-shaped command
 * calling itself `DescribeEndpointsCommand` — an operation the guard lets through — read the whole
 * table. And DescribeTable, which guarded clients ran on their own tables, reports table-wide item
 * counts and sizes: every tenant's.
 */
import { DescribeTableCommand, DynamoDBClient, PutItemCommand, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory } from '../src/aws/index.js';
import { createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';

/** A Scan that names itself DescribeEndpointsCommand: everything about it is Scan but `context.commandName`. */
class DescribeEndpointsCommand extends ScanCommand {
  override resolveMiddlewareWithContext(...[stack, configuration, options, params]: Parameters<ScanCommand['resolveMiddlewareWithContext']>): ReturnType<ScanCommand['resolveMiddlewareWithContext']> {
    return super.resolveMiddlewareWithContext(stack, configuration, options, { ...params, commandName: 'DescribeEndpointsCommand' });
  }
}

let dynamo: LocalDynamo;
let raw: DynamoDBClient;
let aws: ClientFactory;
let table: string;

beforeAll(async () => {
  dynamo = await startDynalite();
  raw = lowLevelClient(dynamo.endpoint);
  aws = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, tables: ['orders'], keys: TEST_KEYS, clientConfig: { maxAttempts: 1 } });
  table = aws.capsule('acme', 'DEV').table('orders');
  await createTestTable(raw, table);
  for (const pk of ['TENANT#acme#CAPSULE#DEV#ORDER#1', 'TENANT#globex#CAPSULE#DEV#ORDER#1']) await raw.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: 'A' } } }));
}, 60_000);

afterAll(async () => {
  aws?.destroy();
  raw?.destroy();
  await dynamo?.stop();
});

describe('the operation judged is the one serialized', () => {
  it('the disguise works on a client without the guard: its name is DescribeEndpointsCommand, its effect a Scan of every tenant', async () => {
    const plain = lowLevelClient(dynamo.endpoint);
    const names: unknown[] = [];
    plain.middlewareStack.add((next, context) => (args) => (names.push(context.commandName), next(args)), { step: 'initialize', name: 'recordName' });
    const { Items = [] } = (await plain.send(new DescribeEndpointsCommand({ TableName: table }))) as ScanCommandOutput;
    expect(names).toEqual(['DescribeEndpointsCommand']);
    expect(Items.map((item) => item['pk']?.S).sort()).toEqual(['TENANT#acme#CAPSULE#DEV#ORDER#1', 'TENANT#globex#CAPSULE#DEV#ORDER#1']);
    plain.destroy();
  });

  it("a capsule scope refuses it as the Scan it is, and nothing reaches the server", async () => {
    const client = aws.capsule('acme', 'DEV').client(DynamoDBClient);
    const before = dynamo.requestCount?.();
    const error = await client.send(new DescribeEndpointsCommand({ TableName: table })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IsolationViolationError);
    expect(error).toMatchObject({ rule: 'unbounded-operation', command: 'ScanCommand' });
    expect(dynamo.requestCount?.()).toBe(before);
  });
});

describe('DescribeTable', () => {
  it('answers a platform scope with statistics of the whole table, every tenant included', async () => {
    const { Table } = await aws.platform().client(DynamoDBClient).send(new DescribeTableCommand({ TableName: table }));
    expect(typeof Table?.ItemCount).toBe('number');
    expect(typeof Table?.TableSizeBytes).toBe('number');
  });

  it('is refused on tenant and capsule scopes, even for their own tables', async () => {
    for (const scope of [aws.capsule('acme', 'DEV'), aws.tenant('acme')]) {
      const error = await scope.client(DynamoDBClient).send(new DescribeTableCommand({ TableName: scope.table('orders') })).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(IsolationViolationError);
      expect(error).toMatchObject({ rule: 'unbounded-operation', command: 'DescribeTableCommand' });
    }
  });
});
