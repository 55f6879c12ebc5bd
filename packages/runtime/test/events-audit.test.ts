import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditStream, EventAuditor, LineSplitter } from '../src/events/index.js';
import { sarifErrors } from '../../../test/support/sarif.js';

const here = dirname(fileURLToPath(import.meta.url));
// The bin users run: the committed stub, which loads the compiled CLI.
const cli = resolve(here, '../bin/isolation-audit.js');
const generated = join(here, '.generated', 'events-audit');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function audit(args: readonly string[], input?: string): Run {
  const result = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function log(name: string, lines: readonly (string | object)[]): string {
  const file = join(generated, name);
  writeFileSync(file, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + (lines.length > 0 ? '\n' : ''));
  return file;
}

const envelope = (type: string, detail: object, extra: object = {}): object => ({ version: '0', id: 'e', 'detail-type': type, source: 'crm', detail, ...extra });

/** The seeds' log: accounts carry capsule ids, role assignments do not. */
function seeds(): object[] {
  const lines: object[] = [];
  for (let i = 0; i < 30; i += 1) {
    lines.push(envelope('AccountCreated', { tenant_id: 'acme', capsule_id: 'DEVUS', account_id: `a${i}` }));
    lines.push({ type: 'AccountUpdated', tenant_id: 'acme', capsule_id: 'DEVUS', account_id: `a${i}`, name: `n${i}` });
    lines.push(envelope('RoleAssignmentCreated', { tenant_id: 'acme', role: 'admin', user_id: `u${i}` }));
  }
  return lines;
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing; build first: npx tsc -b packages/runtime`);
  mkdirSync(generated, { recursive: true });
});
afterAll(() => rmSync(generated, { recursive: true, force: true }));

describe('isolation-audit (compiled CLI)', () => {
  it("flags the seeds' RoleAssignmentCreated as an error once it is declared capsule-scoped", () => {
    const run = audit(['--format', 'json', '--scope', 'RoleAssignmentCreated=capsule', log('seeds.ndjson', seeds())]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { events: number; findings: { rule: string; severity: string; eventType: string; count: number; lines: number[] }[]; types: { type: string; declaredScope?: string; fields: Record<string, { count: number; types: string[] }> }[] };
    expect(report.events).toBe(90);
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'type-missing-scope-field', severity: 'error', eventType: 'RoleAssignmentCreated', count: 30, lines: [3, 6, 9, 12, 15] }),
      expect.objectContaining({ rule: 'type-undeclared', severity: 'warning', count: 2, lines: [1, 2] }),
    ]);
    expect(report.types.find((type) => type.type === 'AccountCreated')?.fields.capsule_id).toEqual({ count: 30, types: ['string'] });
    expect(report.types.find((type) => type.type === 'RoleAssignmentCreated')?.declaredScope).toBe('capsule');
    const text = audit(['--scope', 'RoleAssignmentCreated=capsule', join(generated, 'seeds.ndjson')]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('error   type-missing-scope-field RoleAssignmentCreated: RoleAssignmentCreated is declared capsule-scoped, but none of its 30 events carries a capsule id (capsuleId/capsule_id)');
    expect(text.stdout).toContain('lines 3, 6, 9, 12, 15, … (30 in all)');
  });

  it('takes an undeclared type with tenant ids but no capsule ids as tenant-scoped: a warning, exit 0 unless --fail-on warning', () => {
    const run = audit(['--format', 'json', join(generated, 'seeds.ndjson')]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: { rule: string; severity: string; eventType: string; message: string }[] };
    expect(report.findings).toEqual([expect.objectContaining({ rule: 'type-missing-scope-field', severity: 'warning', eventType: 'RoleAssignmentCreated' })]);
    expect(report.findings[0]?.message).toBe('RoleAssignmentCreated carries no capsule id (capsuleId/capsule_id) in 30 of 30 events, while 2 of 3 event types do (AccountCreated, AccountUpdated): taken as tenant-scoped. If it is capsule-scoped, its events lack their capsule id; declare its scope (--events <module>, or --scope RoleAssignmentCreated=capsule|tenant) to check it.');
    expect(audit(['--fail-on', 'warning', join(generated, 'seeds.ndjson')]).status).toBe(1);
    const lines = seeds().filter((line) => (line as { type?: string }).type !== 'AccountUpdated');
    expect(audit(['--platform-type', 'RoleAssignmentCreated', log('half.ndjson', lines)]).status).toBe(0);
  });

  it('flags single events missing a field their type carries, and envelopes that disagree with their detail', () => {
    const lines = seeds().slice(0, 9);
    lines.push({ type: 'AccountUpdated', tenant_id: 'acme', account_id: 'x' });
    lines.push(envelope('AccountCreated', { tenant_id: 'acme', capsule_id: 'DEVUS' }, { tenantId: 'globex' }));
    lines.push(envelope('AccountCreated', { tenant_id: 'acme', capsule_id: 'DEVUS' }, { resources: ['arn:aws:crm:us-east-1:1:tenant/globex/capsule/DEVUS'] }));
    lines.push(envelope('AccountCreated', { type: 'AccountDeleted', tenant_id: 'acme', capsule_id: 'DEVUS' }));
    const run = audit(['--format', 'json', log('mixed.ndjson', lines)]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { rule: string; severity: string; eventType: string; lines: number[]; message: string }[] };
    const brief = report.findings.map((finding) => [finding.rule, finding.severity, finding.eventType, finding.lines]);
    expect(brief).toEqual([
      ['event-missing-scope-field', 'warning', 'AccountUpdated', [10]],
      ['type-missing-scope-field', 'warning', 'RoleAssignmentCreated', [3, 6, 9]],
      ['envelope-mismatch', 'error', 'AccountCreated', [11]],
      ['envelope-mismatch', 'error', 'AccountCreated', [12]],
      ['envelope-mismatch', 'error', 'AccountCreated', [13]],
    ]);
    expect(report.findings[2]?.message).toContain('envelope tenantId "globex" differs from the detail\'s tenant id "acme"');
    expect(report.findings[3]?.message).toContain('envelope resources names tenant "globex" but the detail\'s tenant id is "acme"');
    expect(report.findings[4]?.message).toContain('its type "AccountCreated" differs from detail.type "AccountDeleted"');
    // Declared, the same missing capsule id is an error.
    const declared = JSON.parse(audit(['--format', 'json', '--scope', 'AccountUpdated=capsule', join(generated, 'mixed.ndjson')]).stdout) as typeof report;
    expect(declared.findings.find((finding) => finding.eventType === 'AccountUpdated')).toMatchObject({ rule: 'event-missing-scope-field', severity: 'error', lines: [10] });
  });

  it('reports nothing and exits 0 on a clean log, and on empty input', () => {
    const clean = seeds().filter((line) => !JSON.stringify(line).includes('RoleAssignment'));
    const run = audit([log('clean.ndjson', clean)]);
    expect([run.status, run.stdout]).toEqual([0, `${join(generated, 'clean.ndjson')}: 60 events of 2 types in 60 lines; no scopes declared (type findings inferred from the log); 0 malformed lines skipped; 0 finding(s)\n`]);
    expect(audit([log('empty.ndjson', [])]).status).toBe(0);
    expect(audit(['-'], '').stdout).toBe('stdin: 0 events of 0 types in 0 lines; 0 malformed lines skipped; 0 finding(s)\n');
  });

  it('skips malformed lines and a huge line with their line numbers: warnings, exit 0 unless --fail-on warning', () => {
    const clean = seeds().filter((line) => !JSON.stringify(line).includes('RoleAssignment')).slice(0, 4);
    const huge = JSON.stringify({ type: 'AccountCreated', tenant_id: 'acme', capsule_id: 'DEVUS', blob: 'x'.repeat(3 << 20) });
    const file = log('malformed.ndjson', [clean[0] as object, '{not json', '[1,2]', '', huge, '"text"', { detail: 'x' }, { name: 'untyped' }, clean[1] as object]);
    const run = audit(['--format', 'json', file]);
    expect(run.status).toBe(0);
    expect(audit(['--fail-on', 'warning', file]).status).toBe(1);
    const report = JSON.parse(run.stdout) as { events: number; malformed: number; lines: number; findings: { rule: string; message: string; lines: number[] }[] };
    expect([report.events, report.malformed, report.lines]).toEqual([2, 6, 9]);
    expect(report.findings.map((finding) => [finding.rule, finding.message, finding.lines])).toEqual([
      ['malformed-line', '1 line(s) skipped: not valid JSON.', [2]],
      ['malformed-line', '2 line(s) skipped: not a JSON object.', [3, 6]],
      ['malformed-line', `1 line(s) skipped: longer than 1048576 bytes (the longest at least ${Buffer.byteLength(huge)}).`, [5]],
      ['malformed-line', '1 line(s) skipped: an EventBridge event whose detail is not an object.', [7]],
      ['malformed-line', '1 line(s) skipped: an object without a string type field.', [8]],
    ]);
    // The cap is configurable, and a last line without a newline still counts.
    const small = audit(['--max-line-bytes', '100', '-'], `${JSON.stringify({ type: 'A', tenant_id: 'acme' })}\n${JSON.stringify({ type: 'A', pad: 'y'.repeat(200) })}`);
    expect(small.stdout).toContain('longer than 100 bytes (the longest at least 221)');
    expect(small.stdout).toMatch(/\n {8}line 2\n/);
  });

  it('reads stdin with -', () => {
    const run = audit(['-', '--format', 'json', '--scope', 'RoleAssignmentCreated=capsule'], seeds().map((line) => JSON.stringify(line)).join('\r\n'));
    expect(run.status).toBe(1);
    expect((JSON.parse(run.stdout) as { file: string; events: number }).events).toBe(90);
  });

  it('writes SARIF the schema accepts for a log whose path has spaces and a #, with the path encoded', () => {
    mkdirSync(join(generated, 'my logs #1'), { recursive: true });
    const file = join(generated, 'my logs #1', 'events.ndjson');
    writeFileSync(file, `${seeds().map((line) => JSON.stringify(line)).join('\n')}\n`);
    const run = spawnSync(process.execPath, [cli, '--format', 'sarif', '--scope', 'RoleAssignmentCreated=capsule', join('my logs #1', 'events.ndjson')], { cwd: generated, encoding: 'utf8' });
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarifErrors(log)).toBe('');
    expect(log.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('my%20logs%20%231/events.ndjson');
  });

  it('writes SARIF 2.1.0 with line numbers in the log file', () => {
    const file = join(generated, 'seeds.ndjson');
    log('seeds.ndjson', seeds());
    const run = audit(['--format', 'sarif', '--platform-type', 'AccountCreated', '--platform-type', 'AccountUpdated', '--scope', 'RoleAssignmentCreated=capsule', file]);
    expect(run.status).toBe(1);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    const [run0] = sarif.runs;
    expect(run0?.tool.driver.name).toBe('isolation-audit');
    expect(run0?.tool.driver.rules.map((rule) => rule.id)).toContain('type-missing-scope-field');
    expect(run0?.results).toHaveLength(1);
    expect(run0?.results[0]?.ruleId).toBe('type-missing-scope-field');
    expect(run0?.results[0]?.level).toBe('error');
    expect(run0?.results[0]?.locations.map((location) => [location.physicalLocation.artifactLocation.uri, location.physicalLocation.region.startLine])).toEqual([3, 6, 9, 12, 15].map((line) => [relative(process.cwd(), file).split(sep).map(encodeURIComponent).join('/'), line]));
    expect(sarifErrors(sarif)).toBe('');
  });

  it('exits 2 on misuse', () => {
    expect(audit([]).status).toBe(2);
    expect(audit(['a', 'b']).status).toBe(2);
    const format = audit(['--format', 'xml', '-'], '');
    expect([format.status, format.stderr]).toEqual([2, expect.stringContaining('--format must be text, json or sarif, found "xml"')]);
    expect(audit(['--bogus', '-'], '').status).toBe(2);
    expect(audit(['--examples', '0', '-'], '').status).toBe(2);
    expect(audit(['--fail-on', 'info', '-'], '').stderr).toContain('--fail-on must be error or warning, found "info"');
    expect(audit(['--scope', 'RoleAssignmentCreated', '-'], '').stderr).toContain('--scope takes TYPE=SCOPE with SCOPE one of capsule, tenant, platform, found "RoleAssignmentCreated"');
    const twice = audit(['--scope', 'A=tenant', '--platform-type', 'A', '-'], '');
    expect([twice.status, twice.stderr]).toEqual([2, expect.stringContaining('event type "A" is declared tenant-scoped by --scope A=tenant and platform-scoped by --platform-type A')]);
    const missing = audit([join(generated, 'absent.ndjson')]);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining('cannot read')]);
  });
});

describe('the audit engine in process', () => {
  it('splits lines across chunk boundaries, multi-byte characters included, and caps line length', () => {
    const seen: (string | number)[] = [];
    const splitter = new LineSplitter((line, text) => seen.push(`${line}:${text}`), (line, bytes) => seen.push(-line, bytes), 8);
    const bytes = Buffer.from('ab€c\r\n0123456789abc\nxy\n\nlast');
    const cuts = [0, 1, 3, 4, 9, 12, 20, 24, bytes.length]; // 3 splits the 3-byte '€'; 9..20 spans the over-long line
    for (let i = 1; i < cuts.length; i += 1) splitter.push(bytes.subarray(cuts[i - 1], cuts[i]));
    splitter.end();
    expect(seen).toEqual(['1:ab€c', -2, 13, '3:xy', '4:', '5:last']);
  });

  it('keeps bounded aggregates: types, fields per type and example lines are capped', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 50; i += 1) lines.push(JSON.stringify({ type: `T${i % 10}`, tenantId: 'acme', [`f${i}`]: i }));
    const report = await auditStream([lines.join('\n')], { maxTypes: 3, maxFieldsPerType: 2, examples: 2 });
    expect(report.events).toBe(50);
    expect(report.types.map((type) => type.type)).toEqual(['T0', 'T1', 'T2']);
    expect(report.untrackedEvents).toBe(35);
    expect(report.findings.filter((finding) => finding.rule === 'audit-incomplete')).toEqual([expect.objectContaining({ severity: 'warning', count: 35, lines: [4, 5] })]);
    expect(report.types[0]).toMatchObject({ count: 5, fieldsTruncated: true, fields: { type: { count: 5, types: ['string'] }, tenantId: { count: 5, types: ['string'] } } });
    const auditor = new EventAuditor({ examples: 2 });
    for (let line = 1; line <= 1000; line += 1) auditor.line(line, 'oops');
    expect(auditor.report().findings).toEqual([{ rule: 'malformed-line', severity: 'warning', count: 1000, lines: [1, 2], message: '1000 line(s) skipped: not valid JSON.' }]);
  });
});
