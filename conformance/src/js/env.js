// Plain JavaScript: the environment, read and written.
const { env } = require('node:process');

export const region = process.env.AWS_REGION; // expect: no-env-config
export const stage = env.STAGE; // expect: no-env-config
export const all = require('process').env; // expect: no-env-config

export function configure() {
  process.env.AWS_REGION = 'us-east-1'; // valid: a write
  env.STAGE = 'dev'; // valid: a write
}
