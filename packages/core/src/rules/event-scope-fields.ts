import { missingScopeFields } from './capsule-id-field.js';
import type { EventDeclaration, ScopeKind } from './model.js';
import type { Violation } from './violation.js';
import { describeUnverifiable } from './violation.js';

const RULE = 'event-scope-fields';
const EVENT_SCOPES: readonly string[] = ['capsule', 'tenant', 'platform'];

/** Capsule events carry tenant and capsule ids, tenant events a tenant id. */
export function checkEventScopeFields(event: EventDeclaration): Violation[] {
  const declared = event.scope ?? { kind: 'known', value: 'capsule' };
  if (declared.kind === 'unverifiable') {
    return [
      {
        rule: RULE,
        messageId: 'unverifiableScope',
        data: describeUnverifiable(`The scope of event \`${event.name}\``, declared.found, " ('capsule', 'tenant' or 'platform')"),
        target: { kind: 'option', option: 'scope' },
      },
    ];
  }
  if (!EVENT_SCOPES.includes(declared.value)) {
    return [{ rule: RULE, messageId: 'unknownScope', data: { event: event.name, found: declared.value }, target: { kind: 'option', option: 'scope' } }];
  }
  return missingScopeFields(event, declared.value as ScopeKind, RULE);
}
