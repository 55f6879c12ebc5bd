// Six entities that forgot capsule isolation, and a platform entity that does not say why.
import { CapsuleIsolated, Entity, PlatformScoped, type CapsuleId, type TenantId } from '@isolation/runtime';

// No scope marker at all.
@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ENTITLEMENT#{feature}' })
export class Entitlement {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  feature!: string;
}

// Capsule-isolated, but no capsule id field.
@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#ROLE#{id}' })
@CapsuleIsolated()
export class RoleAssignment {
  tenantId!: TenantId;
  id!: string;
}

// The pk skips the capsule segments.
@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#GROUP#{id}' })
@CapsuleIsolated()
export class SecurityGroup {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

// The pk has no scope prefix at all.
@Entity({ table: 'platform_data', pk: 'SESSION#{id}' })
@CapsuleIsolated()
export class Session {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

// A placeholder that is never closed.
@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId#ACCOUNT#{id}' })
@CapsuleIsolated()
export class Account {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

// A placeholder naming no field.
@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CONTACT#{contactId}' })
@CapsuleIsolated()
export class Contact {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({ table: 'platform_config', pk: 'FLAG#{name}' })
@PlatformScoped({ reason: '' })
export class FeatureFlag {
  name!: string;
}
