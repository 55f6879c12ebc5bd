/**
 * The guard judges what is sent, not what it read once: a capsule scope (acme/DEV) of the factory,
 * through the low-level and the Document client, against dynalite and DynamoDB Local (which has
 * transactions). Each attack hands the guard an input that reads one way when inspected and
 * another when serialized — members inherited through a prototype planted by
 * `Object.assign(request, JSON.parse(body))` with a `"__proto__"` key, getters, Proxies — aiming at
 * another tenant's partition or index partition. Checked with an unguarded client: the victims'
 * data is neither read nor changed. Legitimate values that are not plain objects (binary data,
 * Document-client sets, NumberValue) keep working.
 */
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import * as doc from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory, type Scope } from '../src/aws/index.js';
import { snapshot, SnapshotError } from '../src/aws/snapshot.js';
import { createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startLocalDynamo, TEST_KEYS, type LocalDynamo, type LocalDynamoKind } from './support/dynamo.js';

const OURS = 'TENANT#acme#CAPSULE#DEV#';
const OUR_ITEM = { pk: `${OURS}ORDER#1`, sk: 'A', gsi1pk: `${OURS}STATUS#open`, gsi1sk: 'ORDER#1', secret: 'acme order' };
const THEIR_ITEM = { pk: 'TENANT#globex#CAPSULE#DEV#ORDER#1', sk: 'A', gsi1pk: 'TENANT#globex#CAPSULE#DEV#STATUS#open', gsi1sk: 'ORDER#1', secret: 'globex order' };
/** Where a planted item would live: our own partition, so only its index key can reach another tenant. */
const PLANTED_PK = `${OURS}ATTACK#1`;

type Item = Readonly<Record<string, string>>;
const typed = (item: Item): Record<string, AttributeValue> => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, { S: value }]));

type Flavor = 'low' | 'doc';
const value = (flavor: Flavor, text: string): unknown => (flavor === 'low' ? { S: text } : text);
const key = (flavor: Flavor, pk: string): Record<string, unknown> => ({ pk: value(flavor, pk), sk: value(flavor, 'A') });

/** A body an API handler might merge into a request: JSON.parse makes `__proto__` an own key, Object.assign then sets the prototype with it. */
const parsed = (body: unknown): object => JSON.parse(JSON.stringify(body).replace('"proto"', '"__proto__"')) as object;

interface Outcome {
  readonly output?: Record<string, unknown>;
  readonly error?: unknown;
}
const settle = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    (output) => ({ output: output as Record<string, unknown> }),
    (error: unknown) => ({ error }),
  );

const BACKENDS: readonly { readonly kind: LocalDynamoKind; readonly label: string }[] = [
  { kind: 'dynalite', label: 'dynalite (in-process DynamoDB)' },
  { kind: 'dynamodb-local', label: "DynamoDB Local (AWS's jar)" },
];

describe.each(BACKENDS)('$label', ({ kind }) => {
  let db: LocalDynamo;
  let raw: DynamoDBClient;
  let aws: ClientFactory;
  let dev: Scope;
  let table: string;
  /** A table outside the scope, holding an item under our own key. */
  const otherTable = 'DEV.elsewhere';

  const read = async (tableName: string, pk: string): Promise<Record<string, AttributeValue> | undefined> => (await raw.send(new GetItemCommand({ TableName: tableName, Key: typed({ pk, sk: 'A' }), ConsistentRead: true }))).Item;
  const indexPartition = async (gsi1pk: string): Promise<string[]> => {
    const { Items = [] } = await raw.send(new QueryCommand({ TableName: table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :g', ExpressionAttributeValues: { ':g': { S: gsi1pk } } }));
    return Items.map((item) => item['pk']?.S ?? '?');
  };
  const client = (flavor: Flavor): { send(command: object): Promise<unknown> } => (flavor === 'low' ? dev.client(DynamoDBClient) : dev.dynamo()) as never;

  beforeAll(async () => {
    db = await startLocalDynamo(kind);
    raw = lowLevelClient(db.endpoint);
    aws = createClientFactory({ region: 'us-east-1', endpoint: db.endpoint, credentials: DUMMY_CREDENTIALS, tables: ['orders'], keys: TEST_KEYS, clientConfig: { maxAttempts: 1 } });
    dev = aws.capsule('acme', 'DEV');
    table = dev.table('orders');
    await createTestTable(raw, table);
    await createTestTable(raw, otherTable);
    for (const item of [OUR_ITEM, THEIR_ITEM]) await raw.send(new PutItemCommand({ TableName: table, Item: typed(item) }));
    await raw.send(new PutItemCommand({ TableName: otherTable, Item: typed({ ...OUR_ITEM, secret: 'not in this scope' }) }));
  }, 90_000);

  afterAll(async () => {
    aws?.destroy();
    raw?.destroy();
    await db?.stop();
  });

  /** The victims, read without a guard: unchanged, and nothing planted in their index partition. */
  const expectVictimsUntouched = async (): Promise<void> => {
    expect(await read(table, THEIR_ITEM.pk)).toEqual(typed(THEIR_ITEM));
    expect(await indexPartition(THEIR_ITEM.gsi1pk)).toEqual([THEIR_ITEM.pk]);
    expect(await read(table, PLANTED_PK)).toBeUndefined();
  };

  describe.each([
    { flavor: 'low' as const, label: 'the low-level DynamoDBClient' },
    { flavor: 'doc' as const, label: 'the DynamoDBDocumentClient' },
  ])('through $label', ({ flavor }) => {
    it("inherited AttributeUpdates (Object.assign of a parsed body with __proto__) cannot plant an item in another tenant's index partition", async () => {
      const body = parsed({ proto: { AttributeUpdates: { gsi1pk: { Action: 'PUT', Value: value(flavor, THEIR_ITEM.gsi1pk) }, gsi1sk: { Action: 'PUT', Value: value(flavor, 'planted') } } } });
      const input = Object.assign({ TableName: table, Key: key(flavor, PLANTED_PK) }, body);
      expect(Object.hasOwn(input, 'AttributeUpdates')).toBe(false);
      const Command = flavor === 'low' ? UpdateItemCommand : doc.UpdateCommand;
      const { error } = await settle(client(flavor).send(new Command(input as never)));
      expect(error).toBeInstanceOf(IsolationViolationError);
      if (flavor === 'doc') {
        // The Document client's marshalling copies the inherited member into its output: judged as written.
        expect(error).toMatchObject({ rule: 'index-partition-scope', found: `AttributeUpdates.gsi1pk.Value = "${THEIR_ITEM.gsi1pk}"` });
      } else {
        // The low-level serializer would read it through the prototype: the copy refuses an input with one.
        expect(error).toMatchObject({ rule: 'unverifiable-request', found: 'the command input, which is an object inheriting members from another object (AttributeUpdates)' });
      }
      await expectVictimsUntouched();
    });

    // The Document client copies only own members it does not marshal (UpdateExpression among them): an inherited one is never sent.
    if (flavor === 'low') {
      it("an inherited UpdateExpression cannot plant an item in another tenant's index partition", async () => {
        const body = parsed({ proto: { UpdateExpression: 'SET gsi1pk = :g, gsi1sk = :s', ExpressionAttributeValues: { ':g': value(flavor, THEIR_ITEM.gsi1pk), ':s': value(flavor, 'planted') } } });
        const input = Object.assign({ TableName: table, Key: key(flavor, PLANTED_PK) }, body);
        const { error } = await settle(client(flavor).send(new UpdateItemCommand(input as never)));
        expect(error).toMatchObject({ name: 'IsolationViolationError', rule: 'unverifiable-request', found: 'the command input, which is an object inheriting members from another object (UpdateExpression, ExpressionAttributeValues)' });
        await expectVictimsUntouched();
      });

      if (kind === 'dynamodb-local') {
        it("an inherited UpdateExpression inside TransactWriteItems cannot plant an item in another tenant's index partition", async () => {
          const update = Object.assign(
            { TableName: table, Key: key(flavor, PLANTED_PK) },
            parsed({ proto: { UpdateExpression: 'SET gsi1pk = :g, gsi1sk = :s', ExpressionAttributeValues: { ':g': value(flavor, THEIR_ITEM.gsi1pk), ':s': value(flavor, 'planted') } } }),
          );
          const { error } = await settle(client(flavor).send(new TransactWriteItemsCommand({ TransactItems: [{ Update: update }] } as never)));
          expect(error).toMatchObject({ name: 'IsolationViolationError', rule: 'unverifiable-request', found: expect.stringMatching(/^TransactItems\[0\]\.Update, which is an object inheriting members/) as unknown });
          await expectVictimsUntouched();
        });
      }
    }

    // Only against a server in another process: dynalite, in this one, would read the polluted prototype itself.
    if (kind === 'dynamodb-local') {
      it("AttributeUpdates planted on Object.prototype (prototype pollution elsewhere in the process) is not sent with a clean update", async () => {
        const prototype = Object.prototype as Record<string, unknown>;
        // Not enumerable, so the test runner's own for-in loops stay unaffected; the serializers read it all the same.
        Object.defineProperty(prototype, 'AttributeUpdates', {
          value: { gsi1pk: { Action: 'PUT', Value: value(flavor, THEIR_ITEM.gsi1pk) }, gsi1sk: { Action: 'PUT', Value: value(flavor, 'planted') } },
          configurable: true,
          writable: true,
        });
        let outcome: Outcome;
        try {
          const Command = flavor === 'low' ? UpdateItemCommand : doc.UpdateCommand;
          outcome = await settle(client(flavor).send(new Command({ TableName: table, Key: key(flavor, PLANTED_PK) } as never)));
        } finally {
          delete prototype['AttributeUpdates'];
        }
        // The Document client's marshalling copies the inherited member into its output (judged and refused);
        // the low-level serializer gets the guard's copy, which inherits nothing, and sends a plain update.
        if (outcome.error !== undefined) expect(outcome.error).toMatchObject({ name: 'IsolationViolationError', rule: 'index-partition-scope' });
        const planted = await read(table, PLANTED_PK);
        await raw.send(new DeleteItemCommand({ TableName: table, Key: typed({ pk: PLANTED_PK, sk: 'A' }) }));
        expect(planted?.['gsi1pk']).toBeUndefined();
        expect(await indexPartition(THEIR_ITEM.gsi1pk)).toEqual([THEIR_ITEM.pk]);
      });
    }

    it("a getter on Key.pk is read once: it cannot show the guard our key and send another tenant's", async () => {
      let reads = 0;
      const sneaky = {
        get pk(): unknown {
          reads += 1;
          return value(flavor, reads === 1 ? OUR_ITEM.pk : THEIR_ITEM.pk);
        },
        sk: value(flavor, 'A'),
      };
      const Command = flavor === 'low' ? GetItemCommand : doc.GetCommand;
      const { output, error } = await settle(client(flavor).send(new Command({ TableName: table, Key: sneaky } as never)));
      expect(error).toBeUndefined();
      expect(reads).toBe(1);
      expect(JSON.stringify(output?.['Item'])).toContain('acme order');
      expect(JSON.stringify(output)).not.toContain('globex');
    });

    it("a Proxy on ExpressionAttributeValues answers once: a Query cannot show the guard our partition and read another tenant's", async () => {
      let reads = 0;
      const values = new Proxy({} as Record<string, unknown>, {
        ownKeys: () => [':pk'],
        getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true, writable: true, value: value(flavor, OUR_ITEM.pk) }),
        has: () => true,
        get: (_target, name) => {
          if (name !== ':pk') return undefined;
          reads += 1;
          return value(flavor, reads === 1 ? OUR_ITEM.pk : THEIR_ITEM.pk);
        },
      });
      const Command = flavor === 'low' ? QueryCommand : doc.QueryCommand;
      const { output } = await settle(client(flavor).send(new Command({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: values } as never)));
      expect(JSON.stringify(output ?? {})).not.toContain('globex');
      expect(reads).toBe(1);
    });

    it('a getter on TableName cannot show the guard our table and send another', async () => {
      let reads = 0;
      const input = {
        get TableName(): string {
          reads += 1;
          return reads === 1 ? table : otherTable;
        },
        Key: key(flavor, OUR_ITEM.pk),
      };
      const Command = flavor === 'low' ? GetItemCommand : doc.GetCommand;
      const { output, error } = await settle(client(flavor).send(new Command(input as never)));
      // Endpoint resolution reads TableName too (before serializing); whichever answer the copy got is what was judged and sent.
      expect(reads).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(output ?? {})).not.toContain('not in this scope');
      if (error !== undefined) expect(error).toMatchObject({ name: 'IsolationViolationError', rule: 'table-scope', found: `TableName = "${otherTable}"` });
      else expect(JSON.stringify(output?.['Item'])).toContain('acme order');
    });
  });

  describe('legitimate values that are not plain objects keep working', () => {
    it('Document client: binary (Buffer, Uint8Array), string and number sets, NumberValue, nested maps and lists', async () => {
      const item = {
        pk: `${OURS}VALUES#1`,
        sk: 'A',
        buffer: Buffer.from([0, 1, 2, 255]),
        bytes: new Uint8Array([9, 8, 7]),
        tags: new Set(['a', 'b']),
        scores: new Set([1, 2.5]),
        big: doc.NumberValue.from('12345678901234567890'),
        nested: { list: [1, 'two', { three: true }], empty: {} },
      };
      await dev.dynamo().send(new doc.PutCommand({ TableName: table, Item: item }));
      const { Item } = await dev.dynamo().send(new doc.GetCommand({ TableName: table, Key: { pk: item.pk, sk: 'A' } }));
      expect(Item?.['buffer']).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(Item?.['bytes']).toEqual(new Uint8Array([9, 8, 7]));
      expect(Item?.['tags']).toEqual(new Set(['a', 'b']));
      expect(Item?.['scores']).toEqual(new Set([1, 2.5]));
      expect(Item?.['nested']).toEqual({ list: [1, 'two', { three: true }], empty: {} });
      const precise = await dev.dynamo().send(new doc.GetCommand({ TableName: table, Key: { pk: item.pk, sk: 'A' }, ProjectionExpression: 'big' }));
      expect(String(precise.Item?.['big'])).toBe('12345678901234567890');
    });

    it('low-level client: B, BS, NS, L and M values', async () => {
      const pk = `${OURS}VALUES#2`;
      const Item = {
        pk: { S: pk },
        sk: { S: 'A' },
        blob: { B: Buffer.from('hello') },
        blobs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
        numbers: { NS: ['1', '2'] },
        list: { L: [{ S: 'x' }, { N: '3' }] },
        map: { M: { flag: { BOOL: true }, none: { NULL: true } } },
      } satisfies Record<string, AttributeValue>;
      const low = dev.client(DynamoDBClient);
      await low.send(new PutItemCommand({ TableName: table, Item }));
      const read = (await low.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: 'A' } } }))).Item;
      expect(Buffer.from(read?.['blob']?.B ?? []).toString()).toBe('hello');
      expect(read?.['blobs']?.BS?.map((bytes) => [...bytes])).toEqual([[1], [2]]);
      expect(new Set(read?.['numbers']?.NS)).toEqual(new Set(['1', '2']));
      expect(read?.['list']).toEqual({ L: [{ S: 'x' }, { N: '3' }] });
      expect(read?.['map']).toEqual({ M: { flag: { BOOL: true }, none: { NULL: true } } });
    });
  });
});

describe('the snapshot the guard judges and the serializer writes', () => {
  it('holds own data members, each read once, and inherits nothing itself', () => {
    let reads = 0;
    const input = {
      TableName: 't',
      get Key(): object {
        reads += 1;
        return { pk: { S: 'a' } };
      },
    };
    const copy = snapshot(input) as Record<string, unknown>;
    expect(reads).toBe(1);
    expect(Object.getOwnPropertyDescriptor(copy, 'Key')).toMatchObject({ value: { pk: { S: 'a' } }, writable: true });
    expect('toString' in copy).toBe(false);
    expect('hasOwnProperty' in (copy['Key'] as object)).toBe(false);
    // An own member named __proto__ (JSON.parse makes those) stays a member.
    const withProto = snapshot(JSON.parse('{"__proto__": {"S": "x"}, "pk": 1}')) as Record<string, unknown>;
    expect(Object.keys(withProto)).toEqual(['__proto__', 'pk']);
    expect(withProto['S']).toBeUndefined();
  });

  it('copies binary data, so later writes to the caller’s buffer change nothing', () => {
    const bytes = Buffer.from([1, 2, 3]);
    const copy = snapshot({ B: bytes }) as { B: Uint8Array };
    bytes[0] = 9;
    expect([...copy.B]).toEqual([1, 2, 3]);
  });

  it.each([
    ['a function', { Key: { pk: () => 'x' } }, '.Key.pk', 'a function'],
    ['a class instance', { Item: { when: new (class Moment {})() } }, '.Item.when', 'an instance of Moment'],
    ['a planted prototype', { Key: Object.assign({}, JSON.parse('{"__proto__": {"pk": {"S": "x"}}}') as object) }, '.Key', 'an object inheriting members from another object (pk)'],
    ['a cycle', (() => { const looped: Record<string, unknown> = {}; looped['self'] = looped; return { Item: looped }; })(), expect.stringMatching(/^\.Item(\.self)+$/) as unknown as string, 'nested more than 64 levels deep (a cycle?)'],
  ])('refuses %s, saying where', (_what, input, place, found) => {
    let thrown: unknown;
    try {
      snapshot(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SnapshotError);
    expect(thrown).toMatchObject({ place, found });
  });
});

