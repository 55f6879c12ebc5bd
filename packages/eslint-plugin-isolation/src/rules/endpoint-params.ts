import { checkEndpointParams } from '@isolation/core';
import { catalogMeta, createRule, MODULES_OPTION } from '../util/create-rule.js';
import { endpointRule } from '../util/declaration-rule.js';

export type Options = [{ modules?: string[] }];

export default createRule<Options, string>({
  name: 'endpoint-params',
  meta: {
    ...catalogMeta('endpoint-params'),
    hasSuggestions: true,
    schema: [{ type: 'object', properties: { modules: MODULES_OPTION }, additionalProperties: false }],
    defaultOptions: [{ modules: [] }],
  },
  create: (context, [options]) => endpointRule(context, options, checkEndpointParams),
});
