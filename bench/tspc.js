// The real `tspc` CLI (ts-patch's live compiler) on a generated typed project, with our program
// transformer in the tsconfig's plugins and without: the same binary both times, so ts-patch's own
// start-up falls on both sides. Each sample is a fresh process, as in CI; variants alternate so drift
// in machine load falls on all of them; medians are compared. Five variants:
//   baseline / ours            — `tspc -p`, type-check and emit JS (and source maps) to out/<variant>;
//   ours-checks                — ours with `keyBuilders: false`: the checks without the code generation;
//   baseline-noEmit / ours-noEmit — the same with `--noEmit`, type-check only.
// Every sample must exit 0 and print nothing: the project compiles clean with and without us.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTypedProject } from './generate.js';

export const COMPILER_OPTIONS = {
  target: 'es2023',
  lib: ['es2023', 'esnext.decorators'],
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  skipLibCheck: true,
  verbatimModuleSyntax: true,
  types: ['node'],
  sourceMap: true,
  rootDir: 'src',
};

const PLUGIN = { transform: '@isolation/ts-transformer-entities', transformProgram: true };

/** Variant → [tsconfig, extra CLI arguments]. */
const VARIANTS = {
  baseline: ['tsconfig.baseline.json', []],
  ours: ['tsconfig.ours.json', []],
  'ours-checks': ['tsconfig.ours-checks.json', []],
  'baseline-noEmit': ['tsconfig.baseline.json', ['--noEmit']],
  'ours-noEmit': ['tsconfig.ours.json', ['--noEmit']],
};

const KEY_BUILDER = 'Symbol.for("isolation.keyBuilder")';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fastest = (values) => Math.min(...values);

function writeProject(dir) {
  const tsconfig = (outDir, plugin) => `${JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, outDir, ...(plugin ? { plugins: [plugin] } : {}) }, include: ['src'] }, null, 2)}\n`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'tspc-bench', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(dir, 'tsconfig.baseline.json'), tsconfig('out/baseline', false));
  writeFileSync(join(dir, 'tsconfig.ours.json'), tsconfig('out/ours', PLUGIN));
  writeFileSync(join(dir, 'tsconfig.ours-checks.json'), tsconfig('out/ours-checks', { ...PLUGIN, keyBuilders: false }));
}

function timeCli(root, dir, variant) {
  const [project, extra] = VARIANTS[variant];
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, 'node_modules/ts-patch/bin/tspc.js'), '-p', project, ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const elapsed = performance.now() - started;
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0 || result.stdout !== '' || result.stderr !== '') {
    throw new Error(`tspc -p ${project} ${extra.join(' ')} (${variant}) exited ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
  }
  return elapsed;
}

/** The plugin really ran on emit and only where configured: key builders in ours, none in the baseline. */
function checkEmit(dir) {
  const count = (variant) => readFileSync(join(dir, 'out', variant, 'g0/m1.js'), 'utf8').split(KEY_BUILDER).length - 1;
  const ours = count('ours');
  const baseline = count('baseline');
  if (ours !== 2 || baseline !== 0) throw new Error(`expected 2 key builders in out/ours/g0/m1.js and none in out/baseline, found ${ours} and ${baseline}`);
}

export function tspcBenchmarks({ root, files, runs }) {
  const dir = join(root, 'bench/generated/tspc');
  const kinds = generateTypedProject(dir, { files });
  writeProject(dir);
  const variants = Object.keys(VARIANTS);
  const samples = Object.fromEntries(variants.map((variant) => [variant, []]));
  for (const variant of variants) timeCli(root, dir, variant); // warm the file system cache, and check every variant compiles
  checkEmit(dir);
  for (let run = 0; run < runs; run += 1) {
    const order = run % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) samples[variant].push(timeCli(root, dir, variant));
  }
  const project = `${files} files: ${kinds.entity} × 2 entities, ${kinds.routes} × 3 endpoints, ${kinds.plain} plain`;
  return [
    { name: `tspc -p, with transformer vs without (${project})`, oursMs: median(samples.ours), baselineMs: median(samples.baseline), oursFastestMs: fastest(samples.ours), baselineFastestMs: fastest(samples.baseline), goal: 1.02, samples: { baseline: samples.baseline, ours: samples.ours } },
    {
      name: `tspc -p, checks only (keyBuilders: false) vs without (${project})`,
      oursMs: median(samples['ours-checks']),
      baselineMs: median(samples.baseline),
      oursFastestMs: fastest(samples['ours-checks']),
      baselineFastestMs: fastest(samples.baseline),
      goal: 1.02,
      samples: { baseline: samples.baseline, ours: samples['ours-checks'] },
    },
    {
      name: `tspc -p --noEmit, with transformer vs without (${project})`,
      oursMs: median(samples['ours-noEmit']),
      baselineMs: median(samples['baseline-noEmit']),
      oursFastestMs: fastest(samples['ours-noEmit']),
      baselineFastestMs: fastest(samples['baseline-noEmit']),
      goal: 1.02,
      samples: { baseline: samples['baseline-noEmit'], ours: samples['ours-noEmit'] },
    },
  ];
}
