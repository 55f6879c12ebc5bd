/**
 * Configuration schemas: per section, per field a small descriptor (type, optional range, default).
 * `defineSchema` keeps the literal types so a service's `resolve()` returns typed values, and checks
 * every default against its own descriptor at definition.
 */
import { ConfigValidationError } from './errors.js';

export type FieldType = 'integer' | 'number' | 'boolean' | 'string';

/** The JavaScript type of a field type's values. */
export type ValueOf<T extends FieldType> = T extends 'boolean' ? boolean : T extends 'string' ? string : number;

export interface FieldDescriptor<T extends FieldType = FieldType> {
  readonly type: T;
  /** Inclusive lower bound (numbers) or minimum length (strings). */
  readonly min?: number | undefined;
  /** Inclusive upper bound (numbers) or maximum length (strings). */
  readonly max?: number | undefined;
  readonly default: ValueOf<T>;
}

export type AnyFieldDescriptor = FieldDescriptor<'integer'> | FieldDescriptor<'number'> | FieldDescriptor<'boolean'> | FieldDescriptor<'string'>;
export type SectionSchema = Readonly<Record<string, AnyFieldDescriptor>>;
export type ConfigSchema = Readonly<Record<string, SectionSchema>>;

/** The resolved values of one section: every field, typed. */
export type SectionValues<S extends SectionSchema> = { readonly [K in keyof S]: ValueOf<S[K]['type']> };
/** An override of one section: any subset of its fields. */
export type SectionOverride<S extends SectionSchema> = { readonly [K in keyof S]?: ValueOf<S[K]['type']> };

type Bounds = { readonly min?: number; readonly max?: number };

/** Field builders: `integer({ min: 60, max: 86400, default: 3600 })`. */
export const field = {
  integer: (options: Bounds & { readonly default: number }): FieldDescriptor<'integer'> => ({ type: 'integer', ...options }),
  number: (options: Bounds & { readonly default: number }): FieldDescriptor<'number'> => ({ type: 'number', ...options }),
  boolean: (options: { readonly default: boolean }): FieldDescriptor<'boolean'> => ({ type: 'boolean', ...options }),
  string: (options: Bounds & { readonly default: string }): FieldDescriptor<'string'> => ({ type: 'string', ...options }),
};

/** Checks every descriptor and default; returns the schema with its literal types. */
export function defineSchema<const S extends ConfigSchema>(schema: S): S {
  for (const [section, fields] of Object.entries(schema)) {
    if (!NAME.test(section) || RESERVED.has(section)) throw new TypeError(`config section name ${JSON.stringify(section)} is invalid: use letters and digits, starting with a letter, and not ${[...RESERVED].join(' or ')}`);
    const problems: Record<string, string> = {};
    for (const [name, descriptor] of Object.entries(fields)) {
      if (!NAME.test(name)) problems[name] = 'invalid field name: use letters and digits, starting with a letter';
      else if (RESERVED.has(name)) problems[name] = 'reserved field name: every JavaScript object has it; choose another';
      else if (!FIELD_TYPES.has(descriptor.type)) problems[name] = `unknown field type ${JSON.stringify(descriptor.type)}; expected integer, number, boolean or string`;
      else {
        const problem = checkValue(descriptor, descriptor.default);
        if (problem !== undefined) problems[name] = `invalid default: ${problem}`;
      }
    }
    if (Object.keys(problems).length > 0) throw new ConfigValidationError(section, problems, 'schema');
  }
  return schema;
}

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/** Names every object answers to: never a section or field, so no lookup can reach `Object.prototype`. */
const RESERVED = new Set(['constructor', 'prototype']);
const FIELD_TYPES = new Set<string>(['integer', 'number', 'boolean', 'string']);

/** What a descriptor accepts, for messages: `an integer between 60 and 86400`. */
export function expectation(descriptor: AnyFieldDescriptor): string {
  const { min, max } = descriptor;
  const noun = { integer: 'an integer', number: 'a number', boolean: 'a boolean (true or false)', string: 'a string' }[descriptor.type];
  const unit = descriptor.type === 'string' ? ' characters long' : '';
  if (descriptor.type === 'boolean') return noun;
  if (min !== undefined && max !== undefined) return `${noun} ${descriptor.type === 'string' ? `${min}–${max} characters long` : `between ${min} and ${max}`}`;
  if (min !== undefined) return `${noun} ${descriptor.type === 'string' ? `at least ${min}${unit}` : `≥ ${min}`}`;
  if (max !== undefined) return `${noun} ${descriptor.type === 'string' ? `at most ${max}${unit}` : `≤ ${max}`}`;
  return noun;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** The problem with one value, or undefined when the descriptor accepts it. */
export function checkValue(descriptor: AnyFieldDescriptor, value: unknown): string | undefined {
  const wrong = (): string => `expected ${expectation(descriptor)}, found ${describe(value)}`;
  switch (descriptor.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrong();
    case 'string':
      if (typeof value !== 'string') return wrong();
      if ((descriptor.min !== undefined && value.length < descriptor.min) || (descriptor.max !== undefined && value.length > descriptor.max)) return `expected ${expectation(descriptor)}, found ${value.length} characters`;
      return undefined;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (descriptor.type === 'integer' && !Number.isInteger(value))) return wrong();
      if ((descriptor.min !== undefined && value < descriptor.min) || (descriptor.max !== undefined && value > descriptor.max)) return wrong();
      return undefined;
  }
}

/**
 * Validates a partial override of one section: every field's type and range, and no unknown keys.
 * Throws one `ConfigValidationError` listing every problem.
 *
 * Problems and values are collected in Maps: assigning `obj['__proto__'] = …` to a plain object
 * sets its prototype instead of adding a key, which once let `{"__proto__": …}` pass as `{}`.
 */
export function validateOverride(section: string, fields: SectionSchema, values: unknown, context = 'override'): Record<string, unknown> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ConfigValidationError(section, { '': `expected an object of field values, found ${describe(values)}` }, context);
  }
  const problems = new Map<string, string>();
  const clean = new Map<string, unknown>();
  for (const [name, value] of Object.entries(values)) {
    const descriptor = Object.hasOwn(fields, name) && !RESERVED.has(name) ? fields[name] : undefined;
    if (descriptor === undefined) {
      problems.set(name, `unknown field; known fields of ${section}: ${Object.keys(fields).join(', ')}`);
      continue;
    }
    if (value === undefined) continue;
    const problem = checkValue(descriptor, value);
    if (problem !== undefined) problems.set(name, problem);
    else clean.set(name, value);
  }
  // Object.fromEntries defines own properties, `__proto__` included, so the error names every key.
  if (problems.size > 0) throw new ConfigValidationError(section, Object.fromEntries(problems), context);
  return Object.fromEntries(clean);
}

/** `jwtExpirationSeconds` in section `auth` → `ISOLATION_AUTH_JWT_EXPIRATION_SECONDS`. */
export function envVariableName(section: string, name: string): string {
  return `ISOLATION_${upperSnake(section)}_${upperSnake(name)}`;
}

function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}

/** Parses an environment variable's text for a field: the value, or the problem. */
export function parseEnvValue(descriptor: AnyFieldDescriptor, text: string): { readonly value: unknown } | { readonly problem: string } {
  const trimmed = text.trim();
  let value: unknown;
  switch (descriptor.type) {
    case 'string':
      value = text;
      break;
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      value = lower === 'true' || lower === '1' ? true : lower === 'false' || lower === '0' ? false : undefined;
      break;
    }
    case 'integer':
      value = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
      break;
    case 'number':
      value = trimmed.length > 0 && Number.isFinite(Number(trimmed)) ? Number(trimmed) : undefined;
      break;
  }
  if (value === undefined) return { problem: `expected ${expectation(descriptor)}${descriptor.type === 'boolean' ? ' or 1/0' : ''}` };
  const problem = checkValue(descriptor, value);
  return problem === undefined ? { value } : { problem: `expected ${expectation(descriptor)}` };
}
