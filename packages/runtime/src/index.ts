export * from './ids.js';
export { parseKeyTemplate, tryParseKeyTemplate, KeyTemplateSyntaxError } from './template.js';
export type { KeyTemplate, TemplatePart, TemplatePlaceholder, TemplateSegment } from './template.js';
export { Entity, CapsuleIsolated, TenantScoped, PlatformScoped, Endpoint, DomainEvent } from './decorators.js';
export { getEntityMetadata, getEndpoints, getEventMetadata, HTTP_METHODS } from './registry.js';
export type { EntityOptions, EntityMetadata, EndpointOptions, EndpointMetadata, EventOptions, EventMetadata, EventScope, HttpMethod } from './registry.js';
export { keysOf, partitionKeyOf, keyValue, KEY_BUILDER, type EntityKeys, type CompiledKeyBuilder, type KeyPartReader } from './keys.js';
export { IsolationDeclarationError, KeyValueError } from './errors.js';
