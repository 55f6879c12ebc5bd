/**
 * Mistakes in how the transformer is set up — its plugin entry, the TypeScript running it — as one
 * compiler error (TS91000) instead of an exception thrown inside ts-patch: `tspc` prints a single
 * tsc-style line and fails, as for any other configuration error.
 */
import type * as ts from 'typescript';
import { DIAGNOSTIC_SOURCE, SETUP_DIAGNOSTIC_CODE } from './codes.js';

const PACKAGE = '@isolation/ts-transformer-entities';

/** `message` as a global error: no file, so tsc prints `error TS91000: …` on one line. */
export function setupDiagnostic(tsi: typeof ts | undefined, message: string): ts.Diagnostic {
  // Without a TypeScript to ask, 1 is DiagnosticCategory.Error in every version.
  const category = tsi?.DiagnosticCategory?.Error ?? (1 as ts.DiagnosticCategory.Error);
  return { file: undefined, start: undefined, length: undefined, category, code: SETUP_DIAGNOSTIC_CODE, source: DIAGNOSTIC_SOURCE, messageText: message };
}

/**
 * `program`, reporting `diagnostic` among its options diagnostics: every mode asks for those (tspc,
 * `--noEmit`, `--incremental`, `-b`, `--watch`), they fail the build, and TypeScript skips the
 * semantic pass when there are any.
 */
export function withOptionsDiagnostic(program: ts.Program, diagnostic: ts.Diagnostic): ts.Program {
  const options = program.getOptionsDiagnostics.bind(program);
  program.getOptionsDiagnostics = (token) => [...options(token), diagnostic];
  return program;
}

const majorMinor = (tsi: typeof ts | undefined): [number, number] => {
  const [major = 0, minor = 0] = (typeof tsi?.version === 'string' ? tsi.version : '').split('.').map(Number);
  return [major, minor];
};

/** Whether the transformer runs on this TypeScript: 5.9 (ts-patch 3.3) and 6.x (ts-patch 4). */
export function isSupportedTypeScript(tsi: typeof ts | undefined): tsi is typeof ts {
  const [major, minor] = majorMinor(tsi);
  return (major === 5 && minor >= 9) || major === 6;
}

/** What to tell a user whose TypeScript the transformer does not run on. */
export function unsupportedTypeScriptMessage(tsi: typeof ts | undefined): string {
  const version = typeof tsi?.version === 'string' ? `TypeScript ${tsi.version}` : 'a TypeScript it cannot tell (ts-patch handed the plugin none)';
  const found = `${PACKAGE} runs under ts-patch on TypeScript 5.9 or 6.x; this is ${version}`;
  if (majorMinor(tsi)[0] >= 7) {
    return `${found}, which has no transformer API. Keep "typescript": "^6.0.3" installed for tspc (TypeScript 7 can sit beside it as "typescript-7": "npm:typescript@^7"), or check with isolation-check, which brings its own TypeScript`;
  }
  return `${found}. Upgrade to TypeScript 6.0 with ts-patch 4, or 5.9 with ts-patch 3.3`;
}

/** What ts-patch hands a *source* transformer factory as its third argument. */
interface SourceTransformerExtras {
  readonly ts?: typeof ts;
  readonly addDiagnostic: (diagnostic: ts.Diagnostic) => unknown;
  readonly diagnostics?: readonly ts.Diagnostic[];
}

/**
 * Whether ts-patch called the default export as a source transformer factory, `(program, config,
 * extras)`: what it does with an entry that lacks `"transformProgram": true`.
 */
export function isSourceTransformerCall(third: unknown, fourth: unknown): third is SourceTransformerExtras {
  return fourth === undefined && typeof third === 'object' && third !== null && typeof (third as Partial<SourceTransformerExtras>).addDiagnostic === 'function';
}

export const MISSING_TRANSFORM_PROGRAM = `${PACKAGE}: the { "transform": "${PACKAGE}" } entry lacks "transformProgram": true, so ts-patch runs it as a source transformer and no isolation check runs; add "transformProgram": true to that entry (in tsconfig.json compilerOptions.plugins)`;

/**
 * Reports the missing `"transformProgram": true` with the emit's diagnostics, all a source
 * transformer can reach (ts-patch asks for it on every `program.emit`, `--noEmit` included, but
 * builders that emit nothing, `--incremental --noEmit`, never ask), and changes nothing in the output.
 */
export function reportMissingTransformProgram(extras: SourceTransformerExtras): ts.TransformerFactory<ts.SourceFile> {
  // One report per program, however many files or emits ask for the transformer.
  if (!(extras.diagnostics ?? []).some((diagnostic) => diagnostic.code === SETUP_DIAGNOSTIC_CODE)) extras.addDiagnostic(setupDiagnostic(extras.ts, MISSING_TRANSFORM_PROGRAM));
  return () => (file) => file;
}
