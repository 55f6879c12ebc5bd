import { describe, expect, it } from 'vitest';
import { checkAwsClientConstruction, checkEnvRead, checkEventScopeFields, checkTableName, globToRegExp, matchesAnyGlob } from '../../src/rules/index.js';

const file = { filename: '/repo/src/handlers/accounts.ts', cwd: '/repo' };

describe('code rules', () => {
  it('refuse clients from @aws-sdk/client-* and the document client, not commands', () => {
    expect(checkAwsClientConstruction({ form: 'new', className: 'S3Client', module: '@aws-sdk/client-s3' }, file)).toHaveLength(1);
    expect(checkAwsClientConstruction({ form: 'from', className: 'DynamoDBDocumentClient', module: '@aws-sdk/lib-dynamodb' }, file)).toHaveLength(1);
    expect(checkAwsClientConstruction({ form: 'new', className: 'GetItemCommand', module: '@aws-sdk/client-dynamodb' }, file)).toEqual([]);
    expect(checkAwsClientConstruction({ form: 'new', className: 'S3Client', module: './fake-s3' }, file)).toEqual([]);
    expect(checkAwsClientConstruction({ form: 'new', className: 'S3Client', module: '@aws-sdk/client-s3' }, file, { allow: ['src/handlers/*.ts'] })).toEqual([]);
  });

  it('refuse literal table names and env reads outside allowed files', () => {
    expect(checkTableName({ kind: 'known', value: 'orders' })[0]?.data).toEqual({ name: 'orders' });
    expect(checkTableName({ kind: 'unverifiable', found: 'the call `scope.table()`' })).toEqual([]);
    expect(checkEnvRead(file)).toHaveLength(1);
    expect(checkEnvRead(file, { allow: ['src/**'] })).toEqual([]);
  });

  it('match globs relative to the working directory', () => {
    expect(matchesAnyGlob('/repo/src/platform/aws.ts', ['src/platform/**'], '/repo')).toBe(true);
    expect(matchesAnyGlob('/repo/src/platformer/aws.ts', ['src/platform/**'], '/repo')).toBe(false);
    expect(matchesAnyGlob('/repo/a/b/c.config.ts', ['**/*.config.{ts,js}'], '/repo/')).toBe(true);
    expect(matchesAnyGlob('/repo/src/x.ts', ['./src/?.ts'], '/repo')).toBe(true);
    expect(globToRegExp('src/*.ts').test('src/a/b.ts')).toBe(false);
    expect(globToRegExp('a.b(c)+').test('a.b(c)+')).toBe(true);
  });
});

describe('event-scope-fields', () => {
  const event = { kind: 'event', name: 'RoleAssignmentCreated', type: { kind: 'known', value: 'RoleAssignmentCreated' } } as const;
  it('requires tenant and capsule ids of capsule events (the default scope)', () => {
    const violations = checkEventScopeFields({ ...event, scope: undefined, fields: { fields: [{ name: 'tenantId' }], complete: true } });
    expect(violations.map((violation) => violation.data.brand)).toEqual(['CapsuleId']);
  });

  it('requires only the tenant id of tenant events, nothing of platform events', () => {
    expect(checkEventScopeFields({ ...event, scope: { kind: 'known', value: 'tenant' }, fields: { fields: [{ name: 'tenant_id' }], complete: true } })).toEqual([]);
    expect(checkEventScopeFields({ ...event, scope: { kind: 'known', value: 'platform' }, fields: { fields: [], complete: true } })).toEqual([]);
  });
});
