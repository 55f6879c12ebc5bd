import { describe, expect, it } from 'vitest';
import { RULE_CATALOG, RULE_IDS } from '@isolation/runtime/rules';
import plugin, { configs } from '../src/index.js';

describe('the plugin', () => {
  it('names itself for flat config and --concurrency', () => {
    expect(plugin.meta).toEqual({ name: '@isolation/eslint-plugin', version: expect.stringMatching(/^\d+\.\d+\.\d+/), namespace: '@isolation' });
  });

  it.each(RULE_IDS)('has rule %s with the catalog’s metadata', (id) => {
    const rule = plugin.rules[id];
    expect(rule.meta.docs?.url).toMatch(new RegExp(`/docs/rules/${id}\\.md$`));
    expect(rule.meta.docs?.description).toBe(RULE_CATALOG[id].description);
    expect(rule.meta.messages).toEqual(RULE_CATALOG[id].messages);
    expect(rule.meta.type).toBe(RULE_CATALOG[id].type);
    expect(rule.meta.schema).toBeDefined();
    expect(rule.meta.defaultOptions).toBeDefined();
  });

  it('has no rule the core does not define', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual([...RULE_IDS].sort());
  });

  it.each([
    ['recommended', 'recommended', false],
    ['strict', 'strict', false],
    ['recommended-type-checked', 'recommended', true],
    ['strict-type-checked', 'strict', true],
  ] as const)('generates the %s config from the catalog', (name, set, typeChecked) => {
    const config = configs[name];
    expect(config.name).toBe(`@isolation/${name}`);
    expect(config.plugins['@isolation']).toBe(plugin);
    const expected = Object.fromEntries(
      RULE_IDS.map((id) => {
        const level = RULE_CATALOG[id].levels[set];
        return [`@isolation/${id}`, typeChecked && RULE_CATALOG[id].typeAware && level !== 'off' ? [level, { typeAware: true }] : level];
      }),
    );
    expect(config.rules).toEqual(expected);
  });

  it('warns about the legacy endpoint form in recommended and refuses it in strict', () => {
    expect(configs.recommended.rules['@isolation/endpoint-explicit-params']).toBe('warn');
    expect(configs.strict.rules['@isolation/endpoint-explicit-params']).toBe('error');
    expect(configs.recommended.rules['@isolation/no-env-config']).toBe('off');
  });
});
