/**
 * Run-time checks of a `@DomainEvent` instance against the scope that publishes it. The checks read
 * a plain-data snapshot of the event (see `snapshot.ts`), the same snapshot `publishEvent` sends.
 *
 * What each event scope may carry (ADR 0018): every tenant or capsule id field in the event, at any
 * depth (by the conventional names of `SCOPE_FIELD_NAMES`), must be a non-empty string equal to the
 * publishing scope's own id; a scope without such an id (platform, operator, a tenant scope's
 * capsule) may send none. On top of that the event's declared scope needs its fields (capsule: tenant
 * and capsule ids; tenant: the tenant id) at the top level or one level nested, and sets who may
 * publish it: capsule events only their capsule's scope, tenant events a scope of their tenant,
 * platform events any scope.
 */
import { types } from 'node:util';
import { getEventMetadata, getEventTypeScopes, type AnyClass, type EventMetadata, type EventScope } from '../registry.js';
import { SCOPE_FIELD_NAMES } from '../rules/fields.js';
import { scopeLabel, type ScopeDescription } from '../aws/scope.js';
import { NotPlainDataError, snapshotEvent, type EventSnapshot, type ScopeFieldOccurrence } from './snapshot.js';

/** Why an event was refused. */
export type EventRule =
  /** The event's class is not a registered `@DomainEvent`. */
  | 'event-unregistered'
  /** A scope field the event's declared scope needs is missing, or a scope field is empty or not a string. */
  | 'event-scope-fields'
  /** A scope field's value is not the publishing scope's id, or the scope has no such id. */
  | 'event-scope-mismatch'
  /** The publishing scope cannot publish events of this scope (a capsule event from a tenant scope). */
  | 'event-scope-publisher'
  /** The event is not plain data (a getter, Proxy, toJSON, function, cycle…): what is checked might not be what is sent. */
  | 'event-not-plain-data';

export class EventViolationError extends Error {
  override readonly name = 'EventViolationError';
  constructor(
    readonly rule: EventRule,
    readonly scope: ScopeDescription,
    /** The event's declared type (`AccountCreated`), or its class name when it is not registered. */
    readonly eventType: string,
    /** What was found, e.g. `tenantId = "globex"`. */
    readonly found: string,
    /** What the scope requires, and how to fix it. */
    readonly expected: string,
  ) {
    super(`[isolation/${rule}] event ${eventType} refused in ${scopeLabel(scope)}: found ${found}; expected ${expected}`);
  }
}

/** A validated event: its declaration and the snapshot to send. */
export interface CheckedEvent {
  readonly metadata: EventMetadata;
  /** The plain-data snapshot that was validated; serialise exactly this. */
  readonly detail: Readonly<Record<string, unknown>>;
}

type Brand = keyof typeof SCOPE_FIELD_NAMES;
const OWNER: Record<Brand, string> = { TenantId: 'tenant', CapsuleId: 'capsule' };
const BRAND_OF_FIELD: ReadonlyMap<string, Brand> = new Map(
  (Object.keys(SCOPE_FIELD_NAMES) as Brand[]).flatMap((brand) => SCOPE_FIELD_NAMES[brand].map((name) => [name, brand] as const)),
);
const SCOPE_FIELDS: ReadonlySet<string> = new Set(BRAND_OF_FIELD.keys());

/** The scope's id for a brand, or undefined when the scope has none (platform, operator, a tenant scope's capsule). */
function scopeId(scope: ScopeDescription, brand: Brand): string | undefined {
  if (brand === 'TenantId') return scope.kind === 'tenant' || scope.kind === 'capsule' ? scope.tenantId : undefined;
  return scope.kind === 'capsule' ? scope.capsuleId : undefined;
}

function neededBrands(metadata: EventMetadata): readonly Brand[] {
  return metadata.scope === 'capsule' ? ['TenantId', 'CapsuleId'] : metadata.scope === 'tenant' ? ['TenantId'] : [];
}

/** The class whose prototype the event has, read without running any code of the event's. */
function eventClass(event: object): AnyClass | undefined {
  const prototype = Object.getPrototypeOf(event) as object | null;
  const constructor = prototype === null ? undefined : Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value;
  return typeof constructor === 'function' ? (constructor as AnyClass) : undefined;
}

function registration(scope: ScopeDescription, event: unknown): EventMetadata {
  if (typeof event !== 'object' || event === null) {
    throw new EventViolationError('event-unregistered', scope, String(event), `a ${event === null ? 'null' : typeof event} value`, 'an instance of a class decorated with @DomainEvent({ type })');
  }
  if (types.isProxy(event) || types.isProxy(Object.getPrototypeOf(event))) {
    throw new EventViolationError('event-not-plain-data', scope, '(a Proxy)', 'a Proxy, which can show validation one set of fields and JSON.stringify another', 'the event instance itself; publish the @DomainEvent object, not a Proxy around it');
  }
  const ctor = eventClass(event);
  const metadata = ctor === undefined ? undefined : getEventMetadata(ctor);
  if (metadata === undefined) {
    const name = ctor !== undefined && ctor.name !== '' ? ctor.name : '(anonymous)';
    throw new EventViolationError('event-unregistered', scope, name, `an instance of ${name}, which is not a registered @DomainEvent`, `an instance of a class decorated with @DomainEvent({ type: '…', scope }); decorate ${name}, or publish the event class rather than a plain object or a copy`);
  }
  return metadata;
}

function snapshot(scope: ScopeDescription, metadata: EventMetadata, event: object): EventSnapshot {
  try {
    return snapshotEvent(event, SCOPE_FIELDS);
  } catch (error) {
    if (!(error instanceof NotPlainDataError)) throw error;
    throw new EventViolationError('event-not-plain-data', scope, metadata.type, error.message, `plain data: own enumerable data fields holding strings, numbers, booleans, null, arrays, plain objects or Dates, so that what is validated is what is sent; replace it with a plain field on ${metadata.type}`);
  }
}

function checkPublisher(scope: ScopeDescription, metadata: EventMetadata): void {
  if (metadata.scope === 'platform') return;
  if ((scope.kind !== 'capsule' && scope.kind !== 'tenant') || (metadata.scope === 'capsule' && scope.kind !== 'capsule')) {
    throw new EventViolationError('event-scope-publisher', scope, metadata.type, `a ${metadata.scope}-scoped event published from ${scopeLabel(scope)}`, `publish ${metadata.scope}-scoped events from ${metadata.scope === 'capsule' ? "the event's capsule scope, aws.capsule(tenantId, capsuleId)" : "a scope of the event's tenant, aws.tenant(tenantId) or aws.capsule(tenantId, capsuleId)"}`);
  }
}

/** How to fix an id the publisher has none of. */
function withoutId(scope: ScopeDescription, brand: Brand): string {
  if (brand === 'CapsuleId' && scope.kind === 'tenant') return `no capsule id: ${scopeLabel(scope)} has none, and an event carries only its publisher's ids; publish it from that capsule's scope, aws.capsule(tenantId, capsuleId), or leave the capsule id out`;
  return `no ${OWNER[brand]} id: ${scopeLabel(scope)} has none, and an event carries only its publisher's ids; declare the event ${brand === 'CapsuleId' ? 'capsule' : 'tenant'}-scoped and publish it from ${brand === 'CapsuleId' ? 'aws.capsule(tenantId, capsuleId)' : 'aws.tenant(tenantId)'}, or leave the id out`;
}

/** Every scope field, wherever it is, names the publisher's own id. */
function checkOccurrence(scope: ScopeDescription, metadata: EventMetadata, { path, name, value }: ScopeFieldOccurrence): void {
  const brand = BRAND_OF_FIELD.get(name) as Brand;
  const want = scopeId(scope, brand);
  if (typeof value !== 'string' || value === '') {
    throw new EventViolationError('event-scope-fields', scope, metadata.type, `${path} = ${JSON.stringify(value)}`, want === undefined ? `${path} left out: ${withoutId(scope, brand)}` : `${path} to be a non-empty string ${OWNER[brand]} id; set it to ${JSON.stringify(want)}`);
  }
  if (want === undefined) throw new EventViolationError('event-scope-mismatch', scope, metadata.type, `${path} = ${JSON.stringify(value)}`, withoutId(scope, brand));
  if (value !== want) {
    throw new EventViolationError('event-scope-mismatch', scope, metadata.type, `${path} = ${JSON.stringify(value)}`, `${path} = ${JSON.stringify(want)}, the publishing scope's ${OWNER[brand]} id; publish the event from its own ${OWNER[brand]}'s scope`);
  }
}

/** Own, inherited or non-enumerable: why a field the class has is not in the snapshot. */
function hiddenFields(event: object, names: readonly string[]): string {
  const hidden = names.filter((name) => name in event && Object.getOwnPropertyDescriptor(event, name)?.enumerable !== true);
  if (hidden.length === 0) return '';
  return `; ${hidden.join(' and ')} ${hidden.length === 1 ? 'is' : 'are'} inherited or non-enumerable (a prototype getter, a defineProperty), which JSON.stringify leaves out of the sent detail`;
}

/** The fields the declared scope needs: at the top level or one level nested, as `event-scope-fields` finds them at build time. */
function checkNeeded(scope: ScopeDescription, metadata: EventMetadata, occurrences: readonly ScopeFieldOccurrence[], event: object): void {
  for (const brand of neededBrands(metadata)) {
    const names = SCOPE_FIELD_NAMES[brand];
    const found = occurrences.some(({ path, name }) => names.includes(name) && (path === name || /^[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*$/.test(path)));
    if (found) continue;
    const want = scopeId(scope, brand) ?? '';
    throw new EventViolationError('event-scope-fields', scope, metadata.type, `no ${OWNER[brand]} id field (${names.join(' or ')})${hiddenFields(event, names)}`, `a ${metadata.scope}-scoped event to carry its ${OWNER[brand]} id as an own field; set \`${names[0]} = ${JSON.stringify(want)}\` on ${metadata.type}`);
  }
}

/**
 * Checks an event before it is published from `scope` and returns its metadata and the snapshot to
 * send, or throws `EventViolationError`.
 */
export function checkEvent(scope: ScopeDescription, event: object): CheckedEvent {
  const metadata = registration(scope, event);
  return { metadata, detail: checkDetail(scope, metadata, event) };
}

/** The checks after registration: the event's own fields against its declaration and the publisher. */
function checkDetail(scope: ScopeDescription, metadata: EventMetadata, event: object): Readonly<Record<string, unknown>> {
  const { data, scopeFields } = snapshot(scope, metadata, event);
  checkPublisher(scope, metadata);
  for (const occurrence of scopeFields) checkOccurrence(scope, metadata, occurrence);
  checkNeeded(scope, metadata, scopeFields, event);
  return data;
}

/** Strictest first: a type two classes declare with different scopes is held to the stricter declaration. */
const BY_STRICTNESS: readonly EventScope[] = ['capsule', 'tenant', 'platform'];

/**
 * Checks an event as it travels in a PutEvents entry — its `DetailType` and its parsed `Detail` —
 * before it is sent from `scope`, with the checks `checkEvent` runs on an event instance: the type
 * must be declared by a `@DomainEvent` class of this process, and the detail must satisfy that
 * declaration and carry only the publisher's ids, at any depth. Throws `EventViolationError`.
 */
export function checkEventDetail(scope: ScopeDescription, type: string, detail: object): void {
  const scopes = getEventTypeScopes(type);
  const declared = BY_STRICTNESS.find((candidate) => scopes.has(candidate));
  if (declared === undefined) {
    throw new EventViolationError(
      'event-unregistered',
      scope,
      type,
      `DetailType ${JSON.stringify(type)}, which no @DomainEvent class of this process declares`,
      "the type of a @DomainEvent class (import the module that declares it before sending), or send the event with scope.publish(event)",
    );
  }
  checkDetail(scope, { type, scope: declared }, detail);
}

/**
 * Checks an event before it is published from `scope`; returns its metadata, or throws
 * `EventViolationError`. `publishEvent` sends the very snapshot this validates.
 */
export function validateEvent(scope: ScopeDescription, event: object): EventMetadata {
  return checkEvent(scope, event).metadata;
}
