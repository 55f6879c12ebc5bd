/**
 * Page cursors: a query page's `LastEvaluatedKey` as an opaque string that can travel through an
 * HTTP response and back. A cursor comes back from the caller, so it is read as untrusted input:
 * it must hold exactly the table's key attributes as strings, and its partition key must be the
 * one of the query it continues. A cursor of another partition, tenant or capsule is refused here
 * (and its partition key would be refused by the guard as well).
 */
import type { KeyAttributes } from '../aws/scope.js';

/** Far above any key DynamoDB allows (2 KB partition key, 1 KB sort key), encoded. */
const MAX_CURSOR_LENGTH = 8192;

export function encodeCursor(lastEvaluatedKey: Readonly<Record<string, unknown>> | undefined): string | undefined {
  return lastEvaluatedKey === undefined ? undefined : Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

/** The `ExclusiveStartKey` a cursor stands for, or a `TypeError` saying why it is no cursor of this query. */
export function decodeCursor(cursor: unknown, partitionKey: string, keys: KeyAttributes, operation: string): Record<string, string> {
  const refuse = (found: string): never => {
    throw new TypeError(`${operation}: cursor ${found}; expected the cursor of the previous page of this same query (same partition), as the query returned it`);
  };
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    return refuse(typeof cursor === 'string' ? `is no cursor (${cursor.length} characters)` : `is of type ${cursor === null ? 'null' : typeof cursor}`);
  }
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return refuse('does not decode');
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return refuse('does not hold a key');
  const attributes = Object.keys(key);
  const expected = new Set([keys.partitionKey, keys.sortKey]);
  const values = key as Record<string, unknown>;
  if (attributes.some((attribute) => !expected.has(attribute) || typeof values[attribute] !== 'string')) return refuse(`holds attributes other than ${[...expected].join(' and ')} as strings`);
  if (values[keys.partitionKey] !== partitionKey) return refuse('belongs to another partition');
  return values as Record<string, string>;
}
