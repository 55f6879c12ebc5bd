/**
 * The real `tspc` binary (ts-patch 4 on TypeScript 6.0) on fixture projects, in every mode CI and
 * editors use. Projects are written under `test/.generated` so packages resolve from the
 * repository's node_modules.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `tspc` as npm links it: ts-patch does not export its bin file as a subpath.
const TSPC = join(dirname(createRequire(import.meta.url).resolve('ts-patch/package.json')), 'bin/tspc.js');
const ROOT = join(import.meta.dirname, '.generated', `tspc-${process.pid}`);
const PLUGIN = { transform: '@isolation/ts-transformer-entities', transformProgram: true };

const VALID_ROLE = `import { Entity, CapsuleIsolated, type TenantId, type CapsuleId } from '@isolation/runtime';

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' })
@CapsuleIsolated()
export class RoleAssignment {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
}
`;
/** The seeds' mistake: a role assignment without its capsule id (line 5, the class name). */
const INVALID_ROLE = VALID_ROLE.replace('  capsuleId!: CapsuleId;\n', '');

interface Run {
  readonly status: number | null;
  readonly output: string;
  /** `file(line,col): category TScode` of our diagnostics. */
  readonly ours: string[];
}

function ours(output: string): string[] {
  return [...output.matchAll(/^(\S+)\((\d+),(\d+)\): (error|warning) TS(910\d\d): \[(@isolation\/[a-z-]+)\]/gm)].map((match) => `${match[1]}:${match[2]} ${match[4]} TS${match[5]} ${match[6]}`);
}

function tspc(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [TSPC, ...args, '--pretty', 'false'], { cwd, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`;
  return { status: result.status, output, ours: ours(output) };
}

let counter = 0;
function project(files: Record<string, string>, compilerOptions: Record<string, unknown> = {}): string {
  const dir = join(ROOT, `p${(counter += 1)}`);
  const tsconfig = {
    compilerOptions: {
      target: 'es2023',
      lib: ['es2023', 'esnext.decorators'],
      module: 'nodenext',
      strict: true,
      skipLibCheck: true,
      types: [],
      rootDir: 'src',
      outDir: 'dist',
      declaration: true,
      plugins: [PLUGIN],
      ...compilerOptions,
    },
    include: ['src'],
  };
  write(dir, { 'package.json': '{ "type": "module" }', 'tsconfig.json': JSON.stringify(tsconfig, null, 2), ...files });
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

const FOUND = 'src/role.ts:5 error TS91002 @isolation/capsule-id-field';

afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

describe('real tspc (ts-patch 4, TypeScript 6.0) with the program transformer', () => {
  it('tspc: the violation fails the build at its line; valid code builds and gets key builders', () => {
    const dir = project({ 'src/role.ts': INVALID_ROLE, 'src/plain.ts': 'export const answer: number = 42;\n' });
    const broken = tspc(dir, '-p', '.');
    expect(broken.ours).toEqual([FOUND]);
    expect(broken.status).toBe(2);
    write(dir, { 'src/role.ts': VALID_ROLE });
    const fixed = tspc(dir, '-p', '.');
    expect(fixed.output).toBe('');
    expect(fixed.status).toBe(0);
    expect(readFileSync(join(dir, 'dist/role.js'), 'utf8')).toContain('Object.defineProperty(RoleAssignment, Symbol.for("isolation.keyBuilder"), { value: pk => ({ pk: "TENANT#" + pk("tenantId") + "#CAPSULE#" + pk("capsuleId") + "#ROLE#" + pk("id") }), configurable: true });');
    expect(readFileSync(join(dir, 'dist/role.d.ts'), 'utf8')).not.toContain('keyBuilder');
  });

  it('tspc --noEmit and --emitDeclarationOnly: the violation still fails the build', () => {
    const dir = project({ 'src/role.ts': INVALID_ROLE });
    const noEmit = tspc(dir, '-p', '.', '--noEmit');
    expect([noEmit.status, noEmit.ours]).toEqual([2, [FOUND]]);
    const declarations = tspc(dir, '-p', '.', '--emitDeclarationOnly');
    expect(declarations.ours).toEqual([FOUND]);
    expect(declarations.status).not.toBe(0);
    expect(existsSync(join(dir, 'dist/role.js'))).toBe(false);
  });

  it('tspc --noEmitOnError writes nothing while the violation stands', () => {
    const dir = project({ 'src/role.ts': INVALID_ROLE, 'src/plain.ts': 'export const answer = 42;\n' });
    const run = tspc(dir, '-p', '.', '--noEmitOnError');
    expect([run.status, run.ours]).toEqual([1, [FOUND]]);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('tspc --incremental: the error survives a no-change rebuild, clears when fixed, returns when re-broken', () => {
    const dir = project({ 'src/role.ts': INVALID_ROLE, 'src/plain.ts': 'export const answer = 42;\n' }, { incremental: true });
    expect(tspc(dir, '-p', '.').ours).toEqual([FOUND]);
    expect(tspc(dir, '-p', '.').ours).toEqual([FOUND]);
    write(dir, { 'src/role.ts': VALID_ROLE });
    const fixed = tspc(dir, '-p', '.');
    expect([fixed.status, fixed.output]).toEqual([0, '']);
    write(dir, { 'src/plain.ts': 'export const answer = 43;\n' });
    expect(tspc(dir, '-p', '.').status).toBe(0);
    write(dir, { 'src/role.ts': INVALID_ROLE });
    expect(tspc(dir, '-p', '.').ours).toEqual([FOUND]);
  });

  it('tspc -b with project references: ids inherited from the referenced project count; a violation fails the build', () => {
    const core = {
      compilerOptions: { target: 'es2023', lib: ['es2023', 'esnext.decorators'], module: 'nodenext', strict: true, skipLibCheck: true, types: [], composite: true, rootDir: 'src', outDir: 'dist', plugins: [PLUGIN] },
      include: ['src'],
    };
    const app = { ...core, compilerOptions: { ...core.compilerOptions }, references: [{ path: '../core' }] };
    const dir = join(ROOT, `refs${(counter += 1)}`);
    const role = (fields: string) => `import { Entity, CapsuleIsolated } from '@isolation/runtime';
import { Scoped } from '../../core/dist/scoped.js';

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' })
@CapsuleIsolated()
export class RoleAssignment extends Scoped {
  id!: string;
}
${fields}`;
    write(dir, {
      'core/package.json': '{ "type": "module" }',
      'core/tsconfig.json': JSON.stringify(core),
      'core/src/scoped.ts': `import type { TenantId, CapsuleId } from '@isolation/runtime';\nexport abstract class Scoped {\n  tenantId!: TenantId;\n  capsuleId!: CapsuleId;\n}\n`,
      'app/package.json': '{ "type": "module" }',
      'app/tsconfig.json': JSON.stringify(app),
      'app/src/role.ts': role(''),
    });
    const clean = tspc(dir, '-b', 'app');
    expect([clean.status, clean.output]).toEqual([0, '']);
    write(dir, { 'core/src/scoped.ts': `import type { TenantId } from '@isolation/runtime';\nexport abstract class Scoped {\n  tenantId!: TenantId;\n}\n` });
    const broken = tspc(dir, '-b', 'app');
    expect(broken.ours).toEqual(['app/src/role.ts:6 error TS91002 @isolation/capsule-id-field']);
    expect(broken.status).not.toBe(0);
    expect(tspc(dir, '-b', 'app').ours).toEqual(['app/src/role.ts:6 error TS91002 @isolation/capsule-id-field']);
  });

  it('a rule at warn prints a warning and does not block emit; TypeScript still exits 2, and off silences it', () => {
    const legacy = `import { Endpoint } from '@isolation/runtime';\nexport class Routes {\n  @Endpoint({ method: 'GET', path: '/c/{id}' })\n  legacy(id: string) { return id; }\n}\n`;
    const dir = project({ 'src/routes.ts': legacy });
    const warned = tspc(dir, '-p', '.');
    expect(warned.ours).toEqual(['src/routes.ts:3 warning TS91006 @isolation/endpoint-explicit-params']);
    expect(warned.status).toBe(2);
    expect(existsSync(join(dir, 'dist/routes.js'))).toBe(true);
    const silenced = project({ 'src/routes.ts': legacy }, { plugins: [{ ...PLUGIN, severity: { 'endpoint-explicit-params': 'off' } }] });
    expect(tspc(silenced, '-p', '.')).toMatchObject({ status: 0, output: '' });
  });

  it('writes an OpenAPI document of the endpoints next to the output when the entry asks', () => {
    const routes = `import { Endpoint } from '@isolation/runtime';\nexport class Routes {\n  @Endpoint({ method: 'GET', path: '/accounts/{accountId}', pathParams: ['accountId'], queryParams: ['limit'], permission: 'crm.read' })\n  get(accountId: string, limit?: number) { return [accountId, limit]; }\n}\n`;
    const dir = project({ 'src/routes.ts': routes }, { plugins: [{ ...PLUGIN, openapi: 'openapi.json' }] });
    expect(tspc(dir, '-p', '.')).toMatchObject({ status: 0, output: '' });
    const document = JSON.parse(readFileSync(join(dir, 'dist/openapi.json'), 'utf8')) as { openapi: string; paths: Record<string, { get: { parameters: { name: string; in: string }[]; 'x-permission': string } }> };
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(document.paths['/accounts/{accountId}']?.get.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(['path:accountId', 'query:limit']);
    expect(document.paths['/accounts/{accountId}']?.get['x-permission']).toBe('crm.read');
    const checkOnly = project({ 'src/routes.ts': routes }, { noEmit: true, plugins: [{ ...PLUGIN, openapi: 'openapi.json' }] });
    expect(tspc(checkOnly, '-p', '.')).toMatchObject({ status: 0, output: '' });
    expect(existsSync(join(checkOnly, 'dist/openapi.json'))).toBe(false);
  });

  it('tspc --watch: the error appears, clears when fixed, and returns when re-broken', async () => {
    const dir = project({ 'src/role.ts': INVALID_ROLE });
    const watcher = spawn(process.execPath, [TSPC, '--watch', '--preserveWatchOutput', '--pretty', 'false', '-p', '.'], { cwd: dir });
    let output = '';
    watcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const cycle = async (): Promise<string> => {
      const start = output.length;
      for (let waited = 0; waited < 60_000; waited += 50) {
        const fresh = output.slice(start);
        if (/Found \d+ errors?\. Watching for file changes\./.test(fresh)) return fresh;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`tspc --watch did not finish a cycle; output so far:\n${output}`);
    };
    try {
      const first = await cycle();
      expect(ours(first)).toEqual([FOUND]);
      const fixing = cycle();
      write(dir, { 'src/role.ts': VALID_ROLE });
      const fixed = await fixing;
      expect(fixed).toContain('Found 0 errors.');
      expect(ours(fixed)).toEqual([]);
      const breaking = cycle();
      write(dir, { 'src/role.ts': INVALID_ROLE });
      const broken = await breaking;
      expect(ours(broken)).toEqual([FOUND]);
    } finally {
      watcher.kill();
    }
  });
});

/** The one line tspc prints for a setup mistake, and nothing that looks like a stack trace. */
function setupLine(run: Run): string {
  expect(run.output).not.toMatch(/^\s+at /m);
  return run.output.trimEnd();
}

describe('real tspc with the transformer set up wrongly: one TS91000 line, no stack trace', () => {
  const BAD_RULES = 'error TS91000: @isolation/ts-transformer-entities: "rules" is "foo"; expected "recommended" or "strict" (in tsconfig.json compilerOptions.plugins)';
  const NO_PROGRAM_TRANSFORMER =
    'error TS91000: @isolation/ts-transformer-entities: the { "transform": "@isolation/ts-transformer-entities" } entry lacks "transformProgram": true, so ts-patch runs it as a source transformer and no isolation check runs; add "transformProgram": true to that entry (in tsconfig.json compilerOptions.plugins)';

  it('invalid plugin options: tspc, tspc --noEmit and tspc -b print the one line and fail', () => {
    const dir = project({ 'src/role.ts': INVALID_ROLE }, { plugins: [{ ...PLUGIN, rules: 'foo' }] });
    const plain = tspc(dir, '-p', '.');
    expect([plain.status, setupLine(plain)]).toEqual([2, BAD_RULES]);
    const noEmit = tspc(dir, '-p', '.', '--noEmit');
    expect([noEmit.status, setupLine(noEmit)]).toEqual([2, BAD_RULES]);
    const build = project({ 'src/role.ts': INVALID_ROLE }, { composite: true, plugins: [{ ...PLUGIN, severity: { 'capsule-id-field': 'fatal' } }] });
    const built = tspc(build, '-b', '.');
    expect([built.status, setupLine(built)]).toEqual([1, 'error TS91000: @isolation/ts-transformer-entities: "severity"."capsule-id-field" is "fatal"; expected "error", "warn" or "off" (in tsconfig.json compilerOptions.plugins)']);
    // Not up to date while the entry is wrong: the next build says it again.
    expect(setupLine(tspc(build, '-b', '.'))).toMatch(/^error TS91000: .*"severity"\."capsule-id-field" is "fatal"/);
  });

  // Nothing of ours filters the program's diagnostics then: the decorators' own type-level report
  // of the missing capsule id (ADR 0019) shows after the setup line, as under plain tsc.
  const TYPE_LEVEL = /^src\/role\.ts\(\d+,\d+\): error TS1270: .*\[@isolation\/capsule-id-field\]/;
  const withTypeLevel = (run: Run): [number | null, string] => {
    const [first, ...rest] = setupLine(run).split(/\r?\n/);
    expect(rest).toHaveLength(1);
    expect(rest[0]).toMatch(TYPE_LEVEL);
    return [run.status, first ?? ''];
  };

  it('an entry without "transformProgram": true: tspc, tspc --noEmit and tspc -b say how to fix it; the emit is left as it was', () => {
    const dir = project({ 'src/role.ts': INVALID_ROLE }, { plugins: [{ transform: '@isolation/ts-transformer-entities' }] });
    const plain = tspc(dir, '-p', '.');
    expect(withTypeLevel(plain)).toEqual([2, NO_PROGRAM_TRANSFORMER]);
    // The identity transformer: JavaScript as tsc writes it, without key builders.
    expect(readFileSync(join(dir, 'dist/role.js'), 'utf8')).toContain('export { RoleAssignment };');
    expect(readFileSync(join(dir, 'dist/role.js'), 'utf8')).not.toContain('isolation.keyBuilder');
    const noEmit = tspc(dir, '-p', '.', '--noEmit');
    expect(withTypeLevel(noEmit)).toEqual([2, NO_PROGRAM_TRANSFORMER]);
    const build = project({ 'src/role.ts': INVALID_ROLE }, { composite: true, plugins: [{ transform: '@isolation/ts-transformer-entities' }] });
    const built = tspc(build, '-b', '.');
    expect(withTypeLevel(built)).toEqual([1, NO_PROGRAM_TRANSFORMER]);
  });
});

