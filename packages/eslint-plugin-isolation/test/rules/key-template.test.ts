import rule from '../../src/rules/key-template.js';
import { RUNTIME_IMPORT, ruleTester, TYPED_FILE, typedRuleTester } from '../rule-tester.js';

const fields = 'tenantId!: TenantId; capsuleId!: CapsuleId; id!: string; version!: number;';
// `@Entity({ table: 't', pk: '` is 27 characters: the template text starts at column 28.
const withPk = (pk: string, sk?: string) => `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: '${pk}'${sk === undefined ? '' : `, sk: '${sk}'`} })
@CapsuleIsolated()
export class Role { ${fields} }`;

ruleTester.run('key-template', rule, {
  valid: [
    withPk('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}', 'METADATA#v{version}'),
    // Expression-less template literals are literals; `as const` is looked through.
    `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: \`TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}\` as const })
@CapsuleIsolated()
export class Role { ${fields} }`,
  ],
  invalid: [
    {
      // Another ORM's style: a table name where our options object belongs.
      code: `${RUNTIME_IMPORT}
@Entity('article')
@CapsuleIsolated()
export class Article { tenantId!: TenantId; capsuleId!: CapsuleId; id!: string; }`,
      errors: [{ messageId: 'notOptions', data: { entity: 'Article', found: "the string 'article'", upperName: 'ARTICLE' }, line: 2, column: 1, endColumn: 19 }],
    },
    {
      code: withPk('TENANT#{tenantId}#CAPSULE#{capsuleId#ROLE#{id}'),
      errors: [{ messageId: 'malformedTemplate', line: 2, column: 28 + 26, endColumn: 28 + 36 }],
    },
    {
      code: withPk('TENANT##{tenantId}'),
      errors: [{ messageId: 'malformedTemplate', line: 2, column: 28 + 7, endColumn: 28 + 8 }],
    },
    {
      code: withPk('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{}'),
      errors: [{ messageId: 'malformedTemplate', line: 2, column: 28 + 43, endColumn: 28 + 45 }],
    },
    {
      code: withPk('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{roleId}', 'V#{version.major.minor}'),
      errors: [
        { messageId: 'unknownField', line: 2, column: 28 + 43, endColumn: 28 + 51 },
        { messageId: 'malformedTemplate', line: 2 },
      ],
    },
    {
      // A nested field that is known to lack the sub-field.
      code: `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#S#{meta.region}' })
@CapsuleIsolated()
export class S { tenantId!: TenantId; capsuleId!: CapsuleId; meta!: { zone: string }; }`,
      errors: [{ messageId: 'unknownSubField', line: 2, column: 28 + 40 }],
    },
    {
      // Not literals: reported as unverifiable, never guessed at.
      code: `${RUNTIME_IMPORT}
@Entity({ table: 't', pk: ROLE_PK, sk: \`V#\${version}\` })
@CapsuleIsolated()
export class A { ${fields} }
@Entity({ table: 't', ...shared })
@CapsuleIsolated()
export class B { ${fields} }
@Entity(options)
@CapsuleIsolated()
export class C { ${fields} }
@Entity({ table: 't', pk: makePk('ROLE') })
@CapsuleIsolated()
export class D { ${fields} }`,
      errors: [
        { messageId: 'unverifiableTemplate', line: 2, column: 27, endColumn: 34 },
        { messageId: 'unverifiableTemplate', line: 2, column: 40 },
        { messageId: 'unverifiableTemplate', line: 5, column: 23 },
        { messageId: 'unverifiableTemplate', line: 8, column: 9 },
        { messageId: 'unverifiableTemplate', line: 11, column: 27 },
      ],
    },
    {
      code: `${RUNTIME_IMPORT}
@Entity()
@CapsuleIsolated()
export class Empty { ${fields} }`,
      errors: [{ messageId: 'missingPk', line: 2, column: 1 }],
    },
    {
      code: `${RUNTIME_IMPORT}
@Entity({ table: 'platform_data' })
@CapsuleIsolated()
export class NoPk { ${fields} }`,
      errors: [{ messageId: 'missingPk', line: 2, column: 1 }],
    },
  ],
});

typedRuleTester.run('key-template (typeAware)', rule, {
  valid: [
    {
      // A constant template is resolved through its type.
      code: `${RUNTIME_IMPORT}
import { ROLE_PK } from './keys.js';
@Entity({ table: 't', pk: ROLE_PK })
@CapsuleIsolated()
export class Role { ${fields} }`,
      filename: TYPED_FILE,
      options: [{ typeAware: true }],
    },
  ],
  invalid: [
    {
      code: `${RUNTIME_IMPORT}
import { ROLE_PK } from './keys.js';
@Entity({ table: 't', pk: ROLE_PK })
@CapsuleIsolated()
export class Role { tenantId!: TenantId; capsuleId!: CapsuleId; roleId!: string; }`,
      filename: TYPED_FILE,
      options: [{ typeAware: true }],
      errors: [{ messageId: 'unknownField', line: 3, column: 27 }],
    },
    {
      // Without the option the same constant is unverifiable.
      code: `${RUNTIME_IMPORT}
import { ROLE_PK } from './keys.js';
@Entity({ table: 't', pk: ROLE_PK })
@CapsuleIsolated()
export class Role { ${fields} }`,
      filename: TYPED_FILE,
      errors: [{ messageId: 'unverifiableTemplate', line: 3, column: 27 }],
    },
  ],
});
