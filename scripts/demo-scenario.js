// The CRM scenario of the demo: the example app, built with tspc (so its entities carry compiled key
// builders), runs against dynalite in this process for two tenants and two capsules; a cross-capsule
// and a cross-tenant read are refused; configuration resolves field by field with its sources; an
// event is published and a mismatched one refused, and the audit flags the seeds' event-log finding;
// a cross-capsule S3 read (s3rver) and a send to another tenant's SQS queue (a local endpoint
// speaking the SQS JSON protocol) are refused; operator roles share cached STS credentials.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { capsuleId, keysOf, tenantId } from '@isolation/runtime';
import { createClientFactory, IsolationViolationError } from '@isolation/runtime/aws';
import { createConfigService, defineSchema, dynamoConfigStore, field } from '@isolation/runtime/config';
import { DomainEvent } from '@isolation/runtime';
import { EventViolationError } from '@isolation/runtime/events';
import { startEventBridgeServer, startSqsServer, startStsServer } from '@isolation/runtime/testing';
import dynalite from 'dynalite';
import S3rver from 's3rver';

const LOCAL_CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };
const TENANTS = [tenantId('acme'), tenantId('globex')];
const CAPSULES = [capsuleId('DEV'), capsuleId('PROD')];

/** Builds the CRM with tspc into examples/crm/dist and loads its modules. */
async function buildCrm(root) {
  const outDir = join(root, 'examples/crm/dist');
  const build = spawnSync(process.execPath, [join(root, 'node_modules/ts-patch/bin/tspc.js'), '-p', join(root, 'examples/crm/tsconfig.json'), '--noEmit', 'false', '--rootDir', join(root, 'examples/crm/src'), '--outDir', outDir], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`tspc could not build examples/crm:\n${build.stdout}${build.stderr}`);
  const load = (file) => import(pathToFileURL(join(outDir, file)).href);
  return { ...(await load('services/crm.js')), ...(await load('entities/crm.js')) };
}

async function startDynamo() {
  const server = dynalite({ createTableMs: 0 });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}`;
  const admin = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  for (const table of [...CAPSULES.map((capsule) => `${capsule}.crm_data`), 'platform_config']) {
    await admin.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  admin.destroy();
  return { endpoint, stop: () => new Promise((resolve) => server.close(resolve)) };
}

class AccountCreated {
  constructor(tenantId, capsuleId, accountId) {
    Object.assign(this, { tenantId, capsuleId, accountId });
  }
}
DomainEvent({ type: 'AccountCreated' })(AccountCreated);

/** One event published, one refused (another capsule's ids), and the audit over a small event log. */
async function publishAndAudit(root, tenant, capsule, log) {
  const bus = await startEventBridgeServer();
  const events = createClientFactory({ region: 'us-east-1', endpoint: bus.endpoint, credentials: LOCAL_CREDENTIALS });
  try {
    const scope = events.capsule(tenant, capsule);
    await scope.publish(new AccountCreated(tenant, capsule, 'acc-1'));
    log(`  published AccountCreated from ${scope.describe().label}: ${bus.entries.length} event on the bus`);
    try {
      await scope.publish(new AccountCreated(tenant, 'PROD', 'acc-2'));
    } catch (error) {
      if (!(error instanceof EventViolationError)) throw error;
      log(`  refused, nothing sent (${bus.entries.length} event on the bus):\n    ${error.message}`);
    }
  } finally {
    events.destroy();
    await bus.close();
  }
  // The seeds' finding: AccountCreated carries capsule_id, RoleAssignmentCreated does not.
  const dir = mkdtempSync(join(tmpdir(), 'isolation-demo-'));
  const file = join(dir, 'events.ndjson');
  const lines = [];
  for (let index = 0; index < 4; index += 1) {
    lines.push(JSON.stringify({ 'detail-type': 'AccountCreated', detail: { type: 'AccountCreated', tenant_id: 'acme', capsule_id: 'DEV', account_id: `a${index}` } }));
    lines.push(JSON.stringify({ 'detail-type': 'RoleAssignmentCreated', detail: { type: 'RoleAssignmentCreated', tenant_id: 'acme', assignment_id: `r${index}` } }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const audit = spawnSync(process.execPath, [join(root, 'packages/runtime/bin/isolation-audit.js'), file, '--scope', 'AccountCreated=capsule', '--scope', 'RoleAssignmentCreated=capsule'], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  log(`  isolation-audit over ${lines.length} logged events (exit ${audit.status}):`);
  for (const line of audit.stdout.trim().split('\n')) log(`    ${line}`);
  return audit.status;
}

/** Logs the refusal `send` must end in; returns 1 for a refusal, 0 (after logging) for anything else. */
async function expectRefusal(what, send, log) {
  try {
    await send();
    log(`  ${what}: NOT refused`);
    return 0;
  } catch (error) {
    if (!(error instanceof IsolationViolationError)) throw error;
    log(`  ${what}:\n    ${error.message}`);
    return 1;
  }
}

/** S3 (s3rver, in process) and SQS (a local endpoint speaking its JSON protocol), each through a capsule scope: one call in scope, one refused. */
async function guardedS3AndSqs(tenant, capsule, otherTenant, otherCapsule, log) {
  const directory = mkdtempSync(join(tmpdir(), 'isolation-demo-s3-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'uploads' }] });
  const { port } = await s3.run();
  const sqs = await startSqsServer({ accountId: '000000000000' });
  const files = createClientFactory({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, buckets: ['uploads'], clientConfig: { forcePathStyle: true } });
  const queues = createClientFactory({ region: 'us-east-1', endpoint: sqs.endpoint, credentials: LOCAL_CREDENTIALS, accountId: '000000000000', queues: ['jobs'], clientConfig: { maxAttempts: 1 } });
  try {
    const dev = files.capsule(tenant, capsule);
    const prod = files.capsule(tenant, otherCapsule);
    await dev.client(S3Client).send(new PutObjectCommand({ Bucket: dev.bucket('uploads'), Key: `${dev.objectPrefix}contract.pdf`, Body: 'dev contract' }));
    await prod.client(S3Client).send(new PutObjectCommand({ Bucket: prod.bucket('uploads'), Key: `${prod.objectPrefix}contract.pdf`, Body: 'prod contract' }));
    const own = await dev.client(S3Client).send(new GetObjectCommand({ Bucket: dev.bucket('uploads'), Key: `${dev.objectPrefix}contract.pdf` }));
    log(`  S3: ${dev.describe().label} reads its own ${dev.objectPrefix}contract.pdf ("${await own.Body.transformToString()}")`);
    let refused = await expectRefusal(`S3: ${dev.describe().label} reading ${prod.objectPrefix}contract.pdf`, () => dev.client(S3Client).send(new GetObjectCommand({ Bucket: dev.bucket('uploads'), Key: `${prod.objectPrefix}contract.pdf` })), log);

    const sender = queues.capsule(tenant, capsule);
    const victim = queues.capsule(otherTenant, capsule);
    const platform = queues.platform().client(SQSClient);
    for (const scope of [sender, victim]) await platform.send(new CreateQueueCommand({ QueueName: scope.queue('jobs').split('/').pop() }));
    await sender.client(SQSClient).send(new SendMessageCommand({ QueueUrl: sender.queue('jobs'), MessageBody: 'reindex' }));
    log(`  SQS: ${sender.describe().label} sends to its own queue ${sender.queue('jobs')}`);
    const before = sqs.requests.length;
    refused += await expectRefusal(`SQS: ${sender.describe().label} sending to ${victim.describe().label}'s queue`, () => sender.client(SQSClient).send(new SendMessageCommand({ QueueUrl: victim.queue('jobs'), MessageBody: 'forged' })), log);
    const received = sqs.requests.length - before;
    const { Messages = [] } = await platform.send(new ReceiveMessageCommand({ QueueUrl: victim.queue('jobs'), VisibilityTimeout: 0 }));
    log(`  requests the SQS endpoint received for the refused send: ${received}; messages in ${otherTenant}'s queue: ${Messages.length}`);
    return refused;
  } finally {
    files.destroy();
    queues.destroy();
    await sqs.close();
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

export async function runScenario(root, log) {
  const { CrmService, Account } = await buildCrm(root);
  const dynamo = await startDynamo();
  const sts = await startStsServer();
  const refusals = [];
  const aws = createClientFactory({
    region: 'us-east-1',
    endpoint: dynamo.endpoint,
    credentials: LOCAL_CREDENTIALS,
    tables: ['crm_data', 'platform_config'],
    operator: { stsEndpoint: sts.endpoint },
    onViolation: (error) => refusals.push(error.rule),
  });
  try {
    const crm = new CrmService(aws);
    log(`Account keys come from compiled key builders: ${typeof Account[Symbol.for('isolation.keyBuilder')] === 'function' ? 'yes' : 'no'}`);
    log('\nWrites and reads, each through its own capsule scope:');
    for (const tenant of TENANTS) {
      for (const capsule of CAPSULES) {
        await crm.createAccount(tenant, capsule, 'acc-1', `${tenant} (${capsule}) Ltd`);
        await crm.addContact(tenant, capsule, 'acc-1', 'c-1', `buyer@${tenant}.example`);
        await crm.logActivity(tenant, capsule, 'c-1', 'a-1', 'call', '2026-11-01T09:00:00Z');
        await crm.logActivity(tenant, capsule, 'c-1', 'a-2', 'email', '2026-11-02T09:00:00Z');
        const account = await crm.getAccount(tenant, capsule, 'acc-1');
        const calls = await crm.listActivities(tenant, capsule, 'acc-1', 'c-1', { kind: 'call' });
        const scope = aws.capsule(tenant, capsule);
        log(`  ${scope.describe().label.padEnd(20)} table ${scope.table('crm_data').padEnd(14)} account "${account?.name}", ${calls.length} call activity`);
      }
    }

    log('\nRefused before any request left the process:');
    const dev = aws.capsule(TENANTS[0], CAPSULES[0]);
    const attempts = [
      ['the same tenant\'s PROD account, from its DEV scope', keysOf(Account, { tenantId: TENANTS[0], capsuleId: CAPSULES[1], id: 'acc-1', version: 1 })],
      ['another tenant\'s account in the same table', keysOf(Account, { tenantId: TENANTS[1], capsuleId: CAPSULES[0], id: 'acc-1', version: 1 })],
    ];
    for (const [what, key] of attempts) {
      try {
        await dev.dynamo().send(new GetCommand({ TableName: dev.table('crm_data'), Key: key }));
        throw new Error(`${what} was not refused`);
      } catch (error) {
        if (!(error instanceof IsolationViolationError)) throw error;
        log(`  ${what}:\n    ${error.message}`);
      }
    }

    log('\nConfiguration, resolved field by field (platform → tenant → capsule):');
    const schema = defineSchema({
      auth: {
        jwtExpirationSeconds: field.integer({ min: 60, max: 86_400, default: 3600 }),
        refreshTokenTtlSeconds: field.integer({ min: 300, max: 30 * 86_400, default: 14 * 86_400 }),
        enableSes: field.boolean({ default: false }),
      },
    });
    const config = createConfigService({ schema, env: {}, store: dynamoConfigStore(aws.platform(), 'platform_config') });
    const [acme] = TENANTS;
    await config.set({ kind: 'tenant', tenantId: acme }, 'auth', { jwtExpirationSeconds: 7200, enableSes: true });
    await config.set({ kind: 'capsule', tenantId: acme, capsuleId: CAPSULES[0] }, 'auth', { jwtExpirationSeconds: 300 });
    for (const capsule of CAPSULES) {
      const { values, source } = await config.resolve({ tenantId: acme, capsuleId: capsule }, 'auth');
      const fields = Object.entries(values).map(([name, value]) => `${name} ${value} (${source[name]})`);
      log(`  ${acme}/${capsule}: ${fields.join(', ')}`);
    }
    const preview = await config.preview({ tenantId: acme, capsuleId: CAPSULES[1] }, 'auth', { jwtExpirationSeconds: 900 });
    log(`  preview ${acme}/${CAPSULES[1]} with jwtExpirationSeconds 900: ${preview.values.jwtExpirationSeconds} (${preview.source.jwtExpirationSeconds}); nothing saved: ${(await config.resolve({ tenantId: acme, capsuleId: CAPSULES[1] }, 'auth')).values.jwtExpirationSeconds}`);

    log('\nDomain events, checked against the publishing scope before EventBridge sees them:');
    const auditStatus = await publishAndAudit(root, TENANTS[0], CAPSULES[0], log);

    log('\nS3 objects and SQS queues, each through its scope:');
    const servicesRefused = await guardedS3AndSqs(TENANTS[0], CAPSULES[0], TENANTS[1], CAPSULES[1], log);

    log('\nOperator scopes share cached STS credentials:');
    const accounts = ['111111111111', '222222222222', '333333333333'];
    const requests = [];
    for (let index = 0; index < 60; index += 1) requests.push(aws.operator(accounts[index % accounts.length]).client(DynamoDBClient).send(new ListTablesCommand({})));
    await Promise.all(requests);
    log(`  ${requests.length} requests over ${accounts.length} operator roles: ${sts.calls()} AssumeRole calls (one per role)`);
    return { refused: refusals.length, servicesRefused, assumeRoleCalls: sts.calls(), roles: accounts.length, auditFlagged: auditStatus === 1 };
  } finally {
    aws.destroy();
    await dynamo.stop();
    await sts.close();
  }
}
