import type { RuleId } from '@isolation/core';
import type { TSESLint } from '@typescript-eslint/utils';
import capsuleIdField from './capsule-id-field.js';
import endpointExplicitParams from './endpoint-explicit-params.js';
import endpointParams from './endpoint-params.js';
import entityScope from './entity-scope.js';
import eventScopeFields from './event-scope-fields.js';
import keyScopeSegments from './key-scope-segments.js';
import keyTemplate from './key-template.js';
import noAdhocAwsClient from './no-adhoc-aws-client.js';
import noEnvConfig from './no-env-config.js';
import noLiteralTableName from './no-literal-table-name.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rules differ in their option types
export const rules: Readonly<Record<RuleId, TSESLint.RuleModule<string, any>>> = {
  'entity-scope': entityScope,
  'capsule-id-field': capsuleIdField,
  'key-scope-segments': keyScopeSegments,
  'key-template': keyTemplate,
  'endpoint-params': endpointParams,
  'endpoint-explicit-params': endpointExplicitParams,
  'event-scope-fields': eventScopeFields,
  'no-adhoc-aws-client': noAdhocAwsClient,
  'no-literal-table-name': noLiteralTableName,
  'no-env-config': noEnvConfig,
};
