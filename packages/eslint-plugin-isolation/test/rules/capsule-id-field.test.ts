import rule from '../../src/rules/capsule-id-field.js';
import { RUNTIME_IMPORT, ruleTester, TYPED_FILE, typedRuleTester } from '../rule-tester.js';

const entity = (pk: string) => `@Entity({ table: 'platform_data', pk: '${pk}' })\n@CapsuleIsolated()`;

ruleTester.run('capsule-id-field', rule, {
  valid: [
    `${RUNTIME_IMPORT}
${entity('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}')}
export class RoleAssignment { tenantId!: TenantId; capsuleId!: CapsuleId; id!: string; }`,
    // Conventional snake_case names, parameter properties and a same-file base class count.
    `${RUNTIME_IMPORT}
class Scoped { tenant_id!: string; }
${entity('TENANT#{tenant_id}#CAPSULE#{capsule_id}#X#{id}')}
export class Row extends Scoped { constructor(public capsule_id: string, public id: string) { super(); } }`,
    // One level nested, in an inline type or a same-file interface.
    `${RUNTIME_IMPORT}
interface Owner { tenantId: TenantId; capsuleId: CapsuleId }
${entity('TENANT#{owner.tenantId}#CAPSULE#{owner.capsuleId}#SESSION#{id}')}
export class Session { owner!: Owner; id!: string; }`,
    // A base class from another file cannot be seen without type information: no guess, no report.
    `${RUNTIME_IMPORT}
import { CapsuleEntity } from './base.js';
${entity('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}')}
export class RoleAssignment extends CapsuleEntity { id!: string; }`,
    // A template reaching into a field of an imported type may be naming the ids there.
    `${RUNTIME_IMPORT}
import type { ScopeRef } from './base.js';
${entity('TENANT#{scope.tenant}#CAPSULE#{scope.capsule}#X#{id}')}
export class Ref { scope!: ScopeRef; id!: string; }`,
    // A field of an imported type may hold the capsule id nested, or be one (an alias of CapsuleId):
    // without type information that is not seen, so nothing is reported (test/conformance.test.ts).
    `${RUNTIME_IMPORT}
import type { ScopeRef } from './base.js';
${entity('TENANT#{tenantId}#CAPSULE#{capsuleId}#X#{id}')}
export class Ref { scope!: ScopeRef; tenantId!: TenantId; id!: string; }`,
    // Platform entities need no ids.
    `${RUNTIME_IMPORT}
@Entity({ table: 'platform_config', pk: 'FLAG#{name}' })
@PlatformScoped({ reason: 'flags are set per platform release' })
export class Flag { name!: string; }`,
  ],
  invalid: [
    {
      // The seeds' RoleAssignment: capsule-isolated, but no capsule id.
      code: `${RUNTIME_IMPORT}
${entity('TENANT#{tenantId}#ROLE#{id}')}
export class RoleAssignment {
  tenantId!: TenantId;
  id!: string;
}`,
      errors: [
        {
          messageId: 'missingField',
          line: 4,
          column: 14,
          endColumn: 28,
          suggestions: [
            {
              messageId: 'addField',
              output: `${RUNTIME_IMPORT}
${entity('TENANT#{tenantId}#ROLE#{id}')}
export class RoleAssignment {
  capsuleId!: CapsuleId;
  tenantId!: TenantId;
  id!: string;
}`,
            },
          ],
        },
      ],
    },
    {
      code: `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'TENANT#{tenantId}#X#{id}' })
@TenantScoped()
export class Prefs {}`,
      errors: [
        {
          messageId: 'missingField',
          line: 4,
          column: 14,
          suggestions: [
            {
              messageId: 'addField',
              output: `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'TENANT#{tenantId}#X#{id}' })
@TenantScoped()
export class Prefs {
  tenantId!: TenantId;
}`,
            },
          ],
        },
      ],
    },
  ],
});

typedRuleTester.run('capsule-id-field (typeAware)', rule, {
  valid: [
    {
      // Inherited across files: only type information sees the base's fields.
      code: `${RUNTIME_IMPORT}
import { CapsuleEntity } from './base.js';
${entity('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}')}
export class RoleAssignment extends CapsuleEntity { id!: string; }`,
      filename: TYPED_FILE,
      options: [{ typeAware: true }],
    },
    {
      // Found by brand whatever the names.
      code: `${RUNTIME_IMPORT}
${entity('TENANT#{owner}#CAPSULE#{env}#ROLE#{id}')}
export class RoleAssignment { owner!: TenantId; env!: CapsuleId; id!: string; }`,
      filename: TYPED_FILE,
      options: [{ typeAware: true }],
    },
  ],
  invalid: [
    {
      // Named like an id, but typed as a plain string next to a branded field elsewhere? No brand at all here:
      // with type information the name still counts; a class with neither is reported.
      code: `${RUNTIME_IMPORT}
${entity('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}')}
export class RoleAssignment { tenantId!: TenantId; id!: string; }`,
      filename: TYPED_FILE,
      options: [{ typeAware: true }],
      errors: [{ messageId: 'missingField', line: 4, column: 14, suggestions: [{ messageId: 'addField', output: `${RUNTIME_IMPORT}
${entity('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}')}
export class RoleAssignment { capsuleId!: CapsuleId; tenantId!: TenantId; id!: string; }` }] }],
    },
  ],
});
