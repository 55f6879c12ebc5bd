import rule from '../../src/rules/key-scope-segments.js';
import { RUNTIME_IMPORT, ruleTester, TYPED_FILE, typedRuleTester } from '../rule-tester.js';

const fields = 'tenantId!: TenantId; capsuleId!: CapsuleId; id!: string;';
// The pk text starts at column 28 of line 2.
const capsule = (pk: string, body = fields) => `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: '${pk}' })
@CapsuleIsolated()
export class RoleAssignment { ${body} }`;
const tenant = (pk: string) => `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: '${pk}' })
@TenantScoped()
export class Preference { tenantId!: TenantId; id!: string; }`;

ruleTester.run('key-scope-segments', rule, {
  valid: [
    capsule('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}'),
    tenant('TENANT#{tenantId}#PREF#{id}'),
    // Platform entities have no prefix to keep.
    `${RUNTIME_IMPORT}
@Entity({ table: 'platform_config', pk: 'TENANT#{id}' })
@PlatformScoped({ reason: 'the tenant registry is platform-wide' })
export class Tenant { id!: TenantId; }`,
    // One mistake, one report: these are other rules' to report.
    capsule('TENANT#{tenantId}#CAPSULE#{capsuleId#ROLE'), // key-template: malformed
    capsule('TENANT#{tenantId}#ROLE#{id}', 'tenantId!: TenantId; id!: string;'), // capsule-id-field: no capsule id
    capsule('ROLE#{roleId}'), // key-template: no field roleId
    `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'ROLE#{id}' })
export class Unscoped { ${fields} }`, // entity-scope
    `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'ROLE#{id}' })
@TenantScoped()
@CapsuleIsolated()
export class Twice { ${fields} }`, // entity-scope
  ],
  invalid: [
    {
      // The seeds' mistake: a capsule entity keyed by tenant only.
      code: capsule('TENANT#{tenantId}#ROLE#{id}'),
      errors: [
        {
          messageId: 'missingScopePrefix',
          line: 2,
          column: 28 + 18,
          endColumn: 28 + 22,
          suggestions: [{ messageId: 'rewritePk', output: capsule('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}') }],
        },
      ],
    },
    {
      code: capsule('ROLE#{id}#TENANT#{tenantId}'),
      errors: [{ messageId: 'missingScopePrefix', line: 2, column: 28, endColumn: 32, suggestions: [{ messageId: 'rewritePk', output: capsule('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}') }] }],
    },
    {
      // The capsule segment names the wrong field.
      code: capsule('TENANT#{tenantId}#CAPSULE#{id}#ROLE', fields),
      errors: [{ messageId: 'missingScopePrefix', line: 2, column: 28 + 26, endColumn: 28 + 30, suggestions: [{ messageId: 'rewritePk', output: capsule('TENANT#{tenantId}#CAPSULE#{capsuleId}#{id}#ROLE') }] }],
    },
    {
      code: capsule('TENANT#{tenantId}#CAPSULE#{capsuleId}'),
      errors: [{ messageId: 'nothingAfterPrefix', line: 2, column: 27 }],
    },
    {
      code: tenant('PREF#{id}'),
      errors: [{ messageId: 'missingScopePrefix', line: 2, column: 28, suggestions: [{ messageId: 'rewritePk', output: tenant('TENANT#{tenantId}#PREF#{id}') }] }],
    },
  ],
});

typedRuleTester.run('key-scope-segments (typeAware)', rule, {
  valid: [
    {
      code: capsule('TENANT#{owner}#CAPSULE#{env}#ROLE#{id}', 'owner!: TenantId; env!: CapsuleId; id!: string;'),
      filename: TYPED_FILE,
      options: [{ typeAware: true }],
    },
  ],
  invalid: [
    {
      // With the brands known, the conventional name alone no longer qualifies as the tenant segment.
      code: capsule('TENANT#{tenantId}#CAPSULE#{env}#ROLE#{id}', 'owner!: TenantId; tenantId!: string; env!: CapsuleId; id!: string;'),
      filename: TYPED_FILE,
      options: [{ typeAware: true }],
      errors: [
        {
          messageId: 'missingScopePrefix',
          line: 2,
          column: 28 + 7,
          suggestions: [{ messageId: 'rewritePk', output: capsule('TENANT#{owner}#CAPSULE#{env}#{tenantId}#ROLE#{id}', 'owner!: TenantId; tenantId!: string; env!: CapsuleId; id!: string;') }],
        },
      ],
    },
  ],
});
