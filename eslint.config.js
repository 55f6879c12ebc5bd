// The repository lints itself with typescript-eslint and with its own plugin (built to dist first).
import isolation from '@isolation/eslint-plugin';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      // Examples carry their own eslint.config.js; examples/violations must fail on purpose.
      'examples/**',
      // The conformance cases carry their own configs and fail on purpose (test/conformance.test.ts).
      'conformance/**',
      'bench/generated/**',
      // A fixture project with its own TypeScript 5.9 install; one of its files fails on purpose.
      'packages/ts-transformer-entities/test/compat-ts59/**',
      'packages/ts-transformer-entities/test/.generated/**',
      'bench/results/**',
      '**/test/fixtures/**',
      '**/test/.tmp/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
  },
  {
    ...isolation.configs.strict,
    // Our configs lint TypeScript; this repository's scripts and benchmarks are JavaScript.
    files: ['**/*.ts', '**/*.js'],
    rules: {
      ...isolation.configs.strict.rules,
      // Tools, tests, benchmarks and the config service (its one env read) are where environment settings enter.
      '@isolation/no-env-config': ['error', { allow: ['bench/**', 'scripts/**', 'test/**', '**/test/**', 'packages/runtime/src/config/service.ts'] }],
      // The factory is where clients are made; tests, benchmarks and the demo's table setup build raw clients on purpose.
      '@isolation/no-adhoc-aws-client': ['error', { allow: ['packages/runtime/src/aws/**', 'bench/**', 'scripts/**', '**/test/**'] }],
    },
  },
  {
    // Tests seed and read tables directly, with unguarded clients, to check what the guard protects.
    files: ['**/test/**'],
    rules: { '@isolation/no-literal-table-name': 'off' },
  },
);
