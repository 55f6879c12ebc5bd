/** Where a violation is shown: the node its target names, or the exact span inside a template string. */
import type * as ts from 'typescript';
import type { Target } from '../index.js';
import type { DeclarationSite } from './extract.js';
import { findOption, literalString, unwrap } from './values.js';

export interface Span {
  readonly start: number;
  readonly length: number;
}

export function nodeSpan(node: ts.Node, file: ts.SourceFile): Span {
  const start = node.getStart(file);
  return { start, length: node.getEnd() - start };
}

export function locate(tsi: typeof ts, file: ts.SourceFile, target: Target, site: DeclarationSite): Span {
  const at = (node: ts.Node): Span => nodeSpan(node, file);
  switch (target.kind) {
    case 'node':
    case 'decorator':
      return at(site.decorator.node);
    case 'name':
      return at(site.nameNode);
    case 'marker': {
      const marker = site.markers[target.index];
      if (marker === undefined) return at(site.decorator.node);
      const reason = target.option === 'reason' && marker.options ? findOption(tsi, marker.options, 'reason') : undefined;
      return at(reason?.kind === 'present' ? reason.value : marker.node);
    }
    case 'parameter':
      return at(site.parameters[target.index] ?? site.nameNode);
    case 'option': {
      const options = site.decorator.options;
      const found = options === undefined ? undefined : findOption(tsi, options, target.option);
      if (found?.kind !== 'present') return at(found?.kind === 'opaque' ? found.node : (site.decorator.argument ?? site.decorator.node));
      const value = unwrap(tsi, found.value);
      if (target.index !== undefined && tsi.isArrayLiteralExpression(value)) return at(value.elements[target.index] ?? value);
      if (target.range !== undefined) return spanInsideString(tsi, file, value, target.range) ?? at(value);
      return at(value);
    }
  }
}

/** The exact span inside a string literal, when its source text is the value verbatim (no escapes). */
function spanInsideString(tsi: typeof ts, file: ts.SourceFile, node: ts.Expression, [start, end]: readonly [number, number]): Span | undefined {
  const value = literalString(tsi, node);
  const raw = node.getText(file);
  if (value === undefined || raw.slice(1, -1) !== value) return undefined;
  return { start: node.getStart(file) + 1 + start, length: end - start };
}
