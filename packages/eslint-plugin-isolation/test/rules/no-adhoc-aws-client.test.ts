import rule from '../../src/rules/no-adhoc-aws-client.js';
import { ruleTester } from '../rule-tester.js';

// Relative file names keep RuleTester's working directory, as in a real project.
ruleTester.run('no-adhoc-aws-client', rule, {
  valid: [
    // Commands are not clients.
    `import { GetItemCommand } from '@aws-sdk/client-dynamodb';
const command = new GetItemCommand({ TableName: table, Key: key });`,
    // A local class of the same name is not the SDK's.
    `class DynamoDBClient {}
const local = new DynamoDBClient();`,
    // Shadowed inside a function.
    `import { S3Client } from '@aws-sdk/client-s3';
function make(S3Client: new () => object) { return new S3Client(); }`,
    // The factory itself may build clients.
    {
      code: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const base = new DynamoDBClient({});`,
      filename: 'src/platform/aws.ts',
      options: [{ allow: ['src/platform/**'] }],
    },
    // Scoped clients are how it should be done.
    `import { S3Client } from '@aws-sdk/client-s3';
const s3 = scope.client(S3Client);`,
    // A Document client over a scope's client shares its guarded stack: marshalling options are fine.
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const documents = DynamoDBDocumentClient.from(scope.client(DynamoDBClient), { marshallOptions: { removeUndefinedValues: true } });
const base = scope.dynamo();
const other = DynamoDBDocumentClient.from(base);`,
    // A client handed in could be a scope's; one built elsewhere in the file is reported where it is built.
    `import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export class Repository { constructor(client: object) { this.documents = DynamoDBDocumentClient.from(client); } documents: unknown; }`,
    // Exceptions, commands and paginators of a client module are not clients.
    `import { ResourceNotFoundException, DynamoDBServiceException, paginateQuery } from '@aws-sdk/client-dynamodb';
throw new ResourceNotFoundException({ message: 'gone', $metadata: {} });`,
    // A module merely named like the SDK is not it.
    `import { DynamoDBClient } from './fakes/aws-sdk';
new DynamoDBClient({});`,
  ],
  invalid: [
    {
      code: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ region: 'us-east-1' });`,
      errors: [{ messageId: 'adhocClient', data: { construction: 'new DynamoDBClient(…)', replacement: 'dynamo()' }, line: 2, column: 16, endColumn: 59 }],
    },
    {
      code: `import { S3Client as Storage } from '@aws-sdk/client-s3';
import * as sqs from '@aws-sdk/client-sqs';
const storage = new Storage({});
const queue = new sqs.SQSClient({});`,
      errors: [
        { messageId: 'adhocClient', data: { construction: 'new S3Client(…)', replacement: 'client(S3Client)' }, line: 3, column: 17 },
        { messageId: 'adhocClient', data: { construction: 'new SQSClient(…)', replacement: 'client(SQSClient)' }, line: 4, column: 15 },
      ],
    },
    {
      // One mistake, one report: the Document client over a client built in the call.
      code: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));`,
      errors: [{ messageId: 'adhocClient', data: { construction: 'DynamoDBDocumentClient.from(…)', replacement: 'dynamo()' }, line: 3, column: 19 }],
    },
    {
      // Aggregated clients: the service name itself, and lib-dynamodb's DynamoDBDocument.
      code: `import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { S3 } from '@aws-sdk/client-s3';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocument } from '@aws-sdk/lib-dynamodb';
const db = new DynamoDB({});
const s3 = new S3({});
const secrets = new SecretsManager({});
const documents = DynamoDBDocument.from(new DynamoDB({}));`,
      errors: [
        { messageId: 'adhocClient', data: { construction: 'new DynamoDB(…)', replacement: 'dynamo()' }, line: 5, column: 12 },
        { messageId: 'adhocClient', data: { construction: 'new S3(…)', replacement: 'client(S3Client)' }, line: 6, column: 12 },
        { messageId: 'adhocClient', data: { construction: 'new SecretsManager(…)', replacement: 'client(SecretsManagerClient)' }, line: 7, column: 17 },
        { messageId: 'adhocClient', data: { construction: 'DynamoDBDocument.from(…)', replacement: 'dynamo()' }, line: 8, column: 19 },
      ],
    },
    {
      // CommonJS and dynamic imports, and a parenthesised class.
      code: `const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const sqs = require('@aws-sdk/client-sqs');
import sns = require('@aws-sdk/client-sns');
const S3Client = require('@aws-sdk/client-s3').S3Client;
async function later() {
  const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
  return new EventBridgeClient({});
}
new (DynamoDBClient)({});
new sqs.SQSClient({});
new sns.SNSClient({});
new S3Client({});`,
      errors: [
        { messageId: 'adhocClient', data: { construction: 'new EventBridgeClient(…)', replacement: 'client(EventBridgeClient)' }, line: 7, column: 10 },
        { messageId: 'adhocClient', data: { construction: 'new DynamoDBClient(…)', replacement: 'dynamo()' }, line: 9, column: 1 },
        { messageId: 'adhocClient', data: { construction: 'new SQSClient(…)', replacement: 'client(SQSClient)' }, line: 10, column: 1 },
        { messageId: 'adhocClient', data: { construction: 'new SNSClient(…)', replacement: 'client(SNSClient)' }, line: 11, column: 1 },
        { messageId: 'adhocClient', data: { construction: 'new S3Client(…)', replacement: 'client(S3Client)' }, line: 12, column: 1 },
      ],
    },
    {
      code: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const base = new DynamoDBClient({});`,
      filename: 'src/handlers/accounts.ts',
      options: [{ allow: ['src/platform/**'] }],
      errors: [{ messageId: 'adhocClient', line: 2, column: 21 }],
    },
  ],
});
