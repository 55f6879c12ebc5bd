/**
 * The committed bin stubs (`bin/isolation-check.js`, `bin/isolation-migrate.js`): they exist before
 * any build, so npm links them at install; they refuse an unsupported Node.js in one line, say so
 * when the package is not built, and otherwise run the compiled CLI. Also what npm would publish.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUPPORTED_NODE, isSupportedNode, unsupportedNodeMessage } from '../bin/node-version.js';

const PACKAGE = join(import.meta.dirname, '..');
const REPOSITORY = join(PACKAGE, '../..');
const VIOLATIONS = join(REPOSITORY, 'examples/violations');
const GENERATED = join(import.meta.dirname, '.generated', `bin-${process.pid}`);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function node(executable: string, cwd: string, ...args: string[]): Run {
  const result = spawnSync(executable, args, { cwd, encoding: 'utf8' });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A preload that makes `process.versions.node` say `version`: the stub then sees an old Node. */
const forgedNode = (version: string): string[] => ['--import', `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'${version}'})`];

const expected = (): string[] =>
  (JSON.parse(readFileSync(join(VIOLATIONS, 'expected.json'), 'utf8')) as { file: string; line: number; ruleId: string }[]).map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();

const keys = (stdout: string): string[] => (JSON.parse(stdout) as { file: string; line: number; rule: string }[]).map((f) => `${f.file}:${f.line} ${f.rule}`).sort();

/** The machine's own `node`: the first on PATH outside any node_modules (npm scripts put Node 24 first). */
function systemNode(): string {
  for (const folder of (process.env['PATH'] ?? '').split(delimiter)) {
    if (folder === '' || folder.split(/[\\/]/).includes('node_modules')) continue;
    const candidate = join(folder, process.platform === 'win32' ? 'node.exe' : 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('no node on PATH outside node_modules');
}

afterAll(() => rmSync(GENERATED, { recursive: true, force: true }));

describe('the Node.js version check of the bin stubs', () => {
  it('accepts exactly ^20.19.0 || ^22.13.0 || >=24, the range in package.json "engines"', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(manifest.engines.node).toBe(SUPPORTED_NODE);
    const versions = ['18.20.0', '20.18.3', '20.19.0', '20.20.2', '21.7.3', '22.12.0', '22.13.0', '23.11.1', '24.0.0', '25.2.1', 'v24.1.0', 'nonsense'];
    expect(versions.filter((version) => isSupportedNode(version))).toEqual(['20.19.0', '20.20.2', '22.13.0', '24.0.0', '25.2.1', 'v24.1.0']);
    expect(unsupportedNodeMessage('isolation-check', '18.20.0')).toBe('isolation-check needs Node.js ^20.19.0 || ^22.13.0 || >=24; this is Node.js 18.20.0.');
    expect(unsupportedNodeMessage('isolation-check', '22.13.0')).toBeUndefined();
  });

  it.each([['isolation-check'], ['isolation-migrate']])('%s on an old Node.js: one line on stderr, exit code 2, nothing loaded', (command) => {
    const result = node(process.execPath, VIOLATIONS, ...forgedNode('18.20.0'), join(PACKAGE, 'bin', `${command}.js`), '--help');
    expect(result).toEqual({ status: 2, stdout: '', stderr: `${command} needs Node.js ^20.19.0 || ^22.13.0 || >=24; this is Node.js 18.20.0.\n` });
  });
});

describe('the bin stubs run the compiled CLIs', () => {
  it('isolation-check and isolation-migrate through the stubs, with their exit codes', () => {
    const checked = node(process.execPath, VIOLATIONS, join(PACKAGE, 'bin/isolation-check.js'), '--format', 'json');
    expect([checked.status, checked.stderr]).toEqual([1, '']);
    expect(keys(checked.stdout)).toEqual(expected());
    const migrate = node(process.execPath, VIOLATIONS, join(PACKAGE, 'bin/isolation-migrate.js'), 'src', '--dry-run');
    expect([migrate.status, migrate.stderr, migrate.stdout.split('\n').at(-2)]).toEqual([0, '', 'isolation-migrate: 1 endpoint migrated, 0 left; would change 1 file of 4']);
  });

  it('npm linked the stubs at install, so node_modules/.bin works before and after a build', () => {
    for (const command of ['isolation-check', 'isolation-migrate']) {
      expect(realpathSync(join(REPOSITORY, 'node_modules/.bin', command))).toBe(join(PACKAGE, 'bin', `${command}.js`));
      accessSync(join(PACKAGE, 'bin', `${command}.js`), constants.X_OK);
      const help = node(join(REPOSITORY, 'node_modules/.bin', command), REPOSITORY, '--help');
      expect([help.status, help.stdout.split('\n')[0]]).toEqual([0, expect.stringMatching(new RegExp(`^Usage: ${command} `)) as string]);
    }
  });

  it('without a build: one line saying to run it, exit code 2', () => {
    const unbuilt = join(GENERATED, 'unbuilt');
    mkdirSync(unbuilt, { recursive: true });
    cpSync(join(PACKAGE, 'bin'), join(unbuilt, 'bin'), { recursive: true });
    writeFileSync(join(unbuilt, 'package.json'), '{ "type": "module" }');
    for (const [command, cli] of [['isolation-check', 'check'], ['isolation-migrate', 'migrate']] as const) {
      const result = node(process.execPath, unbuilt, join(unbuilt, 'bin', `${command}.js`));
      expect(result).toEqual({ status: 2, stdout: '', stderr: `${command}: ${join(unbuilt, 'dist', 'cli', `${cli}.js`)} is missing; run the package build first (npm run build).\n` });
    }
  });

  it('run on the machine\'s own Node.js (20.20 on these machines, the oldest line supported)', () => {
    const executable = systemNode();
    const version = execFileSync(executable, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    expect(isSupportedNode(version), `${executable} is Node.js ${version}, outside ${SUPPORTED_NODE}`).toBe(true);
    for (const mode of [[], ['--type-aware']]) {
      const checked = node(executable, VIOLATIONS, join(PACKAGE, 'bin/isolation-check.js'), '--format', 'json', ...mode);
      expect([version, checked.status, checked.stderr]).toEqual([version, 1, '']);
      expect(keys(checked.stdout)).toEqual(expected());
    }
    const dir = join(GENERATED, 'migrate-on-system-node');
    cpSync(join(import.meta.dirname, 'fixtures/migrate/before'), join(dir, 'src'), { recursive: true });
    const migrate = node(executable, dir, join(PACKAGE, 'bin/isolation-migrate.js'), 'src/*.ts', '--dry-run');
    expect([migrate.status, migrate.stderr, migrate.stdout.split('\n').at(-2)]).toEqual([1, '', 'isolation-migrate: 6 endpoints migrated, 1 left; would change 2 files of 3; 1 file not parsed']);
  });
});

describe('what npm publishes', () => {
  it('bin/, dist/, language-service/, README.md, LICENSE and package.json; no tests, no sources', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE, encoding: 'utf8', shell: process.platform === 'win32' })) as [{ files: { path: string }[] }];
    const files = pack.files.map((file) => file.path);
    const top = [...new Set(files.map((path) => path.split('/')[0]))].sort();
    expect(top).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'language-service', 'package.json']);
    expect(files).toEqual(expect.arrayContaining(['bin/isolation-check.js', 'bin/isolation-migrate.js', 'bin/node-version.js', 'bin/run-cli.js', 'dist/cli/check.js', 'dist/cli/migrate.js', 'dist/cli/typescript.js', 'dist/index.js', 'language-service/index.cjs']));
    expect(files.filter((path) => /(^|\/)test\/|\.test\.|\.tsbuildinfo$/.test(path))).toEqual([]);
  });
});
