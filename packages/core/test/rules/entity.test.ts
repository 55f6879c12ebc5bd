import { describe, expect, it } from 'vitest';
import { checkCapsuleIdField, checkEntity, checkEntityScope, checkKeyScopeSegments, checkKeyTemplate, messageText } from '../../src/rules/index.js';
import type { EntityDeclaration, FieldDeclaration } from '../../src/rules/index.js';

const known = <T>(value: T) => ({ kind: 'known', value }) as const;
const ids: FieldDeclaration[] = [
  { name: 'tenantId', brand: 'TenantId' },
  { name: 'capsuleId', brand: 'CapsuleId' },
  { name: 'id', nested: { fields: [], complete: true } },
];
const entity = (overrides: Partial<EntityDeclaration> = {}): EntityDeclaration => ({
  kind: 'entity',
  name: 'RoleAssignment',
  markers: [{ scope: 'capsule' }],
  table: known('platform_data'),
  pk: known('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}'),
  sk: undefined,
  fields: { fields: ids, complete: true },
  bases: [],
  ...overrides,
});
const summary = (violations: { rule: string; messageId: string }[]) => violations.map((violation) => `${violation.rule}/${violation.messageId}`);

describe('entity checks', () => {
  it('accept a well-formed capsule entity', () => {
    expect(checkEntity(entity())).toEqual([]);
  });

  it('explain each message with its data filled in', () => {
    const [violation] = checkEntityScope(entity({ markers: [] }));
    expect(violation).toBeDefined();
    expect(messageText(violation!.rule, violation!.messageId, violation!.data)).toBe(
      'Entity `RoleAssignment` declares no scope; add `@CapsuleIsolated()` (one capsule of one tenant, the safe default), `@TenantScoped()`, or `@PlatformScoped({ reason })`.',
    );
  });

  it('report a missing capsule id once, with a suggestion, and keep the other rules silent about it', () => {
    const violations = checkEntity(entity({ fields: { fields: ids.filter((field) => field.name !== 'capsuleId'), complete: true } }));
    expect(summary(violations)).toEqual(['capsule-id-field/missingField']);
    expect(violations[0]?.suggestions?.[0]?.edits).toEqual([{ kind: 'addField', text: 'capsuleId!: CapsuleId;' }]);
  });

  it('stay silent about fields they cannot see (an unresolved base class)', () => {
    expect(checkCapsuleIdField(entity({ fields: { fields: [{ name: 'id' }], complete: false } }))).toEqual([]);
    expect(checkKeyTemplate(entity({ fields: { fields: [], complete: false } }))).toEqual([]);
  });

  it('stay silent about a field whose type is out of sight: it may be either id, under any name', () => {
    const unseen = { fields: [{ name: 'org', typeUnknown: true }, { name: 'id', nested: { fields: [], complete: true } }], complete: true };
    expect(checkEntity(entity({ pk: known('TENANT#{org}#CAPSULE#{org}#ROLE#{id}'), fields: unseen }))).toEqual([]);
    // Named like the tenant id, but the field out of sight may be the branded one: any placeholder passes.
    const named = { ...unseen, fields: [...unseen.fields, { name: 'tenantId' }, { name: 'capsuleId', brand: 'CapsuleId' as const }] };
    expect(checkKeyScopeSegments(entity({ pk: known('TENANT#{org}#CAPSULE#{capsuleId}#ROLE#{id}'), fields: named }))).toEqual([]);
    // What is certain is still reported: the literal segments.
    expect(summary(checkKeyScopeSegments(entity({ pk: known('ORG#{org}#CAPSULE#{capsuleId}#ROLE#{id}'), fields: named })))).toEqual(['key-scope-segments/missingScopePrefix']);
  });

  it('accept ids found by brand under any name, and nested one level', () => {
    const odd = entity({ pk: known('TENANT#{owner}#CAPSULE#{env}#ROLE#{id}'), fields: { fields: [{ name: 'owner', brand: 'TenantId' }, { name: 'env', brand: 'CapsuleId' }, { name: 'id' }], complete: true } });
    expect(checkEntity(odd)).toEqual([]);
    const nested = entity({
      pk: known('TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#S#{id}'),
      fields: { fields: [{ name: 'scope', nested: { fields: [{ name: 'tenantId' }, { name: 'capsuleId' }], complete: true } }, { name: 'id' }], complete: true },
    });
    expect(checkEntity(nested)).toEqual([]);
  });

  it('point at the placeholder of a malformed or unknown template part', () => {
    expect(checkKeyTemplate(entity({ pk: known('TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{roleId}') }))).toEqual([
      expect.objectContaining({ messageId: 'unknownField', target: { kind: 'option', option: 'pk', range: [43, 51] } }),
    ]);
    expect(checkKeyTemplate(entity({ sk: known('V##{id}') }))).toEqual([expect.objectContaining({ messageId: 'malformedTemplate', target: { kind: 'option', option: 'sk', range: [2, 3] } })]);
  });

  it('report a spread that may hold both templates once', () => {
    const spread = { kind: 'unverifiable', found: 'the spread `...shared`' } as const;
    expect(summary(checkKeyTemplate(entity({ pk: spread, sk: spread })))).toEqual(['key-template/unverifiableTemplate']);
  });

  it('rewrite a pk that lacks its scope prefix, keeping the entity’s own segments', () => {
    const [violation] = checkKeyScopeSegments(entity({ pk: known('ROLE#{id}#TENANT#{tenantId}') }));
    expect(violation?.messageId).toBe('missingScopePrefix');
    expect(violation?.suggestions?.[0]?.edits).toEqual([{ kind: 'setOption', option: 'pk', value: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' }]);
  });

  it('keep exact segments: capsule DEV is not a prefix of another capsule’s key space', () => {
    expect(summary(checkKeyScopeSegments(entity({ pk: known('TENANT#{tenantId}#CAPSULEX#{capsuleId}#ROLE#{id}') })))).toEqual(['key-scope-segments/missingScopePrefix']);
    expect(summary(checkKeyScopeSegments(entity({ pk: known('TENANT#{tenantId}#CAPSULE#{capsuleId}') })))).toEqual(['key-scope-segments/nothingAfterPrefix']);
  });

  it('leave key-scope-segments silent where another rule reports the root cause', () => {
    expect(checkKeyScopeSegments(entity({ markers: [] }))).toEqual([]);
    expect(checkKeyScopeSegments(entity({ markers: [{ scope: 'tenant' }, { scope: 'capsule' }] }))).toEqual([]);
    expect(checkKeyScopeSegments(entity({ pk: known('TENANT#{tenantId#X') }))).toEqual([]);
    expect(checkKeyScopeSegments(entity({ pk: known('ROLE#{nope}') }))).toEqual([]);
  });

  it('require a non-empty reason for platform scope', () => {
    expect(summary(checkEntityScope(entity({ markers: [{ scope: 'platform' }] })))).toEqual(['entity-scope/missingReason']);
    expect(summary(checkEntityScope(entity({ markers: [{ scope: 'platform', reason: known(' ') }] })))).toEqual(['entity-scope/emptyReason']);
    expect(checkEntityScope(entity({ markers: [{ scope: 'platform', reason: known('registry') }] }))).toEqual([]);
  });
});
