import { CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class RoleAssignment {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
  principal!: string;
  role!: string;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#GROUP#{id}' })
@CapsuleIsolated()
export class SecurityGroup {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  members!: string[];
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ENTITLEMENT#{feature}' })
@CapsuleIsolated()
export class Entitlement {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  feature!: string;
  enabled!: boolean;
}

/** Scope ids held in a nested object count too. */
@Entity({ table: 'platform_data', pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#SESSION#{id}' })
@CapsuleIsolated()
export class Session {
  scope!: { tenantId: TenantId; capsuleId: CapsuleId };
  id!: string;
  expiresAt!: number;
}
