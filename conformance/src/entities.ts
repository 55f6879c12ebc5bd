// Entities: scope markers, id fields and key templates written plainly, in one file.
import { CapsuleIsolated, Entity, PlatformScoped, TenantScoped, tenantId, type CapsuleId, type TenantId } from '@isolation/runtime';
import type { CapsuleId as CoreCapsuleId, TenantId as CoreTenantId } from '@isolation/core';
import { SHARED_REASON } from './template-consts.js';

const REGISTRY_REASON = 'the tenant registry is platform-wide';

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class RoleAssignment { // valid
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#SETTINGS#{id}' })
@TenantScoped()
export class TenantSettings { // valid
  tenantId!: TenantId;
  id!: string;
}

@Entity({ table: 'platform_config', pk: 'TENANT#{id}' })
@PlatformScoped({ reason: 'the tenant registry is platform-wide' })
export class Tenant { // valid
  id!: TenantId;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ENTITLEMENT#{feature}' }) // expect: entity-scope
export class Entitlement {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  feature!: string;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#QUOTA#{id}' })
@CapsuleIsolated()
@TenantScoped() // expect: entity-scope
export class Quota {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({ table: 'platform_config', pk: 'FLAG#{name}' })
@PlatformScoped({ reason: '' }) // expect: entity-scope
export class FeatureFlag {
  name!: string;
}

@Entity({ table: 'platform_config', pk: 'REGION#{code}' })
// @ts-expect-error -- the reason is missing on purpose
@PlatformScoped({}) // expect: entity-scope
export class Region {
  code!: string;
}

@Entity({ table: 'platform_config', pk: 'PLAN#{code}' })
@PlatformScoped({ reason: REGISTRY_REASON })
export class Plan { // valid
  code!: string;
}

@Entity({ table: 'platform_config', pk: 'CURRENCY#{code}' })
// A reason is read at the declaration: a constant from another module is unverifiable, with or without types.
@PlatformScoped({ reason: SHARED_REASON }) // expect: entity-scope
export class Currency {
  code!: string;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#GROUP#{id}' })
@CapsuleIsolated()
export class SecurityGroup { // expect: capsule-id-field
  tenantId!: TenantId;
  id!: string;
}

@Entity({ table: 'platform_data', pk: 'AUDIT#{id}' })
@CapsuleIsolated()
export class AuditEntry { // expect: capsule-id-field, capsule-id-field
  id!: string;
}

@Entity({ table: 'platform_data', pk: 'INVITE#{id}' })
@TenantScoped()
export class Invitation { // expect: capsule-id-field
  id!: string;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#NOTE#{id}' })
@CapsuleIsolated()
export class Note { // valid: ids found by name where no brand is written
  tenantId!: string;
  capsuleId!: string;
  id!: string;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenant_id}#CAPSULE#{capsule_id}#TAG#{id}' })
@CapsuleIsolated()
export class Tag { // valid
  tenant_id!: string;
  capsule_id!: string;
  id!: string;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{owner}#CAPSULE#{env}#SECRET#{id}' })
@CapsuleIsolated()
export class Secret { // valid: ids found by brand whatever their names
  owner!: TenantId;
  env!: CapsuleId;
  id!: string;
}

@Entity({
  table: 'platform_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#KEY#{id}', // expect: key-scope-segments
})
@CapsuleIsolated()
export class ApiKey {
  tenantId!: string; // a field named like the id, but the brand says the tenant is `owner`
  owner!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({
  table: 'platform_data',
  pk: 'TENANT#{tenantId}#WEBHOOK#{id}', // expect: key-scope-segments
})
@CapsuleIsolated()
export class Webhook {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({
  table: 'platform_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}', // expect: key-scope-segments
})
@CapsuleIsolated()
export class Profile {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
}

@Entity({
  table: 'platform_data',
  pk: 'SESSION#{id}', // expect: key-scope-segments
})
@TenantScoped()
export class Session {
  tenantId!: TenantId;
  id!: string;
}

@Entity({
  table: 'platform_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CONTACT#{contactId}', // expect: key-template
})
@CapsuleIsolated()
export class Contact {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({
  table: 'crm_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId#ACCOUNT#{id}', // expect: key-template
})
@CapsuleIsolated()
export class Account {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({
  table: 'crm_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#LEAD#{id}',
  sk: 'VERSION#{revision}', // expect: key-template
})
@CapsuleIsolated()
export class Lead {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

// beyond types: a missing pk is a plain type error, which the case expects (`@ts-expect-error`).
// @ts-expect-error -- the pk is missing on purpose
@Entity({ table: 'crm_data' }) // expect: key-template
@CapsuleIsolated()
export class Draft {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#OPT#{id}' })
@CapsuleIsolated()
export class OptionalIds { // valid
  tenantId?: TenantId;
  capsuleId?: CapsuleId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{owner}#CAPSULE#{env}#MAYBE#{id}' })
@CapsuleIsolated()
export class MaybeIds { // valid: a brand in a union with undefined or null is still the brand
  owner!: TenantId | undefined;
  env!: CapsuleId | null;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#PARAM#{id}' })
@CapsuleIsolated()
export class ParameterIds { // valid
  constructor(
    public tenantId: TenantId,
    readonly capsuleId: CapsuleId,
    public id: string,
  ) {}
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#DECLARED#{id}' })
@CapsuleIsolated()
export class DeclaredIds { // valid
  declare tenantId: TenantId;
  declare capsuleId: CapsuleId;
  declare id: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#QUOTED#{id}' })
@CapsuleIsolated()
export class QuotedNames { // valid: quoted and computed literal names are the same fields
  'tenantId'!: TenantId;
  ['capsuleId']!: CapsuleId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'PRIVATE#{id}' })
@CapsuleIsolated()
// beyond types: types cannot see `#private` members, so they stay silent on such a class (ADR 0019).
export class PrivateIds { // expect: capsule-id-field, capsule-id-field
  // `#private` fields are no item attributes: they are never stored.
  #tenantId!: TenantId;
  #capsuleId!: CapsuleId;
  id!: string;
  scope(): string {
    return `${this.#tenantId}/${this.#capsuleId}`;
  }
}

@Entity({ table: 'crm_data', pk: 'STATIC#{id}' })
@TenantScoped()
export class StaticId { // expect: capsule-id-field
  static tenantId: TenantId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{org}#CAPSULE#{capsuleId}#INFERRED#{id}' })
@CapsuleIsolated()
export class InferredId { // valid: the tenant id's type comes from its initializer
  org = tenantId('acme');
  capsuleId!: CapsuleId;
  id = '';
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#GETTER#{id}' })
@CapsuleIsolated()
// beyond types: a getter is a member like a field to types; the rule core counts stored fields only.
export class GetterIds { // expect: capsule-id-field, capsule-id-field
  id!: string;
  get tenantId(): TenantId {
    return tenantId('acme');
  }
  get capsuleId(): CapsuleId {
    return this.id as CapsuleId;
  }
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCESSOR#{id}' })
@CapsuleIsolated()
// beyond types: an auto-accessor is a member like a field to types; the rule core counts stored fields only.
export class AccessorIds { // expect: capsule-id-field, capsule-id-field
  // Auto-accessors live on the prototype, like getters: no item attributes.
  accessor tenantId = tenantId('acme');
  accessor capsuleId = '' as CapsuleId;
  id!: string;
}

/** Declaration merging: the interface's members are the class's fields. */
export interface MergedIds {
  tenantId: TenantId;
  capsuleId: CapsuleId;
}
@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#MERGED#{id}' })
@CapsuleIsolated()
export class MergedIds { // valid
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{org}#CAPSULE#{env}#CORE#{id}' })
@CapsuleIsolated()
export class CoreBrands { // valid: the brands as @isolation/core exports them
  org!: CoreTenantId;
  env!: CoreCapsuleId;
  id!: string;
}

// Another ORM's style: a string where the options object belongs (a type error too).
// beyond types: a string for the options is a plain type error, which the case expects (`@ts-expect-error`).
// @ts-expect-error -- the decorator's own signature refuses the string as well
@Entity('article') // expect: key-template
@CapsuleIsolated()
export class ArticleInOtherStyle {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}
