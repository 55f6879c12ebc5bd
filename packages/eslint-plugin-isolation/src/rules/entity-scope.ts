import { checkEntityScope } from '@isolation/core';
import { catalogMeta, createRule, MODULES_OPTION } from '../util/create-rule.js';
import { classRule } from '../util/declaration-rule.js';

export type Options = [{ modules?: string[] }];

export default createRule<Options, string>({
  name: 'entity-scope',
  meta: {
    ...catalogMeta('entity-scope'),
    hasSuggestions: false,
    schema: [{ type: 'object', properties: { modules: MODULES_OPTION }, additionalProperties: false }],
    defaultOptions: [{ modules: [] }],
  },
  create: (context, [options]) => classRule(context, options, 'entity', checkEntityScope),
});
