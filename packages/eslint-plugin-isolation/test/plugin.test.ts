import type { ESLint, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { RULE_CATALOG, RULE_IDS } from '@isolation/core';
import tsParser from '@typescript-eslint/parser';
import plugin, { configs } from '../src/index.js';
import { loadParser } from '../src/parser.js';

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

  it.each(['recommended', 'strict', 'recommended-type-checked', 'strict-type-checked'] as const)('%s is self-contained: TypeScript files, the typescript-eslint parser, and (type-checked) the project service', (name) => {
    const config = configs[name];
    expect(config.files).toEqual(['**/*.{ts,tsx,mts,cts}']);
    expect(config.languageOptions.parser).toBe(tsParser);
    expect(config.languageOptions.parserOptions).toEqual(name.endsWith('type-checked') ? { projectService: true } : undefined);
  });

  it('lints TypeScript when a config is used alone, as the README shows it', async () => {
    const { Linter } = await import('eslint');
    const linter = new Linter({ configType: 'flat' });
    const code = `import { Entity } from '@isolation/runtime';
@Entity({ table: 'crm_data', pk: 'ACCOUNT#{id}' })
export class Account { id!: string; }`;
    const messages = linter.verify(code, [configs.recommended as unknown as Linter.Config], 'src/account.ts');
    expect(messages.map((message) => [message.ruleId, message.line])).toEqual([['@isolation/entity-scope', 2]]);
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
    const code = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
let RoleAssignment = class RoleAssignment { id; static create() { return new RoleAssignment(); } };
export class Routes { get(id) { return id; } }
export const client = new DynamoDBClient({});
export const input = new GetItemCommand({ TableName: 'crm_data' });
export const stage = process.env.STAGE;`;
    const strict = { plugins: { '@isolation': plugin as unknown as ESLint.Plugin }, rules: configs.strict.rules };
    const messages = linter.verify(code, [{ languageOptions: { sourceType: 'module' } }, strict], 'compiled.js');
    expect(messages.map((message) => message.ruleId)).toEqual(['@isolation/no-adhoc-aws-client', '@isolation/no-literal-table-name', '@isolation/no-env-config']);
  });
});

describe('the parser our configs set', () => {
  const lintWith = async (parser: unknown): Promise<string[]> => {
    const { Linter } = await import('eslint');
    const linter = new Linter({ configType: 'flat' });
    const config = { ...configs.recommended, languageOptions: { parser } } as unknown as Linter.Config;
    return linter.verify('export const x: number = 1;', [config], 'src/a.ts').map((message) => `${String(message.fatal)} ${message.message}`);
  };

  it('fails every file with the fix when typescript-eslint refuses TypeScript 7, instead of crashing ESLint', async () => {
    const parser = loadParser(((id: string) => {
      throw new Error(`typescript-eslint does not support TS 7.0.\nPlease see … (${id})`);
    }) as unknown as NodeJS.Require);
    const [message, ...rest] = await lintWith(parser);
    expect(rest).toEqual([]);
    expect(message).toMatch(/^true Parsing error: @isolation\/eslint-plugin cannot lint TypeScript here: @typescript-eslint\/parser needs the TypeScript 6 API/);
    expect(message).toContain('"typescript-7": "npm:typescript@^7.0.2"');
    expect(message).toContain('isolation-check');
  });

  it('fails every file with the install command when the peer parser is missing', async () => {
    const parser = loadParser(((id: string) => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    }) as unknown as NodeJS.Require);
    expect(await lintWith(parser)).toEqual(['true Parsing error: @isolation/eslint-plugin cannot lint TypeScript here: its peer @typescript-eslint/parser is not installed. Run: npm install --save-dev @typescript-eslint/parser']);
  });
});
