import type { EntityDeclaration, ScopeKind } from './model.js';
import type { Violation } from './violation.js';
import { describeUnverifiable } from './violation.js';

const RULE = 'entity-scope';
export const MARKER_DECORATOR: Readonly<Record<ScopeKind, string>> = {
  capsule: '@CapsuleIsolated',
  tenant: '@TenantScoped',
  platform: '@PlatformScoped',
};

/** Exactly one scope marker; a platform marker says why the data is shared. */
export function checkEntityScope(entity: EntityDeclaration): Violation[] {
  const data = { entity: entity.name };
  if (entity.markers.length === 0) {
    return [{ rule: RULE, messageId: 'missingScope', data, target: { kind: 'decorator' } }];
  }
  if (entity.markers.length > 1) {
    const markers = entity.markers.map((marker) => MARKER_DECORATOR[marker.scope]).join(', ');
    return [
      {
        rule: RULE,
        messageId: 'multipleScopes',
        data: { ...data, count: String(entity.markers.length), markers },
        target: { kind: 'marker', index: 1 },
      },
    ];
  }
  const [marker] = entity.markers;
  if (marker?.scope !== 'platform') return [];
  const reason = marker.reason;
  if (reason === undefined) return [{ rule: RULE, messageId: 'missingReason', data, target: { kind: 'marker', index: 0 } }];
  if (reason.kind === 'unverifiable') {
    return [
      {
        rule: RULE,
        messageId: 'unverifiableReason',
        data: describeUnverifiable(`The platform-scope reason of \`${entity.name}\``, reason.found, ' so reviewers read it at the declaration'),
        target: { kind: 'marker', index: 0, option: 'reason' },
      },
    ];
  }
  if (reason.value.trim() === '') {
    return [{ rule: RULE, messageId: 'emptyReason', data, target: { kind: 'marker', index: 0, option: 'reason' } }];
  }
  return [];
}

/** The entity's scope when it declares exactly one; other cases are `entity-scope`'s to report. */
export function soleScope(entity: EntityDeclaration): ScopeKind | undefined {
  return entity.markers.length === 1 ? entity.markers[0]?.scope : undefined;
}
