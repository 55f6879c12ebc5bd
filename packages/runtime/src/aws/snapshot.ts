/**
 * A plain-data copy of a request input, read exactly once, that the guard checks and the
 * serializer then serializes in place of the caller's object. Whatever the input was made of —
 * inherited members (`Object.assign(x, JSON.parse('{"__proto__": …}'))`), getters that answer one
 * value to the guard and another to the serializer, Proxies, objects mutated while credentials are
 * fetched — the copy holds one answer per member, and that answer is both what is checked and
 * what is sent.
 *
 * Copied: own enumerable string-keyed members of plain objects (prototype `Object.prototype`,
 * `null`, or the snapshot's own empty one; inherited members are left behind), arrays, primitives,
 * binary data (any typed array, `DataView` or `ArrayBuffer`, copied as bytes), and dates.
 * Refused: functions, symbols, class instances (the serializer sees marshalled input, in which none
 * remain), and nesting deeper than DynamoDB allows (which also stops cycles).
 *
 * The copied objects inherit from an empty frozen object, not from `Object.prototype`: members
 * planted on `Object.prototype` by prototype pollution elsewhere in the process (`toJSON`,
 * `AttributeUpdates`) are not inherited by the copy, so the serializer cannot read what the guard
 * did not. (Objects made so are as fast as literals; `Object.create(null)` ones are not.)
 */
import { types } from 'node:util';

/** Deeper than any valid request: DynamoDB nests attribute values at most 32 levels. */
const MAX_DEPTH = 64;

/** A member the snapshot refuses to copy: where it is, and what it was. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  constructor(
    /** What was found, e.g. `a function`. */
    readonly found: string,
    /** Where, relative to the input: `.Key.pk`, `.Items[2]`; empty for the input itself. */
    readonly place: string,
  ) {
    super(`${place || 'the input'} is ${found}`);
  }
}

const { hasOwnProperty } = Object.prototype;

/** The prototype of every copied object: nothing to inherit, ever. */
const PLAIN: object = Object.freeze(Object.create(null) as object);

/**
 * Whether an object with this prototype is copied as plain data: `Object.prototype`, `null`, or
 * the snapshot's own (a copy copied again — the early check passes its copy on to the seal).
 */
export function isPlainPrototype(prototype: unknown): boolean {
  return prototype === Object.prototype || prototype === null || prototype === PLAIN;
}

/** Thrown inside the copy, which stays free of bookkeeping; the path is found afterwards. */
const UNCOPYABLE = new Error('uncopyable');

/**
 * Copies `value` as plain data; throws `SnapshotError` for what cannot be copied faithfully.
 * `opaque`: members of a plain-object `value` carried over as they are, uncopied (an S3 object's
 * `Body`, often a stream); each is still read once, as every other member is.
 */
export function snapshot(value: unknown, opaque?: readonly string[]): unknown {
  try {
    return opaque === undefined ? copy(value, 0) : copyExcept(value, opaque);
  } catch (error) {
    if (error !== UNCOPYABLE) throw error;
    throw locate(value, '', 0, opaque) ?? new SnapshotError('data that changed while it was copied', '');
  }
}

/** `copy` of a top-level value whose `opaque` own members are carried over as they are. */
function copyExcept(value: unknown, opaque: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainPrototype(Object.getPrototypeOf(value))) return copy(value, 0);
  const out = Object.create(PLAIN) as Record<string, unknown>;
  for (const key in value) {
    if (!hasOwnProperty.call(value, key)) continue;
    const member: unknown = (value as Record<string, unknown>)[key];
    out[key] = opaque.includes(key) ? member : copy(member, 1);
  }
  return out;
}

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') throw UNCOPYABLE;
    return value;
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) throw UNCOPYABLE;
  if (Array.isArray(value)) {
    const length = value.length;
    const out: unknown[] = [];
    for (let i = 0; i < length; i += 1) out.push(copy(value[i], depth + 1));
    return out;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (isPlainPrototype(prototype)) {
    // With no __proto__ accessor in its chain, a member named __proto__ (JSON.parse makes those) stays a member.
    const out = Object.create(PLAIN) as Record<string, unknown>;
    for (const key in value) {
      // Inherited: not the caller's, and not sent. (V8 compiles this for-in/hasOwnProperty pair to a fast path.)
      if (!hasOwnProperty.call(value, key)) continue;
      out[key] = copy((value as Record<string, unknown>)[key], depth + 1);
    }
    return out;
  }
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  if (types.isArrayBuffer(value)) return value.slice(0);
  if (types.isDate(value)) return new Date(Date.prototype.getTime.call(value));
  throw UNCOPYABLE;
}

/** Where the first member `copy` refuses is, and what it is (the refusal's message only); `opaque` members of the top level are not looked into. */
function locate(value: unknown, place: string, depth: number, opaque?: readonly string[]): SnapshotError | undefined {
  if (typeof value === 'function' || typeof value === 'symbol') return new SnapshotError(`a ${typeof value}`, place);
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DEPTH) return new SnapshotError(`nested more than ${MAX_DEPTH} levels deep (a cycle?)`, place);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = locate(value[i], `${place}[${i}]`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (isPlainPrototype(prototype)) {
    for (const key of Object.keys(value)) {
      if (opaque?.includes(key) === true) continue;
      const found = locate((value as Record<string, unknown>)[key], place + (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (ArrayBuffer.isView(value) || types.isArrayBuffer(value) || types.isDate(value)) return undefined;
  // An object whose prototype is itself a plain object (no class's): what Object.assign does with a parsed "__proto__" key.
  if (typeof prototype === 'object' && prototype !== null && Object.getPrototypeOf(prototype) === Object.prototype && !Object.hasOwn(prototype, 'constructor')) {
    const inherited = Object.keys(prototype);
    return new SnapshotError(`an object inheriting members from another object${inherited.length === 0 ? '' : ` (${inherited.slice(0, 4).join(', ')}${inherited.length > 4 ? ', …' : ''})`}`, place);
  }
  const name = (prototype as { constructor?: { name?: unknown } } | undefined)?.constructor?.name;
  return new SnapshotError(`an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'}`, place);
}
