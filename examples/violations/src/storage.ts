import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

// An ad-hoc client no isolation guard watches (reported where it is built; the Document client over
// it is the same mistake), a literal table name, and a stray environment read.
const base = new DynamoDBClient({ region: 'us-east-1' });
const documents = DynamoDBDocumentClient.from(base);

export async function loadAccount(id: string) {
  return documents.send(new GetCommand({ TableName: 'crm_data', Key: { pk: id } }));
}

export const stage = process.env.STAGE;
