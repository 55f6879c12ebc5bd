/**
 * The session policy as a document: what it allows and what it must leave out. Whether IAM
 * enforces it as intended needs a real AWS account (not run here); the document follows the
 * measured rules in the field notes ("IAM as a second wall").
 */
import { describe, expect, it } from 'vitest';
import type { GuardedScope } from '../src/aws/scope.js';
import { SCOPED_ITEM_ACTIONS, SESSION_POLICY_MAX_CHARACTERS, SessionPolicyError, sessionPolicyFor } from '../src/aws/session-policy.js';
import { capsuleId, tenantId, type TenantId } from '../src/ids.js';

const DATA = 'arn:aws:dynamodb:eu-west-1:123456789012:table/platform_data';
const EVENTS = 'arn:aws:dynamodb:eu-west-1:123456789012:table/platform_events';
const capsule: GuardedScope = { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: capsuleId('DEVUS') };
const tenant: GuardedScope = { kind: 'tenant', tenantId: tenantId('acme') };

describe('sessionPolicyFor', () => {
  it('confines a capsule scope to items under its key prefix, on its tables and their indexes', () => {
    expect(sessionPolicyFor(capsule, [DATA, EVENTS], { indexes: true })).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ItemsUnderScopePrefix',
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
            'dynamodb:Query',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:ConditionCheckItem',
          ],
          Resource: [DATA, `${DATA}/index/*`, EVENTS, `${EVENTS}/index/*`],
          Condition: {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENANT#acme#CAPSULE#DEVUS#*'] },
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        },
      ],
    });
  });

  it('uses the tenant prefix, with its trailing delimiter, for a tenant scope; tables only without `indexes`', () => {
    const [statement] = sessionPolicyFor(tenant, { arns: [DATA] }).Statement;
    expect(statement!.Condition!['ForAllValues:StringLike']).toEqual({ 'dynamodb:LeadingKeys': ['TENANT#acme#*'] });
    expect(statement!.Resource).toEqual([DATA]);
  });

  it('requires the partition key to be present (Null: false), since ForAllValues alone is true for a request without one', () => {
    const [statement] = sessionPolicyFor(capsule, [DATA]).Statement;
    expect(statement!.Condition!['Null']).toEqual({ 'dynamodb:LeadingKeys': 'false' });
  });

  it('allows no Scan, no PartiQL, no wildcard action, and no table-level action', () => {
    const actions = sessionPolicyFor(capsule, [DATA], { indexes: true }).Statement.flatMap((statement) => statement.Action);
    expect(actions).toEqual([...SCOPED_ITEM_ACTIONS]);
    expect(actions.filter((action) => /Scan|PartiQL|\*|Table|Transact/.test(action))).toEqual([]);
  });

  it('is plain JSON data: the same after a JSON round trip, one Allow statement and nothing else', () => {
    const policy = sessionPolicyFor(capsule, [DATA, EVENTS], { indexes: true });
    expect(JSON.parse(JSON.stringify(policy))).toEqual(policy);
    expect(policy.Statement.map((statement) => statement.Effect)).toEqual(['Allow']);
  });

  it('accepts `{ arns }` and a plain list alike, and lists a table once', () => {
    expect(sessionPolicyFor(capsule, { arns: [DATA, EVENTS, DATA] })).toEqual(sessionPolicyFor(capsule, [DATA, EVENTS]));
  });

  it('stays well under the 2048-character STS limit for typical input: longest ids, three tables with indexes', () => {
    const longest: GuardedScope = { kind: 'capsule', tenantId: tenantId('t'.repeat(64)), capsuleId: capsuleId('c'.repeat(32)) };
    const tables = ['platform_data', 'platform_events', 'platform_audit_log'].map((name) => `arn:aws:dynamodb:ap-southeast-2:123456789012:table/${name}`);
    const size = JSON.stringify(sessionPolicyFor(longest, tables, { indexes: true })).length;
    expect(size).toBeLessThan(SESSION_POLICY_MAX_CHARACTERS / 2);
    console.info(`session policy, longest ids, 3 tables with indexes: ${size} of ${SESSION_POLICY_MAX_CHARACTERS} characters`);
  });

  it('throws a SessionPolicyError saying the size found and the limit when the policy would exceed 2048 characters', () => {
    const tables = Array.from({ length: 16 }, (_, i) => `arn:aws:dynamodb:eu-west-1:123456789012:table/tenant_partitioned_table_${i}`);
    expect(() => sessionPolicyFor(capsule, tables, { indexes: true })).toThrow(SessionPolicyError);
    expect(() => sessionPolicyFor(capsule, tables, { indexes: true })).toThrow(
      /^Cannot build the session policy: found \d{4} characters for capsule acme\/DEVUS on 16 table\(s\) with indexes; expected at most 2048 \(the STS limit/,
    );
    // The same tables without index resources fit.
    expect(JSON.stringify(sessionPolicyFor(capsule, tables.slice(0, 8))).length).toBeLessThanOrEqual(SESSION_POLICY_MAX_CHARACTERS);
  });

  describe('refuses input that would weaken or break the wall', () => {
    it.each([
      ['no tables', [], /found no table ARNs; expected one or more DynamoDB table ARNs/],
      ['a wildcard table', ['arn:aws:dynamodb:eu-west-1:123456789012:table/*'], /found table ARN "arn:aws:dynamodb:eu-west-1:123456789012:table\/\*"; expected a DynamoDB table ARN/],
      ['a wildcard account', ['arn:aws:dynamodb:eu-west-1:*:table/platform_data'], /found table ARN/],
      ['an index ARN', [`${DATA}/index/by_owner`], /pass `indexes: true`/],
      ['a table name', ['platform_data'], /found table ARN "platform_data"/],
      ['an S3 ARN', ['arn:aws:s3:::bucket'], /found table ARN "arn:aws:s3:::bucket"/],
    ] as const)('%s', (_case, tables, message) => {
      expect(() => sessionPolicyFor(capsule, tables)).toThrow(SessionPolicyError);
      expect(() => sessionPolicyFor(capsule, tables)).toThrow(message);
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
});
