// Key templates in every written form: wrapped literals, constants of this file and of others, calls, spreads, computed keys.
import { CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';
import { INVOICE_PK, KEYS, ORDER_PK } from './template-consts.js';
import * as consts from './template-consts.js';

const ACCOUNT_PK = 'ACCOUNT#{id}';
const BOOK_PK = 'TENANT#{tenantId}#CAPSULE#{capsuleId}#BOOK#{id}';
const LEDGER_PK = 'LEDGER#{id}' as const;
const ALIAS_PK = LEDGER_PK;
const TYPED_PK: string = 'TENANT#{tenantId}#CAPSULE#{capsuleId}#TYPED#{id}';
// A `let` is not a constant, whatever it holds now.
let MUTABLE_PK = 'TENANT#{tenantId}#CAPSULE#{capsuleId}#MUTABLE#{id}';
const STAGE_SK = 'STAGE#{stage}';
const shared = { table: 'crm_data' };
const OPTIONS = { table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#OPTS#{id}' };
const PK_OPTION = 'pk';
declare const kind: string;

function computedPk(): string {
  return 'TENANT#{tenantId}#CAPSULE#{capsuleId}#COMPUTED#{id}';
}
function literalPk(): 'TENANT#{tenantId}#CAPSULE#{capsuleId}#LITERAL#{id}' {
  return 'TENANT#{tenantId}#CAPSULE#{capsuleId}#LITERAL#{id}';
}

abstract class Scoped {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({
  table: 'crm_data',
  pk: <string>'ACCOUNT#{id}', // expect: key-scope-segments
})
@CapsuleIsolated()
export class AssertedPk extends Scoped {}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CONST#{id}' as const })
@CapsuleIsolated()
export class AsConstPk extends Scoped {} // valid

@Entity({ table: 'crm_data', pk: ('TENANT#{tenantId}#CAPSULE#{capsuleId}#PAREN#{id}') })
@CapsuleIsolated()
export class ParenthesizedPk extends Scoped {} // valid

@Entity({
  table: 'crm_data',
  pk: 'CART#{id}' satisfies string, // expect: key-scope-segments
})
@CapsuleIsolated()
export class SatisfiesPk extends Scoped {}

@Entity({
  table: 'crm_data',
  pk: ((<string>'BASKET#{id}') satisfies string), // expect: key-scope-segments
})
@CapsuleIsolated()
export class WrappedPk extends Scoped {}

@Entity({ table: 'crm_data', pk: `TENANT#{tenantId}#CAPSULE#{capsuleId}#TEMPLATE#{id}` })
@CapsuleIsolated()
export class TemplatePk extends Scoped {} // valid

@Entity({
  table: 'crm_data',
  // beyond types: a `string` substitution makes no literal; types check what the pattern shows.
  pk: `TENANT#{tenantId}#CAPSULE#{capsuleId}#${kind}#{id}`, // expect: key-template
})
@CapsuleIsolated()
export class SubstitutedPk extends Scoped {}

@Entity({
  table: 'crm_data',
  // why: a template literal whose substitutions are literals has a literal type only the checker computes.
  pk: `TENANT#{tenantId}#CAPSULE#{capsuleId}#${'X'}#{id}`, // expect[untyped]: key-template
})
@CapsuleIsolated()
export class LiteralSubstitutionPk extends Scoped {}

@Entity({
  table: 'crm_data',
  pk: ACCOUNT_PK, // expect: key-scope-segments
})
@CapsuleIsolated()
export class ConstPk extends Scoped {}

@Entity({ table: 'crm_data', pk: BOOK_PK })
@CapsuleIsolated()
export class Book extends Scoped {} // valid

@Entity({ table: 'crm_data', pk: BOOK_PK as string })
@CapsuleIsolated()
export class BookAsString extends Scoped {} // valid

@Entity({
  table: 'crm_data',
  pk: LEDGER_PK, // expect: key-scope-segments
})
@CapsuleIsolated()
export class Ledger extends Scoped {}

@Entity({
  table: 'crm_data',
  pk: ALIAS_PK, // expect: key-scope-segments
})
@CapsuleIsolated()
export class LedgerAlias extends Scoped {}

@Entity({
  table: 'crm_data',
  // beyond types: the constant is typed `string`.
  pk: TYPED_PK, // expect: key-template
})
@CapsuleIsolated()
export class AnnotatedConstPk extends Scoped {}

@Entity({
  table: 'crm_data',
  // beyond types: a `let` is typed `string`.
  pk: MUTABLE_PK, // expect: key-template
})
@CapsuleIsolated()
export class LetPk extends Scoped {}

@Entity({
  table: 'crm_data',
  pk: BOOK_PK,
  sk: STAGE_SK, // expect: key-template
})
@CapsuleIsolated()
export class StagedBook extends Scoped {}

@Entity({
  table: 'crm_data',
  // why: a constant of another module is only readable with type information.
  pk: ORDER_PK, // expect[untyped]: key-template
})
@CapsuleIsolated()
export class Order extends Scoped {}

@Entity({
  table: 'crm_data',
  // why: typed paths read the imported constant and find no scope prefix; untyped ones cannot read it.
  pk: INVOICE_PK, // expect[typed]: key-scope-segments // expect[untyped]: key-template
})
@CapsuleIsolated()
export class Invoice extends Scoped {}

@Entity({
  table: 'crm_data',
  // why: a constant through a namespace import is only readable with type information.
  pk: consts.ORDER_PK, // expect[untyped]: key-template
})
@CapsuleIsolated()
export class NamespacedOrder extends Scoped {}

@Entity({
  table: 'crm_data',
  // why: a property of an `as const` object has a literal type only the checker sees.
  pk: KEYS.shipment, // expect[untyped]: key-template
})
@CapsuleIsolated()
export class Shipment extends Scoped {}

@Entity({
  table: 'crm_data',
  // beyond types: the call is typed `string`.
  pk: computedPk(), // expect: key-template
})
@CapsuleIsolated()
export class ComputedPk extends Scoped {}

@Entity({
  table: 'crm_data',
  // why: a call whose type is one string literal is a constant to the checker; without it, a call.
  pk: literalPk(), // expect[untyped]: key-template
})
@CapsuleIsolated()
export class LiteralCallPk extends Scoped {}

// The pk is written after the spread, but the spread may still set an sk.
// beyond types: types see the spread's type, which sets no sk.
@Entity({ ...shared, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#SPREAD#{id}' }) // expect: key-template
@CapsuleIsolated()
export class SpreadBeforePk extends Scoped {}

@Entity({ ...shared, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#SPREAD#{id}', sk: 'V#{id}' })
@CapsuleIsolated()
export class SpreadBeforeKeys extends Scoped {} // valid

@Entity({
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#LATE#{id}',
  // beyond types: types see the spread's type, which sets no pk.
  ...shared, // expect: key-template
})
@CapsuleIsolated()
export class SpreadAfterPk extends Scoped {}

// beyond types: the options' pk is typed `string`.
@Entity(OPTIONS) // expect: key-template
@CapsuleIsolated()
export class OptionsVariable extends Scoped {}

@Entity({ table: 'crm_data', ['pk']: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#KEYED#{id}' })
@CapsuleIsolated()
export class ComputedLiteralKey extends Scoped {} // valid

@Entity({
  table: 'crm_data',
  ['pk']: 'KEYED#{id}', // expect: key-scope-segments
})
@CapsuleIsolated()
export class ComputedLiteralKeyBadPk extends Scoped {}

@Entity({
  table: 'crm_data',
  // beyond types: types read the constant key and find a valid pk.
  [PK_OPTION]: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#DYN#{id}', // expect: key-template
})
@CapsuleIsolated()
export class ComputedNameKey extends Scoped {}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#AS#{id}' } as const)
@CapsuleIsolated()
export class OptionsAsConst extends Scoped {} // valid

export function localTemplates() {
  const LOCAL_PK = 'LOCAL#{id}';
  const LOCAL_OK = 'TENANT#{tenantId}#CAPSULE#{capsuleId}#LOCAL#{id}';

  @Entity({
    table: 'crm_data',
    pk: LOCAL_PK, // expect: key-scope-segments
  })
  @CapsuleIsolated()
  class LocalConstPk extends Scoped {}

  @Entity({ table: 'crm_data', pk: LOCAL_OK })
  @CapsuleIsolated()
  class LocalConstOk extends Scoped {} // valid

  return [LocalConstPk, LocalConstOk];
}
