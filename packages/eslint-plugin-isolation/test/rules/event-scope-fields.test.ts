import rule from '../../src/rules/event-scope-fields.js';
import { RUNTIME_IMPORT, ruleTester, TYPED_FILE, typedRuleTester } from '../rule-tester.js';

ruleTester.run('event-scope-fields', rule, {
  valid: [
    `${RUNTIME_IMPORT}
@DomainEvent({ type: 'AccountCreated' })
export class AccountCreated { tenantId!: TenantId; capsule_id!: CapsuleId; accountId!: string; }`,
    `${RUNTIME_IMPORT}
@DomainEvent({ type: 'TenantOnboarded', scope: 'tenant' })
export class TenantOnboarded { tenantId!: TenantId; }`,
    `${RUNTIME_IMPORT}
@DomainEvent({ type: 'PlatformReleased', scope: 'platform' })
export class PlatformReleased { version!: string; }`,
    `import { DomainEvent } from './local-events.js';
@DomainEvent({ type: 'Other' })
export class Other {}`,
  ],
  invalid: [
    {
      // The seeds' finding: RoleAssignmentCreated carried no capsule id.
      code: `${RUNTIME_IMPORT}
@DomainEvent({ type: 'RoleAssignmentCreated' })
export class RoleAssignmentCreated {
  tenantId!: TenantId;
  assignmentId!: string;
}`,
      errors: [
        {
          messageId: 'missingField',
          line: 3,
          column: 14,
          suggestions: [
            {
              messageId: 'addField',
              output: `${RUNTIME_IMPORT}
@DomainEvent({ type: 'RoleAssignmentCreated' })
export class RoleAssignmentCreated {
  capsuleId!: CapsuleId;
  tenantId!: TenantId;
  assignmentId!: string;
}`,
            },
          ],
        },
      ],
    },
    {
      code: `${RUNTIME_IMPORT}
@DomainEvent({ type: 'TenantRenamed', scope: 'tenant' })
export class TenantRenamed {}`,
      errors: [
        {
          messageId: 'missingField',
          line: 3,
          column: 14,
          suggestions: [{ messageId: 'addField', output: `${RUNTIME_IMPORT}\n@DomainEvent({ type: 'TenantRenamed', scope: 'tenant' })\nexport class TenantRenamed {\n  tenantId!: TenantId;\n}` }],
        },
      ],
    },
    {
      code: `${RUNTIME_IMPORT}
@DomainEvent({ type: 'X', scope: 'global' })
export class X {}`,
      errors: [{ messageId: 'unknownScope', line: 2, column: 34, endColumn: 42 }],
    },
    {
      code: `${RUNTIME_IMPORT}
@DomainEvent({ type: 'X', scope: SCOPE })
export class X {}
@DomainEvent(eventOptions)
export class Y {}`,
      errors: [
        { messageId: 'unverifiableScope', line: 2, column: 34 },
        { messageId: 'unverifiableScope', line: 4, column: 14 },
      ],
    },
  ],
});

typedRuleTester.run('event-scope-fields (typeAware)', rule, {
  valid: [
    {
      code: `${RUNTIME_IMPORT}
import { CapsuleEntity } from './base.js';
@DomainEvent({ type: 'RoleAssignmentCreated' })
export class RoleAssignmentCreated extends CapsuleEntity { assignmentId!: string; }`,
      filename: TYPED_FILE,
      options: [{ typeAware: true }],
    },
  ],
  invalid: [],
});
