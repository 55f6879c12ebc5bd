/**
 * Key templates: segments joined by `#`; a segment mixes literal text and placeholders `{field}` or
 * `{field.sub}` (one level into a nested field), e.g. `TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}`.
 * Offsets are UTF-16 indices into the template text, so editors can underline the exact span.
 */
import { KEY_DELIMITER } from './ids.js';

export interface TemplateLiteral {
  readonly kind: 'literal';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface TemplatePlaceholder {
  readonly kind: 'placeholder';
  /** `field` or `field.sub`, as written between the braces. */
  readonly path: string;
  readonly field: string;
  readonly sub: string | undefined;
  /** Offset of `{`. */
  readonly start: number;
  /** Offset just past `}`. */
  readonly end: number;
}

export type TemplatePart = TemplateLiteral | TemplatePlaceholder;

export interface TemplateSegment {
  readonly parts: readonly TemplatePart[];
  readonly start: number;
  readonly end: number;
}

export interface KeyTemplate {
  readonly source: string;
  readonly segments: readonly TemplateSegment[];
  readonly placeholders: readonly TemplatePlaceholder[];
}

/** A template that does not parse. `offset`/`length` locate the problem inside the template text. */
export class KeyTemplateSyntaxError extends Error {
  override readonly name = 'KeyTemplateSyntaxError';
  constructor(
    readonly template: string,
    readonly offset: number,
    readonly length: number,
    /** What is wrong and what to write instead, without the location. */
    readonly problem: string,
  ) {
    super(`${problem} (at offset ${offset} of ${JSON.stringify(template)})`);
  }
}

export type ParseResult =
  | { readonly ok: true; readonly template: KeyTemplate }
  | { readonly ok: false; readonly error: KeyTemplateSyntaxError };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Parses a key template, throwing `KeyTemplateSyntaxError` (and nothing else) on malformed input. */
export function parseKeyTemplate(source: string): KeyTemplate {
  const result = tryParseKeyTemplate(source);
  if (!result.ok) throw result.error;
  return result.template;
}

/**
 * Several rules parse the same template of the same declaration; parsing is pure and results are
 * immutable, so a small bounded memo saves the repeats without holding memory per file.
 */
const MEMO_LIMIT = 2048;
const memo = new Map<string, ParseResult>();

export function tryParseKeyTemplate(source: string): ParseResult {
  let result = memo.get(source);
  if (result === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    result = parseUncached(source);
    memo.set(source, result);
  }
  return result;
}

function parseUncached(source: string): ParseResult {
  const fail = (offset: number, length: number, problem: string): ParseResult => ({
    ok: false,
    error: new KeyTemplateSyntaxError(source, offset, Math.max(1, length), problem),
  });
  if (source.length === 0) {
    return fail(0, 0, `the template is empty; write segments joined by '${KEY_DELIMITER}', e.g. 'TENANT#{tenantId}#ORDER#{id}'`);
  }

  const segments: TemplateSegment[] = [];
  const placeholders: TemplatePlaceholder[] = [];
  let parts: TemplatePart[] = [];
  let segmentStart = 0;
  let literalStart = 0;
  let i = 0;

  const flushLiteral = (end: number): void => {
    if (end > literalStart) parts.push({ kind: 'literal', text: source.slice(literalStart, end), start: literalStart, end });
  };

  while (i <= source.length) {
    const ch = source[i];
    if (ch === undefined || ch === KEY_DELIMITER) {
      flushLiteral(i);
      if (parts.length === 0) {
        const where = i === 0 ? 'starts with' : ch === undefined ? 'ends with' : 'has an empty segment at';
        const fix = ch === undefined ? `remove the trailing '${KEY_DELIMITER}' or add a segment after it` : `remove the extra '${KEY_DELIMITER}' or put a segment between the delimiters`;
        return fail(ch === undefined ? i - 1 : i, 1, `the template ${where} '${KEY_DELIMITER}'; ${fix}`);
      }
      segments.push({ parts, start: segmentStart, end: i });
      parts = [];
      segmentStart = literalStart = i + 1;
      i += 1;
      continue;
    }
    if (ch === '}') {
      return fail(i, 1, `'}' at offset ${i} closes no placeholder; remove it or open the placeholder with '{', e.g. '{id}'`);
    }
    if (ch === '{') {
      flushLiteral(i);
      const open = i;
      let close = open + 1;
      while (close < source.length && !'{}#'.includes(source[close] as string)) close += 1;
      const stop = source[close];
      if (stop !== '}') {
        const found = stop === undefined ? 'the end of the template' : `'${stop}'`;
        return fail(open, close - open, `the placeholder opened at offset ${open} reaches ${found} before its '}'; close it, e.g. '{id}'`);
      }
      const path = source.slice(open + 1, close);
      if (path.length === 0) {
        return fail(open, 2, `'{}' names no field; write the field to substitute, e.g. '{id}'`);
      }
      const names = path.split('.');
      if (names.length > 2) {
        return fail(open, close + 1 - open, `'{${path}}' reaches ${names.length - 1} levels deep; placeholders may reach one level into a nested field ('{field.sub}'), so flatten it into a field of the entity`);
      }
      const badName = names.find((name) => !IDENTIFIER.test(name));
      if (badName !== undefined) {
        return fail(open, close + 1 - open, `'{${path}}' is not a field reference; write a field name (letters, digits, '_' or '$', not starting with a digit), e.g. '{id}' or '{owner.tenantId}'`);
      }
      const placeholder: TemplatePlaceholder = {
        kind: 'placeholder',
        path,
        field: names[0] as string,
        sub: names[1],
        start: open,
        end: close + 1,
      };
      parts.push(placeholder);
      placeholders.push(placeholder);
      i = literalStart = close + 1;
      continue;
    }
    i += 1;
  }
  return { ok: true, template: { source, segments, placeholders } };
}

/** A segment that is exactly one literal text, e.g. `TENANT`. */
export function segmentLiteral(segment: TemplateSegment): string | undefined {
  const [only, ...rest] = segment.parts;
  return only?.kind === 'literal' && rest.length === 0 ? only.text : undefined;
}

/** A segment that is exactly one placeholder, e.g. `{tenantId}`. */
export function segmentPlaceholder(segment: TemplateSegment): TemplatePlaceholder | undefined {
  const [only, ...rest] = segment.parts;
  return only?.kind === 'placeholder' && rest.length === 0 ? only : undefined;
}
