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
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONFORMANCE = join(ROOT, 'conformance');
const ESLINT = join(ROOT, 'node_modules/eslint/bin/eslint.js');
const ISOLATION_CHECK = join(ROOT, 'packages/ts-transformer-entities/bin/isolation-check.js');
const TSPC = join(ROOT, 'node_modules/ts-patch/bin/tspc.js');
const PLAIN_TSC = { 'tsc 6': join(ROOT, 'node_modules/typescript/bin/tsc'), 'tsc 7': join(ROOT, 'node_modules/typescript-7/bin/tsc') } as const;

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
// Plain tsc 6 and 7: the decorators' signatures check what types can see (ADR 0019). Their reports
// are type errors whose text carries `[@isolation/<rule>]`, at the decorator (a class or endpoint
// check) or at the option (a malformed template, an unknown event scope); each is read at the
// element its message names, where the rule core reports the same mistake: the class name (or, for
// an anonymous class, its `@Entity`/`@DomainEvent`) for a missing id, one finding per id; the
// `pk`/`sk` or `scope` option; the path, or the list entry named.

/** The rules types check; the others are no business of a decorator's type. */
const TYPE_LEVEL_RULES = new Set(['capsule-id-field', 'endpoint-params', 'event-scope-fields', 'key-template']);

/** `// beyond types: <reason>` on a line above an expectation (within six): types cannot report its rules of the four. */
const BEYOND_TYPES = /\/\/\s*beyond types:\s*(\S.*)$/;

function beyondTypes(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const lines = readFileSync(join(CONFORMANCE, file), 'utf8').split(/\r?\n/);
    return lines.flatMap((line, index) => {
      if (!BEYOND_TYPES.test(line)) return [];
      const target = lines.findIndex((below, at) => at > index && at <= index + 6 && /\/\/\s*expect(?:\[\w+\])?:/.test(below));
      return target === -1 ? [`${file}:${index + 1} (no expectation below)`] : expectationsIn(file).filter((expectation) => expectation.key.startsWith(`${file}:${target + 1} `)).map((expectation) => expectation.key);
    });
  });
}

const sources = new Map<string, ts.SourceFile>();
function sourceOf(file: string): ts.SourceFile {
  const cached = sources.get(file);
  if (cached !== undefined) return cached;
  const source = ts.createSourceFile(file, readFileSync(join(CONFORMANCE, file), 'utf8'), ts.ScriptTarget.Latest, true);
  sources.set(file, source);
  return source;
}

function decoratorAt(source: ts.SourceFile, position: number): ts.Decorator | undefined {
  let found: ts.Decorator | undefined;
  const visit = (node: ts.Node): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) return;
    if (ts.isDecorator(node)) found = node;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const calleeName = (decorator: ts.Decorator): string | undefined => {
  const callee = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
};

const unwrap = (node: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) ? unwrap(node.expression) : node;

/** The value of an option written in the decorator's object literal; the decorator itself when there is none. */
function optionOf(decorator: ts.Decorator, option: string): ts.Node {
  const options = ts.isCallExpression(decorator.expression) ? decorator.expression.arguments[0] : undefined;
  const property = options !== undefined && ts.isObjectLiteralExpression(unwrap(options))
    ? (unwrap(options) as ts.ObjectLiteralExpression).properties.find((candidate) => ts.isPropertyAssignment(candidate) && (ts.isComputedPropertyName(candidate.name) ? ts.isStringLiteral(candidate.name.expression) && candidate.name.expression.text === option : candidate.name.getText() === option))
    : undefined;
  return property !== undefined && ts.isPropertyAssignment(property) ? property.initializer : decorator;
}

/** The `occurrence`-th entry `name` of a list option (counting from 1); the option itself when there is none. */
function entryOf(decorator: ts.Decorator, option: string, name: string, occurrence: number): ts.Node {
  const list = optionOf(decorator, option);
  const entries = ts.isExpression(list) && ts.isArrayLiteralExpression(unwrap(list)) ? (unwrap(list) as ts.ArrayLiteralExpression).elements.filter((entry) => ts.isStringLiteral(entry) && entry.text === name) : [];
  return entries[occurrence - 1] ?? list;
}

/** Where the rule core reports what a type-level message says, and how many findings it makes of it. */
function anchorsOf(decorator: ts.Decorator, message: string): ts.Node[] {
  const declaration = decorator.parent;
  const name = (ts.isClassLike(declaration) || ts.isMethodDeclaration(declaration) ? declaration.name : undefined) ?? ts.getDecorators(declaration as ts.HasDecorators)?.find((use) => ['Entity', 'DomainEvent'].includes(calleeName(use) ?? '')) ?? decorator;
  const ids = /has no (?:TenantId|CapsuleId) field(?: and no CapsuleId field)?/.exec(message)?.[0];
  if (ids !== undefined) return ids.includes(' and ') ? [name, name] : [name];
  const template = /^The (pk|sk) template/.exec(message)?.[1];
  if (template !== undefined) return [optionOf(decorator, template)];
  if (message.startsWith('Event scope ')) return [optionOf(decorator, 'scope')];
  if (message.startsWith('Path ')) return [optionOf(decorator, 'path')];
  const entry = /^`(pathParams|queryParams)` lists '([^']*)'(, but| twice)/.exec(message);
  if (entry !== null) return [entryOf(decorator, entry[1] ?? '', entry[2] ?? '', entry[3] === ' twice' ? 2 : 1)];
  const both = /^'([^']*)' is in both/.exec(message);
  if (both !== null) return [entryOf(decorator, 'queryParams', both[1] ?? '', 1)];
  return [decorator];
}

/**
 * Plain tsc (no plugin runs) on a project: its type-level reports as `file:line rule`, each read where
 * the rule core reports it; any other error is kept as it is, so the comparison shows it.
 */
async function plainTsc(tsc: string, project: Project): Promise<string[]> {
  const { stdout } = await run([tsc, '-p', project.tsconfig, '--pretty', 'false'], [0, 1, 2]);
  return stdout
    .split(/\r?\n(?=\S)/)
    .filter((text) => /\berror TS\d+/.test(text))
    .flatMap((text) => {
      const report = /^(\S+)\((\d+),(\d+)\): error TS\d+: [\s\S]*?\[@isolation\/([a-z-]+)\] ([^"]*)/.exec(text);
      if (report === null) return [text];
      const [, file = '', line = '', column = '', rule = '', message = ''] = report;
      const path = slashes(file);
      const source = sourceOf(path);
      const decorator = decoratorAt(source, source.getPositionOfLineAndCharacter(Number(line) - 1, Number(column) - 1));
      const anchors = decorator === undefined ? [] : anchorsOf(decorator, message);
      return anchors.length === 0 ? [`${path}:${line} ${rule}`] : anchors.map((node) => `${path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} ${rule}`);
    })
    .sort();
}

/** What is in `list` and not in `other`, counting repeats. */
function without(list: readonly string[], other: readonly string[]): string[] {
  const left = [...other];
  return list.filter((item) => {
    const at = left.indexOf(item);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
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

interface TypeLevelCase {
  readonly path: string;
  readonly projects: readonly Project[];
  readonly findings: Promise<string[]>;
}

// Plain tsc compiles every case of a project in one process: the standard decorators project and the legacy one.
const TYPE_LEVEL_PATHS: readonly TypeLevelCase[] = Object.entries(PLAIN_TSC).flatMap(([compiler, tsc]) =>
  [MAIN, LEGACY].map((project) => {
    const { findings } = pathCase(`${compiler} on ${project.name}`, 'typed', [project], () => plainTsc(tsc, project));
    return { path: `${compiler} (type-level checks) on ${project.name}`, projects: [project], findings };
  }),
);

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
    // A `beyond types` comment sits above an expectation of a rule types check.
    expect(beyondTypes(files).filter((key) => !TYPE_LEVEL_RULES.has(key.split(' ')[1] ?? ''))).toEqual([]);
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

  // Types see what a typed path sees, of four rules: every report is a finding the case expects, and
  // every expected finding of those rules is reported unless the case says why types cannot.
  for (const path of TYPE_LEVEL_PATHS) {
    it(`${path.path}: no report the case does not expect, and every one of its rules unless beyond types`, async () => {
      const files = path.projects.flatMap((project) => project.files());
      const findings = await path.findings;
      const wanted = expected(files, 'typed');
      expect(without(findings, wanted)).toEqual([]);
      const beyond = beyondTypes(files);
      const ofTheRules = wanted.filter((key) => TYPE_LEVEL_RULES.has(key.split(' ')[1] ?? ''));
      expect(without(without(ofTheRules, beyond), findings)).toEqual([]);
      // An annotation says types cannot: it must not sit on a finding they report.
      expect(beyond.filter((key) => findings.includes(key))).toEqual([]);
    });
  }
});
