/**
 * The second wall as the factory draws it (`scopedCredentials`): a tenant or capsule scope assumes
 * its role with a session policy naming the factory's declared resources as that scope names them.
 * The policy is the one the local STS endpoint (AssumeRole's wire format) received, and it is judged
 * by what it allows and denies (support/iam-policy.ts), not by its text. The scope's first request
 * goes to a local endpoint speaking the SSM JSON protocol, which records the key it was signed with.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, SessionPolicyError, type ClientFactory, type ClientFactoryOptions, type Scope } from '../src/aws/index.js';
import { queueArnOf } from '../src/aws/queues.js';
import { parameterPrefixOf } from '../src/aws/scope.js';
import { SESSION_POLICY_MAX_CHARACTERS, type IamPolicyDocument } from '../src/aws/session-policy.js';
import { startSsmServer, startStsServer, type SsmServer, type StsServer } from '../src/testing/index.js';
import { DUMMY_CREDENTIALS, TEST_KEYS } from './support/dynamo.js';
import { isAllowed, matchesWildcard, type IamRequest } from './support/iam-policy.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const TENANT_ROLE = `arn:aws:iam::${ACCOUNT}:role/TenantData`;

/** What the scopes declare: tables (with the test keys' index), buckets, queues, topics; parameters and secrets come with every scope. */
const DECLARED = { region: REGION, accountId: ACCOUNT, tables: ['orders', 'audit'], buckets: ['uploads', 'exports'], queues: ['jobs', 'emails'], topics: ['alerts'], keys: TEST_KEYS, keySchemas: 'declared' } as const;

let sts: StsServer;
let ssm: SsmServer;
/** The same declarations without the wall: the names every scope uses, made without assuming anything. */
let names: ClientFactory;

beforeAll(async () => {
  [sts, ssm] = await Promise.all([startStsServer(), startSsmServer({ region: REGION, accountId: ACCOUNT })]);
  names = createClientFactory(DECLARED);
});
beforeEach(() => {
  sts.reset();
  ssm.reset();
});
afterAll(async () => {
  names?.destroy();
  await Promise.all([sts?.close(), ssm?.close()]);
});

function walledFactory(extra: Partial<ClientFactoryOptions> = {}, wall: Partial<NonNullable<ClientFactoryOptions['scopedCredentials']>> = {}): ClientFactory {
  return createClientFactory({
    ...DECLARED,
    endpoint: ssm.endpoint,
    credentials: DUMMY_CREDENTIALS,
    operator: { stsEndpoint: sts.endpoint },
    clientConfig: { maxAttempts: 1 },
    ...extra,
    scopedCredentials: { accountId: ACCOUNT, roleName: 'TenantData', ...wall },
  });
}

/** The scope's first request (a parameter of its own) assumes its role: the policy STS received, after checking who signed what. */
async function policyOf(scope: Scope): Promise<IamPolicyDocument> {
  await scope.client(SSMClient).send(new PutParameterCommand({ Name: `${scope.parameterPrefix}flag`, Value: 'on', Type: 'String', Overwrite: true }));
  const [assumed, ...more] = sts.requests;
  expect(more).toEqual([]);
  expect(assumed).toMatchObject({ roleArn: TENANT_ROLE, signedWith: DUMMY_CREDENTIALS.accessKeyId, outcome: 'issued' });
  expect(sts.roleOfAccessKey(ssm.requests.at(-1)?.signedWith as string)).toBe(TENANT_ROLE);
  return JSON.parse(assumed?.policy as string) as IamPolicyDocument;
}

const arn = (service: string, resource: string): string => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const request = (action: string, resource: string, context?: IamRequest['context']): IamRequest => ({ action, resource, ...(context === undefined ? {} : { context }) });

/** `prefix` for a tenant or capsule scope, else the platform's own `fallback`. */
const or = (prefix: string, fallback: string): string => (prefix === '' ? fallback : prefix);

/** The requests a scope makes on its own declared resources (the platform's under `PLATFORM#`, `platform/`, `/platform/`). */
function ownRequests(scope: Scope): IamRequest[] {
  const key = `${or(scope.keyPrefix, 'PLATFORM#')}ORDER#1`;
  const objects = or(scope.objectPrefix, 'platform/');
  const parameters = or(scope.parameterPrefix, '/platform/');
  return [
    ...DECLARED.tables.flatMap((table) => {
      const tableArn = arn('dynamodb', `table/${scope.table(table)}`);
      const keys = { 'dynamodb:LeadingKeys': [key] };
      return [request('dynamodb:GetItem', tableArn, keys), request('dynamodb:PutItem', tableArn, keys), request('dynamodb:Query', `${tableArn}/index/gsi1`, keys)];
    }),
    ...DECLARED.buckets.flatMap((bucket) => [
      request('s3:GetObject', `arn:aws:s3:::${scope.bucket(bucket)}/${objects}report.pdf`),
      request('s3:PutObject', `arn:aws:s3:::${scope.bucket(bucket)}/${objects}report.pdf`),
      request('s3:ListBucket', `arn:aws:s3:::${scope.bucket(bucket)}`, { 's3:prefix': objects }),
    ]),
    ...DECLARED.queues.flatMap((queue) => [request('sqs:SendMessage', queueArnOf(scope.queue(queue), REGION)), request('sqs:ReceiveMessage', queueArnOf(scope.queue(queue), REGION))]),
    ...DECLARED.topics.map((topic) => request('sns:Publish', scope.topic(topic))),
    request('ssm:GetParameter', arn('ssm', `parameter${parameters}db/url`)),
    request('ssm:GetParametersByPath', arn('ssm', `parameter${parameters}`)),
    request('secretsmanager:GetSecretValue', arn('secretsmanager', `secret:${parameters}db-AbCdEf`)),
  ];
}

/** The account's default bus: the one resource every scope shares by default (each event carries its scope's ids, which the guard checks). */
const DEFAULT_BUS = request('events:PutEvents', arn('events', 'event-bus/default'));

describe('scopedCredentials: the session policy of a capsule scope, as the local STS endpoint received it', () => {
  let aws: ClientFactory;
  let policy: IamPolicyDocument;
  beforeAll(async () => {
    sts.reset();
    aws = walledFactory();
    policy = await policyOf(aws.capsule('acme', 'DEV'));
  });
  afterAll(() => aws?.destroy());

  it('allows the scope its own items (indexes too), objects and lists, queues, topics, parameters, secrets and its default bus', () => {
    for (const own of [...ownRequests(names.capsule('acme', 'DEV')), DEFAULT_BUS]) expect(isAllowed(policy, own), JSON.stringify(own)).toBe(true);
  });

  it('names no resource beyond them: every resource pattern in it is one those requests use', () => {
    const used = [...ownRequests(names.capsule('acme', 'DEV')), DEFAULT_BUS].map((own) => own.resource);
    for (const pattern of policy.Statement.flatMap((statement) => statement.Resource)) {
      expect(used.some((resource) => matchesWildcard(pattern, resource)), pattern).toBe(true);
    }
  });

  it.each([
    ['a sibling capsule (acme/PROD)', () => names.capsule('acme', 'PROD')],
    ['a prefix look-alike capsule (acme/DEVX)', () => names.capsule('acme', 'DEVX')],
    ["another tenant's capsule (globex/DEV)", () => names.capsule('globex', 'DEV')],
    ['its own tenant (acme), outside the capsule', () => names.tenant('acme')],
    ['the platform', () => names.platform()],
  ] as const)('denies every request on the resources of %s', (_name, neighbour) => {
    for (const theirs of ownRequests(neighbour())) expect(isAllowed(policy, theirs), JSON.stringify(theirs)).toBe(false);
  });
});

describe('scopedCredentials: other scopes and settings', () => {
  it('a tenant scope’s session reaches its capsules’ items, objects, parameters and secrets under its prefixes, its own queues and topics, and no other tenant’s', async () => {
    const aws = walledFactory();
    try {
      const policy = await policyOf(aws.tenant('acme'));
      const acme = names.tenant('acme');
      for (const own of ownRequests(acme)) expect(isAllowed(policy, own), JSON.stringify(own)).toBe(true);
      const capsuleItem = request('dynamodb:GetItem', arn('dynamodb', `table/${acme.table('orders')}`), { 'dynamodb:LeadingKeys': ['TENANT#acme#CAPSULE#DEV#ORDER#1'] });
      expect(isAllowed(policy, capsuleItem)).toBe(true);
      expect(isAllowed(policy, request('s3:GetObject', 'arn:aws:s3:::uploads/tenants/acme/capsules/DEV/report.pdf'))).toBe(true);
      expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEV/db/url')))).toBe(true);
      for (const other of [names.tenant('globex'), names.tenant('acmex'), names.capsule('globex', 'DEV')]) {
        for (const theirs of ownRequests(other)) expect(isAllowed(policy, theirs), JSON.stringify(theirs)).toBe(false);
      }
    } finally {
      aws.destroy();
    }
  });

  it("uses the factory's parameterPrefix for parameters and secrets", async () => {
    const crm = (scope: Parameters<typeof parameterPrefixOf>[0]): string => `/crm${parameterPrefixOf(scope)}`;
    const aws = walledFactory({ parameterPrefix: crm });
    try {
      const policy = await policyOf(aws.capsule('acme', 'DEV'));
      expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/crm/tenants/acme/capsules/DEV/db')))).toBe(true);
      expect(isAllowed(policy, request('secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:/crm/tenants/acme/capsules/DEV/db-AbCdEf')))).toBe(true);
      expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEV/db')))).toBe(false);
      expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/crm/tenants/acme/capsules/PROD/db')))).toBe(false);
    } finally {
      aws.destroy();
    }
  });

  it('leaves out secrets with scopedCredentials: { secrets: false }, and parameters with { parameters: false }', async () => {
    const noSecrets = walledFactory({}, { secrets: false });
    try {
      const policy = await policyOf(noSecrets.capsule('acme', 'DEV'));
      expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEV/db')))).toBe(true);
      expect(isAllowed(policy, request('secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:/tenants/acme/capsules/DEV/db-AbCdEf')))).toBe(false);
    } finally {
      noSecrets.destroy();
    }
    sts.reset();
    const neither = walledFactory({}, { parameters: false, secrets: false });
    try {
      // The first request, to another service, assumes the role; the policy reaches neither kind.
      const dev = neither.capsule('acme', 'DEV');
      await dev.client(SSMClient).send(new PutParameterCommand({ Name: `${dev.parameterPrefix}flag`, Value: 'on', Type: 'String' })).catch(() => undefined);
      const policy = JSON.parse(sts.requests[0]?.policy as string) as IamPolicyDocument;
      expect(isAllowed(policy, request('ssm:PutParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEV/flag')))).toBe(false);
      expect(isAllowed(policy, ownRequests(names.capsule('acme', 'DEV'))[0] as IamRequest)).toBe(true);
    } finally {
      neither.destroy();
    }
  });

  it('fits a realistic scope within STS’s 2,048 characters: 3 tables with indexes, 2 buckets, 3 queues, 2 topics, the default bus, parameters and secrets', async () => {
    const aws = walledFactory({ tables: ['platform_data', 'platform_events', 'platform_audit'], queues: ['jobs', 'emails', 'webhooks'], topics: ['alerts', 'billing'] });
    try {
      const policy = await policyOf(aws.capsule('acme', 'DEVUS'));
      const size = JSON.stringify(policy).length;
      expect(size).toBeLessThanOrEqual(SESSION_POLICY_MAX_CHARACTERS);
      console.info(`factory session policy, realistic capsule scope acme/DEVUS: ${size} of ${SESSION_POLICY_MAX_CHARACTERS} characters`);
    } finally {
      aws.destroy();
    }
  });

  it('refuses to make a scope whose policy would be too large, before any AssumeRole, saying what to cut and which factory options decide it', () => {
    const aws = walledFactory({ queues: Array.from({ length: 20 }, (_, i) => `worker${i}`) });
    try {
      const make = (): Scope => aws.capsule('acme', 'DEV');
      expect(make).toThrow(SessionPolicyError);
      expect(make).toThrow(/found \d{4} characters for capsule acme\/DEV .*the largest part is 20 queue\(s\): pass fewer queues per session/);
      expect(make).toThrow(/names in it every table, bucket, queue, topic and event bus the factory declares, as capsule acme\/DEV names them, .*declare fewer of them per factory .*scopedCredentials: \{ parameters: false \} or \{ secrets: false \}/);
      expect(sts.requests).toEqual([]);
    } finally {
      aws.destroy();
    }
  });
});
