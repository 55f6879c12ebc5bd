// CRLF line endings: every path counts lines the same way.
import { CapsuleIsolated, Entity, type TenantId } from '@isolation/runtime';

@Entity({ table: 'crm_data', pk: 'TENANT#{tenantId}#CRLF#{id}' })
@CapsuleIsolated()
export class CrlfRecord { // expect: capsule-id-field
  tenantId!: TenantId;
  id!: string;
}

export const crlfStage = process.env.STAGE; // expect: no-env-config
