/**
 * The two walls agree: every operation a guarded client runs — read from each service's rules
 * (`guard-*.ts`), not listed here again — is allowed by the scope's session policy on the scope's
 * own resources and denied on its neighbours', unless `UNCONFINABLE_OPERATIONS` names it; then the
 * policy denies it, and AWS would answer the guard-approved call with AccessDenied.
 *
 * How AWS authorises each operation — its IAM actions and the resource and condition keys they are
 * checked against — is AWS's rule (the Service Authorization Reference): `<prefix>:<Operation>` on
 * the resource the call names, but for the operations `AUTHORISED_AS` lists. The policy is the one
 * the factory builds (`scopeSessionPolicy`) and is judged by the IAM evaluator in
 * support/iam-policy.ts, not by its text.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type Scope } from '../src/aws/index.js';
import { defaultBucketNaming } from '../src/aws/buckets.js';
import { GUARDED_OPERATIONS } from '../src/aws/guard-dynamodb.js';
import { GUARDED_EVENTBRIDGE_OPERATIONS } from '../src/aws/guard-eventbridge.js';
import { GUARDED_S3_OPERATIONS } from '../src/aws/guard-s3.js';
import { GUARDED_SECRETS_MANAGER_OPERATIONS } from '../src/aws/guard-secrets-manager.js';
import { GUARDED_SERVICES } from '../src/aws/guard-services.js';
import { GUARDED_SNS_OPERATIONS } from '../src/aws/guard-sns.js';
import { GUARDED_SQS_OPERATIONS } from '../src/aws/guard-sqs.js';
import { GUARDED_SSM_OPERATIONS } from '../src/aws/guard-ssm.js';
import { defaultParameterPrefix } from '../src/aws/parameter-prefix.js';
import { defaultQueueNaming, queueArnOf } from '../src/aws/queues.js';
import { scopeLabel, type GuardedScope } from '../src/aws/scope.js';
import { scopeSessionPolicy, type DeclaredResources } from '../src/aws/scope-session.js';
import { SESSION_POLICY_MAX_CHARACTERS, type IamPolicyDocument } from '../src/aws/session-policy.js';
import { UNCONFINABLE_OPERATIONS, type UnconfinableOperation } from '../src/aws/session-policy-unconfinable.js';
import { defaultTableNaming } from '../src/aws/tables.js';
import { defaultTopicNaming } from '../src/aws/topics.js';
import { DUMMY_CREDENTIALS } from './support/dynamo.js';
import { isAllowed, matchesWildcard, type IamRequest } from './support/iam-policy.js';
import { refusalOf } from './support/refusal.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';

/** The realistic scope: 3 tables with indexes, 2 buckets, 3 queues, 2 topics, a bus, parameters and secrets. */
const DECLARED = {
  tables: ['platform_data', 'platform_events', 'platform_audit'],
  buckets: ['uploads', 'exports'],
  queues: ['jobs', 'emails', 'webhooks'],
  topics: ['alerts', 'billing'],
  eventBuses: ['orders'],
} as const;

/** A bus per scope (named as topics are), so that a neighbour's bus is another bus; by default every scope shares one. */
const eventBusNaming = defaultTopicNaming;

/** Where nothing listens: a request the guard let through would fail to connect instead of being refused. */
const NOWHERE = 'http://127.0.0.1:9';

const names = createClientFactory({ region: REGION, accountId: ACCOUNT, endpoint: NOWHERE, credentials: DUMMY_CREDENTIALS, ...DECLARED, eventBusNaming });
afterAll(() => names.destroy());

const declared: DeclaredResources = {
  region: REGION,
  accountId: ACCOUNT,
  tables: new Set(DECLARED.tables),
  tableNaming: defaultTableNaming,
  buckets: new Set(DECLARED.buckets),
  bucketNaming: defaultBucketNaming,
  topics: new Set(DECLARED.topics),
  topicNaming: defaultTopicNaming,
  queues: new Set(DECLARED.queues),
  queueNaming: defaultQueueNaming,
  queueLocation: { region: REGION, endpoint: NOWHERE, accountId: ACCOUNT },
  eventBuses: new Set(DECLARED.eventBuses),
  eventBusNaming,
  parameterPrefix: defaultParameterPrefix,
};

const policyOf = (scope: Scope): IamPolicyDocument => scopeSessionPolicy(scope.description as GuardedScope, declared, { accountId: ACCOUNT, indexes: true });

const arn = (service: string, resource: string): string => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const request = (action: string, resource: string, context?: IamRequest['context']): IamRequest => ({ action, resource, ...(context === undefined ? {} : { context }) });

/** A scope's resources as IAM names them: what its requests are authorised against. */
interface Place {
  readonly key: string;
  readonly table: string;
  readonly bucket: string;
  readonly objectPrefix: string;
  readonly queue: string;
  readonly topic: string;
  readonly bus: string;
  /** `arn:…:parameter/tenants/acme/capsules/DEVUS/` */
  readonly parameters: string;
  /** `arn:…:secret:/tenants/acme/capsules/DEVUS/` */
  readonly secrets: string;
}

function placeOf(scope: Scope): Place {
  return {
    key: `${scope.keyPrefix}ORDER#1`,
    table: arn('dynamodb', `table/${scope.table('platform_data')}`),
    bucket: `arn:aws:s3:::${scope.bucket('uploads')}`,
    objectPrefix: scope.objectPrefix,
    queue: queueArnOf(scope.queue('jobs'), REGION),
    topic: scope.topic('alerts'),
    bus: arn('events', `event-bus/${scope.eventBus('orders')}`),
    parameters: arn('ssm', `parameter${scope.parameterPrefix}`),
    secrets: arn('secretsmanager', `secret:${scope.parameterPrefix}`),
  };
}

/** One form of a call (`form` as `UNCONFINABLE_OPERATIONS` names it), and the requests IAM authorises for it — all must be allowed. */
interface Form {
  readonly form?: string;
  readonly requests: readonly IamRequest[];
}

/** How one service's operations are authorised: each action on the place's resource, and the operations whose actions or forms differ. */
interface Authorisation {
  readonly prefix: string;
  readonly operations: readonly string[];
  readonly on: (action: string, at: Place) => IamRequest;
  readonly as?: Readonly<Record<string, readonly string[] | ((at: Place) => readonly Form[])>>;
}

const ANYWHERE = (action: string) => (): readonly Form[] => [{ requests: [request(action, '*')] }];
const object = (at: Place, key = 'reports/q1.pdf'): string => `${at.bucket}/${at.objectPrefix}${key}`;
const list = (action: string) => (at: Place): readonly Form[] => [{ requests: [request(action, at.bucket, { 's3:prefix': `${at.objectPrefix}reports/` })] }];

/** Per service id (as `GUARDED_SERVICES` keys them): the operations the guard allows and how AWS authorises them. */
const AUTHORISED_AS: Readonly<Record<string, Authorisation>> = {
  DynamoDB: {
    prefix: 'dynamodb',
    operations: GUARDED_OPERATIONS,
    on: (action, at) => request(action, at.table, { 'dynamodb:LeadingKeys': [at.key] }),
    as: {
      // Transactions are authorised item by item; a query on an index, on the index's ARN.
      TransactWriteItems: ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
      TransactGetItems: ['GetItem'],
      Query: (at) => [{ requests: [at.table, `${at.table}/index/by_owner`].map((resource) => request('dynamodb:Query', resource, { 'dynamodb:LeadingKeys': [at.key] })) }],
      DescribeEndpoints: ANYWHERE('dynamodb:DescribeEndpoints'),
    },
  },
  S3: {
    prefix: 's3',
    operations: GUARDED_S3_OPERATIONS,
    on: (action, at) => request(action, object(at)),
    as: {
      // A `VersionId` makes each read, tag or ACL call its `…Version…` action; ACL, tagging and object-lock headers on a write need theirs.
      GetObject: ['GetObject', 'GetObjectVersion'],
      HeadObject: ['GetObject', 'GetObjectVersion'],
      GetObjectAcl: ['GetObjectAcl', 'GetObjectVersionAcl'],
      PutObjectAcl: ['PutObjectAcl', 'PutObjectVersionAcl'],
      GetObjectTagging: ['GetObjectTagging', 'GetObjectVersionTagging'],
      PutObjectTagging: ['PutObjectTagging', 'PutObjectVersionTagging'],
      DeleteObjectTagging: ['DeleteObjectTagging', 'DeleteObjectVersionTagging'],
      GetObjectAttributes: ['GetObjectAttributes', 'GetObjectVersionAttributes'],
      PutObject: ['PutObject', 'PutObjectAcl', 'PutObjectTagging', 'PutObjectRetention', 'PutObjectLegalHold'],
      DeleteObject: ['DeleteObject', 'DeleteObjectVersion', 'BypassGovernanceRetention'],
      DeleteObjects: ['DeleteObject', 'DeleteObjectVersion', 'BypassGovernanceRetention'],
      PutObjectRetention: ['PutObjectRetention', 'BypassGovernanceRetention'],
      CreateMultipartUpload: ['PutObject', 'PutObjectAcl', 'PutObjectTagging'],
      UploadPart: ['PutObject'],
      CompleteMultipartUpload: ['PutObject'],
      ListParts: ['ListMultipartUploadParts'],
      // A copy reads its source (another key of the scope) and writes its target.
      CopyObject: (at) => [{ requests: [...['GetObject', 'GetObjectVersion', 'GetObjectTagging'].map((action) => request(`s3:${action}`, object(at, 'source.pdf'))), ...['PutObject', 'PutObjectTagging'].map((action) => request(`s3:${action}`, object(at)))] }],
      UploadPartCopy: (at) => [{ requests: [request('s3:GetObject', object(at, 'source.pdf')), request('s3:GetObjectVersion', object(at, 'source.pdf')), request('s3:PutObject', object(at))] }],
      // Lists are authorised on the bucket, with the list's prefix as `s3:prefix`; IAM offers none for multipart uploads.
      ListObjectsV2: list('s3:ListBucket'),
      ListObjects: list('s3:ListBucket'),
      ListObjectVersions: list('s3:ListBucketVersions'),
      ListMultipartUploads: (at) => [{ requests: [request('s3:ListBucketMultipartUploads', at.bucket)] }],
    },
  },
  SQS: {
    prefix: 'sqs',
    operations: [...GUARDED_SQS_OPERATIONS.keys()],
    on: (action, at) => request(action, at.queue),
    as: { SendMessageBatch: ['SendMessage'], DeleteMessageBatch: ['DeleteMessage'], ChangeMessageVisibilityBatch: ['ChangeMessageVisibility'], ListQueues: ANYWHERE('sqs:ListQueues') },
  },
  SNS: {
    prefix: 'sns',
    operations: GUARDED_SNS_OPERATIONS,
    // Subscription calls are authorised on the subscription's topic.
    on: (action, at) => request(action, at.topic),
    as: {
      PublishBatch: ['Publish'],
      Subscribe: (at) => [{ requests: [request('sns:Subscribe', at.topic, { 'sns:Protocol': 'sqs', 'sns:Endpoint': at.queue })] }],
    },
  },
  EventBridge: { prefix: 'events', operations: GUARDED_EVENTBRIDGE_OPERATIONS, on: (action, at) => request(action, at.bus) },
  SSM: {
    prefix: 'ssm',
    operations: [...GUARDED_SSM_OPERATIONS.keys()],
    on: (action, at) => request(action, `${at.parameters}db/url`),
    as: {
      // Authorised on the path asked for: the prefix (with its `/`) or a path under it; the prefix without its `/` is a name of the level above.
      GetParametersByPath: (at) => [
        { requests: [request('ssm:GetParametersByPath', at.parameters), request('ssm:GetParametersByPath', `${at.parameters}db/`)] },
        { form: "Path without its trailing '/'", requests: [request('ssm:GetParametersByPath', at.parameters.slice(0, -1))] },
      ],
      DescribeParameters: ANYWHERE('ssm:DescribeParameters'),
    },
  },
  'Secrets Manager': {
    prefix: 'secretsmanager',
    operations: [...GUARDED_SECRETS_MANAGER_OPERATIONS.keys()],
    on: (action, at) => request(action, `${at.secrets}db-AbCdEf`),
    as: { ListSecrets: ANYWHERE('secretsmanager:ListSecrets'), BatchGetSecretValue: ANYWHERE('secretsmanager:BatchGetSecretValue'), GetRandomPassword: ANYWHERE('secretsmanager:GetRandomPassword') },
  },
};

/** The forms of `operation` and their requests at `at`. */
function formsOf(service: Authorisation, operation: string, at: Place): readonly Form[] {
  const rule = service.as?.[operation];
  if (typeof rule === 'function') return rule(at);
  return [{ requests: (rule ?? [operation]).map((action) => service.on(`${service.prefix}:${action}`, at)) }];
}

const unconfinable = (service: string, operation: string, form: string | undefined): UnconfinableOperation | undefined =>
  UNCONFINABLE_OPERATIONS.find((entry) => entry.service === service && entry.operation === operation && (entry.form === undefined || entry.form === form));

const capsule = names.capsule('acme', 'DEVUS');
const tenant = names.tenant('acme');
const SCOPES = [
  { scope: capsule, neighbours: [names.capsule('acme', 'DEVUSX'), names.capsule('acme', 'PROD'), names.capsule('globex', 'DEVUS'), tenant] },
  { scope: tenant, neighbours: [names.tenant('acmex'), names.tenant('globex'), names.capsule('globex', 'DEV')] },
] as const;

const label = (scope: Scope): string => scopeLabel(scope.description);

describe('the session policy allows what the guard allows', () => {
  it('knows how AWS authorises every guarded service', () => {
    expect(Object.keys(AUTHORISED_AS).sort()).toEqual([...GUARDED_SERVICES.keys()].sort());
  });

  describe.each(SCOPES.map(({ scope, neighbours }) => [label(scope), scope, neighbours] as const))('%s', (_label, scope, neighbours) => {
    const policy = policyOf(scope);
    const own = placeOf(scope);
    const theirs = neighbours.map(placeOf);

    it.each(Object.entries(AUTHORISED_AS))('%s: every operation the guard allows is allowed on the scope’s resources and denied on its neighbours’, or listed as unconfinable and denied', (service, authorisation) => {
      expect(authorisation.operations.length).toBeGreaterThan(0);
      for (const operation of authorisation.operations) {
        for (const { form, requests } of formsOf(authorisation, operation, own)) {
          const shown = `${service} ${operation}${form === undefined ? '' : ` (${form})`}`;
          const expected = unconfinable(service, operation, form) === undefined;
          for (const r of requests) expect(isAllowed(policy, r), `${shown}: ${JSON.stringify(r)}`).toBe(expected);
        }
        for (const neighbour of theirs) {
          for (const { requests } of formsOf(authorisation, operation, neighbour)) {
            for (const r of requests) expect(isAllowed(policy, r), `${service} ${operation} on a neighbour's resource: ${JSON.stringify(r)}`).toBe(false);
          }
        }
      }
    });

    it('allows no action that no guard-allowed call needs', () => {
      const needed = Object.entries(AUTHORISED_AS).flatMap(([service, authorisation]) =>
        authorisation.operations.flatMap((operation) => formsOf(authorisation, operation, own).filter(({ form }) => unconfinable(service, operation, form) === undefined).flatMap(({ requests }) => requests.map((r) => r.action))),
      );
      for (const pattern of policy.Statement.flatMap((statement) => statement.Action)) {
        expect(needed.some((action) => matchesWildcard(pattern, action, { ignoreCase: true })), pattern).toBe(true);
      }
    });

    it('fits STS’s 2,048 characters', () => {
      const size = JSON.stringify(policy).length;
      expect(size).toBeLessThanOrEqual(SESSION_POLICY_MAX_CHARACTERS);
      console.info(`session policy with every confinable guard-allowed action, realistic ${label(scope)}: ${size} of ${SESSION_POLICY_MAX_CHARACTERS} characters`);
    });
  });

  it('lists as unconfinable only operations the guard allows, each with a reason, in a form the guard allows', () => {
    for (const entry of UNCONFINABLE_OPERATIONS) {
      const authorisation = AUTHORISED_AS[entry.service];
      expect(authorisation?.operations, `${entry.service} ${entry.operation}`).toContain(entry.operation);
      if (entry.form !== undefined && authorisation !== undefined) expect(formsOf(authorisation, entry.operation, placeOf(capsule)).map(({ form }) => form)).toContain(entry.form);
      expect(entry.reason.length, `${entry.service} ${entry.operation}`).toBeGreaterThan(40);
    }
  });
});

describe("a tenant scope and its capsule's resources: both walls draw the same line", () => {
  const policy = policyOf(tenant);
  const dev = names.capsule('acme', 'DEV');
  const theirs = placeOf(dev);

  it("reaches the capsule's items in the tenant's tables, objects, parameters and secrets: they lie under the tenant's prefixes", () => {
    const item = request('dynamodb:GetItem', arn('dynamodb', `table/${tenant.table('platform_data')}`), { 'dynamodb:LeadingKeys': [`${dev.keyPrefix}ORDER#1`] });
    for (const r of [item, request('s3:GetObject', object(theirs)), request('ssm:GetParameter', `${theirs.parameters}db/url`), request('secretsmanager:GetSecretValue', `${theirs.secrets}db-AbCdEf`)]) {
      expect(isAllowed(policy, r), JSON.stringify(r)).toBe(true);
    }
  });

  it("does not reach the capsule's own tables, queues, topics and buses (exact names per scope), and the tenant's guard refuses them too", async () => {
    for (const r of [request('sqs:SendMessage', theirs.queue), request('sns:Publish', theirs.topic), request('events:PutEvents', theirs.bus), request('dynamodb:GetItem', theirs.table, { 'dynamodb:LeadingKeys': [theirs.key] })]) {
      expect(isAllowed(policy, r), JSON.stringify(r)).toBe(false);
    }
    const queued = await refusalOf(tenant.client(SQSClient).send(new SendMessageCommand({ QueueUrl: dev.queue('jobs'), MessageBody: 'x' })), IsolationViolationError);
    expect(queued.rule).toBe('queue-scope');
    const published = await refusalOf(tenant.client(SNSClient).send(new PublishCommand({ TopicArn: dev.topic('alerts'), Message: 'x' })), IsolationViolationError);
    expect(published.rule).toBe('topic-scope');
  });
});
