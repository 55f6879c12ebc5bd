/**
 * Guards users define for services the runtime does not guard (`ServiceGuard`), registered with
 * the factory (`createClientFactory({ guards })`) or installed with the SDK's plugin idiom
 * (`client.middlewareStack.use(getIsolationGuardPlugin(client.config, …))`), on real SDK clients:
 * STS (AWS Query protocol: bound by address) against the local STS endpoint, and Cognito Identity
 * (AWS JSON 1.1: bound by target header) against a local endpoint speaking its JSON protocol.
 * Every request the user's rules refuse must leave nothing on the wire: a recording request
 * handler under the guard sees every request that is sent.
 */
import { GetIdCommand, CognitoIdentityClient } from '@aws-sdk/nested-clients/cognito-identity';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { HttpRequest } from '@smithy/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../src/aws/factory.js';
import { hasIsolationGuard } from '../src/aws/guard.js';
import { getIsolationGuardPlugin, ISOLATION_GUARD_MIDDLEWARE } from '../src/aws/guard-plugin.js';
import type { GuardedScope } from '../src/aws/scope.js';
import type { GuardFailure, GuardInput, ServiceGuard } from '../src/aws/service-guard.js';
import { IsolationViolationError } from '../src/aws/violation.js';
import { capsuleId, tenantId } from '../src/ids.js';
import { startJsonProtocolServer, type JsonProtocolServer } from '../src/testing/json-protocol-server.js';
import { startStsServer, type StsServer } from '../src/testing/sts-server.js';
import { createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';
import { refusalOf } from './support/refusal.js';
import { assume, bodyText, RecordingHandler, ROLE_ACCOUNT, tenantRoles } from './support/sts-guard.js';

const REGION = 'eu-west-1';
const ACCOUNT = ROLE_ACCOUNT;
const acme: GuardedScope = { kind: 'tenant', tenantId: tenantId('acme') };
const ownRole = `arn:aws:iam::${ACCOUNT}:role/tenants/acme/reader`;
const otherRole = `arn:aws:iam::${ACCOUNT}:role/tenants/globex/reader`;

/** Adds `edit` at `step` of the client's stack: code holding a client, rewriting what it sends. */
function tamper(client: { readonly middlewareStack: unknown }, step: 'build' | 'finalizeRequest', edit: (request: HttpRequest) => void): void {
  type Next = (args: { request: HttpRequest }) => Promise<unknown>;
  const stack = client.middlewareStack as { add(middleware: (next: Next) => Next, options: object): void };
  stack.add((next) => (args) => {
    edit(args.request);
    return next(args);
  }, { step, name: `tamper-${step}`, override: true });
}

let sts: StsServer;
beforeAll(async () => {
  sts = await startStsServer();
});
afterAll(async () => {
  await sts.close();
});
beforeEach(() => sts.reset());

describe('createClientFactory({ guards }) with a user guard for STS, against a local endpoint speaking STS’s Query protocol (AssumeRole)', () => {
  const factory = (handler: RecordingHandler, extra: { guards?: readonly ServiceGuard[]; onViolation?: (error: IsolationViolationError) => void } = {}) =>
    createClientFactory({ region: REGION, endpoint: sts.endpoint, credentials: DUMMY_CREDENTIALS, clientConfig: { requestHandler: handler }, ...extra });

  it('without the guard, a tenant scope refuses the STS client and says how to register one', () => {
    const aws = factory(new RecordingHandler());
    const error = (() => {
      try {
        aws.tenant('acme').client(STSClient);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(IsolationViolationError);
    expect((error as IsolationViolationError).rule).toBe('unguarded-client');
    expect((error as Error).message).toContain("createClientFactory({ guards: [{ serviceId: \"STS\", targetPrefix | bind, rules }] })");
    aws.destroy();
  });

  it('with it, the scope hands out a guarded STS client: the tenant’s own role is assumed, another tenant’s is refused before sending', async () => {
    const handler = new RecordingHandler();
    const violations: IsolationViolationError[] = [];
    const aws = factory(handler, { guards: [tenantRoles], onViolation: (violation) => violations.push(violation) });
    const client = aws.tenant('acme').client(STSClient);
    expect(hasIsolationGuard(client)).toBe(true);

    const output = await client.send(assume(ownRole));
    expect(output.Credentials?.AccessKeyId).toMatch(/^ASIATEST/);
    expect(sts.requests.map((request) => request.roleArn)).toEqual([ownRole]);

    const refused = await refusalOf(client.send(assume(otherRole)), IsolationViolationError);
    expect(refused.rule).toBe('service-scope');
    expect(refused.command).toBe('AssumeRoleCommand');
    expect(refused.message).toBe(`[isolation/service-scope] AssumeRoleCommand refused in tenant acme: found RoleArn = "${otherRole}"; expected a role under arn:aws:iam::${ACCOUNT}:role/tenants/acme/`);
    const unbounded = await refusalOf(client.send(new GetCallerIdentityCommand({})), IsolationViolationError);
    expect(unbounded.rule).toBe('unbounded-operation');

    expect(handler.sent).toHaveLength(1);
    expect(sts.requests.map((request) => request.roleArn)).toEqual([ownRole]);
    expect(violations).toEqual([refused, unbounded]);
    aws.destroy();
  });

  it.each([
    ['a build-step middleware that rewrites the form body to another tenant’s role', 'build' as const, (request: HttpRequest): void => void (request.body = bodyText(request.body).replace(encodeURIComponent(ownRole), encodeURIComponent(otherRole)))],
    ['a finalize-step middleware that sends the judged body to another path', 'finalizeRequest' as const, (request: HttpRequest): void => void (request.path = '/elsewhere')],
    ['a finalize-step middleware that adds a query parameter', 'finalizeRequest' as const, (request: HttpRequest): void => void (request.query = { ...request.query, Action: 'GetFederationToken' })],
  ])('%s: the gate sends only the address the seal recorded, so nothing is sent', async (_case, step, edit) => {
    const handler = new RecordingHandler();
    const aws = factory(handler, { guards: [tenantRoles] });
    const client = aws.tenant('acme').client(STSClient);
    tamper(client, step, edit);
    const refused = await refusalOf(client.send(assume(ownRole)), IsolationViolationError);
    expect(refused.rule).toBe('unverifiable-request');
    expect(refused.found).toMatch(/^a STS request the guard did not judge/);
    expect(handler.sent).toHaveLength(0);
    expect(sts.requests).toHaveLength(0);
    aws.destroy();
  });

  it('the rules judge one copy of the input, and that copy is sent: a getter cannot show them one role and the serializer another', async () => {
    const handler = new RecordingHandler();
    const aws = factory(handler, { guards: [tenantRoles] });
    const client = aws.tenant('acme').client(STSClient);
    let reads = 0;
    const input = { RoleSessionName: 's' } as { RoleSessionName: string; RoleArn: string };
    Object.defineProperty(input, 'RoleArn', { enumerable: true, get: () => (reads++ === 0 ? ownRole : otherRole) });
    await client.send(new AssumeRoleCommand(input));
    // The seal's copy read the getter once, and that answer was judged and sent.
    expect(reads).toBe(1);
    expect(sts.requests.map((request) => request.roleArn)).toEqual([ownRole]);
    aws.destroy();
  });

  it.each([
    ['throw', (): GuardFailure | undefined => {
      throw new Error('rules bug');
    }, /found the "STS" guard's rules, which threw \(rules bug\)/],
    ['return a promise (rules are synchronous)', (): GuardFailure | undefined => Promise.resolve(undefined) as never, /which returned .*; expected rules that return undefined to send or \{ found, expected \} to refuse, synchronously/],
    ['return null', (): GuardFailure | undefined => null as never, /which returned null/],
    ['return true', (): GuardFailure | undefined => true as never, /which returned true \(a boolean\)/],
    ['return a failure without `expected`', (): GuardFailure | undefined => ({ found: 'x' }) as never, /which returned \{ found: "x" \}/],
  ])('rules that %s refuse the request (fail closed) and send nothing', async (_case, rules, message) => {
    const handler = new RecordingHandler();
    const aws = factory(handler, { guards: [{ ...tenantRoles, rules }] });
    const refused = await refusalOf(aws.tenant('acme').client(STSClient).send(assume(ownRole)), IsolationViolationError);
    expect(refused.rule).toBe('unverifiable-request');
    expect(refused.message).toMatch(message);
    expect(handler.sent).toHaveLength(0);
    aws.destroy();
  });

  it('a bind that refuses keeps the judged request from being sent', async () => {
    const handler = new RecordingHandler();
    const aws = factory(handler, { guards: [{ ...tenantRoles, bind: () => ({ found: 'a host that is not STS', expected: 'sts.eu-west-1.amazonaws.com', rule: 'unverifiable-request' }) }] });
    const refused = await refusalOf(aws.tenant('acme').client(STSClient).send(assume(ownRole)), IsolationViolationError);
    expect(refused.message).toContain('found a host that is not STS; expected sts.eu-west-1.amazonaws.com');
    expect(handler.sent).toHaveLength(0);
    aws.destroy();
  });
});

describe('getIsolationGuardPlugin on clients the user built, against the same local endpoints', () => {
  const stsClient = (handler: RecordingHandler) => new STSClient({ region: REGION, endpoint: sts.endpoint, credentials: DUMMY_CREDENTIALS, requestHandler: handler });

  it('installs the user’s guard in the client’s configuration: allowed requests are sent, refused ones are not', async () => {
    const handler = new RecordingHandler();
    const client = stsClient(handler);
    client.middlewareStack.use(getIsolationGuardPlugin(client.config, { scope: acme, guards: [tenantRoles] }));
    expect(hasIsolationGuard(client)).toBe(true);
    await client.send(assume(ownRole));
    await refusalOf(client.send(assume(otherRole)), IsolationViolationError);
    expect(handler.sent).toHaveLength(1);
    expect(sts.requests.map((request) => request.roleArn)).toEqual([ownRole]);
    client.destroy();
  });

  it('removing the plugin’s middleware, or assigning another request handler or protocol, leaves the guard in place', async () => {
    const handler = new RecordingHandler();
    const client = stsClient(handler);
    client.middlewareStack.use(getIsolationGuardPlugin(client.config, { scope: acme, guards: [tenantRoles] }));
    expect(client.middlewareStack.remove(ISOLATION_GUARD_MIDDLEWARE)).toBe(true);
    await refusalOf(client.send(assume(otherRole)), IsolationViolationError);
    const bypass = new RecordingHandler();
    (client.config as { requestHandler: unknown }).requestHandler = bypass;
    await refusalOf(client.send(assume(otherRole)), IsolationViolationError);
    (client.config as { protocol: unknown }).protocol = (new STSClient({ region: REGION }).config as { protocol: unknown }).protocol;
    await refusalOf(client.send(assume(otherRole)), IsolationViolationError);
    expect([...handler.sent, ...bypass.sent]).toHaveLength(0);
    await client.send(assume(ownRole));
    expect(bypass.sent).toHaveLength(1);
    client.destroy();
  });

  it('the plugin’s middleware refuses commands of a client other than the one whose configuration it guards (a plugin used on the wrong stack)', async () => {
    const guarded = stsClient(new RecordingHandler());
    const handler = new RecordingHandler();
    const other = stsClient(handler);
    other.middlewareStack.use(getIsolationGuardPlugin(guarded.config, { scope: acme, guards: [tenantRoles] }));
    expect(hasIsolationGuard(guarded)).toBe(true);
    expect(hasIsolationGuard(other)).toBe(false);
    const refused = await refusalOf(other.send(assume(ownRole)), IsolationViolationError);
    expect(refused.message).toBe(
      '[isolation/unverifiable-request] AssumeRoleCommand refused in tenant acme: found a STS command sent by a client other than the one whose configuration this plugin guards; ' +
        'expected client.middlewareStack.use(getIsolationGuardPlugin(client.config, …)), with the same client on both sides',
    );
    expect(handler.sent).toHaveLength(0);
    guarded.destroy();
    other.destroy();
  });

  it('a plugin used twice on its client installs the guard once and keeps guarding', async () => {
    const client = stsClient(new RecordingHandler());
    const plugin = getIsolationGuardPlugin(client.config, { scope: acme, guards: [tenantRoles] });
    client.middlewareStack.use(plugin);
    client.middlewareStack.use(plugin);
    await client.send(assume(ownRole));
    await refusalOf(client.send(assume(otherRole)), IsolationViolationError);
    expect(sts.requests.map((request) => request.roleArn)).toEqual([ownRole]);
    client.destroy();
  });

  it('says at once what is wrong: a service nobody guards, a client guarded already, an unusable scope', () => {
    const client = stsClient(new RecordingHandler());
    expect(() => getIsolationGuardPlugin(client.config, { scope: acme })).toThrow(/getIsolationGuardPlugin: no guard for a client of service "STS"; guardable: DynamoDB, .* — define one in options\.guards/);
    expect(() => getIsolationGuardPlugin(client.config, { scope: { kind: 'platform' } as unknown as GuardedScope, guards: [tenantRoles] })).toThrow(/unusable policy: scope must be a tenant or capsule scope/);
    const aws = createClientFactory({ region: REGION, endpoint: sts.endpoint, credentials: DUMMY_CREDENTIALS, guards: [tenantRoles] });
    const scoped = aws.tenant('acme').client(STSClient);
    expect(() => scoped.middlewareStack.use(getIsolationGuardPlugin(scoped.config, { scope: acme, guards: [tenantRoles] }))).toThrow(/this client is guarded already; one client serves one scope/);
    aws.destroy();
    client.destroy();
  });

  describe('with a service the runtime guards itself (DynamoDB, against dynalite)', () => {
    let dynamo: LocalDynamo;
    beforeAll(async () => {
      dynamo = await startDynalite();
      const seed = lowLevelClient(dynamo.endpoint);
      await createTestTable(seed, 'DEVUS.platform_data');
      seed.destroy();
    });
    afterAll(async () => {
      await dynamo.stop();
    });

    it('installs the built-in DynamoDB rules on a client built by hand', async () => {
      const client = lowLevelClient(dynamo.endpoint);
      const scope: GuardedScope = { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: capsuleId('DEVUS') };
      client.middlewareStack.use(getIsolationGuardPlugin(client.config, { scope, tables: ['DEVUS.platform_data'], keys: TEST_KEYS }));
      const get = (pk: string) => new GetItemCommand({ TableName: 'DEVUS.platform_data', Key: { pk: { S: pk }, sk: { S: 'METADATA' } } });
      await client.send(get('TENANT#acme#CAPSULE#DEVUS#ROLE#1'));
      const before = dynamo.requestCount?.();
      const refused = await refusalOf(client.send(get('TENANT#globex#CAPSULE#DEVUS#ROLE#1')), IsolationViolationError);
      expect(refused.rule).toBe('partition-key-scope');
      expect(dynamo.requestCount?.()).toBe(before);
      client.destroy();
    });
  });
});

describe('a user guard for a JSON-protocol service, against a local endpoint speaking the Cognito Identity JSON protocol (GetId)', () => {
  const POOLS: Readonly<Record<string, string>> = { acme: 'eu-west-1:11111111-1111-1111-1111-111111111111', globex: 'eu-west-1:22222222-2222-2222-2222-222222222222' };
  const tenantPools: ServiceGuard = {
    serviceId: 'Cognito Identity',
    targetPrefix: 'AWSCognitoIdentityService',
    rules: (operation, input: GuardInput, { scope }) => {
      if (operation !== 'GetId') return { rule: 'unbounded-operation', found: operation, expected: 'GetId' };
      return input['IdentityPoolId'] === POOLS[scope.tenantId] ? undefined : { found: `IdentityPoolId = ${JSON.stringify(input['IdentityPoolId'])}`, expected: `the tenant’s pool ${POOLS[scope.tenantId] ?? '(none)'}` };
    },
  };
  let cognito: JsonProtocolServer;
  beforeAll(async () => {
    cognito = await startJsonProtocolServer({
      targetPrefix: 'AWSCognitoIdentityService',
      contentType: 'application/x-amz-json-1.1',
      operations: { GetId: (body) => ({ IdentityId: `${String(body['IdentityPoolId']).split(':')[0]}:identity-1` }) },
      clear: () => undefined,
    });
  });
  afterAll(async () => {
    await cognito.close();
  });

  const client = () => {
    const identity = new CognitoIdentityClient({ region: REGION, endpoint: cognito.endpoint, credentials: DUMMY_CREDENTIALS });
    identity.middlewareStack.use(getIsolationGuardPlugin(identity.config, { scope: acme, guards: [tenantPools] }));
    return identity;
  };

  it('sends GetId on the tenant’s pool and refuses another tenant’s, sending nothing', async () => {
    const identity = client();
    const before = cognito.requests.length;
    const output = await identity.send(new GetIdCommand({ IdentityPoolId: POOLS['acme'] }));
    expect(output.IdentityId).toBe('eu-west-1:identity-1');
    const refused = await refusalOf(identity.send(new GetIdCommand({ IdentityPoolId: POOLS['globex'] })), IsolationViolationError);
    expect(refused.rule).toBe('service-scope');
    expect(refused.command).toBe('GetIdCommand');
    expect(cognito.requests.slice(before).map((request) => request.body?.['IdentityPoolId'])).toEqual([POOLS['acme']]);
    identity.destroy();
  });

  it('a body rewritten after the seal is judged as sent by the same rules: another tenant’s pool is refused, nothing sent', async () => {
    const identity = client();
    tamper(identity, 'build', (request) => void (request.body = bodyText(request.body).replace(POOLS['acme'] as string, POOLS['globex'] as string)));
    const before = cognito.requests.length;
    const refused = await refusalOf(identity.send(new GetIdCommand({ IdentityPoolId: POOLS['acme'] })), IsolationViolationError);
    expect(refused.rule).toBe('service-scope');
    expect(refused.found).toContain(POOLS['globex']);
    expect(cognito.requests.length).toBe(before);
    identity.destroy();
  });

  it('a target header rewritten to another operation is judged under that operation', async () => {
    const identity = client();
    tamper(identity, 'finalizeRequest', (request) => void (request.headers['x-amz-target'] = 'AWSCognitoIdentityService.DeleteIdentityPool'));
    const before = cognito.requests.length;
    const refused = await refusalOf(identity.send(new GetIdCommand({ IdentityPoolId: POOLS['acme'] })), IsolationViolationError);
    expect(refused.rule).toBe('unbounded-operation');
    expect(cognito.requests.length).toBe(before);
    identity.destroy();
  });
});

describe('service guards that cannot work are refused when registered', () => {
  const rules = (): undefined => undefined;
  it.each([
    ['a guard for a service the runtime guards itself', [{ serviceId: 'S3', targetPrefix: 'x', rules }], /the "S3" service guard names a service the runtime guards itself \(DynamoDB, .*\); remove it/],
    ['two guards for one service', [tenantRoles, tenantRoles], /two service guards for "STS"; keep one/],
    ['neither targetPrefix nor bind', [{ serviceId: 'Kinesis', rules }], /needs exactly one of targetPrefix .* and bind/],
    ['both targetPrefix and bind', [{ serviceId: 'Kinesis', targetPrefix: 'Kinesis_20131202', bind: rules, rules }], /needs exactly one of targetPrefix/],
    ['a target prefix that is not one', [{ serviceId: 'Kinesis', targetPrefix: 'Kinesis 2013', rules }], /has targetPrefix "Kinesis 2013"; expected the X-Amz-Target prefix/],
    ['no service id', [{ serviceId: '', targetPrefix: 'X', rules }], /needs its serviceId, the service id as the SDK names it/],
    ['no rules', [{ serviceId: 'Kinesis', targetPrefix: 'Kinesis_20131202' }], /the "Kinesis" service guard needs rules/],
    ['not an array', { serviceId: 'Kinesis' }, /guards must be an array of service guards/],
  ])('%s', (_case, guards, message) => {
    expect(() => createClientFactory({ region: REGION, guards: guards as unknown as readonly ServiceGuard[] })).toThrow(message);
  });

  it('a service both guarded and opted out', () => {
    expect(() => createClientFactory({ region: REGION, guards: [tenantRoles], unguarded: [{ client: 'STS', reason: 'tokens' }] })).toThrow(/STS clients are always guarded in tenant and capsule scopes; remove "STS" from unguarded \(or its guard from guards\)/);
  });
});
