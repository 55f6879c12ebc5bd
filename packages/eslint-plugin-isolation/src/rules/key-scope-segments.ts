import { declarationRule } from '../util/create-rule.js';

export default declarationRule('key-scope-segments', { hasSuggestions: true });
