import { declarationRule } from '../util/create-rule.js';

export default declarationRule('endpoint-explicit-params', { hasSuggestions: true });
