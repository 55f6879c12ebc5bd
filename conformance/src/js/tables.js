// Plain JavaScript: table names in requests and in test data.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/** @param {{ send: (command: unknown) => Promise<unknown> }} documents */
export async function load(documents) {
  await documents.send(new GetCommand({ TableName: 'orders', Key: { pk: 'a' } })); // expect: no-literal-table-name
  await documents.send(new PutCommand({ TableName: /** @type {string} */ ('orders'), Item: { pk: 'a' } })); // expect: no-literal-table-name
  return { TableName: 'orders' }; // valid: a response
}
