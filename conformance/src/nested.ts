// Id fields one level down: inline types, same-file interfaces, aliases and classes, types from other files.
import { CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';
import type { Address, Owner } from './nested-types.js';

interface Scope {
  tenantId: TenantId;
  capsuleId: CapsuleId;
}
type ScopeAlias = { owner: TenantId; env: CapsuleId };
class ScopeClass {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
}
interface Labels {
  [name: string]: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#INLINE#{id}' })
@CapsuleIsolated()
export class InlineNested { // valid
  scope!: { tenantId: TenantId; capsuleId: CapsuleId };
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#IFACE#{id}' })
@CapsuleIsolated()
export class InterfaceNested { // valid
  scope!: Scope;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{scope.owner}#CAPSULE#{scope.env}#ALIAS#{id}' })
@CapsuleIsolated()
export class AliasNested { // valid
  scope!: ScopeAlias;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#CLASS#{id}' })
@CapsuleIsolated()
export class ClassNested { // valid
  scope!: ScopeClass;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#OPTIONAL#{id}' })
@CapsuleIsolated()
export class OptionalNested { // valid
  scope?: Scope;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#UNION#{id}' })
@CapsuleIsolated()
export class UnionNested { // valid: a nested type in a union with undefined is still that type
  scope!: Scope | undefined;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{owner.tenantId}#CAPSULE#{owner.capsuleId}#IMPORTED#{id}' })
@CapsuleIsolated()
export class ImportedNested { // valid: the nested type is in another file
  owner!: Owner;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'IMPORTED#{id}' })
@CapsuleIsolated()
// why: the nested type is in another file; only the checker sees that it holds no ids.
export class ImportedNestedWithoutIds { // expect[typed]: capsule-id-field, capsule-id-field
  address!: Address;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'PLAIN#{id}' })
@CapsuleIsolated()
export class NestedWithoutIds { // expect: capsule-id-field, capsule-id-field
  meta!: { label: string; count: number };
  labels!: Labels;
  tags!: string[];
  createdAt!: Date;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'DEEP#{id}' })
@CapsuleIsolated()
export class TwoLevelsDown { // expect: capsule-id-field, capsule-id-field
  outer!: { inner: { tenantId: TenantId; capsuleId: CapsuleId } };
  id!: string;
}

@Entity({
  table: 'crm_data',
  pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsule}#SUB#{id}', // expect: key-template
})
@CapsuleIsolated()
export class UnknownSubField {
  scope!: Scope;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ADDRESS#{id}' })
@CapsuleIsolated()
// why: only the checker sees that the imported `Address` holds no capsule id (untyped paths cannot rule it out).
export class AddressBook { // expect[typed]: capsule-id-field
  tenantId!: TenantId;
  address!: Address;
  id!: string;
}

@Entity({
  table: 'crm_data',
  // why: `{address.zip}` names no member of a type from another file, which only the checker can see.
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ZIP#{address.zip}', // expect[typed]: key-template
})
@CapsuleIsolated()
export class UnknownImportedSubField {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  address!: Address;
}
