// The only root file of tsconfig.files.json: what it imports is checked as part of the program.
import { CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';
import { reachedStage } from './reached.js';

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#MAIN#{id}' })
@CapsuleIsolated()
export class MainRecord { // valid
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

export const stage = reachedStage;
