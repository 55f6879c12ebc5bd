/**
 * Batches within DynamoDB's limits (100 keys per BatchGetItem, 25 writes per BatchWriteItem), with
 * what DynamoDB leaves unprocessed sent again after a growing pause, a bounded number of times.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = Record<string, string>;
type Item = Record<string, unknown>;
export type WriteRequest = { readonly PutRequest: { readonly Item: Item } } | { readonly DeleteRequest: { readonly Key: Key } };

const GET_LIMIT = 100;
const WRITE_LIMIT = 25;
const ATTEMPTS = 8;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < list.length; start += size) out.push(list.slice(start, start + size));
  return out;
}

const pause = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 2000)));

function unprocessedError(operation: string, count: number): Error {
  return new Error(`${operation}: DynamoDB left ${count} request(s) unprocessed after ${ATTEMPTS} attempts (throughput exceeded); retry later or raise the table's capacity`);
}

/** The items found for `keys` (distinct keys; DynamoDB refuses a batch that names one twice). */
export async function batchGet(client: DynamoDBDocumentClient, table: string, keys: readonly Key[], consistentRead: boolean | undefined, operation: string): Promise<Item[]> {
  const found: Item[] = [];
  for (const chunk of chunks(keys, GET_LIMIT)) {
    let pending: Key[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt === ATTEMPTS) throw unprocessedError(operation, pending.length);
      if (attempt > 0) await pause(attempt);
      const result = await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ...(consistentRead === undefined ? {} : { ConsistentRead: consistentRead }) } } }));
      found.push(...(result.Responses?.[table] ?? []));
      pending = (result.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
    }
  }
  return found;
}

export async function batchWrite(client: DynamoDBDocumentClient, table: string, requests: readonly WriteRequest[], operation: string): Promise<void> {
  for (const chunk of chunks(requests, WRITE_LIMIT)) {
    let pending: readonly WriteRequest[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt === ATTEMPTS) throw unprocessedError(operation, pending.length);
      if (attempt > 0) await pause(attempt);
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending as WriteRequest[] } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  }
}
