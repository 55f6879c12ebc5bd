/**
 * Publishing through the scope's EventBridge client. `@aws-sdk/client-eventbridge` is an optional
 * peer dependency: it is imported on the first publish, so code that never publishes needs none.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { ScopeDescription } from '../aws/scope.js';
import { scopeLabel } from '../aws/scope.js';
import { DEFAULT_EVENT_BUS } from '../aws/event-buses.js';
import { checkEvent } from './validate.js';

export interface PublishOptions {
  /**
   * The logical event bus, sent as the scope names it (`scope.eventBus(name)`); default `default`,
   * the account's default bus unless the factory's `eventBusNaming` says otherwise.
   */
  readonly eventBusName?: string | undefined;
  /** The envelope's `source`; default `'isolation'`. */
  readonly source?: string | undefined;
}

export interface PublishResult {
  /** The id EventBridge gave the event. */
  readonly eventId: string | undefined;
}

/** EventBridge accepted the request but refused the entry. */
export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
  constructor(
    readonly eventType: string,
    readonly errorCode: string | undefined,
    readonly errorMessage: string | undefined,
  ) {
    super(`PutEvents refused event ${eventType}: ${errorCode ?? 'unknown error'}${errorMessage === undefined ? '' : `: ${errorMessage}`}`);
  }
}

type EventBridgeModule = typeof import('@aws-sdk/client-eventbridge');
let loading: Promise<EventBridgeModule> | undefined;

function loadEventBridge(): Promise<EventBridgeModule> {
  loading ??= import('@aws-sdk/client-eventbridge').catch((error: unknown) => {
    loading = undefined;
    throw new Error('publishing events needs @aws-sdk/client-eventbridge; install it (npm install @aws-sdk/client-eventbridge)', { cause: error });
  });
  return loading;
}

/**
 * Validates `event` against the scope (throwing `EventViolationError` and sending nothing on a
 * refusal), then sends it with PutEvents: `DetailType` is the event's declared type, `Detail` the
 * JSON of the plain-data snapshot that was validated (never the live object, which a getter or
 * toJSON could change between the check and the send).
 */
/** What publishing needs of a scope: who it is, its bus names, and its (guarded) EventBridge client. */
export interface PublishingScope {
  readonly description: ScopeDescription;
  eventBus(logicalName: string): string;
  client(clientClass: typeof EventBridgeClient): EventBridgeClient;
}

export async function publishEvent(scope: PublishingScope, event: object, options: PublishOptions = {}): Promise<PublishResult> {
  const { metadata, detail } = checkEvent(scope.description, event);
  const { type } = metadata;
  const { EventBridgeClient, PutEventsCommand } = await loadEventBridge();
  const entry: PutEventsRequestEntry = { Source: options.source ?? 'isolation', DetailType: type, Detail: JSON.stringify(detail) };
  // The account's default bus is where an entry without a bus name goes.
  const bus = scope.eventBus(options.eventBusName ?? DEFAULT_EVENT_BUS);
  if (bus !== DEFAULT_EVENT_BUS) entry.EventBusName = bus;
  const output = await scope.client(EventBridgeClient).send(new PutEventsCommand({ Entries: [entry] }));
  const result = output.Entries?.[0];
  if ((output.FailedEntryCount ?? 0) > 0 || result?.ErrorCode !== undefined) {
    throw new EventPublishError(type, result?.ErrorCode, `${result?.ErrorMessage ?? 'no message'} (from ${scopeLabel(scope.description)})`);
  }
  return { eventId: result?.EventId };
}
