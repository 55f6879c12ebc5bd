/** The repository's own bins work right after `npm ci && npm run build`, never through the registry. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const BINS = [
  ['isolation-check', 'packages/ts-transformer-entities'],
  ['isolation-migrate', 'packages/ts-transformer-entities'],
  ['isolation-audit', 'packages/runtime'],
] as const;

describe('workspace bins', () => {
  it.each(BINS)('%s is linked by npm install to a committed stub of %s', (bin, pkg) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, pkg, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    const target = manifest.bin[bin];
    expect(target).toMatch(/^bin\//);
    expect(manifest.files).toContain('bin');
    const tracked = execFileSync('git', ['ls-files', '--error-unmatch', join(pkg, target ?? '')], { cwd: ROOT, encoding: 'utf8' });
    expect(tracked.trim()).toBe(join(pkg, target ?? ''));
    const link = join(ROOT, 'node_modules/.bin', bin);
    expect(existsSync(link)).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(join(ROOT, pkg, target ?? '')));
  });

  it.each(BINS)('npm exec --no -- %s --help runs the local bin', (bin) => {
    const output = execFileSync('npm', ['exec', '--no', '--', bin, '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(output).toMatch(new RegExp(`usage: ${bin}`, "i"));
  });
});
