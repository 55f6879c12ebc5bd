/** The rule core's findings as TypeScript diagnostics: a fixed code per rule, the rule id leading the message. */
import type * as ts from 'typescript';
import { messageText, type Severity } from '@isolation/core';
import type { Finding } from '@isolation/core/typescript';
import { DIAGNOSTIC_CODES, DIAGNOSTIC_SOURCE } from './codes.js';

export function toDiagnostic(tsi: typeof ts, file: ts.SourceFile, finding: Finding, severity: Exclude<Severity, 'off'>): ts.Diagnostic {
  return {
    file,
    start: finding.start,
    length: finding.length,
    category: severity === 'error' ? tsi.DiagnosticCategory.Error : tsi.DiagnosticCategory.Warning,
    code: DIAGNOSTIC_CODES[finding.rule],
    source: DIAGNOSTIC_SOURCE,
    messageText: `[@isolation/${finding.rule}] ${messageText(finding.rule, finding.messageId, finding.data)}`,
  };
}
