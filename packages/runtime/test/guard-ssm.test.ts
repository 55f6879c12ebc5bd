/**
 * The SSM Parameter Store attack matrix, against a local endpoint speaking the SSM JSON protocol
 * (`startSsmServer`: AWS JSON 1.1, in-memory, every request recorded). A capsule scope's SSM client
 * (acme/DEV, from the factory) aims every command family at another capsule of the same tenant
 * (acme/PROD), a capsule whose code extends ours (acme/DEVX: `/tenants/acme/capsules/DEVX/` starts
 * with `…/DEV` but not with `…/DEV/`), another tenant (globex/DEV) and the platform's parameters
 * (`/platform/`); every attempt must be refused with the right rule before anything reaches the
 * endpoint, and the victims' parameters — value, version, labels, tags — read back unguarded, must
 * be intact. The same commands inside the scope succeed and see only the scope.
 */
import * as ssm from '@aws-sdk/client-ssm';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetDocumentCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SendCommandCommand,
  SSMClient,
  StartSessionCommand,
  UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addIsolationGuard, createClientFactory, IsolationViolationError, ParameterPrefixError, parameterPrefixOf, type ClientFactory, type GuardRule, type Scope } from '../src/aws/index.js';
import { GUARDED_SSM_OPERATIONS, parameterNameOf } from '../src/aws/guard-ssm.js';
import { startSsmServer, type SsmServer } from '../src/testing/index.js';
import { DUMMY_CREDENTIALS } from './support/dynamo.js';
import {
  ACCOUNT,
  describeAttackMatrix,
  describeLaterMiddleware,
  expectRefusalWhateverTheCredentials,
  OURS,
  OWN,
  REGION,
  refusedUnsent,
  schemaMembers,
  secretOf,
  THEIRS,
  VICTIMS,
  type Attack,
  type Battlefield,
} from './support/json-service.js';
import { refusalOf } from './support/refusal.js';

const arnOf = (name: string): string => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;

const ATTACKS: readonly Attack[] = [
  ['GetParameter', (t) => new GetParameterCommand({ Name: t.item, WithDecryption: true })],
  ['GetParameter by ARN', (t) => new GetParameterCommand({ Name: arnOf(t.item), WithDecryption: true })],
  ['GetParameter with a version selector', (t) => new GetParameterCommand({ Name: `${t.item}:1` })],
  ['GetParameter by ARN with a label selector', (t) => new GetParameterCommand({ Name: `${arnOf(t.item)}:live` })],
  ['GetParameter without the leading slash', (t) => new GetParameterCommand({ Name: t.item.slice(1) })],
  ['GetParameters (one of the names)', (t) => new GetParametersCommand({ Names: [OWN, t.item], WithDecryption: true })],
  ['GetParametersByPath (Recursive)', (t) => new GetParametersByPathCommand({ Path: t.prefix, Recursive: true, WithDecryption: true })],
  ['GetParametersByPath (the path without its trailing slash)', (t) => new GetParametersByPathCommand({ Path: t.prefix.slice(0, -1), Recursive: true })],
  ['GetParametersByPath (the parent of the victim’s path)', (t) => new GetParametersByPathCommand({ Path: t.prefix.replace(/[^/]+\/$/, ''), Recursive: true })],
  ['GetParameterHistory', (t) => new GetParameterHistoryCommand({ Name: t.item, WithDecryption: true })],
  ['PutParameter (overwrite)', (t) => new PutParameterCommand({ Name: t.item, Value: 'overwritten', Type: 'SecureString', Overwrite: true })],
  ['PutParameter (plant a new parameter)', (t) => new PutParameterCommand({ Name: `${t.prefix}planted`, Value: 'planted', Type: 'String' })],
  ['DeleteParameter', (t) => new DeleteParameterCommand({ Name: t.item })],
  ['DeleteParameters (one of the names)', (t) => new DeleteParametersCommand({ Names: [`${OURS}gone`, t.item] })],
  ['DescribeParameters (Path filter)', (t) => new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [t.prefix] }] })],
  ['DescribeParameters (Name BeginsWith)', (t) => new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [t.prefix] }] })],
  ['DescribeParameters (Name Equals, among ours)', (t) => new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [OWN, t.item] }] })],
  ['LabelParameterVersion', (t) => new LabelParameterVersionCommand({ Name: t.item, ParameterVersion: 1, Labels: ['stolen'] })],
  ['UnlabelParameterVersion', (t) => new UnlabelParameterVersionCommand({ Name: t.item, ParameterVersion: 1, Labels: ['live'] })],
  ['AddTagsToResource', (t) => new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: t.item, Tags: [{ Key: 'owner', Value: 'acme/DEV' }] })],
  ['RemoveTagsFromResource', (t) => new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: t.item, TagKeys: ['owner'] })],
  ['ListTagsForResource', (t) => new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: t.item })],
  ['a dot segment after our prefix (…/DEV/../<victim>)', (t) => new GetParameterCommand({ Name: `${OURS}../../../..${t.item}` })],
  ['a doubled slash after our prefix (…/DEV//../<victim>)', (t) => new GetParameterCommand({ Name: `${OURS}/../../../..${t.item}` })],
];

let server: SsmServer;
let raw: SSMClient;
let aws: ClientFactory;
let dev: Scope;
let client: SSMClient;
const violations: IsolationViolationError[] = [];

beforeAll(async () => {
  server = await startSsmServer({ region: REGION, accountId: ACCOUNT });
  raw = new SSMClient({ region: REGION, endpoint: server.endpoint, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  aws = createClientFactory({ region: REGION, endpoint: server.endpoint, credentials: DUMMY_CREDENTIALS, clientConfig: { maxAttempts: 1 }, onViolation: (error) => violations.push(error) });
  dev = aws.capsule('acme', 'DEV');
  client = dev.client(SSMClient);
});

afterAll(async () => {
  aws?.destroy();
  raw?.destroy();
  await server?.close();
});

beforeEach(async () => {
  server.reset();
  for (const { item: parameter } of VICTIMS) {
    await raw.send(new PutParameterCommand({ Name: parameter, Value: secretOf(parameter), Type: 'SecureString', Tags: [{ Key: 'owner', Value: parameter }] }));
    await raw.send(new LabelParameterVersionCommand({ Name: parameter, ParameterVersion: 1, Labels: ['live'] }));
  }
  await raw.send(new PutParameterCommand({ Name: OWN, Value: 'ours', Type: 'SecureString' }));
  violations.length = 0;
});

async function expectVictimsIntact(): Promise<void> {
  for (const { item: parameter, prefix } of VICTIMS) {
    const { Parameter } = await raw.send(new GetParameterCommand({ Name: parameter, WithDecryption: true }));
    expect(Parameter).toMatchObject({ Value: secretOf(parameter), Version: 1 });
    expect((await raw.send(new GetParameterHistoryCommand({ Name: parameter }))).Parameters?.map((version) => version.Labels)).toEqual([['live']]);
    expect((await raw.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: parameter }))).TagList).toEqual([{ Key: 'owner', Value: parameter }]);
    expect((await raw.send(new GetParametersByPathCommand({ Path: prefix, Recursive: true }))).Parameters?.map((found) => found.Name)).toEqual([parameter]);
  }
}

describe('naming: scope.parameterPrefix', () => {
  it('gives each scope its prefix: /tenants/<tenant>/capsules/<capsule>/, /tenants/<tenant>/, none for platform and operator scopes', () => {
    expect(dev.parameterPrefix).toBe(OURS);
    expect(aws.tenant('acme').parameterPrefix).toBe('/tenants/acme/');
    expect(aws.platform().parameterPrefix).toBe('');
    expect(parameterPrefixOf({ kind: 'capsule', tenantId: 'acme' as never, capsuleId: 'DEVUS' as never })).toBe('/tenants/acme/capsules/DEVUS/');
    expect(dev.describe()).toMatchObject({ parameterPrefix: OURS, objectPrefix: OURS.slice(1) });
  });

  it('takes a parameterPrefix function, which the guard then enforces instead of the default', async () => {
    const named = createClientFactory({ region: REGION, endpoint: server.endpoint, credentials: DUMMY_CREDENTIALS, clientConfig: { maxAttempts: 1 }, parameterPrefix: (scope) => `/crm/prod${parameterPrefixOf(scope)}` });
    const scope = named.capsule('acme', 'DEV');
    expect(scope.parameterPrefix).toBe(`/crm/prod${OURS}`);
    const guarded = scope.client(SSMClient);
    await guarded.send(new PutParameterCommand({ Name: `/crm/prod${OURS}flag`, Value: 'on', Type: 'String' }));
    expect((await guarded.send(new GetParameterCommand({ Name: `/crm/prod${OURS}flag` }))).Parameter?.Value).toBe('on');
    expect((await refusedUnsent(server, () => guarded.send(new GetParameterCommand({ Name: OWN }))))).toMatchObject({ rule: 'parameter-scope', expected: expect.stringContaining(`/crm/prod${OURS}`) as unknown });
    named.destroy();
  });

  it.each([
    ['no trailing slash', () => '/tenants/acme/capsules/DEV', /which is not '\/', then segments/],
    ['no leading slash', () => 'tenants/acme/capsules/DEV/', /which is not '\/', then segments/],
    ['a doubled slash', () => '/tenants//acme/capsules/DEV/', /which is not '\/', then segments/],
    ['a dot segment', () => '/tenants/acme/../capsules/DEV/', /a '\.' or '\.\.' segment/],
    ['the reserved /aws', () => '/AWS/acme/DEV/', /reserved/],
    ['no tenant segment', () => '/shared/DEV/', /does not name the tenant "acme"/],
    ['the tenant but no capsule segment', () => '/tenants/acme/', /does not name the capsule "DEV"/],
    ['a character SSM refuses', () => '/tenants/acme/DEV /', /which is not '\/', then segments/],
    ['not a string', () => 42 as unknown as string, /is a number/],
  ])('refuses a parameterPrefix function that gives %s', (_what, naming, message) => {
    const bad = createClientFactory({ region: REGION, credentials: DUMMY_CREDENTIALS, parameterPrefix: naming });
    expect(() => bad.capsule('acme', 'DEV')).toThrow(ParameterPrefixError);
    expect(() => bad.capsule('acme', 'DEV')).toThrow(message);
    expect(bad.platform().parameterPrefix).toBe('');
    bad.destroy();
  });

  it('refuses a parameterPrefix that is not a function, and an unusable prefix in a guard policy', () => {
    expect(() => createClientFactory({ region: REGION, parameterPrefix: '/tenants/' as never })).toThrow(/parameterPrefix must be a function of the scope/);
    const other = new SSMClient({ region: REGION, credentials: DUMMY_CREDENTIALS });
    expect(() => addIsolationGuard(other, { scope: { kind: 'tenant', tenantId: 'acme' as never }, tables: new Set(), keys: { partitionKey: 'pk', sortKey: 'sk', indexes: {} }, parameterPrefix: '/other/' })).toThrow(
      /unusable policy: the parameter prefix of tenant acme is "\/other\/", which does not name the tenant/,
    );
    other.destroy();
  });
});

describe('the rules read names as SSM does', () => {
  it.each([
    ['/a/b', false, '/a/b'],
    ['/a/b:3', true, '/a/b'],
    ['/a/b:live_1', true, '/a/b'],
    [`${arnOf('/a/b')}:live`, true, '/a/b'],
    [arnOf('/a/b'), false, '/a/b'],
    ['arn:aws-cn:ssm:cn-north-1:123456789012:parameter/a/b', false, '/a/b'],
    ['/a/b:3', false, undefined],
    ['/a/b:', true, undefined],
    ['/a/b:1:2', true, undefined],
    ['arn:aws:ssm:us-east-1:123456789012:document/a/b', false, undefined],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:/a/b', false, undefined],
    ['arn:aws:ssm:us-east-1:12345:parameter/a/b', false, undefined],
    ['ARN:aws:ssm:us-east-1:123456789012:parameter/a/b', true, undefined],
    ['/a/b c', false, undefined],
    ['/a/\u2215b', false, undefined],
    ['/a/b%2F..', false, undefined],
  ] as const)('%s (selector allowed: %s) → %s', (text, selector, name) => {
    expect(parameterNameOf(text, selector)).toBe(name);
  });

  it('knows exactly the input members the installed SDK serializes for each operation it runs', () => {
    for (const [operation, members] of GUARDED_SSM_OPERATIONS) expect([...members].sort(), operation).toEqual([...schemaMembers(ssm, operation)].sort());
  });
});

const field: Battlefield = { server: () => server, client: () => client, violations, intact: expectVictimsIntact };

describeAttackMatrix('SSM', ATTACKS, 'parameter-scope', field);

describe('names that only look like ours', () => {
  it.each([
    ['our prefix without its trailing slash', '/tenants/acme/capsules/DEV', 'parameter-scope'],
    ['our prefix itself', OURS, 'parameter-scope'],
    ['another case of the first segment', '/Tenants/acme/capsules/DEV/db/password', 'parameter-scope'],
    ['another case of the tenant (tenant ACME)', '/tenants/ACME/capsules/DEV/db/password', 'parameter-scope'],
    ['another case of the capsule (capsule dev)', '/tenants/acme/capsules/dev/db/password', 'parameter-scope'],
    ['ours without the leading slash', OWN.slice(1), 'parameter-scope'],
    ['a doubled slash inside ours', `${OURS}db//password`, 'parameter-scope'],
    ['a trailing slash', `${OURS}db/`, 'parameter-scope'],
    ['a dot segment', `${OURS}./db/password`, 'parameter-scope'],
    ['an ARN with a doubled slash', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${OWN}`, 'parameter-scope'],
    ['an SSM reference to a Secrets Manager secret', '/aws/reference/secretsmanager/tenants/globex/capsules/DEV/db', 'parameter-scope'],
    ['a public parameter', '/aws/service/global-infrastructure/regions/us-east-1', 'parameter-scope'],
    ['a division slash (U+2215) for a slash', `${OURS}db\u2215password`, 'unverifiable-request'],
    ['a fullwidth solidus', `${OURS}..\uff0f..\uff0fPROD`, 'unverifiable-request'],
    ['a percent-encoded slash', `${OURS}..%2F..%2FPROD%2Fdb`, 'unverifiable-request'],
    ['a zero-width space', `${OURS}db\u200b`, 'unverifiable-request'],
    ['an empty selector', `${OWN}:`, 'unverifiable-request'],
    ['two selectors', `${OWN}:1:2`, 'unverifiable-request'],
    ['the ARN of a Secrets Manager secret', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${OWN}`, 'unverifiable-request'],
    ['an ARN of another SSM resource type', `arn:aws:ssm:${REGION}:${ACCOUNT}:document${OWN}`, 'unverifiable-request'],
  ] as const)('%s: %s', async (_what, name, rule: GuardRule) => {
    expect((await refusedUnsent(server, () => client.send(new GetParameterCommand({ Name: name })))).rule).toBe(rule);
  });

  it('refuses a name that is not a string, or missing', async () => {
    expect(await refusedUnsent(server, () => client.send(new GetParameterCommand({ Name: 42 as never })))).toMatchObject({ rule: 'unverifiable-request', found: 'Name = 42 (a number)' });
    expect(await refusedUnsent(server, () => client.send(new GetParameterCommand({} as never)))).toMatchObject({ rule: 'unverifiable-request', found: 'Name is missing' });
    expect((await refusedUnsent(server, () => client.send(new GetParametersCommand({ Names: OWN as never })))).rule).toBe('unverifiable-request');
  });

  it('a selector is a read’s: PutParameter and DeleteParameter refuse one', async () => {
    expect((await refusedUnsent(server, () => client.send(new DeleteParameterCommand({ Name: `${OWN}:1` })))).rule).toBe('unverifiable-request');
    expect((await refusedUnsent(server, () => client.send(new PutParameterCommand({ Name: `${OWN}:live`, Value: 'x', Type: 'String' })))).rule).toBe('unverifiable-request');
  });
});

describe('SSM operations outside the scope by their nature', () => {
  it.each([
    ['SendCommand', () => new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0123456789abcdef0'] })],
    ['GetDocument', () => new GetDocumentCommand({ Name: 'AWS-RunShellScript' })],
    ['StartSession', () => new StartSessionCommand({ Target: 'i-0123456789abcdef0' })],
    ['DescribeParameters without filters (every parameter of the account)', () => new DescribeParametersCommand({})],
    ['DescribeParameters filtered by Type only', () => new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }] })],
    ['DescribeParameters filtered by a Name it contains', () => new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: [OURS] }] })],
    ['DescribeParameters with Shared (parameters other accounts share)', () => new DescribeParametersCommand({ Shared: true, ParameterFilters: [{ Key: 'Path', Values: [OURS] }] })],
    ['tags of a document', () => new AddTagsToResourceCommand({ ResourceType: 'Document', ResourceId: OWN, Tags: [{ Key: 'k', Value: 'v' }] })],
  ] as const)('%s: unbounded-operation', async (_name, make) => {
    expect((await refusedUnsent(server, () => client.send(make() as never))).rule).toBe('unbounded-operation');
    await expectVictimsIntact();
  });

  it.each([
    ['DescribeParameters with the legacy Filters', () => new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: [OURS] }] })],
    ['DescribeParameters with a Path filter of another option', () => new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'BeginsWith', Values: [OURS] }] })],
    ['DescribeParameters with a Name filter of no values', () => new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [] }] })],
    ['GetParametersByPath without a Path', () => new GetParametersByPathCommand({} as never)],
    ['GetParameter with a member GetParameter does not have', () => new GetParameterCommand({ Name: OWN, Path: '/tenants/globex/' } as never)],
  ] as const)('%s: unverifiable-request', async (_name, make) => {
    expect((await refusedUnsent(server, () => client.send(make() as never))).rule).toBe('unverifiable-request');
  });

  it('refuses GetParametersByPath on the root or a path that only starts like ours', async () => {
    expect((await refusedUnsent(server, () => client.send(new GetParametersByPathCommand({ Path: '/', Recursive: true })))).rule).toBe('parameter-scope');
    expect((await refusedUnsent(server, () => client.send(new GetParametersByPathCommand({ Path: '/tenants/acme/capsules/DE', Recursive: true })))).rule).toBe('parameter-scope');
    expect((await refusedUnsent(server, () => client.send(new GetParametersByPathCommand({ Path: `${OURS}/`, Recursive: true })))).rule).toBe('parameter-scope');
  });
});

describe('legitimate SSM calls inside the scope', () => {
  it('put, get (by name, ARN, version and label), list by path, history, labels, tags, describe and delete succeed, and see only the scope', async () => {
    const before = server.requests.length;
    await client.send(new PutParameterCommand({ Name: `${OURS}feature/flag`, Value: 'off', Type: 'String', Tags: [{ Key: 'team', Value: 'crm' }] }));
    await client.send(new PutParameterCommand({ Name: `${OURS}feature/flag`, Value: 'on', Type: 'String', Overwrite: true }));
    await client.send(new LabelParameterVersionCommand({ Name: `${OURS}feature/flag`, ParameterVersion: 1, Labels: ['first'] }));
    expect((await client.send(new GetParameterCommand({ Name: `${OURS}feature/flag` }))).Parameter).toMatchObject({ Value: 'on', Version: 2 });
    expect((await client.send(new GetParameterCommand({ Name: `${OURS}feature/flag:1` }))).Parameter?.Value).toBe('off');
    expect((await client.send(new GetParameterCommand({ Name: `${arnOf(`${OURS}feature/flag`)}:first` }))).Parameter?.Value).toBe('off');
    expect((await client.send(new GetParameterCommand({ Name: arnOf(OWN), WithDecryption: true }))).Parameter?.Value).toBe('ours');
    expect((await client.send(new GetParametersCommand({ Names: [OWN, `${OURS}feature/flag`], WithDecryption: true }))).Parameters?.map((found) => found.Value).sort()).toEqual(['on', 'ours']);
    // The path without its trailing slash is our hierarchy too: DEVX's parameters stay out of it.
    for (const path of [OURS, OURS.slice(0, -1)]) {
      const listed = await client.send(new GetParametersByPathCommand({ Path: path, Recursive: true, WithDecryption: true }));
      expect(listed.Parameters?.map((found) => found.Name).sort()).toEqual([OWN, `${OURS}feature/flag`]);
    }
    expect((await client.send(new GetParametersByPathCommand({ Path: `${OURS}feature` }))).Parameters?.map((found) => found.Name)).toEqual([`${OURS}feature/flag`]);
    expect((await client.send(new GetParameterHistoryCommand({ Name: `${OURS}feature/flag` }))).Parameters?.map((version) => version.Value)).toEqual(['off', 'on']);
    await client.send(new UnlabelParameterVersionCommand({ Name: `${OURS}feature/flag`, ParameterVersion: 1, Labels: ['first'] }));
    await client.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: `${OURS}feature/flag`, Tags: [{ Key: 'stage', Value: 'dev' }] }));
    await client.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: `${OURS}feature/flag`, TagKeys: ['team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: `${OURS}feature/flag` }))).TagList).toEqual([{ Key: 'stage', Value: 'dev' }]);
    const byPath = await client.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: [OURS] }, { Key: 'Type', Values: ['String'] }] }));
    expect(byPath.Parameters?.map((found) => found.Name)).toEqual([`${OURS}feature/flag`]);
    const byName = await client.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [OURS] }] }));
    expect(byName.Parameters?.map((found) => found.Name).sort()).toEqual([OWN, `${OURS}feature/flag`]);
    expect((await client.send(new DeleteParametersCommand({ Names: [`${OURS}feature/flag`, `${OURS}never`] }))).InvalidParameters).toEqual([`${OURS}never`]);
    await client.send(new DeleteParameterCommand({ Name: OWN }));
    expect((await client.send(new GetParametersByPathCommand({ Path: OURS, Recursive: true }))).Parameters).toEqual([]);
    expect(server.requests.length - before).toBe(21);
    expect(violations).toEqual([]);
    await expectVictimsIntact();
  });

  it('a tenant scope reaches every capsule of its tenant, and no other tenant', async () => {
    const tenant = aws.tenant('acme').client(SSMClient);
    const prod = '/tenants/acme/capsules/PROD/db/password';
    expect((await tenant.send(new GetParameterCommand({ Name: prod, WithDecryption: true }))).Parameter?.Value).toBe(secretOf(prod));
    const listed = await tenant.send(new GetParametersByPathCommand({ Path: '/tenants/acme', Recursive: true }));
    expect(listed.Parameters?.map((found) => found.Name).sort()).toEqual(['/tenants/acme/capsules/DEV/db/password', '/tenants/acme/capsules/DEVX/db/password', prod]);
    expect((await refusedUnsent(server, () => tenant.send(new GetParameterCommand({ Name: '/tenants/globex/capsules/DEV/db/password' })))).rule).toBe('parameter-scope');
    expect((await refusedUnsent(server, () => tenant.send(new GetParametersByPathCommand({ Path: '/tenants/acm', Recursive: true })))).rule).toBe('parameter-scope');
  });

  it("a platform scope's SSM client is not guarded", async () => {
    const platform = aws.platform().client(SSMClient);
    expect((await platform.send(new GetParameterCommand({ Name: '/platform/db/password', WithDecryption: true }))).Parameter?.Value).toBe(secretOf('/platform/db/password'));
  });
});

describe('inputs that could show the guard one name and send another', () => {
  it('a Name inherited from a prototype is refused (not plain data)', async () => {
    const input = Object.create({ Name: THEIRS }) as object;
    expect((await refusedUnsent(server, () => client.send(new GetParameterCommand(input as never)))).rule).toBe('unverifiable-request');
  });

  it('a getter is read once: what was judged is what is sent', async () => {
    let reads = 0;
    const input = {
      get Name(): string {
        reads += 1;
        return reads === 1 ? OWN : THEIRS;
      },
    };
    const answer = await client.send(new GetParameterCommand(input));
    expect(answer.Parameter?.Name).toBe(OWN);
    expect(server.requests.at(-1)?.body).toEqual({ Name: OWN });
  });

  it('a Proxy answering the victim’s name to a later read sends ours; one answering it first is refused', async () => {
    let reads = 0;
    const later = new Proxy({ Names: [OWN] }, { get: (object, key) => (key === 'Names' && reads++ > 0 ? [THEIRS] : Reflect.get(object, key)) as unknown });
    expect((await client.send(new GetParametersCommand(later))).Parameters?.map((found) => found.Name)).toEqual([OWN]);
    const first = new Proxy({ Names: [OWN] }, { get: (object, key) => (key === 'Names' ? [THEIRS] : Reflect.get(object, key)) as unknown });
    expect((await refusedUnsent(server, () => client.send(new GetParametersCommand(first)))).rule).toBe('parameter-scope');
  });

  it('a Names array whose element is a getter is copied once', async () => {
    let reads = 0;
    const names = [OWN];
    Object.defineProperty(names, 0, { get: () => (reads++ === 0 ? OWN : THEIRS), enumerable: true });
    expect((await client.send(new GetParametersCommand({ Names: names }))).Parameters?.map((found) => found.Name)).toEqual([OWN]);
  });
});

describeLaterMiddleware(field, {
  member: 'Name',
  read: (name) => new GetParameterCommand({ Name: name }),
  write: (name) => new DeleteParameterCommand({ Name: name }),
  refusedTarget: 'AmazonSSM.SendCommand',
  rule: 'parameter-scope',
});

describe('credentials and refusals', () => {
  it('a refused request asks for no credentials and sends nothing, whatever its credentials do', async () => {
    await expectRefusalWhateverTheCredentials(server, SSMClient, () => new GetParameterCommand({ Name: THEIRS }), 'parameter-scope');
  });

  it('the refusal names what was found and how to fix it', async () => {
    const error = await refusalOf(client.send(new GetParameterCommand({ Name: '/tenants/acme/capsules/DEVX/db/password' })), IsolationViolationError);
    expect(error.message).toBe(
      `[isolation/parameter-scope] GetParameterCommand refused in capsule acme/DEV: found Name = "/tenants/acme/capsules/DEVX/db/password"; expected a parameter name under "${OURS}", the scope's parameter prefix (scope.parameterPrefix) — another tenant's, capsule's or the platform's parameters belong to its own scope`,
    );
  });
});
