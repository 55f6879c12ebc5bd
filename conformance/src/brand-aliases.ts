// Our brands under other names, and a look-alike that is no brand: visible as such with type information only.
import type { CapsuleId, TenantId } from '@isolation/runtime';

export type OrgId = TenantId;
export type EnvId = CapsuleId;
export type { TenantId as AccountTenantId, CapsuleId as AccountCapsuleId } from '@isolation/runtime';
export type Label = string;
/** Not our brand, whatever its name. */
export type LookAlikeTenantId = string;
