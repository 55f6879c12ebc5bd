/**
 * `inspectCommand`, the pure core of the isolation guard: value forms, prefixes, expression
 * parsing, where keys hide in each command, and what the messages say. The guard on real clients
 * against real local DynamoDB is in guard-attacks.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { EXPRESSION_CACHE_SIZE } from '../src/aws/guard-expressions.js';
import { GUARDED_COMMANDS, inspectCommand, type GuardPolicy } from '../src/aws/guard.js';
import { keyPrefixOf, type GuardedScope } from '../src/aws/scope.js';
import { IsolationViolationError, type GuardRule } from '../src/aws/violation.js';
import { capsuleId, tenantId } from '../src/ids.js';

const TABLE = 'app_data';
const scope: GuardedScope = { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: capsuleId('DEV') };
const PREFIX = keyPrefixOf(scope);
const policy: GuardPolicy = {
  scope,
  tables: new Set([TABLE]),
  keys: { partitionKey: 'pk', sortKey: 'sk', indexes: { gsi1: 'gsi1pk', gsi2: 'gsi1pk', lsi1: 'pk' } },
};

const MINE = `${PREFIX}ORDER#1`;
const OTHER_CAPSULE = 'TENANT#acme#CAPSULE#PROD#ORDER#1';
const EXTENDING_CAPSULE = 'TENANT#acme#CAPSULE#DEVX#ORDER#1';
const OTHER_TENANT = 'TENANT#globex#CAPSULE#DEV#ORDER#1';

function check(command: string, input: unknown, with_: GuardPolicy = policy): IsolationViolationError | undefined {
  return inspectCommand(command, input, with_);
}

function refused(command: string, input: unknown, rule: GuardRule, with_: GuardPolicy = policy): IsolationViolationError {
  const violation = check(command, input, with_);
  expect(violation, `${command} should be refused`).toBeInstanceOf(IsolationViolationError);
  expect(violation?.rule).toBe(rule);
  expect(violation?.command).toBe(command);
  expect(violation?.scope).toBe(with_.scope);
  return violation as IsolationViolationError;
}

const get = (pk: unknown): Record<string, unknown> => ({ TableName: TABLE, Key: { pk, sk: { S: 'A' } } });
const query = (KeyConditionExpression: string, values: Record<string, unknown>, names?: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  TableName: TABLE,
  KeyConditionExpression,
  ExpressionAttributeValues: values,
  ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
  ...extra,
});

describe('partition-key values: both forms, nothing else', () => {
  it.each([
    ['a typed { S } value (DynamoDBClient)', { S: MINE }],
    ['a plain string (DynamoDBDocumentClient)', MINE],
  ])('accepts %s inside the scope', (_form, value) => {
    expect(check('GetItemCommand', get(value))).toBeUndefined();
  });

  it.each([
    ['a typed { S } value', { S: OTHER_CAPSULE }],
    ['a plain string', OTHER_CAPSULE],
  ])('refuses %s outside the scope, naming the place and the value', (_form, value) => {
    const violation = refused('GetItemCommand', get(value), 'partition-key-scope');
    expect(violation.found).toBe(`Key.pk = "${OTHER_CAPSULE}"`);
    expect(violation.expected).toBe(`the partition key (pk) beginning "${PREFIX}" — build keys with keysOf() or keyPrefixOf(scope)`);
    expect(violation.message).toBe(`[isolation/partition-key-scope] GetItemCommand refused in capsule acme/DEV: found ${violation.found}; expected ${violation.expected}`);
  });

  it.each([
    ['missing', undefined, 'Key.pk is missing'],
    ['null', null, 'Key.pk = null'],
    ['a number', 42, 'Key.pk = 42 (a number)'],
    ['a bigint', 42n, 'Key.pk = 42n (a bigint)'],
    ['a number value { N }', { N: '42' }, 'Key.pk = { N: "42" }'],
    ['a binary value { B }', { B: new Uint8Array([1, 2]) }, 'Key.pk = { B: binary data (2 bytes) }'],
    ['binary data', new Uint8Array(3), 'Key.pk = binary data (3 bytes)'],
    ['a string set', new Set([MINE]), 'Key.pk = a Set of 1'],
    ['{ S } with a second member', { S: MINE, N: '1' }, 'Key.pk = an object with S, N'],
    ['{ S } holding a number', { S: 1 }, 'Key.pk = { S: 1 (a number) }'],
    ['an empty object', {}, 'Key.pk = {} (an empty object)'],
    ['a list', [MINE], 'Key.pk = an array of 1'],
    ['a String object', new String(MINE), 'Key.pk = an object with'],
  ])('refuses a partition key that is %s as unverifiable', (_what, value, found) => {
    const violation = refused('GetItemCommand', get(value), 'unverifiable-request');
    expect(violation.found.startsWith(found)).toBe(true);
    expect(violation.expected).toContain('{ S: "…" } with DynamoDBClient, a plain string with DynamoDBDocumentClient');
    expect(violation.expected).toContain(PREFIX);
  });

  it('reads only own properties: an inherited partition key is missing', () => {
    const key = Object.create({ pk: { S: MINE } }) as Record<string, unknown>;
    key['sk'] = { S: 'A' };
    expect(refused('GetItemCommand', { TableName: TABLE, Key: key }, 'unverifiable-request').found).toBe('Key.pk is missing');
    const typed = Object.create({ S: MINE }) as object;
    expect(refused('GetItemCommand', get(typed), 'unverifiable-request').rule).toBe('unverifiable-request');
  });

  it('refuses a missing or non-object Key, Item and input', () => {
    expect(refused('GetItemCommand', { TableName: TABLE }, 'unverifiable-request').found).toBe('Key is missing');
    expect(refused('PutItemCommand', { TableName: TABLE, Item: 'pk' }, 'unverifiable-request').found).toBe('Item = "pk"');
    expect(refused('GetItemCommand', null, 'unverifiable-request').found).toBe('the command input = null');
    expect(refused('GetItemCommand', undefined, 'unverifiable-request').found).toBe('the command input is missing');
  });
});

describe('prefixes: exact, with the trailing delimiter', () => {
  it.each([
    ['the prefix alone', PREFIX],
    ['ids containing "#" after the prefix (still inside the key space)', `${PREFIX}x#CAPSULE#PROD#y`],
    ['control characters after the prefix', `${PREFIX}line\nbreak\u0000nul`],
    ['a 10,000-character key', `${PREFIX}${'x'.repeat(10_000)}`],
    ['non-ASCII after the prefix', `${PREFIX}ümlaut😀`],
  ])('accepts %s', (_what, value) => {
    expect(check('GetItemCommand', get({ S: value }))).toBeUndefined();
  });

  it.each([
    ['another capsule of the same tenant', OTHER_CAPSULE],
    ['a capsule whose code extends ours (DEV vs DEVX)', EXTENDING_CAPSULE],
    ['another tenant', OTHER_TENANT],
    ['the prefix without its trailing "#"', 'TENANT#acme#CAPSULE#DEV'],
    ['an empty key', ''],
    ['the tenant prefix only', 'TENANT#acme#'],
    ['an injected delimiter before the capsule', 'TENANT#acme##CAPSULE#DEV#ORDER#1'],
    ['different case', 'tenant#acme#capsule#dev#ORDER#1'],
    ['a leading space', ` ${MINE}`],
    ['a leading zero-width space', `\u200b${MINE}`],
    ['a NUL inside the prefix', 'TENANT#acme\u0000#CAPSULE#DEV#ORDER#1'],
    ['a look-alike Cyrillic "А" in the tenant', 'TENANT#\u0430cme#CAPSULE#DEV#ORDER#1'],
  ])('refuses %s', (_what, value) => {
    refused('GetItemCommand', get({ S: value }), 'partition-key-scope');
  });

  it('escapes control and invisible characters in messages, so the reader sees them', () => {
    expect(refused('GetItemCommand', get({ S: 'TENANT#acme\u0000#x\n' }), 'partition-key-scope').found).toBe('Key.pk = "TENANT#acme\\u0000#x\\n"');
    expect(refused('GetItemCommand', get({ S: `\u200b\u202e${MINE}` }), 'partition-key-scope').found).toBe(`Key.pk = "\\u200b\\u202e${MINE}"`);
  });

  it('truncates long values in messages and says how long they were', () => {
    const long = `TENANT#globex#${'y'.repeat(5000)}`;
    const violation = refused('GetItemCommand', get({ S: long }), 'partition-key-scope');
    expect(violation.found).toBe(`Key.pk = "${long.slice(0, 64)}…" (${long.length} characters)`);
    expect(violation.message.length).toBeLessThan(400);
  });

  it('a tenant scope accepts every capsule of its tenant and nothing else', () => {
    const tenantPolicy: GuardPolicy = { ...policy, scope: { kind: 'tenant', tenantId: tenantId('acme') } };
    expect(check('GetItemCommand', get(OTHER_CAPSULE), tenantPolicy)).toBeUndefined();
    expect(check('GetItemCommand', get('TENANT#acme#PROFILE'), tenantPolicy)).toBeUndefined();
    refused('GetItemCommand', get('TENANT#acmex#PROFILE'), 'partition-key-scope', tenantPolicy);
    refused('GetItemCommand', get('TENANT#acme'), 'partition-key-scope', tenantPolicy);
    expect(refused('GetItemCommand', get(OTHER_TENANT), 'partition-key-scope', tenantPolicy).message).toContain('refused in tenant acme');
  });
});

describe('KeyConditionExpression', () => {
  // [expression, names]; the partition-key value is always :pk.
  const accepted: readonly (readonly [string, Record<string, string> | undefined])[] = [
    ['#pk = :pk', { '#pk': 'pk' }],
    ['pk = :pk', undefined],
    ['pk=:pk', undefined],
    ['   pk   =   :pk   ', undefined],
    ['pk = :pk\n\tAND\n\tsk > :sk', undefined],
    [':pk = pk', undefined],
    [':pk = #p', { '#p': 'pk' }],
    ['(pk = :pk)', undefined],
    ['(pk) = :pk', undefined],
    ['pk = (:pk)', undefined],
    ['(:pk) = pk', undefined],
    ['#pk = :pk AND begins_with(#sk, :sk)', { '#pk': 'pk', '#sk': 'sk' }],
    ['begins_with(#sk, :sk) AND #pk = :pk', { '#pk': 'pk', '#sk': 'sk' }],
    ['(begins_with(sk, :sk)) AND (pk = :pk)', undefined],
    ['pk = :pk and sk between :sk and :sk2', undefined],
    ['(#pk = :pk) AND (#sk BETWEEN :sk AND :sk2)', { '#pk': 'pk', '#sk': 'sk' }],
    ['pk = :pk AND (sk BETWEEN :sk AND :sk2)', undefined],
    ['(pk = :pk AND sk >= :sk)', undefined],
    ['sk <= :sk AND pk = :pk', undefined],
    ['pk = :pk AND :sk < sk', undefined],
    ['pk = :pk AND sk = :sk', undefined],
    ['pk = :pk AND begins_with((sk), :sk)', undefined],
  ];
  const values = (pk: unknown): Record<string, unknown> => ({ ':pk': pk, ':sk': { S: OTHER_TENANT }, ':sk2': { S: 'z' } });

  it.each(accepted)('finds the partition-key equality in %j', (expression, names) => {
    expect(check('QueryCommand', query(expression, values({ S: MINE }), names))).toBeUndefined();
    expect(check('QueryCommand', query(expression, values(MINE), names))).toBeUndefined();
    const violation = refused('QueryCommand', query(expression, values({ S: OTHER_TENANT }), names), 'partition-key-scope');
    expect(violation.found).toMatch(/^ExpressionAttributeValues\[":pk"\] = "TENANT#globex#CAPSULE#DEV#ORDER#1" \(the equality (#pk|pk|#p) = :pk of KeyConditionExpression ".*"\)$/s);
  });

  it('does not mistake a sort-key equality for the partition key', () => {
    expect(check('QueryCommand', query('sk = :other AND pk = :pk', { ':pk': MINE, ':other': OTHER_TENANT }))).toBeUndefined();
    refused('QueryCommand', query('sk = :pk AND pk = :other', { ':pk': MINE, ':other': OTHER_TENANT }), 'partition-key-scope');
  });

  it.each([
    ['OR', 'pk = :pk OR sk = :sk', undefined, /cannot parse: expected "AND"/],
    ['NOT', 'NOT pk = :pk', undefined, /cannot parse: expected a key condition \(NOT cannot appear/],
    ['IN', 'pk IN (:pk)', undefined, /cannot parse/],
    ['begins_with on the partition key', 'begins_with(pk, :pk)', undefined, /uses pk outside a "= :placeholder" equality/],
    ['BETWEEN on the partition key', 'pk BETWEEN :pk AND :sk', undefined, /uses pk outside/],
    ['a range comparison on the partition key', 'pk > :pk', undefined, /uses pk outside/],
    ['two equalities on the partition key', 'pk = :pk AND pk = :sk', undefined, /more than one equality on pk/],
    ['two names for the partition key', '#a = :pk AND #b = :sk', { '#a': 'pk', '#b': 'pk' }, /more than one equality on pk/],
    ['no partition-key condition', 'sk = :sk', undefined, /has no equality on pk/],
    ['the partition key compared with an attribute', 'pk = sk', undefined, /uses pk outside/],
    ['a nested path on the partition key', 'pk.x = :pk', undefined, /uses pk outside/],
    ['size() of the partition key', 'size(pk) = :pk', undefined, /uses pk outside/],
    ['a #name missing from ExpressionAttributeNames', '#pk = :pk', {}, /uses #pk that ExpressionAttributeNames does not map/],
    ['a #name of another attribute missing (it could be the partition key)', 'pk = :pk AND #s > :sk', { '#x': 'sk' }, /uses #s that ExpressionAttributeNames/],
    ['an empty expression', '', undefined, /cannot parse: expected an attribute name/],
    ['a dangling AND', 'pk = :pk AND', undefined, /cannot parse/],
    ['a statement after the condition', 'pk = :pk; DROP TABLE x', undefined, /unexpected character ";"/],
    ['a non-breaking space', 'pk\u00a0= :pk', undefined, /unexpected character/],
    ['a hyphenated placeholder', 'pk = :pk-1', undefined, /cannot parse/],
    ['an unbalanced parenthesis', '(pk = :pk', undefined, /cannot parse/],
  ])('refuses %s as unverifiable', (_what, expression, names, found) => {
    const violation = refused('QueryCommand', query(expression, { ':pk': { S: MINE }, ':sk': { S: MINE } }, names), 'unverifiable-request');
    expect(violation.found).toMatch(found);
    expect(violation.expected).toMatch(/exactly one equality|ExpressionAttributeNames/);
  });

  it.each([
    ['missing', {}, 'is missing'],
    ['a number', { ':pk': { N: '1' } }, '= { N: "1" }'],
    ['null', { ':pk': null }, '= null'],
  ])('refuses a partition-key value that is %s', (_what, values, found) => {
    expect(refused('QueryCommand', query('pk = :pk', values), 'unverifiable-request').found).toContain(`ExpressionAttributeValues[":pk"] ${found}`);
  });

  it('refuses a Query with both or neither of KeyConditionExpression and KeyConditions, or a non-string expression', () => {
    refused('QueryCommand', { ...query('pk = :pk', { ':pk': MINE }), KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [MINE] } } }, 'unverifiable-request');
    expect(refused('QueryCommand', { TableName: TABLE }, 'unverifiable-request').found).toBe('a Query without KeyConditionExpression or KeyConditions');
    refused('QueryCommand', { TableName: TABLE, KeyConditionExpression: 42 }, 'unverifiable-request');
    refused('QueryCommand', { TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: 'nope' }, 'unverifiable-request');
  });

  it('keeps answering correctly after more distinct expressions than the parse cache holds', () => {
    for (let i = 0; i < EXPRESSION_CACHE_SIZE + 50; i += 1) {
      expect(check('QueryCommand', query(`pk = :pk AND sk > :s${i}`, { ':pk': MINE, [`:s${i}`]: 'x' }))).toBeUndefined();
    }
    refused('QueryCommand', query('pk = :pk AND sk > :s0', { ':pk': OTHER_CAPSULE, ':s0': 'x' }), 'partition-key-scope');
    refused('QueryCommand', query('pk = :pk OR sk > :s1', { ':pk': MINE, ':s1': 'x' }), 'unverifiable-request');
  });
});

describe('Query: indexes and start keys', () => {
  it('checks the equality on the index partition key for IndexName', () => {
    expect(check('QueryCommand', query('gsi1pk = :g', { ':g': { S: MINE } }, undefined, { IndexName: 'gsi1' }))).toBeUndefined();
    const violation = refused('QueryCommand', query('#g = :g', { ':g': OTHER_TENANT }, { '#g': 'gsi1pk' }, { IndexName: 'gsi1' }), 'partition-key-scope');
    expect(violation.expected).toContain('the partition key of indexes gsi1, gsi2 (gsi1pk)');
  });

  it('an index query on the table partition key alone has no index equality', () => {
    expect(refused('QueryCommand', query('pk = :g', { ':g': MINE }, undefined, { IndexName: 'gsi1' }), 'unverifiable-request').found).toContain('has no equality on gsi1pk');
  });

  it('a local index uses the table partition key', () => {
    expect(check('QueryCommand', query('pk = :p', { ':p': MINE }, undefined, { IndexName: 'lsi1' }))).toBeUndefined();
    refused('QueryCommand', query('pk = :p', { ':p': OTHER_CAPSULE }, undefined, { IndexName: 'lsi1' }), 'partition-key-scope');
  });

  it.each([['byOwner'], ['constructor'], ['__proto__'], ['']])('refuses the unknown index %j', (index) => {
    const violation = refused('QueryCommand', query('gsi1pk = :g', { ':g': MINE }, undefined, { IndexName: index }), 'unknown-index');
    expect(violation.expected).toBe(`an index named in the scope's key attributes ("gsi1", "gsi2", "lsi1") — add the index and its partition-key attribute to KeyAttributes.indexes`);
  });

  it('refuses a non-string IndexName as unverifiable', () => {
    refused('QueryCommand', query('gsi1pk = :g', { ':g': MINE }, undefined, { IndexName: 7 }), 'unverifiable-request');
  });

  it('checks ExclusiveStartKey: the table key, and for an index query the index key too', () => {
    const own = { pk: { S: MINE }, sk: { S: 'A' }, gsi1pk: { S: MINE }, gsi1sk: { S: 'A' } };
    expect(check('QueryCommand', query('pk = :p', { ':p': MINE }, undefined, { ExclusiveStartKey: own }))).toBeUndefined();
    expect(check('QueryCommand', query('gsi1pk = :g', { ':g': MINE }, undefined, { IndexName: 'gsi1', ExclusiveStartKey: own }))).toBeUndefined();
    expect(refused('QueryCommand', query('pk = :p', { ':p': MINE }, undefined, { ExclusiveStartKey: { ...own, pk: OTHER_TENANT } }), 'partition-key-scope').found).toBe(`ExclusiveStartKey.pk = "${OTHER_TENANT}"`);
    expect(refused('QueryCommand', query('gsi1pk = :g', { ':g': MINE }, undefined, { IndexName: 'gsi1', ExclusiveStartKey: { ...own, gsi1pk: { S: OTHER_TENANT } } }), 'partition-key-scope').found).toBe(
      `ExclusiveStartKey.gsi1pk = "${OTHER_TENANT}"`,
    );
    expect(refused('QueryCommand', query('gsi1pk = :g', { ':g': MINE }, undefined, { IndexName: 'gsi1', ExclusiveStartKey: { gsi1pk: MINE } }), 'unverifiable-request').found).toBe('ExclusiveStartKey.pk is missing');
    refused('QueryCommand', query('pk = :p', { ':p': MINE }, undefined, { ExclusiveStartKey: 'next' }), 'unverifiable-request');
  });
});

describe('legacy KeyConditions', () => {
  const conditions = (condition: unknown): Record<string, unknown> => ({ TableName: TABLE, KeyConditions: { pk: condition, sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'A' }] } } });

  it('checks the EQ condition on the partition key, in both forms', () => {
    expect(check('QueryCommand', conditions({ ComparisonOperator: 'EQ', AttributeValueList: [{ S: MINE }] }))).toBeUndefined();
    expect(check('QueryCommand', conditions({ ComparisonOperator: 'EQ', AttributeValueList: [MINE] }))).toBeUndefined();
    expect(refused('QueryCommand', conditions({ ComparisonOperator: 'EQ', AttributeValueList: [OTHER_TENANT] }), 'partition-key-scope').found).toBe(`KeyConditions.pk.AttributeValueList[0] = "${OTHER_TENANT}"`);
  });

  it('checks the index partition key for IndexName', () => {
    expect(check('QueryCommand', { TableName: TABLE, IndexName: 'gsi1', KeyConditions: { gsi1pk: { ComparisonOperator: 'EQ', AttributeValueList: [MINE] } } })).toBeUndefined();
    refused('QueryCommand', { TableName: TABLE, IndexName: 'gsi1', KeyConditions: { gsi1pk: { ComparisonOperator: 'EQ', AttributeValueList: [OTHER_CAPSULE] } } }, 'partition-key-scope');
    refused('QueryCommand', { TableName: TABLE, IndexName: 'gsi1', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [MINE] } } }, 'unverifiable-request');
  });

  it.each([
    ['BEGINS_WITH', { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [PREFIX] }],
    ['two values', { ComparisonOperator: 'EQ', AttributeValueList: [MINE, MINE] }],
    ['no list', { ComparisonOperator: 'EQ' }],
    ['a missing condition', undefined],
  ])('refuses %s on the partition key as unverifiable', (_what, condition) => {
    refused('QueryCommand', conditions(condition), 'unverifiable-request');
  });
});

describe('items and index partitions', () => {
  const put = (item: Record<string, unknown>): Record<string, unknown> => ({ TableName: TABLE, Item: { sk: { S: 'A' }, ...item } });

  it('checks the partition key and every index partition key an item writes', () => {
    expect(check('PutItemCommand', put({ pk: { S: MINE }, gsi1pk: { S: MINE }, other: { S: OTHER_TENANT } }))).toBeUndefined();
    expect(check('PutItemCommand', put({ pk: MINE }))).toBeUndefined();
    const violation = refused('PutItemCommand', put({ pk: MINE, gsi1pk: OTHER_TENANT }), 'index-partition-scope');
    expect(violation.found).toBe(`Item.gsi1pk = "${OTHER_TENANT}"`);
    expect(violation.expected).toBe(`the partition key of indexes gsi1, gsi2 (gsi1pk) beginning "${PREFIX}" — build keys with keysOf() or keyPrefixOf(scope)`);
    refused('PutItemCommand', put({ pk: OTHER_CAPSULE, gsi1pk: MINE }), 'partition-key-scope');
  });

  it('refuses index partition keys it cannot read', () => {
    refused('PutItemCommand', put({ pk: MINE, gsi1pk: null }), 'unverifiable-request');
    refused('PutItemCommand', put({ pk: MINE, gsi1pk: { N: '1' } }), 'unverifiable-request');
  });

  it('an undefined index attribute is not written (the Document client drops or refuses it)', () => {
    expect(check('PutItemCommand', put({ pk: MINE, gsi1pk: undefined }))).toBeUndefined();
  });

  it('without indexes in the key attributes, other attributes are not index partitions', () => {
    const plain: GuardPolicy = { ...policy, keys: { partitionKey: 'pk', sortKey: 'sk', indexes: {} } };
    expect(check('PutItemCommand', put({ pk: MINE, gsi1pk: OTHER_TENANT }), plain)).toBeUndefined();
    expect(check('UpdateItemCommand', { ...get(MINE), UpdateExpression: 'SET gsi1pk = :g', ExpressionAttributeValues: { ':g': OTHER_TENANT } }, plain)).toBeUndefined();
  });
});

describe('UpdateExpression', () => {
  const update = (UpdateExpression: string, values: Record<string, unknown>, names?: Record<string, string>): Record<string, unknown> => ({
    ...get({ S: MINE }),
    UpdateExpression,
    ExpressionAttributeValues: values,
    ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
  });

  it.each([
    ['SET #g = :g', { '#g': 'gsi1pk' }],
    ['SET gsi1pk = :g', undefined],
    ['set gsi1pk=:g', undefined],
    ['SET #g = :g, other = :x', { '#g': 'gsi1pk' }],
    ['SET other = :x, #g = :g', { '#g': 'gsi1pk' }],
    ['SET other = :x, gsi1pk = (:g)', undefined],
    ['REMOVE stale SET #g = :g', { '#g': 'gsi1pk' }],
    ['SET #g = :g REMOVE stale ADD #n :one', { '#g': 'gsi1pk', '#n': 'count' }],
    ['SET #g = :g, tags = list_append(if_not_exists(tags, :empty), :x) DELETE #s :x', { '#g': 'gsi1pk', '#s': 'labels' }],
  ])('checks the index partition key SET in %j', (expression, names) => {
    const values = (g: unknown): Record<string, unknown> => ({ ':g': g, ':x': { S: OTHER_TENANT }, ':one': { N: '1' }, ':empty': { L: [] } });
    expect(check('UpdateItemCommand', update(expression, values({ S: MINE }), names))).toBeUndefined();
    expect(check('UpdateItemCommand', update(expression, values(MINE), names))).toBeUndefined();
    const violation = refused('UpdateItemCommand', update(expression, values({ S: OTHER_TENANT }), names), 'index-partition-scope');
    expect(violation.found).toMatch(/^ExpressionAttributeValues\[":g"\] = "TENANT#globex#CAPSULE#DEV#ORDER#1" \(SET (#g = gsi1pk|gsi1pk) in UpdateExpression ".*"( \(\d+ characters\))?\)$/);
  });

  it.each([
    ['SET other = :x, flag = :y', undefined],
    ['REMOVE gsi1pk, gsi1sk', undefined],
    ['REMOVE #g', { '#g': 'gsi1pk' }],
    ['SET #n = #n + :one', { '#n': 'count' }],
  ])('lets %j through: no index partition key is written', (expression, names) => {
    expect(check('UpdateItemCommand', update(expression, { ':x': OTHER_TENANT, ':y': true, ':one': 1 }, names))).toBeUndefined();
  });

  it.each([
    ['if_not_exists', 'SET #g = if_not_exists(#g, :g)', { '#g': 'gsi1pk' }],
    ['list_append', 'SET gsi1pk = list_append(:g, :g)', undefined],
    ['arithmetic', 'SET gsi1pk = :g + :g', undefined],
    ['a copy of another attribute', 'SET gsi1pk = other', undefined],
    ['a nested path', 'SET gsi1pk.x = :g', undefined],
    ['a list element', 'SET #g[0] = :g', { '#g': 'gsi1pk' }],
    ['ADD', 'ADD gsi1pk :g', undefined],
    ['DELETE', 'DELETE gsi1pk :g', undefined],
  ])('refuses an index partition key written with %s as unverifiable', (_what, expression, names) => {
    const violation = refused('UpdateItemCommand', update(expression, { ':g': { S: MINE } }, names), 'unverifiable-request');
    expect(violation.found).toMatch(/of the partition key of indexes gsi1, gsi2 \(gsi1pk\) the guard cannot read/);
    expect(violation.expected).toMatch(/^SET gsi1pk = :placeholder/);
  });

  it.each([
    ['a duplicated clause', 'SET a = :g SET #g = :g', /SET clause appears twice/],
    ['a missing clause keyword', '#g = :g', /expected SET, REMOVE, ADD or DELETE/],
    ['an unknown #name', 'SET #h = :g', /uses #h that ExpressionAttributeNames/],
    ['a stray token', 'SET #g = :g :g', /cannot parse/],
    ['an empty expression', '', /the expression is empty/],
  ])('refuses %s as unverifiable', (_what, expression, found) => {
    expect(refused('UpdateItemCommand', update(expression, { ':g': MINE }, { '#g': 'gsi1pk' }), 'unverifiable-request').found).toMatch(found);
  });

  it('refuses a missing or foreign placeholder value', () => {
    expect(refused('UpdateItemCommand', update('SET #g = :h', { ':g': MINE }, { '#g': 'gsi1pk' }), 'unverifiable-request').found).toMatch(/^ExpressionAttributeValues\[":h"\] is missing/);
  });

  it('checks the Key of an update too', () => {
    refused('UpdateItemCommand', { ...update('SET a = :g', { ':g': MINE }), Key: { pk: { S: OTHER_CAPSULE }, sk: { S: 'A' } } }, 'partition-key-scope');
  });

  it('checks legacy AttributeUpdates on index partition keys', () => {
    const attributeUpdates = (updates: Record<string, unknown>): Record<string, unknown> => ({ ...get(MINE), AttributeUpdates: updates });
    expect(check('UpdateItemCommand', attributeUpdates({ gsi1pk: { Action: 'PUT', Value: { S: MINE } }, other: { Value: { S: OTHER_TENANT } } }))).toBeUndefined();
    expect(check('UpdateItemCommand', attributeUpdates({ gsi1pk: { Value: MINE } }))).toBeUndefined();
    expect(check('UpdateItemCommand', attributeUpdates({ gsi1pk: { Action: 'DELETE' } }))).toBeUndefined();
    expect(refused('UpdateItemCommand', attributeUpdates({ gsi1pk: { Action: 'PUT', Value: { S: OTHER_TENANT } } }), 'index-partition-scope').found).toBe(`AttributeUpdates.gsi1pk.Value = "${OTHER_TENANT}"`);
    refused('UpdateItemCommand', attributeUpdates({ gsi1pk: { Action: 'ADD', Value: { S: MINE } } }), 'unverifiable-request');
    refused('UpdateItemCommand', attributeUpdates({ gsi1pk: { Action: 'DELETE', Value: { SS: [MINE] } } }), 'unverifiable-request');
  });
});

describe('tables', () => {
  it.each([
    ['another table', 'other_data'],
    ['a table ARN, even of our own table', `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`],
    ['a differently cased name', 'APP_DATA'],
  ])('refuses %s', (_what, table) => {
    const violation = refused('GetItemCommand', { ...get(MINE), TableName: table }, 'table-scope');
    expect(violation.expected).toBe(`one of the scope's tables: "${TABLE}" — use the physical table name the scope was configured with (other tables and table ARNs are refused)`);
  });

  it('refuses a missing table name as unverifiable', () => {
    expect(refused('GetItemCommand', { Key: { pk: MINE } }, 'unverifiable-request').found).toBe('TableName is missing');
  });

  it('reads the table set on every command, so a scope can add tables later', () => {
    const tables = new Set([TABLE]);
    const growing: GuardPolicy = { ...policy, tables };
    refused('GetItemCommand', { ...get(MINE), TableName: 'later_data' }, 'table-scope', growing);
    tables.add('later_data');
    expect(check('GetItemCommand', { ...get(MINE), TableName: 'later_data' }, growing)).toBeUndefined();
  });
});

describe('batches and transactions name the exact place', () => {
  it('BatchGetItem: every table and every key', () => {
    const batch = (keys: unknown[], table = TABLE): Record<string, unknown> => ({ RequestItems: { [table]: { Keys: keys, ProjectionExpression: 'pk' } } });
    expect(check('BatchGetItemCommand', batch([{ pk: { S: MINE } }, { pk: MINE }]))).toBeUndefined();
    expect(refused('BatchGetItemCommand', batch([{ pk: MINE }, { pk: MINE }, { pk: OTHER_CAPSULE }]), 'partition-key-scope').found).toBe(`RequestItems["${TABLE}"].Keys[2].pk = "${OTHER_CAPSULE}"`);
    expect(refused('BatchGetItemCommand', batch([{ pk: MINE }], 'other_data'), 'table-scope').found).toBe('RequestItems["other_data"] = "other_data"');
    refused('BatchGetItemCommand', batch([null]), 'unverifiable-request');
    refused('BatchGetItemCommand', { RequestItems: { [TABLE]: {} } }, 'unverifiable-request');
    refused('BatchGetItemCommand', { RequestItems: [] }, 'unverifiable-request');
    refused('BatchGetItemCommand', {}, 'unverifiable-request');
  });

  it('BatchWriteItem: puts (index keys included) and deletes', () => {
    const batch = (requests: unknown[]): Record<string, unknown> => ({ RequestItems: { [TABLE]: requests } });
    expect(check('BatchWriteItemCommand', batch([{ PutRequest: { Item: { pk: MINE, gsi1pk: MINE } } }, { DeleteRequest: { Key: { pk: { S: MINE } } } }]))).toBeUndefined();
    expect(refused('BatchWriteItemCommand', batch([{ PutRequest: { Item: { pk: MINE } } }, { DeleteRequest: { Key: { pk: OTHER_TENANT } } }]), 'partition-key-scope').found).toBe(
      `RequestItems["${TABLE}"][1].DeleteRequest.Key.pk = "${OTHER_TENANT}"`,
    );
    expect(refused('BatchWriteItemCommand', batch([{ PutRequest: { Item: { pk: MINE, gsi1pk: OTHER_TENANT } } }]), 'index-partition-scope').found).toBe(`RequestItems["${TABLE}"][0].PutRequest.Item.gsi1pk = "${OTHER_TENANT}"`);
    expect(refused('BatchWriteItemCommand', batch([{ UpdateRequest: {} }]), 'unverifiable-request').found).toBe(`RequestItems["${TABLE}"][0].UpdateRequest, which is not a request the guard knows`);
    expect(refused('BatchWriteItemCommand', batch([{}]), 'unverifiable-request').found).toBe(`RequestItems["${TABLE}"][0] = {} (an empty object)`);
    expect(refused('BatchWriteItemCommand', batch([{ PutRequest: { Item: { pk: MINE } }, DeleteRequest: { Key: { pk: OTHER_TENANT } } }]), 'partition-key-scope').found).toContain('[0].DeleteRequest.Key.pk');
  });

  it('TransactWriteItems: Put, Update, Delete and ConditionCheck, each with its table', () => {
    const ok = [
      { Put: { TableName: TABLE, Item: { pk: { S: MINE }, gsi1pk: { S: MINE } } } },
      { Update: { TableName: TABLE, Key: { pk: { S: MINE } }, UpdateExpression: 'SET #g = :g', ExpressionAttributeNames: { '#g': 'gsi1pk' }, ExpressionAttributeValues: { ':g': { S: MINE } } } },
      { Delete: { TableName: TABLE, Key: { pk: { S: MINE } } } },
      { ConditionCheck: { TableName: TABLE, Key: { pk: { S: MINE } }, ConditionExpression: 'attribute_exists(pk)' } },
    ];
    expect(check('TransactWriteItemsCommand', { TransactItems: ok })).toBeUndefined();
    const cases: [unknown, GuardRule, string][] = [
      [{ Put: { TableName: TABLE, Item: { pk: { S: OTHER_TENANT } } } }, 'partition-key-scope', `TransactItems[1].Put.Item.pk = "${OTHER_TENANT}"`],
      [{ Put: { TableName: TABLE, Item: { pk: { S: MINE }, gsi1pk: { S: OTHER_TENANT } } } }, 'index-partition-scope', `TransactItems[1].Put.Item.gsi1pk = "${OTHER_TENANT}"`],
      [{ Update: { TableName: TABLE, Key: { pk: { S: EXTENDING_CAPSULE } }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } } }, 'partition-key-scope', `TransactItems[1].Update.Key.pk = "${EXTENDING_CAPSULE}"`],
      [
        { Update: { TableName: TABLE, Key: { pk: { S: MINE } }, UpdateExpression: 'SET gsi1pk = :g', ExpressionAttributeValues: { ':g': { S: OTHER_TENANT } } } },
        'index-partition-scope',
        `TransactItems[1].Update.ExpressionAttributeValues[":g"] = "${OTHER_TENANT}" (SET gsi1pk in UpdateExpression "SET gsi1pk = :g")`,
      ],
      [{ Delete: { TableName: TABLE, Key: { pk: { S: OTHER_CAPSULE } } } }, 'partition-key-scope', `TransactItems[1].Delete.Key.pk = "${OTHER_CAPSULE}"`],
      [{ ConditionCheck: { TableName: TABLE, Key: { pk: { S: OTHER_CAPSULE } }, ConditionExpression: 'attribute_exists(pk)' } }, 'partition-key-scope', `TransactItems[1].ConditionCheck.Key.pk = "${OTHER_CAPSULE}"`],
      [{ Delete: { TableName: 'other_data', Key: { pk: { S: MINE } } } }, 'table-scope', 'TransactItems[1].Delete.TableName = "other_data"'],
      [{ Get: { TableName: TABLE, Key: { pk: { S: MINE } } } }, 'unverifiable-request', 'TransactItems[1].Get, which is not a request the guard knows'],
      [null, 'unverifiable-request', 'TransactItems[1] = null'],
      [{ Put: 'x' }, 'unverifiable-request', 'TransactItems[1].Put = "x"'],
    ];
    for (const [item, rule, found] of cases) {
      expect(refused('TransactWriteItemsCommand', { TransactItems: [ok[0], item] }, rule).found).toBe(found);
    }
    refused('TransactWriteItemsCommand', { TransactItems: 'all' }, 'unverifiable-request');
  });

  it('TransactGetItems: each Get with its table', () => {
    expect(check('TransactGetItemsCommand', { TransactItems: [{ Get: { TableName: TABLE, Key: { pk: MINE } } }] })).toBeUndefined();
    expect(refused('TransactGetItemsCommand', { TransactItems: [{ Get: { TableName: TABLE, Key: { pk: MINE } } }, { Get: { TableName: TABLE, Key: { pk: OTHER_TENANT } } }] }, 'partition-key-scope').found).toBe(
      `TransactItems[1].Get.Key.pk = "${OTHER_TENANT}"`,
    );
    refused('TransactGetItemsCommand', { TransactItems: [{ Get: { TableName: 'other_data', Key: { pk: MINE } } }] }, 'table-scope');
    refused('TransactGetItemsCommand', { TransactItems: [{ Put: { TableName: TABLE, Item: { pk: MINE } } }] }, 'unverifiable-request');
  });
});

describe('commands', () => {
  it('runs exactly the documented allow-list', () => {
    expect(GUARDED_COMMANDS).toEqual([
      'GetItemCommand',
      'DeleteItemCommand',
      'PutItemCommand',
      'UpdateItemCommand',
      'QueryCommand',
      'BatchGetItemCommand',
      'BatchWriteItemCommand',
      'TransactWriteItemsCommand',
      'TransactGetItemsCommand',
      'DescribeEndpointsCommand',
    ]);
  });

  it.each([['ScanCommand'], ['ExecuteStatementCommand'], ['BatchExecuteStatementCommand'], ['ExecuteTransactionCommand']])('refuses %s as unbounded, whatever its input', (command) => {
    const violation = refused(command, { TableName: TABLE, Statement: `SELECT * FROM "${TABLE}" WHERE pk = '${MINE}'`, ScanFilter: {} }, 'unbounded-operation');
    expect(violation.expected).toMatch(/Query|explicit keys/);
  });

  it.each([
    ['CreateTableCommand'],
    ['DeleteTableCommand'],
    ['UpdateTableCommand'],
    ['ListTablesCommand'],
    ['UpdateTimeToLiveCommand'],
    ['CreateBackupCommand'],
    ['RestoreTableFromBackupCommand'],
    ['ExportTableToPointInTimeCommand'],
    ['ImportTableCommand'],
    ['PutResourcePolicyCommand'],
    ['TagResourceCommand'],
    ['SearchVectorsCommand'],
    ['StartBulkPutItemsCommand'],
    ['GetCommand'],
    ['getItemCommand'],
    [''],
  ])('refuses %j: not on the allow-list', (command) => {
    const violation = refused(command, { TableName: TABLE }, 'unbounded-operation');
    expect(violation.found).toBe(`${command}, which is not one of the commands a guarded client runs`);
    expect(violation.expected).toMatch(/^one of GetItem, DeleteItem, PutItem, UpdateItem, Query, .* belong to a platform or operator client$/);
  });

  it('refuses DescribeTable even on the scope tables (whole-table item counts and sizes); runs DescribeEndpoints', () => {
    const violation = refused('DescribeTableCommand', { TableName: TABLE }, 'unbounded-operation');
    expect(violation.found).toBe(`DescribeTableCommand on "${TABLE}", which reports item counts and sizes of the whole table, every tenant's`);
    expect(violation.expected).toMatch(/platform scope/);
    expect(check('DescribeEndpointsCommand', {})).toBeUndefined();
  });
});

describe('policies', () => {
  it.each([
    ['an invalid tenant id', { kind: 'tenant', tenantId: 'acme#CAPSULE#PROD' }],
    ['an empty tenant id', { kind: 'tenant', tenantId: '' }],
    ['an invalid capsule id', { kind: 'capsule', tenantId: 'acme', capsuleId: 'DEV#' }],
    ['a platform scope', { kind: 'platform' }],
  ])('refuse %s', (_what, badScope) => {
    expect(() => inspectCommand('GetItemCommand', get(MINE), { ...policy, scope: badScope as unknown as GuardedScope })).toThrow(TypeError);
  });

  it('refuse unusable key attributes and tables', () => {
    expect(() => inspectCommand('GetItemCommand', get(MINE), { ...policy, keys: { partitionKey: '', sortKey: 'sk', indexes: {} } })).toThrow(/partitionKey/);
    expect(() => inspectCommand('GetItemCommand', get(MINE), { ...policy, keys: { partitionKey: 'pk', sortKey: 'sk', indexes: { gsi1: 7 as unknown as string } } })).toThrow(/indexes\["gsi1"\]/);
    expect(() => inspectCommand('GetItemCommand', get(MINE), { ...policy, tables: [TABLE] as unknown as ReadonlySet<string> })).toThrow(/tables/);
  });
});

describe('cost', () => {
  /** Median nanoseconds per call over `samples` batches of `batch` calls. */
  function medianNs(run: () => unknown, samples = 101, batch = 2000): number {
    const times: number[] = [];
    for (let i = 0; i < 2000; i += 1) run();
    for (let s = 0; s < samples; s += 1) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < batch; i += 1) run();
      times.push(Number(process.hrtime.bigint() - start) / batch);
    }
    return times.sort((a, b) => a - b)[Math.floor(samples / 2)] as number;
  }

  it('stays in the low microseconds for typical Get, Put and Query (target ≤ 1 µs; asserted loosely for loaded CI machines)', () => {
    const getInput = { TableName: TABLE, Key: { pk: { S: MINE }, sk: { S: 'A' } } };
    const putInput = { TableName: TABLE, Item: { pk: MINE, sk: 'A', gsi1pk: MINE, gsi1sk: 'B', name: 'x', total: 3 } };
    const queryInput = { TableName: TABLE, KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)', ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' }, ExpressionAttributeValues: { ':pk': { S: MINE }, ':sk': { S: 'ORDER#' } } };
    for (const [command, input] of [
      ['GetItemCommand', getInput],
      ['PutItemCommand', putInput],
      ['QueryCommand', queryInput],
    ] as const) {
      expect(inspectCommand(command, input, policy)).toBeUndefined();
      expect(medianNs(() => inspectCommand(command, input, policy))).toBeLessThan(5000);
    }
  });
});
