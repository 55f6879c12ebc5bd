import { declarationRule } from '../util/create-rule.js';

export default declarationRule('entity-scope', { hasSuggestions: false });
