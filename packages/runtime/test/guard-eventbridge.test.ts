/**
 * A tenant or capsule scope's EventBridge client (the one `scope.publish` uses) against the local
 * EventBridge endpoint: it sends PutEvents and nothing else, and no entry it sends may speak for
 * another tenant or capsule — whoever builds the entries, `publish` or code holding the client.
 */
import { EventBridgeClient, PutEventsCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory } from '../src/aws/index.js';
import { startEventBridgeServer, type EventBridgeServer } from '../src/testing/eventbridge-server.js';
import { DUMMY_CREDENTIALS } from './support/dynamo.js';

let bus: EventBridgeServer;
let aws: ClientFactory;

beforeAll(async () => {
  bus = await startEventBridgeServer();
  aws = createClientFactory({ region: 'us-east-1', endpoint: bus.endpoint, credentials: DUMMY_CREDENTIALS, clientConfig: { maxAttempts: 1 } });
});
beforeEach(() => bus.reset());
afterAll(async () => {
  aws?.destroy();
  await bus?.close();
});

const entry = (detail: object): { Source: string; DetailType: string; Detail: string } => ({ Source: 'crm', DetailType: 'AccountCreated', Detail: JSON.stringify(detail) });

async function refusal(promise: Promise<unknown>): Promise<IsolationViolationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IsolationViolationError);
  return error as IsolationViolationError;
}

describe("a capsule scope's EventBridge client", () => {
  it("sends the scope's own events, and platform events that name no tenant", async () => {
    const client = aws.capsule('acme', 'DEV').client(EventBridgeClient);
    await client.send(new PutEventsCommand({ Entries: [entry({ tenantId: 'acme', capsuleId: 'DEV', id: 'a1' }), entry({ kind: 'platform' })] }));
    expect(bus.entries).toHaveLength(2);
  });

  it.each([
    ['another tenant', { tenantId: 'globex', capsuleId: 'DEV' }, '.Detail.tenantId = "globex"'],
    ['another capsule of the tenant', { tenantId: 'acme', capsuleId: 'PROD' }, '.Detail.capsuleId = "PROD"'],
    ['another tenant, by its snake_case field', { tenant_id: 'globex' }, '.Detail.tenant_id = "globex"'],
    ['a non-string tenant id', { tenantId: ['acme'] }, '.Detail.tenantId = an array of 1'],
  ])('refuses an entry that speaks for %s, and sends none of the batch', async (_what, detail, found) => {
    const client = aws.capsule('acme', 'DEV').client(EventBridgeClient);
    const error = await refusal(client.send(new PutEventsCommand({ Entries: [entry({ tenantId: 'acme', capsuleId: 'DEV' }), entry(detail)] })));
    expect(error).toMatchObject({ rule: 'event-scope', command: 'PutEventsCommand', found: `Entries[1]${found}` });
    expect(bus.requests).toHaveLength(0);
  });

  it('refuses an entry whose Detail is not a JSON object', async () => {
    const client = aws.capsule('acme', 'DEV').client(EventBridgeClient);
    const error = await refusal(client.send(new PutEventsCommand({ Entries: [{ Source: 'crm', DetailType: 'X', Detail: '[1]' }] })));
    expect(error).toMatchObject({ rule: 'unverifiable-request', found: 'Entries[0].Detail = "[1]", which is not a JSON object' });
  });

  it('runs no other EventBridge operation (rules, targets, buses belong to platform code)', async () => {
    const client = aws.tenant('acme').client(EventBridgeClient);
    const error = await refusal(client.send(new PutRuleCommand({ Name: 'all-events', EventPattern: '{"source":["crm"]}' })));
    expect(error).toMatchObject({ rule: 'unbounded-operation', command: 'PutRuleCommand' });
  });

  it('a tenant scope may publish for any capsule of its tenant, not for another tenant', async () => {
    const client = aws.tenant('acme').client(EventBridgeClient);
    await client.send(new PutEventsCommand({ Entries: [entry({ tenantId: 'acme', capsuleId: 'PROD' })] }));
    expect(bus.entries).toHaveLength(1);
    await refusal(client.send(new PutEventsCommand({ Entries: [entry({ tenantId: 'globex' })] })));
  });
});
