/**
 * @isolation/eslint-plugin: flat-config plugin whose rules extract the declaration model from
 * TSESTree and report what @isolation/runtime's rule core returns.
 */
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { RULE_CATALOG, RULE_IDS, type RuleSet } from '@isolation/runtime/rules';
import { rules } from './rules/index.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export const CONFIG_NAMES = ['recommended', 'strict', 'recommended-type-checked', 'strict-type-checked'] as const;
export type ConfigName = (typeof CONFIG_NAMES)[number];

type RuleEntry = TSESLint.SharedConfig.RuleEntry;

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
  configs: {} as Record<ConfigName, { name: string; plugins: Record<string, unknown>; rules: Record<string, RuleEntry> }>,
};

for (const name of CONFIG_NAMES) {
  const set: RuleSet = name.startsWith('strict') ? 'strict' : 'recommended';
  plugin.configs[name] = { name: `@isolation/${name}`, plugins: { '@isolation': plugin }, rules: configRules(set, name.endsWith('type-checked')) };
}

export const configs = plugin.configs;
export { rules };
export default plugin;
