import rule from '../../src/rules/entity-scope.js';
import { RUNTIME_IMPORT, ruleTester } from '../rule-tester.js';

const fields = 'tenantId!: TenantId; capsuleId!: CapsuleId; id!: string;';

ruleTester.run('entity-scope', rule, {
  valid: [
    `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' })
@CapsuleIsolated()
export class RoleAssignment { ${fields} }`,
    `${RUNTIME_IMPORT}
@Entity({ table: 'platform_config', pk: 'TENANT#{id}' })
@PlatformScoped({ reason: 'the tenant registry is platform-wide' })
export class Tenant { id!: TenantId; }`,
    // Same-named decorators from another module are not ours.
    `import { Entity } from 'typeorm';
@Entity({ name: 'users' })
export class User {}`,
    // Not imported at all.
    `@Entity({ table: 't', pk: 'X#{id}' }) export class Local {}`,
    // Undecorated classes and other decorators are ignored, without crashing on odd classes.
    `${RUNTIME_IMPORT}
const Anonymous = class {};
export default class {}
export abstract class Base { abstract id: string; }`,
  ],
  invalid: [
    {
      // The seeds' Entitlement: no scope marker at all.
      code: `${RUNTIME_IMPORT}
@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ENTITLEMENT#{id}' })
export class Entitlement { ${fields} }`,
      errors: [{ messageId: 'missingScope', data: { entity: 'Entitlement' }, line: 2, column: 1, endLine: 2 }],
    },
    {
      code: `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'TENANT#{tenantId}#X#{id}' })
@TenantScoped()
@CapsuleIsolated()
export class Twice { ${fields} }`,
      errors: [{ messageId: 'multipleScopes', data: { entity: 'Twice', count: '2', markers: '@TenantScoped, @CapsuleIsolated' }, line: 4, column: 1 }],
    },
    {
      code: `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'CONFIG#{id}' })
@PlatformScoped()
export class Config { id!: string; }`,
      errors: [{ messageId: 'missingReason', line: 3, column: 1 }],
    },
    {
      code: `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'CONFIG#{id}' })
@PlatformScoped({ reason: '  ' })
export class Config { id!: string; }`,
      errors: [{ messageId: 'emptyReason', line: 3, column: 27, endColumn: 31 }],
    },
    {
      // A reason that is not a literal is reported as unverifiable, not guessed at.
      code: `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'CONFIG#{id}' })
@PlatformScoped({ reason: REASONS.config })
export class Config { id!: string; }`,
      errors: [{ messageId: 'unverifiableReason', line: 3, column: 27 }],
    },
    {
      // Aliased and namespace imports are recognised.
      code: `import { Entity as Persisted } from '@isolation/runtime';
import * as iso from '@isolation/runtime';
@Persisted({ table: 't', pk: 'X#{id}' })
export class A { id!: string; }
@iso.Entity({ table: 't', pk: 'X#{id}' })
export class B { id!: string; }`,
      errors: [
        { messageId: 'missingScope', data: { entity: 'A' }, line: 3, column: 1 },
        { messageId: 'missingScope', data: { entity: 'B' }, line: 5, column: 1 },
      ],
    },
    {
      // A wrapper module named in `modules`.
      code: `import { Entity } from '@acme/persistence';
export const Wrapped = @Entity({ table: 't', pk: 'X#{id}' }) class { id!: string; };`,
      options: [{ modules: ['@acme/persistence'] }],
      errors: [{ messageId: 'missingScope', data: { entity: 'Wrapped' }, line: 2, column: 24 }],
    },
  ],
});
