/**
 * Compatibility with the oldest supported toolchain: the fixture in `compat-ts59/` pins TypeScript
 * 5.9 and ts-patch 3.3 in its own package-lock.json, installs them with `npm ci` into its own
 * node_modules, and compiles with that install's `tspc`, which loads our built ESM transformer
 * (`dist/index.js`, so `npm run build` must have run) through a `file:` link.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const FIXTURE = join(import.meta.dirname, 'compat-ts59');
const TSPC = join(FIXTURE, 'node_modules', '.bin', 'tspc');
const VIOLATING_FILE = join('src', 'note.ts');
const INSTALL_TIMEOUT_MS = 180_000;
const COMPILE_TIMEOUT_MS = 120_000;

/**
 * The child processes run on the Node that runs the tests (Node 24 here), not on whatever `node` comes
 * first on PATH. Settings that would point the nested npm or ts-patch elsewhere are dropped.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}` };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(workspaces?|include_workspace_root|global|install_links)$/i.test(key) || key === 'TSP_COMPILER_TS_PATH') delete env[key];
  }
  return env;
}

/** The fixture's own ts-patch 3.3 `tspc` (it patches the TypeScript next to it, 5.9), run from `cwd`. */
function tspc(cwd: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [TSPC, ...args], { cwd, env: childEnv(), encoding: 'utf8', timeout: COMPILE_TIMEOUT_MS });
}

/** 1-based line and column of the violating class's name, read from the fixture so the test follows edits. */
function violationPosition(): { line: number; column: number } {
  const lines = readFileSync(join(FIXTURE, VIOLATING_FILE), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.startsWith('export class Note '));
  expect(index).toBeGreaterThanOrEqual(0);
  return { line: index + 1, column: 'export class '.length + 1 };
}

describe('TypeScript 5.9 with ts-patch 3.3 (the fixture compat-ts59 with its own npm ci install)', () => {
  beforeAll(() => {
    // `--install-links=false` keeps the `file:` dependencies as symlinks into this repository (npm's
    // default) even if a user config says otherwise, so no copy of them or of their TypeScript lands here.
    execFileSync('npm', ['ci', '--install-links=false', '--no-audit', '--no-fund'], {
      cwd: FIXTURE,
      env: childEnv(),
      stdio: 'pipe',
      timeout: INSTALL_TIMEOUT_MS,
      shell: process.platform === 'win32',
    });
  }, INSTALL_TIMEOUT_MS);

  it('TypeScript 5.9 with ts-patch 3.3 (its own install): the fixture tspc reports TypeScript 5.9', () => {
    const result = tspc(FIXTURE, ['-v']);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Version 5\.9\.\d+\s*$/);
    expect(JSON.parse(readFileSync(join(FIXTURE, 'node_modules', 'ts-patch', 'package.json'), 'utf8'))).toMatchObject({ version: '3.3.0' });
  });

  it('TypeScript 5.9 with ts-patch 3.3 (its own install): tspc exits 2 with TS91002 [@isolation/capsule-id-field] at the violating entity', () => {
    rmSync(join(FIXTURE, 'dist'), { recursive: true, force: true });
    const result = tspc(FIXTURE, ['-p', FIXTURE, '--pretty', 'false']);
    expect(result.error).toBeUndefined();
    // ExitStatus.DiagnosticsPresent_OutputsGenerated: errors, and (noEmitOnError is off) JavaScript still written.
    expect(result.status).toBe(2);
    const { line, column } = violationPosition();
    const errors = result.stdout.split(/\r?\n/).filter((text) => / error TS\d+:/.test(text));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.replace(/\\/g, '/')).toMatch(new RegExp(`^src/note\\.ts\\(${line},${column}\\): error TS91002: \\[@isolation/capsule-id-field\\] Capsule entity \`Note\` has no CapsuleId field`));
    expect(existsSync(join(FIXTURE, 'dist', 'role.js'))).toBe(true);
  });

  it('TypeScript 5.9 with ts-patch 3.3 (its own install): with the violation fixed, tspc exits 0 and emits JavaScript with key builders', () => {
    // A copy outside the repository whose node_modules is a link to the fixture's install: the fixture's
    // tracked files are never modified, and the copy resolves exactly what the fixture resolves.
    const copy = mkdtempSync(join(tmpdir(), 'isolation-compat-ts59-'));
    try {
      cpSync(join(FIXTURE, 'src'), join(copy, 'src'), { recursive: true });
      cpSync(join(FIXTURE, 'tsconfig.json'), join(copy, 'tsconfig.json'));
      cpSync(join(FIXTURE, 'package.json'), join(copy, 'package.json'));
      symlinkSync(join(FIXTURE, 'node_modules'), join(copy, 'node_modules'), 'junction');
      const violating = readFileSync(join(copy, VIOLATING_FILE), 'utf8');
      const fixed = violating
        .replace("import { CapsuleIsolated, Entity, type TenantId } from '@isolation/runtime';", "import { CapsuleIsolated, Entity, type CapsuleId, type TenantId } from '@isolation/runtime';")
        .replace('  tenantId!: TenantId;\n', '  tenantId!: TenantId;\n  capsuleId!: CapsuleId;\n');
      expect(fixed).not.toBe(violating);
      expect(fixed).toContain('capsuleId!: CapsuleId;');
      writeFileSync(join(copy, VIOLATING_FILE), fixed);

      const result = tspc(copy, ['-p', copy, '--pretty', 'false']);
      expect(result.error).toBeUndefined();
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
      for (const name of ['note.js', 'role.js']) {
        const js = readFileSync(join(copy, 'dist', name), 'utf8');
        expect(js).toContain("from '@isolation/runtime'");
        // The transformer's emit half ran too: compiled key builders on each entity class.
        expect(js).toContain('Symbol.for("isolation.keyBuilder"), { value: ');
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
