// The same declarations under experimentalDecorators.
import { CapsuleIsolated, DomainEvent, Entity, TenantScoped, type CapsuleId, type TenantId } from '@isolation/runtime';

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' })
@CapsuleIsolated()
export class RoleAssignment { // valid
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ENTITLEMENT#{id}' }) // expect: entity-scope
export class Entitlement {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#GROUP#{id}' })
@CapsuleIsolated()
export class SecurityGroup { // expect: capsule-id-field
  tenantId!: TenantId;
  id!: string;
}

@Entity({
  table: 'platform_data',
  pk: 'SETTINGS#{id}', // expect: key-scope-segments
})
@TenantScoped()
export class TenantSettings {
  tenantId!: TenantId;
  id!: string;
}

@Entity({
  table: 'platform_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#NOTE#{noteId}', // expect: key-template
})
@CapsuleIsolated()
export class Note {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@DomainEvent({ type: 'NoteAdded' })
export class NoteAdded { // expect: event-scope-fields
  tenantId!: TenantId;
  noteId!: string;
}
