/**
 * Keeps the rule catalog, the rule pages, the ADRs, the README's rules table and the plugin's
 * configs in sync, and checks that every documented example does what its page says: each
 * ❌ example is reported by its rule once per ❌ mark (and by no other rule), each ✅ example by no
 * rule at all.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tsParser from '@typescript-eslint/parser';
import { Linter, type ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULE_CATALOG, RULE_IDS, type RuleId, type RuleSet, type Severity } from '@isolation/core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS_DIR = join(ROOT, 'packages/eslint-plugin-isolation/docs/rules');
const DOCS_FROM_ROOT = 'packages/eslint-plugin-isolation/docs/rules';
const ADR_DIR = join(ROOT, 'adr');
const RULE_SETS: readonly RuleSet[] = ['recommended', 'strict'];
const CONFIGS: readonly { readonly name: string; readonly set: RuleSet; readonly typeChecked: boolean }[] = [
  { name: 'recommended', set: 'recommended', typeChecked: false },
  { name: 'strict', set: 'strict', typeChecked: false },
  { name: 'recommended-type-checked', set: 'recommended', typeChecked: true },
  { name: 'strict-type-checked', set: 'strict', typeChecked: true },
];

const read = (file: string): string => readFileSync(file, 'utf8');
const docFile = (id: RuleId): string => join(DOCS_DIR, `${id}.md`);

/** Blocks of text separated by blank lines, each trimmed. */
function paragraphs(markdown: string): string[] {
  return markdown
    .split(/\r?\n\s*\r?\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0);
}

/** The lines of a `## heading` section, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split(/\r?\n/);
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start === -1) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => {
    const match = /^(#+)\s/.exec(line);
    return match !== null && (match[1]?.length ?? 0) <= level;
  });
  return end === -1 ? rest : rest.slice(0, end);
}

/** Table rows (cells, trimmed) of the first Markdown table in `lines`, header and separator excluded. */
function tableRows(lines: readonly string[]): string[][] {
  const rows = lines.filter((line) => line.trim().startsWith('|'));
  return rows.slice(2).map((line) =>
    line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.trim()),
  );
}

interface Example {
  readonly kind: 'incorrect' | 'correct';
  readonly code: string;
  readonly line: number;
}

/** The ```ts blocks under the `### ❌ Incorrect` and `### ✅ Correct` headings. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  const lines = markdown.split(/\r?\n/);
  let kind: Example['kind'] | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const heading = /^(#+)\s+(.*)$/.exec(line);
    if (heading !== null) {
      const text = heading[2]?.trim();
      kind = text === '❌ Incorrect' ? 'incorrect' : text === '✅ Correct' ? 'correct' : undefined;
      continue;
    }
    if (/^```/.test(line)) {
      const language = line.slice(3).trim();
      const end = lines.findIndex((candidate, at) => at > index && /^```\s*$/.test(candidate));
      if (end === -1) throw new Error(`Unclosed code block at line ${index + 1}`);
      if (kind !== undefined && language === 'ts') {
        found.push({ kind, code: lines.slice(index + 1, end).join('\n'), line: index + 1 });
      }
      index = end;
    }
  }
  return found;
}

function normalizeSeverity(entry: unknown): Severity {
  const level = Array.isArray(entry) ? (entry as unknown[])[0] : entry;
  if (level === undefined || level === 0 || level === 'off') return 'off';
  if (level === 1 || level === 'warn') return 'warn';
  if (level === 2 || level === 'error') return 'error';
  throw new Error(`Unknown severity ${JSON.stringify(level)}`);
}

function ruleOptions(entry: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(entry)) return undefined;
  const options = (entry as unknown[])[1];
  return typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : undefined;
}

describe('rule pages', () => {
  it('there is exactly one page per rule id', () => {
    const pages = readdirSync(DOCS_DIR)
      .filter((file) => file.endsWith('.md'))
      .map((file) => file.slice(0, -'.md'.length))
      .sort();
    expect(pages).toEqual([...RULE_IDS].sort());
  });

  describe.each(RULE_IDS.map((id) => [id] as const))('%s', (id) => {
    const info = RULE_CATALOG[id];
    const text = (): string => read(docFile(id));

    it('has the title and, as its first paragraph, the catalog description', () => {
      const [title, first] = paragraphs(text());
      expect(title).toBe(`# @isolation/${id}`);
      expect(first).toBe(info.description);
    });

    it('states the catalog levels of every config', () => {
      const line = text()
        .split(/\r?\n/)
        .find((candidate) => candidate.startsWith('**Configs:**'));
      expect(line, 'a "**Configs:**" line').toBeDefined();
      for (const set of RULE_SETS) {
        const match = new RegExp(`\`${set}\` / \`${set}-type-checked\`: \\*\\*(error|warn|off)\\*\\*`).exec(line ?? '');
        expect(match?.[1], `level in ${set}`).toBe(info.levels[set]);
      }
    });

    it('has the expected sections', () => {
      const headings = text()
        .split(/\r?\n/)
        .filter((line) => /^#{2,3}\s/.test(line))
        .map((line) => line.trim());
      for (const heading of ['## Why', '## What it refuses', '### ❌ Incorrect', '### ✅ Correct', '## Options', '## When not to use it']) {
        expect(headings).toContain(heading);
      }
    });

    it('links to the catalog ADR, which exists and is listed in the ADR index', () => {
      const link = `](${'../'.repeat(DOCS_FROM_ROOT.split('/').length)}${info.adr})`;
      expect(text()).toContain(link);
      expect(existsSync(join(ROOT, info.adr)), `${info.adr} exists`).toBe(true);
      expect(read(join(ADR_DIR, 'README.md'))).toContain(`](${basename(info.adr)})`);
    });

    it('documents the typeAware option exactly when the rule is type-aware', () => {
      const options = section(text(), '## Options');
      const documented = tableRows(options).some((row) => row[0] === '`typeAware`');
      expect(documented).toBe(info.typeAware);
    });

    it('has ❌ and ✅ examples', () => {
      const found = examples(text());
      expect(found.some((example) => example.kind === 'incorrect')).toBe(true);
      expect(found.some((example) => example.kind === 'correct')).toBe(true);
    });

    it('links only to files that exist', () => {
      for (const match of text().matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = match[1] ?? '';
        if (/^[a-z]+:/.test(target)) continue;
        expect(existsSync(resolve(DOCS_DIR, target)), target).toBe(true);
      }
    });
  });
});

describe('ADR index', () => {
  const index = (): string => read(join(ADR_DIR, 'README.md'));
  const records = (): string[] =>
    readdirSync(ADR_DIR)
      .filter((file) => /^\d{4}-.*\.md$/.test(file))
      .sort();

  it('lists every record once, with the status the record states', () => {
    const rows = tableRows(index().split(/\r?\n/));
    for (const record of records()) {
      const matching = rows.filter((row) => row.some((cell) => cell.includes(`](${record})`)));
      expect(matching, record).toHaveLength(1);
      const status = section(read(join(ADR_DIR, record)), '## Status')
        .map((line) => line.trim())
        .find((line) => line.length > 0);
      expect(status, `${record} states a status`).toBeDefined();
      expect(matching[0]?.at(-1), `status of ${record} in the index`).toBe(status);
    }
  });

  it('lists no record that does not exist', () => {
    for (const match of index().matchAll(/\]\(([^)]+\.md)\)/g)) {
      expect(existsSync(join(ADR_DIR, match[1] ?? '')), match[1]).toBe(true);
    }
  });

  it('every record has Status, Context, Decision and Consequences', () => {
    for (const record of records()) {
      const headings = read(join(ADR_DIR, record))
        .split(/\r?\n/)
        .filter((line) => line.startsWith('## '))
        .map((line) => line.trim());
      expect(headings, record).toEqual(['## Status', '## Context', '## Decision', '## Consequences']);
    }
  });
});

describe('README rules table', () => {
  const rows = (): string[][] => tableRows(section(read(join(ROOT, 'README.md')), '## Rules'));

  it('has one row per rule, in catalog order', () => {
    const ids = rows().map((row) => /^\[`([^`]+)`\]/.exec(row[0] ?? '')?.[1]);
    expect(ids).toEqual([...RULE_IDS]);
  });

  it.each(RULE_IDS.map((id) => [id] as const))('%s: link, description, levels and type-awareness match the catalog', (id) => {
    const info = RULE_CATALOG[id];
    const row = rows().find((cells) => cells[0]?.startsWith(`[\`${id}\`]`));
    expect(row).toBeDefined();
    const [rule, description, recommended, strict, typeAware] = row ?? [];
    expect(rule).toBe(`[\`${id}\`](${DOCS_FROM_ROOT}/${id}.md)`);
    expect(description).toBe(info.description);
    expect(recommended).toBe(info.levels.recommended);
    expect(strict).toBe(info.levels.strict);
    expect(typeAware).toBe(info.typeAware ? 'yes' : 'no');
  });
});

describe('the ESLint plugin README rules table', () => {
  const rows = (): string[][] => tableRows(section(read(join(ROOT, 'packages/eslint-plugin-isolation/README.md')), '## Rules'));

  it('is the repository README table with links relative to the package', () => {
    const root = tableRows(section(read(join(ROOT, 'README.md')), '## Rules')).map((cells) => [(cells[0] ?? '').replace(`](${DOCS_FROM_ROOT}/`, '](docs/rules/'), ...cells.slice(1)]);
    expect(rows()).toEqual(root);
    expect(rows()).toHaveLength(RULE_IDS.length);
  });
});

interface PluginRule {
  readonly meta?: {
    readonly type?: string;
    readonly docs?: { readonly url?: string; readonly description?: string };
  };
}

interface PluginShape {
  readonly rules: Readonly<Record<string, PluginRule>>;
  readonly configs: Readonly<Record<string, { readonly rules?: Readonly<Record<string, unknown>> } | undefined>>;
}

describe('the ESLint plugin', () => {
  let plugin: PluginShape;
  beforeAll(async () => {
    plugin = (await import('@isolation/eslint-plugin')).default as unknown as PluginShape;
  });

  it('has exactly the catalog rules', () => {
    expect(Object.keys(plugin.rules).sort()).toEqual([...RULE_IDS].sort());
  });

  it.each(RULE_IDS.map((id) => [id] as const))('%s: meta matches the catalog and links to the rule page', (id) => {
    const meta = plugin.rules[id]?.meta;
    expect(meta?.docs?.url?.endsWith(`/${id}.md`), `meta.docs.url ${meta?.docs?.url} ends with /${id}.md`).toBe(true);
    expect(meta?.docs?.description).toBe(RULE_CATALOG[id].description);
    expect(meta?.type).toBe(RULE_CATALOG[id].type);
  });

  it.each(CONFIGS.map((config) => [config.name, config] as const))('config %s has the catalog levels', (name, config) => {
    const rules = plugin.configs[name]?.rules;
    expect(rules, `configs['${name}'].rules`).toBeDefined();
    const ours = Object.keys(rules ?? {}).filter((key) => key.startsWith('@isolation/'));
    expect(ours.every((key) => (RULE_IDS as readonly string[]).includes(key.slice('@isolation/'.length))), ours.join(', ')).toBe(true);
    for (const id of RULE_IDS) {
      const entry = rules?.[`@isolation/${id}`];
      expect(normalizeSeverity(entry), `${name}: @isolation/${id}`).toBe(RULE_CATALOG[id].levels[config.set]);
      if (normalizeSeverity(entry) === 'off') continue;
      const typeAware = ruleOptions(entry)?.['typeAware'] === true;
      expect(typeAware, `${name}: typeAware of @isolation/${id}`).toBe(config.typeChecked && RULE_CATALOG[id].typeAware);
    }
  });

  describe('documented examples', () => {
    const linter = new Linter({ cwd: ROOT });
    const lint = (code: string, rules: Linter.RulesRecord): Linter.LintMessage[] =>
      linter.verify(
        code,
        [
          {
            files: ['**/*.ts'],
            languageOptions: { parser: tsParser, sourceType: 'module' },
            plugins: { '@isolation': plugin as unknown as ESLint.Plugin },
            rules,
          },
        ],
        { filename: join(ROOT, 'src/example.ts') },
      );
    const allRules = (): Linter.RulesRecord => Object.fromEntries(RULE_IDS.map((id) => [`@isolation/${id}`, 'error']));
    const describeMessages = (messages: readonly Linter.LintMessage[]): string =>
      messages.map((message) => `${message.line}:${message.column} ${message.ruleId ?? 'fatal'}: ${message.message}`).join('\n') || 'none';

    const cases = RULE_IDS.flatMap((id) =>
      existsSync(docFile(id)) ? examples(read(docFile(id))).map((example) => [`${id}.md:${example.line} ${example.kind}`, id, example] as const) : [],
    );

    it.each(cases)('%s', (_label, id, example) => {
      const messages = lint(example.code, allRules());
      expect(messages.filter((message) => message.fatal === true || message.ruleId === null), describeMessages(messages)).toEqual([]);
      if (example.kind === 'correct') {
        expect(messages, describeMessages(messages)).toEqual([]);
        return;
      }
      const marks = example.code.split('❌').length - 1;
      const others = messages.filter((message) => message.ruleId !== `@isolation/${id}`);
      expect(others, `only @isolation/${id} reports:\n${describeMessages(messages)}`).toEqual([]);
      expect(messages.length, `one report per ❌ mark:\n${describeMessages(messages)}`).toBe(marks);
    });
  });
});

describe('transformer README', () => {
  it('lists every rule with its fixed diagnostic code, and links its page', async () => {
    const { DIAGNOSTIC_CODES } = await import('@isolation/ts-transformer-entities');
    const readme = read(join(ROOT, 'packages/ts-transformer-entities/README.md'));
    const rows = [...readme.matchAll(/^\| TS(\d+) \| \[`([a-z-]+)`\]\(\.\.\/eslint-plugin-isolation\/docs\/rules\/([a-z-]+)\.md\) \|$/gm)].map((match) => [match[2], Number(match[1]), match[3]]);
    expect(rows).toEqual(RULE_IDS.map((id) => [id, DIAGNOSTIC_CODES[id], id]));
  });
});
