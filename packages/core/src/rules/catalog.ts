/**
 * Every rule's description, configuration levels and message texts, defined once. Messages use
 * ESLint's `{{name}}` placeholders; `formatMessage` fills them for the other enforcement points.
 */
import type { RuleId } from './ids.js';

export type Severity = 'error' | 'warn' | 'off';
export type RuleSet = 'recommended' | 'strict';

export interface RuleInfo {
  readonly description: string;
  readonly type: 'problem' | 'suggestion';
  /** Severity in each rule set; the type-checked sets use the same levels. */
  readonly levels: Readonly<Record<RuleSet, Severity>>;
  /** True when the rule can use type information (through its `typeAware` option). */
  readonly typeAware: boolean;
  /** The architecture decision record that gives the rule's reason, relative to the repository root. */
  readonly adr: string;
  readonly messages: Readonly<Record<string, string>>;
}

const ISOLATION_ADR = 'adr/0010-capsule-isolation-enforcement.md';
const ENDPOINT_ADR = 'adr/0011-explicit-endpoint-parameters.md';
const CLIENT_ADR = 'adr/0012-scoped-aws-clients-and-configuration.md';

const UNVERIFIABLE = '{{what}} is {{found}}, which cannot be checked at build time; write it as a string literal{{alternative}}.';

export const RULE_CATALOG = {
  'entity-scope': {
    description: 'Require every @Entity to declare exactly one scope marker, and a reason for @PlatformScoped',
    type: 'problem',
    levels: { recommended: 'error', strict: 'error' },
    typeAware: false,
    adr: ISOLATION_ADR,
    messages: {
      missingScope:
        'Entity `{{entity}}` declares no scope; add `@CapsuleIsolated()` (one capsule of one tenant, the safe default), `@TenantScoped()`, or `@PlatformScoped({ reason })`.',
      multipleScopes:
        'Entity `{{entity}}` declares {{count}} scopes ({{markers}}); keep exactly one.',
      missingReason:
        'Entity `{{entity}}` is `@PlatformScoped` without a reason; platform data is shared by every tenant, so say why: `@PlatformScoped({ reason: \'…\' })`.',
      emptyReason:
        'Entity `{{entity}}` is `@PlatformScoped` with an empty reason; say why this data is shared by every tenant.',
      unverifiableReason: UNVERIFIABLE,
    },
  },
  'capsule-id-field': {
    description: 'Require capsule- and tenant-scoped entities to carry their TenantId and CapsuleId fields',
    type: 'problem',
    levels: { recommended: 'error', strict: 'error' },
    typeAware: true,
    adr: ISOLATION_ADR,
    messages: {
      missingField:
        '{{scope}} entity `{{entity}}` has no {{brand}} field; add `{{field}}!: {{brand}};` (own, inherited, or one level nested) so every item records the {{owner}} it belongs to.',
      addField: 'Add `{{field}}!: {{brand}};` to `{{entity}}`.',
    },
  },
  'key-scope-segments': {
    description: 'Require the partition key of a scoped entity to begin with its tenant (and capsule) segments',
    type: 'problem',
    levels: { recommended: 'error', strict: 'error' },
    typeAware: true,
    adr: ISOLATION_ADR,
    messages: {
      missingScopePrefix:
        'The pk of {{scope}} entity `{{entity}}` is `{{pk}}`; it must begin `{{expected}}` so its items live in the {{owner}}\'s own key space.',
      nothingAfterPrefix:
        'The pk of {{scope}} entity `{{entity}}` is only its scope prefix `{{pk}}`; add the entity\'s own segments after it, e.g. `{{pk}}#{{example}}`.',
      rewritePk: 'Rewrite the pk as `{{pk}}`.',
    },
  },
  'key-template': {
    description: 'Require well-formed key templates, written as literals, whose placeholders name fields',
    type: 'problem',
    levels: { recommended: 'error', strict: 'error' },
    typeAware: true,
    adr: ISOLATION_ADR,
    messages: {
      missingPk: 'Entity `{{entity}}` has no `pk` template; add one, e.g. `pk: \'TENANT#{tenantId}#CAPSULE#{capsuleId}#{{upperName}}#{id}\'`.',
      malformedTemplate: 'The {{option}} template `{{template}}` of `{{entity}}` is malformed: {{problem}}.',
      unknownField:
        'The {{option}} template of `{{entity}}` uses `{{{placeholder}}}`, but `{{entity}}` has no field `{{field}}`; use one of its fields ({{fields}}).',
      unknownSubField:
        'The {{option}} template of `{{entity}}` uses `{{{placeholder}}}`, but field `{{field}}` has no field `{{sub}}`.',
      unverifiableTemplate: UNVERIFIABLE,
      notOptions:
        '`@Entity` of `{{entity}}` is given {{found}}, but it takes an options object: write `@Entity({ table: \'…\', pk: \'TENANT#{tenantId}#CAPSULE#{capsuleId}#{{upperName}}#{id}\' })`.',
    },
  },
  'endpoint-params': {
    description: 'Require @Endpoint path and query parameters to be declared explicitly and consistently with the path and handler',
    type: 'problem',
    levels: { recommended: 'error', strict: 'error' },
    typeAware: false,
    adr: ENDPOINT_ADR,
    messages: {
      placeholderNotDeclared:
        'Path placeholder `{{{name}}}` of `{{endpoint}}` is missing from `pathParams`; add \'{{name}}\' to `pathParams`.',
      pathParamNotInPath:
        '`pathParams` of `{{endpoint}}` lists \'{{name}}\', but the path `{{path}}` has no `{{{name}}}`; add the placeholder to the path or move \'{{name}}\' to `queryParams`.',
      duplicateParam: '`{{list}}` of `{{endpoint}}` lists \'{{name}}\' twice; remove the duplicate.',
      paramInBothLists:
        '\'{{name}}\' of `{{endpoint}}` is in both `pathParams` and `queryParams`; a parameter comes from one place: keep it in `pathParams` if the path has `{{{name}}}`, otherwise in `queryParams`.',
      undeclaredHandlerParam:
        'Handler parameter `{{name}}` of `{{endpoint}}` is declared nowhere; add it to `queryParams`{{bodyHint}}.',
      declaredNotAParameter:
        '`{{list}}` of `{{endpoint}}` names \'{{name}}\', but the handler has no parameter `{{name}}`; rename the entry or add the parameter.',
      unnamedHandlerParam:
        'Handler parameter {{position}} of `{{endpoint}}` is destructured, so no declaration can name it; take it as a named parameter and destructure inside the handler.',
      colonPlaceholder:
        'Path `{{path}}` of `{{endpoint}}` uses the `:{{name}}` placeholder style; write `{{{name}}}`.',
      unverifiableOption: UNVERIFIABLE,
      unverifiableList: UNVERIFIABLE,
      notOptions:
        '`@Endpoint` of `{{endpoint}}` is given {{found}}, but it takes an options object: write `@Endpoint({ method: \'GET\', path: \'…\', pathParams: [], queryParams: [] })`.',
      addPathParams: 'Add {{names}} to `pathParams`.',
      addQueryParam: 'Add \'{{name}}\' to `queryParams`.',
      useAsBody: 'Declare `{{name}}` as the request body (`body: \'{{name}}\'`).',
      rewriteColon: 'Rewrite the path as `{{path}}`.',
    },
  },
  'endpoint-explicit-params': {
    description: 'Deprecate @Endpoint declarations that leave path and query parameters to be inferred',
    type: 'suggestion',
    levels: { recommended: 'warn', strict: 'error' },
    typeAware: false,
    adr: ENDPOINT_ADR,
    messages: {
      implicitParams:
        '`{{endpoint}}` leaves its parameters to be inferred (deprecated: an inferred parameter can silently turn from query into path); declare `pathParams` and `queryParams` explicitly.',
      declareParams: 'Declare {{declaration}}.',
    },
  },
  'event-scope-fields': {
    description: 'Require @DomainEvent classes to carry the id fields their scope needs',
    type: 'problem',
    levels: { recommended: 'error', strict: 'error' },
    typeAware: true,
    adr: ISOLATION_ADR,
    messages: {
      missingField:
        '{{scope}}-scoped event `{{event}}` has no {{brand}} field; add `{{field}}!: {{brand}};` so consumers can tell which {{owner}} it belongs to.',
      unknownScope: 'Event `{{event}}` declares scope \'{{found}}\'; use \'capsule\' (the default), \'tenant\' or \'platform\'.',
      unverifiableScope: UNVERIFIABLE,
      addField: 'Add `{{field}}!: {{brand}};` to `{{event}}`.',
    },
  },
  'no-adhoc-aws-client': {
    description: 'Disallow constructing AWS SDK clients outside the scoped client factory',
    type: 'problem',
    levels: { recommended: 'error', strict: 'error' },
    typeAware: false,
    adr: CLIENT_ADR,
    messages: {
      adhocClient:
        '`{{construction}}` creates an AWS client that no isolation guard watches; ask the scope for it instead: `scope.{{replacement}}`.',
    },
  },
  'no-literal-table-name': {
    description: 'Disallow literal DynamoDB table names; ask the scope for the physical name',
    type: 'problem',
    levels: { recommended: 'error', strict: 'error' },
    typeAware: false,
    adr: CLIENT_ADR,
    messages: {
      literalTableName:
        '`TableName` is the literal \'{{name}}\', which names the same table in every scope; use `scope.table(\'{{name}}\')`.',
      physicalTableName:
        '`TableName` is the literal \'{{name}}\', the physical name of capsule {{owner}}\'s table: every scope would use that one capsule\'s table; use `scope.table(\'{{logical}}\')`.',
    },
  },
  'no-env-config': {
    description: 'Disallow reading process.env outside the configuration module',
    type: 'suggestion',
    levels: { recommended: 'off', strict: 'error' },
    typeAware: false,
    adr: CLIENT_ADR,
    messages: {
      envRead:
        '`process.env` read here bypasses the hierarchical configuration (platform → tenant → capsule); read settings from the resolved config, or list this file in the rule\'s `allow` option.',
    },
  },
} as const satisfies Readonly<Record<RuleId, RuleInfo>>;

/** The message ids of a rule: a misspelled one is a compile error wherever a rule reports. */
export type MessageId<R extends RuleId> = keyof (typeof RULE_CATALOG)[R]['messages'] & string;

/** Fills `{{name}}` placeholders, as ESLint does. Unknown names are left as written. */
export function formatMessage(template: string, data: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{([^{}]+?)\}\}/g, (whole, name: string) => data[name.trim()] ?? whole);
}

export function messageText(rule: RuleId, messageId: string, data: Readonly<Record<string, string>>): string {
  const template = (RULE_CATALOG[rule].messages as Readonly<Record<string, string>>)[messageId];
  if (template === undefined) throw new Error(`Rule ${rule} has no message ${messageId}`);
  return formatMessage(template, data);
}
