/** The real eslint CLI on the example projects, as a user's CI would run it. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ESLINT = join(ROOT, 'node_modules/eslint/bin/eslint.js');

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly ruleId: string | null;
}

async function lint(example: string, ...flags: string[]): Promise<{ exitCode: number; findings: Finding[] }> {
  const cwd = join(ROOT, 'examples', example);
  const run = promisify(execFile)(process.execPath, [ESLINT, '--format', 'json', ...flags, '.'], { cwd, maxBuffer: 64 * 1024 * 1024 });
  const { stdout, exitCode } = await run.then(
    ({ stdout }) => ({ stdout, exitCode: 0 }),
    (error: { stdout?: string; code?: number; stderr?: string }) => {
      if (typeof error.code !== 'number' || !error.stdout) throw error;
      return { stdout: error.stdout, exitCode: error.code };
    },
  );
  const results = JSON.parse(stdout) as { filePath: string; messages: { line: number; ruleId: string | null }[] }[];
  const findings = results.flatMap((result) => result.messages.map((message) => ({ file: relative(cwd, result.filePath), line: message.line, ruleId: message.ruleId })));
  return { exitCode, findings };
}

const key = (finding: Finding): string => `${finding.file}:${finding.line} ${finding.ruleId}`;
const expected = (JSON.parse(readFileSync(join(ROOT, 'examples/violations/expected.json'), 'utf8')) as Finding[]).map(key).sort();

describe('eslint CLI on the examples', () => {
  it('passes the CRM example with no findings', async () => {
    const { exitCode, findings } = await lint('crm');
    expect(findings).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('fails the violations example with exactly the expected rule ids and lines', async () => {
    const { exitCode, findings } = await lint('violations');
    expect(findings.map(key).sort()).toEqual(expected);
    expect(exitCode).toBe(1);
  });

  it('finds the same with --concurrency 2 (rules run in worker threads)', async () => {
    const { exitCode, findings } = await lint('violations', '--concurrency', '2');
    expect(findings.map(key).sort()).toEqual(expected);
    expect(exitCode).toBe(1);
  });
});
