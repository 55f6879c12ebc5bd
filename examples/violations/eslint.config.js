import isolation from '@isolation/eslint-plugin';

// Every finding here is on purpose: these are the mistakes the checks exist to catch.
export default [isolation.configs.strict];
