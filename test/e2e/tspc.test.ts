/**
 * The real `tspc` on the same example projects as the eslint end-to-end test: one shared fixture
 * set, two tools, the same rule ids at the same lines.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSPC = join(ROOT, 'node_modules/ts-patch/bin/tspc.js');

async function tspc(example: string): Promise<{ exitCode: number; output: string }> {
  const cwd = join(ROOT, 'examples', example);
  return promisify(execFile)(process.execPath, [TSPC, '-p', '.', '--pretty', 'false'], { cwd }).then(
    ({ stdout }) => ({ exitCode: 0, output: stdout }),
    (error: { code?: number; stdout?: string }) => {
      if (typeof error.code !== 'number') throw error;
      return { exitCode: error.code, output: error.stdout ?? '' };
    },
  );
}

/** `file:line @isolation/<rule>` for each of our diagnostics. */
function findings(output: string): string[] {
  return [...output.matchAll(/^(\S+)\((\d+),\d+\): (?:error|warning) TS910\d\d: \[(@isolation\/[a-z-]+)\]/gm)].map((match) => `${match[1]}:${match[2]} ${match[3]}`).sort();
}

const expected = (JSON.parse(readFileSync(join(ROOT, 'examples/violations/expected.json'), 'utf8')) as { file: string; line: number; ruleId: string }[])
  .map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)
  .sort();

describe('tspc on the examples (the eslint end-to-end fixtures)', () => {
  it('builds the CRM example with no diagnostics', async () => {
    const { exitCode, output } = await tspc('crm');
    expect(output).toBe('');
    expect(exitCode).toBe(0);
  });

  it('fails the violations example with exactly the rule ids and lines eslint reports', async () => {
    const { exitCode, output } = await tspc('violations');
    expect(findings(output)).toEqual(expected);
    expect(exitCode).toBe(2);
  });
});
