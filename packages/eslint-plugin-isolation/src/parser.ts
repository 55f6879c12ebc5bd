/**
 * The parser our configs set: `@typescript-eslint/parser` (a peer). When it cannot be loaded — not
 * installed, or refusing the project's TypeScript 7 — the configs get a parser that fails every file
 * with the reason and the fix, so a CI gate reports errors instead of crashing or linting nothing.
 */
import { createRequire } from 'node:module';
import type { Linter } from 'eslint';

const PARSER = '@typescript-eslint/parser';

/** What a user must do, by what went wrong when loading the parser. */
export function unavailableReason(error: unknown): string {
  const cause = error instanceof Error ? error.message : String(error);
  if (/does not support TS 7/i.test(cause)) {
    return `@isolation/eslint-plugin cannot lint TypeScript here: ${PARSER} needs the TypeScript 6 API and this project's "typescript" is TypeScript 7 (${cause.split('\n')[0]}). Install TypeScript 6 as "typescript" and TypeScript 7 beside it ("typescript": "^6.0.3", "typescript-7": "npm:typescript@^7.0.2"), or use isolation-check, which brings its own parser.`;
  }
  if (/Cannot find (module|package)/.test(cause) && cause.includes(PARSER)) {
    return `@isolation/eslint-plugin cannot lint TypeScript here: its peer ${PARSER} is not installed. Run: npm install --save-dev ${PARSER}`;
  }
  return `@isolation/eslint-plugin cannot lint TypeScript here: ${PARSER} failed to load: ${cause.split('\n')[0]}`;
}

/** A parser that refuses every file with `reason`: ESLint reports it as a fatal parsing error (exit 1). */
export function refusingParser(reason: string): Linter.Parser {
  return {
    meta: { name: '@isolation/eslint-plugin/unavailable-parser' },
    parse() {
      throw new Error(reason);
    },
  };
}

export function loadParser(require = createRequire(import.meta.url)): Linter.Parser {
  try {
    return require(PARSER) as Linter.Parser;
  } catch (error) {
    return refusingParser(unavailableReason(error));
  }
}
