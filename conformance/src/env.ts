// Reads of the environment in every access form; writes are not reads.
export function reads(load: (env: object) => void) {
  const region = process.env.AWS_REGION; // expect: no-env-config
  const stage = process.env['STAGE']; // expect: no-env-config
  const table = process['env'].TABLE; // expect: no-env-config
  const all = process.env; // expect: no-env-config
  const copy = { ...process.env }; // expect: no-env-config
  load(process.env); // expect: no-env-config
  const kind = typeof process.env.DEBUG; // expect: no-env-config
  const has = 'DEBUG' in process.env; // expect: no-env-config
  const global = globalThis.process.env.HOME; // expect: no-env-config
  process.env.LEVEL ??= 'info'; // expect: no-env-config
  process.env.PATH += ':/opt/bin'; // expect: no-env-config
  const level = (process.env).LEVEL!; // expect: no-env-config
  const optional = process?.env?.OPTIONAL; // expect: no-env-config
  const optionalIndexed = process.env?.['OPTIONAL']; // expect: no-env-config
  return [region, stage, table, all, copy, kind, has, global, level, optional, optionalIndexed];
}

export function destructured() {
  const { env } = process; // expect: no-env-config
  const { env: vars } = process; // expect: no-env-config
  const { env: { HOME } } = process; // expect: no-env-config
  return [env, vars, HOME];
}

export function writes() {
  process.env.AWS_REGION = 'us-east-1'; // valid: a write
  process.env['STAGE'] = 'dev'; // valid: a write
  delete process.env.DEBUG; // valid: a delete
  Object.assign(process.env, { LEVEL: 'debug' }); // valid: a write into the environment
  [process.env.A] = ['a']; // valid: a destructuring assignment writes
  ({ b: process.env.B } = { b: 'b' }); // valid: a destructuring assignment writes
  return process.argv; // valid: not the environment
}

export function shadowed(process: { env: Record<string, string> }) {
  return process.env.LOCAL; // valid: a parameter, not Node's process
}
