// Key templates and paths in the shapes the type checker reads in one step (a scope prefix, then
// `WORD#{field}`) and in the shapes it reads segment by segment: every path must agree on both.
import { CapsuleIsolated, Endpoint, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';

abstract class Scoped {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{orderId}#LINE#{id}', sk: 'PARENT#{orderId}' })
@CapsuleIsolated()
export class OrderLine extends Scoped { // valid: several segments after the prefix, and an sk without one
  orderId!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#V{version}X#{id}', sk: 'AT#{meta.at}' })
@CapsuleIsolated()
export class Versioned extends Scoped { // valid: a placeholder inside a segment, and a nested one
  version!: number;
  meta!: { at: string };
}

@Entity({
  table: 'crm_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{order id}', // expect: key-template
})
@CapsuleIsolated()
export class SpacedPlaceholder extends Scoped {}

@Entity({
  table: 'crm_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{id}}', // expect: key-template
})
@CapsuleIsolated()
export class StrayBrace extends Scoped {}

@Entity({
  table: 'crm_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER##{id}', // expect: key-template
})
@CapsuleIsolated()
export class EmptySegment extends Scoped {}

@Entity({
  table: 'crm_data',
  pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{id}',
  sk: 'PARENT#{parent}', // expect: key-template
})
@CapsuleIsolated()
export class UnknownSkField extends Scoped {}

export class ShapeRoutes {
  @Endpoint({ method: 'GET', path: '/copies/{ copyId }/of/{copyId}', pathParams: ['copyId'], queryParams: [] })
  copies(copyId: string) { // valid: names are trimmed, and one used twice is declared once
    return copyId;
  }

  @Endpoint({ method: 'GET', path: '/schedules/at/12:30/{scheduleId}', pathParams: ['scheduleId'], queryParams: [] })
  schedule(scheduleId: string) { // valid: a colon inside a segment is no placeholder
    return scheduleId;
  }

  @Endpoint({
    method: 'GET',
    path: '/areas/{areaId}/zones/{zoneId}', // expect: endpoint-params
    // beyond types: one report per decorator; the types show the next mistake once the first is fixed.
    pathParams: ['areaId', 'regionId'], // expect: endpoint-params
    queryParams: [],
  })
  zone(areaId: string, zoneId: string) {
    return [areaId, zoneId];
  }
}
