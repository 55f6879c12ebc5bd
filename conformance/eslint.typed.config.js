// The conformance cases with type information (the project service finds each file's tsconfig).
import isolation from '@isolation/eslint-plugin';
import { javascript } from './eslint.config.js';

export default [isolation.configs['strict-type-checked'], javascript];
