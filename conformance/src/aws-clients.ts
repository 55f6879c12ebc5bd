// AWS clients built outside the scope factory, in every import form; clients a scope handed out are fine.
import { DynamoDB, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient as Bus } from '@aws-sdk/client-eventbridge';
import * as s3 from '@aws-sdk/client-s3';
import { GetObjectCommand, S3, S3Client } from '@aws-sdk/client-s3';
import s3Default from '@aws-sdk/client-s3';
import type { STSClient as StsClientType } from '@aws-sdk/client-sts';
import sts = require('@aws-sdk/client-sts');
import { DynamoDBDocument, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

declare const scope: {
  client<T>(client: new (config: object) => T): T;
  dynamo(): DynamoDBDocumentClient;
};

export const plain = new S3Client({}); // expect: no-adhoc-aws-client
export const parenthesized = new (S3Client)({}); // expect: no-adhoc-aws-client
export const renamed = new Bus({}); // expect: no-adhoc-aws-client
export const namespaced = new s3.S3Client({}); // expect: no-adhoc-aws-client
export const namespacedAggregate = new s3.S3({}); // expect: no-adhoc-aws-client
export const defaultImport = new s3Default.S3Client({}); // expect: no-adhoc-aws-client
export const aggregated = new DynamoDB({}); // expect: no-adhoc-aws-client
export const aggregatedS3 = new S3({}); // expect: no-adhoc-aws-client
export const importEquals = new sts.STSClient({}); // expect: no-adhoc-aws-client
// One mistake, one report: the Document client over a client built in the call.
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({})); // expect: no-adhoc-aws-client

const base = new DynamoDBClient({ region: 'us-east-1' }); // expect: no-adhoc-aws-client
// The client it wraps is reported where it is built.
export const overBase = DynamoDBDocument.from(base); // valid
// A client handed in could be a scope's: out of sight, so silent.
export const overParameter = (client: DynamoDBClient): unknown => DynamoDBDocumentClient.from(client); // valid

export const required = (): unknown => {
  const { S3Client: Required } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  return new Required({}); // expect: no-adhoc-aws-client
};
export const requiredModule = (): unknown => {
  const module = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
  return new module.STSClient({}); // expect: no-adhoc-aws-client
};
export const requiredInline = (): unknown => new (require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts')).STSClient({}); // expect: no-adhoc-aws-client
export async function imported(): Promise<unknown> {
  const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
  return new EventBridgeClient({}); // expect: no-adhoc-aws-client
}
export async function importedInline(): Promise<unknown> {
  return new (await import('@aws-sdk/client-sts')).STSClient({}); // expect: no-adhoc-aws-client
}

// Clients a scope handed out, commands, types, and look-alikes are no ad-hoc clients.
export const scoped = scope.client(S3Client); // valid
export const scopedDocuments = DynamoDBDocumentClient.from(scope.client(DynamoDBClient)); // valid
const scopedBase = scope.client(DynamoDBClient);
export const scopedDocument = DynamoDBDocument.from(scopedBase); // valid
export const command = new GetObjectCommand({ Bucket: 'b', Key: 'k' }); // valid
export let typed: StsClientType | undefined; // valid
export function shadowed() {
  class S3Client {
    constructor(readonly config: object) {}
  }
  return new S3Client({}); // valid: a local class of the same name
}
