// The conformance cases without type information: the strict rules on TypeScript, and the same
// rules on the plain JavaScript cases (our configs lint TypeScript files only).
import isolation from '@isolation/eslint-plugin';

export const javascript = {
  files: ['src/js/**/*.js'],
  plugins: { '@isolation': isolation },
  rules: isolation.configs.strict.rules,
};

export default [isolation.configs.strict, javascript];
