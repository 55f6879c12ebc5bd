/**
 * The DynamoDB rules of the isolation guard: what each operation may touch in a tenant or capsule
 * scope. Pure and synchronous: given an operation name (`GetItem`, as in `X-Amz-Target`), an input
 * and the compiled policy, the first failure or `undefined`. Values may be typed (`{ S: "…" }`,
 * the low-level client and the wire) or plain (the Document client as written); nothing else is a
 * key. Only own properties count.
 *
 * | operation                 | checked                                                                      |
 * | ------------------------- | ---------------------------------------------------------------------------- |
 * | GetItem, DeleteItem       | `TableName`; `Key`'s partition key                                           |
 * | PutItem                   | `TableName`; `Item`'s partition key and every index partition key it writes |
 * | UpdateItem                | `TableName`; `Key`; every index partition key the `UpdateExpression` writes (only `SET key = :placeholder`; if_not_exists, list_append, arithmetic, copies, nested paths, ADD and DELETE on it are refused) or legacy `AttributeUpdates` writes (PUT) |
 * | Query                     | `TableName`; `IndexName` is an index of the table; the partition-key equality of `KeyConditionExpression` (or legacy `KeyConditions`) on the table's or the index's partition key; `ExclusiveStartKey` |
 * | BatchGetItem              | per table in `RequestItems`: the table; each of `Keys`                      |
 * | BatchWriteItem            | per table in `RequestItems`: the table; each `PutRequest.Item` (as PutItem), `DeleteRequest.Key` |
 * | TransactWriteItems        | each of `TransactItems`: `Put` (as PutItem), `Update` (as UpdateItem), `Delete` and `ConditionCheck` (table and `Key`) |
 * | TransactGetItems          | each of `TransactItems`: `Get` (table and `Key`)                             |
 * | DescribeEndpoints         | nothing: it names no table and reads no data (the SDK sends it for endpoint discovery) |
 *
 * Refused as `unbounded-operation`: Scan (reads every partition), the PartiQL operations (statements
 * are not inspected), DescribeTable (item counts and sizes of the whole table, every tenant's), and
 * every other operation — table management, ListTables, backups, imports/exports, streams,
 * resource policies, tags, bulk operations, and any operation a later SDK adds.
 *
 * Index partition keys come per table from the policy's key schemas (declared, or learned with
 * DescribeTable). A table's keys not known yet yield a `PendingKeys` failure: the caller loads them
 * and asks again.
 */
import { parseKeyCondition, parseUpdateExpression, type KeyEquality, type UpdateAction } from './guard-expressions.js';
import { access, describeMissing, describeValue, Failure, notAnObject, own, quote } from './guard-format.js';
import type { CompiledPolicy } from './guard-policy.js';
import type { TableKeys } from './table-keys.js';

/** The keys of `table` must be loaded before the command can be judged. */
export class PendingKeys extends Failure {
  constructor(readonly table: string) {
    super('unverifiable-request', `TableName = ${quote(table)}, whose key schema is not loaded`, 'a table whose key schema the guard can read');
  }
}

type Input = Readonly<Record<string, unknown>>;
type Handler = (c: CompiledPolicy, input: Input) => Failure | undefined;

const PARTIQL_OPERATIONS = ['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'] as const;

/** One DynamoDB operation's input (`operation` as in `X-Amz-Target`, e.g. `GetItem`): the first failure, or `undefined`. */
export function inspectDynamoDB(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  const handler = HANDLERS.get(operation);
  if (handler === undefined) return notGuardedOperation(label ?? `${operation}Command`);
  if (typeof input !== 'object' || input === null) return new Failure('unverifiable-request', `the command input ${describeMissing(input)}`, 'an input object');
  return handler(c, input as Input);
}

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['GetItem', checkKeyed],
  ['DeleteItem', checkKeyed],
  ['PutItem', checkPut],
  ['UpdateItem', checkUpdateItem],
  ['Query', checkQuery],
  ['BatchGetItem', checkBatchGet],
  ['BatchWriteItem', checkBatchWrite],
  ['TransactWriteItems', checkTransactWrite],
  ['TransactGetItems', checkTransactGet],
  ['DescribeEndpoints', () => undefined],
  [
    'Scan',
    (c, input) =>
      new Failure('unbounded-operation', `ScanCommand on ${describeValue(own(input, 'TableName'))}, which reads every partition of the table`, `a Query on one partition beginning ${quote(c.prefix)} — no key prefix can bound a Scan`),
  ],
  [
    'DescribeTable',
    (_c, input) =>
      new Failure(
        'unbounded-operation',
        `DescribeTableCommand on ${describeValue(own(input, 'TableName'))}, which reports item counts and sizes of the whole table, every tenant's`,
        "a platform scope's client for table metadata — guarded clients read and write their own scope's items only",
      ),
  ],
  ...PARTIQL_OPERATIONS.map(
    (name): [string, Handler] => [
      name,
      () => new Failure('unbounded-operation', `${name}Command: PartiQL, which the guard does not inspect`, 'GetItem, PutItem, UpdateItem, DeleteItem, Query, or the Batch*/Transact* item commands, with explicit keys — guarded clients do not run PartiQL'),
    ],
  ),
]);

const REFUSED_LISTED: ReadonlySet<string> = new Set(['Scan', 'DescribeTable', ...PARTIQL_OPERATIONS]);

/** The operations a guarded DynamoDB client runs; everything else is refused. */
export const GUARDED_OPERATIONS: readonly string[] = [...HANDLERS.keys()].filter((name) => !REFUSED_LISTED.has(name));

function notGuardedOperation(label: string): Failure {
  return new Failure(
    'unbounded-operation',
    `${label}, which is not one of the commands a guarded client runs`,
    `one of ${GUARDED_OPERATIONS.join(', ')} — table management and metadata (DescribeTable), listing tables, backups, imports/exports and other control-plane commands belong to a platform or operator client`,
  );
}

// --- tables ----------------------------------------------------------------------------------

/** The keys of a table the scope may use, or why not. */
function tableKeys(c: CompiledPolicy, place: string, table: unknown): TableKeys | Failure {
  if (typeof table !== 'string' || !c.tables.has(table)) return tableFailure(c, place, table);
  const keys = c.schemas.peek(table);
  if (keys === undefined) return new PendingKeys(table);
  if (keys.conflict !== undefined) return new Failure('unverifiable-request', keys.conflict.found, keys.conflict.expected);
  return keys;
}

function tableFailure(c: CompiledPolicy, place: string, table: unknown): Failure {
  if (typeof table !== 'string') return new Failure('unverifiable-request', `${place} ${describeMissing(table)}`, `a table name, one of ${tableList(c)}`);
  return new Failure('table-scope', `${place} = ${quote(table)}`, `one of the scope's tables: ${tableList(c)} — use the physical table name the scope was configured with (other tables and table ARNs are refused)`);
}

function tableList(c: CompiledPolicy): string {
  const names = [...c.tables];
  if (names.length === 0) return '(none: this scope has no tables)';
  const shown = names.slice(0, 5).map(quote).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

// --- keys and items --------------------------------------------------------------------------

/** The text of a key value: a plain string (Document client) or exactly `{ S: string }` (low-level, wire). */
function keyString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, 'S')) return undefined;
  const text = (value as { readonly S?: unknown }).S;
  if (typeof text !== 'string') return undefined;
  let members = 0;
  for (const member in value) {
    if (member !== 'S') return undefined;
    members += 1;
  }
  return members === 1 ? text : undefined;
}

type ScopeRule = 'partition-key-scope' | 'index-partition-scope';

/**
 * Checks one partition-key value found at `base` + `.name` (+ `suffix`), e.g. `Key` `.pk`. `label`
 * names the key in messages (`the partition key (pk)`). Strings are built only on failure.
 */
function checkValue(c: CompiledPolicy, rule: ScopeRule, value: unknown, base: string, name: string, label: string, suffix = ''): Failure | undefined {
  const text = keyString(value);
  if (text !== undefined && text.startsWith(c.prefix)) return undefined;
  const place = base + access(name) + suffix;
  if (text === undefined) {
    return new Failure(
      'unverifiable-request',
      `${place} ${describeMissing(value)}`,
      `${label} as a string — { S: "…" } with DynamoDBClient, a plain string with DynamoDBDocumentClient — beginning ${quote(c.prefix)}`,
    );
  }
  return new Failure(rule, `${place} = ${quote(text)}`, `${label} beginning ${quote(c.prefix)} — build keys with keysOf() or keyPrefixOf(scope)`);
}

function checkKey(c: CompiledPolicy, k: TableKeys, key: unknown, place: string): Failure | undefined {
  if (typeof key !== 'object' || key === null) return notAnObject(place, key, `a key object with ${k.tableKeyLabel}`);
  return checkValue(c, 'partition-key-scope', own(key, k.partitionKey), place, k.partitionKey, k.tableKeyLabel);
}

function checkItem(c: CompiledPolicy, k: TableKeys, item: unknown, place: string): Failure | undefined {
  if (typeof item !== 'object' || item === null) return notAnObject(place, item, `an item with ${k.tableKeyLabel}`);
  const failure = checkValue(c, 'partition-key-scope', own(item, k.partitionKey), place, k.partitionKey, k.tableKeyLabel);
  if (failure !== undefined || k.indexAttributes.size === 0) return failure;
  for (const [attribute, label] of k.indexAttributes) {
    const value = own(item, attribute);
    if (value === undefined) continue; // not in the index (the Document client drops or refuses undefined)
    const indexFailure = checkValue(c, 'index-partition-scope', value, place, attribute, label);
    if (indexFailure !== undefined) return indexFailure;
  }
  return undefined;
}

function checkKeyed(c: CompiledPolicy, input: Input): Failure | undefined {
  const k = tableKeys(c, 'TableName', own(input, 'TableName'));
  return k instanceof Failure ? k : checkKey(c, k, own(input, 'Key'), 'Key');
}

function checkPut(c: CompiledPolicy, input: Input): Failure | undefined {
  const k = tableKeys(c, 'TableName', own(input, 'TableName'));
  return k instanceof Failure ? k : checkItem(c, k, own(input, 'Item'), 'Item');
}

function checkUpdateItem(c: CompiledPolicy, input: Input): Failure | undefined {
  const k = tableKeys(c, 'TableName', own(input, 'TableName'));
  if (k instanceof Failure) return k;
  return checkKey(c, k, own(input, 'Key'), 'Key') ?? checkUpdate(c, k, input) ?? checkAttributeUpdates(c, k, own(input, 'AttributeUpdates'));
}

// --- updates ---------------------------------------------------------------------------------

function checkUpdate(c: CompiledPolicy, k: TableKeys, input: Input): Failure | undefined {
  const expression = own(input, 'UpdateExpression');
  if (expression === undefined || k.indexAttributes.size === 0) return undefined;
  if (typeof expression !== 'string') return new Failure('unverifiable-request', `UpdateExpression ${describeMissing(expression)}`, 'an UpdateExpression string');
  const parsed = parseUpdateExpression(expression);
  if (!parsed.ok) return unreadableExpression('UpdateExpression', expression, parsed.error, 'an UpdateExpression DynamoDB accepts: SET, REMOVE, ADD and DELETE clauses');
  const names = own(input, 'ExpressionAttributeNames');
  for (const action of parsed.value) {
    const attribute = resolveName(action.name, names);
    if (attribute === undefined) return missingName('UpdateExpression', expression, action.name);
    if (action.clause === 'REMOVE') continue; // removing an index key takes the item out of the index
    const label = k.indexAttributes.get(attribute);
    if (label === undefined) continue;
    const failure = checkIndexAssignment(c, input, expression, action, attribute, label);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

function checkIndexAssignment(c: CompiledPolicy, input: Input, expression: string, action: UpdateAction, attribute: string, label: string): Failure | undefined {
  const context = (): string => `(${action.clause} ${action.name}${action.name === attribute ? '' : ` = ${attribute}`} in UpdateExpression ${quote(expression)})`;
  if (action.clause !== 'SET' || action.nested || action.value === undefined) {
    return new Failure(
      'unverifiable-request',
      `a ${action.clause} of ${label} the guard cannot read ${context()}`,
      `SET ${attribute} = :placeholder with a string value beginning ${quote(c.prefix)} — no if_not_exists, list_append, arithmetic, copies of other attributes, nested paths, ADD or DELETE on index keys`,
    );
  }
  const values = own(input, 'ExpressionAttributeValues');
  const value = typeof values === 'object' && values !== null ? own(values, action.value) : undefined;
  return checkValue(c, 'index-partition-scope', value, 'ExpressionAttributeValues', action.value, label)?.append(` ${context()}`);
}

/** Legacy `AttributeUpdates: { attr: { Action: 'PUT' | 'ADD' | 'DELETE', Value } }`. */
function checkAttributeUpdates(c: CompiledPolicy, k: TableKeys, updates: unknown): Failure | undefined {
  if (updates === undefined || k.indexAttributes.size === 0) return undefined;
  if (typeof updates !== 'object' || updates === null) return notAnObject('AttributeUpdates', updates, 'an AttributeUpdates object');
  for (const [attribute, label] of k.indexAttributes) {
    const update = own(updates, attribute);
    if (update === undefined) continue;
    if (typeof update !== 'object' || update === null) return notAnObject(`AttributeUpdates${access(attribute)}`, update, 'an attribute update { Action, Value }');
    const action = own(update, 'Action') ?? 'PUT';
    const value = own(update, 'Value');
    if (action === 'DELETE' && value === undefined) continue; // removes the attribute: the item leaves the index
    if (action !== 'PUT') {
      return new Failure(
        'unverifiable-request',
        `AttributeUpdates${access(attribute)}.Action = ${describeValue(action)} on ${label}`,
        `Action "PUT" with a string Value beginning ${quote(c.prefix)}, or "DELETE" without a Value`,
      );
    }
    const failure = checkValue(c, 'index-partition-scope', value, 'AttributeUpdates', attribute, label, '.Value');
    if (failure !== undefined) return failure;
  }
  return undefined;
}

// --- queries ---------------------------------------------------------------------------------

function checkQuery(c: CompiledPolicy, input: Input): Failure | undefined {
  const k = tableKeys(c, 'TableName', own(input, 'TableName'));
  if (k instanceof Failure) return k;
  const index = own(input, 'IndexName');
  let attribute = k.partitionKey;
  let label = k.tableKeyLabel;
  if (index !== undefined) {
    const indexAttribute = typeof index === 'string' ? k.indexes.get(index) : undefined;
    if (indexAttribute === null) {
      return new Failure('unverifiable-request', `IndexName = ${quote(index as string)}, ${k.indexLabels.get(index as string) ?? ''}`, 'an index with a single partition-key attribute — the guard checks one partition-key equality per query');
    }
    if (indexAttribute === undefined) {
      const names = [...k.indexes.keys()];
      const where = k.source === 'declared' ? "named in the scope's key attributes" : 'of the table (DescribeTable)';
      return new Failure(
        typeof index === 'string' ? 'unknown-index' : 'unverifiable-request',
        `IndexName ${describeMissing(index)}`,
        `an index ${where} (${names.length === 0 ? 'none are' : names.map(quote).join(', ')})${k.source === 'declared' ? ' — add the index and its partition-key attribute to KeyAttributes.indexes' : ''}`,
      );
    }
    attribute = indexAttribute;
    label = k.indexLabels.get(index as string) as string;
  }

  const expression = own(input, 'KeyConditionExpression');
  const conditions = own(input, 'KeyConditions');
  let failure: Failure | undefined;
  if (expression !== undefined && conditions !== undefined) {
    failure = new Failure('unverifiable-request', 'both KeyConditionExpression and KeyConditions', 'one of them (DynamoDB accepts only one)');
  } else if (expression !== undefined) {
    failure = checkKeyConditionExpression(c, input, expression, attribute, label);
  } else if (conditions !== undefined) {
    failure = checkKeyConditions(c, conditions, attribute, label);
  } else {
    failure = new Failure('unverifiable-request', 'a Query without KeyConditionExpression or KeyConditions', keyConditionWanted(attribute, label));
  }
  if (failure !== undefined) return failure;

  // A page's start key holds the table's key, and for an index query the index's key too.
  const start = own(input, 'ExclusiveStartKey');
  if (start === undefined) return undefined;
  if (typeof start !== 'object' || start === null) return notAnObject('ExclusiveStartKey', start, 'the LastEvaluatedKey of a previous page');
  const startFailure = checkValue(c, 'partition-key-scope', own(start, k.partitionKey), 'ExclusiveStartKey', k.partitionKey, k.tableKeyLabel);
  if (startFailure !== undefined || attribute === k.partitionKey) return startFailure;
  return checkValue(c, 'partition-key-scope', own(start, attribute), 'ExclusiveStartKey', attribute, label);
}

function keyConditionWanted(attribute: string, label: string): string {
  return `a KeyConditionExpression with exactly one equality "${attribute} = :placeholder" (or "#name = :placeholder") on ${label}, such as "#pk = :pk AND begins_with(#sk, :sk)"`;
}

function checkKeyConditionExpression(c: CompiledPolicy, input: Input, expression: unknown, attribute: string, label: string): Failure | undefined {
  if (typeof expression !== 'string') return new Failure('unverifiable-request', `KeyConditionExpression ${describeMissing(expression)}`, keyConditionWanted(attribute, label));
  const parsed = parseKeyCondition(expression);
  if (!parsed.ok) return unreadableExpression('KeyConditionExpression', expression, parsed.error, keyConditionWanted(attribute, label));
  const names = own(input, 'ExpressionAttributeNames');
  let equality: KeyEquality | undefined;
  for (const candidate of parsed.value.equalities) {
    const resolved = resolveName(candidate.name, names);
    if (resolved === undefined) return missingName('KeyConditionExpression', expression, candidate.name);
    if (resolved !== attribute) continue;
    if (equality !== undefined) {
      return new Failure('unverifiable-request', `KeyConditionExpression ${quote(expression)}, which has more than one equality on ${attribute}`, keyConditionWanted(attribute, label));
    }
    equality = candidate;
  }
  for (const reference of parsed.value.references) {
    const resolved = resolveName(reference, names);
    if (resolved === undefined) return missingName('KeyConditionExpression', expression, reference);
    if (resolved === attribute) {
      return new Failure(
        'unverifiable-request',
        `KeyConditionExpression ${quote(expression)}, which uses ${attribute}${reference === attribute ? '' : ` (as ${reference})`} outside a "= :placeholder" equality`,
        keyConditionWanted(attribute, label),
      );
    }
  }
  if (equality === undefined) return new Failure('unverifiable-request', `KeyConditionExpression ${quote(expression)}, which has no equality on ${attribute}`, keyConditionWanted(attribute, label));
  const values = own(input, 'ExpressionAttributeValues');
  const value = typeof values === 'object' && values !== null ? own(values, equality.value) : undefined;
  const found = equality;
  return checkValue(c, 'partition-key-scope', value, 'ExpressionAttributeValues', found.value, label)?.append(` (the equality ${found.name} = ${found.value} of KeyConditionExpression ${quote(expression)})`);
}

/** Legacy `KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [value] } }`. */
function checkKeyConditions(c: CompiledPolicy, conditions: unknown, attribute: string, label: string): Failure | undefined {
  const wanted = (): string => `KeyConditions${access(attribute)} = { ComparisonOperator: "EQ", AttributeValueList: [one value] } on ${label}`;
  if (typeof conditions !== 'object' || conditions === null) return notAnObject('KeyConditions', conditions, wanted());
  const condition = own(conditions, attribute);
  if (typeof condition !== 'object' || condition === null) return notAnObject(`KeyConditions${access(attribute)}`, condition, wanted());
  const operator = own(condition, 'ComparisonOperator');
  const list = own(condition, 'AttributeValueList');
  if (operator !== 'EQ' || !Array.isArray(list) || list.length !== 1) {
    const shape = `ComparisonOperator = ${describeValue(operator)}, AttributeValueList ${Array.isArray(list) ? `of ${list.length} values` : describeMissing(list)}`;
    return new Failure('unverifiable-request', `KeyConditions${access(attribute)} with ${shape}`, wanted());
  }
  return checkValue(c, 'partition-key-scope', list[0], 'KeyConditions', attribute, label, '.AttributeValueList[0]');
}

// --- batches and transactions ----------------------------------------------------------------

function checkBatchGet(c: CompiledPolicy, input: Input): Failure | undefined {
  const items = own(input, 'RequestItems');
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return notAnObject('RequestItems', items, 'RequestItems: an object of table name → requests');
  for (const table of Object.keys(items)) {
    const k = tableKeys(c, `RequestItems[${quote(table)}]`, table);
    if (k instanceof Failure) return k;
    const request = (items as Record<string, unknown>)[table];
    const keys = typeof request === 'object' && request !== null ? own(request, 'Keys') : undefined;
    if (!Array.isArray(keys)) return notAnObject(`RequestItems[${quote(table)}].Keys`, keys, 'an array of keys');
    for (let i = 0; i < keys.length; i += 1) {
      const failure = checkKey(c, k, keys[i], '');
      if (failure !== undefined) return failure.within(`RequestItems[${quote(table)}].Keys[${i}]`);
    }
  }
  return undefined;
}

function checkBatchWrite(c: CompiledPolicy, input: Input): Failure | undefined {
  const items = own(input, 'RequestItems');
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return notAnObject('RequestItems', items, 'RequestItems: an object of table name → requests');
  for (const table of Object.keys(items)) {
    const k = tableKeys(c, `RequestItems[${quote(table)}]`, table);
    if (k instanceof Failure) return k;
    const requests = (items as Record<string, unknown>)[table];
    if (!Array.isArray(requests)) return notAnObject(`RequestItems[${quote(table)}]`, requests, 'an array of { PutRequest } or { DeleteRequest }');
    for (let i = 0; i < requests.length; i += 1) {
      const failure = checkMembers(requests[i], BATCH_WRITE_MEMBERS, (member, body) => (member === 'PutRequest' ? checkItem(c, k, own(body, 'Item'), 'Item') : checkKey(c, k, own(body, 'Key'), 'Key')));
      if (failure !== undefined) return failure.within(`RequestItems[${quote(table)}][${i}]`);
    }
  }
  return undefined;
}

function checkTransactWrite(c: CompiledPolicy, input: Input): Failure | undefined {
  return checkTransactItems(input, TRANSACT_WRITE_MEMBERS, (member, body) => {
    const k = tableKeys(c, 'TableName', own(body, 'TableName'));
    if (k instanceof Failure) return k;
    if (member === 'Put') return checkItem(c, k, own(body, 'Item'), 'Item');
    return checkKey(c, k, own(body, 'Key'), 'Key') ?? (member === 'Update' ? (checkUpdate(c, k, body) ?? checkAttributeUpdates(c, k, own(body, 'AttributeUpdates'))) : undefined);
  });
}

function checkTransactGet(c: CompiledPolicy, input: Input): Failure | undefined {
  return checkTransactItems(input, TRANSACT_GET_MEMBERS, (_member, body) => {
    const k = tableKeys(c, 'TableName', own(body, 'TableName'));
    return k instanceof Failure ? k : checkKey(c, k, own(body, 'Key'), 'Key');
  });
}

type MemberCheck = (member: string, body: Input) => Failure | undefined;

function checkTransactItems(input: Input, members: ReadonlySet<string>, check: MemberCheck): Failure | undefined {
  const items = own(input, 'TransactItems');
  if (!Array.isArray(items)) return notAnObject('TransactItems', items, 'an array of transaction items');
  for (let i = 0; i < items.length; i += 1) {
    const failure = checkMembers(items[i], members, check);
    if (failure !== undefined) return failure.within(`TransactItems[${i}]`);
  }
  return undefined;
}

const BATCH_WRITE_MEMBERS: ReadonlySet<string> = new Set(['PutRequest', 'DeleteRequest']);
const TRANSACT_WRITE_MEMBERS: ReadonlySet<string> = new Set(['Put', 'Update', 'Delete', 'ConditionCheck']);
const TRANSACT_GET_MEMBERS: ReadonlySet<string> = new Set(['Get']);

/**
 * A union element (`{ Put: {…} }`): each member must be a known one holding an object, and each
 * is checked (DynamoDB accepts exactly one; the guard checks whatever is there). Failures come back
 * relative to the element (`.Put.Item.pk = …`).
 */
function checkMembers(element: unknown, members: ReadonlySet<string>, check: MemberCheck): Failure | undefined {
  const expected = (): string => `an object with one of ${[...members].join(', ')}`;
  if (typeof element !== 'object' || element === null) return notAnObject('', element, expected());
  let count = 0;
  for (const member of Object.keys(element)) {
    count += 1;
    if (!members.has(member)) return new Failure('unverifiable-request', `${access(member)}, which is not a request the guard knows`, expected());
    const body = (element as Record<string, unknown>)[member];
    if (typeof body !== 'object' || body === null) return notAnObject(access(member), body, expected());
    const failure = check(member, body as Input);
    if (failure !== undefined) return failure.within(`${access(member)}.`);
  }
  return count === 0 ? new Failure('unverifiable-request', ' = {} (an empty object)', expected()) : undefined;
}

// --- expressions -----------------------------------------------------------------------------

/** `#name` through ExpressionAttributeNames (own string entries only); a direct name as itself. */
function resolveName(written: string, names: unknown): string | undefined {
  if (written.charCodeAt(0) !== 35 /* # */) return written;
  if (typeof names !== 'object' || names === null) return undefined;
  const resolved = own(names, written);
  return typeof resolved === 'string' ? resolved : undefined;
}

function missingName(property: string, expression: string, name: string): Failure {
  return new Failure(
    'unverifiable-request',
    `${property} ${quote(expression)}, which uses ${name} that ExpressionAttributeNames does not map to an attribute name`,
    `ExpressionAttributeNames${access(name)} = "<attribute name>" for every #name the expression uses`,
  );
}

function unreadableExpression(property: string, expression: string, error: string, expected: string): Failure {
  return new Failure('unverifiable-request', `${property} ${quote(expression)}, which the guard cannot parse: ${error}`, expected);
}
