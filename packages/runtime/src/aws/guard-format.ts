/**
 * How the guards say what they found: a refusal being built (`Failure`) and the helpers that
 * render values for messages. Strings are built only once a check has failed, so the happy path
 * allocates nothing here.
 */
import type { GuardRule } from './violation.js';

/** A refusal being built: `found` is relative to where the check ran and gets prefixed on the way out. */
export class Failure {
  constructor(
    readonly rule: GuardRule,
    public found: string,
    readonly expected: string,
  ) {}

  /** Puts the enclosing location in front of `found`. */
  within(prefix: string): this {
    this.found = prefix + this.found;
    return this;
  }

  /** Adds context after `found`. */
  append(context: string): this {
    this.found += context;
    return this;
  }
}

/** An own property, or `undefined`: inherited members never count as what the caller wrote. */
export function own(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `.pk`, or `[":pk"]` / `["odd name"]` for names that are not identifiers. */
export function access(name: string): string {
  return SIMPLE_NAME.test(name) ? `.${name}` : `[${quote(name)}]`;
}

const MAX_SHOWN = 64;
/** Characters JSON.stringify leaves as they are but a reader cannot see (C1 controls, zero-width and bidi marks, separators). */
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/** A string in double quotes, control and invisible characters escaped, long ones shortened. */
export function quote(text: string): string {
  const shown = text.length > MAX_SHOWN + 8 ? `${text.slice(0, MAX_SHOWN)}…` : text;
  const quoted = JSON.stringify(shown).replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown === text ? quoted : `${quoted} (${text.length} characters)`;
}

/** `is missing`, or `= <value>` for a value that is present. */
export function describeMissing(value: unknown): string {
  return value === undefined ? 'is missing' : `= ${describeValue(value)}`;
}

export function describeValue(value: unknown, depth = 0): string {
  if (typeof value === 'string') return quote(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (a ${typeof value})`;
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (typeof value !== 'object') return `a ${typeof value}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Set) return `a Set of ${value.size}`;
  if (value instanceof Uint8Array) return `binary data (${value.byteLength} bytes)`;
  const members = Object.keys(value);
  if (members.length === 0) return '{} (an empty object)';
  if (members.length === 1 && depth === 0) {
    const [member] = members as [string];
    return `{ ${SIMPLE_NAME.test(member) ? member : quote(member)}: ${describeValue((value as Record<string, unknown>)[member], 1)} }`;
  }
  const shown = members.slice(0, 4).map((member) => (SIMPLE_NAME.test(member) ? member : quote(member)));
  return `an object with ${members.length > 4 ? `${shown.join(', ')}, …` : shown.join(', ')}`;
}

export function notAnObject(place: string, value: unknown, expected: string): Failure {
  return new Failure('unverifiable-request', `${place} ${describeMissing(value)}`, expected);
}
