/**
 * The CLIs bring their own TypeScript (ts-morph's bundled 6.0), so they run in projects whose
 * `typescript` is TypeScript 7 (no JavaScript API) or missing. The compiled CLIs run as child
 * processes under a `--import` hook that fails any module resolved inside `node_modules/typescript`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TypeScript from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { createCompilerHost, ts as bundled } from '../src/cli/typescript.js';

const PACKAGE = join(import.meta.dirname, '..');
const REPOSITORY = join(PACKAGE, '../..');
const VIOLATIONS = join(REPOSITORY, 'examples/violations');
const FORBID_TYPESCRIPT = pathToFileURL(join(import.meta.dirname, 'fixtures/no-project-typescript/forbid-typescript.mjs')).href;
const GENERATED = join(import.meta.dirname, '.generated', `own-typescript-${process.pid}`);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node --import forbid-typescript.mjs <args>` in `cwd`. */
function withoutProjectTypeScript(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, ['--import', FORBID_TYPESCRIPT, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const expected = (): string[] =>
  (JSON.parse(readFileSync(join(VIOLATIONS, 'expected.json'), 'utf8')) as { file: string; line: number; ruleId: string }[]).map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();

afterAll(() => rmSync(GENERATED, { recursive: true, force: true }));

describe('the CLIs bring their own TypeScript', () => {
  it('the guard works: loading the project\'s typescript under it fails', () => {
    const result = withoutProjectTypeScript(REPOSITORY, '--input-type=module', '-e', "import { createRequire } from 'node:module'; createRequire(import.meta.url)('typescript');");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Error: the project's typescript was loaded: 'typescript'");
  });

  it.each([['parse-only'], ['--type-aware']])('isolation-check (%s) never loads the project\'s typescript, and finds exactly examples/violations/expected.json', (mode) => {
    const result = withoutProjectTypeScript(VIOLATIONS, join(PACKAGE, 'bin/isolation-check.js'), '--format', 'json', ...(mode === 'parse-only' ? [] : [mode]));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as { file: string; line: number; rule: string }[]).map((f) => `${f.file}:${f.line} ${f.rule}`).sort()).toEqual(expected());
  });

  it('isolation-migrate never loads the project\'s typescript, with -p and with files', () => {
    const dir = join(GENERATED, 'migrate');
    mkdirSync(dir, { recursive: true });
    cpSync(join(import.meta.dirname, 'fixtures/migrate/before/routes.ts'), join(dir, 'src/routes.ts'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true }, include: ['src'] }));
    const dryRun = withoutProjectTypeScript(dir, join(PACKAGE, 'bin/isolation-migrate.js'), '-p', 'tsconfig.json', '--dry-run');
    expect(dryRun.stderr).toBe('');
    expect([dryRun.status, dryRun.stdout.split('\n').at(-2)]).toEqual([0, 'isolation-migrate: 4 endpoints migrated, 1 left; would change 1 file of 1']);
    const migrated = withoutProjectTypeScript(dir, join(PACKAGE, 'bin/isolation-migrate.js'), 'src/routes.ts');
    expect([migrated.status, migrated.stderr]).toEqual([0, '']);
    expect(readFileSync(join(dir, 'src/routes.ts'), 'utf8')).toBe(readFileSync(join(import.meta.dirname, 'fixtures/migrate/after/routes.ts'), 'utf8'));
  });

  it('the transformer and the language-service plugin load no TypeScript of their own: they use the one they are handed', () => {
    for (const entry of ['dist/index.js', 'language-service/index.cjs']) {
      const result = withoutProjectTypeScript(PACKAGE, '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(join(PACKAGE, entry)).href)});`);
      expect([entry, result.status, result.stderr]).toEqual([entry, 0, '']);
    }
  });

  it('is ts-morph\'s TypeScript 6.0, and --type-aware programs get its lib files from memory', () => {
    expect(bundled.versionMajorMinor).toBe('6.0');
    const options: TypeScript.CompilerOptions = { target: bundled.ScriptTarget.ES2023, lib: ['lib.es2023.d.ts', 'lib.esnext.decorators.d.ts'], strict: true, noEmit: true, types: [] };
    const file = join(GENERATED, 'libs.ts');
    mkdirSync(GENERATED, { recursive: true });
    writeFileSync(file, 'export const last: number | undefined = [1, 2, 3].findLast((n) => n > 1);\nexport const later: Promise<string> = Promise.resolve("x");\n');
    const diagnostics = (host: TypeScript.CompilerHost): string[] =>
      bundled.getPreEmitDiagnostics(bundled.createProgram({ rootNames: [file], options, host })).map((diagnostic) => bundled.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    const withLibs = bundled.createProgram({ rootNames: [file], options, host: createCompilerHost(options) });
    expect(diagnostics(createCompilerHost(options))).toEqual([]);
    expect(withLibs.getSourceFiles().filter((source) => withLibs.isSourceFileDefaultLibrary(source)).map((source) => source.fileName.split('/').at(-1))).toContain('lib.es2023.array.d.ts');
    // What the host is for: the bundled typescript.js has no lib folder beside it.
    expect(diagnostics(bundled.createCompilerHost(options))).toContain("Cannot find global type 'Array'.");
  });
});
