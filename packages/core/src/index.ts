/**
 * @isolation/core: what every enforcement point shares and nothing else — branded ids, key
 * templates, the declaration model, the rule core (one pure check per rule id) and its message
 * catalog. No dependencies, so the ESLint plugin, the transformer and the runtime can all carry it.
 */
export { KEY_DELIMITER, InvalidIdError, tenantId, capsuleId, isTenantId, isCapsuleId, type TenantId, type CapsuleId } from './ids.js';
export * from './rules/index.js';
export { segmentLiteral, segmentPlaceholder, type ParseResult, type TemplateLiteral } from './template.js';
export { sarifLog, directoryUri, relativeUri, type SarifLog, type SarifRegion, type SarifResult, type SarifRule, type SarifTool } from './sarif.js';
