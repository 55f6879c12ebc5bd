/**
 * @isolation/eslint-plugin: flat-config plugin whose rules extract the declaration model from
 * TSESTree and report what @isolation/runtime's rule core returns.
 */
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { RULE_CATALOG, RULE_IDS, type RuleSet } from '@isolation/core';
import { rules } from './rules/index.js';
import { loadParser } from './parser.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export const CONFIG_NAMES = ['recommended', 'strict', 'recommended-type-checked', 'strict-type-checked'] as const;
export type ConfigName = (typeof CONFIG_NAMES)[number];

type RuleEntry = TSESLint.SharedConfig.RuleEntry;

/** What every config lints: TypeScript, so that `export default [isolation.configs.recommended]` checks something. */
export const TYPESCRIPT_FILES = ['**/*.{ts,tsx,mts,cts}'];

export interface IsolationConfig {
  readonly name: string;
  readonly files: string[];
  readonly languageOptions: { readonly parser: unknown; readonly parserOptions?: { readonly projectService: true } };
  readonly plugins: Record<string, unknown>;
  readonly rules: Record<string, RuleEntry>;
}

/** Levels come from the catalog; the type-checked sets also turn on each rule's `typeAware` option. */
export function configRules(set: RuleSet, typeChecked: boolean): Record<string, RuleEntry> {
  const entries: Record<string, RuleEntry> = {};
  for (const id of RULE_IDS) {
    const level = RULE_CATALOG[id].levels[set];
    entries[`@isolation/${id}`] = typeChecked && RULE_CATALOG[id].typeAware && level !== 'off' ? [level, { typeAware: true }] : level;
  }
  return entries;
}

const plugin = {
  meta: { name: '@isolation/eslint-plugin', version, namespace: '@isolation' },
  rules,
  configs: {} as Record<ConfigName, IsolationConfig>,
};

// Self-contained, like typescript-eslint's own configs: files, parser and (type-checked) the project service.
const parser = loadParser();
for (const name of CONFIG_NAMES) {
  const set: RuleSet = name.startsWith('strict') ? 'strict' : 'recommended';
  const typeChecked = name.endsWith('type-checked');
  plugin.configs[name] = {
    name: `@isolation/${name}`,
    files: [...TYPESCRIPT_FILES],
    languageOptions: typeChecked ? { parser, parserOptions: { projectService: true } } : { parser },
    plugins: { '@isolation': plugin },
    rules: configRules(set, typeChecked),
  };
}

export const configs = plugin.configs;
export { rules };
export default plugin;
