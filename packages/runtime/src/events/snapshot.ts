/**
 * A plain-data copy of an event, taken once: validation reads it and `JSON.stringify` sends it, so
 * what was checked is what is sent. It keeps what `JSON.stringify` would keep (own enumerable
 * string-keyed properties, in the same order) and refuses what could make the two differ: getters
 * and setters (they can answer differently each time they are read), Proxies, `toJSON` methods (the
 * JSON would be what they return), functions and symbols (JSON silently drops them), circular
 * references, boxed primitives and bigints. A plain `Date` becomes its ISO text, as in JSON.
 */
import { types } from 'node:util';

/** Why the event is not plain data; `path` is where (`owner.tenantId`, `items[2]`, '' for the event itself). */
export class NotPlainDataError extends Error {
  constructor(
    readonly path: string,
    readonly found: string,
  ) {
    super(`${found} ${path === '' ? 'as the event itself' : `at ${path}`}`);
  }
}

/** A scope-field name met anywhere in the snapshot, with its value (strings are what ids must be). */
export interface ScopeFieldOccurrence {
  readonly path: string;
  readonly name: string;
  readonly value: unknown;
}

export interface EventSnapshot {
  /** The copy: null-prototype objects, arrays and JSON primitives only. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Every property named in `scopeFieldNames`, at any depth. */
  readonly scopeFields: readonly ScopeFieldOccurrence[];
}

/** Deeper than any event needs; keeps a hostile object from exhausting the stack. */
const MAX_DEPTH = 64;
const dateToISOString = Date.prototype.toISOString;
const dateGetTime = Date.prototype.getTime;

/** Paths are relative to the event: `owner.tenantId`, `items[2]`, `["odd key"]`; '' is the event itself. */
function child(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function describeFunction(value: (...args: never[]) => unknown): string {
  return value.name === '' ? 'a function' : `a function (${value.name})`;
}

class Snapshotter {
  readonly scopeFields: ScopeFieldOccurrence[] = [];
  readonly #ancestors = new Set<object>();
  constructor(private readonly scopeFieldNames: ReadonlySet<string>) {}

  /** `undefined` means "left out", as JSON leaves out an undefined property. */
  value(value: unknown, path: string, depth: number): unknown {
    switch (typeof value) {
      case 'string':
      case 'boolean':
      case 'undefined':
        return value;
      case 'number':
        return Number.isFinite(value) ? value : null; // as JSON writes NaN and Infinity
      case 'function':
        throw new NotPlainDataError(path, describeFunction(value as (...args: never[]) => unknown));
      case 'symbol':
        throw new NotPlainDataError(path, 'a symbol');
      case 'bigint':
        throw new NotPlainDataError(path, `a bigint (${String(value)}n), which JSON cannot hold`);
      default:
        return value === null ? null : this.object(value as object, path, depth);
    }
  }

  object(value: object, path: string, depth: number): unknown {
    // A Proxy in the prototype chain could answer `in` one way and JSON.stringify's lookup another.
    for (let link: object | null = value; link !== null; link = Object.getPrototypeOf(link) as object | null) {
      if (types.isProxy(link)) throw new NotPlainDataError(path, link === value ? 'a Proxy' : 'an object whose prototype chain holds a Proxy');
    }
    if (this.#ancestors.has(value)) throw new NotPlainDataError(path, 'a circular reference');
    if (depth > MAX_DEPTH) throw new NotPlainDataError(path, `nesting deeper than ${MAX_DEPTH} levels`);
    if (types.isBoxedPrimitive(value)) throw new NotPlainDataError(path, 'a boxed primitive (new String, new Number, …)');
    if (types.isDate(value) && Object.getPrototypeOf(value) === Date.prototype && Reflect.ownKeys(value).length === 0) {
      return Number.isNaN(dateGetTime.call(value)) ? null : dateToISOString.call(value);
    }
    // `in` also finds an inherited toJSON, which JSON.stringify would call.
    if ('toJSON' in value) throw new NotPlainDataError(path, 'a toJSON method, whose result JSON.stringify would send instead of the validated fields');
    this.#ancestors.add(value);
    try {
      return Array.isArray(value) ? this.#array(value, path, depth) : this.#record(value, path, depth);
    } finally {
      this.#ancestors.delete(value);
    }
  }

  #array(value: readonly unknown[], path: string, depth: number): unknown[] {
    const copy: unknown[] = [];
    for (let index = 0; index < value.length; index += 1) {
      const descriptor = Object.getOwnPropertyDescriptor(value, index);
      const at = `${path}[${index}]`;
      if (descriptor !== undefined && !('value' in descriptor)) throw new NotPlainDataError(at, 'an accessor (getter or setter)');
      // Holes and undefined become null, as in JSON.
      copy.push(descriptor === undefined ? null : (this.value(descriptor.value, at, depth + 1) ?? null));
    }
    return copy;
  }

  #record(value: object, path: string, depth: number): Record<string, unknown> {
    const copy = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined) continue; // deleted meanwhile (cannot happen without a Proxy)
      const at = child(path, key);
      if (!('value' in descriptor)) throw new NotPlainDataError(at, 'an accessor (getter or setter)');
      const field = this.value(descriptor.value, at, depth + 1);
      if (field === undefined) continue;
      copy[key] = field;
      if (this.scopeFieldNames.has(key)) this.scopeFields.push({ path: at, name: key, value: field });
    }
    return copy;
  }
}

/** Copies `event` into plain data, or throws `NotPlainDataError` naming the first property that is not. */
export function snapshotEvent(event: object, scopeFieldNames: ReadonlySet<string>): EventSnapshot {
  const snapshotter = new Snapshotter(scopeFieldNames);
  const data = snapshotter.object(event, '', 0);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new NotPlainDataError('', 'an array');
  return { data: data as Record<string, unknown>, scopeFields: snapshotter.scopeFields };
}
