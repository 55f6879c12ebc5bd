import { spawnSync } from 'node:child_process';
// The event-log audit (isolation-audit's engine) over a generated log: throughput in events/s on
// one core (in-process engine over a file stream; the fastest of 3 runs, since load on a shared
// machine only ever adds time), and flat memory, checked by auditing the whole log with the CLI
// under a 32 MB old-generation heap cap (a 2 MB cap crashes it, so the check can fail); the
// in-process peak RSS growth is reported for information.
// The log (bench/generated/events-<MB>mb.ndjson, reused when present) mixes EventBridge envelopes
// and bare details over 8 capsule-scoped event types (declared so), one of which lacks the capsule id.
// Hostile input, the same way: a log of lines built to blow up an unbounded audit (100,000-character
// detail-types with 4,000 foreign resources, 1,000 distinct 20,000-character types, 20,000-character
// keys, control characters) between benign events, audited by the CLI under the same 32 MB heap cap;
// its time is reported against the benign log's per MB (before the bounds, one such line took 120 s).
// Size: eventsBenchmarks({ sizeMB }) — 200 MB by default; the issue's 1 GB run is sizeMB: 1024.
// Standalone: node bench/events.js [--events-size MB]
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { auditStream } from '@isolation/runtime/events';
import { random } from './generate.js';

const TYPES = ['AccountCreated', 'AccountUpdated', 'ContactAdded', 'DealWon', 'InvoiceIssued', 'InvoicePaid', 'TaskCompleted', 'RoleAssignmentCreated'];
/** Every type is capsule-scoped: declared, RoleAssignmentCreated's missing capsule id is an error. */
const SCOPES = Object.fromEntries(TYPES.map((type) => [type, 'capsule']));
const SCOPE_ARGS = TYPES.flatMap((type) => ['--scope', `${type}=capsule`]);
const HEAP_CAP_MB = 32;

function eventLine(next, i) {
  const type = TYPES[i % TYPES.length];
  const tenant = `t${Math.floor(next() * 1000)}`;
  const detail = { type, tenant_id: tenant, ...(type === 'RoleAssignmentCreated' ? {} : { capsule_id: ['DEVUS', 'STGUS', 'PRDUS'][i % 3] }), id: `e${i}`, at: 1_700_000_000_000 + i, amount: Math.floor(next() * 10_000), actor: `u${Math.floor(next() * 50_000)}` };
  return JSON.stringify(i % 2 === 0 ? detail : { version: '0', id: `e${i}`, 'detail-type': type, source: 'crm', time: '2026-01-01T00:00:00Z', detail });
}

/** Hostile lines, in turn: a huge type with thousands of foreign resources, a distinct long type, long keys, control characters. */
function hostileLine(i) {
  switch (i % 4) {
    case 0:
      return JSON.stringify({ 'detail-type': `H${i}`.padEnd(100_000, 'T'), source: 'crm', resources: Array.from({ length: 4000 }, (_, r) => `tenant/other${r}`), detail: { tenant_id: 'acme', capsule_id: 'DEVUS' } });
    case 1:
      return JSON.stringify({ type: `${i}`.padEnd(20_000, 'x'), tenant_id: 'acme', ...(i % 8 === 1 ? { capsule_id: 'DEVUS' } : {}) });
    case 2:
      return JSON.stringify({ type: 'Wide', tenant_id: 'acme', capsule_id: 'DEVUS', ...Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`${i}-${k}`.padEnd(20_000, 'k'), k])) });
    default:
      return JSON.stringify({ 'detail-type': `Evil\u001b[2J${i}\n`, resources: ['tenant/\u001b]0;x\u0007'], detail: { tenant_id: 'acme' } });
  }
}

/** Writes about `bytes` of lines made by `makeLine(i)`, once; reused when present. */
async function generate(file, bytes, makeLine) {
  if (existsSync(file) && statSync(file).size >= bytes) return;
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  let written = 0;
  for (let i = 0; written < bytes; ) {
    const batch = [];
    for (let n = 0; n < 2000 && written < bytes; n += 1, i += 1) {
      const line = makeLine(i);
      written += Buffer.byteLength(line) + 1;
      batch.push(line);
    }
    if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
}

/** The CLI over `file` with the old generation capped: its exit status, output and seconds. */
function cappedCli(root, file, args) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, join(root, 'packages/runtime/dist/events/audit-cli.js'), file, '--format', 'json', ...args], { encoding: 'utf8', maxBuffer: 2 ** 28 });
  return { ...run, seconds: (performance.now() - started) / 1000 };
}

/** The hostile log audited under the heap cap, against the benign log's time per MB. */
async function hostileBenchmarks(root, benign) {
  const file = join(root, 'bench', 'generated', 'events-hostile-64mb.ndjson');
  const next = random(7);
  // One hostile line in 50, the rest benign.
  await generate(file, 64 * 2 ** 20, (i) => (i % 50 === 0 ? hostileLine(i / 50) : eventLine(next, i)));
  const sizeMB = statSync(file).size / 2 ** 20;
  const run = cappedCli(root, file, SCOPE_ARGS);
  const report = run.status === 1 ? JSON.parse(run.stdout) : undefined;
  // Finished, found the mismatches, and kept what it reports small (names clipped to 256 characters).
  const bounded = report !== undefined && report.findings.some((finding) => finding.rule === 'envelope-mismatch') && Math.max(...report.types.map((type) => type.type.length)) <= 256 && run.stdout.length < 16 * 2 ** 20;
  const label = `${sizeMB.toFixed(0)} MB, 1 line in 50 hostile`;
  return [
    { name: `events audit of a hostile log with the heap capped: largest cap that failed, 0 if none (${label})`, kind: 'metric', value: bounded ? 0 : HEAP_CAP_MB, unit: 'MB', goal: 0, better: 'lower' },
    { name: `events audit of a hostile log, CLI time per MB relative to the benign log's (${label})`, kind: 'metric', value: run.seconds / sizeMB / (benign.seconds / benign.sizeMB), unit: '×', goal: 3, better: 'lower' },
    { name: `events audit of a hostile log, CLI time (${label})`, kind: 'metric', value: run.seconds, unit: 's', goal: null, better: 'lower' },
  ];
}

export async function eventsBenchmarks({ root = resolve(dirname(fileURLToPath(import.meta.url)), '..'), sizeMB = 200 } = {}) {
  const file = join(root, 'bench', 'generated', `events-${sizeMB}mb.ndjson`);
  const next = random(42);
  await generate(file, sizeMB * 2 ** 20, (i) => eventLine(next, i));
  const size = statSync(file).size;
  globalThis.gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  let chunks = 0;
  async function* sampled(stream) {
    for await (const chunk of stream) {
      if ((chunks += 1) % 8 === 0) peak = Math.max(peak, process.memoryUsage.rss());
      yield chunk;
    }
  }
  let seconds = Infinity;
  let cpuSeconds = Infinity;
  let report;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    report = await auditStream(sampled(createReadStream(file, { highWaterMark: 1 << 20 })), { scopes: SCOPES });
    const used = process.cpuUsage(cpu);
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
    cpuSeconds = Math.min(cpuSeconds, (used.user + used.system) / 1e6);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  const expected = report.findings.length === 1 && report.findings[0].eventType === 'RoleAssignmentCreated' && report.findings[0].severity === 'error';
  if (!expected) throw new Error(`the audit of the generated log should find RoleAssignmentCreated only; found ${JSON.stringify(report.findings.map((finding) => finding.rule + ' ' + finding.eventType))}`);
  const label = `${(size / 2 ** 20).toFixed(0)} MB, ${report.events.toLocaleString('en-US')} events`;
  // Flat memory, checked the hard way: the CLI audits the whole log with V8's old generation capped far
  // below the log's size; memory that grew with the log would end in an out-of-memory crash.
  const capped = cappedCli(root, file, SCOPE_ARGS);
  const completed = capped.status === 1 && capped.stdout.includes('RoleAssignmentCreated');
  return [
    { name: `events audit throughput, one core (${label})`, kind: 'metric', value: report.events / seconds, unit: 'events/s', goal: 500_000, better: 'higher' },
    { name: `events audit with the heap capped: largest cap that failed, 0 if none (${label})`, kind: 'metric', value: completed ? 0 : HEAP_CAP_MB, unit: 'MB', goal: 0, better: 'lower' },
    // The process's CPU time (every thread, GC and file reads included): what a loaded machine's wall clock cannot show.
    { name: `events audit throughput per CPU second of all threads, in process (${label})`, kind: 'metric', value: report.events / cpuSeconds, unit: 'events/s', goal: null, better: 'higher' },
    { name: `events audit peak RSS growth, in process (${label})`, kind: 'metric', value: (peak - baseline) / 2 ** 20, unit: 'MB', goal: null, better: 'lower' },
    { name: `events audit read rate (${label})`, kind: 'metric', value: size / 2 ** 20 / seconds, unit: 'MB/s', goal: null, better: 'higher' },
    ...(await hostileBenchmarks(root, { seconds: capped.seconds, sizeMB: size / 2 ** 20 })),
  ];
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'events-size': { type: 'string', default: '200' } } });
  const sizeMB = Number(values['events-size']);
  if (!Number.isInteger(sizeMB) || sizeMB < 1) throw new Error(`--events-size must be a positive whole number of MB, found ${JSON.stringify(values['events-size'])}`);
  for (const row of await eventsBenchmarks({ sizeMB })) console.log(`${row.name}: ${row.value.toFixed(1)} ${row.unit}${row.goal == null ? '' : ` (goal ${row.better === 'higher' ? '≥' : '≤'} ${row.goal})`}`);
}
