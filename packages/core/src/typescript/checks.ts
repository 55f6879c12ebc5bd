/**
 * The rule core run over a file model: every violation as a finding with its span in the file and
 * its suggestions as text edits. Front-ends only present findings (diagnostics, ESLint reports,
 * JSON, SARIF); none decides anything.
 */
import {
  checkAwsClientConstruction,
  checkCapsuleIdField,
  checkEndpointExplicitParams,
  checkEndpointParams,
  checkEntityScope,
  checkEnvRead,
  checkEventScopeFields,
  checkKeyScopeSegments,
  checkKeyTemplate,
  checkTableName,
  type EntityDeclaration,
  type FileContext,
  type GlobMatcher,
  type RuleId,
  type Violation,
} from '../index.js';
import { declarationEdits, type TextEdit } from './edits.js';
import type { DeclarationSite } from './extract.js';
import { locate, nodeSpan, type Span } from './locate.js';
import type { FileModel } from './model.js';

export type AllowRule = 'no-adhoc-aws-client' | 'no-env-config';

export interface CheckOptions {
  /** The rules to run; all when absent. */
  readonly rules?: ReadonlySet<RuleId> | undefined;
  /** Files (globs relative to `cwd`) where a code rule does not apply. */
  readonly allow?: Readonly<Partial<Record<AllowRule, readonly string[]>>>;
  /** How a glob matches a relative path (minimatch in the front-ends). */
  readonly match?: GlobMatcher | undefined;
  /** What `allow` globs are relative to. */
  readonly cwd: string;
  /** Compute suggestions as text edits (ESLint shows them; compilers do not). */
  readonly suggestions?: boolean;
}

export interface FindingSuggestion {
  readonly messageId: string;
  readonly data: Readonly<Record<string, string>>;
  readonly edits: readonly TextEdit[];
}

export interface Finding extends Span {
  readonly rule: RuleId;
  readonly messageId: string;
  readonly data: Readonly<Record<string, string>>;
  readonly suggestions: readonly FindingSuggestion[];
}

/** Every entity rule's verdict on one declaration; an entity with none gets compiled key builders. */
export function entityViolations(declaration: EntityDeclaration): Violation[] {
  return [...checkEntityScope(declaration), ...checkCapsuleIdField(declaration), ...checkKeyTemplate(declaration), ...checkKeyScopeSegments(declaration)];
}

const ENTITY_RULES: readonly RuleId[] = ['entity-scope', 'capsule-id-field', 'key-template', 'key-scope-segments'];
const ENDPOINT_RULES: readonly RuleId[] = ['endpoint-params', 'endpoint-explicit-params'];

export function checkFile(model: FileModel, options: CheckOptions): Finding[] {
  const { ts: tsi, file } = model;
  const wanted = (rule: RuleId): boolean => options.rules === undefined || options.rules.has(rule);
  const anyOf = (rules: readonly RuleId[]): boolean => rules.some(wanted);
  const findings: Finding[] = [];
  const add = (violations: readonly Violation[], span: (violation: Violation) => Span, site: DeclarationSite | undefined): void => {
    for (const violation of violations) {
      if (!wanted(violation.rule)) continue;
      const suggestions =
        options.suggestions === true && site !== undefined
          ? (violation.suggestions ?? []).flatMap((suggestion) => {
              const edits = declarationEdits(tsi, file, site, suggestion.edits);
              return edits === undefined ? [] : [{ messageId: suggestion.messageId, data: suggestion.data, edits }];
            })
          : [];
      findings.push({ rule: violation.rule, messageId: violation.messageId, data: violation.data, ...span(violation), suggestions });
    }
  };
  const declarationSpan = (site: DeclarationSite) => (violation: Violation) => locate(tsi, file, violation.target, site);

  if (anyOf(ENTITY_RULES)) for (const entity of model.entities) add(entityViolations(entity.declaration), declarationSpan(entity.site), entity.site);
  if (wanted('event-scope-fields')) for (const event of model.events) add(checkEventScopeFields(event.declaration), declarationSpan(event.site), event.site);
  if (anyOf(ENDPOINT_RULES)) {
    for (const endpoint of model.endpoints) add([...checkEndpointParams(endpoint.declaration), ...checkEndpointExplicitParams(endpoint.declaration)], declarationSpan(endpoint.site), endpoint.site);
  }

  const fileContext: FileContext = { filename: file.fileName, cwd: options.cwd };
  const allow = (rule: AllowRule) => ({ allow: options.allow?.[rule] ?? [], ...(options.match === undefined ? {} : { match: options.match }) });
  if (wanted('no-adhoc-aws-client')) {
    for (const client of model.facts.clients) add(checkAwsClientConstruction(client.construction, fileContext, allow('no-adhoc-aws-client')), () => nodeSpan(client.node, file), undefined);
  }
  if (wanted('no-literal-table-name')) {
    for (const table of model.facts.tableNames) add(checkTableName({ kind: 'known', value: table.value }), () => nodeSpan(table.node, file), undefined);
  }
  if (wanted('no-env-config')) {
    for (const read of model.facts.envReads) add(checkEnvRead(fileContext, allow('no-env-config')), () => nodeSpan(read.node, file), undefined);
  }
  return findings;
}
