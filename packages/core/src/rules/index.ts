/**
 * The rule core: one pure function per rule id over the declaration model. ESLint rules, the
 * transformer and the decorators extract the model and report what these return; no check is
 * written twice.
 */
export { RULE_IDS, isRuleId, type RuleId } from './ids.js';
export { RULE_CATALOG, formatMessage, messageText, type MessageId, type RuleInfo, type RuleSet, type Severity } from './catalog.js';
export type * from './model.js';
export { KEY_DELIMITER } from '../ids.js';
export { RUNTIME_MODULE, DECORATOR_NAMES, SCOPE_BRANDS, BRAND_PROPERTY, MARKER_SCOPES, isDecoratorName, isScopeBrand, type DecoratorName } from './names.js';
export type { Suggestion, Violation } from './violation.js';
export { checkEntityScope, soleScope, MARKER_DECORATOR } from './entity-scope.js';
export { checkCapsuleIdField, requiredBrands } from './capsule-id-field.js';
export { checkKeyScopeSegments } from './key-scope-segments.js';
export { checkKeyTemplate } from './key-template.js';
export { checkEndpointParams, isLegacyEndpoint } from './endpoint-params.js';
export { checkEndpointExplicitParams } from './endpoint-explicit-params.js';
export { checkEventScopeFields } from './event-scope-fields.js';
export { checkAwsClientConstruction, checkTableName, checkEnvRead, isAwsClientConstruction, isAwsClientClass, isAllowedFile, type AllowOptions, type FileContext, type GlobMatcher } from './file-rules.js';
export { findScopeField, lookupFieldPath, DEFAULT_FIELD, SCOPE_FIELD_NAMES } from './fields.js';
export { pathPlaceholders, type PathPlaceholder } from './path.js';
export { globToRegExp, matchesAnyGlob } from './glob.js';
export { parseKeyTemplate, tryParseKeyTemplate, KeyTemplateSyntaxError } from '../template.js';
export type { KeyTemplate, TemplatePart, TemplatePlaceholder, TemplateSegment } from '../template.js';

import { checkCapsuleIdField } from './capsule-id-field.js';
import { checkEntityScope } from './entity-scope.js';
import { checkKeyScopeSegments } from './key-scope-segments.js';
import { checkKeyTemplate } from './key-template.js';
import { checkEndpointExplicitParams } from './endpoint-explicit-params.js';
import { checkEndpointParams } from './endpoint-params.js';
import type { EndpointDeclaration, EntityDeclaration } from './model.js';
import type { Violation } from './violation.js';

/** Every entity check, in report order. */
export function checkEntity(entity: EntityDeclaration): Violation[] {
  return [...checkEntityScope(entity), ...checkCapsuleIdField(entity), ...checkKeyTemplate(entity), ...checkKeyScopeSegments(entity)];
}

/** Every endpoint check, in report order. */
export function checkEndpoint(endpoint: EndpointDeclaration): Violation[] {
  return [...checkEndpointParams(endpoint), ...checkEndpointExplicitParams(endpoint)];
}
