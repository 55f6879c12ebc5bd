import { unfoundScopeBrands } from './capsule-id-field.js';
import { lookupFieldPath, SCOPE_FIELD_NAMES } from './fields.js';
import type { Declared, EntityDeclaration } from './model.js';
import { tryParseKeyTemplate } from '../template.js';
import type { Violation } from './violation.js';
import { describeUnverifiable } from './violation.js';

const RULE = 'key-template';
const TEMPLATE_OPTIONS = ['pk', 'sk'] as const;

/** Templates parse, are literals, and every placeholder names a field of the entity. */
export function checkKeyTemplate(entity: EntityDeclaration): Violation[] {
  if (entity.pk === undefined) {
    return [{ rule: RULE, messageId: 'missingPk', data: { entity: entity.name, upperName: entity.name.toUpperCase() }, target: { kind: 'decorator' } }];
  }
  const { pk, sk } = entity;
  if (pk.kind === 'unverifiable' && pk.notOptions === true) {
    return [{ rule: RULE, messageId: 'notOptions', data: { entity: entity.name, found: pk.found, upperName: entity.name.toUpperCase() }, target: { kind: 'decorator' } }];
  }
  // One spread or one options variable that may hold both templates is one report, at the pk.
  const sameSource = pk.kind === 'unverifiable' && sk?.kind === 'unverifiable' && pk.found === sk.found;
  return TEMPLATE_OPTIONS.flatMap((option) => (option === 'sk' && sameSource ? [] : checkTemplateOption(entity, option, entity[option])));
}

function checkTemplateOption(entity: EntityDeclaration, option: 'pk' | 'sk', declared: Declared<string> | undefined): Violation[] {
  if (declared === undefined) return [];
  if (declared.kind === 'unverifiable') {
    return [
      {
        rule: RULE,
        messageId: 'unverifiableTemplate',
        data: describeUnverifiable(`The ${option} template of \`${entity.name}\``, declared.found, ' (or a constant, with the type-checked config)'),
        target: { kind: 'option', option },
      },
    ];
  }
  const parsed = tryParseKeyTemplate(declared.value);
  if (!parsed.ok) {
    const { offset, length, problem } = parsed.error;
    return [
      {
        rule: RULE,
        messageId: 'malformedTemplate',
        data: { option, template: declared.value, entity: entity.name, problem },
        target: { kind: 'option', option, range: [offset, Math.min(declared.value.length, offset + length)] },
      },
    ];
  }
  const violations: Violation[] = [];
  // A placeholder naming an id field that is not found is capsule-id-field's one mistake where that
  // rule is sure the field is missing, and no mistake at all where the field may be out of sight.
  let reportedMissing: Set<string> | undefined;
  const reportedElsewhere = (path: string): boolean => {
    reportedMissing ??= new Set(unfoundScopeBrands(entity).flatMap((brand) => SCOPE_FIELD_NAMES[brand]));
    return reportedMissing.has(path);
  };
  for (const placeholder of parsed.template.placeholders) {
    const found = lookupFieldPath(entity.fields, placeholder.field, placeholder.sub);
    if (found === 'found' || found === 'unknown') continue;
    if (found === 'missing-field' && reportedElsewhere(placeholder.path)) continue;
    const fields = entity.fields.fields.map((field) => `\`${field.name}\``).join(', ') || 'none declared';
    violations.push({
      rule: RULE,
      messageId: found === 'missing-field' ? 'unknownField' : 'unknownSubField',
      data: { option, entity: entity.name, placeholder: placeholder.path, field: placeholder.field, sub: placeholder.sub ?? '', fields },
      target: { kind: 'option', option, range: [placeholder.start, placeholder.end] },
    });
  }
  return violations;
}
