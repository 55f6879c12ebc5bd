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
}

/**
 * Own and inherited fields first, then one level nested. A branded field wins over a field that
 * merely has the conventional name, so `owner: TenantId` is the tenant field even next to `tenantId: string`.
 */
export function findScopeField(fields: FieldSet, brand: ScopeBrand): ScopeFieldLookup {
  const byBrand: string[] = [];
  const byName: string[] = [];
  let certain = fields.complete;
  for (const field of fields.fields) {
    if (field.brand === brand) byBrand.push(field.name);
    else if (field.brand === undefined && SCOPE_FIELD_NAMES[brand].includes(field.name)) byName.push(field.name);
  }
  if (byBrand.length === 0 && byName.length === 0) {
    for (const field of fields.fields) {
      // A field whose type the extractor cannot see is taken to hold no ids; a template that
      // reaches into it is evidence otherwise (see `reachesIntoUnknownField`).
      if (field.nested === undefined) continue;
      if (!field.nested.complete) certain = false;
      for (const sub of field.nested.fields) {
        const path = `${field.name}.${sub.name}`;
        if (sub.brand === brand) byBrand.push(path);
        else if (sub.brand === undefined && SCOPE_FIELD_NAMES[brand].includes(sub.name)) byName.push(path);
      }
    }
  }
  const paths = byBrand.length > 0 ? byBrand : byName;
  return { paths, certain: paths.length > 0 || certain };
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
