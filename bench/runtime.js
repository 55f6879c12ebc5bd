// Run-time costs of the scoped clients, in process, against baselines measured in the same run:
//   the guard's overhead per command — the same command through a guarded and an unguarded
//     DynamoDB client, p50 per command. No network: both clients have a no-op request handler, and
//     both end the middleware stack right after the initialize step (where the guard runs), so the
//     SDK's serializing and signing, which cost ~75 µs and vary by more than the guard costs, fall
//     on neither side;
//   a cached scope.client() lookup against a bare Map.get.
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { createClientFactory, DEFAULT_KEY_ATTRIBUTES } from '@isolation/runtime/aws';
import { addIsolationGuard } from '../packages/runtime/dist/aws/guard.js';

const PREFIX = 'TENANT#acme#CAPSULE#DEVUS#';
const TABLE = 'DEVUS_platform_data';

/** Answers every request with an empty 200 JSON body: what remains is the client's own work. */
const noopHandler = {
  handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new TextEncoder().encode('{}') } }),
  updateHttpClientConfig() {},
  httpHandlerConfigs: () => ({}),
};

function client(guarded) {
  const made = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, requestHandler: noopHandler, maxAttempts: 1 });
  if (guarded) addIsolationGuard(made, { scope: { kind: 'capsule', tenantId: 'acme', capsuleId: 'DEVUS' }, tables: new Set([TABLE]), keys: DEFAULT_KEY_ATTRIBUTES });
  made.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), { step: 'serialize', priority: 'high', name: 'benchEnd' });
  return made;
}

const COMMANDS = {
  GetItem: () => new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `${PREFIX}ROLE#r1` }, sk: { S: 'METADATA' } } }),
  PutItem: () => new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `${PREFIX}ROLE#r1` }, sk: { S: 'METADATA' }, name: { S: 'admin' } } }),
  Query: () =>
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': { S: `${PREFIX}ROLE#r1` }, ':sk': { S: 'V' } },
    }),
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Per-command time of batches of `batch` sends, alternating guarded and unguarded batches. */
async function sendTimes(make, batch, batches) {
  const clients = { guarded: client(true), plain: client(false) };
  const times = { guarded: [], plain: [] };
  for (let round = 0; round < batches + 20; round += 1) {
    for (const variant of round % 2 === 0 ? ['guarded', 'plain'] : ['plain', 'guarded']) {
      const started = performance.now();
      for (let index = 0; index < batch; index += 1) await clients[variant].send(make());
      // The first rounds warm the JIT and are not counted.
      if (round >= 20) times[variant].push(((performance.now() - started) * 1000) / batch);
    }
  }
  return { guardedUs: median(times.guarded), plainUs: median(times.plain) };
}

function lookupTimes(iterations) {
  const aws = createClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const scope = aws.capsule('acme', 'DEVUS');
  scope.client(DynamoDBClient);
  const map = new Map([[DynamoDBClient, scope.client(DynamoDBClient)]]);
  const samples = { scope: [], map: [] };
  let sink = 0;
  for (let round = 0; round < 31; round += 1) {
    let started = performance.now();
    for (let index = 0; index < iterations; index += 1) if (scope.client(DynamoDBClient) !== undefined) sink += 1;
    samples.scope.push(((performance.now() - started) * 1e6) / iterations);
    started = performance.now();
    for (let index = 0; index < iterations; index += 1) if (map.get(DynamoDBClient) !== undefined) sink += 1;
    samples.map.push(((performance.now() - started) * 1e6) / iterations);
  }
  aws.destroy();
  if (sink === 0) throw new Error('lookups returned nothing');
  return { scopeNs: median(samples.scope), mapNs: median(samples.map) };
}

export async function runtimeBenchmarks() {
  const rows = [];
  for (const [name, make] of Object.entries(COMMANDS)) {
    const { guardedUs, plainUs } = await sendTimes(make, 200, 101);
    rows.push({
      name: `guard overhead per ${name} (p50 of 200-command batches, stack ended after initialize)`,
      kind: 'overhead',
      oursUs: guardedUs,
      baselineUs: plainUs,
      goalUs: 1,
    });
  }
  const { scopeNs, mapNs } = lookupTimes(1_000_000);
  rows.push({ name: 'cached scope.client(DynamoDBClient) vs a bare Map.get', oursMs: scopeNs / 1e6, baselineMs: mapNs / 1e6, oursFastestMs: scopeNs / 1e6, baselineFastestMs: mapNs / 1e6, goal: 3 });
  return rows;
}
