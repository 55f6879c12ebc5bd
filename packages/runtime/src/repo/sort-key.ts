/**
 * A query's condition on the sort key, given in the entity's terms (`{ beginsWith: { occurredAt:
 * '2026-01' } }`) and rendered with its sk template: literal text and values, each value validated
 * as keys validate them, up to the last value given. Without a condition a query reads the
 * entity's own items of the partition (the sk's literal prefix), since other entities may share it.
 */
import { KEY_DELIMITER } from '../ids.js';
import { keyValue } from '../keys.js';
import { describeValue } from '../aws/guard-format.js';
import type { TemplatePlaceholder } from '../template.js';
import type { EntityShape } from './entity-shape.js';
import { memberInput, type PlainInput } from './input.js';

export interface SortKeyClause {
  /** Over `#sk` and the value names in `values`. */
  readonly expression: string;
  readonly values: Readonly<Record<string, string>>;
  /**
   * Whether every sort key the clause matches begins with the entity's literal prefix. An open
   * range (`gt`, `lt`, …) may reach other entities' items in the partition: those are dropped.
   */
  readonly withinEntity: boolean;
}

const OPERATORS = {
  equals: (sk: string) => `#sk = ${sk}`,
  beginsWith: (sk: string) => `begins_with(#sk, ${sk})`,
  gt: (sk: string) => `#sk > ${sk}`,
  gte: (sk: string) => `#sk >= ${sk}`,
  lt: (sk: string) => `#sk < ${sk}`,
  lte: (sk: string) => `#sk <= ${sk}`,
} as const;

type Operator = keyof typeof OPERATORS | 'between';

const OPERATOR_NAMES: readonly Operator[] = [...(Object.keys(OPERATORS) as (keyof typeof OPERATORS)[]), 'between'];

/** `where` is a member of the query options as `plainInput` copied them. */
export function sortKeyClause(shape: EntityShape, where: unknown, operation: string): SortKeyClause | undefined {
  const template = shape.sortKey;
  if (where === undefined) return shape.sortKeyPrefix === '' ? undefined : { expression: 'begins_with(#sk, :sk)', values: { ':sk': shape.sortKeyPrefix }, withinEntity: true };
  if (template === undefined) throw new TypeError(`${operation}: where = ${describeValue(where)}, but ${shape.name} has no sort key; leave \`where\` out`);
  const condition = typeof where === 'object' && where !== null ? Object.entries(where).filter(([, value]) => value !== undefined) : [];
  const [entry, ...others] = condition;
  if (entry === undefined || others.length > 0 || !OPERATOR_NAMES.includes(entry[0] as Operator)) {
    throw new TypeError(`${operation}: where = ${describeValue(where)}; expected one condition on the sort key: { ${OPERATOR_NAMES.join(' | ')}: … }, e.g. { beginsWith: { … } } with the first fields of the sk template '${template.source}'`);
  }
  const [operator, operand] = entry as [Operator, unknown];
  if (operator === 'between') {
    if (!Array.isArray(operand) || operand.length !== 2) throw new TypeError(`${operation}: where.between = ${describeValue(operand)}; expected [low, high], each the first fields of the sk template '${template.source}'`);
    const low = render(shape, operand[0], false, `${operation}: where.between[0]`);
    const high = render(shape, operand[1], false, `${operation}: where.between[1]`);
    return { expression: '#sk BETWEEN :sk AND :skHigh', values: { ':sk': low, ':skHigh': high }, withinEntity: true };
  }
  const value = render(shape, operand, operator === 'equals', `${operation}: where.${operator}`);
  return { expression: OPERATORS[operator](':sk'), values: { ':sk': value }, withinEntity: operator === 'equals' || operator === 'beginsWith' };
}

/**
 * The sk text through the last value given: that value may be the start of one (`'2026-01'`), so
 * no literal text after it is added. With no value given, the literal text before the first
 * placeholder: the entity's prefix. `complete` requires every placeholder (the whole sort key).
 */
function render(shape: EntityShape, operand: unknown, complete: boolean, what: string): string {
  const template = shape.sortKey;
  if (template === undefined) return '';
  const values = memberInput(shape, operand, what);
  let text = '';
  /** Literal text since the last value, added once another value follows (or the key is complete). */
  let pending = '';
  let missing: TemplatePlaceholder | undefined;
  let given = false;
  for (const [index, segment] of template.segments.entries()) {
    if (index > 0) pending += KEY_DELIMITER;
    for (const part of segment.parts) {
      if (part.kind === 'literal') {
        pending += part.text;
        continue;
      }
      const raw = valueAt(values, part);
      if (missing !== undefined) {
        if (raw !== undefined) throw new TypeError(`${what} gives {${part.path}} but not {${missing.path}} before it in the sk template '${template.source}'; give the fields in template order, leaving out only a tail`);
        continue;
      }
      if (raw === undefined) {
        if (complete) throw new TypeError(`${what} has no value for {${part.path}}; \`equals\` needs every field of the sk template '${template.source}' (use beginsWith for the first ones)`);
        missing = part;
        if (!given) text = pending;
        continue;
      }
      text += pending + keyValue(shape.name, 'sk', part.path, raw);
      pending = '';
      given = true;
    }
  }
  return missing === undefined ? text + pending : text;
}

function valueAt(values: PlainInput, placeholder: TemplatePlaceholder): unknown {
  const value = values[placeholder.field];
  if (placeholder.sub === undefined) return value;
  return typeof value === 'object' && value !== null ? (value as PlainInput)[placeholder.sub] : undefined;
}
