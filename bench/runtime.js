// Run-time costs of the scoped clients, in process, against baselines measured in the same run.
//
// The guard's overhead per command is the sum of its three checkpoints, each timed against the same
// work without it:
//   early — the early check's middleware (snapshot and check before the SDK resolves credentials)
//     against passing the arguments straight on;
//   seal — the client protocol's serializeRequest, sealed (snapshot, check, serialize the snapshot,
//     approve the bytes) and original (serialize), on the arguments the SDK passes it;
//   gate — the request handler, gated (the approved request passes after a lookup and a byte
//     comparison) and bare (a no-op handler), each call on a fresh copy of the signed request a
//     guarded send hands its handler (`HttpRequest.clone`, as the SDK's signer makes one): real
//     traffic never hands a handler the same request object twice, and reusing one once hid a
//     ~40 µs cost (ADR 0023).
// Each round times a batch of each variant back to back (alternating which goes first); the
// overhead is the median over rounds of (guarded − plain) per call. Pairing within a round cancels
// most of what a shared, loaded machine adds; the fastest rounds are shown as well. The SDK's own
// serializing and signing (~50–80 µs, varying by more than the guard costs) fall on neither side;
// an end-to-end row (informational) sends through the whole stack to a no-op handler.
// The same for S3 (GetObject, PutObject: the seal also binds the request's address, which the gate
// looks up) and SQS (SendMessage: the gate also checks where the request goes).
// Also: a cached scope.client() lookup against a bare Map.get.
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { addIsolationGuard, createClientFactory, DEFAULT_KEY_ATTRIBUTES, inspectCommand, ISOLATION_EARLY_CHECK } from '@isolation/runtime/aws';
// Internal: the early check's middleware, timed on its own (the stack gives no handle on one middleware).
import { earlyCheckMiddleware } from '../packages/runtime/dist/aws/guard-early.js';

const PREFIX = 'TENANT#acme#CAPSULE#DEVUS#';
const TABLE = 'DEVUS.platform_data';
const BUCKET = 'uploads';
const OBJECT_KEY = 'tenants/acme/capsules/DEVUS/reports/2026-11.pdf';
const QUEUE = 'http://127.0.0.1:1/000000000000/4_acme_5_DEVUS_jobs';
const MESSAGE = '{"job":"reindex","id":"r1"}';
const POLICY = { scope: { kind: 'capsule', tenantId: 'acme', capsuleId: 'DEVUS' }, tables: new Set([TABLE]), buckets: new Set([BUCKET]), endpointHost: '127.0.0.1', queues: new Set([QUEUE]), keys: DEFAULT_KEY_ATTRIBUTES };
const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };

const json = (text) => () => ({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new TextEncoder().encode(text) });
/** Per service: its client, and the 200 response a no-op handler gives every request (what remains is the client's own work). */
const SERVICES = {
  DynamoDB: { Client: DynamoDBClient, config: {}, response: json('{}') },
  S3: { Client: S3Client, config: { forcePathStyle: true }, response: () => ({ statusCode: 200, headers: {}, body: Readable.from([]) }) },
  SQS: { Client: SQSClient, config: {}, response: json(JSON.stringify({ MessageId: 'm1', MD5OfMessageBody: createHash('md5').update(MESSAGE).digest('hex') })) },
};

const noopHandler = (service) => ({
  handle: async () => ({ response: SERVICES[service].response() }),
  updateHttpClientConfig() {},
  httpHandlerConfigs: () => ({}),
});

/** The guard of each guarded client `client()` made, for the early check's hooks. */
const guardOf = new WeakMap();

function client(service, guarded) {
  const { Client, config } = SERVICES[service];
  const made = new Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: CREDENTIALS, requestHandler: noopHandler(service), maxAttempts: 1, ...config });
  if (guarded) guardOf.set(made, addIsolationGuard(made, POLICY));
  return made;
}

/** Per row: the service and the command; the DynamoDB rows keep their names. */
const COMMANDS = {
  GetItem: { service: 'DynamoDB', make: () => new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `${PREFIX}ROLE#r1` }, sk: { S: 'METADATA' } } }) },
  PutItem: { service: 'DynamoDB', make: () => new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `${PREFIX}ROLE#r1` }, sk: { S: 'METADATA' }, name: { S: 'admin' } } }) },
  Query: {
    service: 'DynamoDB',
    make: () =>
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': { S: `${PREFIX}ROLE#r1` }, ':sk': { S: 'V' } },
      }),
  },
  'S3 GetObject': { service: 'S3', make: () => new GetObjectCommand({ Bucket: BUCKET, Key: OBJECT_KEY }) },
  'S3 PutObject': { service: 'S3', make: () => new PutObjectCommand({ Bucket: BUCKET, Key: OBJECT_KEY, Body: 'report', ContentType: 'application/pdf' }) },
  'SQS SendMessage': { service: 'SQS', make: () => new SendMessageCommand({ QueueUrl: QUEUE, MessageBody: MESSAGE }) },
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * µs per call of `variants.ours` and `variants.base`, and of their difference: batches of `batch`
 * awaited calls, both variants in every round (which goes first alternates); the first 20 rounds
 * warm up. `overheadUs` is the median of the per-round differences, `fastestOverheadUs` the
 * difference of the fastest rounds.
 */
async function paired(variants, batch, rounds) {
  const times = { ours: [], base: [] };
  const differences = [];
  for (let round = 0; round < rounds + 20; round += 1) {
    const took = {};
    for (const variant of round % 2 === 0 ? ['ours', 'base'] : ['base', 'ours']) {
      const run = variants[variant];
      const started = performance.now();
      for (let index = 0; index < batch; index += 1) await run();
      took[variant] = ((performance.now() - started) * 1000) / batch;
    }
    if (round < 20) continue;
    times.ours.push(took.ours);
    times.base.push(took.base);
    differences.push(took.ours - took.base);
  }
  return { oursUs: median(times.ours), baseUs: median(times.base), overheadUs: median(differences), fastestOverheadUs: Math.min(...times.ours) - Math.min(...times.base) };
}

/** The arguments the SDK passes to protocol.serializeRequest for `make()`'s command, and the signed request a guarded client's handler is given for it. */
async function captureSerialization(service, make) {
  const plain = client(service, false);
  const guarded = client(service, true);
  const original = plain.config.protocol;
  let captured;
  plain.config.protocol = Object.create(original, {
    serializeRequest: {
      value(...args) {
        captured = args;
        throw new Error('captured');
      },
    },
  });
  await plain.send(make()).catch(() => undefined);
  plain.config.protocol = original;
  const [schema, input, context] = captured;
  return { plain, guarded, schema, input, context, signed: await signedRequest(guarded, make) };
}

/** The request a guarded client's handler is given for `make()`'s command: serialized by the seal, then signed. */
async function signedRequest(guarded, make) {
  let signed;
  const capture = (next) => (args) => {
    signed = args.request;
    return next(args);
  };
  guarded.middlewareStack.add(capture, { step: 'deserialize', priority: 'low', name: 'benchSignedRequest' });
  await guarded.send(make());
  guarded.middlewareStack.remove('benchSignedRequest');
  if (signed === undefined) throw new Error('no signed request captured');
  return signed;
}

/** The context and arguments the early check is given for `make()`'s command on a guarded client. */
async function captureEarlyCheck(guarded, make) {
  let earlyContext;
  let earlyArgs;
  const capture = (next, context) => (args) => {
    earlyContext = context;
    earlyArgs = args;
    return next(args);
  };
  guarded.middlewareStack.addRelativeTo(capture, { relation: 'before', toMiddleware: ISOLATION_EARLY_CHECK, name: 'benchEarlyCheckArguments' });
  await guarded.send(make());
  guarded.middlewareStack.remove('benchEarlyCheckArguments');
  if (earlyContext === undefined) throw new Error('no early check on the guarded client');
  return { earlyContext, earlyArgs };
}

async function commandOverhead({ service, make }) {
  const { plain, guarded, schema, input, context, signed } = await captureSerialization(service, make);
  const bare = noopHandler(service);
  // A fresh request per call for either handler, made by the request's own class as the signer makes one.
  const fresh = () => signed.constructor.clone(signed);
  const seal = await paired(
    {
      ours: () => guarded.config.protocol.serializeRequest(schema, input, context),
      base: () => plain.config.protocol.serializeRequest(schema, input, context),
    },
    200,
    151,
  );
  const gate = await paired({ ours: () => guarded.config.requestHandler.handle(fresh()), base: () => bare.handle(fresh()) }, 200, 151);
  // The early check, as the stack runs it, on the context and arguments it is given there.
  const { earlyContext, earlyArgs } = await captureEarlyCheck(guarded, make);
  const passOn = async () => ({ output: {} });
  const early = earlyCheckMiddleware(guardOf.get(guarded))(passOn, earlyContext);
  const earlyCheck = await paired({ ours: () => early({ ...earlyArgs }), base: () => passOn({ ...earlyArgs }) }, 200, 151);
  const whole = { guarded: client(service, true), plain: client(service, false) };
  const end = await paired({ ours: () => whole.guarded.send(make()), base: () => whole.plain.send(make()) }, 100, 61);
  return { early: earlyCheck, seal, gate, end, rulesUs: service === 'DynamoDB' ? rulesTime(make) : undefined };
}

/** µs per call of the DynamoDB rules alone on the command's input (all the first guard did), for reference. */
function rulesTime(make) {
  const command = make();
  const name = command.constructor.name;
  const samples = [];
  for (let round = 0; round < 51; round += 1) {
    const started = performance.now();
    for (let index = 0; index < 20_000; index += 1) if (inspectCommand(name, command.input, POLICY) !== undefined) throw new Error(`${name} refused`);
    samples.push(((performance.now() - started) * 1000) / 20_000);
  }
  return median(samples);
}

function lookupTimes(iterations) {
  const aws = createClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: CREDENTIALS });
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

const us = (value) => `${value.toFixed(2)} µs`;

export async function runtimeBenchmarks() {
  const rows = [];
  for (const [name, command] of Object.entries(COMMANDS)) {
    const { early, seal, gate, end, rulesUs } = await commandOverhead(command);
    const rules = rulesUs === undefined ? '' : `; the rules alone: ${us(rulesUs)}`;
    const checkpoints = [early, seal, gate];
    const sum = (key) => checkpoints.reduce((total, checkpoint) => total + checkpoint[key], 0);
    rows.push({
      name: `guard overhead per ${name}: early ${us(early.overheadUs)} + seal ${us(seal.overheadUs)} + gate ${us(gate.overheadUs)} (median of paired 200-call rounds; fastest rounds: ${us(sum('fastestOverheadUs'))}${rules}; load average ${loadavg()[0].toFixed(1)})`,
      kind: 'overhead',
      oursUs: sum('baseUs') + sum('overheadUs'),
      baselineUs: sum('baseUs'),
      goalUs: 1,
    });
    rows.push({
      name: `${name} end to end to a no-op handler, guarded − plain (informational: ${us(end.oursUs)} vs ${us(end.baseUs)}; the SDK's own work varies by more than the guard costs)`,
      kind: 'metric',
      value: end.overheadUs,
      unit: 'µs',
      goal: null,
    });
  }
  const { scopeNs, mapNs } = lookupTimes(1_000_000);
  rows.push({ name: 'cached scope.client(DynamoDBClient) (guard re-checked) vs a bare Map.get', oursMs: scopeNs / 1e6, baselineMs: mapNs / 1e6, oursFastestMs: scopeNs / 1e6, baselineFastestMs: mapNs / 1e6, goal: 3 });
  return rows;
}
