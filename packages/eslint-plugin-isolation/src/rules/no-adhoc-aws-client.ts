import { codeRule } from '../util/create-rule.js';

export default codeRule('no-adhoc-aws-client', { needle: '@aws-sdk/' });
