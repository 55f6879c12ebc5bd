/**
 * Run-time checks of a `@DomainEvent` instance against the scope that publishes it: the event's
 * class must be registered, carry the id fields its declared scope needs (by the conventional names
 * of `SCOPE_FIELD_NAMES`) as non-empty strings, and those ids must be the publishing scope's.
 */
import { getEventMetadata, type EventMetadata } from '../registry.js';
import { SCOPE_FIELD_NAMES } from '../rules/fields.js';
import { scopeLabel, type ScopeDescription } from '../aws/scope.js';

/** Why an event was refused. */
export type EventRule =
  /** The event's class is not a registered `@DomainEvent`. */
  | 'event-unregistered'
  /** A scope field the event's declared scope needs is missing, empty or not a string. */
  | 'event-scope-fields'
  /** A scope field's value is not the publishing scope's id. */
  | 'event-scope-mismatch'
  /** The publishing scope cannot publish events of this scope (a capsule event from a tenant scope). */
  | 'event-scope-publisher';

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

type Brand = keyof typeof SCOPE_FIELD_NAMES;
const OWNER: Record<Brand, string> = { TenantId: 'tenant', CapsuleId: 'capsule' };

function className(event: object): string {
  const ctor = (event as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : '(anonymous)';
}

/** The scope's id for a brand, or undefined when the scope has none (platform, operator, a tenant scope's capsule). */
function scopeId(scope: ScopeDescription, brand: Brand): string | undefined {
  if (brand === 'TenantId') return scope.kind === 'tenant' || scope.kind === 'capsule' ? scope.tenantId : undefined;
  return scope.kind === 'capsule' ? scope.capsuleId : undefined;
}

/**
 * Checks an event before it is published from `scope`; returns its metadata, or throws
 * `EventViolationError`. Platform events carry no scope fields and may be published from any scope;
 * tenant events from a tenant or capsule scope of their tenant; capsule events only from their capsule's scope.
 */
export function validateEvent(scope: ScopeDescription, event: object): EventMetadata {
  if (typeof event !== 'object' || event === null) {
    throw new EventViolationError('event-unregistered', scope, String(event), `a ${event === null ? 'null' : typeof event} value`, 'an instance of a class decorated with @DomainEvent({ type })');
  }
  const ctor = (event as { constructor?: unknown }).constructor;
  const metadata = typeof ctor === 'function' ? getEventMetadata(ctor) : undefined;
  if (metadata === undefined) {
    const name = className(event);
    throw new EventViolationError('event-unregistered', scope, name, `an instance of ${name}, which is not a registered @DomainEvent`, `an instance of a class decorated with @DomainEvent({ type: '…', scope }); decorate ${name}, or publish the event class rather than a plain object or a copy`);
  }
  const brands: Brand[] = metadata.scope === 'capsule' ? ['TenantId', 'CapsuleId'] : metadata.scope === 'tenant' ? ['TenantId'] : [];
  if (brands.length === 0) return metadata;

  if (scope.kind !== 'capsule' && scope.kind !== 'tenant' || metadata.scope === 'capsule' && scope.kind !== 'capsule') {
    throw new EventViolationError('event-scope-publisher', scope, metadata.type, `a ${metadata.scope}-scoped event published from ${scopeLabel(scope)}`, `publish ${metadata.scope}-scoped events from ${metadata.scope === 'capsule' ? "the event's capsule scope, aws.capsule(tenantId, capsuleId)" : "a scope of the event's tenant, aws.tenant(tenantId) or aws.capsule(tenantId, capsuleId)"}`);
  }
  const record = event as Record<string, unknown>;
  for (const brand of brands) {
    const names = SCOPE_FIELD_NAMES[brand];
    const present = names.filter((name) => name in record && record[name] !== undefined);
    const want = scopeId(scope, brand) ?? '';
    if (present.length === 0) {
      throw new EventViolationError('event-scope-fields', scope, metadata.type, `no ${OWNER[brand]} id field (${names.join(' or ')})`, `a ${metadata.scope}-scoped event to carry its ${OWNER[brand]} id; set \`${names[0]} = ${JSON.stringify(want)}\` on ${metadata.type}`);
    }
    for (const name of present) {
      const value = record[name];
      if (typeof value !== 'string' || value === '') {
        throw new EventViolationError('event-scope-fields', scope, metadata.type, `${name} = ${JSON.stringify(value) ?? String(value)}`, `${name} to be a non-empty string ${OWNER[brand]} id; set it to ${JSON.stringify(want)}`);
      }
      if (value !== want) {
        throw new EventViolationError('event-scope-mismatch', scope, metadata.type, `${name} = ${JSON.stringify(value)}`, `${name} = ${JSON.stringify(want)}, the publishing scope's ${OWNER[brand]} id; publish the event from its own ${OWNER[brand]}'s scope`);
      }
    }
  }
  return metadata;
}
