import { DomainEvent, type TenantId } from '@isolation/runtime';

// A capsule event without its capsule id: consumers cannot tell which capsule it belongs to.
@DomainEvent({ type: 'RoleAssignmentCreated' })
export class RoleAssignmentCreated {
  tenantId!: TenantId;
  assignmentId!: string;
}
