/**
 * The caller's keys, items and changes as plain data, read once, so that what the repository
 * checks and fills is exactly what it sends: a getter answers once, inherited members are left
 * behind, a Proxy is read like any object (the guard underneath judges the request again as sent).
 * An instance of the entity class counts as its own enumerable fields. Top-level members that are
 * `undefined` are left out, as absent.
 */
import { snapshot, SnapshotError } from '../aws/snapshot.js';
import { describeValue } from '../aws/guard-format.js';
import type { EntityShape } from './entity-shape.js';

export type PlainInput = Readonly<Record<string, unknown>>;

/** `what` names the argument in messages (`repo(Account).put: the item`), `expected` what it should be. */
export function plainInput(shape: EntityShape, value: unknown, what: string, expected = `an object of ${shape.name}'s fields`): PlainInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} must be ${expected}; found ${describeValue(value)}`);
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  const instance = prototype !== Object.prototype && prototype !== null && Object.prototype.isPrototypeOf.call(shape.entity.prototype, value);
  let copy: unknown;
  try {
    copy = snapshot(instance ? Object.fromEntries(Object.keys(value).map((field) => [field, (value as Record<string, unknown>)[field]])) : value);
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    throw new TypeError(`${what}${error.place === '' ? '' : ` (at ${error.place})`} is ${error.found}; expected plain data: an object literal or an instance of ${shape.name}, holding strings, numbers, booleans, arrays, plain objects, dates or binary data`);
  }
  return definedMembers(copy as object);
}

/** A member of a copy `plainInput` made (already plain data), as an object of its defined members. */
export function memberInput(shape: EntityShape, value: unknown, what: string): PlainInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} must be an object of ${shape.name}'s fields; found ${describeValue(value)}`);
  }
  return definedMembers(value);
}

function definedMembers(value: object): PlainInput {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}
