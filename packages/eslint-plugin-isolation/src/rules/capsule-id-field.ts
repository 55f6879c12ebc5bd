import { declarationRule } from '../util/create-rule.js';

export default declarationRule('capsule-id-field', { hasSuggestions: true });
