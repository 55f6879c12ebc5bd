/**
 * isolation-audit, run as users run it (the compiled CLI as a child process), on the inputs an
 * adversarial review found it mishandling: the PutEvents entries scope.publish sends, declared
 * tenant-scoped types, and hostile lines (huge names, thousands of resources, control characters).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory } from '../src/aws/index.js';
import { DomainEvent } from '../src/decorators.js';
import { auditStream } from '../src/events/index.js';
import { startEventBridgeServer } from '../src/testing/eventbridge-server.js';
import { AccountCreated } from './support/events.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../bin/isolation-audit.js');
const generated = join(here, '.generated', 'events-audit-inputs');

interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

interface JsonReport {
  readonly events: number;
  readonly malformed: number;
  readonly types: readonly { type: string; declaredScope?: string; fields: Record<string, unknown> }[];
  readonly findings: readonly { rule: string; severity: string; eventType?: string; count: number; lines: number[]; message: string }[];
}

function audit(args: readonly string[], options: { heapMB?: number; timeoutMs?: number } = {}): Run {
  const node = options.heapMB === undefined ? [] : [`--max-old-space-size=${options.heapMB}`];
  const started = performance.now();
  const result = spawnSync(process.execPath, [...node, cli, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: options.timeoutMs });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

function write(name: string, lines: readonly (string | object)[]): string {
  const file = join(generated, name);
  writeFileSync(file, `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`);
  return file;
}

/** A benign log of about `bytes`: ordinary events of a few types. */
function benignLog(name: string, bytes: number): string {
  const lines: object[] = [];
  for (let size = 0, i = 0; size < bytes; i += 1) {
    const line = { 'detail-type': `Type${i % 8}`, source: 'crm', resources: [`arn:aws:crm:us-east-1:1:tenant/acme/capsule/DEV/a${i}`], detail: { tenant_id: 'acme', capsule_id: 'DEV', id: `e${i}`, note: 'x'.repeat(100) } };
    size += JSON.stringify(line).length + 1;
    lines.push(line);
  }
  return write(name, lines);
}

/**
 * Time for a hostile log: generous, relative to a benign log of the same size audited the same way
 * (the unbounded audit took minutes where this takes well under a second).
 */
function budgetFor(benignFile: string): number {
  const baseline = audit(['--format', 'json', benignFile]);
  expect(baseline.status).toBe(0);
  return Math.ceil(50 * baseline.ms);
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing; build first: npx tsc -b packages/runtime`);
  mkdirSync(generated, { recursive: true });
});
afterAll(() => rmSync(generated, { recursive: true, force: true }));

class TenantPlanChanged {
  constructor(
    readonly tenantId: string,
    readonly plan: string,
  ) {}
}
DomainEvent({ type: 'TenantPlanChanged', scope: 'tenant' })(TenantPlanChanged);

describe('isolation-audit reads the PutEvents entries scope.publish sends', () => {
  it('audits what the local EventBridge endpoint recorded: DetailType, Detail as JSON text, Source, EventBusName', async () => {
    const server = await startEventBridgeServer();
    const aws = createClientFactory({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, clientConfig: { maxAttempts: 1 } });
    try {
      for (let i = 0; i < 3; i += 1) {
        await aws.capsule('acme', 'DEV').publish(new AccountCreated('acme', 'DEV', `a${i}`), { eventBusName: 'crm-events', source: 'crm' });
        await aws.tenant('acme').publish(new TenantPlanChanged('acme', 'pro'));
      }
    } finally {
      aws.destroy();
      await server.close();
    }
    expect(server.entries[0]).toEqual({ Source: 'crm', DetailType: 'AccountCreated', Detail: '{"tenantId":"acme","capsuleId":"DEV","accountId":"a0"}', EventBusName: 'crm-events' });
    const file = write('entries.ndjson', [...server.entries]);
    const inferred = JSON.parse(audit(['--format', 'json', file]).stdout) as JsonReport;
    expect([inferred.events, inferred.malformed]).toEqual([6, 0]);
    const run = audit(['--format', 'json', '--scope', 'AccountCreated=capsule', '--scope', 'TenantPlanChanged=tenant', file]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect([report.events, report.malformed, report.findings]).toEqual([6, 0, []]);
    expect(report.types.map((type) => [type.type, Object.keys(type.fields)])).toEqual([
      ['AccountCreated', ['tenantId', 'capsuleId', 'accountId']],
      ['TenantPlanChanged', ['tenantId', 'plan']],
    ]);
    // An entry's Resources and EventBusName are checked like an envelope's.
    const foreign = { ...server.entries[0], Resources: ['arn:aws:crm:us-east-1:1:tenant/globex/capsule/DEV/a0'] };
    const mismatch = JSON.parse(audit(['--format', 'json', write('foreign.ndjson', [foreign, { ...server.entries[0], EventBusName: 'tenants/globex/bus' }])]).stdout) as JsonReport;
    expect(mismatch.findings.map((finding) => [finding.rule, finding.lines, finding.message])).toEqual([
      ['envelope-mismatch', [1], '1 AccountCreated event(s): envelope resources names tenant "globex" but the detail\'s tenant id is "acme"; publish each event with the envelope of its own scope.'],
      ['envelope-mismatch', [2], '1 AccountCreated event(s): envelope event bus names tenant "globex" but the detail\'s tenant id is "acme"; publish each event with the envelope of its own scope.'],
    ]);
  });

  it('reports an entry whose Detail is not JSON text of an object, and documents the accepted formats in --help', () => {
    const run = audit(['--format', 'json', write('bad-entries.ndjson', [{ DetailType: 'A', Detail: { tenantId: 'acme' } }, { DetailType: 'A', Detail: '[1]' }])]);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toEqual([expect.objectContaining({ rule: 'malformed-line', count: 2, message: '2 line(s) skipped: a PutEvents entry whose Detail is not the JSON text of an object.' })]);
    const help = audit(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('PutEvents entry    {"DetailType":"T","Detail":"{…}","Source":"…","EventBusName":"…","Resources":["…"]}');
    expect(help.stdout).toContain('EventBridge event  {"detail-type":"T"');
    expect(help.stdout).toContain('bare detail        {"type":"T"');
    expect(help.stdout).toMatch(/--events <module\.js> +import a JavaScript module/);
    expect(help.stdout).toMatch(/--fail-on error\|warning +exit 1 on errors \(default\), or on warnings too/);
  });
});

describe('isolation-audit learns declared scopes before accusing a type', () => {
  /** A module exporting @DomainEvent classes, as an application's compiled events barrel would. */
  function eventsModule(name: string, body: string): string {
    const file = join(generated, name);
    writeFileSync(file, `import { DomainEvent } from '@isolation/runtime';\n${body}\n`);
    return file;
  }

  const tenantLog = (): object[] => {
    const lines: object[] = [];
    for (let i = 0; i < 4; i += 1) {
      lines.push({ type: 'AccountCreated', tenantId: 'acme', capsuleId: 'DEV', accountId: `a${i}` });
      lines.push({ type: 'AccountUpdated', tenantId: 'acme', capsuleId: 'DEV', accountId: `a${i}` });
      lines.push({ type: 'TenantPlanChanged', tenantId: 'acme', plan: 'pro' });
    }
    return lines;
  };

  it('does not flag a legitimate tenant-scoped type declared by the --events module', () => {
    const events = eventsModule(
      'events.js',
      `export class AccountCreated {}\nDomainEvent({ type: 'AccountCreated' })(AccountCreated);
export class AccountUpdated {}\nDomainEvent({ type: 'AccountUpdated', scope: 'capsule' })(AccountUpdated);
export class TenantPlanChanged {}\nDomainEvent({ type: 'TenantPlanChanged', scope: 'tenant' })(TenantPlanChanged);
export const notAnEvent = 42;`,
    );
    const file = write('tenant-types.ndjson', tenantLog());
    const run = audit(['--format', 'json', '--events', events, file]);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toEqual([]);
    expect(report.types.map((type) => [type.type, type.declaredScope])).toEqual([
      ['AccountCreated', 'capsule'],
      ['AccountUpdated', 'capsule'],
      ['TenantPlanChanged', 'tenant'],
    ]);
  });

  it('without declarations, takes the tenant-only type as tenant-scoped: a warning that does not fail the exit code', () => {
    const run = audit(['--format', 'json', write('tenant-types.ndjson', tenantLog())]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings).toEqual([expect.objectContaining({ rule: 'type-missing-scope-field', severity: 'warning', eventType: 'TenantPlanChanged' })]);
    expect(report.findings[0]?.message).toContain('taken as tenant-scoped');
  });

  it('holds declared types to their scope: errors, exit 1', () => {
    const events = eventsModule('events-capsule.js', `export class TenantPlanChanged {}\nDomainEvent({ type: 'TenantPlanChanged' })(TenantPlanChanged);`);
    const run = audit(['--format', 'json', '--events', events, write('tenant-types.ndjson', tenantLog())]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((finding) => [finding.rule, finding.severity, finding.eventType])).toEqual([
      ['type-missing-scope-field', 'error', 'TenantPlanChanged'],
      ['type-undeclared', 'warning', undefined],
    ]);
    expect(report.findings[1]?.message).toBe('2 event type(s) in the log have no declared scope (AccountCreated, AccountUpdated); their findings are inferred from the log. Export their @DomainEvent classes from the --events module, or pass --scope TYPE=SCOPE.');
  });

  it('says what is wrong with an --events module', () => {
    const none = audit(['--events', eventsModule('empty.js', 'export class Plain {}'), '-']);
    expect([none.status, none.stderr]).toEqual([2, expect.stringContaining('none of its 1 exports is a @DomainEvent class registered with this isolation-audit\'s @isolation/runtime')]);
    const missing = audit(['--events', join(generated, 'absent.js'), '-']);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining('no such file')]);
    const clash = audit(['--events', eventsModule('clash.js', `export class A {}\nDomainEvent({ type: 'AccountCreated' })(A);`), '--scope', 'AccountCreated=tenant', '-']);
    expect([clash.status, clash.stderr]).toEqual([2, expect.stringContaining('"AccountCreated" is declared capsule-scoped by')]);
  });
});

describe('isolation-audit stays bounded on hostile input', () => {
  it('audits one 155 KiB line (a 100,000-character detail-type, 4,000 foreign resources) quickly under a 64 MB heap', () => {
    const hostile = {
      'detail-type': 'T'.repeat(100_000),
      source: 'crm',
      resources: Array.from({ length: 4000 }, (_, i) => `tenant/other${i}`),
      detail: { tenant_id: 'acme', capsule_id: 'DEV' },
    };
    const file = write('huge-line.ndjson', [hostile]);
    const run = audit(['--format', 'json', file], { heapMB: 64, timeoutMs: budgetFor(benignLog('huge-line-benign.ndjson', 160_000)) });
    expect([run.status, run.signal, run.stderr]).toEqual([1, null, '']);
    const report = JSON.parse(run.stdout) as JsonReport;
    // One finding for the line, not one per resource; the type clipped to 256 characters with its length and hash.
    expect(report.findings.map((finding) => [finding.rule, finding.count, finding.lines])).toEqual([['envelope-mismatch', 1, [1]]]);
    expect(report.findings[0]?.eventType).toMatch(/^T+…\[100000 chars, sha256:[0-9a-f]{16}\]$/);
    expect(report.findings[0]?.eventType).toHaveLength(256);
    expect(run.stdout.length).toBeLessThan(8 << 10);
  });

  it('audits 1,000 distinct 20,000-character types and 20,000-character keys in bounded time and memory', () => {
    const lines: object[] = [];
    for (let i = 0; i < 1000; i += 1) lines.push({ type: `${i}`.padEnd(20_000, 'x'), tenant_id: 'acme', ...(i % 2 === 0 ? { capsule_id: 'DEV' } : {}) });
    const wide: Record<string, unknown> = { type: 'Wide', tenant_id: 'acme' };
    for (let i = 0; i < 40; i += 1) wide[`${i}`.padEnd(20_000, 'k')] = i;
    lines.push(wide);
    const file = write('long-names.ndjson', lines);
    const run = audit(['--format', 'json', file], { heapMB: 64, timeoutMs: budgetFor(benignLog('long-names-benign.ndjson', 21_000_000)) });
    expect([run.status, run.signal, run.stderr]).toEqual([0, null, '']);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.events).toBe(1001);
    expect(report.types).toHaveLength(1001);
    const names = [...report.types.map((type) => type.type), ...report.types.flatMap((type) => Object.keys(type.fields))];
    expect(Math.max(...names.map((name) => name.length))).toBe(256);
    expect(new Set(report.types.map((type) => type.type)).size).toBe(1001);
    // Warnings for the 500 types without capsule ids, each naming its type once and a few siblings shortly.
    expect(report.findings).toHaveLength(501);
    expect(run.stdout.length).toBeLessThan(2 << 20);
  });

  it('escapes control characters from the log in text output', () => {
    const type = 'Evil\u001b[2J\u001b[31m\nerror   forged-finding Other: all clear\u202e';
    const file = write('controls.ndjson', [
      { 'detail-type': type, detail: { tenant_id: 'acme', capsule_id: 'DEV' }, resources: ['tenant/\u001b]0;pwned\u0007'] },
      { type: 'Clean', tenant_id: 'acme', capsule_id: 'DEV' },
    ]);
    const run = audit([file]);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3); // the header, the finding, its line numbers: nothing forged
    expect(lines[1]).toBe('error   envelope-mismatch Evil\\u001b[2J\\u001b[31m\\nerror   forged-finding Other: all clear\\u202e: 1 Evil\\u001b[2J\\u001b[31m\\nerror   forged-finding Other: all clear\\u202e event(s): envelope resources names tenant "\\u001b]0;pwned\\u0007" but the detail\'s tenant id is "acme"; publish each event with the envelope of its own scope.');
  });

  it('keeps within its byte budget: events past it are counted and reported, mismatches past it still fail', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2000; i += 1) lines.push(JSON.stringify({ 'detail-type': `Type${i}`, resources: [`tenant/globex${i}`], detail: { tenant_id: 'acme' } }));
    const report = await auditStream([lines.join('\n')], { maxRetainedBytes: 256 << 10 });
    const tracked = report.types.length;
    expect(tracked).toBeGreaterThan(10);
    expect(tracked).toBeLessThan(2000);
    expect(report.untrackedEvents).toBe(2000 - tracked);
    expect(report.findings.filter((finding) => finding.rule === 'audit-incomplete')).toEqual([expect.objectContaining({ severity: 'warning', count: 2000 - tracked })]);
    const mismatches = report.findings.filter((finding) => finding.rule === 'envelope-mismatch');
    expect(mismatches.every((finding) => finding.severity === 'error')).toBe(true);
    // Every event's mismatch is counted, also for types the budget left unprofiled.
    expect(mismatches.reduce((sum, finding) => sum + finding.count, 0)).toBe(2000);
    const catchAll = mismatches.at(-1);
    expect(catchAll?.eventType).toBeUndefined();
    expect(catchAll?.message).toContain("further envelope mismatch(es) of kinds not itemised, because the audit's memory budget was spent");
  });
});
