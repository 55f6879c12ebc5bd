// Subpath imports: the package index loads far more than a rule needs, on every lint run.
import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';
import { RULE_CATALOG, type RuleId, type RuleSet } from '@isolation/core';

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
  const info = RULE_CATALOG[id];
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
