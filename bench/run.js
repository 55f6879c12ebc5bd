// Runs every benchmark, prints a table and writes the results to bench/results/<timestamp>.json.
// Usage: npm run bench -- [--only lint|tspc|check|types|runtime|config|events] [--entities 2000] [--endpoints 2000] [--files 1500] [--runs 5]
//   --only      run one group: lint (eslint CLI), tspc (the compiler with our transformer), check (isolation-check), types (tsc 6 and 7 with the typed decorator signatures), runtime (guard and client cache), config (config cache) or events (event-log audit); default all
//   --events-size  MB of generated event log for the audit benchmark (200; 1024 for the 1 GB run)
//   --entities, --endpoints  size of the lint project; --files  size of the tspc and types project
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkBenchmarks } from './check.js';
import { configBenchmarks } from './config.js';
import { eventsBenchmarks } from './events.js';
import { lintBenchmarks } from './lint.js';
import { runtimeBenchmarks } from './runtime.js';
import { tspcBenchmarks } from './tspc.js';
import { typesBenchmarks } from './types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    entities: { type: 'string', default: '2000' },
    endpoints: { type: 'string', default: '2000' },
    files: { type: 'string', default: '1500' },
    'events-size': { type: 'string', default: '200' },
    runs: { type: 'string', default: '5' },
  },
});
const count = (name) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number, found ${JSON.stringify(values[name])}`);
  return value;
};

const GROUPS = {
  lint: () => lintBenchmarks({ root, entities: count('entities'), endpoints: count('endpoints'), runs: count('runs') }),
  tspc: () => tspcBenchmarks({ root, files: count('files'), runs: count('runs') }),
  check: () => checkBenchmarks({ root, runs: count('runs') }),
  types: () => typesBenchmarks({ root, files: count('files'), runs: count('runs') }),
  runtime: () => runtimeBenchmarks(),
  config: () => configBenchmarks(),
  events: () => eventsBenchmarks({ root, sizeMB: count('events-size') }),
};
if (values.only !== undefined && !Object.hasOwn(GROUPS, values.only)) throw new Error(`--only must be one of ${Object.keys(GROUPS).join(', ')}, found ${JSON.stringify(values.only)}`);
const groups = values.only === undefined ? Object.keys(GROUPS) : [values.only];

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
const measured = [];
for (const group of groups) measured.push(...(await GROUPS[group]()));
const results = measured.map((result) => {
  // A metric row is a measured value against an absolute goal (none for informational rows).
  if (result.kind === 'metric') return { ...result, pass: result.goal == null || (result.better === 'higher' ? result.value >= result.goal : result.value <= result.goal) };
  // An overhead row compares absolute time per operation with its goal, in microseconds.
  if (result.kind === 'overhead') return { ...result, overheadUs: result.oursUs - result.baselineUs, pass: result.oursUs - result.baselineUs <= result.goalUs };
  const ratio = result.oursMs / result.baselineMs;
  // Load on a shared machine only ever adds time: the fastest samples show the cost with the least noise.
  const fastestRatio = result.oursFastestMs / result.baselineFastestMs;
  // Context rows carry no goal.
  return { ...result, ratio, fastestRatio, pass: result.goal == null || ratio <= result.goal };
});

const rows = [
  ['benchmark', 'ours (median)', 'baseline (median)', 'ratio', 'ratio of fastest', 'goal', 'pass'],
  ...results.map((r) =>
    r.kind === 'metric'
      ? [r.name, `${r.value.toFixed(r.unit === '%' ? 4 : 3)} ${r.unit}`, '', '', '', r.goal == null ? '—' : `${r.better === 'higher' ? '≥' : '≤'} ${r.goal} ${r.unit}`, r.goal == null ? '—' : r.pass ? 'yes' : 'NO']
      : r.kind === 'overhead'
      ? [r.name, `${r.oursUs.toFixed(2)} µs`, `${r.baselineUs.toFixed(2)} µs`, `+${r.overheadUs.toFixed(2)} µs`, '', `≤ +${r.goalUs} µs`, r.pass ? 'yes' : 'NO']
      : [r.name, formatMs(r.oursMs), formatMs(r.baselineMs), `${r.ratio.toFixed(3)}×`, `${r.fastestRatio.toFixed(3)}×`, r.goal == null ? '—' : `≤ ${r.goal.toFixed(2)}×`, r.goal == null ? '—' : r.pass ? 'yes' : 'NO'],
  ),
];
function formatMs(ms) {
  return ms >= 1 ? `${ms.toFixed(0)} ms` : `${(ms * 1e6).toFixed(1)} ns`;
}
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
for (const [index, row] of rows.entries()) {
  console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
  if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
}
console.log(`\nmachine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}`);

mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, 'bench/results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`);
console.log(`results: ${file}`);
process.exitCode = results.every((result) => result.pass) ? 0 : 1;
