/**
 * EventBridge buses per scope: `scope.eventBus('orders')` is the `EventBusName` the scope sends to.
 *
 * The default shares one bus per logical name among all scopes, named by the logical name as is
 * (`default` is the account's default bus): an event's detail carries its tenant and capsule ids,
 * which the guard checks on every entry as `scope.publish` does, and EventBridge allows only a
 * hundred or so buses per account, too few for one per capsule. An `eventBusNaming` function gives
 * scopes buses of their own instead (a name or an event-bus ARN); the guard then accepts only the
 * scope's.
 */
import type { NameRules } from './scope-names.js';
import type { ScopeDescription } from './scope.js';

/** Maps a logical bus name to the `EventBusName` (name or ARN) a scope uses. */
export type EventBusNaming = (logicalName: string, scope: ScopeDescription) => string;

/** The default: one bus per logical name, shared by every scope (kept apart by the ids in each event). */
export const defaultEventBusNaming: EventBusNaming = (logicalName) => logicalName;

/** The logical (and, by default, physical) name of the account's default bus: what an entry without `EventBusName` goes to. */
export const DEFAULT_EVENT_BUS = 'default';

/** Thrown for a bus name the factory cannot hand out. */
export class EventBusNameError extends Error {
  override readonly name = 'EventBusNameError';
}

/** EventBridge's rule for bus names: 1–256 of `[/.\-_A-Za-z0-9]`; or an event-bus ARN. */
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/;

export const EVENT_BUS_NAMES: NameRules = {
  resource: 'event bus',
  option: 'eventBuses',
  logical: BUS_NAME,
  logicalWanted: "an EventBridge bus name: 1–256 letters, digits, '.', '-', '_' and '/'",
  physical: (name) => BUS_NAME.test(name) || BUS_ARN.test(name),
  physicalWanted: "an EventBridge bus name (1–256 letters, digits, '.', '-', '_' and '/') or an event-bus ARN",
  error: EventBusNameError,
};
