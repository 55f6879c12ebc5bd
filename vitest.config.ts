import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['packages/eslint-plugin-isolation/test/setup.ts'],
    // End-to-end tests start the real eslint and tsc binaries on fixture projects.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
