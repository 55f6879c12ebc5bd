import { declarationRule } from '../util/create-rule.js';

export default declarationRule('event-scope-fields', { hasSuggestions: true });
