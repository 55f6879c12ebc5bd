/** Finding the tenant and capsule fields of a declaration: by brand where known, otherwise by name. */
import type { FieldSet, ScopeBrand } from './model.js';

/** The conventional names of the id fields, used where no brand is known. */
export const SCOPE_FIELD_NAMES: Readonly<Record<ScopeBrand, readonly string[]>> = {
  TenantId: ['tenantId', 'tenant_id'],
  CapsuleId: ['capsuleId', 'capsule_id'],
};

export const DEFAULT_FIELD: Readonly<Record<ScopeBrand, string>> = { TenantId: 'tenantId', CapsuleId: 'capsuleId' };

export interface ScopeFieldLookup {
  /** Paths (`tenantId`, `owner.tenantId`) that hold the id; empty when none was found. */
  readonly paths: readonly string[];
  /** False when the fields may include one the extractor cannot see; absence is then not proof. */
  readonly certain: boolean;
  /**
   * True when `paths` are all the paths that can hold the id: every field and its type was seen.
   * Otherwise a field out of sight may be the branded id, which wins over one merely named like it.
   */
  readonly exact: boolean;
}

/**
 * Own and inherited fields first, then one level nested. A branded field wins over a field that
 * merely has the conventional name, so `owner: TenantId` is the tenant field even next to `tenantId: string`.
 */
export function findScopeField(fields: FieldSet, brand: ScopeBrand): ScopeFieldLookup {
  const byBrand: string[] = [];
  const byName: string[] = [];
  let seenAll = fields.complete && !fields.fields.some((field) => field.typeUnknown === true);
  for (const field of fields.fields) {
    if (field.brand === brand) byBrand.push(field.name);
    else if (field.brand === undefined && SCOPE_FIELD_NAMES[brand].includes(field.name)) byName.push(field.name);
  }
  if (byBrand.length === 0 && byName.length === 0) {
    for (const field of fields.fields) {
      // A field of a known type without nested fields holds no ids; one out of sight is counted above.
      if (field.nested === undefined) continue;
      if (!field.nested.complete || field.nested.fields.some((sub) => sub.typeUnknown === true)) seenAll = false;
      for (const sub of field.nested.fields) {
        const path = `${field.name}.${sub.name}`;
        if (sub.brand === brand) byBrand.push(path);
        else if (sub.brand === undefined && SCOPE_FIELD_NAMES[brand].includes(sub.name)) byName.push(path);
      }
    }
  }
  const paths = byBrand.length > 0 ? byBrand : byName;
  return { paths, certain: paths.length > 0 || seenAll, exact: seenAll };
}

/**
 * Whether a template placeholder reaches into a field whose type is unknown (`{owner.tenantId}`
 * where `owner`'s type cannot be seen): the id may well live there, so absence is not proof.
 */
export function reachesIntoUnknownField(fields: FieldSet, placeholders: readonly { field: string; sub: string | undefined }[]): boolean {
  return placeholders.some((placeholder) => placeholder.sub !== undefined && lookupFieldPath(fields, placeholder.field, placeholder.sub) === 'unknown');
}

/** Resolves `field` or `field.sub`: 'found', 'missing' (certainly absent) or 'unknown'. */
export function lookupFieldPath(fields: FieldSet, field: string, sub: string | undefined): 'found' | 'missing-field' | 'missing-sub' | 'unknown' {
  const own = fields.fields.find((candidate) => candidate.name === field);
  if (own === undefined) return fields.complete ? 'missing-field' : 'unknown';
  if (sub === undefined) return 'found';
  if (own.nested === undefined) return 'unknown';
  if (own.nested.fields.some((candidate) => candidate.name === sub)) return 'found';
  return own.nested.complete ? 'missing-sub' : 'unknown';
}
