/**
 * What one tenant's traffic can do to another's through the shared factory, against dynalite
 * (in-process DynamoDB) and a local STS endpoint speaking AssumeRole's wire format:
 *
 * - evicting a scope from the factory's cache destroyed its clients at once, so a request another
 *   caller had on the wire failed ("socket hang up", with retries off): clients are now destroyed
 *   once their requests have settled;
 * - with `scopedCredentials`, every new capsule scope is one AssumeRole, and capsule ids often come
 *   from request paths: 200 made-up capsules cost 200 AssumeRole calls. New sessions are now
 *   bounded per tenant and interval.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClientFactory } from '../src/aws/index.js';
import { startStsServer, type StsServer } from '../src/testing/sts-server.js';
import { createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';
import { startHoldingProxy, type HoldingProxy } from './support/holding-proxy.js';

const OURS = 'TENANT#acme#CAPSULE#DEV#ORDER#1';
/** acme/DEV's physical name of the logical table `orders`. */
const TABLE = createClientFactory({ region: 'us-east-1', tables: ['orders'] }).capsule('acme', 'DEV').table('orders');

let dynamo: LocalDynamo;
let proxy: HoldingProxy;
let sts: StsServer;

beforeAll(async () => {
  dynamo = await startDynalite();
  proxy = await startHoldingProxy(dynamo.endpoint);
  sts = await startStsServer();
  const admin = lowLevelClient(dynamo.endpoint);
  await createTestTable(admin, TABLE);
  await admin.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: OURS }, sk: { S: 'A' }, secret: { S: 'acme order' } } }));
  admin.destroy();
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await sts?.close();
  await dynamo?.stop();
});

describe('evicting a scope while its request is in flight', () => {
  it('lets the request finish, then destroys the client', async () => {
    const aws = createClientFactory({ region: 'us-east-1', endpoint: proxy.endpoint, credentials: DUMMY_CREDENTIALS, tables: ['orders'], keys: TEST_KEYS, keySchemas: 'declared', maxScopes: 1, clientConfig: { maxAttempts: 1 } });
    const client = aws.capsule('acme', 'DEV').client(DynamoDBClient);
    const destroy = vi.spyOn(client, 'destroy');
    const pending = client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: OURS }, sk: { S: 'A' } } }));
    await proxy.untilHeld(1);
    // Another tenant's scope takes the only cache slot: acme/DEV is evicted with its request on the wire.
    aws.capsule('globex', 'DEV');
    expect(destroy).not.toHaveBeenCalled();
    proxy.release();
    const { Item } = await pending;
    expect(Item?.['secret']).toEqual({ S: 'acme order' });
    expect(destroy).toHaveBeenCalledTimes(1);
    aws.destroy();
  });

  it('destroys the clients of an idle evicted scope at once, and the next request makes a new one', () => {
    const aws = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, maxScopes: 1 });
    const client = aws.capsule('acme', 'DEV').client(DynamoDBClient);
    const destroy = vi.spyOn(client, 'destroy');
    aws.capsule('globex', 'DEV');
    expect(destroy).toHaveBeenCalledTimes(1);
    expect(aws.capsule('acme', 'DEV').client(DynamoDBClient)).not.toBe(client);
    aws.destroy();
  });
});

describe('scoped credentials: new sessions per tenant', () => {
  const roleArn = 'arn:aws:iam::123456789012:role/TenantData';
  const walled = (newSessionsPerTenant?: { limit: number; intervalSeconds: number }): ReturnType<typeof createClientFactory> =>
    createClientFactory({
      region: 'us-east-1',
      endpoint: dynamo.endpoint,
      credentials: DUMMY_CREDENTIALS,
      tables: ['orders'],
      keys: TEST_KEYS,
      keySchemas: 'declared',
      operator: { stsEndpoint: sts.endpoint },
      scopedCredentials: { accountId: '123456789012', roleName: 'TenantData', ...(newSessionsPerTenant === undefined ? {} : { newSessionsPerTenant }) },
      clientConfig: { maxAttempts: 1 },
    });

  it('200 made-up capsules of one tenant cost at most 10 AssumeRole calls a minute; other tenants are unaffected', async () => {
    sts.reset();
    const aws = walled();
    const refused: unknown[] = [];
    for (let i = 0; i < 200; i += 1) {
      let scope;
      try {
        scope = aws.capsule('acme', `MADEUP${i}`);
      } catch (error) {
        refused.push(error);
        continue;
      }
      // The first request of a scope assumes its role (the table does not exist: only the AssumeRole counts).
      await scope.client(DynamoDBClient).send(new GetItemCommand({ TableName: scope.table('orders'), Key: { pk: { S: `${scope.keyPrefix}X` }, sk: { S: 'A' } } })).catch(() => undefined);
    }
    expect(sts.calls(roleArn)).toBe(10);
    expect(refused).toHaveLength(190);
    expect(refused[0]).toMatchObject({ name: 'SessionBudgetError', tenantId: 'acme', limit: 10, intervalSeconds: 60 });
    expect((refused[0] as Error).message).toMatch(/^tenant "acme" has started 10 new scoped-credential sessions \(AssumeRole\) in the last 60 s/);
    // Scopes whose sessions exist stay free, and another tenant has a budget of its own.
    expect(() => aws.capsule('acme', 'MADEUP3')).not.toThrow();
    const globex = aws.capsule('globex', 'DEV');
    await globex.client(DynamoDBClient).send(new GetItemCommand({ TableName: globex.table('orders'), Key: { pk: { S: `${globex.keyPrefix}X` }, sk: { S: 'A' } } }));
    expect(sts.calls(roleArn)).toBe(11);
    aws.destroy();
  });

  it('opens the window again after the interval', async () => {
    const aws = walled({ limit: 1, intervalSeconds: 0.2 });
    aws.capsule('acme', 'ONE');
    expect(() => aws.capsule('acme', 'TWO')).toThrow(/retry in 1 s/);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(() => aws.capsule('acme', 'TWO')).not.toThrow();
    aws.destroy();
  });

  it('refuses a budget that is not a positive limit and interval', () => {
    expect(() => walled({ limit: 0, intervalSeconds: 60 })).toThrow(/limit must be a whole number ≥ 1, found 0/);
    expect(() => walled({ limit: 5, intervalSeconds: -1 })).toThrow(/intervalSeconds must be a number of seconds > 0, found -1/);
  });
});
