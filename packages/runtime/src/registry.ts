/** What the decorators record about a class, keyed by the class itself (no global names). */
import type { ScopeKind } from './rules/index.js';

export interface EntityOptions {
  readonly table: string;
  readonly pk: string;
  readonly sk?: string;
}

export interface EntityMetadata extends EntityOptions {
  readonly scopes: readonly ScopeKind[];
  readonly platformReason?: string;
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface EndpointOptions {
  readonly method: HttpMethod;
  readonly path: string;
  readonly pathParams?: readonly string[];
  readonly queryParams?: readonly string[];
  readonly body?: string;
  readonly permission?: string;
}

export interface EndpointMetadata extends EndpointOptions {
  readonly handler: string;
}

export type EventScope = 'capsule' | 'tenant' | 'platform';

export interface EventOptions {
  readonly type: string;
  readonly scope?: EventScope;
}

export interface EventMetadata {
  readonly type: string;
  readonly scope: EventScope;
}

/** Mutable while the class's decorators apply; read through the getters below. */
export interface EntityRecord {
  options: EntityOptions | undefined;
  scopes: ScopeKind[];
  platformReason: string | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any class constructor
export type AnyClass = Function;

export const entityRecords = new WeakMap<AnyClass, EntityRecord>();
export const eventRecords = new WeakMap<AnyClass, EventMetadata>();
/** Endpoints by the object that owns them: the class (legacy decorators) or its decorator metadata (standard). */
export const endpointRecords = new WeakMap<object, EndpointMetadata[]>();

export function entityRecord(target: AnyClass): EntityRecord {
  let record = entityRecords.get(target);
  if (record === undefined) entityRecords.set(target, (record = { options: undefined, scopes: [], platformReason: undefined }));
  return record;
}

export function getEntityMetadata(target: AnyClass): EntityMetadata | undefined {
  const record = entityRecords.get(target);
  if (record?.options === undefined) return undefined;
  return { ...record.options, scopes: [...record.scopes], ...(record.platformReason === undefined ? {} : { platformReason: record.platformReason }) };
}

export function getEventMetadata(target: AnyClass): EventMetadata | undefined {
  return eventRecords.get(target);
}

/** The scopes each event type is declared with in this process (a type declared twice may name two). */
const eventTypeScopes = new Map<string, Set<EventScope>>();

/** Records a `@DomainEvent` class: by class, and its type's scope by type name (what a PutEvents entry carries). */
export function registerEvent(target: AnyClass, metadata: EventMetadata): void {
  eventRecords.set(target, metadata);
  let scopes = eventTypeScopes.get(metadata.type);
  if (scopes === undefined) eventTypeScopes.set(metadata.type, (scopes = new Set()));
  scopes.add(metadata.scope);
}

/** The scopes `type` is declared with by the `@DomainEvent` classes of this process; empty when none declares it. */
export function getEventTypeScopes(type: string): ReadonlySet<EventScope> {
  return eventTypeScopes.get(type) ?? new Set();
}

export function getEndpoints(target: AnyClass): readonly EndpointMetadata[] {
  const metadata = (target as { [Symbol.metadata]?: object | null })[Symbol.metadata];
  return [...(endpointRecords.get(target) ?? []), ...(metadata ? (endpointRecords.get(metadata) ?? []) : [])];
}
