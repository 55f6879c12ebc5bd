import { DomainEvent, type CapsuleId, type TenantId } from '@isolation/runtime';

@DomainEvent({ type: 'AccountCreated' })
export class AccountCreated {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  accountId!: string;
}

@DomainEvent({ type: 'RoleAssignmentCreated' })
export class RoleAssignmentCreated {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  assignmentId!: string;
}

@DomainEvent({ type: 'TenantOnboarded', scope: 'tenant' })
export class TenantOnboarded {
  tenantId!: TenantId;
}
