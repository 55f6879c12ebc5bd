import isolation from '@isolation/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

export default [
  // dist/ is the demo's tspc build of this app.
  { ignores: ['dist/**'] },
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  isolation.configs.strict,
  {
    rules: {
      // The platform folder is where AWS clients are built and settings enter the app.
      '@isolation/no-adhoc-aws-client': ['error', { allow: ['src/platform/**'] }],
      '@isolation/no-env-config': ['error', { allow: ['src/platform/**'] }],
    },
  },
];
