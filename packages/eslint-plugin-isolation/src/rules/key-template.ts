import { declarationRule } from '../util/create-rule.js';

export default declarationRule('key-template', { hasSuggestions: false });
