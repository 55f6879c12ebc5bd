// Base classes that entities in other files extend: their fields are visible with type information only.
import type { CapsuleId, TenantId } from '@isolation/runtime';

export abstract class CapsuleRecord {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}

export abstract class Timestamps {
  createdAt!: Date;
  updatedAt!: Date;
}

export abstract class OwnedRecord {
  owner!: TenantId;
  capsuleId!: CapsuleId;
}
