import rule from '../../src/rules/no-literal-table-name.js';
import { ruleTester } from '../rule-tester.js';

const LIB = "import { GetCommand, PutCommand, TransactWriteCommand, type GetCommandInput } from '@aws-sdk/lib-dynamodb';\n";
const LOW = "import { GetItemCommand, DynamoDB } from '@aws-sdk/client-dynamodb';\n";

ruleTester.run('no-literal-table-name', rule, {
  valid: [
    `${LIB}send(new GetCommand({ TableName: scope.table('crm_data'), Key: keys }));`,
    `const { TableName } = input;`,
    `const params = { TableName: tables.crm };`,
    `const params = { tableName: 'crm_data' };`,
    // Not requests: test expectations, mocked responses, fixtures and plain objects.
    `expect(sent.input).toEqual({ TableName: 'crm_data', Key: { pk: 'a' } });`,
    `mock.mockResolvedValue({ Table: { TableName: 'crm_data', ItemCount: 3 } });`,
    "const params = { 'TableName': `orders`, Item: item };",
    `const expected = [{ TableName: 'crm_data' }];`,
    // An HTTP client's put takes a path first: its body is no DynamoDB request.
    `http.put('/admin/tables', { TableName: 'orders' });`,
    // A const that is never sent is a fixture.
    `${LIB}const fixture = { TableName: 'crm_data' };
expect(sent).toEqual(fixture);`,
    // A command of another module, or a local class named like one.
    `import { GetCommand } from './commands'; new GetCommand({ TableName: 'crm_data' });`,
    `${LIB}function f(GetCommand: any) { return new GetCommand({ TableName: 'crm_data' }); }`,
    // A template literal with a substitution is computed.
    "import { GetCommand } from '@aws-sdk/lib-dynamodb'; new GetCommand({ TableName: `${stage}_crm_data` });",
  ],
  invalid: [
    {
      // A physical name (`<capsule>.<logical>`) pins one capsule's table; the fix names the logical one.
      code: `${LIB}send(new GetCommand({ TableName: 'DEV.platform_data', Key: keys }));`,
      errors: [{ messageId: 'physicalTableName', data: { name: 'DEV.platform_data', owner: 'DEV', logical: 'platform_data' }, line: 2, column: 34 }],
    },
    {
      // A request built in a const and then sent, a paginator's input, and a spread into a request.
      code: `${LIB}import { paginateQuery } from '@aws-sdk/lib-dynamodb';
const params = { TableName: 'crm_data', Key: keys };
await client.send(new GetCommand(params));
const query = { TableName: 'crm_data' };
await document.query(query);
paginateQuery({ client }, { TableName: 'crm_data', KeyConditionExpression: 'pk = :p' });
new GetCommand({ ...{ TableName: 'crm_data' }, Key: keys });`,
      errors: [
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 3, column: 29 },
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 5, column: 28 },
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 7, column: 40 },
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 8, column: 34 },
      ],
    },
    {
      code: `${LIB}send(new GetCommand({ TableName: 'crm_data', Key: keys }));`,
      errors: [{ messageId: 'literalTableName', data: { name: 'crm_data' }, line: 2, column: 34, endColumn: 44 }],
    },
    {
      // Wrapped in `as`, `satisfies` or parentheses, and written as a template without substitutions.
      code: `${LIB}await client.send(new PutCommand({ TableName: ('orders' as string), Item: item }));\nnew GetCommand({ TableName: \`orders\` satisfies string, Key: k });`,
      errors: [
        { messageId: 'literalTableName', data: { name: 'orders' }, line: 2, column: 47 },
        { messageId: 'literalTableName', data: { name: 'orders' }, line: 3, column: 29 },
      ],
    },
    {
      // Nested in a transaction's items.
      code: `${LIB}new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'crm_data', Item: item } }] });`,
      errors: [{ messageId: 'literalTableName', data: { name: 'crm_data' }, line: 2, column: 64 }],
    },
    {
      // An object typed as a request input, and a client operation's argument.
      code: `${LIB}const input: GetCommandInput = { TableName: 'crm_data', Key: keys };\ndocument.get({ TableName: 'crm_data', Key: keys });`,
      errors: [
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 2, column: 45 },
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 3, column: 27 },
      ],
    },
    {
      // The low-level client, through a namespace import and an aggregated client's method.
      code: `${LOW}import * as ddb from '@aws-sdk/client-dynamodb';\nnew ddb.QueryCommand({ TableName: 'crm_data', KeyConditionExpression: 'pk = :p' });\nnew DynamoDB({}).getItem({ TableName: 'crm_data', Key: k });\nnew GetItemCommand(<GetItemCommandInput>{ TableName: 'crm_data', Key: k });`,
      errors: [
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 3, column: 35 },
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 4, column: 39 },
        { messageId: 'literalTableName', data: { name: 'crm_data' }, line: 5, column: 54 },
      ],
    },
  ],
});
