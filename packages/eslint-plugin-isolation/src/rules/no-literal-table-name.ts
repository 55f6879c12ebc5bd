import { checkTableName } from '@isolation/core';
import { catalogMeta, createRule } from '../util/create-rule.js';
import { reportViolations } from '../util/report.js';
import { literalString, propertyKeyName, unwrapTypeAssertions } from '../util/values.js';

export default createRule<[], string>({
  name: 'no-literal-table-name',
  meta: {
    ...catalogMeta('no-literal-table-name'),
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    return {
      Property(node) {
        if (node.parent.type !== 'ObjectExpression' || node.computed || propertyKeyName(node.key) !== 'TableName') return;
        const value = literalString(unwrapTypeAssertions(node.value));
        if (value === undefined) return;
        reportViolations(context, checkTableName({ kind: 'known', value }), undefined, node.value);
      },
    };
  },
});
