/**
 * The TypeScript language-service plugin: editors show the same diagnostics `tspc` fails on. The
 * editor's TypeScript loads it by name from `compilerOptions.plugins`
 * (`{ "name": "@isolation/ts-transformer-entities/language-service" }`) through the CommonJS entry
 * `language-service/index.cjs`, and hands it its own TypeScript instance.
 */
import type * as ts from 'typescript';
import { resolveOptions } from './options.js';
import { programChecks, type ProgramChecks } from './program-checks.js';

export interface PluginCreateInfo {
  readonly languageService: ts.LanguageService;
  readonly config: Readonly<Record<string, unknown>>;
  readonly project?: { projectService?: { logger?: { info(message: string): void } } };
}

export default function languageServicePlugin(modules: { readonly typescript: typeof ts }): { create(info: PluginCreateInfo): ts.LanguageService } {
  const tsi = modules.typescript;
  return {
    create(info) {
      const service = info.languageService;
      let options: ReturnType<typeof resolveOptions>;
      try {
        options = resolveOptions(info.config);
      } catch (error) {
        // A bad entry must not take the editor's TypeScript down with it: log it and add nothing.
        info.project?.projectService?.logger?.info(String(error));
        return service;
      }
      const checks = new WeakMap<ts.Program, ProgramChecks>();
      const proxy: ts.LanguageService = { ...service };
      proxy.getSemanticDiagnostics = (fileName) => {
        const base = service.getSemanticDiagnostics(fileName);
        const program = service.getProgram();
        const file = program?.getSourceFile(fileName);
        if (program === undefined || file === undefined) return base;
        let perProgram = checks.get(program);
        if (perProgram === undefined) checks.set(program, (perProgram = programChecks(tsi, program, options)));
        const ours = perProgram.of(file).diagnostics;
        return ours.length === 0 ? base : [...base, ...ours];
      };
      return proxy;
    },
  };
}
