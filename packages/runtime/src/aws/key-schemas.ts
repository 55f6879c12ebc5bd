/**
 * Key schemas learned from DynamoDB: one `DescribeTable` per table at its first use, through a
 * client the caller owns (the factory's, with the platform credentials: a scope's own session
 * policy does not allow DescribeTable), then cached. Concurrent first uses share one call; a failed
 * call is not cached (the command waiting on it is refused, the next one tries again). Entries
 * older than `maxAgeMs` keep serving while one background call refreshes them, so an index added
 * later is enforced from the first command after that time, without any request waiting.
 */
import { DescribeTableCommand, type DescribeTableCommandOutput, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { quote } from './guard-format.js';
import type { KeyAttributes } from './scope.js';
import { reconcile, type KeySchema, type KeySchemaSource, type TableKeys } from './table-keys.js';

/** Thrown (as the refusal's cause) when a table's key schema cannot be read. */
export class KeySchemaError extends Error {
  override readonly name = 'KeySchemaError';
  constructor(
    readonly table: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot read the key schema of table ${quote(table)}: ${message}`, options);
  }
}

/** Something that sends a `DescribeTableCommand` (an unguarded DynamoDB client). */
export interface DescribeTableSender {
  send(command: DescribeTableCommand): Promise<DescribeTableCommandOutput>;
}

/** Reads a table's partition keys with DescribeTable. */
export async function describeKeySchema(client: DescribeTableSender, table: string): Promise<KeySchema> {
  let output: DescribeTableCommandOutput;
  try {
    output = await client.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    throw new KeySchemaError(table, `DescribeTable failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
  }
  const described = output.Table;
  const partitionKeys = hashKeys(described?.KeySchema);
  if (described === undefined || partitionKeys.length !== 1) {
    throw new KeySchemaError(table, `DescribeTable answered ${described === undefined ? 'no table' : `${partitionKeys.length} partition-key attributes`}; expected exactly one`);
  }
  const indexes = [...(described.GlobalSecondaryIndexes ?? []), ...(described.LocalSecondaryIndexes ?? [])].map((index) => {
    if (typeof index.IndexName !== 'string') throw new KeySchemaError(table, 'DescribeTable answered an index without a name');
    return { name: index.IndexName, partitionKeys: hashKeys(index.KeySchema) };
  });
  return { partitionKey: partitionKeys[0] as string, indexes };
}

function hashKeys(schema: readonly KeySchemaElement[] | undefined): string[] {
  return (schema ?? []).filter((element) => element.KeyType === 'HASH' && typeof element.AttributeName === 'string').map((element) => element.AttributeName as string);
}

export interface DescribedKeySchemasOptions {
  /** Reads one table's key schema; default DescribeTable through `client`. */
  readonly describe: (table: string) => Promise<KeySchema>;
  /** The declaration, checked against what is described. */
  readonly declared: KeyAttributes;
  /** How long a described schema is used before a background refresh; default 5 minutes. */
  readonly maxAgeMs?: number | undefined;
  /** Most tables cached; default 1000. */
  readonly maxTables?: number | undefined;
}

interface Entry {
  keys: TableKeys | undefined;
  /** Set by a timer when the keys reach `maxAgeMs`: a flag is cheaper to read on every command than the clock. */
  stale: boolean;
  pending: Promise<TableKeys> | undefined;
}

const DEFAULT_MAX_AGE_MS = 5 * 60_000;

export class DescribedKeySchemas implements KeySchemaSource {
  readonly #describe: (table: string) => Promise<KeySchema>;
  readonly #declared: KeyAttributes;
  readonly #maxAgeMs: number;
  readonly #maxTables: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: DescribedKeySchemasOptions) {
    this.#describe = options.describe;
    this.#declared = options.declared;
    this.#maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.#maxTables = options.maxTables ?? 1000;
  }

  peek(table: string): TableKeys | undefined {
    const entry = this.#entries.get(table);
    if (entry?.keys === undefined) return undefined;
    if (entry.stale && entry.pending === undefined) void this.#refresh(table, entry).catch(() => undefined);
    return entry.keys;
  }

  load(table: string): Promise<TableKeys> {
    let entry = this.#entries.get(table);
    if (entry?.keys !== undefined) return Promise.resolve(entry.keys);
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxTables) this.#entries.delete(this.#entries.keys().next().value as string);
      entry = { keys: undefined, stale: false, pending: undefined };
      this.#entries.set(table, entry);
    }
    return entry.pending ?? this.#refresh(table, entry);
  }

  #refresh(table: string, entry: Entry): Promise<TableKeys> {
    const pending = this.#describe(table).then(
      (schema) => {
        entry.keys = reconcile(table, this.#declared, schema);
        entry.pending = undefined;
        this.#expire(entry, this.#maxAgeMs);
        return entry.keys;
      },
      (error: unknown) => {
        // Not cached: the next command asks again (a stale schema keeps serving, retried after a pause).
        entry.pending = undefined;
        if (entry.keys !== undefined) this.#expire(entry, Math.min(30_000, this.#maxAgeMs));
        throw error instanceof KeySchemaError ? error : new KeySchemaError(table, String(error), { cause: error });
      },
    );
    entry.pending = pending;
    return pending;
  }

  /** Marks the entry stale after `ms`; the timer never keeps the process alive. */
  #expire(entry: Entry, ms: number): void {
    entry.stale = false;
    setTimeout(() => {
      entry.stale = true;
    }, ms).unref();
  }
}
