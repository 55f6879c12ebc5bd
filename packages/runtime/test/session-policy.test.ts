/**
 * The session policy by what it allows: requests in the scope and just outside it, evaluated
 * with a small IAM evaluator (test/support/iam-policy.ts, tested in session-policy-evaluator.test.ts).
 * Whether IAM enforces it as intended needs a real AWS account (not run here); the requests'
 * condition keys follow the measured rules in the field notes ("IAM as a second wall").
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { GuardedScope } from '../src/aws/scope.js';
import {
  SCOPED_ITEM_ACTIONS,
  SESSION_POLICY_MAX_CHARACTERS,
  SessionPolicyError,
  sessionPolicyFor,
  type IamPolicyDocument,
  type SessionPolicyResources,
} from '../src/aws/session-policy.js';
import { capsuleId, tenantId, type TenantId } from '../src/ids.js';
import { isAllowed, type IamRequest } from './support/iam-policy.js';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const arn = (service: string, resource: string, account = ACCOUNT, region = REGION): string => `arn:aws:${service}:${region}:${account}:${resource}`;
const DATA = arn('dynamodb', 'table/DEVUS.platform_data');
const EVENTS = arn('dynamodb', 'table/DEVUS.platform_events');
const AUDIT = arn('dynamodb', 'table/DEVUS.platform_audit');
const JOBS = arn('sqs', 'DEVUS-jobs');
const ALERTS = arn('sns', 'DEVUS-alerts');
const BUS = arn('events', 'event-bus/default');

const capsule: GuardedScope = { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: capsuleId('DEVUS') };
const tenant: GuardedScope = { kind: 'tenant', tenantId: tenantId('acme') };

/** The scope the issue names: 3 tables with indexes, 2 buckets, 3 queues, 2 topics, a bus, parameters and secrets. */
const realistic: SessionPolicyResources = {
  tables: [DATA, EVENTS, AUDIT],
  indexes: true,
  buckets: ['acme-uploads', 'acme-exports'],
  queues: [JOBS, arn('sqs', 'DEVUS-emails'), arn('sqs', 'DEVUS-webhooks.fifo')],
  topics: [ALERTS, arn('sns', 'DEVUS-billing')],
  eventBuses: [BUS],
  parameters: { accountId: ACCOUNT, region: REGION },
  secrets: { accountId: ACCOUNT, region: REGION },
};

const request = (action: string, resource: string, context?: IamRequest['context']): IamRequest => ({ action, resource, ...(context === undefined ? {} : { context }) });
const item = (action: string, resource: string, ...keys: string[]): IamRequest => request(action, resource, keys.length === 0 ? undefined : { 'dynamodb:LeadingKeys': keys });

describe('sessionPolicyFor: what a capsule scope may do', () => {
  const policy = sessionPolicyFor(capsule, realistic);
  const allowed = (r: IamRequest): boolean => isAllowed(policy, r);

  it.each([
    ['GetItem under the capsule prefix', item('dynamodb:GetItem', DATA, 'TENANT#acme#CAPSULE#DEVUS#ROLE#1')],
    ['every item-level action the scope needs', ...SCOPED_ITEM_ACTIONS.map((action) => item(action, EVENTS, 'TENANT#acme#CAPSULE#DEVUS#X'))],
    ['Query on an index of a scope table', item('dynamodb:Query', `${AUDIT}/index/by_owner`, 'TENANT#acme#CAPSULE#DEVUS#OWNER#7')],
    ['a batch whose keys are all in the scope', item('dynamodb:BatchWriteItem', DATA, 'TENANT#acme#CAPSULE#DEVUS#1', 'TENANT#acme#CAPSULE#DEVUS#2')],
    ['GetObject under the object prefix', request('s3:GetObject', 'arn:aws:s3:::acme-uploads/tenants/acme/capsules/DEVUS/a/b.pdf')],
    ['object tags and attributes (s3:GetObject*)', request('s3:GetObjectTagging', 'arn:aws:s3:::acme-exports/tenants/acme/capsules/DEVUS/x'), request('s3:GetObjectAttributes', 'arn:aws:s3:::acme-exports/tenants/acme/capsules/DEVUS/x')],
    ['PutObject, DeleteObject, ACL, retention and multipart calls under the prefix', ...['s3:PutObject', 's3:PutObjectAcl', 's3:PutObjectRetention', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:RestoreObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'].map((action) => request(action, 'arn:aws:s3:::acme-uploads/tenants/acme/capsules/DEVUS/big.bin'))],
    ['a list whose prefix is the object prefix or below it', request('s3:ListBucket', 'arn:aws:s3:::acme-uploads', { 's3:prefix': 'tenants/acme/capsules/DEVUS/' }), request('s3:ListBucketVersions', 'arn:aws:s3:::acme-exports', { 's3:prefix': 'tenants/acme/capsules/DEVUS/reports/' })],
    ['sending to, receiving from and purging its queues', ...['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:PurgeQueue', 'sqs:ListQueueTags'].map((action) => request(action, JOBS)), request('sqs:SendMessage', arn('sqs', 'DEVUS-webhooks.fifo'))],
    ['publishing to its topics, reading and ending their subscriptions', ...['sns:Publish', 'sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic', 'sns:GetSubscriptionAttributes', 'sns:Unsubscribe'].map((action) => request(action, ALERTS))],
    ['PutEvents on its bus', request('events:PutEvents', BUS)],
    ['parameters under the parameter prefix', request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS/db/url')), request('ssm:PutParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS/flags'))],
    ['GetParametersByPath on the prefix itself (authorised on the path asked for)', request('ssm:GetParametersByPath', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS/'))],
    ['secrets under the parameter prefix (name plus the random suffix)', request('secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:/tenants/acme/capsules/DEVUS/db-AbCdEf')), request('secretsmanager:PutSecretValue', arn('secretsmanager', 'secret:/tenants/acme/capsules/DEVUS/api/token-123456'))],
  ] as [string, ...IamRequest[]][])('allows %s', (_case, ...requests) => {
    for (const r of requests) expect(allowed(r), JSON.stringify(r)).toBe(true);
  });

  it.each([
    ['another tenant’s items', item('dynamodb:GetItem', DATA, 'TENANT#other#CAPSULE#DEVUS#ROLE#1')],
    ['a capsule whose name extends this one (DEVUSX)', item('dynamodb:GetItem', DATA, 'TENANT#acme#CAPSULE#DEVUSX#ROLE#1')],
    ['the tenant’s own items outside the capsule', item('dynamodb:PutItem', DATA, 'TENANT#acme#PROFILE')],
    ['a batch with one key outside the scope', item('dynamodb:BatchGetItem', DATA, 'TENANT#acme#CAPSULE#DEVUS#1', 'TENANT#other#CAPSULE#DEVUS#2')],
    ['a request with no partition key (Scan)', item('dynamodb:Scan', DATA), item('dynamodb:Query', DATA)],
    ['Scan, PartiQL and table calls, even with keys', ...['dynamodb:Scan', 'dynamodb:PartiQLSelect', 'dynamodb:DescribeTable', 'dynamodb:DeleteTable'].map((action) => item(action, DATA, 'TENANT#acme#CAPSULE#DEVUS#1'))],
    ['a table that is not the scope’s', item('dynamodb:GetItem', arn('dynamodb', 'table/DEVUS.platform_data_archive'), 'TENANT#acme#CAPSULE#DEVUS#1'), item('dynamodb:GetItem', arn('dynamodb', 'table/platform_config'), 'TENANT#acme#CAPSULE#DEVUS#1')],
    ['an object of another tenant or capsule', request('s3:GetObject', 'arn:aws:s3:::acme-uploads/tenants/other/capsules/DEVUS/a'), request('s3:GetObject', 'arn:aws:s3:::acme-uploads/tenants/acme/capsules/DEVUSX/a')],
    ['the tenant’s objects outside the capsule', request('s3:PutObject', 'arn:aws:s3:::acme-uploads/tenants/acme/shared.txt')],
    ['an object in another bucket', request('s3:GetObject', 'arn:aws:s3:::acme-uploads-2/tenants/acme/capsules/DEVUS/a')],
    ['a list without a prefix, or with a wider or foreign one', request('s3:ListBucket', 'arn:aws:s3:::acme-uploads'), request('s3:ListBucket', 'arn:aws:s3:::acme-uploads', { 's3:prefix': 'tenants/acme/' }), request('s3:ListBucket', 'arn:aws:s3:::acme-uploads', { 's3:prefix': 'tenants/acme/capsules/DEVUSX/' })],
    ['listing multipart uploads (no s3:prefix to confine it)', request('s3:ListBucketMultipartUploads', 'arn:aws:s3:::acme-uploads', { 's3:prefix': 'tenants/acme/capsules/DEVUS/' })],
    ['bucket-level calls', request('s3:ListAllMyBuckets', '*'), request('s3:PutBucketPolicy', 'arn:aws:s3:::acme-uploads')],
    ['another queue, or queue administration (attributes can name another queue or principal)', request('sqs:SendMessage', arn('sqs', 'DEVUS-jobs-2')), request('sqs:SendMessage', arn('sqs', 'DEVUS-jobs', '210987654321')), ...['sqs:DeleteQueue', 'sqs:CreateQueue', 'sqs:SetQueueAttributes', 'sqs:AddPermission', 'sqs:TagQueue', 'sqs:StartMessageMoveTask'].map((action) => request(action, JOBS)), request('sqs:ListQueues', '*')],
    ['another topic, subscribing, or topic and subscription settings', request('sns:Publish', arn('sns', 'DEVUS-alerts', ACCOUNT, 'us-east-1')), ...['sns:Subscribe', 'sns:SetSubscriptionAttributes', 'sns:SetTopicAttributes', 'sns:ConfirmSubscription', 'sns:AddPermission', 'sns:DeleteTopic'].map((action) => request(action, ALERTS))],
    ['another bus, or rules on this one', request('events:PutEvents', arn('events', 'event-bus/platform')), request('events:PutRule', arn('events', 'rule/default/x'))],
    ['parameters of another tenant, capsule, region or account', request('ssm:GetParameter', arn('ssm', 'parameter/tenants/other/capsules/DEVUS/db/url')), request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEVUSX/db/url')), request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS/db/url', ACCOUNT, 'us-east-1')), request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS/db/url', '210987654321'))],
    ['a path above the prefix', request('ssm:GetParametersByPath', arn('ssm', 'parameter/tenants/acme/capsules/')), request('ssm:GetParametersByPath', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS'))],
    ['DescribeParameters (every tenant’s names), and parameter policies', request('ssm:DescribeParameters', '*'), request('ssm:PutResourcePolicy', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS/db/url'))],
    ['secrets of another capsule, and secret resource policies', request('secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:/tenants/acme/capsules/DEVUSX/db-AbCdEf')), ...['secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy'].map((action) => request(action, arn('secretsmanager', 'secret:/tenants/acme/capsules/DEVUS/db-AbCdEf'))), ...['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'].map((action) => request(action, '*'))],
  ] as [string, ...IamRequest[]][])('denies %s', (_case, ...requests) => {
    for (const r of requests) expect(allowed(r), JSON.stringify(r)).toBe(false);
  });

  it('puts every resource wildcard last, right after a scope prefix or an index path, so no reading of `*` reaches further', () => {
    const patterns = policy.Statement.flatMap((statement) => statement.Resource).filter((pattern) => /[*?]/.test(pattern));
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) {
      expect(pattern.indexOf('*'), pattern).toBe(pattern.length - 1);
      expect(pattern, pattern).not.toContain('?');
      expect(pattern).toMatch(/(?:\/index\/|tenants\/acme\/capsules\/DEVUS\/)\*$/);
    }
  });

  it('pairs actions and resources of the same services in each statement (AWS authorises an action only on its own service’s ARNs)', () => {
    const serviceOf = (arnOrAction: string): string => (arnOrAction.startsWith('arn:') ? (arnOrAction.split(':')[2] ?? '') : (arnOrAction.split(':')[0] ?? ''));
    for (const statement of policy.Statement) {
      expect(new Set(statement.Action.map(serviceOf))).toEqual(new Set(statement.Resource.map(serviceOf)));
    }
  });

  it('is plain JSON data: the same after a JSON round trip, Allow statements only', () => {
    expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
    expect(new Set(policy.Statement.map((statement) => statement.Effect))).toEqual(new Set(['Allow']));
  });
});

describe('sessionPolicyFor: scope and input forms', () => {
  it('a tenant scope reaches its capsules’ data but not a tenant whose id extends its own', () => {
    const policy = sessionPolicyFor(tenant, { tables: [DATA], buckets: ['acme-uploads'], parameters: { accountId: ACCOUNT, region: REGION } });
    expect(isAllowed(policy, item('dynamodb:GetItem', DATA, 'TENANT#acme#CAPSULE#DEVUS#1'))).toBe(true);
    expect(isAllowed(policy, item('dynamodb:GetItem', DATA, 'TENANT#acmex#1'))).toBe(false);
    expect(isAllowed(policy, request('s3:GetObject', 'arn:aws:s3:::acme-uploads/tenants/acme/capsules/PROD/a'))).toBe(true);
    expect(isAllowed(policy, request('s3:GetObject', 'arn:aws:s3:::acme-uploads/tenants/acmex/a'))).toBe(false);
    expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/x')))).toBe(true);
    expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acmex/x')))).toBe(false);
  });

  it('allows nothing for a kind of resource it was not given', () => {
    const policy = sessionPolicyFor(capsule, { queues: [JOBS] });
    expect(isAllowed(policy, request('sqs:SendMessage', JOBS))).toBe(true);
    expect(isAllowed(policy, item('dynamodb:GetItem', DATA, 'TENANT#acme#CAPSULE#DEVUS#1'))).toBe(false);
    expect(isAllowed(policy, request('s3:GetObject', 'arn:aws:s3:::acme-uploads/tenants/acme/capsules/DEVUS/a'))).toBe(false);
    expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS/a')))).toBe(false);
  });

  it('index ARNs only with `indexes: true`', () => {
    const index = item('dynamodb:Query', `${DATA}/index/by_owner`, 'TENANT#acme#CAPSULE#DEVUS#1');
    expect(isAllowed(sessionPolicyFor(capsule, { tables: [DATA] }), index)).toBe(false);
    expect(isAllowed(sessionPolicyFor(capsule, { tables: [DATA], indexes: true }), index)).toBe(true);
  });

  it('takes the older form, a list of table ARNs with { indexes }, as the same policy; lists each resource once', () => {
    expect(sessionPolicyFor(capsule, [DATA, EVENTS, DATA], { indexes: true })).toEqual(sessionPolicyFor(capsule, { tables: [DATA, EVENTS], indexes: true }));
    expect(sessionPolicyFor(capsule, { queues: [JOBS, JOBS] }).Statement.flatMap((statement) => statement.Resource)).toEqual([JOBS]);
  });

  it('uses the scope’s own parameter prefix when the factory gives it another, and refuses one the guards could not enforce', () => {
    const policy = sessionPolicyFor(capsule, { parameters: { accountId: ACCOUNT, region: REGION }, secrets: { accountId: ACCOUNT, region: REGION }, parameterPrefix: '/crm/tenants/acme/capsules/DEVUS/' });
    expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/crm/tenants/acme/capsules/DEVUS/db')))).toBe(true);
    expect(isAllowed(policy, request('secretsmanager:GetSecretValue', arn('secretsmanager', 'secret:/crm/tenants/acme/capsules/DEVUS/db-AbCdEf')))).toBe(true);
    expect(isAllowed(policy, request('ssm:GetParameter', arn('ssm', 'parameter/tenants/acme/capsules/DEVUS/db')))).toBe(false);
    for (const prefix of ['/crm/*/', '/crm/tenants/acme/', '/crm/tenants/other/capsules/DEVUS/']) {
      expect(() => sessionPolicyFor(capsule, { parameters: { accountId: ACCOUNT, region: REGION }, parameterPrefix: prefix }), prefix).toThrow(/^Cannot build the session policy: found parameterPrefix ".*"; expected the scope's parameter prefix \(scope\.parameterPrefix\): the parameter prefix of capsule acme\/DEVUS is/);
    }
  });

  it('builds bucket, parameter and secret ARNs in the partition given', () => {
    const policy = sessionPolicyFor(capsule, { buckets: ['uploads'], secrets: { accountId: ACCOUNT, region: 'cn-north-1' }, partition: 'aws-cn' });
    expect(isAllowed(policy, request('s3:GetObject', 'arn:aws-cn:s3:::uploads/tenants/acme/capsules/DEVUS/a'))).toBe(true);
    expect(isAllowed(policy, request('s3:GetObject', 'arn:aws:s3:::uploads/tenants/acme/capsules/DEVUS/a'))).toBe(false);
    expect(isAllowed(policy, request('secretsmanager:GetSecretValue', 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:/tenants/acme/capsules/DEVUS/s-AbCdEf'))).toBe(true);
  });
});

describe('sessionPolicyFor: size', () => {
  it('fits the realistic scope within the 2,048-character STS limit (3 tables with indexes, 2 buckets, 3 queues, 2 topics, a bus, parameters, secrets)', () => {
    const text = JSON.stringify(sessionPolicyFor(capsule, realistic));
    expect(text.length).toBeLessThanOrEqual(SESSION_POLICY_MAX_CHARACTERS);
    // STS packs (compresses) policies and reports PackedPolicySize as a percentage with its own, unpublished
    // encoding; raw DEFLATE is shown as an indication only.
    console.info(`session policy, realistic capsule scope: ${text.length} of ${SESSION_POLICY_MAX_CHARACTERS} characters; ${deflateRawSync(text).length} bytes deflated`);
  });

  it('refuses an oversized resource list with a SessionPolicyError giving the size, each part’s share and what to change', () => {
    const queues = Array.from({ length: 30 }, (_, i) => arn('sqs', `DEVUS-worker-queue-${i}`));
    const attempt = (): IamPolicyDocument => sessionPolicyFor(capsule, { ...realistic, queues });
    expect(attempt).toThrow(SessionPolicyError);
    expect(attempt).toThrow(/^Cannot build the session policy: found \d{4} characters for capsule acme\/DEVUS \(about \d+ for 30 queue\(s\), \d+ for 3 table\(s\) with indexes, /);
    expect(attempt).toThrow(/expected at most 2048 \(the STS limit for an inline session policy\), \d+ fewer: the largest part is 30 queue\(s\): pass fewer queues per session; or attach these statements to the scope's role as a managed policy/);
  });

  it('refuses the realistic resources for the longest ids (64-character tenant, 32-character capsule), naming the tables as the largest part', () => {
    const longest: GuardedScope = { kind: 'capsule', tenantId: tenantId('t'.repeat(64)), capsuleId: capsuleId('c'.repeat(32)) };
    expect(() => sessionPolicyFor(longest, realistic)).toThrow(/the largest part is 3 table\(s\) with indexes: pass fewer tables per session, or leave out indexes/);
    // The older DynamoDB-only form stays well inside the limit for them.
    expect(JSON.stringify(sessionPolicyFor(longest, [DATA, EVENTS, AUDIT], { indexes: true })).length).toBeLessThan(SESSION_POLICY_MAX_CHARACTERS / 2);
  });
});

describe('sessionPolicyFor refuses input that would weaken or break the wall', () => {
  it.each([
    ['no tables (older form)', [], /found no table ARNs; expected one or more DynamoDB table ARNs/],
    ['no resources', {}, /found no resources; expected one or more of tables, buckets, queues/],
    ['a wildcard table', [arn('dynamodb', 'table/*')], /found table ARN "arn:aws:dynamodb:eu-west-1:123456789012:table\/\*"; expected a DynamoDB table ARN/],
    ['a wildcard account', ['arn:aws:dynamodb:eu-west-1:*:table/platform_data'], /found table ARN/],
    ['an index ARN', [`${DATA}/index/by_owner`], /pass `indexes: true`/],
    ['an S3 ARN as a table', ['arn:aws:s3:::bucket'], /found table ARN "arn:aws:s3:::bucket"/],
    ['a bucket with a wildcard', { buckets: ['acme-*'] }, /found bucket "acme-\*"; expected an S3 bucket name \(not an ARN\)/],
    ['a bucket ARN', { buckets: ['arn:aws:s3:::uploads'] }, /found bucket "arn:aws:s3:::uploads"/],
    ['a queue URL instead of its ARN', { queues: ['https://sqs.eu-west-1.amazonaws.com/123456789012/DEVUS-jobs'] }, /found queue ARN "https:.*"; expected an SQS queue ARN such as 'arn:aws:sqs:eu-west-1:123456789012:DEVUS-jobs'/],
    ['a queue ARN with a wildcard', { queues: [arn('sqs', 'DEVUS-*')] }, /found queue ARN/],
    ['a topic ARN with a ?', { topics: [arn('sns', 'DEVUS-alert?')] }, /found topic ARN/],
    ['an event bus given by name', { eventBuses: ['default'] }, /found event bus ARN "default"; expected an EventBridge event bus ARN/],
    ['parameters without an account', { parameters: { region: REGION } }, /found parameters \{ region: "eu-west-1" \}; expected \{ accountId: '123456789012', region: 'eu-west-1' \}/],
    ['secrets with a wildcard region', { secrets: { accountId: ACCOUNT, region: '*' } }, /found secrets an object with accountId, region; expected/],
    ['an unknown member (a typo, or the old `arns`)', { arns: [DATA] }, /found resources\.arns; expected only tables, indexes, buckets, .* \(table ARNs go in `tables`\)/],
    ['indexes without tables', { indexes: true, queues: [JOBS] }, /found indexes: true without tables/],
    ['a partition with a wildcard', { queues: [JOBS], partition: 'aws*' }, /found partition "aws\*"/],
  ] as const)('%s', (_case, resources, message) => {
    const attempt = (): IamPolicyDocument => sessionPolicyFor(capsule, resources as SessionPolicyResources);
    expect(attempt).toThrow(SessionPolicyError);
    expect(attempt).toThrow(message);
  });

  it('an unbranded id carrying a StringLike wildcard (`acme*` cast to TenantId) that would widen the prefix', () => {
    const forged: GuardedScope = { kind: 'tenant', tenantId: 'acme*' as TenantId };
    expect(() => sessionPolicyFor(forged, [DATA])).toThrow(/found tenantId "acme\*"; expected 1–64 characters of \[A-Za-z0-9_-\]/);
  });

  it('a scope without a key prefix (operator, platform)', () => {
    const operator = { kind: 'operator', accountId: '123456789012', roleName: 'IsolationOperator' } as unknown as GuardedScope;
    expect(() => sessionPolicyFor(operator, [DATA])).toThrow(/found a scope of kind "operator"; expected a tenant or capsule scope/);
  });
});
