export * from './ids.js';
export { parseKeyTemplate, tryParseKeyTemplate, KeyTemplateSyntaxError } from './template.js';
export type { KeyTemplate, TemplatePart, TemplatePlaceholder, TemplateSegment } from './template.js';
export { Entity, CapsuleIsolated, TenantScoped, PlatformScoped, Endpoint, DomainEvent } from './decorators.js';
// The decorators' checking signatures (ADR 0019), exported so that declaration emit can name them.
export type { IsolationTypeError } from './types/messages.js';
export type { CheckedEntityOptions, CheckedTemplate, EntityDecorator, ParsedEntityDecorator } from './types/entity.js';
export type { MalformedTemplate, ParsedTemplate } from './types/key-template.js';
export type { CheckedEventOptions, EventDecorator, EventIdsDecorator, ScopeMarkerDecorator } from './types/scope.js';
export type { EndpointDecorator, EndpointMethodDecorator, EndpointOptionsOf } from './types/endpoint.js';
export { getEntityMetadata, getEndpoints, getEventMetadata, HTTP_METHODS } from './registry.js';
export type { EntityOptions, EntityMetadata, EndpointOptions, EndpointMetadata, EventOptions, EventMetadata, EventScope, HttpMethod } from './registry.js';
// Typed repository keys (ADR 0022): `static readonly keys = capsuleKeys(pk, sk)` on an entity; free of the AWS SDK.
export { capsuleKeys, tenantKeys, platformKeys, type KeyDeclaration, type EntityScopeKind } from './repo/declaration.js';
export { keysOf, partitionKeyOf, keyValue, KEY_BUILDER, type EntityKeys, type CompiledKeyBuilder, type KeyPartReader } from './keys.js';
export { IsolationDeclarationError, KeyValueError } from './errors.js';
