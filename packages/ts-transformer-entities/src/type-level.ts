/**
 * `@isolation/runtime`'s decorator signatures report what types can see of our rules as ordinary
 * type errors whose text carries `[@isolation/<rule>]` (ADR 0019). Where this package runs, it
 * reports the same mistakes itself, with the full message; those type errors are dropped so that
 * one mistake stays one report.
 */
import type * as ts from 'typescript';
import { DIAGNOSTIC_SOURCE } from './codes.js';

const RULE_MARK = /\[@isolation\/[a-z-]+\]/;

/** The diagnostics as they came (same array) when none is ours at the type level; a filtered copy otherwise. */
export function withoutTypeLevelReports<List extends readonly ts.Diagnostic[]>(tsi: typeof ts, diagnostics: List): List {
  const isTypeLevel = (diagnostic: ts.Diagnostic): boolean =>
    diagnostic.source !== DIAGNOSTIC_SOURCE && RULE_MARK.test(tsi.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  return diagnostics.some(isTypeLevel) ? (diagnostics.filter((diagnostic) => !isTypeLevel(diagnostic)) as readonly ts.Diagnostic[] as List) : diagnostics;
}
