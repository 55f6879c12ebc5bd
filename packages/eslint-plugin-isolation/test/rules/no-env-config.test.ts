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
    // Writes are not reads: test setup and scripts set the environment for what they start.
    `process.env.AWS_REGION = 'us-east-1';
process.env['STAGE'] = 'test';
delete process.env.STAGE;
Object.assign(process.env, { A: '1' });`,
    // An \`env\` of another module, and a local \`env\`.
    `import { env } from './settings';
const stage = env.STAGE;`,
    `function f(env: Record<string, string>) { return env.X; }`,
    // minimatch semantics: a dotfile is not matched by \`*\`.
    {
      code: `export const stage = process.env.STAGE;`,
      filename: 'scripts/build.ts',
      options: [{ allow: ['scripts/**'] }],
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
      // Every way to reach the environment: destructuring \`process\`, node:process imports, globalThis.
      code: `import { env } from 'node:process';
import proc from 'process';
import * as p from 'node:process';
const { env: environment } = process;
const a = env.A;
const b = proc.env.B;
const c = p.env.C;
const d = globalThis.process.env.D;
spawn('x', { env: process.env });
process.env.E ??= 'e';`,
      errors: [
        { messageId: 'envRead', line: 4, column: 7 },
        { messageId: 'envRead', line: 5, column: 11 },
        { messageId: 'envRead', line: 6, column: 11 },
        { messageId: 'envRead', line: 7, column: 11 },
        { messageId: 'envRead', line: 8, column: 11 },
        { messageId: 'envRead', line: 9, column: 19 },
        { messageId: 'envRead', line: 10, column: 1 },
      ],
    },
    {
      // An allow glob does not match a dotfile through \`*\` (minimatch).
      code: `export const stage = process.env.STAGE;`,
      filename: 'src/.hidden.ts',
      options: [{ allow: ['src/*.ts'] }],
      errors: [{ messageId: 'envRead', line: 1, column: 22 }],
    },
    {
      code: `export const stage = process.env.STAGE;`,
      filename: 'src/handlers/accounts.ts',
      options: [{ allow: ['src/config/**'] }],
      errors: [{ messageId: 'envRead', line: 1, column: 22 }],
    },
  ],
});
