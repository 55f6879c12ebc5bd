/**
 * The checks of one source file for the compiler: the file's model from the one extractor, the
 * rule core's findings as TypeScript diagnostics at the rule's configured severity, and the valid
 * entities that get compiled key builders.
 */
import type * as ts from 'typescript';
import { minimatch } from 'minimatch';
import { RULE_IDS, type GlobMatcher, type RuleId } from '@isolation/core';
import { checkFile, entityViolations, extractFile, type Finding } from '@isolation/core/typescript';
import { compilableTemplates, type CompilableEntity } from './key-builders.js';
import { toDiagnostic } from './diagnostics.js';
import type { ResolvedOptions } from './options.js';

export type { CompilableEntity };

export interface FileCheck {
  readonly diagnostics: readonly ts.Diagnostic[];
  /** The findings the diagnostics were made from, for tools that report data rather than text. */
  readonly findings: readonly Finding[];
  /** The entities that get compiled key builders on emit; kept small, as it lives as long as the program. */
  readonly entities: readonly CompilableEntity[];
}

const NOTHING: FileCheck = { diagnostics: [], findings: [], entities: [] };

export interface CheckEnvironment {
  readonly ts: typeof ts;
  /** Absent in parse-only runs: names and fields then resolve by the file's syntax alone. */
  readonly checker: ts.TypeChecker | undefined;
  readonly options: ResolvedOptions;
  /** The directory `allow` globs are relative to: the tsconfig's. */
  readonly cwd: string;
}

/** `allow` globs as minimatch reads them (`*` stays within a segment, dotfiles only when named). */
export const matchGlob: GlobMatcher = (path, pattern) => minimatch(path, pattern);

export function checkSourceFile(file: ts.SourceFile, env: CheckEnvironment): FileCheck {
  if (file.isDeclarationFile) return NOTHING;
  const { severity } = env.options;
  const enabled = new Set(RULE_IDS.filter((rule) => severity[rule] !== 'off'));
  const codeRules = enabled.has('no-adhoc-aws-client') || enabled.has('no-literal-table-name') || enabled.has('no-env-config');
  const model = extractFile(env.ts, file, { modules: env.options.modules, checker: env.checker, codeFacts: codeRules });
  if (model.entities.length + model.events.length + model.endpoints.length === 0 && model.facts.clients.length + model.facts.tableNames.length + model.facts.envReads.length === 0) return NOTHING;
  const findings = checkFile(model, { rules: enabled, allow: env.options.allow, match: matchGlob, cwd: env.cwd });
  const entities: CompilableEntity[] = [];
  for (const entity of model.entities) {
    const templates = entityViolations(entity.declaration).length === 0 ? compilableTemplates(entity.declaration) : undefined;
    if (templates !== undefined) entities.push({ node: entity.node, templates });
  }
  const diagnostics = findings.map((finding) => toDiagnostic(env.ts, file, finding, severity[finding.rule as RuleId] as 'error' | 'warn'));
  return diagnostics.length === 0 && entities.length === 0 ? NOTHING : { diagnostics, findings, entities };
}
