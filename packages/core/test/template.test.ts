import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTemplateSyntaxError, parseKeyTemplate, tryParseKeyTemplate } from '../src/template.js';

describe('parseKeyTemplate', () => {
  it('parses segments, literals and placeholders with their offsets', () => {
    const template = parseKeyTemplate('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}');
    expect(template.segments).toHaveLength(6);
    expect(template.placeholders.map((placeholder) => [placeholder.path, placeholder.start, placeholder.end])).toEqual([
      ['tenantId', 7, 17],
      ['capsuleId', 26, 37],
      ['id', 43, 47],
    ]);
  });

  it('parses a placeholder inside literal text and one nested level', () => {
    const template = parseKeyTemplate('METADATA#v{version}#{owner.tenantId}x');
    expect(template.segments[1]?.parts).toEqual([
      { kind: 'literal', text: 'v', start: 9, end: 10 },
      { kind: 'placeholder', path: 'version', field: 'version', sub: undefined, start: 10, end: 19 },
    ]);
    expect(template.placeholders[1]).toMatchObject({ field: 'owner', sub: 'tenantId' });
  });

  it.each([
    ['', 0, /empty/],
    ['#A', 0, /starts with '#'/],
    ['A##B', 2, /empty segment/],
    ['A#', 1, /ends with '#'.*remove the trailing '#'/],
    ['A}', 1, /closes no placeholder/],
    ['A#{id', 2, /reaches the end of the template before its '}'/],
    ['A#{id#B}', 2, /reaches '#' before its '}'/],
    ['A#{{id}}', 2, /reaches '\{'/],
    ['A#{}', 2, /names no field/],
    ['A#{a.b.c}', 2, /one level into a nested field/],
    ['A#{1a}', 2, /not a field reference/],
    ['A#{a-b}', 2, /not a field reference/],
  ])('refuses %j at offset %i, saying what to write', (source, offset, problem) => {
    const result = tryParseKeyTemplate(source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(KeyTemplateSyntaxError);
    expect(result.error.offset).toBe(offset);
    expect(result.error.length).toBeGreaterThan(0);
    expect(result.error.problem).toMatch(problem);
    expect(() => parseKeyTemplate(source)).toThrow(KeyTemplateSyntaxError);
  });
});

describe('parseKeyTemplate properties', () => {
  const throwsOnlySyntaxErrors = (source: string): void => {
    try {
      parseKeyTemplate(source);
    } catch (error) {
      expect(error).toBeInstanceOf(KeyTemplateSyntaxError);
      const { offset, length } = error as KeyTemplateSyntaxError;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThanOrEqual(source.length);
      expect(length).toBeGreaterThan(0);
    }
  };

  it('never throws anything but a syntax error with an offset inside the input, on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), throwsOnlySyntaxErrors), { numRuns: 2000 });
  });

  it('never throws anything else on strings made of the grammar’s own characters', () => {
    const alphabet = fc.constantFrom('#', '{', '}', '.', 'a', 'Z', '_', '1', ' ');
    fc.assert(fc.property(fc.array(alphabet, { maxLength: 40 }).map((chars) => chars.join('')), throwsOnlySyntaxErrors), { numRuns: 3000 });
  });

  const identifier = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,8}$/);
  const literal = fc.stringMatching(/^[A-Za-z0-9_ .-]{1,8}$/);
  const part = fc.oneof(
    literal.map((text) => ({ kind: 'literal' as const, text })),
    fc.tuple(identifier, fc.option(identifier, { nil: undefined })).map(([field, sub]) => ({ kind: 'placeholder' as const, field, sub })),
  );
  // Adjacent literals would merge into one, so a segment alternates as generated text does.
  const segment = fc.array(part, { minLength: 1, maxLength: 4 }).filter((parts) => parts.every((p, i) => i === 0 || p.kind !== 'literal' || parts[i - 1]?.kind !== 'literal'));

  it('round-trips: a template rendered from a valid structure parses back to that structure', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const source = segments.map((parts) => parts.map((p) => (p.kind === 'literal' ? p.text : `{${p.sub === undefined ? p.field : `${p.field}.${p.sub}`}}`)).join('')).join('#');
        const parsed = parseKeyTemplate(source);
        const shape = parsed.segments.map((s) => s.parts.map((p) => (p.kind === 'literal' ? { kind: p.kind, text: p.text } : { kind: p.kind, field: p.field, sub: p.sub })));
        expect(shape).toEqual(segments.map((parts) => parts.map((p) => (p.kind === 'literal' ? p : { kind: p.kind, field: p.field, sub: p.sub }))));
        for (const placeholder of parsed.placeholders) expect(source.slice(placeholder.start, placeholder.end)).toBe(`{${placeholder.path}}`);
      }),
      { numRuns: 1000 },
    );
  });
});
