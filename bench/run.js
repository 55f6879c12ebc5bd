// Runs every benchmark, prints a table and writes the results to bench/results/<timestamp>.json.
// Usage: npm run bench -- [--only lint|tspc] [--entities 2000] [--endpoints 2000] [--files 1500] [--runs 5]
//   --only      run one group: lint (eslint CLI) or tspc (the compiler with our transformer); default all
//   --entities, --endpoints  size of the lint project; --files  size of the tspc project
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lintBenchmarks } from './lint.js';
import { tspcBenchmarks } from './tspc.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    entities: { type: 'string', default: '2000' },
    endpoints: { type: 'string', default: '2000' },
    files: { type: 'string', default: '1500' },
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
};
if (values.only !== undefined && !Object.hasOwn(GROUPS, values.only)) throw new Error(`--only must be one of ${Object.keys(GROUPS).join(', ')}, found ${JSON.stringify(values.only)}`);
const groups = values.only === undefined ? Object.keys(GROUPS) : [values.only];

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
const results = groups.flatMap((group) => GROUPS[group]()).map((result) => {
  const ratio = result.oursMs / result.baselineMs;
  // Load on a shared machine only ever adds time: the fastest samples show the cost with the least noise.
  const fastestRatio = result.oursFastestMs / result.baselineFastestMs;
  return { ...result, ratio, fastestRatio, pass: ratio <= result.goal };
});

const rows = [
  ['benchmark', 'ours (median)', 'baseline (median)', 'ratio', 'ratio of fastest', 'goal', 'pass'],
  ...results.map((r) => [r.name, `${r.oursMs.toFixed(0)} ms`, `${r.baselineMs.toFixed(0)} ms`, `${r.ratio.toFixed(3)}×`, `${r.fastestRatio.toFixed(3)}×`, `≤ ${r.goal.toFixed(2)}×`, r.pass ? 'yes' : 'NO']),
];
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
