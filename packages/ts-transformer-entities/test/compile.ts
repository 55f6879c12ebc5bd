/**
 * In-process compiles through `ts-patch/compiler` (TypeScript patched in memory, as `tspc` is) with
 * our plugin entry: source files live in memory under a virtual folder inside this package, so
 * `@isolation/runtime` and the transformer resolve from the repository's node_modules.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as TypeScript from 'typescript';

const require = createRequire(import.meta.url);
/** The patched compiler: `createProgram` applies the program transformers of `compilerOptions.plugins`. */
export const tsp = require('ts-patch/compiler') as typeof TypeScript;

export const VIRTUAL_ROOT = join(import.meta.dirname, 'virtual');

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly category: 'error' | 'warning' | 'other';
  readonly message: string;
  readonly length: number | undefined;
}

export interface CompileResult {
  readonly findings: readonly Finding[];
  /** Ours only (codes 91001–91010). */
  readonly isolation: readonly Finding[];
  /** Emitted JavaScript by file name relative to the virtual root. */
  readonly outputs: ReadonlyMap<string, string>;
  readonly emitSkipped: boolean;
}

export const BASE_OPTIONS: TypeScript.CompilerOptions = {
  target: tsp.ScriptTarget.ES2022,
  module: tsp.ModuleKind.Preserve,
  moduleResolution: tsp.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts', 'lib.esnext.decorators.d.ts'],
  types: ['node'],
  strict: true,
  skipLibCheck: true,
  outDir: join(VIRTUAL_ROOT, 'out'),
};

export function compile(files: Readonly<Record<string, string>>, plugin: Readonly<Record<string, unknown>> = {}, options: TypeScript.CompilerOptions = {}): CompileResult {
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(VIRTUAL_ROOT, name), text]));
  const compilerOptions: TypeScript.CompilerOptions = {
    ...BASE_OPTIONS,
    ...options,
    configFilePath: join(VIRTUAL_ROOT, 'tsconfig.json'),
    // ts-patch entries carry `transform` where TypeScript's own type expects `name`.
    plugins: [{ transform: '@isolation/ts-transformer-entities', transformProgram: true, ...plugin } as unknown as TypeScript.PluginImport],
  };
  const host = tsp.createCompilerHost(compilerOptions);
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.directoryExists = (name) => [...virtual.keys()].some((file) => file.startsWith(`${name}/`)) || (directoryExists?.call(host, name) ?? false);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, onError, create) => {
    const text = virtual.get(name);
    return text === undefined ? getSourceFile.call(host, name, language, onError, create) : tsp.createSourceFile(name, text, language, true);
  };
  const outputs = new Map<string, string>();
  const program = tsp.createProgram({ rootNames: [...virtual.keys()], options: compilerOptions, host });
  const emitted = program.emit(undefined, (name, text) => outputs.set(name.slice(VIRTUAL_ROOT.length + 1), text));
  const findings = tsp.sortAndDeduplicateDiagnostics([...tsp.getPreEmitDiagnostics(program), ...emitted.diagnostics]).map(finding);
  return { findings, isolation: findings.filter((item) => item.code >= 91001 && item.code <= 91010), outputs, emitSkipped: emitted.emitSkipped };
}

function finding(diagnostic: TypeScript.Diagnostic): Finding {
  const file = diagnostic.file;
  const position = file !== undefined && diagnostic.start !== undefined ? file.getLineAndCharacterOfPosition(diagnostic.start) : { line: -1, character: -1 };
  const category = diagnostic.category === tsp.DiagnosticCategory.Error ? 'error' : diagnostic.category === tsp.DiagnosticCategory.Warning ? 'warning' : 'other';
  return {
    file: file === undefined ? '' : file.fileName.startsWith(VIRTUAL_ROOT) ? file.fileName.slice(VIRTUAL_ROOT.length + 1) : file.fileName,
    line: position.line + 1,
    column: position.character + 1,
    code: diagnostic.code,
    category,
    message: tsp.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    length: diagnostic.length,
  };
}

/** `line:column code [rule] category` — compact lines to compare. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map((item) => `${item.file}:${item.line}:${item.column} ${item.code} ${/^\[(@isolation\/[a-z-]+)\]/.exec(item.message)?.[1] ?? ''} ${item.category}`);
}
