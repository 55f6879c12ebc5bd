/** `npm run demo` as a new user runs it (after the build `npm test` has already done). */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('the demo', () => {
  it('lints and builds both examples, runs the CRM on dynalite, and exits 0 with its report', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/demo.js')], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('examples/crm (a multi-tenant CRM, strict config): clean');
    expect(run.stdout).toContain('examples/violations: exit 2, 16 isolation diagnostic(s)');
    expect(run.stdout).toMatch(/capsule globex\/PROD +table PROD\.crm_data +account "globex \(PROD\) Ltd", 1 call activity/);
    expect(run.stdout).toContain('refused in capsule acme/DEV: found Key.pk = "TENANT#globex#CAPSULE#DEV#ACCOUNT#acc-1"');
    expect(run.stdout).toContain('acme/DEV: jwtExpirationSeconds 300 (capsule), refreshTokenTtlSeconds 1209600 (platform), enableSes true (tenant)');
    expect(run.stdout).toContain('acme/PROD: jwtExpirationSeconds 7200 (tenant)');
    expect(run.stdout).toContain('nothing saved: 7200');
    expect(run.stdout).toContain('published AccountCreated from capsule acme/DEV: 1 event on the bus');
    expect(run.stdout).toContain('refused, nothing sent (1 event on the bus)');
    expect(run.stdout).toMatch(/error +type-missing-scope-field RoleAssignmentCreated/);
    expect(run.stdout).toContain('60 requests over 3 operator roles: 3 AssumeRole calls (one per role)');
    expect(run.stdout).toContain('As expected:');
  });
});
