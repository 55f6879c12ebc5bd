import { checkKeyTemplate } from '@isolation/core';
import { catalogMeta, createRule, MODULES_OPTION, TYPE_AWARE_OPTION } from '../util/create-rule.js';
import { classRule } from '../util/declaration-rule.js';

export type Options = [{ modules?: string[]; typeAware?: boolean }];

export default createRule<Options, string>({
  name: 'key-template',
  meta: {
    ...catalogMeta('key-template'),
    hasSuggestions: false,
    schema: [{ type: 'object', properties: { modules: MODULES_OPTION, typeAware: TYPE_AWARE_OPTION }, additionalProperties: false }],
    defaultOptions: [{ modules: [], typeAware: false }],
  },
  create: (context, [options]) => classRule(context, options, 'entity', checkKeyTemplate),
});
