/**
 * The isolation guard: a middleware on a DynamoDB client of a tenant or capsule scope that refuses,
 * before any credential is fetched or any byte is sent, every command that could touch a partition
 * outside the scope's key prefix (`TENANT#acme#` or `TENANT#acme#CAPSULE#DEV#`).
 *
 * It reads the input as the caller wrote it (the `initialize` step): typed values (`{ S: "…" }`)
 * from `DynamoDBClient`, plain values from `DynamoDBDocumentClient`; both forms are accepted and
 * nothing else. It refuses what it cannot read exactly (`unverifiable-request`) rather than guess.
 *
 * Commands a guarded client runs, and what is checked (every partition-key value must be a string
 * that begins with the scope's prefix; every table must be one of the scope's tables):
 *
 * | command                   | checked                                                                      |
 * | ------------------------- | ---------------------------------------------------------------------------- |
 * | GetItem, DeleteItem       | `TableName`; `Key`'s partition key                                           |
 * | PutItem                   | `TableName`; `Item`'s partition key and every index partition key it writes |
 * | UpdateItem                | `TableName`; `Key`; every index partition key the `UpdateExpression` writes (only `SET key = :placeholder`; if_not_exists, list_append, arithmetic, copies, nested paths, ADD and DELETE on it are refused) or legacy `AttributeUpdates` writes (PUT) |
 * | Query                     | `TableName`; `IndexName` is a known index; the partition-key equality of `KeyConditionExpression` (or legacy `KeyConditions`) on the table's or the index's partition key; `ExclusiveStartKey` |
 * | BatchGetItem              | per table in `RequestItems`: the table; each of `Keys`                      |
 * | BatchWriteItem            | per table in `RequestItems`: the table; each `PutRequest.Item` (as PutItem), `DeleteRequest.Key` |
 * | TransactWriteItems        | each of `TransactItems`: `Put` (as PutItem), `Update` (as UpdateItem), `Delete` and `ConditionCheck` (table and `Key`) |
 * | TransactGetItems          | each of `TransactItems`: `Get` (table and `Key`)                             |
 * | DescribeTable             | `TableName` (schema and counts of the scope's own tables only)             |
 * | DescribeEndpoints         | nothing: it names no table and reads no data (the SDK sends it for endpoint discovery) |
 *
 * Refused as `unbounded-operation`: Scan (reads every partition), the PartiQL commands
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction (statements are not inspected), and
 * every other command — table management (Create/Update/DeleteTable, TTL, backups, restores,
 * imports, exports, global tables, streams, resource policies, tags, contributor insights, bulk
 * operations), ListTables, and any command a later SDK adds — because a guarded client is for one
 * scope's data and those commands are either unbounded by a key prefix or belong to platform and
 * operator clients.
 *
 * Index partition keys come from `KeyAttributes.indexes` (index name → partition-key attribute). An
 * index whose partition key is the table's (a local secondary index) needs no extra write check.
 * Indexes not named there cannot be queried (`unknown-index`), so writes to their attributes are
 * harmless to isolation and not checked.
 *
 * `policy.tables` is read live, on every command (a scope may hand out table names after its
 * client was built); `scope`, `keys` and `onViolation` are read once per policy object.
 */
import { isCapsuleId, isTenantId } from '../ids.js';
import { parseKeyCondition, parseUpdateExpression, type KeyEquality, type UpdateAction } from './guard-expressions.js';
import { keyPrefixOf, type GuardedScope, type KeyAttributes } from './scope.js';
import { IsolationViolationError, type GuardRule } from './violation.js';

export interface GuardPolicy {
  /** The tenant or capsule scope whose prefix every partition key must carry. */
  readonly scope: GuardedScope;
  /** Physical table names the scope may use; read on every command, so the set may grow. */
  readonly tables: ReadonlySet<string>;
  /** Partition/sort key attribute names, and per index name its partition-key attribute. */
  readonly keys: KeyAttributes;
  /** Metrics hook, called with each violation before it is thrown; what it throws or rejects is ignored. */
  readonly onViolation?: ((error: IsolationViolationError) => void) | undefined;
}

/** The middleware-stack shape the guard needs; `DynamoDBClient` and `DynamoDBDocumentClient` have it. */
export interface GuardableClient {
  readonly middlewareStack: {
    add(middleware: GuardMiddleware, options: GuardMiddlewareOptions): void;
  };
}

/** An `initialize`-step middleware, structurally (no dependency on `@smithy/types`). */
export type GuardMiddleware = (
  next: (args: { input: object }) => Promise<unknown>,
  context: { commandName?: string | undefined },
) => (args: { input: object }) => Promise<unknown>;

export interface GuardMiddlewareOptions {
  readonly step: 'initialize';
  readonly name: string;
  readonly priority: 'low';
  readonly override: boolean;
  readonly tags: string[];
}

/** The middleware's name on the stack. */
export const ISOLATION_GUARD_NAME = 'isolationGuard';

/**
 * Pure: the first violation in one command's input, or `undefined`. `commandName` is the SDK's
 * `context.commandName` (`PutItemCommand`, …; the Document client's commands report these too).
 * Throws `TypeError` for a policy that is not usable (e.g. a scope with an invalid id).
 */
export function inspectCommand(commandName: string, input: unknown, policy: GuardPolicy): IsolationViolationError | undefined {
  return inspect(commandName, input, compile(policy));
}

/**
 * Adds the guard to a client's middleware stack at the `initialize` step (name `isolationGuard`,
 * priority `low` so it sees the input after any other initialize middleware, `override: false` so a
 * second guard on the same stack throws instead of replacing the first). `DynamoDBDocumentClient.from(base)`
 * shares `base`'s stack: guarding either guards both. A refused command calls `onViolation`, then
 * rejects with the `IsolationViolationError` without calling the next middleware: no credentials are
 * fetched and no request leaves. An error while inspecting also refuses (fail closed).
 */
export function addIsolationGuard(client: GuardableClient, policy: GuardPolicy): void {
  const compiled = compile(policy);
  const middleware: GuardMiddleware = (next, context) => (args) => {
    let violation: IsolationViolationError | undefined;
    try {
      violation = inspect(context.commandName, args.input, compiled);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (violation === undefined) return next(args);
    report(compiled, violation);
    return Promise.reject(violation);
  };
  client.middlewareStack.add(middleware, { step: 'initialize', name: ISOLATION_GUARD_NAME, priority: 'low', override: false, tags: ['ISOLATION'] });
}

/**
 * Whether a client's middleware stack carries the guard. `DynamoDBDocumentClient.from(base)` falls
 * back to a stack of its own when it finds `base` incompatible (it logs a warning); a factory can
 * check the Document client it hands out with this.
 */
export function hasIsolationGuard(client: { readonly middlewareStack: { identify(): string[] } }): boolean {
  return client.middlewareStack.identify().includes(`${ISOLATION_GUARD_NAME} - initialize`);
}

// ---------------------------------------------------------------------------------------------
// The compiled policy

interface Compiled {
  readonly scope: GuardedScope;
  readonly prefix: string;
  readonly tables: ReadonlySet<string>;
  readonly partitionKey: string;
  /** Index name → its partition-key attribute. */
  readonly indexes: ReadonlyMap<string, string>;
  /** Index partition-key attributes other than the table's partition key → their label in messages. */
  readonly indexAttributes: ReadonlyMap<string, string>;
  /** Index name → the label of its partition key in messages. */
  readonly indexLabels: ReadonlyMap<string, string>;
  /** The label of the table's partition key in messages: `the partition key (pk)`. */
  readonly tableKeyLabel: string;
  readonly onViolation: ((error: IsolationViolationError) => void) | undefined;
}

const compiledPolicies = new WeakMap<GuardPolicy, Compiled>();

function compile(policy: GuardPolicy): Compiled {
  const known = compiledPolicies.get(policy);
  if (known !== undefined) return known;
  const refuse = (what: string): never => {
    throw new TypeError(`isolation guard: unusable policy: ${what}`);
  };
  if (typeof policy !== 'object' || policy === null) refuse('expected a policy object');
  const { scope, tables, keys, onViolation } = policy;
  if (typeof scope !== 'object' || scope === null || (scope.kind !== 'tenant' && scope.kind !== 'capsule')) refuse('scope must be a tenant or capsule scope');
  if (!isTenantId(scope.tenantId)) refuse(`scope.tenantId ${JSON.stringify(scope.tenantId)} is not a valid tenant id`);
  if (scope.kind === 'capsule' && !isCapsuleId(scope.capsuleId)) refuse(`scope.capsuleId ${JSON.stringify(scope.capsuleId)} is not a valid capsule id`);
  if (typeof tables !== 'object' || tables === null || typeof (tables as Partial<ReadonlySet<string>>).has !== 'function') refuse('tables must be a Set of table names');
  if (typeof keys !== 'object' || keys === null) refuse('keys must be KeyAttributes');
  if (typeof keys.partitionKey !== 'string' || keys.partitionKey.length === 0) refuse('keys.partitionKey must be a non-empty attribute name');
  if (typeof keys.indexes !== 'object' || keys.indexes === null) refuse('keys.indexes must be an object (index name → partition-key attribute)');
  const indexes = new Map<string, string>();
  const users = new Map<string, string[]>();
  for (const [index, attribute] of Object.entries(keys.indexes)) {
    if (typeof attribute !== 'string' || attribute.length === 0) refuse(`keys.indexes[${JSON.stringify(index)}] must be a non-empty attribute name`);
    indexes.set(index, attribute);
    const list = users.get(attribute);
    if (list === undefined) users.set(attribute, [index]);
    else list.push(index);
  }
  const attributeLabel = (attribute: string): string => {
    const names = users.get(attribute) ?? [];
    return `the partition key of index${names.length > 1 ? 'es' : ''} ${names.join(', ')} (${attribute})`;
  };
  const indexAttributes = new Map<string, string>();
  for (const attribute of users.keys()) if (attribute !== keys.partitionKey) indexAttributes.set(attribute, attributeLabel(attribute));
  const indexLabels = new Map<string, string>();
  for (const [index, attribute] of indexes) indexLabels.set(index, attribute === keys.partitionKey ? `the partition key of index ${index} (${attribute}, the table's)` : attributeLabel(attribute));
  if (onViolation !== undefined && typeof onViolation !== 'function') refuse('onViolation must be a function');
  const compiled: Compiled = {
    scope,
    prefix: keyPrefixOf(scope),
    tables,
    partitionKey: keys.partitionKey,
    indexes,
    indexAttributes,
    indexLabels,
    tableKeyLabel: `the partition key (${keys.partitionKey})`,
    onViolation,
  };
  compiledPolicies.set(policy, compiled);
  return compiled;
}

function report(compiled: Compiled, violation: IsolationViolationError): void {
  if (compiled.onViolation === undefined) return;
  try {
    const result: unknown = compiled.onViolation(violation);
    // An async hook's rejection must neither hide the violation nor become an unhandled rejection.
    if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // The hook is for metrics; the violation is what the caller must see.
  }
}

// ---------------------------------------------------------------------------------------------
// Inspection. The happy path allocates nothing but what batches and transactions need: every
// message is built only once a check has failed.

/** A refusal being built: `found` is relative to where the check ran and gets prefixed on the way out. */
class Failure {
  constructor(
    readonly rule: GuardRule,
    public found: string,
    readonly expected: string,
  ) {}

  /** Puts the enclosing location in front of `found`. */
  within(prefix: string): this {
    this.found = prefix + this.found;
    return this;
  }

  /** Adds context after `found`. */
  append(context: string): this {
    this.found += context;
    return this;
  }
}

type Input = Readonly<Record<string, unknown>>;
type Handler = (compiled: Compiled, input: Input) => Failure | undefined;

function inspect(commandName: string | undefined, input: unknown, compiled: Compiled): IsolationViolationError | undefined {
  const handler = typeof commandName === 'string' ? HANDLERS.get(commandName) : undefined;
  const command = typeof commandName === 'string' ? commandName : `(a command without a name: ${describeValue(commandName)})`;
  let failure: Failure | undefined;
  if (handler === undefined) failure = notGuardedCommand(command);
  else if (typeof input !== 'object' || input === null) failure = new Failure('unverifiable-request', `the command input ${describeMissing(input)}`, 'an input object');
  else failure = handler(compiled, input as Input);
  return failure === undefined ? undefined : new IsolationViolationError(failure.rule, compiled.scope, command, failure.found, failure.expected);
}

const PARTIQL_COMMANDS = ['ExecuteStatementCommand', 'BatchExecuteStatementCommand', 'ExecuteTransactionCommand'] as const;

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['GetItemCommand', (c, input) => checkTable(c, input) ?? checkKey(c, own(input, 'Key'), 'Key')],
  ['DeleteItemCommand', (c, input) => checkTable(c, input) ?? checkKey(c, own(input, 'Key'), 'Key')],
  ['PutItemCommand', (c, input) => checkTable(c, input) ?? checkItem(c, own(input, 'Item'), 'Item')],
  ['UpdateItemCommand', (c, input) => checkTable(c, input) ?? checkKey(c, own(input, 'Key'), 'Key') ?? checkUpdate(c, input) ?? checkAttributeUpdates(c, own(input, 'AttributeUpdates'))],
  ['QueryCommand', checkQuery],
  ['BatchGetItemCommand', checkBatchGet],
  ['BatchWriteItemCommand', checkBatchWrite],
  ['TransactWriteItemsCommand', checkTransactWrite],
  ['TransactGetItemsCommand', checkTransactGet],
  ['DescribeTableCommand', (c, input) => checkTable(c, input)],
  ['DescribeEndpointsCommand', () => undefined],
  [
    'ScanCommand',
    (c, input) =>
      new Failure('unbounded-operation', `ScanCommand on ${describeValue(own(input, 'TableName'))}, which reads every partition of the table`, `a Query on one partition beginning ${quote(c.prefix)} — no key prefix can bound a Scan`),
  ],
  ...PARTIQL_COMMANDS.map(
    (name): [string, Handler] => [
      name,
      () => new Failure('unbounded-operation', `${name}: PartiQL, which the guard does not inspect`, 'GetItem, PutItem, UpdateItem, DeleteItem, Query, or the Batch*/Transact* item commands, with explicit keys — guarded clients do not run PartiQL'),
    ],
  ),
]);

/** The commands a guarded client runs (as `context.commandName`); everything else is refused. */
export const GUARDED_COMMANDS: readonly string[] = [...HANDLERS.keys()].filter((name) => name !== 'ScanCommand' && !(PARTIQL_COMMANDS as readonly string[]).includes(name));

function notGuardedCommand(command: string): Failure {
  return new Failure(
    'unbounded-operation',
    `${command}, which is not one of the commands a guarded client runs`,
    `one of ${GUARDED_COMMANDS.map((name) => name.replace(/Command$/, '')).join(', ')} (DescribeTable on the scope's tables only) — table management, listing tables, backups, imports/exports and other control-plane commands belong to a platform or operator client`,
  );
}

// --- tables ----------------------------------------------------------------------------------

function checkTable(c: Compiled, input: Input): Failure | undefined {
  const table = own(input, 'TableName');
  if (typeof table === 'string' && c.tables.has(table)) return undefined;
  return tableFailure(c, 'TableName', table);
}

function tableFailure(c: Compiled, place: string, table: unknown): Failure {
  if (typeof table !== 'string') return new Failure('unverifiable-request', `${place} ${describeMissing(table)}`, `a table name, one of ${tableList(c)}`);
  return new Failure('table-scope', `${place} = ${quote(table)}`, `one of the scope's tables: ${tableList(c)} — use the physical table name the scope was configured with (other tables and table ARNs are refused)`);
}

function tableList(c: Compiled): string {
  const names = [...c.tables];
  if (names.length === 0) return '(none: this scope has no tables)';
  const shown = names.slice(0, 5).map(quote).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

// --- keys and items --------------------------------------------------------------------------

/** The text of a key value: a plain string (Document client) or exactly `{ S: string }` (low-level). */
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
function checkValue(c: Compiled, rule: ScopeRule, value: unknown, base: string, name: string, label: string, suffix = ''): Failure | undefined {
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

function checkKey(c: Compiled, key: unknown, place: string): Failure | undefined {
  if (typeof key !== 'object' || key === null) return notAnObject(place, key, `a key object with ${c.tableKeyLabel}`);
  return checkValue(c, 'partition-key-scope', own(key, c.partitionKey), place, c.partitionKey, c.tableKeyLabel);
}

function checkItem(c: Compiled, item: unknown, place: string): Failure | undefined {
  if (typeof item !== 'object' || item === null) return notAnObject(place, item, `an item with ${c.tableKeyLabel}`);
  const failure = checkValue(c, 'partition-key-scope', own(item, c.partitionKey), place, c.partitionKey, c.tableKeyLabel);
  if (failure !== undefined || c.indexAttributes.size === 0) return failure;
  for (const [attribute, label] of c.indexAttributes) {
    const value = own(item, attribute);
    if (value === undefined) continue; // not in the index (the Document client drops or refuses undefined)
    const indexFailure = checkValue(c, 'index-partition-scope', value, place, attribute, label);
    if (indexFailure !== undefined) return indexFailure;
  }
  return undefined;
}

function notAnObject(place: string, value: unknown, expected: string): Failure {
  return new Failure('unverifiable-request', `${place} ${describeMissing(value)}`, expected);
}

// --- updates ---------------------------------------------------------------------------------

function checkUpdate(c: Compiled, input: Input): Failure | undefined {
  const expression = own(input, 'UpdateExpression');
  if (expression === undefined || c.indexAttributes.size === 0) return undefined;
  if (typeof expression !== 'string') return new Failure('unverifiable-request', `UpdateExpression ${describeMissing(expression)}`, 'an UpdateExpression string');
  const parsed = parseUpdateExpression(expression);
  if (!parsed.ok) return unreadableExpression('UpdateExpression', expression, parsed.error, 'an UpdateExpression DynamoDB accepts: SET, REMOVE, ADD and DELETE clauses');
  const names = own(input, 'ExpressionAttributeNames');
  for (const action of parsed.value) {
    const attribute = resolveName(action.name, names);
    if (attribute === undefined) return missingName('UpdateExpression', expression, action.name);
    if (action.clause === 'REMOVE') continue; // removing an index key takes the item out of the index
    const label = c.indexAttributes.get(attribute);
    if (label === undefined) continue;
    const failure = checkIndexAssignment(c, input, expression, action, attribute, label);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

function checkIndexAssignment(c: Compiled, input: Input, expression: string, action: UpdateAction, attribute: string, label: string): Failure | undefined {
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
function checkAttributeUpdates(c: Compiled, updates: unknown): Failure | undefined {
  if (updates === undefined || c.indexAttributes.size === 0) return undefined;
  if (typeof updates !== 'object' || updates === null) return notAnObject('AttributeUpdates', updates, 'an AttributeUpdates object');
  for (const [attribute, label] of c.indexAttributes) {
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

function checkQuery(c: Compiled, input: Input): Failure | undefined {
  const tableFailed = checkTable(c, input);
  if (tableFailed !== undefined) return tableFailed;
  const index = own(input, 'IndexName');
  let attribute = c.partitionKey;
  let label = c.tableKeyLabel;
  if (index !== undefined) {
    const indexAttribute = typeof index === 'string' ? c.indexes.get(index) : undefined;
    if (indexAttribute === undefined) {
      const names = [...c.indexes.keys()];
      return new Failure(
        typeof index === 'string' ? 'unknown-index' : 'unverifiable-request',
        `IndexName ${describeMissing(index)}`,
        `an index named in the scope's key attributes (${names.length === 0 ? 'none are' : names.map(quote).join(', ')}) — add the index and its partition-key attribute to KeyAttributes.indexes`,
      );
    }
    attribute = indexAttribute;
    label = c.indexLabels.get(index as string) as string;
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
  const startFailure = checkValue(c, 'partition-key-scope', own(start, c.partitionKey), 'ExclusiveStartKey', c.partitionKey, c.tableKeyLabel);
  if (startFailure !== undefined || attribute === c.partitionKey) return startFailure;
  return checkValue(c, 'partition-key-scope', own(start, attribute), 'ExclusiveStartKey', attribute, label);
}

function keyConditionWanted(attribute: string, label: string): string {
  return `a KeyConditionExpression with exactly one equality "${attribute} = :placeholder" (or "#name = :placeholder") on ${label}, such as "#pk = :pk AND begins_with(#sk, :sk)"`;
}

function checkKeyConditionExpression(c: Compiled, input: Input, expression: unknown, attribute: string, label: string): Failure | undefined {
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
function checkKeyConditions(c: Compiled, conditions: unknown, attribute: string, label: string): Failure | undefined {
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

function checkBatchGet(c: Compiled, input: Input): Failure | undefined {
  const items = own(input, 'RequestItems');
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return notAnObject('RequestItems', items, 'RequestItems: an object of table name → requests');
  for (const table of Object.keys(items)) {
    if (!c.tables.has(table)) return tableFailure(c, `RequestItems[${quote(table)}]`, table);
    const request = (items as Record<string, unknown>)[table];
    const keys = typeof request === 'object' && request !== null ? own(request, 'Keys') : undefined;
    if (!Array.isArray(keys)) return notAnObject(`RequestItems[${quote(table)}].Keys`, keys, 'an array of keys');
    for (let i = 0; i < keys.length; i += 1) {
      const failure = checkKey(c, keys[i], '');
      if (failure !== undefined) return failure.within(`RequestItems[${quote(table)}].Keys[${i}]`);
    }
  }
  return undefined;
}

function checkBatchWrite(c: Compiled, input: Input): Failure | undefined {
  const items = own(input, 'RequestItems');
  if (typeof items !== 'object' || items === null || Array.isArray(items)) return notAnObject('RequestItems', items, 'RequestItems: an object of table name → requests');
  for (const table of Object.keys(items)) {
    if (!c.tables.has(table)) return tableFailure(c, `RequestItems[${quote(table)}]`, table);
    const requests = (items as Record<string, unknown>)[table];
    if (!Array.isArray(requests)) return notAnObject(`RequestItems[${quote(table)}]`, requests, 'an array of { PutRequest } or { DeleteRequest }');
    for (let i = 0; i < requests.length; i += 1) {
      const failure = checkMembers(c, requests[i], BATCH_WRITE_MEMBERS, checkBatchWriteRequest);
      if (failure !== undefined) return failure.within(`RequestItems[${quote(table)}][${i}]`);
    }
  }
  return undefined;
}

function checkBatchWriteRequest(c: Compiled, member: string, body: Input): Failure | undefined {
  return member === 'PutRequest' ? checkItem(c, own(body, 'Item'), 'Item') : checkKey(c, own(body, 'Key'), 'Key');
}

function checkTransactWrite(c: Compiled, input: Input): Failure | undefined {
  return checkTransactItems(c, input, TRANSACT_WRITE_MEMBERS, checkTransactWriteItem);
}

function checkTransactWriteItem(c: Compiled, member: string, body: Input): Failure | undefined {
  const table = checkTable(c, body);
  if (table !== undefined) return table;
  if (member === 'Put') return checkItem(c, own(body, 'Item'), 'Item');
  return checkKey(c, own(body, 'Key'), 'Key') ?? (member === 'Update' ? checkUpdate(c, body) : undefined);
}

function checkTransactGet(c: Compiled, input: Input): Failure | undefined {
  return checkTransactItems(c, input, TRANSACT_GET_MEMBERS, checkTransactGetItem);
}

function checkTransactItems(c: Compiled, input: Input, members: Parameters<typeof checkMembers>[2], check: Parameters<typeof checkMembers>[3]): Failure | undefined {
  const items = own(input, 'TransactItems');
  if (!Array.isArray(items)) return notAnObject('TransactItems', items, 'an array of transaction items');
  for (let i = 0; i < items.length; i += 1) {
    const failure = checkMembers(c, items[i], members, check);
    if (failure !== undefined) return failure.within(`TransactItems[${i}]`);
  }
  return undefined;
}

function checkTransactGetItem(c: Compiled, _member: string, body: Input): Failure | undefined {
  return checkTable(c, body) ?? checkKey(c, own(body, 'Key'), 'Key');
}

const BATCH_WRITE_MEMBERS: ReadonlySet<string> = new Set(['PutRequest', 'DeleteRequest']);
const TRANSACT_WRITE_MEMBERS: ReadonlySet<string> = new Set(['Put', 'Update', 'Delete', 'ConditionCheck']);
const TRANSACT_GET_MEMBERS: ReadonlySet<string> = new Set(['Get']);

/**
 * A union element (`{ Put: {…} }`): each member must be a known one holding an object, and each
 * is checked (DynamoDB accepts exactly one; the guard checks whatever is there). Failures come back
 * relative to the element (`.Put.Item.pk = …`).
 */
function checkMembers(
  c: Compiled,
  element: unknown,
  members: ReadonlySet<string>,
  check: (c: Compiled, member: string, body: Input) => Failure | undefined,
): Failure | undefined {
  const expected = (): string => `an object with one of ${[...members].join(', ')}`;
  if (typeof element !== 'object' || element === null) return notAnObject('', element, expected());
  let count = 0;
  for (const member of Object.keys(element)) {
    count += 1;
    if (!members.has(member)) return new Failure('unverifiable-request', `${access(member)}, which is not a request the guard knows`, expected());
    const body = (element as Record<string, unknown>)[member];
    if (typeof body !== 'object' || body === null) return notAnObject(access(member), body, expected());
    const failure = check(c, member, body as Input);
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

// ---------------------------------------------------------------------------------------------
// Small helpers

function own(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `.pk`, or `[":pk"]` / `["odd name"]` for names that are not identifiers. */
function access(name: string): string {
  return SIMPLE_NAME.test(name) ? `.${name}` : `[${quote(name)}]`;
}

const MAX_SHOWN = 64;
/** Characters JSON.stringify leaves as they are but a reader cannot see (C1 controls, zero-width and bidi marks, separators). */
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/** A string in double quotes, control and invisible characters escaped, long ones shortened. */
function quote(text: string): string {
  const shown = text.length > MAX_SHOWN + 8 ? `${text.slice(0, MAX_SHOWN)}…` : text;
  const quoted = JSON.stringify(shown).replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown === text ? quoted : `${quoted} (${text.length} characters)`;
}

/** `is missing`, or `= <value>` for a value that is present. */
function describeMissing(value: unknown): string {
  return value === undefined ? 'is missing' : `= ${describeValue(value)}`;
}

function describeValue(value: unknown, depth = 0): string {
  if (typeof value === 'string') return quote(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (a ${typeof value})`;
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Set) return `a Set of ${value.size}`;
  if (value instanceof Uint8Array) return `binary data (${value.byteLength} bytes)`;
  const members = Object.keys(value);
  if (members.length === 0) return '{} (an empty object)';
  if (members.length === 1 && depth === 0) {
    const [member] = members as [string];
    return `{ ${SIMPLE_NAME.test(member) ? member : quote(member)}: ${describeValue((value as Record<string, unknown>)[member], 1)} }`;
  }
  const shown = members.slice(0, 4).map((member) => (SIMPLE_NAME.test(member) ? member : quote(member)));
  return `an object with ${members.length > 4 ? `${shown.join(', ')}, …` : shown.join(', ')}`;
}
