/** Turns the core's violations into TypeScript diagnostics on the offending node or span. */
import type * as ts from 'typescript';
import { messageText, type Severity, type Target, type Violation } from '@isolation/core';
import { DIAGNOSTIC_CODES, DIAGNOSTIC_SOURCE } from './codes.js';
import type { DeclarationSite } from './extract.js';
import { findOption, literalString, unwrap } from './values.js';

interface Span {
  readonly start: number;
  readonly length: number;
}

export function toDiagnostic(tsi: typeof ts, file: ts.SourceFile, violation: Violation, severity: Exclude<Severity, 'off'>, span: Span): ts.Diagnostic {
  return {
    file,
    start: span.start,
    length: span.length,
    category: severity === 'error' ? tsi.DiagnosticCategory.Error : tsi.DiagnosticCategory.Warning,
    code: DIAGNOSTIC_CODES[violation.rule],
    source: DIAGNOSTIC_SOURCE,
    messageText: `[@isolation/${violation.rule}] ${messageText(violation.rule, violation.messageId, violation.data)}`,
  };
}

export function nodeSpan(node: ts.Node, file: ts.SourceFile): Span {
  const start = node.getStart(file);
  return { start, length: node.getEnd() - start };
}

/** Where a violation of a declaration points: the node its target names, or a span inside a template. */
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
