/** Renderings of an audit report: text, JSON and SARIF 2.1.0. */
import { createRequire } from 'node:module';
import { isAbsolute, relative, sep } from 'node:path';
import { sarifLog } from '@isolation/core';
import { AUDIT_RULES, type AuditReport, type AuditRule } from './audit.js';

const INFORMATION_URI = 'https://github.com/isolation-dev/isolation/tree/main/packages/runtime#readme';
const { version: VERSION } = createRequire(import.meta.url)('../../package.json') as { version: string };

export type AuditFormat = 'text' | 'json' | 'sarif';

// Terminal controls (C0, DEL, C1), line and paragraph separators, and bidirectional overrides.
const UNSAFE_IN_TEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every character a terminal or log viewer would act on written as an escape (`\n`,
 * `\u001b`): type names and ids come from the log, and must neither colour the report, move the
 * cursor, forge report lines nor reorder what is shown.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, (character) => {
    if (character === '\n') return '\\n';
    if (character === '\r') return '\\r';
    if (character === '\t') return '\\t';
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function formatText(report: AuditReport, file: string): string {
  const safe = escapeControlCharacters;
  const declared = report.types.filter((type) => type.declaredScope !== undefined).length;
  const scopes = report.types.length === 0 ? '' : declared === 0 ? '; no scopes declared (type findings inferred from the log)' : `; scopes declared for ${declared} of them`;
  const out = [`${safe(file)}: ${report.events} events of ${report.types.length} types in ${report.lines} lines${scopes}; ${report.malformed} malformed lines skipped; ${report.findings.length} finding(s)`];
  for (const finding of report.findings) {
    out.push(safe(`${finding.severity.padEnd(7)} ${finding.rule}${finding.eventType === undefined ? '' : ` ${finding.eventType}`}: ${finding.message}`));
    if (finding.lines.length > 0) out.push(`        line${finding.lines.length > 1 ? 's' : ''} ${finding.lines.join(', ')}${finding.count > finding.lines.length ? `, … (${finding.count} in all)` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

export function formatJson(report: AuditReport, file: string): string {
  return `${JSON.stringify({ file, ...report }, null, 2)}\n`;
}

/** SARIF 2.1.0 through the one builder the checker uses too; the log file's path relative to `cwd`. */
export function formatSarif(report: AuditReport, file: string, cwd = process.cwd()): string {
  const ruleIds = Object.keys(AUDIT_RULES) as AuditRule[];
  const relativeFile = file === '-' ? 'stdin' : isAbsolute(file) ? relative(cwd, file) : file;
  const log = sarifLog(
    { name: 'isolation-audit', version: VERSION, informationUri: INFORMATION_URI, rules: ruleIds.map((id) => ({ id, description: AUDIT_RULES[id] })) },
    cwd,
    report.findings.map((finding) => ({
      ruleId: finding.rule,
      level: finding.severity,
      message: finding.message,
      file: relativeFile.split(sep).join('/'),
      regions: finding.lines.map((line) => ({ startLine: line })),
      properties: { count: finding.count, ...(finding.eventType === undefined ? {} : { eventType: finding.eventType }) },
    })),
  );
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function formatReport(report: AuditReport, file: string, format: AuditFormat): string {
  return format === 'json' ? formatJson(report, file) : format === 'sarif' ? formatSarif(report, file) : formatText(report, file);
}
