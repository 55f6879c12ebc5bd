// The known violation: a capsule-isolated entity without its `capsuleId: CapsuleId` field (rule capsule-id-field, TS91002),
// and nothing else wrong. ../compat-ts59.test.ts expects the error on the `export class Note` line, and compiles a copy
// with the field (and its type import) added to prove the clean build.
import { CapsuleIsolated, Entity, type TenantId } from '@isolation/runtime';

@Entity({ table: 'main', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#NOTE#{id}' })
@CapsuleIsolated()
export class Note {
  tenantId!: TenantId;
  id!: string;
  body!: string;
}
