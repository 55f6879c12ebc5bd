// The known violation: a capsule-isolated entity without its `capsuleId: CapsuleId` field (rule capsule-id-field, TS91002).
// The compat test finds the line below by the `VIOLATION` marker and writes a fixed copy to prove the clean build.
import { CapsuleIsolated, Entity, type TenantId } from '@isolation/runtime';

@Entity({ table: 'main', pk: 'TENANT#{tenantId}#NOTE#{id}' })
@CapsuleIsolated()
export class Note { // VIOLATION
  tenantId!: TenantId;
  id!: string;
  body!: string;
}
