/**
 * The `isolation-migrate` binary as users run it (the compiled `dist/cli/migrate.js`), on copies of
 * the committed fixtures under `test/.generated`: before → after, idempotence, dry runs, files that
 * do not parse, scope markers, and the migrated code passing the endpoint rules under `strict`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from './compile.js';

const BIN = join(import.meta.dirname, '..', 'dist', 'cli', 'migrate.js');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'migrate');
const ROOT = join(import.meta.dirname, '.generated', `migrate-${process.pid}`);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function migrate(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let counter = 0;
/** A fresh copy of a fixture folder; returns the working directory holding it as `src/`. */
function copy(folder: string): string {
  const dir = join(ROOT, `w${(counter += 1)}`);
  mkdirSync(dir, { recursive: true });
  cpSync(join(FIXTURES, folder), join(dir, 'src'), { recursive: true });
  return dir;
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(join(dir, 'src')).map((file) => [file, read(dir, `src/${file}`)]));
}

function isolationFindings(files: Record<string, string>): string[] {
  return compile(files, { rules: 'strict' }).isolation.map((finding) => `${finding.file}:${finding.line} ${/^\[(@isolation\/[a-z-]+)\]/.exec(finding.message)?.[1] ?? finding.code}`);
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
});
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

describe('isolation-migrate: endpoints', () => {
  it('rewrites legacy endpoints exactly as the committed after/ files, keeping formatting and comments', () => {
    const dir = copy('before');
    const run = migrate(dir, 'src/routes.ts', 'src/aliased.ts');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(read(dir, 'src/routes.ts')).toBe(read(FIXTURES, 'after/routes.ts'));
    expect(read(dir, 'src/aliased.ts')).toBe(read(FIXTURES, 'after/aliased.ts'));
    expect(run.stdout).toContain('src/routes.ts: 4 endpoints migrated, 1 left (destructured parameter)\n');
    expect(run.stdout).toContain('  src/routes.ts:44:3 AccountRoutes.search: destructured parameter\n');
    expect(run.stdout).toContain('src/aliased.ts: 2 endpoints migrated\n');
    expect(run.stdout).toContain('isolation-migrate: 6 endpoints migrated, 1 left; changed 2 files of 2\n');
  });

  it('the committed after/ files show the cases: body, destructured, aliased, namespace, foreign decorator', () => {
    const routes = read(FIXTURES, 'after/routes.ts');
    expect(routes).toContain(`    body: "contact", // the request body\n    pathParams: ["accountId"],\n  })`);
    expect(routes).toContain(`path: '/accounts/{accountId}', pathParams: ['accountId'], queryParams: ['name'] /* no trailing comma */ })`);
    expect(routes).toContain(`@Endpoint({ method: 'POST', path: '/accounts', body: 'account', queryParams: [] })`);
    expect(routes).toContain(`@Endpoint({ method: 'GET', path: '/accounts/{accountId}/search' })`);
    const aliased = read(FIXTURES, 'after/aliased.ts');
    expect(aliased).toContain(`@Route({ method: 'GET', path: '/tickets/{ticketId}', pathParams: ['ticketId'] })`);
    expect(aliased).toContain(`    permission: 'tickets.read',\n    queryParams: ['status', 'page']\n  })`);
    expect(aliased).toContain(`@Endpoint({ method: 'GET', path: '/other/{id}' })`);
  });

  it('is idempotent: a second run changes nothing', () => {
    const dir = copy('before');
    expect(migrate(dir, 'src/routes.ts', 'src/aliased.ts').status).toBe(0);
    const first = snapshot(dir);
    const second = migrate(dir, 'src/routes.ts', 'src/aliased.ts');
    expect(second.status).toBe(0);
    expect(snapshot(dir)).toEqual(first);
    expect(second.stdout).toContain('changed 0 files of 2');
    expect(second.stdout).not.toContain('src/aliased.ts:');
  });

  it('--dry-run prints a patch that git apply turns into the migrated file, even without a final newline', () => {
    // Outside this repository: inside one, git apply takes paths relative to its root.
    const dir = mkdtempSync(join(tmpdir(), 'isolation-migrate-'));
    mkdirSync(join(dir, 'src'), { recursive: true });
    const source = `import { Endpoint } from '@isolation/runtime';\n\nexport class Routes {\n  @Endpoint({ method: 'GET', path: '/tickets/{ticketId}' })\n  get(ticketId: string) { return ticketId; }\n}`;
    writeFileSync(join(dir, 'src/routes.ts'), source);
    const run = migrate(dir, 'src/routes.ts', '--dry-run');
    expect(run.status).toBe(0);
    expect(read(dir, 'src/routes.ts')).toBe(source);
    const patch = run.stdout.slice(run.stdout.indexOf('diff --git'));
    writeFileSync(join(dir, 'migration.patch'), patch);
    const applied = spawnSync('git', ['apply', 'migration.patch'], { cwd: dir, encoding: 'utf8' });
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    const migrated = read(dir, 'src/routes.ts');
    expect(migrated).toContain("path: '/tickets/{ticketId}', pathParams: ['ticketId'] })");
    expect(migrated.endsWith('}')).toBe(true);
    // Applying the real migration to a fresh copy gives the same text.
    writeFileSync(join(dir, 'src/routes.ts'), source);
    expect(migrate(dir, 'src/routes.ts').status).toBe(0);
    expect(read(dir, 'src/routes.ts')).toBe(migrated);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--dry-run writes nothing and prints a unified diff', () => {
    const dir = copy('before');
    const before = snapshot(dir);
    const run = migrate(dir, 'src', '--dry-run');
    expect(snapshot(dir)).toEqual(before);
    expect(run.stdout).toContain(
      [
        '--- a/src/aliased.ts',
        '+++ b/src/aliased.ts',
        '@@ -2,7 +2,7 @@',
        " import * as iso from '@isolation/runtime';",
        ' ',
        ' export class TicketRoutes {',
        "-  @Route({ method: 'GET', path: '/tickets/{ticketId}' })",
        "+  @Route({ method: 'GET', path: '/tickets/{ticketId}', pathParams: ['ticketId'] })",
        '   get(ticketId: string) {',
        '     return ticketId;',
        '   }',
        '@@ -10,7 +10,8 @@',
        "   @iso.Endpoint({",
        "     method: 'GET',",
        "     path: '/tickets',",
        "-    permission: 'tickets.read'",
        "+    permission: 'tickets.read',",
        "+    queryParams: ['status', 'page']",
        '   })',
        '   list(status: string, page: number) {',
        '     return [status, page];',
        '',
      ].join('\n'),
    );
    // The trailing-comment line is context: the migration only adds a line after it.
    expect(run.stdout).toContain(['     body: "contact", // the request body', '+    pathParams: ["accountId"],', '   })'].join('\n'));
    expect(run.stdout).toContain('would change 2 files of 3');
  });

  it('leaves a file with syntax errors alone, reports it, and exits 1 after migrating the others', () => {
    const dir = copy('before');
    const broken = read(dir, 'src/broken.ts');
    const run = migrate(dir, 'src');
    expect(run.status).toBe(1);
    expect(read(dir, 'src/broken.ts')).toBe(broken);
    expect(run.stdout).toContain("src/broken.ts: not migrated, syntax error at 8:1 '}' expected.\n");
    expect(read(dir, 'src/routes.ts')).toBe(read(FIXTURES, 'after/routes.ts'));
    expect(run.stdout).toContain('1 file not parsed');
  });

  it('the migrated fixtures pass endpoint-params and endpoint-explicit-params under strict', () => {
    const before = isolationFindings({ 'routes.ts': read(FIXTURES, 'before/routes.ts'), 'aliased.ts': read(FIXTURES, 'before/aliased.ts') });
    expect(before.filter((line) => line.endsWith('endpoint-explicit-params'))).toHaveLength(7);
    const after = isolationFindings({ 'routes.ts': read(FIXTURES, 'after/routes.ts'), 'aliased.ts': read(FIXTURES, 'after/aliased.ts') });
    // Only the destructured parameter, left alone on purpose, is still in the legacy form.
    expect(after).toEqual(['routes.ts:45 @isolation/endpoint-explicit-params']);
  });

  it('takes a tsconfig with -p and the wrapper modules of its transformer entry', () => {
    const dir = copy('before');
    rmSync(join(dir, 'src', 'broken.ts'));
    writeFileSync(join(dir, 'src', 'wrapped.ts'), `import { Endpoint } from '@acme/platform';\nexport class W {\n  @Endpoint({ method: 'GET', path: '/w/{id}' })\n  get(id: string) { return id; }\n}\n`);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { plugins: [{ transform: '@isolation/ts-transformer-entities', modules: ['@acme/platform'] }] }, include: ['src'] }),
    );
    const run = migrate(dir, '-p', 'tsconfig.json');
    expect(run.status).toBe(0);
    expect(read(dir, 'src/wrapped.ts')).toContain(`@Endpoint({ method: 'GET', path: '/w/{id}', pathParams: ['id'] })`);
    expect(read(dir, 'src/routes.ts')).toBe(read(FIXTURES, 'after/routes.ts'));
  });

  it('takes globs and folders, and never touches node_modules', () => {
    const dir = copy('before');
    const legacy = read(FIXTURES, 'before/routes.ts');
    mkdirSync(join(dir, 'src', 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'src', 'node_modules', 'dep', 'index.ts'), legacy);
    const glob = migrate(dir, 'src/r*.ts', '--dry-run');
    expect([glob.status, glob.stderr]).toEqual([0, '']);
    expect(glob.stdout).toContain('isolation-migrate: 4 endpoints migrated, 1 left; would change 1 file of 1\n');
    const folder = migrate(dir, 'src', '--dry-run');
    expect(folder.stdout).toContain('would change 2 files of 3; 1 file not parsed\n');
    expect(folder.stdout).not.toContain('node_modules');
    expect(migrate(dir, 'src/**/index.ts').stderr).toContain('isolation-migrate: nothing matches src/**/index.ts');
    expect(read(dir, 'src/node_modules/dep/index.ts')).toBe(legacy);
  });

  it('keeps CRLF line endings', () => {
    const dir = copy('before');
    const file = join(dir, 'src', 'crlf.ts');
    writeFileSync(file, read(FIXTURES, 'before/routes.ts').replaceAll('\n', '\r\n'));
    expect(migrate(dir, 'src/crlf.ts').status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(read(FIXTURES, 'after/routes.ts').replaceAll('\n', '\r\n'));
  });

  it('exits 2 on misuse', () => {
    const dir = copy('before');
    expect(migrate(dir, '--frobnicate').status).toBe(2);
    expect(migrate(dir, '-p', 'tsconfig.json', 'src').status).toBe(2);
    expect(migrate(dir, 'nothing/**/*.ts').status).toBe(2);
    const none = migrate(dir);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no files given and no tsconfig.json here');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ files: ['src/routes.ts', 'src/missing.ts'] }));
    const missing = migrate(dir, '-p', 'tsconfig.json');
    expect([missing.status, missing.stderr.split('\n')[0]]).toEqual([2, `isolation-migrate: ${join(dir, 'tsconfig.json')}: error TS6053: File '${join(dir, 'src/missing.ts')}' not found.`]);
    expect(missing.stderr).not.toMatch(/^\s+at /m);
    expect(read(dir, 'src/routes.ts')).toBe(read(FIXTURES, 'before/routes.ts'));
    expect(migrate(dir, '--help').status).toBe(0);
  });
});

describe('isolation-migrate --add-scope-markers', () => {
  it('marks unscoped entities holding both capsule ids, by name or by brand, named or namespace import', () => {
    const dir = copy('scopes/before');
    const run = migrate(dir, 'src', '--add-scope-markers');
    expect(run.status).toBe(0);
    expect(read(dir, 'src/entities.ts')).toBe(read(FIXTURES, 'scopes/after/entities.ts'));
    expect(read(dir, 'src/namespaced.ts')).toBe(read(FIXTURES, 'scopes/after/namespaced.ts'));
    expect(run.stdout).toContain('src/entities.ts: 2 scope markers added, 1 entity left unscoped (no capsule id field)\n');
    expect(run.stdout).toContain('  src/entities.ts:20:1 Plan: no capsule id field: choose its scope by hand\n');
    expect(migrate(dir, 'src', '--add-scope-markers').stdout).toContain('changed 0 files of 2');
  });

  it('adds no markers without the flag', () => {
    const dir = copy('scopes/before');
    const before = snapshot(dir);
    expect(migrate(dir, 'src').stdout).toContain('changed 0 files of 2');
    expect(snapshot(dir)).toEqual(before);
  });

  it('adds an import of CapsuleIsolated when the runtime is imported for types only', () => {
    const dir = copy('scopes/before');
    const file = join(dir, 'src', 'typed.ts');
    writeFileSync(file, `import type { TenantId, CapsuleId } from '@isolation/runtime';\nimport { Entity } from '@acme/platform';\n\n@Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#X' })\nexport class X {\n  tenantId!: TenantId;\n  capsuleId!: CapsuleId;\n}\n`);
    expect(migrate(dir, 'src/typed.ts', '--add-scope-markers', '--module', '@acme/platform').status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      `import type { TenantId, CapsuleId } from '@isolation/runtime';\nimport { Entity } from '@acme/platform';\nimport { CapsuleIsolated } from '@isolation/runtime';\n\n@Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#X' })\n@CapsuleIsolated()\nexport class X {\n  tenantId!: TenantId;\n  capsuleId!: CapsuleId;\n}\n`,
    );
  });

  it('the marked fixtures pass entity-scope under strict', () => {
    const files = { 'entities.ts': read(FIXTURES, 'scopes/after/entities.ts'), 'namespaced.ts': read(FIXTURES, 'scopes/after/namespaced.ts') };
    expect(isolationFindings(files)).toEqual(['entities.ts:22 @isolation/entity-scope']);
  });
});
