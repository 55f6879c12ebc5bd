/**
 * The EventBridge rules of the isolation guard: a tenant or capsule scope's EventBridge client
 * (what `scope.publish` uses) sends `PutEvents` and nothing else, and no entry may speak for
 * another tenant or capsule. Each entry's `Detail` must be a JSON object; its tenant id fields
 * (`tenantId`, `tenant_id`) must hold the scope's tenant and, in a capsule scope, its capsule id
 * fields (`capsuleId`, `capsule_id`) the scope's capsule — the same fields `validateEvent` checks
 * before publishing, checked again here on what is actually sent. Events without those fields
 * (platform events) pass, as they do in `validateEvent`.
 */
import { SCOPE_FIELD_NAMES } from '../rules/fields.js';
import { describeMissing, describeValue, Failure, notAnObject, own, quote } from './guard-format.js';
import type { CompiledPolicy } from './guard-policy.js';

/** One EventBridge operation's input: the first failure, or `undefined`. */
export function inspectEventBridge(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  if (operation !== 'PutEvents') {
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

const DETAIL_WANTED = 'Detail: the JSON text of an event object (scope.publish writes it)';

function checkEntry(c: CompiledPolicy, entry: unknown): Failure | undefined {
  if (typeof entry !== 'object' || entry === null) return notAnObject('', entry, 'an event entry object');
  const detail = own(entry, 'Detail');
  if (typeof detail !== 'string') return notAnObject('.Detail', detail, DETAIL_WANTED);
  let event: unknown;
  try {
    event = JSON.parse(detail);
  } catch {
    event = undefined;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return new Failure('unverifiable-request', `.Detail = ${quote(detail)}, which is not a JSON object`, DETAIL_WANTED);
  const tenantFailure = checkField(event, SCOPE_FIELD_NAMES.TenantId, c.scope.tenantId, 'tenant');
  if (tenantFailure !== undefined || c.scope.kind !== 'capsule') return tenantFailure;
  return checkField(event, SCOPE_FIELD_NAMES.CapsuleId, c.scope.capsuleId, 'capsule');
}

function checkField(event: object, names: readonly string[], wanted: string, owner: string): Failure | undefined {
  for (const name of names) {
    const value = own(event, name);
    if (value === undefined || value === wanted) continue;
    return new Failure('event-scope', `.Detail.${name} = ${describeValue(value)}`, `${name} = ${quote(wanted)}, the publishing scope's ${owner} id — publish an event from its own ${owner}'s scope`);
  }
  return undefined;
}
