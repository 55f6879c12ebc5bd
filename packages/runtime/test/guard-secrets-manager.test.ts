/**
 * The Secrets Manager attack matrix, against a local endpoint speaking the Secrets Manager JSON
 * protocol (`startSecretsManagerServer`: AWS JSON 1.1, in-memory, every request recorded). A capsule
 * scope's Secrets Manager client (acme/DEV, from the factory) aims every command family — by name,
 * complete ARN and partial ARN — at another capsule of the same tenant (acme/PROD), a capsule whose
 * code extends ours (acme/DEVX), another tenant (globex/DEV) and the platform's secrets
 * (`/platform/`); every attempt must be refused with the right rule before anything reaches the
 * endpoint, and the victims' secrets — value, versions, description, tags, not deleted — read back
 * unguarded, must be intact. The same commands inside the scope succeed and see only the scope.
 */
import * as secretsManager from '@aws-sdk/client-secrets-manager';
import {
  BatchGetSecretValueCommand,
  CancelRotateSecretCommand,
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  ReplicateSecretToRegionsCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
  StopReplicationToReplicaCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  ValidateResourcePolicyCommand,
  type Filter,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory, type GuardRule, type Scope } from '../src/aws/index.js';
import { GUARDED_SECRETS_MANAGER_OPERATIONS, secretNameOf } from '../src/aws/guard-secrets-manager.js';
import { startSecretsManagerServer, type SecretsManagerServer } from '../src/testing/index.js';
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

const ARN_HEAD = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:`;
/** Complete ARNs of the seeded secrets, by name (they end in six random characters). */
const arns = new Map<string, string>();
const arnOf = (name: string): string => arns.get(name) ?? `${ARN_HEAD}${name}-AbCdEf`;

const ATTACKS: readonly Attack[] = [
  ['GetSecretValue', (t) => new GetSecretValueCommand({ SecretId: t.item })],
  ['GetSecretValue by complete ARN', (t) => new GetSecretValueCommand({ SecretId: arnOf(t.item) })],
  ['GetSecretValue by partial ARN', (t) => new GetSecretValueCommand({ SecretId: `${ARN_HEAD}${t.item}` })],
  ['GetSecretValue by a partial ARN of the victim’s prefix', (t) => new GetSecretValueCommand({ SecretId: `${ARN_HEAD}${t.prefix}` })],
  ['GetSecretValue of a previous version', (t) => new GetSecretValueCommand({ SecretId: t.item, VersionStage: 'AWSPREVIOUS' })],
  ['BatchGetSecretValue (one of the ids)', (t) => new BatchGetSecretValueCommand({ SecretIdList: [OWN, arnOf(t.item)] })],
  ['BatchGetSecretValue (a name filter on the victim’s prefix)', (t) => new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: [t.prefix] }] })],
  ['BatchGetSecretValue (a name filter with ours and theirs)', (t) => new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: [OURS, t.prefix] }] })],
  ['DescribeSecret', (t) => new DescribeSecretCommand({ SecretId: t.item })],
  ['PutSecretValue', (t) => new PutSecretValueCommand({ SecretId: t.item, SecretString: 'overwritten' })],
  ['UpdateSecret (value)', (t) => new UpdateSecretCommand({ SecretId: arnOf(t.item), SecretString: 'overwritten' })],
  ['UpdateSecret (description and key)', (t) => new UpdateSecretCommand({ SecretId: t.item, Description: 'ours now', KmsKeyId: 'alias/acme' })],
  ['UpdateSecretVersionStage', (t) => new UpdateSecretVersionStageCommand({ SecretId: t.item, VersionStage: 'AWSCURRENT', MoveToVersionId: '00000000-0000-0000-0000-000000000000' })],
  ['DeleteSecret (forced)', (t) => new DeleteSecretCommand({ SecretId: t.item, ForceDeleteWithoutRecovery: true })],
  ['DeleteSecret (scheduled)', (t) => new DeleteSecretCommand({ SecretId: `${ARN_HEAD}${t.item}`, RecoveryWindowInDays: 7 })],
  ['RestoreSecret', (t) => new RestoreSecretCommand({ SecretId: t.item })],
  ['CreateSecret (plant a secret in the victim’s prefix)', (t) => new CreateSecretCommand({ Name: `${t.prefix}planted`, SecretString: 'planted' })],
  ['ListSecrets (a name filter on the victim’s prefix)', (t) => new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [t.prefix] }] })],
  ['ListSecrets (a name filter on the victim’s prefix without its slash)', (t) => new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [t.prefix.slice(0, -1)] }] })],
  ['ListSecretVersionIds', (t) => new ListSecretVersionIdsCommand({ SecretId: t.item })],
  ['ReplicateSecretToRegions (overwriting a replica)', (t) => new ReplicateSecretToRegionsCommand({ SecretId: t.item, AddReplicaRegions: [{ Region: 'eu-west-1' }], ForceOverwriteReplicaSecret: true })],
  ['RemoveRegionsFromReplication', (t) => new RemoveRegionsFromReplicationCommand({ SecretId: t.item, RemoveReplicaRegions: ['eu-west-1'] })],
  ['StopReplicationToReplica', (t) => new StopReplicationToReplicaCommand({ SecretId: arnOf(t.item) })],
  ['TagResource', (t) => new TagResourceCommand({ SecretId: t.item, Tags: [{ Key: 'owner', Value: 'acme/DEV' }] })],
  ['UntagResource', (t) => new UntagResourceCommand({ SecretId: t.item, TagKeys: ['owner'] })],
  ['a dot segment after our prefix (…/DEV/../<victim>)', (t) => new GetSecretValueCommand({ SecretId: `${OURS}../../../..${t.item}` })],
  ['a doubled slash after our prefix (…/DEV//../<victim>), by ARN', (t) => new GetSecretValueCommand({ SecretId: `${ARN_HEAD}${OURS}/../../../..${t.item}` })],
];

let server: SecretsManagerServer;
let raw: SecretsManagerClient;
let aws: ClientFactory;
let dev: Scope;
let client: SecretsManagerClient;
const violations: IsolationViolationError[] = [];

beforeAll(async () => {
  server = await startSecretsManagerServer({ region: REGION, accountId: ACCOUNT });
  raw = new SecretsManagerClient({ region: REGION, endpoint: server.endpoint, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 });
  aws = createClientFactory({ region: REGION, endpoint: server.endpoint, credentials: DUMMY_CREDENTIALS, clientConfig: { maxAttempts: 1 }, onViolation: (error) => violations.push(error) });
  dev = aws.capsule('acme', 'DEV');
  client = dev.client(SecretsManagerClient);
});

afterAll(async () => {
  aws?.destroy();
  raw?.destroy();
  await server?.close();
});

beforeEach(async () => {
  server.reset();
  arns.clear();
  for (const secret of [...VICTIMS.map((victim) => victim.item), OWN]) {
    const created = await raw.send(new CreateSecretCommand({ Name: secret, SecretString: `first ${secretOf(secret)}`, Description: `of ${secret}`, Tags: [{ Key: 'owner', Value: secret }] }));
    arns.set(secret, created.ARN as string);
    await raw.send(new PutSecretValueCommand({ SecretId: secret, SecretString: secretOf(secret) }));
  }
  violations.length = 0;
});

async function expectVictimsIntact(): Promise<void> {
  for (const { item: secret, prefix } of VICTIMS) {
    expect((await raw.send(new GetSecretValueCommand({ SecretId: secret }))).SecretString).toBe(secretOf(secret));
    const described = await raw.send(new DescribeSecretCommand({ SecretId: secret }));
    expect(described).toMatchObject({ ARN: arns.get(secret), Description: `of ${secret}`, Tags: [{ Key: 'owner', Value: secret }] });
    expect(described.DeletedDate).toBeUndefined();
    expect(described.KmsKeyId).toBeUndefined();
    expect(Object.values(described.VersionIdsToStages ?? {}).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
    expect((await raw.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [prefix] }] }))).SecretList?.map((found) => found.Name)).toEqual([secret]);
  }
}

const field: Battlefield = { server: () => server, client: () => client, violations, intact: expectVictimsIntact };

describe('the rules read secret ids as Secrets Manager does', () => {
  it.each([
    ['/a/b', true, '/a/b'],
    [`${ARN_HEAD}/a/b-AbCdEf`, true, '/a/b-AbCdEf'],
    [`${ARN_HEAD}/a/b`, true, '/a/b'],
    ['arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:/a/b', true, '/a/b'],
    [`${ARN_HEAD}/a/b`, false, undefined],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret/a/b', true, undefined],
    ['arn:aws:ssm:us-east-1:123456789012:parameter/a/b', true, undefined],
    ['arn:aws:secretsmanager:us-east-1:123:secret:/a/b', true, undefined],
    ['/a/b c', true, undefined],
    ['!/a/b', true, undefined],
    ['/a/b\u200b', true, undefined],
  ] as const)('%s (ARN allowed: %s) → %s', (text, arnAllowed, name) => {
    expect(secretNameOf(text, arnAllowed)).toBe(name);
  });

  it('knows exactly the input members the installed SDK serializes for each operation it runs', () => {
    for (const [operation, members] of GUARDED_SECRETS_MANAGER_OPERATIONS) expect([...members].sort(), operation).toEqual([...schemaMembers(secretsManager, operation)].sort());
  });
});

describeAttackMatrix('Secrets Manager', ATTACKS, 'secret-scope', field);
describe('secret ids that only look like ours', () => {
  it.each([
    ['our prefix without its trailing slash', '/tenants/acme/capsules/DEV', 'secret-scope'],
    ['our prefix itself', OURS, 'secret-scope'],
    ['a partial ARN of our prefix without its slash (it would match DEVX’s secrets too)', `${ARN_HEAD}/tenants/acme/capsules/DEV`, 'secret-scope'],
    ['a partial ARN of our prefix', `${ARN_HEAD}${OURS}`, 'secret-scope'],
    ['a complete ARN of a secret named like our prefix without its slash', `${ARN_HEAD}/tenants/acme/capsules/DEV-AbCdEf`, 'secret-scope'],
    ['another case of the first segment', '/Tenants/acme/capsules/DEV/db/password', 'secret-scope'],
    ['another case of the tenant (tenant ACME)', '/tenants/ACME/capsules/DEV/db/password', 'secret-scope'],
    ['another case of the capsule (capsule dev)', '/tenants/acme/capsules/dev/db/password', 'secret-scope'],
    ['ours without the leading slash', OWN.slice(1), 'secret-scope'],
    ['a doubled slash inside ours', `${OURS}db//password`, 'secret-scope'],
    ['a dot segment', `${OURS}./db/password`, 'secret-scope'],
    ['an ARN whose resource is not secret:', `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret/${OWN}`, 'unverifiable-request'],
    ['an SSM parameter ARN', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${OWN}`, 'unverifiable-request'],
    ['an ARN spelled in capitals', `ARN:AWS:SECRETSMANAGER:${REGION}:${ACCOUNT}:secret:${OWN}`, 'unverifiable-request'],
    ['a space', `${OURS}db password`, 'unverifiable-request'],
    ['a zero-width space', `${OURS}db\u200b`, 'unverifiable-request'],
    ['a fullwidth solidus', `${OURS}..\uff0f..\uff0fPROD`, 'unverifiable-request'],
  ] as const)('%s: %s', async (_what, id, rule: GuardRule) => {
    expect((await refusedUnsent(server, () => client.send(new GetSecretValueCommand({ SecretId: id })))).rule).toBe(rule);
  });

  it('refuses an id that is not a string, or missing, and an ARN as the name of a new secret', async () => {
    expect(await refusedUnsent(server, () => client.send(new GetSecretValueCommand({ SecretId: ['x'] as never })))).toMatchObject({ rule: 'unverifiable-request', found: 'SecretId = an array of 1' });
    expect(await refusedUnsent(server, () => client.send(new DescribeSecretCommand({} as never)))).toMatchObject({ rule: 'unverifiable-request', found: 'SecretId is missing' });
    expect((await refusedUnsent(server, () => client.send(new CreateSecretCommand({ Name: `${ARN_HEAD}${OURS}new`, SecretString: 'x' })))).rule).toBe('unverifiable-request');
  });
});

describe('lists and batch reads: only a name filter confines them', () => {
  const list = (filters?: Filter[]) => (): Promise<unknown> => client.send(new ListSecretsCommand(filters === undefined ? {} : { Filters: filters }));
  const batch = (filters?: Filter[]) => (): Promise<unknown> => client.send(new BatchGetSecretValueCommand(filters === undefined ? {} : { Filters: filters }));

  it.each([
    ['ListSecrets without filters', list()],
    ['ListSecrets with no filter in the list', list([])],
    ['ListSecrets by tag only', list([{ Key: 'tag-key', Values: ['owner'] }])],
    ['ListSecrets by words anywhere (all)', list([{ Key: 'all', Values: ['acme DEV'] }])],
    ['ListSecrets by description', list([{ Key: 'description', Values: [OURS] }])],
    ['ListSecrets by a Name key (keys are lowercase)', list([{ Key: 'Name' as never, Values: [OURS] }])],
    ['BatchGetSecretValue without ids or filters', batch()],
    ['BatchGetSecretValue by tag only', batch([{ Key: 'tag-value', Values: ['x'] }])],
  ] as const)('%s: unbounded-operation', async (_name, send) => {
    expect((await refusedUnsent(server, send)).rule).toBe('unbounded-operation');
  });

  it.each([
    ['a negated value beside ours (it matches every other name)', [{ Key: 'name', Values: [OURS, `!${OWN}`] }]],
    ['a value that only starts like ours', [{ Key: 'name', Values: ['/tenants/acme/capsules/DE'] }]],
    ['a second name filter reaching out', [{ Key: 'name', Values: [OURS] }, { Key: 'name', Values: ['/tenants/'] }]],
  ] as const)('a name filter with %s: secret-scope', async (_name, filters) => {
    expect((await refusedUnsent(server, list(filters as unknown as Filter[]))).rule).toBe('secret-scope');
    expect((await refusedUnsent(server, batch(filters as unknown as Filter[]))).rule).toBe('secret-scope');
  });

  it('a name filter on our prefix confines the list, with other filters narrowing it', async () => {
    await raw.send(new CreateSecretCommand({ Name: `${OURS}api/key`, SecretString: 'k', Tags: [{ Key: 'kind', Value: 'api' }] }));
    const listed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [OURS] }] }));
    expect(listed.SecretList?.map((found) => found.Name)).toEqual([`${OURS}api/key`, OWN]);
    const narrowed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [OURS] }, { Key: 'tag-key', Values: ['kind'] }] }));
    expect(narrowed.SecretList?.map((found) => found.Name)).toEqual([`${OURS}api/key`]);
    const values = await client.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: [`${OURS}db/`] }] }));
    expect(values.SecretValues?.map((found) => [found.Name, found.SecretString])).toEqual([[OWN, secretOf(OWN)]]);
  });
});

describe('Secrets Manager operations outside the scope by their nature', () => {
  it.each([
    ['PutResourcePolicy', () => new PutResourcePolicyCommand({ SecretId: OWN, ResourcePolicy: '{}' })],
    ['GetResourcePolicy', () => new GetResourcePolicyCommand({ SecretId: OWN })],
    ['DeleteResourcePolicy', () => new DeleteResourcePolicyCommand({ SecretId: OWN })],
    ['ValidateResourcePolicy', () => new ValidateResourcePolicyCommand({ ResourcePolicy: '{}' })],
    ['RotateSecret', () => new RotateSecretCommand({ SecretId: OWN, RotationLambdaARN: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:rotate` })],
    ['CancelRotateSecret', () => new CancelRotateSecretCommand({ SecretId: OWN })],
  ] as const)('%s: unbounded-operation', async (_name, make) => {
    expect((await refusedUnsent(server, () => client.send(make() as never))).rule).toBe('unbounded-operation');
  });

  it('refuses a member the operation does not have', async () => {
    const error = await refusedUnsent(server, () => client.send(new GetSecretValueCommand({ SecretId: OWN, Filters: [{ Key: 'name', Values: ['/'] }] } as never)));
    expect(error).toMatchObject({ rule: 'unverifiable-request', found: expect.stringContaining('Filters = an array of 1, a member GetSecretValue does not have') as unknown });
  });
});

describe('legitimate Secrets Manager calls inside the scope', () => {
  it('create, read (by name, complete and partial ARN, stage), version, update, tag, list, batch-read, delete and restore succeed', async () => {
    const before = server.requests.length;
    const created = await client.send(new CreateSecretCommand({ Name: `${OURS}api/token`, SecretString: 'v1', Tags: [{ Key: 'team', Value: 'crm' }] }));
    expect(created.ARN).toMatch(new RegExp(`^${ARN_HEAD}${OURS}api/token-[A-Za-z0-9]{6}$`));
    await client.send(new CreateSecretCommand({ Name: `${OURS}cert`, SecretBinary: new Uint8Array([1, 2, 3]) }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: `${OURS}cert` }))).SecretBinary).toEqual(new Uint8Array([1, 2, 3]));
    expect((await client.send(new GetSecretValueCommand({ SecretId: created.ARN }))).SecretString).toBe('v1');
    expect((await client.send(new GetSecretValueCommand({ SecretId: `${ARN_HEAD}${OURS}api/token` }))).SecretString).toBe('v1');
    const second = await client.send(new PutSecretValueCommand({ SecretId: `${OURS}api/token`, SecretString: 'v2' }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: `${OURS}api/token`, VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('v1');
    await client.send(new UpdateSecretCommand({ SecretId: `${OURS}api/token`, Description: 'the API token', SecretString: 'v3' }));
    expect((await client.send(new DescribeSecretCommand({ SecretId: `${OURS}api/token` }))).Description).toBe('the API token');
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: `${OURS}api/token`, VersionStage: 'PINNED', MoveToVersionId: second.VersionId }));
    expect((await client.send(new GetSecretValueCommand({ SecretId: `${OURS}api/token`, VersionStage: 'PINNED' }))).SecretString).toBe('v2');
    // v1 has lost its last staging label: deprecated, listed only on request.
    expect((await client.send(new ListSecretVersionIdsCommand({ SecretId: `${OURS}api/token` }))).Versions).toHaveLength(2);
    expect((await client.send(new ListSecretVersionIdsCommand({ SecretId: `${OURS}api/token`, IncludeDeprecated: true }))).Versions).toHaveLength(3);
    await client.send(new TagResourceCommand({ SecretId: `${OURS}api/token`, Tags: [{ Key: 'stage', Value: 'dev' }] }));
    await client.send(new UntagResourceCommand({ SecretId: `${OURS}api/token`, TagKeys: ['team'] }));
    expect((await client.send(new DescribeSecretCommand({ SecretId: `${OURS}api/token` }))).Tags).toEqual([{ Key: 'stage', Value: 'dev' }]);
    const batch = await client.send(new BatchGetSecretValueCommand({ SecretIdList: [OWN, created.ARN as string] }));
    expect(batch.SecretValues?.map((found) => found.SecretString)).toEqual([secretOf(OWN), 'v3']);
    // A name filter on our prefix sees ours, not DEVX's (whose names start with `…/DEV` too).
    const listed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [OURS] }] }));
    expect(listed.SecretList?.map((found) => found.Name)).toEqual([`${OURS}api/token`, `${OURS}cert`, OWN]);
    await client.send(new DeleteSecretCommand({ SecretId: `${OURS}api/token`, RecoveryWindowInDays: 7 }));
    expect((await client.send(new DescribeSecretCommand({ SecretId: `${OURS}api/token` }))).DeletedDate).toBeInstanceOf(Date);
    await client.send(new RestoreSecretCommand({ SecretId: `${OURS}api/token` }));
    await client.send(new DeleteSecretCommand({ SecretId: `${OURS}cert`, ForceDeleteWithoutRecovery: true }));
    expect((await client.send(new GetRandomPasswordCommand({ PasswordLength: 24 }))).RandomPassword).toHaveLength(24);
    expect(server.requests.length - before).toBe(23);
    expect(violations).toEqual([]);
    await expectVictimsIntact();
  });

  it('a tenant scope reaches every capsule of its tenant, and no other tenant', async () => {
    const tenant = aws.tenant('acme').client(SecretsManagerClient);
    const prod = '/tenants/acme/capsules/PROD/db/password';
    expect((await tenant.send(new GetSecretValueCommand({ SecretId: arnOf(prod) }))).SecretString).toBe(secretOf(prod));
    const listed = await tenant.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['/tenants/acme/'] }] }));
    expect(listed.SecretList?.map((found) => found.Name)).toEqual([OWN, '/tenants/acme/capsules/DEVX/db/password', prod]);
    expect((await refusedUnsent(server, () => tenant.send(new GetSecretValueCommand({ SecretId: '/tenants/globex/capsules/DEV/db/password' })))).rule).toBe('secret-scope');
    expect((await refusedUnsent(server, () => tenant.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['/tenants/acme'] }] })))).rule).toBe('secret-scope');
  });
});

describe('inputs that could show the guard one id and send another', () => {
  it('a SecretId inherited from a prototype is refused (not plain data)', async () => {
    const input = Object.create({ SecretId: THEIRS }) as object;
    expect((await refusedUnsent(server, () => client.send(new GetSecretValueCommand(input as never)))).rule).toBe('unverifiable-request');
  });

  it('a getter is read once: what was judged is what is sent', async () => {
    let reads = 0;
    const input = {
      get SecretId(): string {
        reads += 1;
        return reads === 1 ? OWN : THEIRS;
      },
    };
    expect((await client.send(new GetSecretValueCommand(input))).Name).toBe(OWN);
    expect(server.requests.at(-1)?.body).toEqual({ SecretId: OWN });
  });

  it('a Proxy answering another id to a later read sends ours; one answering it first is refused', async () => {
    let reads = 0;
    const later = new Proxy({ SecretIdList: [OWN] }, { get: (object, key) => (key === 'SecretIdList' && reads++ > 0 ? [THEIRS] : Reflect.get(object, key)) as unknown });
    expect((await client.send(new BatchGetSecretValueCommand(later))).SecretValues?.map((found) => found.Name)).toEqual([OWN]);
    const first = new Proxy({ SecretIdList: [OWN] }, { get: (object, key) => (key === 'SecretIdList' ? [THEIRS] : Reflect.get(object, key)) as unknown });
    expect((await refusedUnsent(server, () => client.send(new BatchGetSecretValueCommand(first)))).rule).toBe('secret-scope');
  });

  it('filters whose values change between reads are copied once', async () => {
    let reads = 0;
    const filter = {
      Key: 'name' as const,
      get Values(): string[] {
        reads += 1;
        return reads === 1 ? [OURS] : ['!'];
      },
    };
    expect((await client.send(new ListSecretsCommand({ Filters: [filter] }))).SecretList?.map((found) => found.Name)).toEqual([OWN]);
    expect(server.requests.at(-1)?.body).toEqual({ Filters: [{ Key: 'name', Values: [OURS] }] });
  });
});

describeLaterMiddleware(field, {
  member: 'SecretId',
  read: (name) => new GetSecretValueCommand({ SecretId: name }),
  write: (name) => new PutSecretValueCommand({ SecretId: name, SecretString: 'x' }),
  refusedTarget: 'secretsmanager.PutResourcePolicy',
  rule: 'secret-scope',
});

describe('credentials and refusals', () => {
  it('a refused request asks for no credentials and sends nothing, whatever its credentials do', async () => {
    await expectRefusalWhateverTheCredentials(server, SecretsManagerClient, () => new GetSecretValueCommand({ SecretId: THEIRS }), 'secret-scope');
  });

  it('the refusal names what was found and how to fix it', async () => {
    const id = `${ARN_HEAD}/tenants/acme/capsules/DEVX/db/password`;
    const error = await refusalOf(client.send(new GetSecretValueCommand({ SecretId: id })), IsolationViolationError);
    expect(error.message).toBe(
      `[isolation/secret-scope] GetSecretValueCommand refused in capsule acme/DEV: found SecretId = "${id.slice(0, 64)}…" (${id.length} characters), the secret "/tenants/acme/capsules/DEVX/db/password"; expected a secret name or ARN under "${OURS}", the scope's parameter prefix (scope.parameterPrefix) — another tenant's, capsule's or the platform's secrets belong to its own scope`,
    );
  });
});
