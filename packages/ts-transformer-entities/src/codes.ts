/**
 * One fixed diagnostic code per rule, documented in the package README. Codes never change meaning:
 * a new rule takes the next free number.
 */
import type { RuleId } from '@isolation/core';

export const DIAGNOSTIC_CODES: Readonly<Record<RuleId, number>> = {
  'entity-scope': 91001,
  'capsule-id-field': 91002,
  'key-scope-segments': 91003,
  'key-template': 91004,
  'endpoint-params': 91005,
  'endpoint-explicit-params': 91006,
  'event-scope-fields': 91007,
  'no-adhoc-aws-client': 91008,
  'no-literal-table-name': 91009,
  'no-env-config': 91010,
};

export const DIAGNOSTIC_SOURCE = '@isolation';

/**
 * Not a rule: the transformer cannot run as set up (a bad plugin entry, an entry without
 * `"transformProgram": true`, a TypeScript it does not support). Reported once, with no file.
 */
export const SETUP_DIAGNOSTIC_CODE = 91000;
