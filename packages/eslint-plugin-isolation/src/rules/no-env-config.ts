import type { TSESTree } from '@typescript-eslint/utils';
import { findVariable } from '@typescript-eslint/utils/ast-utils';
import { checkEnvRead } from '@isolation/core';
import { ALLOW_OPTION, catalogMeta, createRule } from '../util/create-rule.js';
import { reportViolations } from '../util/report.js';
import { propertyKeyName } from '../util/values.js';

export type Options = [{ allow?: string[] }];

export default createRule<Options, string>({
  name: 'no-env-config',
  meta: {
    ...catalogMeta('no-env-config'),
    schema: [{ type: 'object', properties: { allow: ALLOW_OPTION }, additionalProperties: false }],
    defaultOptions: [{ allow: [] }],
  },
  create(context, [{ allow = [] }]) {
    return {
      MemberExpression(node: TSESTree.MemberExpression) {
        if (node.object.type !== 'Identifier' || node.object.name !== 'process') return;
        const property = node.computed ? (node.property.type === 'Literal' ? propertyKeyName(node.property) : undefined) : propertyKeyName(node.property);
        if (property !== 'env') return;
        // A local `process` (a parameter, an import) is not the global one.
        const variable = findVariable(context.sourceCode.getScope(node.object), 'process');
        if (variable !== null && variable.defs.length > 0) return;
        reportViolations(context, checkEnvRead({ filename: context.filename, cwd: context.cwd }, { allow }), undefined, node);
      },
    };
  },
});
