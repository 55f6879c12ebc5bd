import type { ESLint } from 'eslint';
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

describe('the plugin on plain JavaScript (ESLint\'s default parser)', () => {
  it('lints compiled output without crashing: espree classes have no decorators property', async () => {
    const { Linter } = await import('eslint');
    const linter = new Linter({ configType: 'flat' });
    const code = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
let RoleAssignment = class RoleAssignment { id; static create() { return new RoleAssignment(); } };
export class Routes { get(id) { return id; } }
export const client = new DynamoDBClient({});
export const input = { TableName: 'crm_data' };
export const stage = process.env.STAGE;`;
    const strict = { plugins: { '@isolation': plugin as unknown as ESLint.Plugin }, rules: configs.strict.rules };
    const messages = linter.verify(code, [{ languageOptions: { sourceType: 'module' } }, strict], 'compiled.js');
    expect(messages.map((message) => message.ruleId)).toEqual(['@isolation/no-adhoc-aws-client', '@isolation/no-literal-table-name', '@isolation/no-env-config']);
  });
});
