// Plain JavaScript: clients in CommonJS and ESM forms.
import { S3Client } from '@aws-sdk/client-s3';

const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const sts = require('@aws-sdk/client-sts');
const EventBridgeClient = require('@aws-sdk/client-eventbridge').EventBridgeClient;

export const s3 = new S3Client({}); // expect: no-adhoc-aws-client
export const dynamo = new DynamoDBClient({}); // expect: no-adhoc-aws-client
export const tokens = new sts.STSClient({}); // expect: no-adhoc-aws-client
export const bus = new EventBridgeClient({}); // expect: no-adhoc-aws-client
export const inline = new (require('@aws-sdk/client-s3').S3Client)({}); // expect: no-adhoc-aws-client

export async function lazy() {
  const { STSClient } = await import('@aws-sdk/client-sts');
  return new STSClient({}); // expect: no-adhoc-aws-client
}

/** @param {{ client: (c: unknown) => unknown }} scope */
export function scoped(scope) {
  return scope.client(S3Client); // valid
}
