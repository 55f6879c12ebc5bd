/**
 * The rule core's repairs (`Edit`s on a declaration) as minimal text edits on the source: the one
 * implementation behind ESLint's suggestions and `isolation-migrate`. Lists keep their layout (one
 * item per line stays one per line, trailing commas and comments kept), strings follow the quote
 * the options already use, and a CRLF file stays CRLF.
 */
import type * as ts from 'typescript';
import type { Edit } from '../index.js';
import type { DeclarationSite } from './extract.js';
import { findOption, unwrap } from './values.js';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The edits that carry out `edits` on the declaration at `site`, or undefined when they cannot be written safely. */
export function declarationEdits(tsi: typeof ts, file: ts.SourceFile, site: DeclarationSite, edits: readonly Edit[]): TextEdit[] | undefined {
  const options = site.decorator.options;
  const quote = options === undefined ? quoteWith("'") : quoteOf(tsi, file, options);
  const literal = (value: string | readonly string[]): string => (typeof value === 'string' ? quote(value) : `[${value.map(quote).join(', ')}]`);
  const result: TextEdit[] = [];
  const newProperties: string[] = [];
  for (const edit of edits) {
    if (edit.kind === 'addField') {
      if (site.classNode === undefined) return undefined;
      result.push(fieldEdit(file, site.classNode, edit.text));
      continue;
    }
    if (options === undefined) return undefined;
    const found = findOption(tsi, options, edit.option);
    if (found.kind === 'opaque') return undefined;
    if (found.kind === 'absent') {
      newProperties.push(`${edit.option}: ${literal(edit.kind === 'setOption' ? edit.value : edit.items)}`);
      continue;
    }
    const value = unwrap(tsi, found.value);
    if (edit.kind === 'setOption') {
      result.push({ start: value.getStart(file), end: value.end, text: literal(edit.value) });
    } else if (tsi.isArrayLiteralExpression(value)) {
      result.push(...appendToList(tsi, file, value, value.elements, edit.items.map(quote)));
    } else {
      return undefined;
    }
  }
  if (newProperties.length > 0 && options !== undefined) result.push(...appendToList(tsi, file, options, options.properties, newProperties));
  return result.toSorted((a, b) => a.start - b.start || a.end - b.end);
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits.toSorted((a, b) => a.start - b.start || a.end - b.end)) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}

const quoteWith =
  (mark: string) =>
  (value: string): string =>
    `${mark}${value.replace(/\\/g, '\\\\').replaceAll(mark, `\\${mark}`)}${mark}`;

/** The quote the options' `path` (or first string) is written with; single quotes otherwise. */
function quoteOf(tsi: typeof ts, file: ts.SourceFile, options: ts.ObjectLiteralExpression): (value: string) => string {
  const strings = options.properties.flatMap((property) => (tsi.isPropertyAssignment(property) && tsi.isStringLiteral(property.initializer) ? [property.initializer] : []));
  const first = strings.find((node) => tsi.isPropertyAssignment(node.parent) && tsi.isIdentifier(node.parent.name) && node.parent.name.text === 'path') ?? strings[0];
  return quoteWith(first?.getText(file).startsWith('"') ? '"' : "'");
}

/**
 * Appends items to a comma-separated list (object properties, array elements, named imports).
 * A list written one item per line gets one new line per item at the same indentation, after any
 * trailing comma and comment; any other list gets `, a, b` right after its last item.
 */
export function appendToList(tsi: typeof ts, file: ts.SourceFile, container: ts.Node, list: ts.NodeArray<ts.Node>, items: readonly string[]): TextEdit[] {
  const text = file.text;
  const eolMark = newline(text);
  const last = list.at(-1);
  if (last === undefined) {
    const open = container.getStart(file);
    const inner = text.slice(open + 1, container.end - 1);
    const [before, after] = tsi.isArrayLiteralExpression(container) ? ['', ''] : [' ', ' '];
    return [{ start: open + 1, end: container.end - 1, text: inner.trim() === '' ? `${before}${items.join(', ')}${after}` : `${inner}${items.join(', ')}` }];
  }
  const lineOf = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line;
  const starts = list.map((node) => node.getStart(file));
  const lines = starts.map(lineOf);
  const lastStart = starts.at(-1) as number;
  const lineStart = file.getPositionOfLineAndCharacter(lineOf(lastStart), 0);
  const indent = text.slice(lineStart, lastStart);
  const onePerLine = new Set(lines).size === lines.length && lines[0] !== lineOf(container.getStart(file)) && /^\s*$/.test(indent);
  if (!onePerLine) return [{ start: last.end, end: last.end, text: `, ${items.join(', ')}` }];
  if (list.hasTrailingComma) {
    const comma = nextToken(tsi, text, last.end).end;
    const eol = endOfTrailingComments(tsi, text, comma);
    return [{ start: eol, end: eol, text: items.map((item) => `${eolMark}${indent}${item},`).join('') }];
  }
  const eol = endOfTrailingComments(tsi, text, last.end);
  const added = items.map((item) => `${eolMark}${indent}${item}`).join(',');
  if (eol === last.end) return [{ start: last.end, end: last.end, text: `,${added}` }];
  return [
    { start: last.end, end: last.end, text: ',' },
    { start: eol, end: eol, text: added },
  ];
}

/** A field declaration at the top of a class body: on the members' line when the body is one line, else a line of its own. */
function fieldEdit(file: ts.SourceFile, node: ts.ClassLikeDeclaration, field: string): TextEdit {
  const text = file.text;
  const lineOf = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line;
  // The members start right after the class's `{`, and the class ends with its `}`.
  const open = node.members.pos - 1;
  const close = node.end - 1;
  const first = node.members[0];
  if (first !== undefined) {
    const start = first.getStart(file);
    if (lineOf(start) === lineOf(open)) return { start, end: start, text: `${field} ` };
    const indent = text.slice(file.getPositionOfLineAndCharacter(lineOf(start), 0), start);
    return { start, end: start, text: `${field}${newline(text)}${/^\s*$/.test(indent) ? indent : ''}` };
  }
  const lineStart = file.getPositionOfLineAndCharacter(lineOf(open), 0);
  const outer = /^\s*/.exec(text.slice(lineStart, open))?.[0] ?? '';
  const eol = newline(text);
  return { start: open, end: close + 1, text: `{${eol}${outer}  ${field}${eol}${outer}}` };
}

/** The file's own line ending, so a CRLF file stays CRLF. */
export function newline(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function nextToken(tsi: typeof ts, text: string, pos: number): { start: number; end: number } {
  const scanner = tsi.createScanner(tsi.ScriptTarget.Latest, true, tsi.LanguageVariant.Standard, text);
  scanner.resetTokenState(pos);
  scanner.scan();
  return { start: scanner.getTokenStart(), end: scanner.getTokenEnd() };
}

/** After comments that share the line with `pos`. */
export function endOfTrailingComments(tsi: typeof ts, text: string, pos: number): number {
  return tsi.getTrailingCommentRanges(text, pos)?.at(-1)?.end ?? pos;
}
