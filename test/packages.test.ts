/** Every package is publishable as it stands: what `npm publish` would upload, and ranges that agree. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORKSPACES = ['packages/core', 'packages/runtime', 'packages/eslint-plugin-isolation', 'packages/ts-transformer-entities'] as const;

type ExportTarget = string | { readonly [condition: string]: ExportTarget };

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly license?: string;
  readonly engines?: { readonly node?: string };
  readonly bin?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, ExportTarget>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

const manifest = (workspace: string): Manifest => JSON.parse(readFileSync(join(ROOT, workspace, 'package.json'), 'utf8')) as Manifest;

const targets = (target: ExportTarget): string[] => (typeof target === 'string' ? [target] : Object.values(target).flatMap(targets));

describe.each(WORKSPACES)('%s as npm publish would upload it', (workspace) => {
  it('has README, LICENSE, every bin and export target, no tests, and npm corrects nothing', async () => {
    const { stdout, stderr } = await promisify(execFile)('npm', ['publish', '--dry-run', '--json', '-w', workspace], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const problems = stderr.split('\n').filter((line) => /\b(warn|error)\b/i.test(line) && !/requires you to be logged in/.test(line));
    expect(problems).toEqual([]);
    const { name, license, bin = {}, exports = {} } = manifest(workspace);
    const report = JSON.parse(stdout) as Record<string, { files: { path: string }[] }>;
    const files = new Set((report[name]?.files ?? []).map((file) => file.path));
    expect(license).toBe('MIT');
    for (const required of ['README.md', 'LICENSE', 'package.json']) expect(files, required).toContain(required);
    for (const target of Object.values(bin)) expect(files, `bin ${target}`).toContain(target.replace(/^\.\//, ''));
    for (const target of Object.values(exports).flatMap(targets)) expect(files, `export ${target}`).toContain(target.replace(/^\.\//, ''));
    expect([...files].filter((file) => /(^|\/)test\/|\.test\./.test(file))).toEqual([]);
  });
});

describe('ranges across our packages', () => {
  const manifests = WORKSPACES.map(manifest);

  it('declare one Node.js range', () => {
    expect(new Set(manifests.map((m) => m.engines?.node)).size).toBe(1);
    expect(manifests[0]?.engines?.node).toBe('^20.19.0 || ^22.13.0 || >=24');
  });

  it('depend on each other at exactly the versions in this repository', () => {
    const versions = new Map(manifests.map((m) => [m.name, m.version]));
    for (const m of manifests) {
      for (const [dependency, range] of Object.entries(m.dependencies ?? {})) {
        if (versions.has(dependency)) expect(range, `${m.name} → ${dependency}`).toBe(versions.get(dependency));
      }
    }
  });

  it('never ask for TypeScript 7 to be absent where the package works without it', () => {
    // The runtime and the CLIs must install beside typescript@7 (setup 3): no typescript peer there.
    expect(manifest('packages/runtime').peerDependencies?.['typescript']).toBeUndefined();
    expect(manifest('packages/ts-transformer-entities').peerDependencies?.['typescript']).toBeUndefined();
  });
});
