import { spawnSync } from 'node:child_process';
// The event-log audit (isolation-audit's engine) over a generated log: throughput in events/s on
// one core (in-process engine over a file stream), and flat memory, checked by auditing the whole
// log with the CLI under a 32 MB old-generation heap cap (a 2 MB cap crashes it, so the check can
// fail); the in-process peak RSS growth is reported for information.
// The log (bench/generated/events-<MB>mb.ndjson, reused when present) mixes EventBridge envelopes
// and bare details over 8 event types, one of which lacks the capsule id its siblings carry.
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

function eventLine(next, i) {
  const type = TYPES[i % TYPES.length];
  const tenant = `t${Math.floor(next() * 1000)}`;
  const detail = { type, tenant_id: tenant, ...(type === 'RoleAssignmentCreated' ? {} : { capsule_id: ['DEVUS', 'STGUS', 'PRDUS'][i % 3] }), id: `e${i}`, at: 1_700_000_000_000 + i, amount: Math.floor(next() * 10_000), actor: `u${Math.floor(next() * 50_000)}` };
  return JSON.stringify(i % 2 === 0 ? detail : { version: '0', id: `e${i}`, 'detail-type': type, source: 'crm', time: '2026-01-01T00:00:00Z', detail });
}

async function generate(file, bytes) {
  if (existsSync(file) && statSync(file).size >= bytes) return;
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  const next = random(42);
  let written = 0;
  for (let i = 0; written < bytes; ) {
    const batch = [];
    for (let n = 0; n < 2000; n += 1, i += 1) batch.push(eventLine(next, i));
    const text = `${batch.join('\n')}\n`;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
}

export async function eventsBenchmarks({ root = resolve(dirname(fileURLToPath(import.meta.url)), '..'), sizeMB = 200 } = {}) {
  const file = join(root, 'bench', 'generated', `events-${sizeMB}mb.ndjson`);
  await generate(file, sizeMB * 2 ** 20);
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
  const started = performance.now();
  const report = await auditStream(sampled(createReadStream(file, { highWaterMark: 1 << 20 })));
  const seconds = (performance.now() - started) / 1000;
  peak = Math.max(peak, process.memoryUsage.rss());
  const expected = report.findings.length === 1 && report.findings[0].eventType === 'RoleAssignmentCreated';
  if (!expected) throw new Error(`the audit of the generated log should find RoleAssignmentCreated only; found ${JSON.stringify(report.findings.map((finding) => finding.rule + ' ' + finding.eventType))}`);
  const label = `${(size / 2 ** 20).toFixed(0)} MB, ${report.events.toLocaleString('en-US')} events`;
  // Flat memory, checked the hard way: the CLI audits the whole log with V8's old generation capped far
  // below the log's size; memory that grew with the log would end in an out-of-memory crash.
  const capMB = 32;
  const capped = spawnSync(process.execPath, [`--max-old-space-size=${capMB}`, join(root, 'packages/runtime/dist/events/audit-cli.js'), file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 2 ** 26 });
  const completed = capped.status === 1 && capped.stdout.includes('RoleAssignmentCreated');
  return [
    { name: `events audit throughput, one core (${label})`, kind: 'metric', value: report.events / seconds, unit: 'events/s', goal: 500_000, better: 'higher' },
    { name: `events audit with the heap capped: largest cap that failed, 0 if none (${label})`, kind: 'metric', value: completed ? 0 : capMB, unit: 'MB', goal: 0, better: 'lower' },
    { name: `events audit peak RSS growth, in process (${label})`, kind: 'metric', value: (peak - baseline) / 2 ** 20, unit: 'MB', goal: null, better: 'lower' },
    { name: `events audit read rate (${label})`, kind: 'metric', value: size / 2 ** 20 / seconds, unit: 'MB/s', goal: null, better: 'higher' },
  ];
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'events-size': { type: 'string', default: '200' } } });
  const sizeMB = Number(values['events-size']);
  if (!Number.isInteger(sizeMB) || sizeMB < 1) throw new Error(`--events-size must be a positive whole number of MB, found ${JSON.stringify(values['events-size'])}`);
  for (const row of await eventsBenchmarks({ sizeMB })) console.log(`${row.name}: ${row.value.toFixed(1)} ${row.unit}${row.goal == null ? '' : ` (goal ${row.better === 'higher' ? '≥' : '≤'} ${row.goal})`}`);
}
