import { soleScope } from './entity-scope.js';
import { DEFAULT_FIELD, findScopeField } from './fields.js';
import type { EntityDeclaration, ScopeBrand } from './model.js';
import { segmentLiteral, segmentPlaceholder, tryParseKeyTemplate, type KeyTemplate, type TemplateSegment } from '../template.js';
import { lookupFieldPath } from './fields.js';
import type { Suggestion, Violation } from './violation.js';

const RULE = 'key-scope-segments';

interface PrefixPart {
  readonly literal: string;
  readonly brand: ScopeBrand;
  /** Accepted placeholder paths; undefined when a field out of sight may be the id (any placeholder passes). */
  readonly paths: readonly string[] | undefined;
  /** The path the message names. */
  readonly shown: string;
}

/**
 * A capsule entity's pk begins `TENANT#{tenant}#CAPSULE#{capsule}#` and a tenant entity's
 * `TENANT#{tenant}#`, followed by more. Silent where another rule already reports the root cause:
 * no single scope, a template that does not parse or is not a literal, a missing scope field.
 */
export function checkKeyScopeSegments(entity: EntityDeclaration): Violation[] {
  const scope = soleScope(entity);
  if (scope === undefined || scope === 'platform' || entity.pk?.kind !== 'known') return [];
  const parsed = tryParseKeyTemplate(entity.pk.value);
  if (!parsed.ok) return [];
  const template = parsed.template;
  if (template.placeholders.some((p) => lookupFieldPath(entity.fields, p.field, p.sub).startsWith('missing'))) return [];

  const brands: ScopeBrand[] = scope === 'capsule' ? ['TenantId', 'CapsuleId'] : ['TenantId'];
  // The decorators at run time see no field at all: the prefix's shape is still theirs to check.
  const blind = entity.fields.fields.length === 0 && !entity.fields.complete;
  const prefix: PrefixPart[] = [];
  for (const brand of brands) {
    const found = findScopeField(entity.fields, brand);
    if (found.paths.length === 0 && blind) {
      prefix.push({ literal: brand === 'TenantId' ? 'TENANT' : 'CAPSULE', brand, paths: undefined, shown: DEFAULT_FIELD[brand] });
      continue;
    }
    // A missing field is capsule-id-field's to report; one that may be missing (out of sight) may be
    // that root cause too, so without seeing it no path reports the pk instead.
    if (found.paths.length === 0) return [];
    // Where a field out of sight may be the branded id, any placeholder may name it: no guess.
    prefix.push({ literal: brand === 'TenantId' ? 'TENANT' : 'CAPSULE', brand, paths: found.exact ? found.paths : undefined, shown: found.paths[0] ?? DEFAULT_FIELD[brand] });
  }
  const expected = prefix.map((part) => `${part.literal}#{${part.shown}}#`).join('');
  const data = { entity: entity.name, scope, pk: template.source, expected, owner: scope };

  const mismatch = firstMismatch(template, prefix);
  if (mismatch !== undefined) {
    return [
      {
        rule: RULE,
        messageId: 'missingScopePrefix',
        data,
        target: { kind: 'option', option: 'pk', range: [mismatch.start, mismatch.end] },
        suggestions: rewriteSuggestion(template, prefix, expected),
      },
    ];
  }
  if (template.segments.length === prefix.length * 2) {
    return [
      {
        rule: RULE,
        messageId: 'nothingAfterPrefix',
        data: { ...data, example: `${entity.name.toUpperCase()}#{id}` },
        target: { kind: 'option', option: 'pk' },
      },
    ];
  }
  return [];
}

function firstMismatch(template: KeyTemplate, prefix: readonly PrefixPart[]): TemplateSegment | { start: number; end: number } | undefined {
  for (const [index, part] of prefix.entries()) {
    const literal = template.segments[index * 2];
    const value = template.segments[index * 2 + 1];
    if (literal === undefined || segmentLiteral(literal) !== part.literal) return literal ?? wholeTemplate(template);
    if (value === undefined) return wholeTemplate(template);
    const placeholder = segmentPlaceholder(value);
    if (placeholder === undefined || (part.paths !== undefined && !part.paths.includes(placeholder.path))) return value;
  }
  return undefined;
}

function wholeTemplate(template: KeyTemplate): { start: number; end: number } {
  return { start: 0, end: template.source.length };
}

/**
 * The repair is unambiguous only when each scope field is known by one path: keep the entity's own
 * segments, drop stray scope segments, and put the prefix in front.
 */
function rewriteSuggestion(template: KeyTemplate, prefix: readonly PrefixPart[], expected: string): Suggestion[] | undefined {
  if (prefix.some((part) => part.paths?.length !== 1)) return undefined;
  const scopeLiterals = new Set(prefix.map((part) => part.literal));
  const scopePaths = new Set(prefix.flatMap((part) => part.paths ?? []));
  const own = template.segments.filter((segment) => {
    const literal = segmentLiteral(segment);
    const placeholder = segmentPlaceholder(segment);
    return !(literal !== undefined && scopeLiterals.has(literal)) && !(placeholder !== undefined && scopePaths.has(placeholder.path));
  });
  if (own.length === 0) return undefined;
  const pk = expected + own.map((segment) => template.source.slice(segment.start, segment.end)).join('#');
  return [{ messageId: 'rewritePk', data: { pk }, edits: [{ kind: 'setOption', option: 'pk', value: pk }] }];
}
