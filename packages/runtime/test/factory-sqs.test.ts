/**
 * SQS through the factory: `scope.queue()` names each scope's queue URL, injectively (no two
 * scopes share a queue, `DEV` never gets `DEVX`'s, and every name under a scope's prefix is that
 * scope's), `queues`, `queueNaming` and `accountId` shape it, and a tenant or capsule scope's
 * `client(SQSClient)` is guarded, against a local endpoint speaking the SQS JSON protocol.
 */
import { CreateQueueCommand, ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory, defaultQueueNaming, hasIsolationGuard, IsolationViolationError, queueNamePrefixOf, QueueNameError, type ClientFactory, type GuardedScope, type ScopeDescription } from '../src/aws/index.js';
import { startSqsServer, type SqsServer } from '../src/testing/sqs-server.js';
import { DUMMY_CREDENTIALS } from './support/dynamo.js';

const ACCOUNT = '123456789012';

describe('scope.queue(): queue URLs per scope', () => {
  const aws = createClientFactory({ region: 'eu-west-1', credentials: DUMMY_CREDENTIALS, accountId: ACCOUNT, queues: ['jobs', 'orders.fifo'] });
  afterAll(() => aws.destroy());

  it('gives each tenant and capsule a queue of its own on SQS’s regional endpoint, and the platform the logical name', () => {
    expect(aws.capsule('acme', 'DEVUS').queue('jobs')).toBe(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/4_acme_5_DEVUS_jobs`);
    expect(aws.tenant('acme').queue('jobs')).toBe(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/4_acme_jobs`);
    expect(aws.platform().queue('jobs')).toBe(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/jobs`);
    expect(aws.capsule('acme', 'DEVUS').queue('orders.fifo')).toBe(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/4_acme_5_DEVUS_orders.fifo`);
    expect(aws.operator('210987654321').queue('jobs')).toBe('https://sqs.eu-west-1.amazonaws.com/210987654321/jobs');
    expect(aws.capsule('acme', 'DEVUS').describe().queues).toEqual({ jobs: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/4_acme_5_DEVUS_jobs`, 'orders.fifo': `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/4_acme_5_DEVUS_orders.fifo` });
  });

  it('keeps DEV from DEVX, and ids with "_" or digits from one another', () => {
    expect(aws.capsule('acme', 'DEV').queue('jobs')).toBe(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/4_acme_3_DEV_jobs`);
    expect(aws.capsule('acme', 'DEVX').queue('jobs')).toBe(`https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/4_acme_4_DEVX_jobs`);
    expect(aws.capsule('a_3', 'b').queue('jobs')).not.toBe(aws.capsule('a', '3_b').queue('jobs'));
    expect(queueNamePrefixOf({ kind: 'capsule', tenantId: 'acme', capsuleId: 'DEV' } as GuardedScope)).toBe('4_acme_3_DEV_');
    expect(queueNamePrefixOf({ kind: 'tenant', tenantId: 'acme' } as GuardedScope)).toBe('4_acme_');
  });

  it('is injective over every scope and logical name of a small alphabet, and each scope’s prefix starts only its own names (and, for a tenant, its capsules’)', () => {
    const ids = ['a', 'b', '_', '-', '1', 'a_', '_a', 'a-1', '1_a', '2', '12', 'a_1_a', 'DEV', 'DEVX'];
    const logicals = ['a', 'a_1', 'a-', 'jobs', 'jobs.fifo', 'a_1_a'];
    type Named = { readonly scope: ScopeDescription; readonly logical: string; readonly name: string };
    const scopes: ScopeDescription[] = [{ kind: 'platform' }];
    for (const tenant of ids) {
      scopes.push({ kind: 'tenant', tenantId: tenant } as ScopeDescription);
      for (const capsule of ids) scopes.push({ kind: 'capsule', tenantId: tenant, capsuleId: capsule } as ScopeDescription);
    }
    const named: Named[] = scopes.flatMap((scope) => logicals.map((logical) => ({ scope, logical, name: defaultQueueNaming(logical, scope) })));
    const byName = new Map<string, Named>();
    for (const entry of named) {
      const other = byName.get(entry.name);
      expect(other, `${entry.name} for ${JSON.stringify(entry.scope)}/${entry.logical} and ${JSON.stringify(other?.scope)}/${other?.logical}`).toBeUndefined();
      byName.set(entry.name, entry);
    }
    const owns = (owner: ScopeDescription, scope: ScopeDescription): boolean =>
      owner.kind === 'capsule' ? JSON.stringify(owner) === JSON.stringify(scope) : owner.kind === 'tenant' && scope.kind !== 'platform' && scope.kind !== 'operator' && scope.tenantId === owner.tenantId;
    for (const owner of scopes) {
      if (owner.kind !== 'tenant' && owner.kind !== 'capsule') continue;
      const prefix = queueNamePrefixOf(owner);
      for (const entry of named) if (entry.name.startsWith(prefix)) expect(owns(owner, entry.scope), `${entry.name} starts with ${prefix}`).toBe(true);
    }
  });

  it('refuses undeclared and invalid logical names, names SQS would refuse, and queues without an account', () => {
    expect(() => aws.capsule('acme', 'DEV').queue('mail')).toThrow(/queue "mail" is not one of the factory's queues \('jobs', 'orders.fifo'\); add it to createClientFactory\(\{ queues \}\)/);
    expect(() => createClientFactory({ region: 'eu-west-1', accountId: ACCOUNT, queues: ['1jobs'] })).toThrow(QueueNameError);
    expect(() => createClientFactory({ region: 'eu-west-1', accountId: ACCOUNT, queues: ['jobs.txt'] })).toThrow(/logical queue name "jobs.txt" is invalid/);
    expect(() => createClientFactory({ region: 'eu-west-1', queues: ['jobs'] })).toThrow(/queues need the account they live in/);
    const open = createClientFactory({ region: 'eu-west-1' });
    expect(() => open.capsule('acme', 'DEV').queue('jobs')).toThrow(/queue\('jobs'\) needs the account of the application's queues: createClientFactory\(\{ accountId: '123456789012', … \}\)/);
    const long = createClientFactory({ region: 'eu-west-1', accountId: ACCOUNT });
    const longTenant = 't'.repeat(64);
    expect(long.capsule(longTenant, 'DEVUS').queue('jobs')).toMatch(/\/64_t{64}_5_DEVUS_jobs$/); // 80 characters, SQS's limit
    expect(() => long.capsule(longTenant, 'DEVUS').queue('jobs2')).toThrow(/expected an SQS queue name: 1–80 letters.*use a shorter logical name or a queueNaming function/);
    open.destroy();
    long.destroy();
  });

  it('takes a queueNaming function, checks what it returns, and builds China URLs on amazonaws.com.cn', () => {
    const named = createClientFactory({ region: 'cn-north-1', accountId: ACCOUNT, queueNaming: (logical, scope) => (scope.kind === 'capsule' ? `${scope.tenantId}-${scope.capsuleId}-${logical}` : logical) });
    expect(named.capsule('acme', 'DEVUS').queue('jobs')).toBe(`https://sqs.cn-north-1.amazonaws.com.cn/${ACCOUNT}/acme-DEVUS-jobs`);
    const bad = createClientFactory({ region: 'eu-west-1', accountId: ACCOUNT, queueNaming: () => 'has space' });
    expect(() => bad.tenant('acme').queue('jobs')).toThrow(/queue naming turned 'jobs' into "has space"/);
    named.destroy();
    bad.destroy();
  });
});

describe('client(SQSClient) in tenant and capsule scopes, against a local endpoint speaking the SQS JSON protocol', () => {
  let sqs: SqsServer;
  let aws: ClientFactory;

  beforeAll(async () => {
    sqs = await startSqsServer({ accountId: ACCOUNT });
    aws = createClientFactory({ region: 'us-east-1', endpoint: sqs.endpoint, credentials: DUMMY_CREDENTIALS, accountId: ACCOUNT, clientConfig: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    aws?.destroy();
    await sqs?.close();
  });

  it('builds queue URLs on the factory’s endpoint, as the endpoint gives them', async () => {
    const url = aws.capsule('acme', 'DEV').queue('jobs');
    expect(url).toBe(sqs.queueUrl('4_acme_3_DEV_jobs'));
    const platform = aws.platform().client(SQSClient);
    expect((await platform.send(new CreateQueueCommand({ QueueName: '4_acme_3_DEV_jobs' }))).QueueUrl).toBe(url);
  });

  it('is guarded, and without declared queues accepts the queues its scope has named, and no other', async () => {
    const scope = aws.capsule('acme', 'PROD');
    const client = scope.client(SQSClient);
    expect(hasIsolationGuard(client)).toBe(true);
    await aws.platform().client(SQSClient).send(new CreateQueueCommand({ QueueName: '4_acme_4_PROD_jobs' }));
    const unnamed = await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl('4_acme_4_PROD_jobs'), MessageBody: 'x' })).catch((error: unknown) => error);
    expect(unnamed).toBeInstanceOf(IsolationViolationError);
    expect((unnamed as IsolationViolationError).expected).toContain("none: declare them with createClientFactory({ queues }) and name them with scope.queue()");
    await client.send(new SendMessageCommand({ QueueUrl: scope.queue('jobs'), MessageBody: 'named first' }));
    const other = await client.send(new SendMessageCommand({ QueueUrl: aws.capsule('acme', 'DEV').queue('jobs'), MessageBody: 'x' })).catch((error: unknown) => error);
    expect(other).toMatchObject({ rule: 'queue-scope', found: `QueueUrl = "${sqs.queueUrl('4_acme_3_DEV_jobs')}"` });
    expect(sqs.requests.filter((request) => request.operation === 'SendMessage').map((request) => request.body?.['QueueUrl'])).toEqual([scope.queue('jobs')]);
  });

  it("refuses ListQueues under another queue naming (it cannot tell the scope's names)", async () => {
    const named = createClientFactory({ region: 'us-east-1', endpoint: sqs.endpoint, credentials: DUMMY_CREDENTIALS, accountId: ACCOUNT, queueNaming: (logical, scope) => (scope.kind === 'capsule' ? `${scope.capsuleId}-${logical}` : logical), clientConfig: { maxAttempts: 1 } });
    const error = await named.capsule('acme', 'DEV').client(SQSClient).send(new ListQueuesCommand({ QueueNamePrefix: 'DEV-' })).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ rule: 'unbounded-operation' });
    named.destroy();
  });

  it("no longer takes SQS as an unguarded service: it is always guarded", () => {
    expect(() => createClientFactory({ region: 'us-east-1', unguarded: [{ client: 'SQS', reason: 'one queue per tenant' }] })).toThrow(/SQS clients are always guarded in tenant and capsule scopes; remove "SQS" from unguarded/);
  });
});
