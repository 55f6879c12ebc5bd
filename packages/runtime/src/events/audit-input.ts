/**
 * The line formats `isolation-audit` reads, one JSON object per line, mixed freely:
 *
 * - an EventBridge event, as targets receive it and archives keep it:
 *   `{ "detail-type": "T", "source": "…", "resources": […], "detail": { … } }`;
 * - a PutEvents request entry, as `scope.publish` sends it and the local EventBridge endpoint
 *   records it: `{ "DetailType": "T", "Detail": "<the detail as JSON text>", "Source": "…",
 *   "EventBusName": "…", "Resources": […] }`;
 * - a bare detail with its type: `{ "type": "T", … }`.
 *
 * An envelope without a type takes its detail's `type`.
 */

/** What wraps the detail: an EventBridge event or a PutEvents entry. */
export interface Envelope {
  /** The whole line's object, for envelope-level scope fields (`tenantId` beside `detail`). */
  readonly record: Readonly<Record<string, unknown>>;
  readonly source: unknown;
  readonly resources: unknown;
  readonly eventBusName: unknown;
}

export interface LoggedEvent {
  /** As logged, not yet clipped. */
  readonly type: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly envelope: Envelope | undefined;
}

export type ParsedLine = LoggedEvent | { readonly malformed: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function typed(type: unknown, detail: Record<string, unknown>, envelope: Envelope | undefined, untyped: string): ParsedLine {
  const resolved = type ?? detail.type;
  if (typeof resolved !== 'string' || resolved === '') return { malformed: untyped };
  return { type: resolved, detail, envelope };
}

/** One non-blank line: an event, or why it is not one. */
export function parseLine(text: string): ParsedLine {
  const value = parseJson(text);
  if (value === undefined) return { malformed: 'not valid JSON' };
  if (!isRecord(value)) return { malformed: 'not a JSON object' };
  if ('detail-type' in value || 'detail' in value) {
    if (!isRecord(value.detail)) return { malformed: 'an EventBridge event whose detail is not an object' };
    const envelope = { record: value, source: value.source, resources: value.resources, eventBusName: undefined };
    return typed(value['detail-type'], value.detail, envelope, 'an EventBridge event without a detail-type');
  }
  if ('DetailType' in value || 'Detail' in value) {
    const detail = typeof value.Detail === 'string' ? parseJson(value.Detail) : undefined;
    if (!isRecord(detail)) return { malformed: 'a PutEvents entry whose Detail is not the JSON text of an object' };
    const envelope = { record: value, source: value.Source, resources: value.Resources, eventBusName: value.EventBusName };
    return typed(value.DetailType, detail, envelope, 'a PutEvents entry without a DetailType');
  }
  return typed(value.type, value, undefined, 'an object without a string type field');
}
