/**
 * The checks of one program, computed per source file on first request and kept for the program's
 * life: the compiler, the incremental builder and the language service each ask for a file's
 * diagnostics, and the emit asks for its entities; all get the same result.
 */
import type * as ts from 'typescript';
import { dirname } from 'node:path';
import { checkSourceFile, type CheckEnvironment, type FileCheck } from './check.js';
import type { ResolvedOptions } from './options.js';

export interface ProgramChecks {
  readonly of: (file: ts.SourceFile) => FileCheck;
}

const EMPTY: FileCheck = { diagnostics: [], findings: [], entities: [] };

export function programChecks(tsi: typeof ts, program: ts.Program, options: ResolvedOptions): ProgramChecks {
  const results = new WeakMap<ts.SourceFile, FileCheck>();
  let env: CheckEnvironment | undefined;
  const environment = (): CheckEnvironment => {
    if (env !== undefined) return env;
    // The same checker TypeScript uses for its own diagnostics: asking for it costs nothing extra.
    const checker = program.getTypeChecker();
    const configFile = program.getCompilerOptions().configFilePath;
    const cwd = typeof configFile === 'string' ? dirname(configFile) : program.getCurrentDirectory();
    return (env = { ts: tsi, checker, options, cwd });
  };
  return {
    of(file) {
      if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file) || program.isSourceFileDefaultLibrary(file)) return EMPTY;
      let result = results.get(file);
      if (result === undefined) results.set(file, (result = checkSourceFile(file, environment())));
      return result;
    },
  };
}
