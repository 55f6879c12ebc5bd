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
      code: `import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const documents = DynamoDBDocumentClient.from(base);`,
      errors: [{ messageId: 'adhocClient', data: { construction: 'DynamoDBDocumentClient.from(…)', replacement: 'dynamo()' }, line: 2, column: 19 }],
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
