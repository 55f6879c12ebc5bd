import { codeRule } from '../util/create-rule.js';

export default codeRule('no-literal-table-name', { needle: 'TableName' });
