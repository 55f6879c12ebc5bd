import { soleScope } from './entity-scope.js';
import { DEFAULT_FIELD, findScopeField, reachesIntoUnknownField } from './fields.js';
import { tryParseKeyTemplate, type TemplatePlaceholder } from '../template.js';
import type { EntityDeclaration, EventDeclaration, ScopeBrand, ScopeKind } from './model.js';
import type { Violation } from './violation.js';

/** The id fields each scope needs, in the order they are reported. */
export function requiredBrands(scope: ScopeKind): readonly ScopeBrand[] {
  if (scope === 'capsule') return ['TenantId', 'CapsuleId'];
  if (scope === 'tenant') return ['TenantId'];
  return [];
}

export const SCOPE_LABEL: Readonly<Record<ScopeKind, string>> = { capsule: 'Capsule', tenant: 'Tenant', platform: 'Platform' };
const OWNER: Readonly<Record<ScopeBrand, string>> = { TenantId: 'tenant', CapsuleId: 'capsule' };

/** Shared by `capsule-id-field` and `event-scope-fields`: one report per missing id field. */
export function missingScopeFields(
  declaration: EntityDeclaration | EventDeclaration,
  scope: ScopeKind,
  rule: 'capsule-id-field' | 'event-scope-fields',
): Violation[] {
  const subject = declaration.kind === 'entity' ? 'entity' : 'event';
  const missing = requiredBrands(scope).filter((brand) => {
    const found = findScopeField(declaration.fields, brand);
    return found.paths.length === 0 && found.certain;
  });
  // A template reaching into a field whose type is unknown (`{owner.tenantId}`) may name the id.
  if (missing.length === 0 || (declaration.kind === 'entity' && reachesIntoUnknownField(declaration.fields, templatePlaceholders(declaration)))) return [];
  return missing.map((brand) => {
    const field = DEFAULT_FIELD[brand];
    const data = { [subject]: declaration.name, scope: SCOPE_LABEL[scope], brand, field, owner: OWNER[brand] };
    return {
      rule,
      messageId: 'missingField',
      data,
      target: { kind: 'name' },
      suggestions: [{ messageId: 'addField', data, edits: [{ kind: 'addField', text: `${field}!: ${brand};` }] }],
    };
  });
}

/** Capsule entities carry a TenantId and a CapsuleId field; tenant entities a TenantId field. */
export function checkCapsuleIdField(entity: EntityDeclaration): Violation[] {
  const scope = soleScope(entity);
  return scope === undefined ? [] : missingScopeFields(entity, scope, 'capsule-id-field');
}

/** Placeholders of the entity's templates that parse and are known. */
export function templatePlaceholders(entity: EntityDeclaration): TemplatePlaceholder[] {
  return [entity.pk, entity.sk].flatMap((template) => {
    if (template?.kind !== 'known') return [];
    const parsed = tryParseKeyTemplate(template.value);
    return parsed.ok ? [...parsed.template.placeholders] : [];
  });
}

/**
 * Id fields the entity's scope requires but that were not found: `capsule-id-field` reports those
 * certainly missing; the others may be out of sight (an imported type without a type checker).
 */
export function unfoundScopeBrands(entity: EntityDeclaration): ScopeBrand[] {
  const scope = soleScope(entity);
  return scope === undefined ? [] : requiredBrands(scope).filter((brand) => findScopeField(entity.fields, brand).paths.length === 0);
}
