/**
 * The ts-patch program transformer: `{ "transform": "@isolation/ts-transformer-entities",
 * "transformProgram": true }`. Our diagnostics become part of the program's semantic diagnostics,
 * so they fail `tspc` in every mode exactly like type errors (see ADR-0013), and the emit gains
 * compiled key builders.
 */
import type * as ts from 'typescript';
import { keyBuilderTransformer } from './key-builders.js';
import { resolveOptions } from './options.js';
import { programChecks, type ProgramChecks } from './program-checks.js';

export { DIAGNOSTIC_CODES, DIAGNOSTIC_SOURCE } from './codes.js';
export { resolveOptions, TransformerOptionsError, type TransformerOptions } from './options.js';
export { typedFields, type TypedFields } from './fields.js';

/** The extras ts-patch hands a program transformer: the patched TypeScript instance. */
export interface ProgramTransformerExtras {
  readonly ts: typeof ts;
}

/** Internal, but what the incremental builder (`--incremental`, `-b`, `--watch`) asks per file. */
interface BuilderFacingProgram extends ts.Program {
  getBindAndCheckDiagnostics?: (sourceFile: ts.SourceFile, cancellationToken?: ts.CancellationToken) => readonly ts.Diagnostic[];
}

function withOurs(base: readonly ts.Diagnostic[], ours: readonly ts.Diagnostic[]): readonly ts.Diagnostic[] {
  return ours.length === 0 ? base : [...base, ...ours];
}

export default function isolationTransformer(program: ts.Program, _host: ts.CompilerHost | undefined, config: Readonly<Record<string, unknown>>, extras: ProgramTransformerExtras): ts.Program {
  const tsi = extras.ts;
  const options = resolveOptions(config);
  const checks: ProgramChecks = programChecks(tsi, program, options);
  const target = program as BuilderFacingProgram;

  const semantic = target.getSemanticDiagnostics.bind(target);
  target.getSemanticDiagnostics = (sourceFile, token) =>
    withOurs(semantic(sourceFile, token), sourceFile === undefined ? target.getSourceFiles().flatMap((file) => checks.of(file).diagnostics) : checks.of(sourceFile).diagnostics);

  const bindAndCheck = target.getBindAndCheckDiagnostics?.bind(target);
  if (bindAndCheck !== undefined) {
    target.getBindAndCheckDiagnostics = (sourceFile, token) => withOurs(bindAndCheck(sourceFile, token), checks.of(sourceFile).diagnostics);
  }

  if (options.keyBuilders) {
    const emit = target.emit.bind(target);
    const builders = keyBuilderTransformer(tsi, (file) => checks.of(file).entities);
    target.emit = (targetSourceFile, writeFile, token, emitOnlyDts, custom, ...rest: unknown[]) =>
      (emit as (...args: unknown[]) => ts.EmitResult)(targetSourceFile, writeFile, token, emitOnlyDts, { ...custom, before: [builders, ...(custom?.before ?? [])] }, ...rest);
  }
  return program;
}
