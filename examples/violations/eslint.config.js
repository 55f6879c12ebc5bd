import isolation from '@isolation/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

// Every finding here is on purpose: these are the mistakes the checks exist to catch.
export default [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, isolation.configs.strict];
