/**
 * The EventBridge rules of the isolation guard: a tenant or capsule scope's EventBridge client
 * (what `scope.publish` uses) sends `PutEvents` and nothing else, and each entry must be one that
 * `scope.publish` would have sent from this scope:
 *
 * - `EventBusName` one of the scope's buses (`scope.eventBus()`); an entry without one goes to the
 *   account's default bus, accepted when the scope's buses include `default`;
 * - `DetailType` a type some `@DomainEvent` class of this process declares, and `Detail` the JSON
 *   text of an object that passes the same checks `scope.publish` runs (`checkEventDetail`): the
 *   fields the type's scope needs, and every tenant or capsule id field at any depth equal to the
 *   scope's own;
 * - `Detail` written as `JSON.stringify` writes it: EventBridge and the guard must read one object
 *   from it, and text with duplicate keys (`{"tenantId":"acme","tenantId":"globex"}`) reads as
 *   either value depending on the parser.
 */
import { EventViolationError, checkEventDetail } from '../events/validate.js';
import { DEFAULT_EVENT_BUS } from './event-buses.js';
import { describeMissing, Failure, notAnObject, own, quote } from './guard-format.js';
import type { CompiledPolicy } from './guard-policy.js';

/** Every operation a guarded EventBridge client runs. */
export const GUARDED_EVENTBRIDGE_OPERATIONS: readonly string[] = ['PutEvents'];

/** One EventBridge operation's input: the first failure, or `undefined`. */
export function inspectEventBridge(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  if (!GUARDED_EVENTBRIDGE_OPERATIONS.includes(operation)) {
    return new Failure(
      'unbounded-operation',
      `${label ?? `${operation}Command`}, which is not one of the commands a guarded EventBridge client runs`,
      'PutEvents (scope.publish) — rules, targets, buses, archives and replays belong to a platform or operator client',
    );
  }
  if (typeof input !== 'object' || input === null) return new Failure('unverifiable-request', `the command input ${describeMissing(input)}`, 'an input object');
  const entries = own(input, 'Entries');
  if (!Array.isArray(entries)) return notAnObject('Entries', entries, 'an array of event entries');
  for (let i = 0; i < entries.length; i += 1) {
    const failure = checkEntry(c, entries[i]);
    if (failure !== undefined) return failure.within(`Entries[${i}]`);
  }
  return undefined;
}

const DETAIL_WANTED = 'Detail: the JSON text of an event object as JSON.stringify writes it (scope.publish writes it)';

function checkEntry(c: CompiledPolicy, entry: unknown): Failure | undefined {
  if (typeof entry !== 'object' || entry === null) return notAnObject('', entry, 'an event entry object');
  const busFailure = checkBus(c, own(entry, 'EventBusName'));
  if (busFailure !== undefined) return busFailure;
  const type = own(entry, 'DetailType');
  if (typeof type !== 'string') return notAnObject('.DetailType', type, 'DetailType: the type of a @DomainEvent class');
  const detail = own(entry, 'Detail');
  if (typeof detail !== 'string') return notAnObject('.Detail', detail, DETAIL_WANTED);
  let event: unknown;
  try {
    event = JSON.parse(detail);
  } catch {
    event = undefined;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return new Failure('unverifiable-request', `.Detail = ${quote(detail)}, which is not a JSON object`, DETAIL_WANTED);
  if (JSON.stringify(event) !== detail) {
    return new Failure('unverifiable-request', `.Detail = ${quote(detail)}, which is not written as JSON.stringify writes it (spacing, escapes or a duplicate key)`, `${DETAIL_WANTED}, so that EventBridge reads the object the guard checked`);
  }
  try {
    checkEventDetail(c.scope, type, event);
  } catch (error) {
    if (!(error instanceof EventViolationError)) throw error;
    return new Failure('event-scope', ` (${quote(type)}): ${error.found} [${error.rule}]`, error.expected);
  }
  return undefined;
}

function checkBus(c: CompiledPolicy, bus: unknown): Failure | undefined {
  const name = bus ?? DEFAULT_EVENT_BUS;
  if (typeof name === 'string' && c.eventBuses.has(name)) return undefined;
  const known = [...c.eventBuses].map(quote).join(', ');
  return new Failure(
    typeof name === 'string' ? 'event-bus-scope' : 'unverifiable-request',
    bus === undefined ? ".EventBusName is missing (the account's default bus)" : `.EventBusName ${describeMissing(bus)}`,
    `one of the scope's event buses (${known === '' ? 'none' : known}), as scope.eventBus(name) names them; declare them with createClientFactory({ eventBuses })`,
  );
}
