import { CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{id}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class Account {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
  name!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{accountId}', sk: 'CONTACT#{id}' })
@CapsuleIsolated()
export class Contact {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  accountId!: string;
  id!: string;
  email!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CONTACT#{contactId}', sk: 'ACTIVITY#{occurredAt}#{id}' })
@CapsuleIsolated()
export class Activity {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  contactId!: string;
  id!: string;
  occurredAt!: string;
  kind!: 'call' | 'email' | 'meeting';
}
