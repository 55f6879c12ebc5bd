/**
 * The TypeScript the CLIs run on: the copy ts-morph bundles (TypeScript 6.0), never the project's
 * `typescript`. A project may have TypeScript 7, whose package has no JavaScript API, or none at
 * all; `isolation-check` and `isolation-migrate` work the same either way.
 */
import * as nodeModule from 'node:module';
import { posix } from 'node:path';
import type * as TypeScript from 'typescript';

// `@ts-morph/common` (our dependency) bundles TypeScript 6 and its lib files: the parser these CLIs
// carry. Loaded with `require`: see loadTypeScript.
const require = nodeModule.createRequire(import.meta.url);

interface TsMorphCommon {
  readonly ts: typeof TypeScript;
  getLibFiles(): readonly { readonly fileName: string; readonly text: string }[];
}

const isModuleNotFound = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND';

function loadTypeScript(): typeof TypeScript {
  try {
    // Straight to the compiler, through `require`: a parse-only run loads typescript.js and nothing
    // else (Node's ESM loader would first scan the 9 MB CommonJS file for its export names).
    return require('@ts-morph/common/dist/typescript.js') as typeof TypeScript;
  } catch (error) {
    // A later ts-morph may move its bundle; its public `ts` export is the same module.
    if (!isModuleNotFound(error)) throw error;
    return (require('@ts-morph/common') as TsMorphCommon).ts;
  }
}

// As tsc does: V8's compiled code for the 9 MB typescript.js is cached on disk across runs. Node
// 22.1 added the cache; on Node 20 the file is simply compiled each time.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

export const ts: typeof TypeScript = loadTypeScript();

let libTexts: ReadonlyMap<string, string> | undefined;

/** TypeScript's lib .d.ts files by name (`lib.es2023.d.ts`), as ts-morph keeps them in memory. */
function libFiles(): ReadonlyMap<string, string> {
  // Loaded on first use: only runs that type-check need them.
  libTexts ??= new Map((require('@ts-morph/common') as TsMorphCommon).getLibFiles().map((file) => [file.fileName, file.text]));
  return libTexts;
}

/**
 * A compiler host for `options` that serves TypeScript's lib files from memory: the bundled
 * typescript.js has no lib folder beside it, and without its lib files a program would type
 * `string`, `Promise` and the decorators' contexts as errors.
 */
export function createCompilerHost(options: TypeScript.CompilerOptions): TypeScript.CompilerHost {
  const host = ts.createCompilerHost(options);
  // Where TypeScript looks for lib files: the folder of the typescript.js that runs.
  const folder = `${host.getDefaultLibLocation?.() ?? posix.dirname(host.getDefaultLibFileName(options))}/`;
  const libText = (fileName: string): string | undefined => {
    if (!fileName.startsWith(folder)) return undefined;
    const name = fileName.slice(folder.length);
    return name.includes('/') ? undefined : libFiles().get(name);
  };
  const { fileExists, readFile } = host;
  host.fileExists = (fileName) => libText(fileName) !== undefined || fileExists.call(host, fileName);
  // The host's getSourceFile reads through `host.readFile`, so lib source files come from here too.
  host.readFile = (fileName) => libText(fileName) ?? readFile.call(host, fileName);
  return host;
}
