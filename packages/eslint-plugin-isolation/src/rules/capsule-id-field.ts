import { checkCapsuleIdField } from '@isolation/core';
import { catalogMeta, createRule, MODULES_OPTION, TYPE_AWARE_OPTION } from '../util/create-rule.js';
import { classRule } from '../util/declaration-rule.js';

export type Options = [{ modules?: string[]; typeAware?: boolean }];

export default createRule<Options, string>({
  name: 'capsule-id-field',
  meta: {
    ...catalogMeta('capsule-id-field'),
    hasSuggestions: true,
    schema: [{ type: 'object', properties: { modules: MODULES_OPTION, typeAware: TYPE_AWARE_OPTION }, additionalProperties: false }],
    defaultOptions: [{ modules: [], typeAware: false }],
  },
  create: (context, [options]) => classRule(context, options, 'entity', checkCapsuleIdField),
});
