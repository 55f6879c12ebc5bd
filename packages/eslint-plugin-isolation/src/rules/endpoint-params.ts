import { declarationRule } from '../util/create-rule.js';

export default declarationRule('endpoint-params', { hasSuggestions: true });
