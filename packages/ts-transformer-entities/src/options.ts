/**
 * The plugin entry's options, mirroring the ESLint configs: a rule set, per-rule severity, wrapper
 * modules that re-export our decorators, and the `allow` globs of the file rules.
 */
import { RULE_CATALOG, RULE_IDS, isRuleId, type RuleId, type RuleSet, type Severity } from '@isolation/core';

export interface TransformerOptions {
  /** `recommended` (default) or `strict`, as in the ESLint configs. */
  readonly rules?: RuleSet;
  /** Per-rule severity over the rule set's. */
  readonly severity?: Readonly<Partial<Record<RuleId, Severity>>>;
  /** Modules that re-export our decorators (the ESLint rules' `modules` option). */
  readonly modules?: readonly string[];
  /** Files (globs relative to the tsconfig's directory) where the rule is allowed, per rule. */
  readonly allow?: Readonly<Partial<Record<'no-adhoc-aws-client' | 'no-env-config', readonly string[]>>>;
  /** Attach compiled key builders to entities on emit (default true). */
  readonly keyBuilders?: boolean;
  /** Write an OpenAPI 3.1 document of every `@Endpoint` on emit: a path (relative to outDir), or options. */
  readonly openapi?: string | OpenApiOutput;
}

export interface OpenApiOutput {
  readonly output: string;
  readonly title?: string;
  readonly version?: string;
}

export interface ResolvedOptions {
  readonly severity: Readonly<Record<RuleId, Severity>>;
  readonly modules: readonly string[];
  readonly allow: Readonly<Record<'no-adhoc-aws-client' | 'no-env-config', readonly string[]>>;
  readonly keyBuilders: boolean;
  readonly openapi: OpenApiOutput | undefined;
}

const SEVERITIES: readonly Severity[] = ['error', 'warn', 'off'];
const ALLOW_RULES = ['no-adhoc-aws-client', 'no-env-config'] as const;

/** Thrown for a misconfigured plugin entry: says which key is wrong and what it accepts. */
export class TransformerOptionsError extends Error {
  override readonly name = 'TransformerOptionsError';
  constructor(problem: string) {
    super(`@isolation/ts-transformer-entities: ${problem} (in tsconfig.json compilerOptions.plugins)`);
  }
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

export function resolveOptions(config: Readonly<Record<string, unknown>>): ResolvedOptions {
  const set = config['rules'] ?? 'recommended';
  if (set !== 'recommended' && set !== 'strict') throw new TransformerOptionsError(`"rules" is ${JSON.stringify(set)}; expected "recommended" or "strict"`);
  const severity = Object.fromEntries(RULE_IDS.map((id) => [id, RULE_CATALOG[id].levels[set]])) as Record<RuleId, Severity>;
  const overrides = config['severity'] ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) throw new TransformerOptionsError('"severity" must be an object of rule id → "error" | "warn" | "off"');
  for (const [id, level] of Object.entries(overrides)) {
    const rule = id.replace(/^@isolation\//, '');
    if (!isRuleId(rule)) throw new TransformerOptionsError(`"severity" names the unknown rule "${id}"; known rules: ${RULE_IDS.join(', ')}`);
    if (!SEVERITIES.includes(level as Severity)) throw new TransformerOptionsError(`"severity"."${id}" is ${JSON.stringify(level)}; expected "error", "warn" or "off"`);
    severity[rule] = level as Severity;
  }
  const modules = config['modules'] ?? [];
  if (!isStringList(modules)) throw new TransformerOptionsError('"modules" must be a list of module names');
  const allowConfig = config['allow'] ?? {};
  if (typeof allowConfig !== 'object' || allowConfig === null || Array.isArray(allowConfig)) throw new TransformerOptionsError('"allow" must be an object: { "no-adhoc-aws-client"?: [globs], "no-env-config"?: [globs] }');
  const allow = { 'no-adhoc-aws-client': [] as string[], 'no-env-config': [] as string[] };
  for (const [id, globs] of Object.entries(allowConfig)) {
    const rule = id.replace(/^@isolation\//, '');
    if (!(ALLOW_RULES as readonly string[]).includes(rule)) throw new TransformerOptionsError(`"allow" names "${id}"; only ${ALLOW_RULES.join(' and ')} take an allow list`);
    if (!isStringList(globs)) throw new TransformerOptionsError(`"allow"."${id}" must be a list of globs`);
    allow[rule as (typeof ALLOW_RULES)[number]] = globs;
  }
  const keyBuilders = config['keyBuilders'] ?? true;
  if (typeof keyBuilders !== 'boolean') throw new TransformerOptionsError('"keyBuilders" must be true or false');
  const openapiConfig = config['openapi'];
  const openapi = openapiConfig === undefined ? undefined : typeof openapiConfig === 'string' ? { output: openapiConfig } : openapiConfig;
  const isOutput = (value: unknown): value is OpenApiOutput => {
    const candidate = value as Partial<Record<keyof OpenApiOutput, unknown>> | null;
    return typeof candidate === 'object' && candidate !== null && typeof candidate.output === 'string' && ['title', 'version'].every((key) => candidate[key as 'title'] === undefined || typeof candidate[key as 'title'] === 'string');
  };
  if (openapi !== undefined && !isOutput(openapi)) throw new TransformerOptionsError('"openapi" must be a path, or { "output": path, "title"?: string, "version"?: string }');
  return { severity, modules, allow, keyBuilders, openapi };
}
