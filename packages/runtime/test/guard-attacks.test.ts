/**
 * The attack matrix: a capsule-scoped client (acme/DEV) with the isolation guard, through the
 * low-level DynamoDBClient and the DynamoDBDocumentClient, against real local DynamoDB — dynalite
 * (in-process) and DynamoDB Local (AWS's jar). Every operation is aimed at another capsule of the
 * same tenant, a capsule whose code extends ours (DEV vs DEVX), another tenant, and another
 * tenant's index partition; every attempt must be refused with the right rule, and the victims'
 * items, read back with an unguarded client, must be unchanged. The same operations inside the
 * scope must succeed.
 *
 * Without the guard, the key, item, query, batch, Scan and (on DynamoDB Local) transaction attacks
 * here succeed against both servers (checked by running this matrix on an unguarded client). Three
 * kinds would fail on the servers anyway, so for them the guard is a second wall: a Query whose
 * ExclusiveStartKey lies outside the queried partition (DynamoDB answers "The provided starting key
 * is invalid"), PartiQL (neither local server implements it; AWS does), and table ARNs (AWS accepts
 * them in TableName; the local servers do not).
 */
import {
  BatchExecuteStatementCommand,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import * as doc from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addIsolationGuard, type GuardPolicy } from '../src/aws/guard.js';
import { keyPrefixOf, type GuardedScope } from '../src/aws/scope.js';
import { IsolationViolationError, type GuardRule } from '../src/aws/violation.js';
import { capsuleId, tenantId } from '../src/ids.js';
import { countingCredentials, createTestTable, documentClient, lowLevelClient, startLocalDynamo, TEST_KEYS, type LocalDynamo, type LocalDynamoKind } from './support/dynamo.js';
import { refusalOf } from './support/refusal.js';

const TABLE = 'guard_attack_data';
const OTHER_TABLE = 'guard_attack_other';

const scope: GuardedScope = { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: capsuleId('DEV') };
const OURS = keyPrefixOf(scope);

type Item = Readonly<Record<string, string>>;
const itemIn = (prefix: string, secret: string, id = 'ORDER#1'): Item => ({ pk: `${prefix}${id}`, sk: 'A', gsi1pk: `${prefix}STATUS#open`, gsi1sk: id, secret });

/** Our own items: the one operations aim at inside the scope, and a second one batches and transactions start with. */
const OWN = itemIn(OURS, 'ours');
const OWN_2 = itemIn(OURS, 'ours too', 'ORDER#2');

/** Where an attack aims: the partition key it uses and the index partition it reads or writes. */
interface Aim {
  readonly pk: string;
  readonly gsi1pk: string;
}

interface Target extends Aim {
  readonly name: string;
  /** `partition`: the victim's own partition; `index`: our item, written into or read from the victim's index partition. */
  readonly reach: 'partition' | 'index';
  readonly victim: Item;
}

const OTHER_CAPSULE = itemIn('TENANT#acme#CAPSULE#PROD#', 'secret of acme/PROD');
const EXTENDING_CAPSULE = itemIn('TENANT#acme#CAPSULE#DEVX#', 'secret of acme/DEVX');
const OTHER_TENANT = itemIn('TENANT#globex#CAPSULE#DEV#', 'secret of globex/DEV');
const VICTIMS: readonly Item[] = [OTHER_CAPSULE, EXTENDING_CAPSULE, OTHER_TENANT];
/** The key an index-partition attack would create in our own partition (it must never exist). */
const ATTACK_PK = `${OURS}ATTACK#1`;

const TARGETS: readonly Target[] = [
  { name: 'another capsule of the same tenant (acme/PROD)', reach: 'partition', pk: OTHER_CAPSULE.pk as string, gsi1pk: OTHER_CAPSULE.gsi1pk as string, victim: OTHER_CAPSULE },
  { name: 'a capsule whose code extends ours (acme/DEVX)', reach: 'partition', pk: EXTENDING_CAPSULE.pk as string, gsi1pk: EXTENDING_CAPSULE.gsi1pk as string, victim: EXTENDING_CAPSULE },
  { name: 'another tenant (globex/DEV)', reach: 'partition', pk: OTHER_TENANT.pk as string, gsi1pk: OTHER_TENANT.gsi1pk as string, victim: OTHER_TENANT },
  { name: "another tenant's index partition (globex/DEV gsi1)", reach: 'index', pk: ATTACK_PK, gsi1pk: OTHER_TENANT.gsi1pk as string, victim: OTHER_TENANT },
];

// ---------------------------------------------------------------------------------------------
// Operations, written once for both clients: values typed ({ S }) for DynamoDBClient, plain for
// DynamoDBDocumentClient.

type Flavor = 'low' | 'doc';

interface Forms {
  v(text: string): unknown;
  item(fields: Item): Record<string, unknown>;
  key(pk: string): Record<string, unknown>;
}

const FORMS: Readonly<Record<Flavor, Forms>> = {
  low: {
    v: (text) => ({ S: text }) satisfies AttributeValue,
    item: (fields) => Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, { S: value }])),
    key: (pk) => ({ pk: { S: pk }, sk: { S: 'A' } }),
  },
  doc: {
    v: (text) => text,
    item: (fields) => ({ ...fields }),
    key: (pk) => ({ pk, sk: 'A' }),
  },
};

type AnyCommand = abstract new (input: never) => object;

interface Operation {
  readonly name: string;
  /** The low-level command and its Document-client counterpart. */
  readonly commands: readonly [AnyCommand, AnyCommand];
  /** `partition`: aimed by key only; `index`: also writes or reads an index partition. */
  readonly reach: 'partition' | 'index' | 'none';
  readonly transactions?: boolean;
  /** A Query reads: a foreign index partition in its key condition is a partition-key violation. */
  readonly reads?: boolean;
  /** The key whose value the refusal names, when it is the index partition key even for a partition target. */
  readonly names?: 'gsi1pk';
  input(f: Forms, aim: Aim): object;
}

const names = { '#pk': 'pk', '#sk': 'sk', '#g': 'gsi1pk', '#secret': 'secret' } as const;
const keysOf = (f: Forms, item: Item): Record<string, unknown> => f.item({ pk: item.pk as string, sk: item.sk as string, gsi1pk: item.gsi1pk as string, gsi1sk: item.gsi1sk as string });
const attackItem = (aim: Aim): Item => ({ pk: aim.pk, sk: 'A', gsi1pk: aim.gsi1pk, gsi1sk: 'ORDER#1', secret: 'written by the attacker' });

const OPERATIONS: readonly Operation[] = [
  { name: 'GetItem', commands: [GetItemCommand, doc.GetCommand], reach: 'partition', input: (f, aim) => ({ TableName: TABLE, Key: f.key(aim.pk) }) },
  { name: 'PutItem', commands: [PutItemCommand, doc.PutCommand], reach: 'index', input: (f, aim) => ({ TableName: TABLE, Item: f.item(aim.pk === OWN.pk ? OWN : attackItem(aim)) }) },
  {
    name: 'UpdateItem (SET secret)',
    commands: [UpdateItemCommand, doc.UpdateCommand],
    reach: 'partition',
    input: (f, aim) => ({
      TableName: TABLE,
      Key: f.key(aim.pk),
      UpdateExpression: 'SET #secret = :secret',
      ExpressionAttributeNames: { '#secret': names['#secret'] },
      ExpressionAttributeValues: { ':secret': f.v('written by the attacker') },
    }),
  },
  {
    name: 'UpdateItem (SET gsi1pk)',
    commands: [UpdateItemCommand, doc.UpdateCommand],
    reach: 'index',
    input: (f, aim) => ({
      TableName: TABLE,
      Key: f.key(aim.pk),
      UpdateExpression: 'SET #g = :g, gsi1sk = :s',
      ExpressionAttributeNames: { '#g': names['#g'] },
      ExpressionAttributeValues: { ':g': f.v(aim.gsi1pk), ':s': f.v('ORDER#1') },
    }),
  },
  { name: 'DeleteItem', commands: [DeleteItemCommand, doc.DeleteCommand], reach: 'partition', input: (f, aim) => ({ TableName: TABLE, Key: f.key(aim.pk) }) },
  {
    name: 'Query (table)',
    commands: [QueryCommand, doc.QueryCommand],
    reach: 'partition',
    input: (f, aim) => ({
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeNames: { '#pk': names['#pk'], '#sk': names['#sk'] },
      ExpressionAttributeValues: { ':pk': f.v(aim.pk), ':sk': f.v('A') },
    }),
  },
  {
    name: 'Query (table, ExclusiveStartKey)',
    commands: [QueryCommand, doc.QueryCommand],
    reach: 'partition',
    input: (f, aim) => ({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': f.v(OWN.pk as string) }, ExclusiveStartKey: f.key(aim.pk) }),
  },
  {
    name: 'Query (legacy KeyConditions)',
    commands: [QueryCommand, doc.QueryCommand],
    reach: 'partition',
    input: (f, aim) => ({ TableName: TABLE, KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [f.v(aim.pk)] } } }),
  },
  {
    name: 'Query (gsi1)',
    commands: [QueryCommand, doc.QueryCommand],
    reach: 'index',
    reads: true,
    names: 'gsi1pk',
    input: (f, aim) => ({ TableName: TABLE, IndexName: 'gsi1', KeyConditionExpression: ':g = #g', ExpressionAttributeNames: { '#g': names['#g'] }, ExpressionAttributeValues: { ':g': f.v(aim.gsi1pk) } }),
  },
  {
    name: 'Query (gsi1, ExclusiveStartKey)',
    commands: [QueryCommand, doc.QueryCommand],
    reach: 'index',
    reads: true,
    input: (f, aim) => ({
      TableName: TABLE,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :g',
      ExpressionAttributeValues: { ':g': f.v(OWN.gsi1pk as string) },
      ExclusiveStartKey: keysOf(f, { pk: aim.pk, sk: 'A', gsi1pk: aim.gsi1pk, gsi1sk: 'ORDER#1' }),
    }),
  },
  { name: 'BatchGetItem', commands: [BatchGetItemCommand, doc.BatchGetCommand], reach: 'partition', input: (f, aim) => ({ RequestItems: { [TABLE]: { Keys: [f.key(OWN_2.pk as string), f.key(aim.pk)] } } }) },
  {
    name: 'BatchWriteItem (PutRequest)',
    commands: [BatchWriteItemCommand, doc.BatchWriteCommand],
    reach: 'index',
    input: (f, aim) => ({ RequestItems: { [TABLE]: [{ PutRequest: { Item: f.item(OWN_2) } }, { PutRequest: { Item: f.item(aim.pk === OWN.pk ? OWN : attackItem(aim)) } }] } }),
  },
  {
    name: 'BatchWriteItem (DeleteRequest)',
    commands: [BatchWriteItemCommand, doc.BatchWriteCommand],
    reach: 'partition',
    input: (f, aim) => ({ RequestItems: { [TABLE]: [{ PutRequest: { Item: f.item(OWN_2) } }, { DeleteRequest: { Key: f.key(aim.pk) } }] } }),
  },
  { name: 'Scan', commands: [ScanCommand, doc.ScanCommand], reach: 'none', input: () => ({ TableName: TABLE }) },
  {
    name: 'ExecuteStatement (PartiQL)',
    commands: [ExecuteStatementCommand, doc.ExecuteStatementCommand],
    reach: 'none',
    input: (f, aim) => ({ Statement: `SELECT * FROM "${TABLE}" WHERE pk = ?`, Parameters: [f.v(aim.pk)] }),
  },
  {
    name: 'BatchExecuteStatement (PartiQL)',
    commands: [BatchExecuteStatementCommand, doc.BatchExecuteStatementCommand],
    reach: 'none',
    input: (f, aim) => ({ Statements: [{ Statement: `DELETE FROM "${TABLE}" WHERE pk = ? AND sk = 'A'`, Parameters: [f.v(aim.pk)] }] }),
  },
  {
    name: 'ExecuteTransaction (PartiQL)',
    commands: [ExecuteTransactionCommand, doc.ExecuteTransactionCommand],
    reach: 'none',
    input: (f, aim) => ({ TransactStatements: [{ Statement: `UPDATE "${TABLE}" SET secret = 'x' WHERE pk = ? AND sk = 'A'`, Parameters: [f.v(aim.pk)] }] }),
  },
  ...transactionOperations(),
];

function transactionOperations(): Operation[] {
  const first = (f: Forms): object => ({ ConditionCheck: { TableName: TABLE, Key: f.key(OWN_2.pk as string), ConditionExpression: 'attribute_exists(pk)' } });
  const write = (name: string, reach: Operation['reach'], second: (f: Forms, aim: Aim) => object): Operation => ({
    name: `TransactWriteItems (${name})`,
    commands: [TransactWriteItemsCommand, doc.TransactWriteCommand],
    reach,
    transactions: true,
    input: (f, aim) => ({ TransactItems: [first(f), second(f, aim)] }),
  });
  return [
    write('Put', 'index', (f, aim) => ({ Put: { TableName: TABLE, Item: f.item(aim.pk === OWN.pk ? OWN : attackItem(aim)) } })),
    write('Update SET gsi1pk', 'index', (f, aim) => ({
      Update: { TableName: TABLE, Key: f.key(aim.pk), UpdateExpression: 'SET #g = :g', ExpressionAttributeNames: { '#g': names['#g'] }, ExpressionAttributeValues: { ':g': f.v(aim.gsi1pk) } },
    })),
    write('Delete', 'partition', (f, aim) => ({ Delete: { TableName: TABLE, Key: f.key(aim.pk) } })),
    write('ConditionCheck', 'partition', (f, aim) => ({ ConditionCheck: { TableName: TABLE, Key: f.key(aim.pk), ConditionExpression: 'attribute_exists(pk)' } })),
    {
      name: 'TransactGetItems',
      commands: [TransactGetItemsCommand, doc.TransactGetCommand],
      reach: 'partition',
      transactions: true,
      input: (f, aim) => ({ TransactItems: [{ Get: { TableName: TABLE, Key: f.key(OWN_2.pk as string) } }, { Get: { TableName: TABLE, Key: f.key(aim.pk) } }] }),
    },
  ];
}

function expectedRule(operation: Operation, target: Target): GuardRule {
  if (operation.reach === 'none') return 'unbounded-operation';
  if (target.reach === 'index' && !operation.reads) return 'index-partition-scope';
  return 'partition-key-scope';
}

/** The value the refusal must name (`found`). */
function expectedValue(operation: Operation, target: Target): string | undefined {
  if (operation.reach === 'none') return undefined;
  return target.reach === 'index' || operation.names === 'gsi1pk' ? target.gsi1pk : target.pk;
}

interface AttackCase {
  readonly operation: string;
  readonly target: string;
  readonly rule: GuardRule;
  readonly run: { readonly operation: Operation; readonly target: Target };
}

const ATTACKS: readonly AttackCase[] = OPERATIONS.flatMap((operation) =>
  TARGETS.filter((target) => target.reach === 'partition' || operation.reach !== 'partition').map((target) => ({
    operation: operation.name,
    target: target.name,
    rule: expectedRule(operation, target),
    run: { operation, target },
  })),
);

function send(client: { send(command: never): Promise<unknown> }, operation: Operation, flavor: Flavor, aim: Aim): Promise<unknown> {
  const Command = operation.commands[flavor === 'low' ? 0 : 1] as unknown as new (input: object) => object;
  return (client as unknown as { send(command: object): Promise<unknown> }).send(new Command(operation.input(FORMS[flavor], aim)));
}

const refusal = (promise: Promise<unknown>): Promise<IsolationViolationError> => refusalOf(promise, IsolationViolationError);

// ---------------------------------------------------------------------------------------------

const BACKENDS: readonly { readonly kind: LocalDynamoKind; readonly label: string; readonly transactions: boolean }[] = [
  { kind: 'dynalite', label: 'dynalite (in-process DynamoDB)', transactions: false },
  { kind: 'dynamodb-local', label: "DynamoDB Local (AWS's jar)", transactions: true },
];

const FLAVORS: readonly { readonly flavor: Flavor; readonly label: string }[] = [
  { flavor: 'low', label: 'the low-level DynamoDBClient' },
  { flavor: 'doc', label: 'the DynamoDBDocumentClient' },
];

describe.each(BACKENDS)('$label', (backend) => {
  let db: LocalDynamo;
  /** Unguarded: seeds and verifies. */
  let raw: DynamoDBClient;
  let guardedBase: DynamoDBClient;
  const clients = {} as Record<Flavor, { send(command: never): Promise<unknown> }>;
  const onViolation = vi.fn<(error: IsolationViolationError) => void>();
  const policy: GuardPolicy = { scope, tables: new Set([TABLE]), keys: TEST_KEYS, onViolation };

  const put = (table: string, item: Item): Promise<unknown> => raw.send(new PutItemCommand({ TableName: table, Item: FORMS.low.item(item) as Record<string, AttributeValue> }));
  const read = async (table: string, pk: string): Promise<Item | undefined> => {
    const { Item: found } = await raw.send(new GetItemCommand({ TableName: table, Key: FORMS.low.key(pk) as Record<string, AttributeValue>, ConsistentRead: true }));
    return found === undefined ? undefined : Object.fromEntries(Object.entries(found).map(([name, value]) => [name, value.S ?? JSON.stringify(value)]));
  };
  const indexPartition = async (gsi1pk: string): Promise<string[]> => {
    const { Items = [] } = await raw.send(new QueryCommand({ TableName: TABLE, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :g', ExpressionAttributeValues: { ':g': { S: gsi1pk } } }));
    return Items.map((item) => item['pk']?.S ?? '?');
  };

  beforeAll(async () => {
    db = await startLocalDynamo(backend.kind);
    raw = lowLevelClient(db.endpoint);
    await createTestTable(raw, TABLE);
    await createTestTable(raw, OTHER_TABLE);
    for (const item of [...VICTIMS, OWN, OWN_2]) await put(TABLE, item);
    await put(OTHER_TABLE, OWN);
    guardedBase = lowLevelClient(db.endpoint);
    addIsolationGuard(guardedBase, policy);
    clients.low = guardedBase as unknown as (typeof clients)['low'];
    clients.doc = documentClient(guardedBase) as unknown as (typeof clients)['doc'];
  });

  afterAll(async () => {
    raw?.destroy();
    guardedBase?.destroy();
    await db?.stop();
  });

  describe.each(FLAVORS)('through $label', ({ flavor }) => {
    describe('refuses every attack, and the victims are unchanged', () => {
      afterEach(async () => {
        for (const victim of VICTIMS) {
          expect(await read(TABLE, victim.pk as string)).toEqual(victim);
          expect(await indexPartition(victim.gsi1pk as string)).toEqual([victim.pk]);
        }
        expect(await read(TABLE, ATTACK_PK)).toBeUndefined();
      });

      it.each(ATTACKS)('$operation against $target → $rule', async ({ rule, run: { operation, target } }) => {
        onViolation.mockClear();
        const error = await refusal(send(clients[flavor], operation, flavor, target));
        expect(error.rule).toBe(rule);
        expect(error.scope).toEqual(scope);
        const value = expectedValue(operation, target);
        if (value !== undefined) expect(error.found).toContain(JSON.stringify(value));
        expect(error.expected).toContain(rule === 'unbounded-operation' ? '' : OURS);
        expect(onViolation).toHaveBeenCalledTimes(1);
        expect(onViolation).toHaveBeenLastCalledWith(error);
      });

      it.each([
        ['GetItem on another table', (f: Forms) => new (flavor === 'low' ? GetItemCommand : doc.GetCommand)({ TableName: OTHER_TABLE, Key: f.key(OWN.pk as string) } as never), 'table-scope'],
        ['PutItem on another table', (f: Forms) => new (flavor === 'low' ? PutItemCommand : doc.PutCommand)({ TableName: OTHER_TABLE, Item: f.item({ ...OWN, secret: 'written by the attacker' }) } as never), 'table-scope'],
        [
          'GetItem on our table by ARN',
          (f: Forms) => new (flavor === 'low' ? GetItemCommand : doc.GetCommand)({ TableName: `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`, Key: f.key(OWN.pk as string) } as never),
          'table-scope',
        ],
        ['BatchGetItem including another table', (f: Forms) => new (flavor === 'low' ? BatchGetItemCommand : doc.BatchGetCommand)({ RequestItems: { [TABLE]: { Keys: [f.key(OWN.pk as string)] }, [OTHER_TABLE]: { Keys: [f.key(OWN.pk as string)] } } } as never), 'table-scope'],
        ['TransactGetItems on another table', (f: Forms) => new (flavor === 'low' ? TransactGetItemsCommand : doc.TransactGetCommand)({ TransactItems: [{ Get: { TableName: OTHER_TABLE, Key: f.key(OWN.pk as string) } }] } as never), 'table-scope'],
        [
          'Query on an index the scope does not name',
          (f: Forms) => new (flavor === 'low' ? QueryCommand : doc.QueryCommand)({ TableName: TABLE, IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :g', ExpressionAttributeValues: { ':g': f.v(OTHER_TENANT.pk as string) } } as never),
          'unknown-index',
        ],
      ] as const)('%s → %s', async (_name, build, rule) => {
        const error = await refusal((clients[flavor] as unknown as { send(command: object): Promise<unknown> }).send(build(FORMS[flavor])));
        expect(error.rule).toBe(rule);
        expect(await read(OTHER_TABLE, OWN.pk as string)).toEqual(OWN);
      });

      it("Query on the table's real gsi1 by a client whose key attributes do not name it → unknown-index", async () => {
        const base = lowLevelClient(db.endpoint);
        addIsolationGuard(base, { ...policy, keys: { ...TEST_KEYS, indexes: {} } });
        const client = (flavor === 'low' ? base : documentClient(base)) as unknown as { send(command: never): Promise<unknown> };
        const operation = OPERATIONS.find((candidate) => candidate.name === 'Query (gsi1)') as Operation;
        expect((await refusal(send(client, operation, flavor, TARGETS[2] as Target))).rule).toBe('unknown-index');
        base.destroy();
      });
    });

    describe('runs the same operations inside the scope', () => {
      beforeEach(async () => {
        await put(TABLE, OWN);
        await put(TABLE, OWN_2);
      });

      const inScope = OPERATIONS.filter((operation) => operation.reach !== 'none' && (backend.transactions || !operation.transactions));
      it.each(inScope.map((operation) => ({ operation: operation.name, run: operation })))('$operation succeeds', async ({ run: operation }) => {
        await expect(send(clients[flavor], operation, flavor, OWN as unknown as Aim)).resolves.toBeDefined();
      });

      it('reads our own item and our own index partition', async () => {
        const byKey = (await send(clients[flavor], OPERATIONS[0] as Operation, flavor, OWN as unknown as Aim)) as { Item?: Record<string, unknown> };
        expect(byKey.Item).toEqual(FORMS[flavor].item(OWN));
        const byIndex = (await send(clients[flavor], OPERATIONS.find((operation) => operation.name === 'Query (gsi1)') as Operation, flavor, OWN as unknown as Aim)) as { Items?: unknown[] };
        expect(byIndex.Items).toEqual([FORMS[flavor].item(OWN), FORMS[flavor].item(OWN_2)]);
      });

      // Only where the backend has no transactions: there the guard must still let them through to the server.
      if (!backend.transactions) {
        it('lets in-scope transactions through to the server (dynalite has none: UnknownOperationException)', async () => {
          const transaction = OPERATIONS.find((operation) => operation.name === 'TransactWriteItems (Put)') as Operation;
          await expect(send(clients[flavor], transaction, flavor, OWN as unknown as Aim)).rejects.toMatchObject({ name: 'UnknownOperationException' });
        });
      }

      it.each(OPERATIONS.filter((operation) => operation.reach === 'none').map((operation) => ({ operation: operation.name, run: operation })))(
        '$operation is refused even aimed at our own partition',
        async ({ run: operation }) => {
          expect((await refusal(send(clients[flavor], operation, flavor, OWN as unknown as Aim))).rule).toBe('unbounded-operation');
        },
      );
    });
  });

  describe('refuses before a request is sent', () => {
    it('no refused command reaches the server; an allowed one does', async () => {
      const base = lowLevelClient(db.endpoint);
      addIsolationGuard(base, policy);
      const document = documentClient(base);
      const requestsBefore = db.requestCount?.();
      for (const operation of OPERATIONS) {
        await refusal(send(base as never, operation, 'low', TARGETS[2] as Target));
        await refusal(send(document as never, operation, 'doc', TARGETS[2] as Target));
      }
      if (requestsBefore !== undefined) expect(db.requestCount?.()).toBe(requestsBefore);
      await send(base as never, OPERATIONS[0] as Operation, 'low', OWN as unknown as Aim);
      if (requestsBefore !== undefined) expect(db.requestCount?.()).toBe(requestsBefore + 1);
      base.destroy();
    });

    it('no refused command, low-level or Document, asks for credentials; a client whose credentials fail still reports the refusal, and sends nothing', async () => {
      const credentials = countingCredentials();
      const base = lowLevelClient(db.endpoint, { credentials: credentials.provider });
      addIsolationGuard(base, policy);
      const document = documentClient(base);
      const requestsBefore = db.requestCount?.();
      for (const operation of OPERATIONS) {
        await refusal(send(base as never, operation, 'low', TARGETS[0] as Target));
        await refusal(send(document as never, operation, 'doc', TARGETS[0] as Target));
      }
      expect(credentials.calls()).toBe(0);
      if (requestsBefore !== undefined) expect(db.requestCount?.()).toBe(requestsBefore);
      await send(base as never, OPERATIONS[0] as Operation, 'low', OWN as unknown as Aim);
      expect(credentials.calls()).toBe(1);
      const failing = lowLevelClient(db.endpoint, { credentials: () => Promise.reject(new Error('no credentials')) });
      addIsolationGuard(failing, policy);
      const failingBefore = db.requestCount?.();
      expect((await refusal(send(failing as never, OPERATIONS[0] as Operation, 'low', TARGETS[0] as Target))).rule).toBe('partition-key-scope');
      await expect(send(failing as never, OPERATIONS[0] as Operation, 'low', OWN as unknown as Aim)).rejects.toThrow(/no credentials/);
      if (failingBefore !== undefined) expect(db.requestCount?.()).toBe(failingBefore);
      base.destroy();
      failing.destroy();
    });
  });
});
