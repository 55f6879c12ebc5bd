// A clean capsule entity: every scope field its marker and key template need is declared.
import { CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';

@Entity({ table: 'main', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}', sk: 'V#{version}' })
@CapsuleIsolated()
export class Role {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
}
