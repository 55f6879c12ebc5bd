/**
 * The output formats of `isolation-check`: `stylish` (tsc-like lines and a summary), `json` (one
 * object per finding) and `sarif` (SARIF 2.1.0, as GitHub code scanning uploads it).
 */
import { RULE_CATALOG, RULE_IDS, sarifLog, type RuleId } from '@isolation/core';

export const FORMATS = ['stylish', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface Finding {
  /** Relative to the working directory, with `/` separators. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units (as TypeScript and SARIF's default column kind count). */
  readonly column: number;
  readonly endLine: number;
  /** 1-based, exclusive: the column just after the finding. */
  readonly endColumn: number;
  readonly rule: RuleId;
  readonly code: number;
  readonly severity: 'error' | 'warning';
  /** The rule's message, without the `[@isolation/<rule>]` prefix the compiler diagnostics carry. */
  readonly message: string;
}

export interface Summary {
  readonly projects: number;
  readonly files: number;
}

export interface Tool {
  readonly version: string;
}

const DOCS = 'https://github.com/isolation-dev/isolation/blob/main/packages/eslint-plugin-isolation/docs/rules';
const INFORMATION_URI = 'https://github.com/isolation-dev/isolation/tree/main/packages/ts-transformer-entities';

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

export function stylish(findings: readonly Finding[], summary: Summary): string {
  const lines = findings.map((f) => `${f.file}(${f.line},${f.column}): ${f.severity} TS${f.code}: [@isolation/${f.rule}] ${f.message}`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const scope = `${plural(summary.files, 'file')} in ${plural(summary.projects, 'project')}`;
  if (findings.length === 0) return `isolation-check: no findings in ${scope}.\n`;
  const files = new Set(findings.map((f) => f.file)).size;
  lines.push('', `isolation-check: ${plural(errors, 'error')} and ${plural(warnings, 'warning')} in ${plural(files, 'file')} (checked ${scope}).`);
  return `${lines.join('\n')}\n`;
}

export function json(findings: readonly Finding[]): string {
  return `${JSON.stringify(
    findings.map(({ file, line, column, endLine, endColumn, rule, code, severity, message }) => ({ file, line, column, endLine, endColumn, rule: `@isolation/${rule}`, code, severity, message })),
    null,
    2,
  )}\n`;
}

export function sarif(findings: readonly Finding[], tool: Tool, cwd: string): string {
  const log = sarifLog(
    {
      name: 'isolation-check',
      version: tool.version,
      informationUri: INFORMATION_URI,
      rules: RULE_IDS.map((id) => ({ id: `@isolation/${id}`, name: id, description: RULE_CATALOG[id].description, helpUri: `${DOCS}/${id}.md`, tags: ['isolation', RULE_CATALOG[id].type] })),
    },
    cwd,
    findings.map((f) => ({
      ruleId: `@isolation/${f.rule}`,
      level: f.severity,
      message: f.message,
      file: f.file,
      regions: [{ startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn }],
    })),
  );
  return `${JSON.stringify(log, null, 2)}\n`;
}
