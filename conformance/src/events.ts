// Domain events: the fields each scope needs, own, inherited and aliased; scopes written as constants.
import { DomainEvent, type CapsuleId, type TenantId } from '@isolation/runtime';
import { CapsuleRecord } from './inheritance-bases.js';
import type { EnvId, OrgId } from './brand-aliases.js';
import { TENANT_SCOPE } from './template-consts.js';

const PLATFORM = 'platform';

@DomainEvent({ type: 'RoleAssignmentCreated' })
export class RoleAssignmentCreated { // valid
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  assignmentId!: string;
}

@DomainEvent({ type: 'ContactMerged' })
export class ContactMerged { // expect: event-scope-fields
  tenantId!: TenantId;
  contactId!: string;
}

@DomainEvent({ type: 'ReportReady', scope: 'capsule' })
export class ReportReady { // expect: event-scope-fields, event-scope-fields
  reportId!: string;
}

@DomainEvent({ type: 'TenantRenamed', scope: 'tenant' })
export class TenantRenamed { // valid
  tenantId!: TenantId;
  name!: string;
}

@DomainEvent({ type: 'TenantSuspended', scope: 'tenant' })
export class TenantSuspended { // expect: event-scope-fields
  reason!: string;
}

@DomainEvent({ type: 'PriceListPublished', scope: 'platform' })
export class PriceListPublished { // valid
  version!: number;
}

@DomainEvent({
  type: 'Broadcast',
  // beyond types: types report the scope, but the case expects the type error (`@ts-expect-error`).
  // @ts-expect-error -- not a scope, on purpose
  scope: 'global', // expect: event-scope-fields
})
export class Broadcast {
  message!: string;
}

@DomainEvent({ type: 'CatalogRefreshed', scope: PLATFORM })
export class CatalogRefreshed { // valid: a constant of this file is read in every path
  at!: string;
}

@DomainEvent({
  type: 'TenantArchived',
  // why: a scope from another module is readable with type information only.
  scope: TENANT_SCOPE, // expect[untyped]: event-scope-fields
})
export class TenantArchived {
  tenantId!: TenantId;
}

@DomainEvent({ type: 'TaskCompleted' })
export class TaskCompleted extends CapsuleRecord {} // valid: ids inherited from another file

@DomainEvent({ type: 'OrgChanged' })
export class OrgChanged { // valid: ids typed by aliases from another file
  org!: OrgId;
  env!: EnvId;
}

@DomainEvent({ type: 'NestedScopeChanged' })
export class NestedScopeChanged { // valid
  scope!: { tenantId: TenantId; capsuleId: CapsuleId };
}
