export const RULE_IDS = [
  'entity-scope',
  'capsule-id-field',
  'key-scope-segments',
  'key-template',
  'endpoint-params',
  'endpoint-explicit-params',
  'event-scope-fields',
  'no-adhoc-aws-client',
  'no-literal-table-name',
  'no-env-config',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}
