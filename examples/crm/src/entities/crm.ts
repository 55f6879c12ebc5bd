import { capsuleKeys, CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';

// Each entity repeats its templates in `keys`, which types its repository's keys
// (`scope.repo(Account).get({ id, version })`); `repo()` refuses the entity if the two disagree.

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{id}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class Account {
  static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{id}', 'METADATA#v{version}');
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
  name!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{accountId}', sk: 'CONTACT#{id}' })
@CapsuleIsolated()
export class Contact {
  static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{accountId}', 'CONTACT#{id}');
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  accountId!: string;
  id!: string;
  email!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CONTACT#{contactId}', sk: 'ACTIVITY#{occurredAt}#{id}' })
@CapsuleIsolated()
export class Activity {
  static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#CONTACT#{contactId}', 'ACTIVITY#{occurredAt}#{id}');
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  contactId!: string;
  id!: string;
  occurredAt!: string;
  kind!: 'call' | 'email' | 'meeting';
}
