// The environment through imports of node:process.
import process from 'node:process';
import { env } from 'node:process';
import * as proc from 'process';

export const fromDefault = process.env.A; // expect: no-env-config
export const fromNamed = env.B; // expect: no-env-config
export const fromNamedIndexed = env['C']; // expect: no-env-config
export const fromNamespace = proc.env.D; // expect: no-env-config
export function fromRequire() {
  return (require('node:process') as typeof import('node:process')).env.E; // expect: no-env-config
}
export async function fromDynamicImport() {
  return (await import('node:process')).env.F; // expect: no-env-config
}
export function write() {
  env.G = 'g'; // valid: a write
  process.env.H = 'h'; // valid: a write
}
