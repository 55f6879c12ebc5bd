/**
 * OperatorCredentials against a local STS endpoint speaking AssumeRole's wire format (AWS Query
 * protocol, as the installed @aws-sdk/client-sts sends it), through the real SDK: the real STS
 * client makes the calls, and real DynamoDB and S3 clients resolve credentials through their own
 * middleware (only their final HTTP hop is a no-op handler that records the SigV4 signature).
 * Time is real: short-lived credentials (2–5 s) stand in for the hour-long ones.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssumeRoleError, OperatorCredentials, OperatorCredentialsError, type OperatorCredentialOptions } from '../src/aws/credentials.js';
import { sessionPolicyFor } from '../src/aws/session-policy.js';
import { capsuleId, tenantId } from '../src/ids.js';
import { startStsServer, type StsServer } from '../src/testing/sts-server.js';

const REGION = 'eu-west-1';
const BASE = { accessKeyId: 'AKIDOPERATORBASE', secretAccessKey: 'base-secret' };

let sts: StsServer;
const created: OperatorCredentials[] = [];

beforeAll(async () => {
  sts = await startStsServer();
});
afterEach(() => {
  for (const operator of created.splice(0)) operator.destroy();
  sts.reset();
});
afterAll(async () => {
  await sts.close();
});

function operator(options: Partial<OperatorCredentialOptions> = {}): OperatorCredentials {
  const credentials = new OperatorCredentials({ region: REGION, stsEndpoint: sts.endpoint, baseCredentials: BASE, ...options });
  created.push(credentials);
  return credentials;
}

const roleArn = (account: string, role = 'IsolationOperator'): string => `arn:aws:iam::${account}:role/${role}`;
const accounts = (count: number, first = 111111111100): string[] => Array.from({ length: count }, (_, i) => String(first + i));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}
/** Sleeps until `ms` after `start`. */
const sleepUntil = (start: number, ms: number): Promise<void> => sleep(Math.max(0, start + ms - Date.now()));

/** The final HTTP hop of a real SDK client: records the access key the request was signed with. */
function recordingHandler(body: string, contentType?: string): { signedWith: string[]; handle(request: HttpRequest): Promise<{ response: HttpResponse }> } {
  const signedWith: string[] = [];
  return {
    signedWith,
    handle: async (request) => {
      signedWith.push(/Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '(unsigned)');
      const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
      return { response: new HttpResponse({ statusCode: 200, headers, body: new TextEncoder().encode(body) }) };
    },
  };
}
const dynamoHandler = (): ReturnType<typeof recordingHandler> => recordingHandler('{}', 'application/x-amz-json-1.0');
const getItem = (): GetItemCommand => new GetItemCommand({ TableName: 'platform_data', Key: { pk: { S: 'TENANT#acme#' }, sk: { S: 'A' } } });

describe('OperatorCredentials against a local STS endpoint speaking AssumeRole’s wire format', () => {
  it('10,000 concurrent requests, each on its own real DynamoDBClient, over 10 operator roles make exactly 10 AssumeRole calls', async () => {
    const operators = operator();
    const roles = accounts(10);
    const handlers = new Map(roles.map((account) => [account, dynamoHandler()]));
    sts.setDelay(50); // every request is issued while the AssumeRole calls are still in flight

    const started = performance.now();
    await Promise.all(
      Array.from({ length: 10_000 }, (_, i) => {
        const account = roles[i % roles.length]!;
        const client = new DynamoDBClient({ region: REGION, endpoint: 'http://dynamodb.test', credentials: operators.provider(account), requestHandler: handlers.get(account)! });
        return client.send(getItem());
      }),
    );
    const elapsedMs = performance.now() - started;

    expect(sts.calls()).toBe(10);
    for (const account of roles) expect(sts.calls(roleArn(account))).toBe(1);
    expect(sts.requests.every((request) => request.signedWith === BASE.accessKeyId)).toBe(true);
    // Every request was signed with the one key STS issued for its own account's role.
    for (const [account, handler] of handlers) {
      expect(handler.signedWith).toHaveLength(1000);
      expect(new Set(handler.signedWith.map((key) => sts.roleOfAccessKey(key)))).toEqual(new Set([roleArn(account)]));
      expect(new Set(handler.signedWith).size).toBe(1);
    }
    console.info(`10,000 DynamoDBClients over 10 roles: ${sts.calls()} AssumeRole calls, ${elapsedMs.toFixed(0)} ms`);
  });

  it('is used by SDK clients as is (memoized = true): five DynamoDB and S3 clients on one provider share one AssumeRole call', async () => {
    const provider = operator().provider('222222222222');
    expect(provider.memoized).toBe(true);
    const dynamo = dynamoHandler();
    const s3 = recordingHandler('');
    await Promise.all([
      ...Array.from({ length: 3 }, () => new DynamoDBClient({ region: REGION, endpoint: 'http://dynamodb.test', credentials: provider, requestHandler: dynamo }).send(getItem())),
      ...Array.from({ length: 2 }, () => new S3Client({ region: REGION, credentials: provider, requestHandler: s3 }).send(new HeadBucketCommand({ Bucket: 'operator-bucket' }))),
    ]);
    expect(sts.calls()).toBe(1);
    const keys = new Set([...dynamo.signedWith, ...s3.signedWith]);
    expect(keys.size).toBe(1);
    expect(sts.roleOfAccessKey([...keys][0]!)).toBe(roleArn('222222222222'));
  });

  it('baseline, aws-sdk-js-v3 issue 4612: a plain fromTemporaryCredentials provider shared by five clients makes five AssumeRole calls', async () => {
    const plain = fromTemporaryCredentials({
      params: { RoleArn: roleArn('333333333333'), RoleSessionName: 'baseline' },
      // Without a requestHandler of its own it would borrow the calling client's (here the no-op
      // one); handler options make the STS client build its default Node handler.
      clientConfig: { region: REGION, endpoint: sts.endpoint, credentials: BASE, requestHandler: { requestTimeout: 5000 } },
    });
    const handler = dynamoHandler();
    await Promise.all(Array.from({ length: 5 }, () => new DynamoDBClient({ region: REGION, endpoint: 'http://dynamodb.test', credentials: plain, requestHandler: handler }).send(getItem())));
    expect(sts.calls()).toBe(5);
  });

  it('sends RoleArn, RoleSessionName, DurationSeconds, ExternalId and a session policy on the wire, signed with the base credentials', async () => {
    const scope = { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: capsuleId('DEVUS') } as const;
    const policy = sessionPolicyFor(scope, ['arn:aws:dynamodb:eu-west-1:444444444444:table/platform_data']);
    const operators = operator({ roleName: 'CustomerOperator', roleSessionName: 'ops-console', sessionDurationSeconds: 900, refreshBeforeExpirySeconds: 60 });

    const identity = await operators.provider('444444444444', { externalId: 'ext-7f3a:acme', policy })();

    expect(sts.requests).toEqual([
      {
        roleArn: 'arn:aws:iam::444444444444:role/CustomerOperator',
        roleSessionName: 'ops-console',
        durationSeconds: 900,
        externalId: 'ext-7f3a:acme',
        policy: JSON.stringify(policy),
        signedWith: BASE.accessKeyId,
        outcome: 'issued',
      },
    ]);
    expect(identity).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIATEST/), sessionToken: expect.any(String), accountId: '444444444444' });
    expect(identity.expiration!.getTime() - Date.now()).toBeGreaterThan(890_000);
  });

  it('keys providers by (account, role, externalId, policy): equal keys share one provider, each distinct key assumes the role once', async () => {
    const operators = operator();
    const account = '555555555555';
    const policyText = '{"Version":"2012-10-17","Statement":[]}';
    const same = [operators.provider(account), operators.provider(account, { roleName: 'IsolationOperator' })];
    expect(same[0]).toBe(same[1]);
    expect(operators.provider(account, { policy: policyText })).toBe(operators.provider(account, { policy: JSON.parse(policyText) as never }));
    const distinct = [
      operators.provider(account),
      operators.provider(account, { roleName: 'Other' }),
      operators.provider(account, { externalId: 'ext-1' }),
      operators.provider(account, { externalId: 'ext-2' }),
      operators.provider(account, { policy: policyText }),
      operators.provider('555555555556'),
    ];
    expect(new Set(distinct).size).toBe(6);
    await Promise.all(distinct.flatMap((provider) => [provider(), provider(), provider()]));
    expect(sts.calls()).toBe(6);
    expect(operators.size).toBe(6);
  });

  it('refreshes ahead of expiry: inside the refresh window callers get the current credentials at once and one background AssumeRole replaces them before they expire', async () => {
    sts.setLifetime(3);
    const provider = operator({ refreshBeforeExpirySeconds: 1.5 }).provider('666666666666');
    const start = Date.now();
    const first = await provider();
    expect(sts.calls()).toBe(1);

    // Fresh: no STS call.
    await sleepUntil(start, 500);
    expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    expect(sts.calls()).toBe(1);

    // Inside the window (1.5 s before expiry), with a slow STS: 1,000 concurrent callers.
    await sleepUntil(start, 1700);
    sts.setDelay(300);
    const timed = await Promise.all(
      Array.from({ length: 1000 }, async () => {
        const t = performance.now();
        const identity = await provider();
        return { identity, ms: performance.now() - t };
      }),
    );
    const slowest = Math.max(...timed.map(({ ms }) => ms));
    expect(new Set(timed.map(({ identity }) => identity.accessKeyId))).toEqual(new Set([first.accessKeyId]));
    expect(slowest).toBeLessThan(150); // nobody waited on the 300 ms AssumeRole
    expect(first.expiration!.getTime()).toBeGreaterThan(Date.now());

    await until(() => sts.requests.length === 2 && sts.requests[1]!.outcome === 'issued');
    await sleep(350);
    const second = await provider();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(Date.now()).toBeLessThan(first.expiration!.getTime()); // replaced before the old ones expired
    expect(sts.calls()).toBe(2);
    expect(sts.maxInFlight).toBe(1);
    console.info(`inside the refresh window: 1,000 callers, 1 AssumeRole, slowest caller ${slowest.toFixed(1)} ms (STS delay 300 ms)`);
  });

  it('no stampede at expiry: 1,000 concurrent callers holding expired credentials wait on one AssumeRole and all get the new credentials', async () => {
    sts.setLifetime(2);
    const provider = operator({ refreshBeforeExpirySeconds: 1 }).provider('777777777777');
    const first = await provider();
    await sleep(first.expiration!.getTime() - Date.now() + 50); // nobody called during the window
    sts.setDelay(200);

    const started = performance.now();
    const identities = await Promise.all(Array.from({ length: 1000 }, () => provider()));
    const elapsedMs = performance.now() - started;

    expect(sts.calls()).toBe(2);
    expect(sts.maxInFlight).toBe(1);
    expect(new Set(identities.map((identity) => identity.accessKeyId)).size).toBe(1);
    expect(identities[0]!.accessKeyId).not.toBe(first.accessKeyId);
    expect(identities.every((identity) => identity.expiration!.getTime() > Date.now())).toBe(true);
    console.info(`expired credentials: 1,000 callers, 1 AssumeRole, all waited ${elapsedMs.toFixed(0)} ms (STS delay 200 ms)`);
  });

  it('does not start inside the window when STS issues credentials shorter than refreshBeforeExpirySeconds: the lead is at most half their lifetime', async () => {
    sts.setLifetime(2); // refreshBeforeExpirySeconds stays at its default, 300
    const provider = operator().provider('888888888888');
    const first = await provider();
    for (let i = 0; i < 50; i += 1) expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    await sleep(300);
    await provider();
    expect(sts.calls()).toBe(1);
  });

  it.each([
    ['Throttling', 400],
    ['InternalFailure', 500],
  ] as const)('does not cache a failed AssumeRole (%s, HTTP %i): every waiting caller gets the error naming the role, the next call succeeds', async (failure, status) => {
    const provider = operator().provider('999999999999');
    sts.failNext(3, failure); // the STS client's standard retry makes 3 attempts

    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => provider()));
    const errors = outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as unknown) : undefined));
    expect(errors.every((error) => error instanceof AssumeRoleError)).toBe(true);
    const error = errors[0] as AssumeRoleError;
    expect(error.message).toMatch(new RegExp(`^STS AssumeRole for arn:aws:iam::999999999999:role/IsolationOperator failed: ${failure}: `));
    expect(error.cause).toMatchObject({ name: failure, $metadata: { httpStatusCode: status, attempts: 3 } });
    expect(sts.calls()).toBe(3); // one coalesced call (with its SDK retries) for all 100 callers

    const recovered = await provider();
    expect(recovered.accessKeyId).toMatch(/^ASIATEST/);
    expect(sts.calls()).toBe(4);
  });

  it('lets the STS client’s own retries absorb fewer failures than its attempts', async () => {
    sts.failNext(2, 'InternalFailure');
    await expect(operator().provider('121212121212')()).resolves.toMatchObject({ accountId: '121212121212' });
    expect(sts.requests.map((request) => request.outcome)).toEqual(['InternalFailure', 'InternalFailure', 'issued']);
  });

  it('a failed background refresh keeps serving the still-valid credentials, is not cached, and is retried after a short backoff', async () => {
    sts.setLifetime(5);
    const provider = operator({ refreshBeforeExpirySeconds: 4 }).provider('131313131313'); // lead 2.5 s (half the lifetime)
    const start = Date.now();
    const first = await provider();

    await sleepUntil(start, 2600);
    sts.failNext(3, 'InternalFailure');
    expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    await until(() => sts.requests.length === 4);
    await sleep(20);
    // Failed in the background; callers are unaffected, and the backoff holds off another call.
    expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    expect(sts.calls()).toBe(4);

    await sleep(550); // backoff: a quarter of the non-blocking part of the window (500 ms here)
    expect((await provider()).accessKeyId).toBe(first.accessKeyId);
    await until(() => sts.requests.length === 5);
    await sleep(50);
    const refreshed = await provider();
    expect(refreshed.accessKeyId).not.toBe(first.accessKeyId);
    expect(Date.now()).toBeLessThan(first.expiration!.getTime());
    expect(sts.requests.map((request) => request.outcome)).toEqual(['issued', 'InternalFailure', 'InternalFailure', 'InternalFailure', 'issued']);
  });

  it('bounds the cache with maxRoles: the least recently used provider is dropped, and its role is assumed again when asked for anew', async () => {
    const operators = operator({ maxRoles: 2 });
    const [a, b, c] = accounts(3, 141414141400) as [string, string, string];
    const providerA = operators.provider(a);
    const providerB = operators.provider(b);
    await Promise.all([providerA(), providerB()]);
    expect(operators.provider(a)).toBe(providerA); // A is now the most recently used
    await operators.provider(c)(); // drops B
    expect(operators.size).toBe(2);
    expect(operators.provider(a)).toBe(providerA);
    const providerB2 = operators.provider(b); // drops C
    expect(providerB2).not.toBe(providerB);
    await providerB2();
    expect([sts.calls(roleArn(a)), sts.calls(roleArn(b)), sts.calls(roleArn(c))]).toEqual([1, 2, 1]);
    expect(operators.size).toBe(2);
  });

  describe('validates its input, saying what it found and what it expects', () => {
    it.each([
      ['an account id of 11 digits', (o: OperatorCredentials) => o.provider('12345678901'), /Invalid accountId: found "12345678901"; expected a 12-digit AWS account id/],
      ['an account id with a dash', (o: OperatorCredentials) => o.provider('1234-5678-9012'), /found "1234-5678-9012"; expected a 12-digit/],
      ['a role name with a space', (o: OperatorCredentials) => o.provider('123456789012', { roleName: 'Isolation Operator' }), /Invalid roleName: found "Isolation Operator"; expected an IAM role name/],
      ['a role name with a path', (o: OperatorCredentials) => o.provider('123456789012', { roleName: 'ops/Operator' }), /without a path/],
      ['a role name of 65 characters', (o: OperatorCredentials) => o.provider('123456789012', { roleName: 'R'.repeat(65) }), /1–64 characters/],
      ['a one-character external id', (o: OperatorCredentials) => o.provider('123456789012', { externalId: 'x' }), /Invalid externalId: found "x"; expected 2–1224/],
      ['a policy that is not JSON', (o: OperatorCredentials) => o.provider('123456789012', { policy: '{nope' }), /Invalid policy: found "\{nope"; expected an IAM policy document/],
      ['a policy over 2048 characters', (o: OperatorCredentials) => o.provider('123456789012', { policy: JSON.stringify({ Sid: 'x'.repeat(2100) }) }), /found 2\d{3} characters; expected at most 2048/],
    ])('refuses %s', (_case, call, message) => {
      const operators = operator();
      expect(() => call(operators)).toThrow(OperatorCredentialsError);
      expect(() => call(operators)).toThrow(message);
    });

    it.each([
      ['a region with a space', { region: 'eu west 1' }, /Invalid region: found "eu west 1"; expected an AWS region/],
      ['a relative STS endpoint', { stsEndpoint: 'sts.local' }, /Invalid stsEndpoint: found "sts.local"; expected an absolute URL/],
      ['a session shorter than STS allows', { sessionDurationSeconds: 600 }, /Invalid sessionDurationSeconds: found 600 \(number\); expected a whole number of seconds from 900 to 43200/],
      ['a refresh lead as long as the session', { sessionDurationSeconds: 900, refreshBeforeExpirySeconds: 900 }, /Invalid refreshBeforeExpirySeconds: found 900 \(number\); expected .* below sessionDurationSeconds \(900\)/],
      ['a cache bound of 0', { maxRoles: 0 }, /Invalid maxRoles: found 0 \(number\); expected a whole number ≥ 1/],
      ['a one-character session name', { roleSessionName: 'x' }, /Invalid roleSessionName: found "x"/],
    ] as const)('refuses options with %s', (_case, options, message) => {
      expect(() => new OperatorCredentials({ region: REGION, ...options })).toThrow(OperatorCredentialsError);
      expect(() => new OperatorCredentials({ region: REGION, ...options })).toThrow(message);
    });
  });
});
