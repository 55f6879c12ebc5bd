// Subpath imports: the package index loads far more than a rule needs, on every lint run.
import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';
import { minimatch } from 'minimatch';
import { RULE_CATALOG, type GlobMatcher, type MessageId, type RuleId, type RuleInfo, type RuleSet } from '@isolation/core';
import { checkFile, type AllowRule } from '@isolation/core/typescript';
import { fileModel } from './model.js';
import { reportFindings } from './report.js';

export const DOCS_BASE = 'https://github.com/isolation-dev/isolation/blob/main/packages/eslint-plugin-isolation/docs/rules';

export interface IsolationRuleDocs {
  /** The least strict rule set that turns the rule on. */
  recommended?: RuleSet;
  /** The rule itself never needs type information; its `typeAware` option does. */
  requiresTypeChecking?: boolean;
}

export const createRule = RuleCreator<IsolationRuleDocs>((name) => `${DOCS_BASE}/${name}.md`);

/** The metadata the catalog defines once: type, description, the set that enables it, messages. */
export function catalogMeta(id: RuleId) {
  const info: RuleInfo = RULE_CATALOG[id];
  const recommended: RuleSet | undefined = info.levels.recommended !== 'off' ? 'recommended' : info.levels.strict !== 'off' ? 'strict' : undefined;
  return {
    type: info.type,
    docs: { description: info.description, recommended, requiresTypeChecking: false },
    messages: info.messages,
  } as const;
}

export const MODULES_OPTION = {
  type: 'array',
  items: { type: 'string' },
  uniqueItems: true,
  description: 'Extra modules that re-export the @isolation/runtime decorators (a company wrapper, say).',
} as const;

export const TYPE_AWARE_OPTION = {
  type: 'boolean',
  description: 'Use type information: id fields found by brand whatever their names, fields inherited across files, constant templates. Needs parserOptions.projectService.',
} as const;

export const ALLOW_OPTION = {
  type: 'array',
  items: { type: 'string' },
  uniqueItems: true,
  description: 'File globs (relative to the working directory) where the rule does not apply.',
} as const;

/** `allow` globs as minimatch reads them, as in the transformer (`*` stays within a segment, dotfiles only when named). */
export const matchGlob: GlobMatcher = (path, pattern) => minimatch(path, pattern);

type DeclarationOptions = [{ modules?: string[]; typeAware?: boolean }];

/**
 * A rule about our decorated declarations: the file's model from the one extractor, the rule core's
 * findings for this rule id, reported. Files without `@` are never modelled.
 */
export function declarationRule<R extends RuleId>(id: R, { hasSuggestions }: { readonly hasSuggestions: boolean }) {
  // Whether the rule can use type information is the catalog's to say.
  const typeAware = RULE_CATALOG[id].typeAware;
  return createRule<DeclarationOptions, MessageId<R>>({
    name: id,
    meta: {
      ...catalogMeta(id),
      messages: RULE_CATALOG[id].messages as Record<MessageId<R>, string>,
      hasSuggestions,
      schema: [{ type: 'object', properties: typeAware ? { modules: MODULES_OPTION, typeAware: TYPE_AWARE_OPTION } : { modules: MODULES_OPTION }, additionalProperties: false }],
      defaultOptions: [typeAware ? { modules: [], typeAware: false } : { modules: [] }],
    },
    create(context, [options]) {
      if (!context.sourceCode.text.includes('@')) return {};
      return {
        Program() {
          const model = fileModel(context, { modules: options.modules, typeAware: typeAware && options.typeAware === true }, false);
          reportFindings(context, checkFile(model, { rules: new Set([id]), cwd: context.cwd, suggestions: hasSuggestions }));
        },
      };
    },
  });
}

type AllowOptionsTuple = [{ allow?: string[] }?];

/** A rule about code (clients built, table names, env reads), with an `allow` list of files when it takes one. */
export function codeRule<R extends AllowRule | 'no-literal-table-name'>(id: R, { needle }: { readonly needle: string }) {
  const takesAllow = id !== 'no-literal-table-name';
  return createRule<AllowOptionsTuple, MessageId<R>>({
    name: id,
    meta: {
      ...catalogMeta(id),
      messages: RULE_CATALOG[id].messages as Record<MessageId<R>, string>,
      schema: takesAllow ? [{ type: 'object', properties: { allow: ALLOW_OPTION }, additionalProperties: false }] : [],
      defaultOptions: (takesAllow ? [{ allow: [] }] : []) as AllowOptionsTuple,
    },
    create(context, [options]) {
      if (!context.sourceCode.text.includes(needle)) return {};
      return {
        Program() {
          const model = fileModel(context, {}, true);
          const allow = takesAllow ? { [id]: options?.allow ?? [] } : {};
          reportFindings(context, checkFile(model, { rules: new Set([id]), cwd: context.cwd, allow, match: matchGlob }));
        },
      };
    },
  });
}
