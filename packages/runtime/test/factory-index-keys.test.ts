/**
 * Index partition keys nobody declared, against dynalite (in-process DynamoDB): a service whose
 * factory declares no indexes wrote `gsi1pk = TENANT#globex#…` unchecked, and a service that
 * declares `gsi1` then served that item to globex. The factory now learns each table's index keys
 * with DescribeTable (once per table, through its own credentials) and checks every write of an
 * index partition key against the scope, declared or not.
 */
import { CreateTableCommand, DeleteTableCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as doc from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory, DescribedKeySchemas, describeKeySchema, DEFAULT_KEY_ATTRIBUTES, IsolationViolationError, type ClientFactory, type ClientFactoryOptions } from '../src/aws/index.js';
import { createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startDynalite, type LocalDynamo } from './support/dynamo.js';
import { refusalOf } from './support/refusal.js';

const OURS = 'TENANT#acme#CAPSULE#DEV#';
const GLOBEX_ITEM = { pk: 'TENANT#globex#CAPSULE#DEV#ORDER#1', sk: 'A', gsi1pk: 'TENANT#globex#CAPSULE#DEV#STATUS#open', gsi1sk: 'ORDER#1', secret: 'globex order' };

let dynamo: LocalDynamo;
let raw: DynamoDBClient;
let table: string;
const factories: ClientFactory[] = [];

function factory(options: Partial<ClientFactoryOptions> = {}): ClientFactory {
  const made = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, tables: ['orders'], clientConfig: { maxAttempts: 1 }, ...options });
  factories.push(made);
  return made;
}

const refusal = (promise: Promise<unknown>): Promise<IsolationViolationError> => refusalOf(promise, IsolationViolationError);

beforeAll(async () => {
  dynamo = await startDynalite();
  raw = lowLevelClient(dynamo.endpoint);
  table = factory().capsule('acme', 'DEV').table('orders');
  await createTestTable(raw, table);
  await raw.send(new PutItemCommand({ TableName: table, Item: Object.fromEntries(Object.entries(GLOBEX_ITEM).map(([name, value]) => [name, { S: value }])) }));
}, 60_000);

afterAll(async () => {
  for (const made of factories) made.destroy();
  raw?.destroy();
  await dynamo?.stop();
});

/** What globex's own guarded query of its gsi1 partition returns, through a factory that declares the index. */
async function globexIndexPartition(): Promise<unknown[]> {
  const globex = factory({ keys: { indexes: { gsi1: 'gsi1pk' } } }).capsule('globex', 'DEV');
  const { Items = [] } = await globex.dynamo().send(new doc.QueryCommand({ TableName: globex.table('orders'), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :g', ExpressionAttributeValues: { ':g': GLOBEX_ITEM.gsi1pk } }));
  return Items;
}

describe('index partition keys the factory does not declare', () => {
  it("a scope whose factory declares no index cannot plant an item in another tenant's gsi1 partition (PutItem, UpdateItem, BatchWriteItem)", async () => {
    const acme = factory().capsule('acme', 'DEV').dynamo();
    const planted = { pk: `${OURS}ATTACK#1`, sk: 'A', gsi1pk: GLOBEX_ITEM.gsi1pk, gsi1sk: 'ORDER#0', secret: 'planted by acme' };
    const put = await refusal(acme.send(new doc.PutCommand({ TableName: table, Item: planted })));
    expect(put).toMatchObject({ rule: 'index-partition-scope', found: `Item.gsi1pk = "${GLOBEX_ITEM.gsi1pk}"`, expected: expect.stringContaining('the partition key of index gsi1 (gsi1pk)') as unknown });
    const update = await refusal(
      acme.send(new doc.UpdateCommand({ TableName: table, Key: { pk: planted.pk, sk: 'A' }, UpdateExpression: 'SET gsi1pk = :g, gsi1sk = :s', ExpressionAttributeValues: { ':g': GLOBEX_ITEM.gsi1pk, ':s': 'ORDER#0' } })),
    );
    expect(update.rule).toBe('index-partition-scope');
    const batch = await refusal(acme.send(new doc.BatchWriteCommand({ RequestItems: { [table]: [{ PutRequest: { Item: planted } }] } })));
    expect(batch.rule).toBe('index-partition-scope');
    expect(await globexIndexPartition()).toEqual([GLOBEX_ITEM]);
  });

  it('learns the index from the table, so the scope can query its own gsi1 partition without declaring it', async () => {
    const acme = factory().capsule('acme', 'DEV').dynamo();
    await acme.send(new doc.PutCommand({ TableName: table, Item: { pk: `${OURS}ORDER#1`, sk: 'A', gsi1pk: `${OURS}STATUS#open`, gsi1sk: 'ORDER#1' } }));
    const { Items } = await acme.send(new doc.QueryCommand({ TableName: table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :g', ExpressionAttributeValues: { ':g': `${OURS}STATUS#open` } }));
    expect(Items?.map((item) => item['pk'])).toEqual([`${OURS}ORDER#1`]);
    const error = await refusal(acme.send(new doc.QueryCommand({ TableName: table, IndexName: 'gsi9', KeyConditionExpression: 'x = :g', ExpressionAttributeValues: { ':g': `${OURS}X` } })));
    expect(error).toMatchObject({ rule: 'unknown-index', expected: 'an index of the table (DescribeTable) ("gsi1")' });
  });

  it('reads each table once: one DescribeTable, then only the commands', async () => {
    const acme = factory().capsule('acme', 'DEV').dynamo();
    const before = dynamo.requestCount?.() as number;
    for (let i = 0; i < 5; i += 1) await acme.send(new doc.GetCommand({ TableName: table, Key: { pk: `${OURS}ORDER#1`, sk: 'A' } }));
    expect((dynamo.requestCount?.() as number) - before).toBe(6);
  });

  it('refuses every command on a table whose key schema contradicts the declaration, saying both', async () => {
    const acme = factory({ keys: { indexes: { gsi1: 'GSI1PK' } } }).capsule('acme', 'DEV').dynamo();
    const error = await refusal(acme.send(new doc.GetCommand({ TableName: table, Key: { pk: `${OURS}ORDER#1`, sk: 'A' } })));
    expect(error).toMatchObject({
      rule: 'unverifiable-request',
      found: `table "${table}", whose key schema (DescribeTable) has index gsi1 on "gsi1pk", contradicting the declared key attributes`,
      expected: 'createClientFactory({ keys }) to match the table: keys.indexes.gsi1 = "gsi1pk" (declared "GSI1PK")',
    });
  });

  it('refuses, without caching the failure, a command on a table whose key schema cannot be read', async () => {
    const aws = factory({ tables: ['orders', 'later'] });
    const acme = aws.capsule('acme', 'DEV').dynamo();
    const later = aws.capsule('acme', 'DEV').table('later');
    const error = await refusal(acme.send(new doc.GetCommand({ TableName: later, Key: { pk: `${OURS}X`, sk: 'A' } })));
    expect(error.rule).toBe('unverifiable-request');
    expect(error.found.startsWith(`TableName = "${later}", whose key schema cannot be read (`)).toBe(true);
    expect(error.found).toContain('ResourceNotFoundException');
    expect(error.cause).toMatchObject({ name: 'KeySchemaError', table: later });
    await raw.send(new CreateTableCommand({ TableName: later, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await expect(acme.send(new doc.GetCommand({ TableName: later, Key: { pk: `${OURS}X` } }))).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });

  it("with keySchemas: 'declared' the declaration is the whole truth and no DescribeTable is sent", async () => {
    const acme = factory({ keySchemas: 'declared', keys: { indexes: { gsi1: 'gsi1pk' } } }).capsule('acme', 'DEV').dynamo();
    const before = dynamo.requestCount?.() as number;
    await acme.send(new doc.GetCommand({ TableName: table, Key: { pk: `${OURS}ORDER#1`, sk: 'A' } }));
    expect((dynamo.requestCount?.() as number) - before).toBe(1);
    expect((await refusal(acme.send(new doc.PutCommand({ TableName: table, Item: { pk: `${OURS}X`, sk: 'A', gsi1pk: GLOBEX_ITEM.gsi1pk } })))).rule).toBe('index-partition-scope');
  });

  it('the raw table agrees: nothing of acme ever reached globex’s index partition', async () => {
    const { Items = [] } = await raw.send(new QueryCommand({ TableName: table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :g', ExpressionAttributeValues: { ':g': { S: GLOBEX_ITEM.gsi1pk } } }));
    expect(Items.map((item) => item['pk']?.S)).toEqual([GLOBEX_ITEM.pk]);
  });
});

describe('key schemas learned with DescribeTable', () => {
  it('picks up an index added after the table was first read, once the cached schema is older than maxAgeMs, without a command waiting', async () => {
    const name = 'late_index';
    await raw.send(new CreateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    const schemas = new DescribedKeySchemas({ describe: (table) => describeKeySchema(raw, table), declared: DEFAULT_KEY_ATTRIBUTES, maxAgeMs: 50 });
    expect([...(await schemas.load(name)).indexAttributes.keys()]).toEqual([]);
    await raw.send(new DeleteTableCommand({ TableName: name }));
    await createTestTable(raw, name);
    await new Promise((resolve) => setTimeout(resolve, 80));
    // The first peek past the age still answers at once, with what it has, and starts one refresh.
    expect(schemas.peek(name)?.indexAttributes.size).toBe(0);
    const deadline = Date.now() + 5000;
    while (schemas.peek(name)?.indexAttributes.size === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([...(schemas.peek(name)?.indexAttributes.keys() ?? [])]).toEqual(['gsi1pk']);
  });
});

