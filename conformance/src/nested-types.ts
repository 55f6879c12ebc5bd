// Types that entities in other files nest: their members are visible with type information only.
import type { CapsuleId, TenantId } from '@isolation/runtime';

export interface Owner {
  tenantId: TenantId;
  capsuleId: CapsuleId;
}

export interface Address {
  street: string;
  city: string;
}
