// Declarations written as class expressions: named, anonymous, inside functions.
import { CapsuleIsolated, DomainEvent, Endpoint, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';

export const Ticket = @Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#TICKET#{id}' })
@CapsuleIsolated()
class { // valid
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
};

export const Comment = @Entity({ table: 'crm_data', pk: 'COMMENT#{id}' }) // expect: capsule-id-field
@CapsuleIsolated()
class {
  tenantId!: TenantId;
  id!: string;
};

export const Reaction = @Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#REACTION#{id}' })
@CapsuleIsolated()
class NamedReaction { // expect: capsule-id-field, capsule-id-field
  id!: string;
};

export const Mention = @Entity({
  table: 'crm_data',
  pk: 'MENTION#{id}', // expect: key-scope-segments
})
@CapsuleIsolated()
class {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
};

export const Unscoped = @Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#UNSCOPED#{id}' }) // expect: entity-scope
class {
  tenantId!: TenantId;
  id!: string;
};

export function defineAttachment(kind: string) {
  const PK = 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ATTACHMENT#{id}';
  return @Entity({ table: 'crm_data', pk: PK })
  @CapsuleIsolated()
  class { // valid
    tenantId!: TenantId;
    capsuleId!: CapsuleId;
    id!: string;
    kind = kind;
  };
}

export const Viewed = @DomainEvent({ type: 'TicketViewed' }) // expect: event-scope-fields
class {
  tenantId!: TenantId;
  ticketId!: string;
};

export const TicketRoutes = class {
  @Endpoint({ method: 'GET', path: '/tickets/{ticketId}', pathParams: ['ticketId'], queryParams: [] })
  get(ticketId: string) { // valid
    return ticketId;
  }

  @Endpoint({ method: 'DELETE', path: '/tickets/{ticketId}', pathParams: ['ticketId'], queryParams: [] })
  remove(
    ticketId: string,
    // beyond types: handler parameter names are no part of a decorator's type.
    force: boolean, // expect: endpoint-params
  ) {
    return force ? ticketId : undefined;
  }
};
