// Table names: literals in requests are findings; expectations, responses and fixtures are not.
import { DynamoDB, type DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type GetCommandInput, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import * as lib from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';

declare const documents: DynamoDBDocumentClient;
declare const low: DynamoDB;
declare const aggregated: lib.DynamoDBDocument;
declare const scope: { table(name: string): string };
declare const stage: string;
const defaults = { ConsistentRead: true };
const TABLE = 'orders';

export async function requests() {
  await documents.send(new GetCommand({ TableName: 'orders', Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new GetCommand({ TableName: 'orders' as const, Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new GetCommand({ TableName: <string>'orders', Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new GetCommand({ TableName: 'orders' satisfies string, Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new GetCommand({ TableName: ('orders'), Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new GetCommand({ TableName: `orders`, Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new GetCommand({ ...defaults, TableName: 'orders', Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new GetCommand({ ['TableName']: 'orders', Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new lib.PutCommand({ TableName: 'orders', Item: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(
    new QueryCommand({
      TableName: 'orders', // expect: no-literal-table-name
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'a' },
    }),
  );
  await documents.send(
    new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: 'orders', Item: { pk: 'a' } } }], // expect: no-literal-table-name
    }),
  );
  await low.getItem({ TableName: 'orders', Key: { pk: { S: 'a' } } }); // expect: no-literal-table-name
  const input: GetCommandInput = { TableName: 'orders', Key: { pk: 'a' } }; // expect: no-literal-table-name
  const put = { TableName: 'orders', Item: { pk: 'a' } } satisfies PutCommandInput; // expect: no-literal-table-name
  const query: lib.QueryCommandInput = { TableName: 'orders', KeyConditionExpression: 'pk = :pk' }; // expect: no-literal-table-name
  return [input, put, query];
}

export async function requestsBuiltApart() {
  const params = { TableName: 'orders', Key: { pk: 'a' } }; // expect: no-literal-table-name
  await documents.send(new GetCommand(params));
  const query = { TableName: 'orders', KeyConditionExpression: 'pk = :pk' }; // expect: no-literal-table-name
  await aggregated.query(query);
  lib.paginateQuery({ client: documents }, { TableName: 'orders', KeyConditionExpression: 'pk = :pk' }); // expect: no-literal-table-name
  await documents.send(new GetCommand({ ...{ TableName: 'orders' }, Key: { pk: 'a' } })); // expect: no-literal-table-name
}

export function notDynamoDb(http: { put(path: string, body: object): void }) {
  http.put('/admin/tables', { TableName: 'orders' }); // valid: a path first, so an HTTP call, not a DynamoDB operation
}

export async function scopedRequests() {
  await documents.send(new GetCommand({ TableName: scope.table('orders'), Key: { pk: 'a' } })); // valid
  await documents.send(new GetCommand({ TableName: `orders-${stage}`, Key: { pk: 'a' } })); // valid: not a literal
  await documents.send(new PutCommand({ TableName: TABLE, Item: { pk: 'a' } })); // valid: a name, not a literal (the scope's table() is still the fix)
}

export function expectations(sent: unknown, described: DescribeTableCommandOutput) {
  expect(sent).toEqual({ TableName: 'orders', Key: { pk: 'a' } }); // valid: a test expectation
  const response: DescribeTableCommandOutput = { $metadata: {}, Table: { TableName: 'orders' } }; // valid: a response
  const fixture = { TableName: 'orders', Item: { pk: 'a' } }; // valid: a fixture, not (yet) a request
  return [response, fixture, described.Table?.TableName === 'orders'];
}
