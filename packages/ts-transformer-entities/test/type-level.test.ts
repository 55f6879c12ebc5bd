/**
 * `@isolation/runtime`'s decorator signatures report the mistakes types can see as type errors
 * naming the rule (ADR 0019). Under tspc the transformer reports the same mistakes itself, so it
 * drops those type errors: one mistake, one report, and every other type error stays.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutTypeLevelReports } from '../src/type-level.js';
import { BASE_OPTIONS, compile } from './compile.js';

const SOURCE = `import { Entity, CapsuleIsolated, type TenantId } from '@isolation/runtime';
@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' })
@CapsuleIsolated()
export class RoleAssignment { tenantId!: TenantId; id!: string; }
export const unrelated: number = 'not a number';
`;

const DIR = join(import.meta.dirname, '.generated', `type-level-${process.pid}`);
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** `code rule`, the rule id read from the text wherever it sits (`-` when there is none). */
const ruleIn = (message: string): string => /\[@isolation\/([a-z-]+)\]/.exec(message)?.[1] ?? '-';
const summary = (diagnostic: ts.Diagnostic): string => `${diagnostic.code} ${ruleIn(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))}`;

describe('type-level reports of the decorators', () => {
  it('are what plain TypeScript reports for the mistake, beside any other type error', () => {
    mkdirSync(DIR, { recursive: true });
    const file = join(DIR, 'role.ts');
    writeFileSync(file, SOURCE);
    const program = ts.createProgram([file], { ...BASE_OPTIONS, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    expect(diagnostics.map(summary)).toEqual(['1270 capsule-id-field', '2322 -']);
    expect(withoutTypeLevelReports(ts, diagnostics).map(summary)).toEqual(['2322 -']);
  });

  it('give way to the transformer under tspc: one report for the mistake, other type errors kept', () => {
    const { findings } = compile({ 'role.ts': SOURCE });
    expect(findings.map((finding) => `${finding.line} ${finding.code} ${ruleIn(finding.message)}`)).toEqual(['4 91002 capsule-id-field', '5 2322 -']);
  });

  it('leave a list without them untouched (the same array)', () => {
    const list: readonly ts.Diagnostic[] = [];
    expect(withoutTypeLevelReports(ts, list)).toBe(list);
  });
});
