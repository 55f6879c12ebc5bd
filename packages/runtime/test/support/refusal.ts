/**
 * The error a promise rejects with, checked to be of the expected class; a promise that fulfils
 * fails the test and shows what it fulfilled with (the refusal that did not happen).
 */
import { expect } from 'vitest';

export async function refusalOf<E extends Error>(promise: Promise<unknown>, expected: abstract new (...args: never[]) => E): Promise<E> {
  const outcome = await promise.then(
    (output: unknown) => ({ output }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected ${expected.name}; the call succeeded with ${JSON.stringify(outcome.output)}`);
  expect(outcome.error).toBeInstanceOf(expected);
  return outcome.error as E;
}
