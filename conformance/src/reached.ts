// Not listed in tsconfig.files.json, but imported by its root: every path must still check it.
import { CapsuleIsolated, Entity, type TenantId } from '@isolation/runtime';

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#REACHED#{id}' })
@CapsuleIsolated()
export class Reached { // expect: capsule-id-field
  tenantId!: TenantId;
  id!: string;
}

export const reachedStage = process.env.STAGE; // expect: no-env-config
