/**
 * The four scopes across the seven guarded services, through `createClientFactory` only, as an
 * application uses it: dynalite, s3rver, and local endpoints speaking the SQS JSON, SNS Query,
 * EventBridge JSON, SSM JSON, Secrets Manager JSON and STS Query protocols — one server of each
 * kind for the whole file, and one factory per server (a factory has one endpoint).
 *
 * For each service:
 * - the platform scope reaches every tenant's data, unguarded;
 * - tenant scope acme reaches its capsules' data under its prefix (for queues, topics and buses,
 *   which are named per scope, its own) and is refused another tenant's;
 * - capsule scope acme/DEV reaches its own, and is refused a sibling capsule's (acme/PROD), a
 *   prefix look-alike's (acme/DEVX), another tenant's (globex/DEV) and the platform's: every server
 *   records what it receives, so a refused request is shown to reach none, and the victim's data,
 *   read back unguarded, is intact;
 * - the operator scope assumes its role at the local STS endpoint (role and external id), and the
 *   service's endpoint sees its requests signed with the key STS issued;
 * - with `scopedCredentials`, capsule acme/DEV signs with a session of its own whose policy (as STS
 *   received it, evaluated by support/iam-policy.ts) allows what it sent and none of its neighbours'.
 */
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, GetTopicAttributesCommand, PublishCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsCredentialIdentity } from '@smithy/types';
import S3rver from 's3rver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory, type ClientFactoryOptions, type GuardRule, type Scope } from '../src/aws/index.js';
import { queueArnOf } from '../src/aws/queues.js';
import { DomainEvent } from '../src/decorators.js';
import { startEventBridgeServer, startSecretsManagerServer, startSnsServer, startSqsServer, startSsmServer, startStsServer, type EventBridgeServer, type SecretsManagerServer, type SnsServer, type SqsServer, type SsmServer, type StsServer } from '../src/testing/index.js';
import { accessKeyIdOf } from '../src/testing/signed-with.js';
import { createTestTable, DUMMY_CREDENTIALS, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';
import './support/events.js';
import { isAllowed, type IamRequest } from './support/iam-policy.js';
import { refusalOf } from './support/refusal.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const BUCKET = 'shared';
const OPERATOR_ROLE = `arn:aws:iam::${ACCOUNT}:role/Auditor`;
const EXTERNAL_ID = 'ext-1';
const TENANT_ROLE = `arn:aws:iam::${ACCOUNT}:role/TenantData`;
/** s3rver answers only requests signed with an access key it knows: its own. */
const S3RVER_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A tenant-scoped event, for the tenant scope's bus (the capsule and platform events come from support/events.ts). */
class TenantPlanChanged {
  constructor(
    readonly tenantId: string,
    readonly plan: string,
  ) {}
}
DomainEvent({ type: 'TenantPlanChanged', scope: 'tenant' })(TenantPlanChanged);

/** Where one scope's datum lives in a service: a table and key, an object, a queue URL, a topic ARN, a bus, a name. */
type Place = Readonly<Record<string, string>>;

/** The access keys of the requests a local server has received, in order. */
type Recorder = () => readonly (string | undefined)[];

interface ServiceCase {
  /** For test names: the service and the local server it runs against. */
  readonly name: string;
  /** What a scope owns there: `items`, `objects`, `queues`. */
  readonly things: string;
  /** What tenant scope acme reaches of its capsules there. */
  readonly tenantReach: string;
  readonly recorder: Recorder;
  /** The factory options for its server. */
  readonly options: () => Partial<ClientFactoryOptions>;
  /** The credentials the factory signs with (and the operator's AssumeRole). */
  readonly credentials: AwsCredentialIdentity;
  readonly placeOf: (scope: Scope) => Place;
  /** What tenant scope `tenant` reaches of its capsule `capsule`'s data; default its own place. */
  readonly underTenant?: (tenant: Scope, capsule: Scope) => Place;
  /** Puts `secretOf(place)` in every place, through the platform scope. */
  readonly seed: (platform: Scope, places: readonly Place[]) => Promise<void>;
  /** The datum at `place` through `via`'s client; absent for a service that cannot be read (EventBridge). */
  readonly read?: (via: Scope, place: Place) => Promise<string | undefined>;
  readonly write: (via: Scope, place: Place, value: string) => Promise<unknown>;
  /** The value last written at `place`, read unguarded. */
  readonly readBack: (platform: Scope, place: Place) => Promise<string | undefined>;
  readonly rule: (attacker: Scope, place: Place) => GuardRule;
  /** The IAM request `write` makes. */
  readonly iam: (place: Place) => IamRequest;
  /** The error the server answers for keys STS issued, when it knows only its own. */
  readonly rejectsIssuedKeys?: string;
}

let dynamo: LocalDynamo;
let s3: S3rver;
let s3Directory: string;
let s3Endpoint: string;
let sqs: SqsServer;
let sns: SnsServer;
let events: EventBridgeServer;
let ssm: SsmServer;
let secrets: SecretsManagerServer;
let sts: StsServer;
const dynamoKeys: (string | undefined)[] = [];
const s3Keys: (string | undefined)[] = [];
const keysOf = (server: { readonly requests: readonly { readonly signedWith: string | undefined }[] }): Recorder => () => server.requests.map((request) => request.signedWith);

const secretOf = (place: Place): string => `secret of ${JSON.stringify(place)}`;
const arn = (service: string, resource: string): string => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const same = (rule: GuardRule) => (): GuardRule => rule;
/** `prefix` for a tenant or capsule scope, else the platform's own `fallback`. */
const scoped = (prefix: string, fallback: string): string => (prefix === '' ? fallback : prefix);

const dynamoCase: ServiceCase = {
  name: 'DynamoDB, against dynalite',
  things: 'items',
  tenantReach: "its capsule's items under its key prefix (TENANT#acme#CAPSULE#DEV#…) in the tenant table",
  recorder: () => dynamoKeys,
  options: () => ({ endpoint: dynamo.endpoint }),
  credentials: DUMMY_CREDENTIALS,
  placeOf: (scope) => ({ table: scope.table('orders'), pk: `${scoped(scope.keyPrefix, 'PLATFORM#')}NOTE` }),
  underTenant: (tenant, capsule) => ({ table: tenant.table('orders'), pk: `${capsule.keyPrefix}NOTE` }),
  seed: async (platform, places) => {
    for (const place of places) await dynamoCase.write(platform, place, secretOf(place));
  },
  read: async (via, place) => (await via.dynamo().send(new GetCommand({ TableName: place['table'], Key: { pk: place['pk'], sk: 'NOTE' } }))).Item?.['value'] as string | undefined,
  write: (via, place, value) => via.dynamo().send(new PutCommand({ TableName: place['table'], Item: { pk: place['pk'], sk: 'NOTE', value } })),
  readBack: (platform, place) => (dynamoCase.read as NonNullable<ServiceCase['read']>)(platform, place),
  // A table of its own is refused as a table; a table shared with the attacker, by its keys.
  rule: (attacker, place) => (attacker.table('orders') === place['table'] ? 'partition-key-scope' : 'table-scope'),
  iam: (place) => ({ action: 'dynamodb:PutItem', resource: arn('dynamodb', `table/${place['table']}`), context: { 'dynamodb:LeadingKeys': [place['pk'] as string] } }),
};

const s3Case: ServiceCase = {
  name: 'S3, against s3rver',
  things: 'objects',
  tenantReach: "its capsule's objects under its object prefix (tenants/acme/)",
  recorder: () => s3Keys,
  options: () => ({ endpoint: s3Endpoint, clientConfig: { forcePathStyle: true } }),
  credentials: S3RVER_CREDENTIALS,
  placeOf: (scope) => ({ bucket: scope.bucket(BUCKET), key: `${scoped(scope.objectPrefix, 'platform/')}note.txt` }),
  underTenant: (_tenant, capsule) => s3Case.placeOf(capsule),
  seed: async (platform, places) => {
    for (const place of places) await s3Case.write(platform, place, secretOf(place));
  },
  read: async (via, place) => (await via.client(S3Client).send(new GetObjectCommand({ Bucket: place['bucket'], Key: place['key'] }))).Body?.transformToString(),
  write: (via, place, value) => via.client(S3Client).send(new PutObjectCommand({ Bucket: place['bucket'], Key: place['key'], Body: value })),
  readBack: (platform, place) => (s3Case.read as NonNullable<ServiceCase['read']>)(platform, place),
  rule: same('object-key-scope'),
  iam: (place) => ({ action: 's3:PutObject', resource: `arn:aws:s3:::${place['bucket']}/${place['key']}` }),
  rejectsIssuedKeys: 'InvalidAccessKeyId',
};

const sqsCase: ServiceCase = {
  name: 'SQS, against a local endpoint speaking the SQS JSON protocol',
  things: 'queues',
  tenantReach: 'its own queue (queues are named per scope)',
  recorder: () => keysOf(sqs)(),
  options: () => ({ endpoint: sqs.endpoint }),
  credentials: DUMMY_CREDENTIALS,
  placeOf: (scope) => ({ queue: scope.queue('jobs') }),
  seed: async (platform, places) => {
    sqs.reset();
    const client = platform.client(SQSClient);
    for (const place of places) {
      await client.send(new CreateQueueCommand({ QueueName: (place['queue'] as string).split('/').at(-1) }));
      await sqsCase.write(platform, place, secretOf(place));
    }
  },
  // Visibility 0: reading leaves the messages where they are.
  read: async (via, place) => (await via.client(SQSClient).send(new ReceiveMessageCommand({ QueueUrl: place['queue'], MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))).Messages?.at(-1)?.Body,
  write: (via, place, value) => via.client(SQSClient).send(new SendMessageCommand({ QueueUrl: place['queue'], MessageBody: value })),
  readBack: (platform, place) => (sqsCase.read as NonNullable<ServiceCase['read']>)(platform, place),
  rule: same('queue-scope'),
  iam: (place) => ({ action: 'sqs:SendMessage', resource: queueArnOf(place['queue'] as string, REGION) }),
};

const snsCase: ServiceCase = {
  name: 'SNS, against a local endpoint speaking the SNS Query protocol',
  things: 'topics',
  tenantReach: 'its own topic (topics are named per scope)',
  recorder: () => keysOf(sns)(),
  options: () => ({ endpoint: sns.endpoint }),
  credentials: DUMMY_CREDENTIALS,
  placeOf: (scope) => ({ topic: scope.topic('alerts') }),
  // The topic's display name is what can be read; what is published, the endpoint shows.
  seed: async (platform, places) => {
    sns.reset();
    const client = platform.client(SNSClient);
    for (const place of places) {
      await client.send(new CreateTopicCommand({ Name: (place['topic'] as string).split(':').at(-1) }));
      await client.send(new SetTopicAttributesCommand({ TopicArn: place['topic'], AttributeName: 'DisplayName', AttributeValue: secretOf(place) }));
    }
  },
  read: async (via, place) => (await via.client(SNSClient).send(new GetTopicAttributesCommand({ TopicArn: place['topic'] }))).Attributes?.['DisplayName'],
  write: (via, place, value) => via.client(SNSClient).send(new PublishCommand({ TopicArn: place['topic'], Message: value })),
  readBack: (_platform, place) => Promise.resolve(sns.messages(place['topic']).at(-1)?.message),
  rule: same('topic-scope'),
  iam: (place) => ({ action: 'sns:Publish', resource: place['topic'] as string }),
};

/** Buses of their own per scope, so that a scope's bus is a resource of its own as queues and topics are. */
const busNaming: ClientFactoryOptions['eventBusNaming'] = (logical, scope) =>
  scope.kind === 'capsule' ? `tenants/${scope.tenantId}/capsules/${scope.capsuleId}/${logical}` : scope.kind === 'tenant' ? `tenants/${scope.tenantId}/${logical}` : logical;

/** The event a scope sends on its bus, carrying `value`: its ids, and a type of its scope's kind. */
function eventOf(place: Place, value: string): { readonly type: string; readonly detail: object } {
  const { tenantId, capsuleId } = place;
  if (capsuleId !== undefined) return { type: 'AccountCreated', detail: { tenantId, capsuleId, accountId: value } };
  if (tenantId !== undefined) return { type: 'TenantPlanChanged', detail: new TenantPlanChanged(tenantId, value) };
  return { type: 'PlanPriceChanged', detail: { plan: value } };
}

const eventBridgeCase: ServiceCase = {
  name: 'EventBridge, against a local endpoint speaking the EventBridge JSON protocol',
  things: 'event buses',
  tenantReach: 'its own bus, with tenant events (buses are named per scope here)',
  recorder: () => keysOf(events)(),
  options: () => ({ endpoint: events.endpoint, eventBuses: ['orders'], eventBusNaming: busNaming }),
  credentials: DUMMY_CREDENTIALS,
  placeOf: (scope) => {
    const { description } = scope;
    const ids: Place = description.kind === 'capsule' ? { tenantId: description.tenantId, capsuleId: description.capsuleId } : description.kind === 'tenant' ? { tenantId: description.tenantId } : {};
    return { bus: scope.eventBus('orders'), ...ids };
  },
  seed: () => {
    events.reset();
    return Promise.resolve();
  },
  write: (via, place, value) => {
    const { type, detail } = eventOf(place, value);
    return via.client(EventBridgeClient).send(new PutEventsCommand({ Entries: [{ Source: 'crm', DetailType: type, Detail: JSON.stringify(detail), EventBusName: place['bus'] }] }));
  },
  readBack: (_platform, place) => {
    const entry = events.entries.filter((candidate) => candidate.EventBusName === place['bus']).at(-1);
    const detail = entry === undefined ? undefined : (JSON.parse(entry.Detail as string) as { accountId?: string; plan?: string });
    return Promise.resolve(detail?.accountId ?? detail?.plan);
  },
  rule: same('event-bus-scope'),
  iam: (place) => ({ action: 'events:PutEvents', resource: arn('events', `event-bus/${place['bus']}`) }),
};

/** A scope's parameter or secret: `db` under its parameter prefix; the platform's under `/platform/`. */
const nameOf = (scope: Scope): Place => ({ name: `${scoped(scope.parameterPrefix, '/platform/')}db` });

const ssmCase: ServiceCase = {
  name: 'SSM, against a local endpoint speaking the SSM JSON protocol',
  things: 'parameters',
  tenantReach: "its capsule's parameters under its parameter prefix (/tenants/acme/)",
  recorder: () => keysOf(ssm)(),
  options: () => ({ endpoint: ssm.endpoint }),
  credentials: DUMMY_CREDENTIALS,
  placeOf: nameOf,
  underTenant: (_tenant, capsule) => nameOf(capsule),
  seed: async (platform, places) => {
    ssm.reset();
    for (const place of places) await ssmCase.write(platform, place, secretOf(place));
  },
  read: async (via, place) => (await via.client(SSMClient).send(new GetParameterCommand({ Name: place['name'] }))).Parameter?.Value,
  write: (via, place, value) => via.client(SSMClient).send(new PutParameterCommand({ Name: place['name'], Value: value, Type: 'String', Overwrite: true })),
  readBack: (platform, place) => (ssmCase.read as NonNullable<ServiceCase['read']>)(platform, place),
  rule: same('parameter-scope'),
  iam: (place) => ({ action: 'ssm:PutParameter', resource: arn('ssm', `parameter${place['name']}`) }),
};

const secretsCase: ServiceCase = {
  name: 'Secrets Manager, against a local endpoint speaking the Secrets Manager JSON protocol',
  things: 'secrets',
  tenantReach: "its capsule's secrets under its parameter prefix (/tenants/acme/)",
  recorder: () => keysOf(secrets)(),
  options: () => ({ endpoint: secrets.endpoint }),
  credentials: DUMMY_CREDENTIALS,
  placeOf: nameOf,
  underTenant: (_tenant, capsule) => nameOf(capsule),
  seed: async (platform, places) => {
    secrets.reset();
    const client = platform.client(SecretsManagerClient);
    for (const place of places) await client.send(new CreateSecretCommand({ Name: place['name'], SecretString: secretOf(place) }));
  },
  read: async (via, place) => (await via.client(SecretsManagerClient).send(new GetSecretValueCommand({ SecretId: place['name'] }))).SecretString,
  write: (via, place, value) => via.client(SecretsManagerClient).send(new PutSecretValueCommand({ SecretId: place['name'], SecretString: value })),
  readBack: (platform, place) => (secretsCase.read as NonNullable<ServiceCase['read']>)(platform, place),
  rule: same('secret-scope'),
  // IAM names a secret by its name and the six characters Secrets Manager appends.
  iam: (place) => ({ action: 'secretsmanager:PutSecretValue', resource: arn('secretsmanager', `secret:${place['name']}-AbCdEf`) }),
};

const SERVICES: readonly ServiceCase[] = [dynamoCase, s3Case, sqsCase, snsCase, eventBridgeCase, ssmCase, secretsCase];

/** Whose data capsule scope acme/DEV is refused. */
const VICTIMS: readonly { readonly name: string; readonly scope: (aws: ClientFactory) => Scope }[] = [
  { name: 'a sibling capsule (acme/PROD)', scope: (aws) => aws.capsule('acme', 'PROD') },
  { name: 'a prefix look-alike capsule (acme/DEVX)', scope: (aws) => aws.capsule('acme', 'DEVX') },
  { name: "another tenant's capsule (globex/DEV)", scope: (aws) => aws.capsule('globex', 'DEV') },
  { name: 'the platform', scope: (aws) => aws.platform() },
];

function factoryFor(service: ServiceCase, extra: Partial<ClientFactoryOptions> = {}): ClientFactory {
  const options = service.options();
  return createClientFactory({
    region: REGION,
    accountId: ACCOUNT,
    credentials: service.credentials,
    tables: ['orders'],
    buckets: [BUCKET],
    queues: ['jobs'],
    topics: ['alerts'],
    keys: TEST_KEYS,
    keySchemas: 'declared',
    operator: { stsEndpoint: sts.endpoint },
    ...options,
    ...extra,
    clientConfig: { maxAttempts: 1, ...options.clientConfig },
  });
}

/** Every place the tests read or attack, once each. */
function placesOf(service: ServiceCase, aws: ClientFactory): Place[] {
  const scopes = [aws.capsule('acme', 'DEV'), ...VICTIMS.map((victim) => victim.scope(aws)), aws.tenant('acme'), aws.tenant('globex')];
  const places = [...scopes.map(service.placeOf), tenantPlace(service, aws)];
  return [...new Map(places.map((place) => [JSON.stringify(place), place])).values()];
}

function tenantPlace(service: ServiceCase, aws: ClientFactory): Place {
  const tenant = aws.tenant('acme');
  return service.underTenant?.(tenant, aws.capsule('acme', 'DEV')) ?? service.placeOf(tenant);
}

/** Settles a promise into its value or its error. */
async function outcomeOf<T>(promise: Promise<T>): Promise<{ readonly value?: T; readonly error?: Error }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as Error }),
  );
}

/** `attacker` reads and writes `place`: each refused with the service's rule, reaching no server; the datum, read unguarded, is intact. */
async function expectRefused(service: ServiceCase, aws: ClientFactory, attacker: Scope, place: Place): Promise<void> {
  const attempts = [...(service.read === undefined ? [] : [() => (service.read as NonNullable<ServiceCase['read']>)(attacker, place)]), () => service.write(attacker, place, 'forged')];
  for (const attempt of attempts) {
    const before = service.recorder().length;
    const error = await refusalOf(attempt(), IsolationViolationError);
    expect(error.rule).toBe(service.rule(attacker, place));
    expect(error.scope).toEqual(attacker.description);
    expect(service.recorder().length, 'a refused request reaches no server').toBe(before);
  }
  if (service.read !== undefined) expect(await service.read(aws.platform(), place)).toBe(secretOf(place));
  expect(await service.readBack(aws.platform(), place)).not.toBe('forged');
}

/** `via` reads `place` (when the service can be read), writes it, and the write is what an unguarded read sees. */
async function expectReaches(service: ServiceCase, aws: ClientFactory, via: Scope, place: Place): Promise<void> {
  if (service.read !== undefined) expect(await service.read(via, place)).toBe(secretOf(place));
  const value = `written by ${via.describe().label}`;
  await service.write(via, place, value);
  expect(await service.readBack(aws.platform(), place)).toBe(value);
}

beforeAll(async () => {
  dynamo = await startDynalite({ onRequest: (request: IncomingMessage) => dynamoKeys.push(accessKeyIdOf(request.headers)) });
  s3Directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Directory, configureBuckets: [{ name: BUCKET }] });
  const { port } = await s3.run();
  s3.httpServer?.on('request', (request: IncomingMessage) => s3Keys.push(accessKeyIdOf(request.headers)));
  s3Endpoint = `http://127.0.0.1:${port}`;
  [sqs, sns, events, ssm, secrets, sts] = await Promise.all([
    startSqsServer({ accountId: ACCOUNT }),
    startSnsServer({ region: REGION, accountId: ACCOUNT }),
    startEventBridgeServer(),
    startSsmServer({ region: REGION, accountId: ACCOUNT }),
    startSecretsManagerServer({ region: REGION, accountId: ACCOUNT }),
    startStsServer(),
  ]);
  // The tables of every scope the tests use: the shared one (platform, tenants) and one per capsule code.
  const setup = factoryFor(dynamoCase);
  const admin = setup.platform().client(DynamoDBClient);
  for (const table of ['orders', 'DEV.orders', 'PROD.orders', 'DEVX.orders']) await createTestTable(admin, table);
  setup.destroy();
}, 60_000);

afterAll(async () => {
  await Promise.all([dynamo?.stop(), s3?.close(), sqs?.close(), sns?.close(), events?.close(), ssm?.close(), secrets?.close(), sts?.close()]);
  if (s3Directory !== undefined) rmSync(s3Directory, { recursive: true, force: true });
});

describe.each(SERVICES)('$name', (service) => {
  let aws: ClientFactory;
  beforeAll(() => {
    aws = factoryFor(service);
  });
  afterAll(() => aws?.destroy());
  beforeEach(() => service.seed(aws.platform(), placesOf(service, aws)));

  it(`the platform scope reaches every tenant's ${service.things}, unguarded`, async () => {
    for (const place of placesOf(service, aws)) await expectReaches(service, aws, aws.platform(), place);
  });

  it(`tenant scope acme reaches ${service.tenantReach}`, async () => {
    await expectReaches(service, aws, aws.tenant('acme'), tenantPlace(service, aws));
  });

  it(`tenant scope acme is refused another tenant's ${service.things} (tenant globex's and capsule globex/DEV's): nothing reaches the server, they are intact`, async () => {
    for (const victim of [aws.tenant('globex'), aws.capsule('globex', 'DEV')]) await expectRefused(service, aws, aws.tenant('acme'), service.placeOf(victim));
  });

  it(`capsule scope acme/DEV reaches its own ${service.things}`, async () => {
    const dev = aws.capsule('acme', 'DEV');
    await expectReaches(service, aws, dev, service.placeOf(dev));
  });

  it.each(VICTIMS)(`capsule scope acme/DEV is refused the ${service.things} of $name: nothing reaches the server, they are intact`, async (victim) => {
    await expectRefused(service, aws, aws.capsule('acme', 'DEV'), service.placeOf(victim.scope(aws)));
  });

  it('the operator scope assumes its role at the local STS endpoint (role and external id) and its requests are signed with the issued key', async () => {
    const operator = aws.operator(ACCOUNT, { roleName: 'Auditor', externalId: EXTERNAL_ID });
    const place = service.placeOf(aws.capsule('acme', 'DEV'));
    const assumedBefore = sts.requests.length;
    const outcome = await outcomeOf(service.read === undefined ? service.write(operator, place, 'operator was here') : service.read(operator, place));
    const key = service.recorder().at(-1);
    if (service.rejectsIssuedKeys !== undefined) expect(outcome.error?.name).toBe(service.rejectsIssuedKeys);
    else if (service.read !== undefined) expect(outcome.value).toBe(secretOf(place));
    else expect(await service.readBack(aws.platform(), place)).toBe('operator was here');
    expect(sts.requests.slice(assumedBefore)).toEqual([expect.objectContaining({ roleArn: OPERATOR_ROLE, externalId: EXTERNAL_ID, signedWith: service.credentials.accessKeyId, outcome: 'issued' })]);
    expect(key).not.toBe(service.credentials.accessKeyId);
    expect(sts.roleOfAccessKey(key as string)).toBe(OPERATOR_ROLE);
  });

  it(`with scopedCredentials, capsule scope acme/DEV signs with a session of its own whose policy allows its ${service.things} and denies its neighbours'`, async () => {
    const walled = factoryFor(service, { scopedCredentials: { accountId: ACCOUNT, roleName: 'TenantData' } });
    try {
      const dev = walled.capsule('acme', 'DEV');
      const place = service.placeOf(dev);
      const assumedBefore = sts.requests.length;
      const outcome = await outcomeOf(service.write(dev, place, 'walled'));
      expect(sts.roleOfAccessKey(service.recorder().at(-1) as string)).toBe(TENANT_ROLE);
      if (service.rejectsIssuedKeys === undefined) expect(await service.readBack(aws.platform(), place)).toBe('walled');
      else expect(outcome.error?.name).toBe(service.rejectsIssuedKeys);
      const assumed = sts.requests.slice(assumedBefore);
      expect(assumed).toEqual([expect.objectContaining({ roleArn: TENANT_ROLE, outcome: 'issued' })]);
      const policy = JSON.parse(assumed[0]?.policy ?? '{}') as Parameters<typeof isAllowed>[0];
      expect(isAllowed(policy, service.iam(place))).toBe(true);
      for (const victim of [...VICTIMS.map((neighbour) => neighbour.scope(aws)), aws.tenant('acme')]) {
        expect(isAllowed(policy, service.iam(service.placeOf(victim))), victim.describe().label).toBe(false);
      }
    } finally {
      walled.destroy();
    }
  });
});

describe('SNS subscriptions, against a local endpoint speaking the SNS Query protocol', () => {
  let aws: ClientFactory;
  beforeAll(() => {
    aws = factoryFor(snsCase);
  });
  afterAll(() => aws?.destroy());
  beforeEach(() => snsCase.seed(aws.platform(), placesOf(snsCase, aws)));

  /** The ARN of a scope's `jobs` queue, built from its queue URL. */
  const queueOf = (scope: Scope): string => queueArnOf(scope.queue('jobs'), REGION);

  it("capsule scope acme/DEV subscribes its topic to its own queue, which the factory's declared queues name before the scope does", async () => {
    // A fresh factory: nothing in the scope has named the queue yet.
    const fresh = factoryFor(snsCase);
    try {
      const dev = fresh.capsule('acme', 'DEV');
      const topic = dev.topic('alerts');
      const queue = queueOf(aws.capsule('acme', 'DEV'));
      const { SubscriptionArn } = await dev.client(SNSClient).send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queue }));
      expect(sns.subscriptions(topic)).toEqual([{ subscriptionArn: SubscriptionArn, topicArn: topic, protocol: 'sqs', endpoint: queue }]);
      expect(dev.describe().queues).toEqual({});
    } finally {
      fresh.destroy();
    }
  });

  it.each([...VICTIMS, { name: 'its own tenant (acme)', scope: (factory: ClientFactory) => factory.tenant('acme') }])(
    'capsule scope acme/DEV is refused subscribing its topic to the queue of $name: nothing reaches the server',
    async (victim) => {
      const dev = aws.capsule('acme', 'DEV');
      const before = sns.requests.length;
      const error = await refusalOf(dev.client(SNSClient).send(new SubscribeCommand({ TopicArn: dev.topic('alerts'), Protocol: 'sqs', Endpoint: queueOf(victim.scope(aws)) })), IsolationViolationError);
      expect(error.rule).toBe('topic-scope');
      expect(error.expected).toContain(dev.queue('jobs'));
      expect(sns.requests.length).toBe(before);
      expect(sns.subscriptions()).toEqual([]);
    },
  );

  it('without declared queues, a scope subscribes only the queues it has named', async () => {
    const undeclared = createClientFactory({ region: REGION, accountId: ACCOUNT, endpoint: sns.endpoint, credentials: DUMMY_CREDENTIALS, topics: ['alerts'], clientConfig: { maxAttempts: 1 } });
    try {
      const dev = undeclared.capsule('acme', 'DEV');
      const subscribe = (): Promise<unknown> => dev.client(SNSClient).send(new SubscribeCommand({ TopicArn: dev.topic('alerts'), Protocol: 'sqs', Endpoint: queueOf(aws.capsule('acme', 'DEV')) }));
      expect((await refusalOf(subscribe(), IsolationViolationError)).rule).toBe('topic-scope');
      dev.queue('jobs');
      await subscribe();
      expect(sns.subscriptions(dev.topic('alerts'))).toHaveLength(1);
    } finally {
      undeclared.destroy();
    }
  });
});
