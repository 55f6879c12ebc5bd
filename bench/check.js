// `isolation-check` (parse-only, the default) against `tsc --noEmit` on the generated typed project
// of the tspc benchmark (bench/generated/tspc, written by bench/tspc.js through generateTypedProject;
// generated here with the same compiler options when missing). Both run the same tsconfig, as fresh
// processes of the same Node, alternating so drift in machine load falls on both; medians are
// compared. Goal: the check costs at most a quarter of a type check. Every sample must exit 0: the
// project is clean for the type checker and for our rules.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTypedProject } from './generate.js';
import { COMPILER_OPTIONS } from './tspc.js';

const FILES = 1500;
const TSCONFIG = 'tsconfig.baseline.json';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fastest = (values) => Math.min(...values);

function ensureProject(dir) {
  if (existsSync(join(dir, TSCONFIG)) && existsSync(join(dir, 'src'))) return;
  generateTypedProject(dir, { files: FILES });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'tspc-bench', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(dir, TSCONFIG), `${JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, outDir: 'out/baseline' }, include: ['src'] }, null, 2)}\n`);
}

function time(dir, name, script, args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [script, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const elapsed = performance.now() - started;
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0) throw new Error(`${name} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
  return elapsed;
}

export function checkBenchmarks({ root, runs }) {
  const dir = join(root, 'bench/generated/tspc');
  ensureProject(dir);
  const variants = {
    ours: () => time(dir, 'isolation-check', join(root, 'packages/ts-transformer-entities/dist/cli/check.js'), ['-p', TSCONFIG, '--format', 'json']),
    baseline: () => time(dir, 'tsc', join(root, 'node_modules/typescript/bin/tsc'), ['--noEmit', '-p', TSCONFIG]),
  };
  const samples = { ours: [], baseline: [] };
  for (const sample of Object.values(variants)) sample(); // warm the file system cache, and check both exit 0
  for (let run = 0; run < runs; run += 1) {
    const order = run % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
    for (const variant of order) samples[variant].push(variants[variant]());
  }
  return [
    {
      name: `isolation-check (parse-only) vs tsc --noEmit (${FILES}-file typed project)`,
      oursMs: median(samples.ours),
      baselineMs: median(samples.baseline),
      oursFastestMs: fastest(samples.ours),
      baselineFastestMs: fastest(samples.baseline),
      goal: 0.25,
      samples,
    },
  ];
}
