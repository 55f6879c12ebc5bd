/** Domain events: run-time validation and publishing through a scope, and the event-log audit. */
export { EventViolationError, validateEvent, type EventRule } from './validate.js';
export { EventPublishError, publishEvent, type PublishOptions, type PublishResult } from './publish.js';
export { AUDIT_RULES, EventAuditor, LineSplitter, auditStream, type AuditOptions, type AuditReport, type AuditRule, type FieldProfile, type Finding, type Severity, type TypeProfile } from './audit.js';
export { escapeControlCharacters, formatJson, formatReport, formatSarif, formatText, type AuditFormat } from './format.js';
