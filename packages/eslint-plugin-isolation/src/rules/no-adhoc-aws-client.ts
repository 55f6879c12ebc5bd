import type { TSESTree } from '@typescript-eslint/utils';
import { findVariable } from '@typescript-eslint/utils/ast-utils';
import { checkAwsClientConstruction, type ClientConstruction } from '@isolation/core';
import { ALLOW_OPTION, catalogMeta, createRule } from '../util/create-rule.js';
import { importBindings, type ImportedBinding } from '../util/imports.js';
import { reportViolations } from '../util/report.js';

export type Options = [{ allow?: string[] }];

const AWS_MODULE = /^@aws-sdk\//;

export default createRule<Options, string>({
  name: 'no-adhoc-aws-client',
  meta: {
    ...catalogMeta('no-adhoc-aws-client'),
    schema: [{ type: 'object', properties: { allow: ALLOW_OPTION }, additionalProperties: false }],
    defaultOptions: [{ allow: [] }],
  },
  create(context, [{ allow = [] }]) {
    const bindings = new Map<string, ImportedBinding>();
    for (const binding of importBindings(context.sourceCode.ast, (module) => AWS_MODULE.test(module))) bindings.set(binding.local, binding);
    if (bindings.size === 0) return {};

    /** The AWS export a callee names, if it is an import binding that nothing shadows. */
    const resolve = (callee: TSESTree.Node): { binding: ImportedBinding; exported: string } | undefined => {
      const local = callee.type === 'Identifier' ? callee : callee.type === 'MemberExpression' && callee.object.type === 'Identifier' ? callee.object : undefined;
      const binding = local === undefined ? undefined : bindings.get(local.name);
      if (local === undefined || binding === undefined) return undefined;
      const variable = findVariable(context.sourceCode.getScope(local), local.name);
      if (variable?.defs[0]?.type !== 'ImportBinding') return undefined;
      if (binding.imported !== '*') return local === callee ? { binding, exported: binding.imported } : undefined;
      if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined;
      return { binding, exported: callee.property.name };
    };

    const check = (node: TSESTree.Node, construction: ClientConstruction): void => {
      reportViolations(context, checkAwsClientConstruction(construction, { filename: context.filename, cwd: context.cwd }, { allow }), undefined, node);
    };

    return {
      NewExpression(node) {
        const found = resolve(node.callee);
        if (found !== undefined) check(node, { form: 'new', className: found.exported, module: found.binding.module });
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'from') return;
        const found = resolve(callee.object);
        if (found !== undefined) check(node, { form: 'from', className: found.exported, module: found.binding.module });
      },
    };
  },
});
