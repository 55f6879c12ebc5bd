// An anonymous default-exported class: findings sit at its decorator.
import { CapsuleIsolated, Entity, type TenantId } from '@isolation/runtime';

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#DEFAULT#{id}' }) // expect: capsule-id-field
@CapsuleIsolated()
export default class {
  tenantId!: TenantId;
  id!: string;
}
