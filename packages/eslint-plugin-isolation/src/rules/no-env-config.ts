import { codeRule } from '../util/create-rule.js';

export default codeRule('no-env-config', { needle: 'env' });
