/**
 * Where a table names its partitions: the table's partition-key attribute and each index's. The
 * guard needs this per table to see every partition a write lands in — an item written with
 * `gsi1pk = TENANT#globex#…` is served from globex's index partition whether or not anyone
 * declared the index. Two sources:
 *
 * - declared: the factory's `KeyAttributes` (`pk`, and `indexes: { gsi1: 'gsi1pk' }`), taken as
 *   the whole truth for every table;
 * - described (the factory's default): DynamoDB's own `DescribeTable`, read once per table through
 *   the factory's platform credentials and cached (`key-schemas.ts`); the declaration is then
 *   checked against it and a contradiction refuses the table's commands.
 */
import { quote } from './guard-format.js';
import type { KeyAttributes } from './scope.js';

/** A table's key schema, reduced to partition keys. */
export interface KeySchema {
  /** The table's partition-key (HASH) attribute. */
  readonly partitionKey: string;
  /** Every secondary index (global and local) with its partition-key (HASH) attributes. */
  readonly indexes: readonly { readonly name: string; readonly partitionKeys: readonly string[] }[];
}

/** What the guard reads per table, with the labels its messages use precomputed. */
export interface TableKeys {
  readonly partitionKey: string;
  /** `the partition key (pk)` */
  readonly tableKeyLabel: string;
  /** Index name → its partition-key attribute, or `null` for a partition key of several attributes (not queryable through the guard). */
  readonly indexes: ReadonlyMap<string, string | null>;
  /** Index partition-key attributes other than the table's → their label; every write of one must carry the scope's prefix. */
  readonly indexAttributes: ReadonlyMap<string, string>;
  /** Index name → the label of its partition key. */
  readonly indexLabels: ReadonlyMap<string, string>;
  /** Where these keys come from, for messages. */
  readonly source: 'declared' | 'DescribeTable';
  /** Set when the declaration contradicts the table: the guard refuses the table's commands with it. */
  readonly conflict?: { readonly found: string; readonly expected: string } | undefined;
}

/** Where the guard gets a table's keys: synchronously when known, else by loading them first. */
export interface KeySchemaSource {
  /** The keys of `table` if they are known now (called on every command: must be cheap). */
  peek(table: string): TableKeys | undefined;
  /** Loads the keys of `table`, caching them for `peek`. Rejects when they cannot be read. */
  load(table: string): Promise<TableKeys>;
}

/** The declared key attributes as a key schema. */
export function declaredKeySchema(keys: KeyAttributes): KeySchema {
  return { partitionKey: keys.partitionKey, indexes: Object.entries(keys.indexes).map(([name, attribute]) => ({ name, partitionKeys: [attribute] })) };
}

export function tableKeysOf(schema: KeySchema, source: TableKeys['source'], conflict?: TableKeys['conflict']): TableKeys {
  const indexes = new Map<string, string | null>();
  const users = new Map<string, string[]>();
  for (const { name, partitionKeys } of schema.indexes) {
    indexes.set(name, partitionKeys.length === 1 ? (partitionKeys[0] as string) : null);
    for (const attribute of partitionKeys) {
      const list = users.get(attribute);
      if (list === undefined) users.set(attribute, [name]);
      else list.push(name);
    }
  }
  const attributeLabel = (attribute: string): string => {
    const names = users.get(attribute) ?? [];
    return `the partition key of index${names.length > 1 ? 'es' : ''} ${names.join(', ')} (${attribute})`;
  };
  const indexAttributes = new Map<string, string>();
  for (const attribute of users.keys()) if (attribute !== schema.partitionKey) indexAttributes.set(attribute, attributeLabel(attribute));
  const indexLabels = new Map<string, string>();
  for (const { name, partitionKeys } of schema.indexes) {
    const [only] = partitionKeys;
    if (partitionKeys.length !== 1 || only === undefined) indexLabels.set(name, `the partition key of index ${name} (${partitionKeys.join(' + ') || 'none'}: ${partitionKeys.length} attributes)`);
    else indexLabels.set(name, only === schema.partitionKey ? `the partition key of index ${name} (${only}, the table's)` : attributeLabel(only));
  }
  return { partitionKey: schema.partitionKey, tableKeyLabel: `the partition key (${schema.partitionKey})`, indexes, indexAttributes, indexLabels, source, conflict };
}

/**
 * The described schema, checked against the declaration: the table's partition key and every
 * declared index the table has must agree (indexes declared for other tables are ignored).
 */
export function reconcile(table: string, declared: KeyAttributes, described: KeySchema): TableKeys {
  const found: string[] = [];
  const expected: string[] = [];
  if (described.partitionKey !== declared.partitionKey) {
    found.push(`partition key ${quote(described.partitionKey)}`);
    expected.push(`keys.partitionKey = ${quote(described.partitionKey)} (declared ${quote(declared.partitionKey)})`);
  }
  for (const { name, partitionKeys } of described.indexes) {
    const attribute = declared.indexes[name];
    if (attribute === undefined || (partitionKeys.length === 1 && partitionKeys[0] === attribute)) continue;
    found.push(`index ${name} on ${partitionKeys.map(quote).join(' + ')}`);
    expected.push(partitionKeys.length === 1 ? `keys.indexes.${name} = ${quote(partitionKeys[0] as string)} (declared ${quote(attribute)})` : `no declaration of ${name} (declared ${quote(attribute)})`);
  }
  if (found.length === 0) return tableKeysOf(described, 'DescribeTable');
  return tableKeysOf(described, 'DescribeTable', {
    found: `table ${quote(table)}, whose key schema (DescribeTable) has ${found.join(', ')}, contradicting the declared key attributes`,
    expected: `createClientFactory({ keys }) to match the table: ${expected.join('; ')}`,
  });
}

/** The declaration as the whole truth for every table (no DescribeTable). */
export function declaredKeySchemas(keys: KeyAttributes): KeySchemaSource {
  const known = tableKeysOf(declaredKeySchema(keys), 'declared');
  return { peek: () => known, load: () => Promise.resolve(known) };
}
