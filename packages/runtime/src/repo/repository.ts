/**
 * A repository of one entity in one scope: items in the entity's terms, keys built from its
 * templates (the compiled key builders when the build installed them), the scope's ids filled in
 * and any other refused, every request sent through the scope's guarded Document client, so the
 * guard still judges each one as sent.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describeValue, quote } from '../aws/guard-format.js';
import { keysOf, partitionKeyOf } from '../keys.js';
import { batchGet, batchWrite, type WriteRequest } from './batch.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { EntityShape } from './entity-shape.js';
import { memberInput, plainInput, type PlainInput } from './input.js';
import type { Refuse } from './refusal.js';
import type { RepositoryScope, RepositorySettings } from './scope-binding.js';
import { fillScope } from './scope-fields.js';
import { sortKeyClause } from './sort-key.js';
import { TransactionRead, TransactionWrite } from './transaction.js';
import type { Changes, EntityClass, EntityItem, KeyOf, NewItemOf, Page, PartitionOf, QueryOptions } from './types.js';

export interface PutOptions {
  /** Write only if no item has this key yet (DynamoDB's ConditionalCheckFailedException otherwise). */
  readonly ifNotExists?: boolean | undefined;
}

export interface ReadOptions {
  readonly consistentRead?: boolean | undefined;
}

export interface BatchWrites<Entity extends EntityClass> {
  readonly put?: readonly NewItemOf<Entity>[] | undefined;
  readonly delete?: readonly KeyOf<Entity>[] | undefined;
}

/** Requests for `transactWrite`/`transactGet`, bound to this repository's scope. */
export interface TransactionRequests<Entity extends EntityClass> {
  put(item: NewItemOf<Entity>, options?: PutOptions): TransactionWrite;
  delete(key: KeyOf<Entity>): TransactionWrite;
  /** Cancels the transaction when the item does not exist. */
  update(key: KeyOf<Entity>, changes: Changes<Entity>): TransactionWrite;
  /** Cancels the transaction when the item does not exist. */
  check(key: KeyOf<Entity>): TransactionWrite;
  get(key: KeyOf<Entity>): TransactionRead<EntityItem<Entity>>;
}

export interface Repository<Entity extends EntityClass> {
  readonly entity: Entity;
  /** The physical table in this scope. */
  readonly table: string;
  get(key: KeyOf<Entity>, options?: ReadOptions): Promise<EntityItem<Entity> | undefined>;
  /** Writes the item with the scope's ids filled in, and returns it so. */
  put(item: NewItemOf<Entity>, options?: PutOptions): Promise<EntityItem<Entity>>;
  /** Returns the deleted item, or `undefined` when there was none. */
  delete(key: KeyOf<Entity>): Promise<EntityItem<Entity> | undefined>;
  /** Sets and removes fields of an existing item and returns it updated; `undefined` (and nothing written) when there is none. */
  update(key: KeyOf<Entity>, changes: Changes<Entity>): Promise<EntityItem<Entity> | undefined>;
  /** One page of the entity's items in a partition, in sort-key order. */
  query(partition: PartitionOf<Entity>, options?: QueryOptions<Entity>): Promise<Page<EntityItem<Entity>>>;
  /** The items of `keys`, in their order (`undefined` where there is none). */
  batchGet(keys: readonly KeyOf<Entity>[], options?: ReadOptions): Promise<(EntityItem<Entity> | undefined)[]>;
  batchWrite(writes: BatchWrites<Entity>): Promise<void>;
  readonly transaction: TransactionRequests<Entity>;
}

type Key = Record<string, string>;
type StoredItem = Record<string, unknown>;

/** The untyped implementation behind every `Repository<Entity>`: inputs are checked here, whatever their static type. */
export class ScopedRepository {
  readonly table: string;
  readonly transaction: TransactionRequests<EntityClass>;
  readonly #shape: EntityShape;
  readonly #scope: RepositoryScope;
  readonly #pk: string;
  readonly #sk: string;
  readonly #refuse: Refuse;

  constructor(shape: EntityShape, scope: RepositoryScope, settings: RepositorySettings, refuse: Refuse) {
    this.#shape = shape;
    this.#scope = scope;
    this.#pk = settings.keys.partitionKey;
    this.#sk = settings.keys.sortKey;
    this.#refuse = refuse;
    this.table = scope.table(shape.table);
    const binding = { scope, refuse };
    this.transaction = {
      put: (item, options) => new TransactionWrite(binding, { Put: this.#putRequest(item, options ?? {}, this.#label('transaction.put')).request }),
      delete: (key) => new TransactionWrite(binding, { Delete: { TableName: this.table, Key: this.#key(key, this.#label('transaction.delete')) } }),
      update: (key, changes) => new TransactionWrite(binding, { Update: this.#updateRequest(key, changes, this.#label('transaction.update')) }),
      check: (key) => new TransactionWrite(binding, { ConditionCheck: { TableName: this.table, Key: this.#key(key, this.#label('transaction.check')), ...this.#exists('attribute_exists') } }),
      get: (key) => new TransactionRead(binding, { Get: { TableName: this.table, Key: this.#key(key, this.#label('transaction.get')) } }, (stored) => this.#item(stored)),
    };
  }

  get entity(): EntityClass {
    return this.#shape.entity;
  }

  async get(key: unknown, options: ReadOptions = {}): Promise<PlainInput | undefined> {
    const Key = this.#key(key, this.#label('get'));
    const { Item } = await this.#scope.dynamo().send(new GetCommand({ TableName: this.table, Key, ...consistent(options, this.#label('get')) }));
    return Item === undefined ? undefined : this.#item(Item);
  }

  async put(item: unknown, options: PutOptions = {}): Promise<PlainInput> {
    const { filled, request } = this.#putRequest(item, options, this.#label('put'));
    await this.#scope.dynamo().send(new PutCommand(request));
    return filled;
  }

  async delete(key: unknown): Promise<PlainInput | undefined> {
    const Key = this.#key(key, this.#label('delete'));
    const { Attributes } = await this.#scope.dynamo().send(new DeleteCommand({ TableName: this.table, Key, ReturnValues: 'ALL_OLD' }));
    return Attributes === undefined ? undefined : this.#item(Attributes);
  }

  async update(key: unknown, changes: unknown): Promise<PlainInput | undefined> {
    const request = this.#updateRequest(key, changes, this.#label('update'));
    try {
      const { Attributes } = await this.#scope.dynamo().send(new UpdateCommand({ ...request, ReturnValues: 'ALL_NEW' }));
      return Attributes === undefined ? undefined : this.#item(Attributes);
    } catch (error) {
      if ((error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async query(partition: unknown, options: QueryOptions<EntityClass> = {}): Promise<Page<PlainInput>> {
    const operation = this.#label('query');
    const settings = plainInput(this.#shape, options, `${operation}: the options`, 'an object { where?, limit?, cursor?, order?, consistentRead? }');
    const values = fillScope(this.#shape, this.#scope.description, plainInput(this.#shape, partition, `${operation}: the partition`), operation, 'partition', this.#refuse);
    const pk = partitionKeyOf(this.#shape.entity, values);
    const clause = sortKeyClause(this.#shape, settings['where'], operation);
    const limit = settings['limit'];
    if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1)) throw new TypeError(`${operation}: limit = ${describeValue(limit)}; expected a whole number of at least 1`);
    const order = settings['order'];
    if (order !== undefined && order !== 'ascending' && order !== 'descending') throw new TypeError(`${operation}: order = ${describeValue(order)}; expected 'ascending' or 'descending'`);
    const cursor = settings['cursor'];
    const result = await this.#scope.dynamo().send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: clause === undefined ? '#pk = :pk' : `#pk = :pk AND ${clause.expression}`,
        ExpressionAttributeNames: { '#pk': this.#pk, ...(clause === undefined ? {} : { '#sk': this.#sk }) },
        ExpressionAttributeValues: { ':pk': pk, ...clause?.values },
        ...(limit === undefined ? {} : { Limit: limit }),
        ...(order === 'descending' ? { ScanIndexForward: false } : {}),
        ...(cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(cursor, pk, { partitionKey: this.#pk, sortKey: this.#sk, indexes: {} }, operation) }),
        ...consistent({ consistentRead: settings['consistentRead'] as boolean | undefined }, operation),
      }),
    );
    const prefix = this.#shape.sortKeyPrefix;
    const own = clause === undefined || clause.withinEntity ? (result.Items ?? []) : (result.Items ?? []).filter((stored) => String(stored[this.#sk]).startsWith(prefix));
    return { items: own.map((stored) => this.#item(stored)), cursor: encodeCursor(result.LastEvaluatedKey) };
  }

  async batchGet(keys: unknown, options: ReadOptions = {}): Promise<(PlainInput | undefined)[]> {
    const operation = this.#label('batchGet');
    if (!Array.isArray(keys)) throw new TypeError(`${operation} takes an array of keys; found ${describeValue(keys)}`);
    const built = keys.map((key: unknown, index) => this.#key(key, operation, `keys[${index}]`));
    const distinct = new Map(built.map((key) => [this.#identity(key), key]));
    const found = await batchGet(this.#scope.dynamo(), this.table, [...distinct.values()], consistent(options, operation).ConsistentRead, operation);
    const byKey = new Map(found.map((stored) => [this.#identity(stored), this.#item(stored)]));
    return built.map((key) => byKey.get(this.#identity(key)));
  }

  async batchWrite(writes: unknown): Promise<void> {
    const operation = this.#label('batchWrite');
    if (typeof writes !== 'object' || writes === null) throw new TypeError(`${operation} takes { put?: items, delete?: keys }; found ${describeValue(writes)}`);
    const { put = [], delete: remove = [] } = writes as { put?: unknown; delete?: unknown };
    if (!Array.isArray(put) || !Array.isArray(remove)) throw new TypeError(`${operation}: put and delete must be arrays; found put ${describeValue(put)}, delete ${describeValue(remove)}`);
    const requests: WriteRequest[] = [
      ...put.map((item: unknown, index): WriteRequest => ({ PutRequest: { Item: this.#putRequest(item, {}, operation, `put[${index}]`).request.Item } })),
      ...remove.map((key: unknown, index): WriteRequest => ({ DeleteRequest: { Key: this.#key(key, operation, `delete[${index}]`) } })),
    ];
    const seen = new Set<string>();
    for (const request of requests) {
      const identity = this.#identity('PutRequest' in request ? request.PutRequest.Item : request.DeleteRequest.Key);
      if (seen.has(identity)) throw new TypeError(`${operation}: two writes of the item ${identity}; DynamoDB refuses a batch that writes one item twice, so keep one`);
      seen.add(identity);
    }
    await batchWrite(this.#scope.dynamo(), this.table, requests, operation);
  }

  #label(method: string): string {
    return `repo(${this.#shape.name}).${method}`;
  }

  /** The table key of an item of this entity, from the caller's key with the scope's ids filled in. */
  #key(key: unknown, operation: string, what = 'key'): Key {
    const values = fillScope(this.#shape, this.#scope.description, plainInput(this.#shape, key, `${operation}: the ${what}`), operation, what, this.#refuse);
    return this.#tableKey(values);
  }

  #tableKey(values: PlainInput): Key {
    const { pk, sk } = keysOf(this.#shape.entity, values);
    return sk === undefined ? { [this.#pk]: pk } : { [this.#pk]: pk, [this.#sk]: sk };
  }

  #putRequest(item: unknown, options: PutOptions, operation: string, what = 'item'): { readonly filled: PlainInput; readonly request: { TableName: string; Item: StoredItem; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string> } } {
    const plain = plainInput(this.#shape, item, `${operation}: the ${what}`);
    for (const attribute of this.#keyAttributes()) {
      if (Object.hasOwn(plain, attribute)) {
        throw new TypeError(`${operation}: the ${what} has a member ${quote(attribute)}, the table's key attribute, which the repository builds from ${this.#shape.name}'s key templates; leave it out`);
      }
    }
    const filled = fillScope(this.#shape, this.#scope.description, plain, operation, what, this.#refuse);
    const request = { TableName: this.table, Item: { ...filled, ...this.#tableKey(filled) }, ...(options.ifNotExists === true ? this.#exists('attribute_not_exists') : {}) };
    return { filled, request };
  }

  #updateRequest(key: unknown, changes: unknown, operation: string): { TableName: string; Key: Key; UpdateExpression: string; ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } {
    const Key = this.#key(key, operation);
    const { set, remove } = this.#changes(changes, operation);
    const names: Record<string, string> = { '#pk': this.#pk };
    const values: Record<string, unknown> = {};
    const assignments = Object.entries(set).map(([field, value], index) => {
      names[`#s${index}`] = field;
      values[`:s${index}`] = value;
      return `#s${index} = :s${index}`;
    });
    const removals = remove.map((field, index) => {
      names[`#r${index}`] = field;
      return `#r${index}`;
    });
    const UpdateExpression = [assignments.length > 0 ? `SET ${assignments.join(', ')}` : '', removals.length > 0 ? `REMOVE ${removals.join(', ')}` : ''].filter(Boolean).join(' ');
    return {
      TableName: this.table,
      Key,
      UpdateExpression,
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: names,
      ...(assignments.length > 0 ? { ExpressionAttributeValues: values } : {}),
    };
  }

  /** The fields an update sets and removes: never one a key is built from, which would leave the item under a key its fields contradict. */
  #changes(changes: unknown, operation: string): { readonly set: PlainInput; readonly remove: readonly string[] } {
    const given = plainInput(this.#shape, changes, `${operation}: the changes`, 'an object { set?, remove? }');
    const set = given['set'] === undefined ? {} : memberInput(this.#shape, given['set'], `${operation}: changes.set`);
    const remove = given['remove'] ?? [];
    if (!Array.isArray(remove) || remove.some((field) => typeof field !== 'string')) throw new TypeError(`${operation}: changes.remove = ${describeValue(remove)}; expected an array of field names`);
    const fields = [...Object.keys(set), ...(remove as string[])];
    if (fields.length === 0) throw new TypeError(`${operation}: the changes set and remove nothing; give changes.set or changes.remove`);
    const forbidden = new Set([...this.#shape.keyFields, ...this.#keyAttributes()]);
    const keyField = fields.find((field) => forbidden.has(field));
    if (keyField !== undefined) {
      throw new TypeError(`${operation}: the changes name ${quote(keyField)}, which ${this.#shape.name}'s keys are built from; an update keeps the key, so write a new item with put (and delete the old one) to change it`);
    }
    const twice = (remove as string[]).find((field) => Object.hasOwn(set, field));
    if (twice !== undefined) throw new TypeError(`${operation}: the changes both set and remove ${quote(twice)}; keep one`);
    return { set, remove: remove as string[] };
  }

  #exists(test: 'attribute_exists' | 'attribute_not_exists'): { ConditionExpression: string; ExpressionAttributeNames: Record<string, string> } {
    return { ConditionExpression: `${test}(#pk)`, ExpressionAttributeNames: { '#pk': this.#pk } };
  }

  #keyAttributes(): string[] {
    return this.#shape.sortKey === undefined ? [this.#pk] : [this.#pk, this.#sk];
  }

  /** The stored item in the entity's terms: without the key attributes the repository added. */
  #item(stored: StoredItem): PlainInput {
    const item = { ...stored };
    for (const attribute of this.#keyAttributes()) delete item[attribute];
    return item;
  }

  #identity(item: Readonly<Record<string, unknown>>): string {
    return JSON.stringify(this.#keyAttributes().map((attribute) => item[attribute]));
  }
}

function consistent(options: ReadOptions, operation: string): { ConsistentRead?: boolean } {
  const value = options.consistentRead;
  if (value !== undefined && typeof value !== 'boolean') throw new TypeError(`${operation}: consistentRead = ${describeValue(value)}; expected true or false`);
  return value === undefined ? {} : { ConsistentRead: value };
}
