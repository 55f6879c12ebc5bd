/**
 * One truth (issue 14): every enforcement path reports the same (file, line, rule) on the same
 * input. The cases live in conformance/: each expected finding is a trailing comment on the line
 * where it must be reported (`// expect: <rule>`, or `// expect[typed]: …` / `// expect[untyped]: …`
 * where the contract lets the modes differ); every other line must be silent. Each path runs as
 * the real binary, as a user's CI would run it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONFORMANCE = join(ROOT, 'conformance');
const ESLINT = join(ROOT, 'node_modules/eslint/bin/eslint.js');
const ISOLATION_CHECK = join(ROOT, 'packages/ts-transformer-entities/bin/isolation-check.js');
const TSPC = join(ROOT, 'node_modules/ts-patch/bin/tspc.js');

type Mode = 'typed' | 'untyped';

/** A project of the suite: its tsconfig (relative to conformance/) and the folders its cases live in. */
interface Project {
  readonly name: string;
  readonly tsconfig: string;
  /** Case files the project checks, relative to conformance/. */
  readonly files: () => readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The cases: expectations read from the comments of the case files.

const EXPECTATION = /\/\/\s*expect(?:\[(typed|untyped)\])?:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/g;
const VALID = /\/\/\s*valid\b/;
const CASE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;

function caseFiles(folder: string): string[] {
  const absolute = join(CONFORMANCE, folder);
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && CASE_FILE.test(entry.name))
    .map((entry) => relative(CONFORMANCE, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

interface Expectation {
  readonly key: string;
  readonly mode: Mode | 'all';
}

function expectationsIn(file: string): Expectation[] {
  const lines = readFileSync(join(CONFORMANCE, file), 'utf8').split(/\r?\n/);
  return lines.flatMap((line, index) =>
    [...line.matchAll(EXPECTATION)].flatMap((match) =>
      (match[2] ?? '').split(',').map((rule) => ({ key: `${file}:${index + 1} ${rule.trim()}`, mode: (match[1] ?? 'all') as Mode | 'all' })),
    ),
  );
}

/** The findings a path of `mode` must report on `files`, as sorted `file:line rule` lines. */
function expected(files: readonly string[], mode: Mode): string[] {
  return files
    .flatMap(expectationsIn)
    .filter((expectation) => expectation.mode === 'all' || expectation.mode === mode)
    .map((expectation) => expectation.key)
    .sort();
}

/** The files a root reaches through relative imports (`./x.js` → `./x.ts`), itself included. */
function importClosure(root: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(CONFORMANCE, file), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      visit(relative(CONFORMANCE, resolve(CONFORMANCE, dirname(file), (specifier ?? '').replace(/\.js$/, '.ts'))).split('\\').join('/'));
    }
  };
  visit(root);
  return [...seen].sort();
}

const MAIN: Project = { name: 'tsconfig.json', tsconfig: 'tsconfig.json', files: () => caseFiles('src') };
const FILES: Project = { name: 'tsconfig.files.json', tsconfig: 'tsconfig.files.json', files: () => importClosure('src/main.ts') };
const LEGACY: Project = { name: 'legacy (experimentalDecorators)', tsconfig: 'legacy/tsconfig.json', files: () => caseFiles('legacy/src') };

// ---------------------------------------------------------------------------------------------
// The paths: each a real binary whose output becomes `file:line rule` lines.

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

async function run(args: readonly string[], okCodes: readonly number[]): Promise<Run> {
  const result = await promisify(execFile)(process.execPath, [...args], { cwd: CONFORMANCE, maxBuffer: 64 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { code?: unknown; stdout?: string; stderr?: string }) => {
      if (typeof error.code !== 'number') throw error;
      return { stdout: error.stdout ?? '', stderr: error.stderr ?? '', code: error.code };
    },
  );
  if (!okCodes.includes(result.code)) throw new Error(`exit code ${result.code} from ${args.map((arg) => relative(ROOT, arg) || arg).join(' ')}\n${result.stderr}${result.stdout.slice(0, 4000)}`);
  return result;
}

const slashes = (path: string): string => path.split('\\').join('/');
const rule = (id: string | null): string => (id === null ? '(fatal)' : id.replace(/^@isolation\//, ''));

async function eslint(config: string): Promise<string[]> {
  const { stdout } = await run([ESLINT, '--format', 'json', '--config', config, '.'], [0, 1]);
  const results = JSON.parse(stdout) as { filePath: string; messages: { line: number; ruleId: string | null }[] }[];
  return results.flatMap((result) => result.messages.map((message) => `${slashes(relative(CONFORMANCE, result.filePath))}:${message.line} ${rule(message.ruleId)}`)).sort();
}

async function isolationCheck(projects: readonly Project[], typeAware: boolean): Promise<string[]> {
  const args = [ISOLATION_CHECK, '--format', 'json', ...projects.flatMap((project) => ['-p', project.tsconfig]), ...(typeAware ? ['--type-aware'] : [])];
  const { stdout } = await run(args, [0, 1]);
  return (JSON.parse(stdout) as { file: string; line: number; rule: string }[]).map((finding) => `${finding.file}:${finding.line} ${rule(finding.rule)}`).sort();
}

const outDirs: string[] = [];
afterAll(() => {
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * tspc, emitting into a temporary folder or with `--noEmit`. Our diagnostics are TS910xx; any other
 * error (a type error in a case, a broken tsconfig) is kept as it is, so the comparison shows it.
 */
async function tspc(project: Project, emit: boolean): Promise<string[]> {
  // TypeScript 6 wants the root of the emitted layout spelled out beside an outDir.
  const outDir = emit ? mkdtempSync(join(tmpdir(), 'isolation-conformance-')) : undefined;
  if (outDir !== undefined) outDirs.push(outDir);
  const output = outDir === undefined ? ['--noEmit'] : ['--noEmit', 'false', '--outDir', outDir, '--rootDir', dirname(project.tsconfig)];
  const { stdout } = await run([TSPC, '-p', project.tsconfig, '--pretty', 'false', ...output], [0, 1, 2]);
  const ours = [...stdout.matchAll(/^(\S+)\((\d+),\d+\): (?:error|warning) TS910\d\d: \[(@isolation\/[a-z-]+)\]/gm)].map((match) => `${slashes(match[1] ?? '')}:${match[2]} ${rule(match[3] ?? null)}`);
  const others = stdout.split('\n').filter((line) => /\berror TS\d+/.test(line) && !/\bTS910\d\d\b/.test(line));
  return [...ours, ...others].sort();
}

// ---------------------------------------------------------------------------------------------
// Each path's findings, started when the file loads, four processes at a time.

function limited(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

const schedule = limited(4);

interface PathCase {
  readonly path: string;
  readonly mode: Mode;
  readonly projects: readonly Project[];
  readonly findings: Promise<string[]>;
}

function pathCase(path: string, mode: Mode, projects: readonly Project[], findings: () => Promise<string[]>): PathCase {
  const started = schedule(findings);
  started.catch(() => undefined); // reported by its own test
  return { path, mode, projects, findings: started };
}

// ESLint lints every case folder at once (src/ and legacy/src/, each file under its nearest tsconfig).
const PATHS: readonly PathCase[] = [
  pathCase('eslint (typed): eslint.typed.config.js', 'typed', [MAIN, LEGACY], () => eslint('eslint.typed.config.js')),
  pathCase('eslint (untyped): eslint.config.js', 'untyped', [MAIN, LEGACY], () => eslint('eslint.config.js')),
  pathCase('tspc on tsconfig.json', 'typed', [MAIN], () => tspc(MAIN, true)),
  pathCase('tspc --noEmit on tsconfig.json', 'typed', [MAIN], () => tspc(MAIN, false)),
  pathCase('isolation-check --type-aware on tsconfig.json and legacy', 'typed', [MAIN, LEGACY], () => isolationCheck([MAIN, LEGACY], true)),
  pathCase('isolation-check (parse-only) on tsconfig.json and legacy', 'untyped', [MAIN, LEGACY], () => isolationCheck([MAIN, LEGACY], false)),
  pathCase('tspc on tsconfig.files.json', 'typed', [FILES], () => tspc(FILES, true)),
  pathCase('tspc --noEmit on tsconfig.files.json', 'typed', [FILES], () => tspc(FILES, false)),
  pathCase('isolation-check --type-aware on tsconfig.files.json', 'typed', [FILES], () => isolationCheck([FILES], true)),
  pathCase('isolation-check (parse-only) on tsconfig.files.json', 'untyped', [FILES], () => isolationCheck([FILES], false)),
  pathCase('tspc on legacy', 'typed', [LEGACY], () => tspc(LEGACY, true)),
  pathCase('tspc --noEmit on legacy', 'typed', [LEGACY], () => tspc(LEGACY, false)),
];

describe('conformance: every path reports the same (file, line, rule)', () => {
  it('has at least 80 cases, and a reason beside every mode-specific one', () => {
    const files = [...caseFiles('src'), ...caseFiles('legacy/src')];
    const texts = files.map((file) => readFileSync(join(CONFORMANCE, file), 'utf8').split(/\r?\n/));
    const cases = texts.flat().filter((line) => VALID.test(line) || /\/\/\s*expect(?:\[\w+\])?:/.test(line)).length;
    expect(cases).toBeGreaterThanOrEqual(80);
    // A line whose expectation depends on the mode says why in a `// why:` comment just above it.
    const unexplained = files.flatMap((file, index) =>
      (texts[index] ?? []).flatMap((line, at, lines) => (/expect\[(typed|untyped)\]/.test(line) && !lines.slice(Math.max(0, at - 6), at).some((above) => above.includes('// why:')) ? [`${file}:${at + 1}`] : [])),
    );
    expect(unexplained).toEqual([]);
  });

  it('the files project reaches a file that tsconfig.files.json does not list', () => {
    expect(FILES.files().length).toBeGreaterThan(1);
    expect(expected(FILES.files(), 'untyped').filter((key) => !key.startsWith('src/main.ts:'))).not.toEqual([]);
  });

  for (const path of PATHS) {
    it(path.path, async () => {
      const files = path.projects.flatMap((project) => project.files());
      expect(await path.findings).toEqual(expected(files, path.mode));
    });
  }
});
