import rule from '../../src/rules/no-literal-table-name.js';
import { ruleTester } from '../rule-tester.js';

ruleTester.run('no-literal-table-name', rule, {
  valid: [
    `send(new GetCommand({ TableName: scope.table('crm_data'), Key: keys }));`,
    `const { TableName } = input;`,
    `const params = { TableName: tables.crm };`,
    `const params = { tableName: 'crm_data' };`,
  ],
  invalid: [
    {
      code: `send(new GetCommand({ TableName: 'crm_data', Key: keys }));`,
      errors: [{ messageId: 'literalTableName', data: { name: 'crm_data' }, line: 1, column: 34, endColumn: 44 }],
    },
    {
      code: "const params = { 'TableName': `orders`, Item: item };",
      errors: [{ messageId: 'literalTableName', data: { name: 'orders' }, line: 1, column: 31 }],
    },
  ],
});
