// Runs every benchmark, prints a table and writes the results to bench/results/<timestamp>.json.
// Usage: npm run bench -- [--entities 2000] [--endpoints 2000] [--runs 5]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lintBenchmarks } from './lint.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '2000' },
    endpoints: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '5' },
  },
});
const count = (name) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number, found ${JSON.stringify(values[name])}`);
  return value;
};

const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
const results = lintBenchmarks({ root, entities: count('entities'), endpoints: count('endpoints'), runs: count('runs') }).map((result) => {
  const ratio = result.oursMs / result.baselineMs;
  return { ...result, ratio, pass: ratio <= result.goal };
});

const rows = [['benchmark', 'ours', 'baseline', 'ratio', 'goal', 'pass'], ...results.map((r) => [r.name, `${r.oursMs.toFixed(0)} ms`, `${r.baselineMs.toFixed(0)} ms`, `${r.ratio.toFixed(3)}×`, `≤ ${r.goal.toFixed(2)}×`, r.pass ? 'yes' : 'NO'])];
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
