import rule from '../../src/rules/no-env-config.js';
import { ruleTester } from '../rule-tester.js';

// Relative file names keep RuleTester's working directory, as in a real project.
ruleTester.run('no-env-config', rule, {
  valid: [
    `const region = config.resolve(scope, 'aws').values.region;`,
    // A local `process` is not the global one.
    `function handle(process: { env: Record<string, string> }) { return process.env.X; }`,
    {
      code: `export const stage = process.env.STAGE;`,
      filename: 'src/config/settings.ts',
      options: [{ allow: ['src/config/**'] }],
    },
  ],
  invalid: [
    {
      code: `const table = process.env.TABLE;`,
      errors: [{ messageId: 'envRead', line: 1, column: 15, endColumn: 26 }],
    },
    {
      code: `const { STAGE, REGION } = process.env;
const key = process['env']['API_KEY'];`,
      errors: [
        { messageId: 'envRead', line: 1, column: 27 },
        { messageId: 'envRead', line: 2, column: 13 },
      ],
    },
    {
      code: `export const stage = process.env.STAGE;`,
      filename: 'src/handlers/accounts.ts',
      options: [{ allow: ['src/config/**'] }],
      errors: [{ messageId: 'envRead', line: 1, column: 22 }],
    },
  ],
});
