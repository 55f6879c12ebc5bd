// The real eslint CLI on a generated project, each run a fresh process as in CI, variants alternating
// so drift in machine load falls on all of them; medians are compared. The goal is what users pay:
//   typescript-eslint recommended            — the baseline: a typical TypeScript project's lint;
//   typescript-eslint recommended + ours     — ours on top of it (goal ≤ 1.05×).
// For context: the parser alone, and the parser with one empty rule (what ESLint charges for
// enabling any rule at all), against our recommended config alone.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateProject } from './generate.js';

const CONFIGS = {
  'parser-only': `import tsParser from '@typescript-eslint/parser';
export default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }];
`,
  'empty-rule': `import tsParser from '@typescript-eslint/parser';
const empty = { meta: { schema: [] }, create: () => ({}) };
export default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, { plugins: { bench: { rules: { empty } } }, rules: { 'bench/empty': 'error' } }];
`,
  recommended: `import isolation from '@isolation/eslint-plugin';
export default [isolation.configs.recommended];
`,
  'tseslint-recommended': `import tseslint from 'typescript-eslint';
export default tseslint.config(tseslint.configs.recommended);
`,
  'tseslint-recommended+ours': `import tseslint from 'typescript-eslint';
import isolation from '@isolation/eslint-plugin';
export default tseslint.config(tseslint.configs.recommended, isolation.configs.recommended);
`,
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fastest = (values) => Math.min(...values);

function timeCli(root, dir, variant) {
  const started = performance.now();
  // Exit code 0 is asserted by execFileSync: the generated project must lint clean under every config.
  execFileSync(process.execPath, [join(root, 'node_modules/eslint/bin/eslint.js'), '--config', `${variant}.config.js`, '**/*.ts'], { cwd: dir, stdio: 'pipe' });
  return performance.now() - started;
}

export function lintBenchmarks({ root, entities, endpoints, runs }) {
  const dir = join(root, 'bench/generated/lint');
  const files = generateProject(dir, { entities, endpoints });
  for (const [variant, source] of Object.entries(CONFIGS)) writeFileSync(join(dir, `${variant}.config.js`), source);
  const variants = Object.keys(CONFIGS);
  const samples = Object.fromEntries(variants.map((variant) => [variant, []]));
  for (const variant of variants) timeCli(root, dir, variant); // warm the file system cache
  for (let run = 0; run < runs; run += 1) {
    const order = run % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) samples[variant].push(timeCli(root, dir, variant));
  }
  const project = `${entities} entities + ${endpoints} endpoints, ${files} files`;
  const row = (name, ours, baseline, goal) => ({ name: `${name} (${project})`, oursMs: median(samples[ours]), baselineMs: median(samples[baseline]), oursFastestMs: fastest(samples[ours]), baselineFastestMs: fastest(samples[baseline]), goal, samples });
  return [
    row('eslint CLI, typescript-eslint recommended + ours vs typescript-eslint recommended', 'tseslint-recommended+ours', 'tseslint-recommended', 1.05),
    row('eslint CLI, our recommended vs parser only', 'recommended', 'parser-only', undefined),
    row('eslint CLI, our recommended vs parser + one empty rule', 'recommended', 'empty-rule', undefined),
  ];
}
