/**
 * The real `isolation-check` binary (dist/cli/check.js, built by `npm run build`) on the example
 * projects and on generated fixtures under `test/.generated`: its findings against the examples'
 * expected lists and against the real `tspc`, its formats (the SARIF one validated against the
 * SARIF 2.1.0 JSON schema), its exit codes and project references.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sarifErrors } from '../../../test/support/sarif.js';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');
const REPOSITORY = join(PACKAGE, '../..');
const CLI = join(PACKAGE, 'dist/cli/check.js');
const TSPC = join(dirname(createRequire(import.meta.url).resolve('ts-patch/package.json')), 'bin/tspc.js');
const VIOLATIONS = join(REPOSITORY, 'examples/violations');
const CRM = join(REPOSITORY, 'examples/crm');
const GENERATED = join(import.meta.dirname, '.generated', `check-cli-${process.pid}`);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly rule: string;
  readonly code: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

function run(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function findings(cwd: string, ...args: string[]): { status: number | null; findings: JsonFinding[] } {
  const result = run(cwd, '--format', 'json', ...args);
  expect(result.stderr).toBe('');
  return { status: result.status, findings: JSON.parse(result.stdout) as JsonFinding[] };
}

const expected = (dir: string): string[] =>
  (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { file: string; line: number; ruleId: string }[]).map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();

const keys = (list: readonly JsonFinding[]): string[] => list.map((f) => `${f.file}:${f.line} ${f.rule}`).sort();

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

afterAll(() => rmSync(GENERATED, { recursive: true, force: true }));

describe('isolation-check on the examples', () => {
  it.each([['parse-only'], ['--type-aware']])('finds exactly examples/violations/expected.json (%s)', (mode) => {
    const result = findings(VIOLATIONS, ...(mode === 'parse-only' ? [] : [mode]));
    expect(result.status).toBe(1);
    expect(keys(result.findings)).toEqual(expected(VIOLATIONS));
    expect(new Set(result.findings.map((f) => f.severity))).toEqual(new Set(['error']));
  });

  it.each([['parse-only'], ['--type-aware']])('finds nothing in examples/crm (%s)', (mode) => {
    const result = findings(CRM, ...(mode === 'parse-only' ? [] : [mode]));
    expect(result).toEqual({ status: 0, findings: [] });
  });

  it('reports what tspc reports: same files, lines, columns and codes', () => {
    const compiled = spawnSync(process.execPath, [TSPC, '-p', VIOLATIONS, '--pretty', 'false'], { cwd: REPOSITORY, encoding: 'utf8' });
    const tspc = [...`${compiled.stdout}${compiled.stderr}`.matchAll(/^(\S+)\((\d+),(\d+)\): (?:error|warning) TS(910\d\d): /gm)].map((m) => `${m[1]}:${m[2]}:${m[3]} ${m[4]}`).sort();
    expect(tspc.length).toBeGreaterThan(0);
    for (const mode of [[], ['--type-aware']]) {
      const ours = findings(REPOSITORY, '-p', 'examples/violations/tsconfig.json', ...mode).findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.code}`).sort();
      expect(ours).toEqual(tspc);
    }
  });

  it('prints tsc-like lines relative to the working directory, and a summary', () => {
    const result = run(REPOSITORY, '-p', 'examples/violations');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^examples\/violations\/src\/entities\.ts\(5,1\): error TS91001: \[@isolation\/entity-scope\] Entity `Entitlement` declares no scope/m);
    expect(result.stdout).toMatch(/^isolation-check: 16 errors and 0 warnings in 4 files \(checked \d+ files in 1 project\)\.$/m);
    expect(run(CRM).stdout).toMatch(/^isolation-check: no findings in \d+ files in 1 project\.\n$/);
  });

  it('takes the rule set from --rules over the plugin entry; warnings do not fail', () => {
    const dir = join(GENERATED, 'rules');
    write(dir, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, plugins: [{ transform: '@isolation/ts-transformer-entities', transformProgram: true, severity: { 'no-env-config': 'warn' } }] }, include: ['src'] }),
      'src/config.ts': 'export const region = process.env.AWS_REGION;\n',
    });
    // recommended leaves no-env-config to the entry's severity override: a warning.
    const warned = findings(dir);
    expect(warned.status).toBe(0);
    expect(warned.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.severity}`)).toEqual(['src/config.ts:1 @isolation/no-env-config warning']);
    expect(findings(dir, '--rules', 'strict').findings.map((f) => f.severity)).toEqual(['warning']);
  });
});

describe('isolation-check formats', () => {
  it('json: one object per finding with 1-based ranges', () => {
    const { findings: list } = findings(VIOLATIONS);
    const first = list.find((f) => f.file === 'src/entities.ts' && f.line === 5);
    expect(first).toEqual({
      file: 'src/entities.ts',
      line: 5,
      column: 1,
      endLine: expect.any(Number) as number,
      endColumn: expect.any(Number) as number,
      rule: '@isolation/entity-scope',
      code: 91001,
      severity: 'error',
      message: expect.stringMatching(/^Entity `Entitlement` declares no scope/) as string,
    });
  });

  it('sarif: valid SARIF 2.1.0, as GitHub code scanning reads it', () => {
    const output = join(GENERATED, 'report.sarif');
    mkdirSync(GENERATED, { recursive: true });
    const result = run(VIOLATIONS, '--format', 'sarif', '--output', output);
    expect(result).toEqual({ status: 1, stdout: '', stderr: '' });
    const log = JSON.parse(readFileSync(output, 'utf8')) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; helpUri: string; shortDescription: { text: string } }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[] }[];
      }[];
    };

    expect(sarifErrors(log)).toBe('');

    expect(log.version).toBe('2.1.0');
    const [run0] = log.runs;
    expect(run0?.tool.driver.name).toBe('isolation-check');
    const rule = run0?.tool.driver.rules.find((r) => r.id === '@isolation/capsule-id-field');
    expect(rule?.helpUri).toBe('https://github.com/isolation-dev/isolation/blob/main/packages/eslint-plugin-isolation/docs/rules/capsule-id-field.md');
    expect(rule?.shortDescription.text.length).toBeGreaterThan(0);
    const results = run0?.results ?? [];
    expect(results.map((r) => `${r.locations[0]?.physicalLocation.artifactLocation.uri}:${r.locations[0]?.physicalLocation.region['startLine']} ${r.ruleId}`).sort()).toEqual(expected(VIOLATIONS));
    for (const r of results) {
      expect(r.level).toBe('error');
      expect(run0?.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(r.locations[0]?.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(Object.keys(r.locations[0]?.physicalLocation.region ?? {}).sort()).toEqual(['endColumn', 'endLine', 'startColumn', 'startLine']);
    }
  });
});

describe('isolation-check misuse: exit code 2 and what to do', () => {
  it('a missing tsconfig', () => {
    const result = run(REPOSITORY, '-p', 'no/such/tsconfig.json');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/cannot find no\/such\/tsconfig\.json; pass -p with a tsconfig\.json file or a directory containing one/);
  });

  it('a directory without tsconfig.json', () => {
    const dir = join(GENERATED, 'empty');
    mkdirSync(dir, { recursive: true });
    const result = run(REPOSITORY, '-p', dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no tsconfig\.json in /);
  });

  it('a bad flag, format or rule set', () => {
    const flag = run(VIOLATIONS, '--fromat', 'json');
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/Unknown option '--fromat'/);
    expect(flag.stderr).toMatch(/isolation-check --help/);
    expect(run(VIOLATIONS, '--format', 'xml').stderr).toMatch(/--format is "xml"; expected one of stylish, json, sarif/);
    expect(run(VIOLATIONS, '--rules', 'lax').status).toBe(2);
  });

  it('a broken plugin entry', () => {
    const dir = join(GENERATED, 'broken');
    write(dir, { 'tsconfig.json': JSON.stringify({ compilerOptions: { plugins: [{ transform: '@isolation/ts-transformer-entities', transformProgram: true, rules: 'all' }] }, include: ['src'] }), 'src/a.ts': 'export {};\n' });
    const result = run(dir);
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: 'isolation-check: tsconfig.json: @isolation/ts-transformer-entities: "rules" is "all"; expected "recommended" or "strict" (in tsconfig.json compilerOptions.plugins)\nRun isolation-check --help for usage.\n',
    });
  });

  it('a "files" entry that does not exist: tsc\'s TS6053, exit code 2, in both modes', () => {
    const dir = join(GENERATED, 'missing-file');
    write(dir, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, plugins: [{ transform: '@isolation/ts-transformer-entities', transformProgram: true }] }, files: ['src/a.ts', 'src/missing.ts'] }),
      'src/a.ts': 'export {};\n',
    });
    for (const mode of [[], ['--type-aware']]) {
      const result = run(dir, ...mode);
      expect(result).toEqual({
        status: 2,
        stdout: '',
        stderr: `isolation-check: tsconfig.json has errors:\nerror TS6053: File '${join(dir, 'src/missing.ts')}' not found.\nRun isolation-check --help for usage.\n`,
      });
    }
  });

  it('--help', () => {
    const result = run(REPOSITORY, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: isolation-check/);
  });
});

describe('isolation-check on a solution tsconfig', () => {
  it('follows references recursively and reports findings of every project', () => {
    const dir = join(GENERATED, 'monorepo');
    const project = (rules: string) => JSON.stringify({ compilerOptions: { strict: true, composite: true, plugins: [{ transform: '@isolation/ts-transformer-entities', transformProgram: true, rules }] }, include: ['src'] });
    write(dir, {
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/a' }, { path: './packages/b/tsconfig.json' }] }),
      'packages/a/tsconfig.json': project('recommended'),
      'packages/a/src/role.ts': `import { Entity, CapsuleIsolated, type TenantId } from '@isolation/runtime';

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' })
@CapsuleIsolated()
export class RoleAssignment {
  tenantId!: TenantId;
  id!: string;
}
`,
      'packages/b/tsconfig.json': JSON.stringify({ ...JSON.parse(project('strict')), references: [{ path: '../a' }] }),
      'packages/b/src/config.ts': 'export const region = process.env.AWS_REGION;\n',
    });
    for (const mode of [[], ['--type-aware']]) {
      const result = findings(dir, ...mode);
      expect(result.status).toBe(1);
      expect(keys(result.findings)).toEqual(['packages/a/src/role.ts:5 @isolation/capsule-id-field', 'packages/b/src/config.ts:1 @isolation/no-env-config']);
    }
    expect(run(dir).stdout).toMatch(/in 3 projects\)\.$/m);
  });

  it('--openapi writes the OpenAPI 3.1 document of the project, and names the endpoints it leaves out', () => {
    mkdirSync(GENERATED, { recursive: true });
    const file = join(GENERATED, 'crm-openapi.json');
    const crm = run(CRM, '--openapi', file);
    expect(crm.status).toBe(0);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { openapi: string; paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.paths['/tenants/{tenantId}/accounts/{accountId}/contacts/{contactId}/activities']?.['get']?.parameters?.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual([
      'path:tenantId',
      'path:accountId',
      'path:contactId',
      'query:query',
    ]);
    const violations = run(VIOLATIONS, '--openapi', join(GENERATED, 'violations-openapi.json'));
    expect(violations.stderr).toMatch(/src\/routes\.ts:6:\d+ ContactRoutes\.listContacts: not in the OpenAPI document: /);
  });

  it('parse-only reads names by scope: a parameter or local named like an import or `process` is not it', () => {
    const dir = join(GENERATED, 'scopes');
    write(dir, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, types: [], plugins: [{ transform: '@isolation/ts-transformer-entities', transformProgram: true, rules: 'strict' }] }, include: ['src'] }),
      'src/code.ts': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export function shadowed(process: { env: string }, DynamoDBClient: new () => object) {
  return [process.env, new DynamoDBClient()];
}
export function local() {
  const process = { env: 'x' };
  return process.env;
}
export const real = [process.env.STAGE, new DynamoDBClient({})];
`,
    });
    for (const mode of [[], ['--type-aware']]) {
      expect(keys(findings(dir, ...mode).findings)).toEqual(['src/code.ts:9 @isolation/no-adhoc-aws-client', 'src/code.ts:9 @isolation/no-env-config']);
    }
  });
});

describe('isolation-check and what tspc would do with the tsconfig', () => {
  it('warns, on one line, when the transform entry lacks "transformProgram": true (tspc would check nothing), and still checks', () => {
    const dir = join(GENERATED, 'source-transformer-entry');
    write(dir, {
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, plugins: [{ transform: '@isolation/ts-transformer-entities', rules: 'strict' }] }, include: ['src'] }),
      'src/config.ts': 'export const region = process.env.AWS_REGION;\n',
    });
    for (const mode of [[], ['--type-aware']]) {
      const result = run(dir, '--format', 'json', ...mode);
      expect(result.stderr).toBe(
        'isolation-check: warning: tsconfig.json: the { "transform": "@isolation/ts-transformer-entities" } entry in compilerOptions.plugins lacks "transformProgram": true, so tspc runs no isolation check; add "transformProgram": true to that entry\n',
      );
      expect(result.status).toBe(1);
      expect(keys(JSON.parse(result.stdout) as JsonFinding[])).toEqual(['src/config.ts:1 @isolation/no-env-config']);
    }
  });
});
