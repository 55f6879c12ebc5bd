// Inheritance: in this file, across files, through mixins and class chains.
import { CapsuleIsolated, Entity, TenantScoped, type CapsuleId, type TenantId } from '@isolation/runtime';
import { CapsuleRecord, OwnedRecord, Timestamps } from './inheritance-bases.js';

class Plain {}

abstract class LocalRecord {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
}

abstract class LocalVersioned extends LocalRecord {
  version!: number;
}

// A mixin's base takes any constructor arguments.
type Constructor = abstract new (...args: any[]) => object;
function WithTenant<Base extends Constructor>(base: Base) {
  abstract class Tenanted extends base {
    tenantId!: TenantId;
  }
  return Tenanted;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CASE#{id}' })
@CapsuleIsolated()
export class SupportCase extends LocalRecord { // valid
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#DOC#{id}', sk: 'V#{version}' })
@CapsuleIsolated()
export class Document extends LocalVersioned { // valid: two levels up, in this file
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#TASK#{id}' })
@CapsuleIsolated()
export class Task extends CapsuleRecord {} // valid: the ids come from another file

@Entity({
  table: 'crm_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#EVENT#{id}', // expect: key-template
})
@CapsuleIsolated()
export class CalendarEvent extends LocalVersioned {
  name!: string;
}

@Entity({ table: 'crm_data', pk: 'MEMO#{id}' })
@CapsuleIsolated()
// why: the base class is in another file; only the checker sees that it has no id fields.
export class Memo extends Timestamps { // expect[typed]: capsule-id-field, capsule-id-field
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{owner}#CAPSULE#{capsuleId}#PIN#{id}' })
@CapsuleIsolated()
export class Pin extends OwnedRecord { // valid: the tenant id is the base's branded `owner`
  tenantId!: string;
  id!: string;
}

@Entity({
  table: 'crm_data',
  // why: only the checker sees the base's branded `owner`, which wins over a field merely named `tenantId`.
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#STAR#{id}', // expect[typed]: key-scope-segments
})
@CapsuleIsolated()
export class Star extends OwnedRecord {
  tenantId!: string;
  id!: string;
}

@Entity({
  table: 'crm_data',
  // why: `{ident}` names no field of this class or its base, which only the checker can see.
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#REMARK#{ident}', // expect[typed]: key-template
})
@CapsuleIsolated()
export class Remark extends CapsuleRecord {}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#MIX#{id}' })
@CapsuleIsolated()
export class Mixed extends WithTenant(Plain) { // valid: a mixin may carry fields, so nothing is missing for sure
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#ARCHIVE#{id}' })
@TenantScoped()
export class Archive extends LocalVersioned { // valid: inherited ids, and a subclass re-declaring one
  declare tenantId: TenantId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CHAIN#{id}' })
@CapsuleIsolated()
export class Chained extends Task {} // valid: a chain through an entity of this file whose base is elsewhere
