/**
 * The TypeScript language-service plugin: editors show the same diagnostics `tspc` fails on. The
 * editor's TypeScript loads it by name from `compilerOptions.plugins`
 * (`{ "name": "@isolation/ts-transformer-entities/language-service" }`) through the CommonJS entry
 * `language-service/index.cjs`, and hands it its own TypeScript instance.
 */
import type * as ts from 'typescript';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { programChecks, type ProgramChecks } from './program-checks.js';
import { withoutTypeLevelReports } from './type-level.js';

const TRANSFORM = '@isolation/ts-transformer-entities';

export interface PluginCreateInfo {
  readonly languageService: ts.LanguageService;
  readonly config: Readonly<Record<string, unknown>>;
  readonly project?: { projectService?: { logger?: { info(message: string): void } } };
}

/**
 * The options to check with: the entry's own, or, when it has none but its name, those of the
 * tsconfig's transform entry, so the editor reports what `tspc` reports without repeating them.
 */
function entryConfig(config: Readonly<Record<string, unknown>>, compilerOptions: ts.CompilerOptions): Readonly<Record<string, unknown>> {
  if (Object.keys(config).some((key) => key !== 'name')) return config;
  const plugins: readonly unknown[] = Array.isArray(compilerOptions.plugins) ? compilerOptions.plugins : [];
  const transform = plugins.find((plugin): plugin is Record<string, unknown> => typeof plugin === 'object' && plugin !== null && (plugin as Record<string, unknown>)['transform'] === TRANSFORM);
  return transform ?? config;
}

export default function languageServicePlugin(modules: { readonly typescript: typeof ts }): { create(info: PluginCreateInfo): ts.LanguageService } {
  const tsi = modules.typescript;
  return {
    create(info) {
      const service = info.languageService;
      // Per compiler options: the editor makes new ones when the tsconfig changes, entries included.
      const resolved = new WeakMap<ts.CompilerOptions, ResolvedOptions | undefined>();
      const optionsOf = (program: ts.Program): ResolvedOptions | undefined => {
        const compilerOptions = program.getCompilerOptions();
        if (resolved.has(compilerOptions)) return resolved.get(compilerOptions);
        let options: ResolvedOptions | undefined;
        try {
          options = resolveOptions(entryConfig(info.config, compilerOptions));
        } catch (error) {
          // A bad entry must not take the editor's TypeScript down with it: log it and add nothing.
          info.project?.projectService?.logger?.info(String(error));
        }
        resolved.set(compilerOptions, options);
        return options;
      };
      const checks = new WeakMap<ts.Program, ProgramChecks>();
      const proxy: ts.LanguageService = { ...service };
      proxy.getSemanticDiagnostics = (fileName) => {
        const base = service.getSemanticDiagnostics(fileName);
        const program = service.getProgram();
        const file = program?.getSourceFile(fileName);
        if (program === undefined || file === undefined) return base;
        let perProgram = checks.get(program);
        if (perProgram === undefined) {
          const options = optionsOf(program);
          if (options === undefined) return base;
          checks.set(program, (perProgram = programChecks(tsi, program, options)));
        }
        const ours = perProgram.of(file).diagnostics;
        const types = withoutTypeLevelReports(tsi, base);
        return ours.length === 0 ? types : [...types, ...ours];
      };
      return proxy;
    },
  };
}
