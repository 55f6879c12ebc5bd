import isolation from '@isolation/eslint-plugin';

export default [
  // dist/ is the demo's tspc build of this app.
  { ignores: ['dist/**'] },
  isolation.configs.strict,
  {
    // Our configs lint TypeScript files only; an override must say so too.
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      // The platform folder is where AWS clients are built and settings enter the app.
      '@isolation/no-adhoc-aws-client': ['error', { allow: ['src/platform/**'] }],
      '@isolation/no-env-config': ['error', { allow: ['src/platform/**'] }],
    },
  },
];
