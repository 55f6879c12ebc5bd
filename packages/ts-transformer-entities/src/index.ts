/**
 * The ts-patch program transformer: `{ "transform": "@isolation/ts-transformer-entities",
 * "transformProgram": true }`. Our diagnostics become part of the program's semantic diagnostics,
 * so they fail `tspc` in every mode exactly like type errors (see ADR-0013), and the emit gains
 * compiled key builders.
 */
import type * as ts from 'typescript';
import { dirname, resolve } from 'node:path';
import type { CompilableEntity } from './key-builders.js';
import { generateOpenApi } from './openapi.js';
import { appendStatements, isTopLevelNamedClass, keyBuilderSource, keyBuilderTransformer } from './key-builders.js';
import { resolveOptions, TransformerOptionsError, type ResolvedOptions } from './options.js';
import { programChecks, type ProgramChecks } from './program-checks.js';
import { isSourceTransformerCall, isSupportedTypeScript, reportMissingTransformProgram, setupDiagnostic, unsupportedTypeScriptMessage, withOptionsDiagnostic } from './setup.js';
import { withoutTypeLevelReports } from './type-level.js';

const JAVASCRIPT = /\.[cm]?js$/;

export { DIAGNOSTIC_CODES, DIAGNOSTIC_SOURCE, SETUP_DIAGNOSTIC_CODE } from './codes.js';
export { resolveOptions, TransformerOptionsError, type TransformerOptions } from './options.js';
export { generateOpenApi, openApiDocument, OPENAPI_METHODS, type OpenApiDocument, type OpenApiOptions, type OpenApiResult, type SkippedEndpoint } from './openapi.js';

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

/**
 * The program transformer. Set up wrongly, it never throws: the problem becomes one TS91000 error
 * (see setup.ts) and the program is returned as it came.
 */
export default function isolationTransformer(program: ts.Program, host: ts.CompilerHost | undefined, config: Readonly<Record<string, unknown>>, extras: ProgramTransformerExtras): ts.Program;
export default function isolationTransformer(program: ts.Program, host: unknown, config: unknown, extras?: ProgramTransformerExtras): ts.Program | ts.TransformerFactory<ts.SourceFile> {
  // An entry without "transformProgram": true: ts-patch calls this as (program, config, extras).
  if (isSourceTransformerCall(config, extras)) return reportMissingTransformProgram(config);
  const tsi = extras?.ts;
  if (!isSupportedTypeScript(tsi)) return withOptionsDiagnostic(program, setupDiagnostic(tsi, unsupportedTypeScriptMessage(tsi)));
  let options: ResolvedOptions;
  try {
    options = resolveOptions(config as Readonly<Record<string, unknown>>);
  } catch (error) {
    if (error instanceof TransformerOptionsError) return withOptionsDiagnostic(program, setupDiagnostic(tsi, error.message));
    throw error;
  }
  return checkedProgram(tsi, program, host as ts.CompilerHost | undefined, options);
}

/** The program with our diagnostics among its own, and key builders and OpenAPI on emit. */
function checkedProgram(tsi: typeof ts, program: ts.Program, host: ts.CompilerHost | undefined, options: ResolvedOptions): ts.Program {
  const checks: ProgramChecks = programChecks(tsi, program, options);
  const target = program as BuilderFacingProgram;

  const semantic = target.getSemanticDiagnostics.bind(target);
  target.getSemanticDiagnostics = (sourceFile, token) =>
    withOurs(
      withoutTypeLevelReports(tsi, semantic(sourceFile, token)),
      sourceFile === undefined ? target.getSourceFiles().flatMap((file) => checks.of(file).diagnostics) : checks.of(sourceFile).diagnostics,
    );

  const bindAndCheck = target.getBindAndCheckDiagnostics?.bind(target);
  if (bindAndCheck !== undefined) {
    target.getBindAndCheckDiagnostics = (sourceFile, token) => withOurs(withoutTypeLevelReports(tsi, bindAndCheck(sourceFile, token)), checks.of(sourceFile).diagnostics);
  }

  if (options.keyBuilders) {
    const emit = target.emit.bind(target) as (...args: unknown[]) => ts.EmitResult;
    // Top-level entities of module files get their builders appended to the emitted text; the rest
    // (classes in functions, class expressions, `outFile` bundles) go through a transformer.
    const canAppend = target.getCompilerOptions().outFile === undefined;
    const appended = (entity: CompilableEntity): boolean => canAppend && isTopLevelNamedClass(tsi, entity.node);
    const transformed = keyBuilderTransformer(tsi, (file) => checks.of(file).entities.filter((entity) => !appended(entity)));
    // Without a write callback to append through, every entity goes through the transformer.
    const transformedAll = keyBuilderTransformer(tsi, (file) => checks.of(file).entities);
    const hostWrite = host?.writeFile.bind(host);
    target.emit = (targetSourceFile, writeFile, token, emitOnlyDts, custom, ...rest: unknown[]) => {
      const write = writeFile ?? hostWrite;
      const before = { ...custom, before: [write === undefined ? transformedAll : transformed, ...(custom?.before ?? [])] };
      if (write === undefined || emitOnlyDts === true) return emit(targetSourceFile, writeFile, token, emitOnlyDts, before, ...rest);
      const appendingWrite: ts.WriteFileCallback = (fileName, text, bom, onError, sourceFiles, data) => {
        // TypeScript hands over the transformed file; our results belong to the original.
        const [emitted] = sourceFiles ?? [];
        const source = sourceFiles?.length === 1 && emitted !== undefined && JAVASCRIPT.test(fileName) ? tsi.getOriginalNode(emitted, tsi.isSourceFile) : undefined;
        const statements = source === undefined ? [] : checks.of(source).entities.filter(appended).map((entity) => keyBuilderSource((entity.node.name as ts.Identifier).text, entity.templates));
        write(fileName, statements.length === 0 ? text : appendStatements(text, statements), bom, onError, sourceFiles, data);
      };
      return emit(targetSourceFile, appendingWrite, token, emitOnlyDts, before, ...rest);
    };
  }
  if (options.openapi !== undefined) {
    const inner = target.emit.bind(target) as (...args: unknown[]) => ts.EmitResult;
    const compilerOptions = target.getCompilerOptions();
    const base = compilerOptions.outDir ?? (typeof compilerOptions.configFilePath === 'string' ? dirname(compilerOptions.configFilePath) : target.getCurrentDirectory());
    const { output, title, version } = options.openapi;
    const file = resolve(base, output);
    // Written once per full emit, next to the JavaScript; `noEmit` builds write nothing.
    target.emit = (targetSourceFile, writeFile, token, emitOnlyDts, custom, ...rest: unknown[]) => {
      const result = inner(targetSourceFile, writeFile, token, emitOnlyDts, custom, ...rest);
      if (targetSourceFile === undefined && emitOnlyDts !== true && compilerOptions.noEmit !== true && !result.emitSkipped) {
        const { document } = generateOpenApi(tsi, target, { modules: options.modules, ...(title === undefined ? {} : { title }), ...(version === undefined ? {} : { version }) });
        (writeFile ?? host?.writeFile.bind(host) ?? tsi.sys.writeFile)(file, `${JSON.stringify(document, null, 2)}\n`, false);
      }
      return result;
    };
  }
  return program;
}
