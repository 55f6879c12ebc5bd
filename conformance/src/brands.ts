// Brands by alias: renamed imports, namespace imports, re-exports, aliases in this file and in others.
import * as iso from '@isolation/runtime';
import { CapsuleIsolated, Entity, TenantScoped, type CapsuleId, type TenantId as Tid } from '@isolation/runtime';
import type { AccountCapsuleId, AccountTenantId, EnvId, Label, LookAlikeTenantId, OrgId } from './brand-aliases.js';

type LocalOrg = Tid;
type LocalOrgAgain = LocalOrg;
type LocalEnv = CapsuleId | undefined;
/** A same-named type of this file is not our brand. */
type TenantId = string;

@Entity({ table: 'crm_data', pk: 'TENANT#{org}#CAPSULE#{env}#RENAMED#{id}' })
@CapsuleIsolated()
export class RenamedImport { // valid
  org!: Tid;
  env!: CapsuleId;
  id!: string;
}

@iso.Entity({ table: 'crm_data', pk: 'TENANT#{org}#CAPSULE#{env}#NS#{id}' })
@iso.CapsuleIsolated()
export class NamespaceBrands { // valid
  org!: iso.TenantId;
  env!: iso.CapsuleId;
  id!: string;
}

@iso.Entity({ table: 'crm_data', pk: 'NS#{id}' })
@iso.CapsuleIsolated()
export class NamespaceMissing { // expect: capsule-id-field, capsule-id-field
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{org}#CAPSULE#{env}#LOCAL#{id}' })
@CapsuleIsolated()
export class LocalAliases { // valid: aliases of this file resolve to the brand
  org!: LocalOrgAgain;
  env!: LocalEnv;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{org}#CAPSULE#{env}#ORG#{id}' })
@CapsuleIsolated()
export class OrgScoped { // valid: scope ids typed by aliases from another file
  org!: OrgId;
  env!: EnvId;
  id!: string;
}

@Entity({
  table: 'crm_data',
  // why: untyped paths cannot tell whether `org` and `env` are the ids or missing ids (capsule-id-field's finding), so they say neither.
  pk: 'ORG#{id}', // expect[typed]: key-scope-segments
})
@CapsuleIsolated()
export class OrgScopedNoPk { // valid: no capsule-id-field whether or not the brands can be seen
  org!: OrgId;
  env!: EnvId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{tenant}#CAPSULE#{capsule}#REEXPORT#{id}' })
@CapsuleIsolated()
export class ReExported { // valid: brands re-exported by another module
  tenant!: AccountTenantId;
  capsule!: AccountCapsuleId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'LABEL#{id}' })
@TenantScoped()
// why: `Label` comes from another file; only the checker sees it is a plain string, not a tenant id.
export class Labelled { // expect[typed]: capsule-id-field
  label!: Label;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'LOOK#{id}' })
@TenantScoped()
// why: the look-alike comes from another file; only the checker sees it is no brand.
export class LookAlike { // expect[typed]: capsule-id-field
  owner!: LookAlikeTenantId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'SAME#{id}' })
@TenantScoped()
export class SameNamedLocal { // expect: capsule-id-field
  owner!: TenantId;
  id!: string;
}

@Entity({
  table: 'crm_data',
  // why: only the checker sees that `org` is the branded tenant id, which wins over the field named `tenantId`.
  pk: 'TENANT#{tenantId}#ORGNAME#{id}', // expect[typed]: key-scope-segments
})
@TenantScoped()
export class BrandBeatsName {
  tenantId!: string;
  org!: OrgId;
  id!: string;
}

@Entity({ table: 'crm_data', pk: 'TENANT#{org}#ORGBRAND#{id}' })
@TenantScoped()
export class BrandBeatsNameOk { // valid: untyped paths cannot tell which field is the tenant id, so they stay silent
  tenantId!: string;
  org!: OrgId;
  id!: string;
}
