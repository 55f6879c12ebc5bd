import { describe, expect, it } from 'vitest';
import { CapsuleIsolated, Entity, KEY_BUILDER, keysOf, partitionKeyOf, type CompiledKeyBuilder, KeyValueError, PlatformScoped } from '../src/index.js';

/** Applies class decorators as the compiler would (bottom-up), without decorator syntax. */
function declare<T extends abstract new (...args: never[]) => object>(target: T, ...decorators: ((target: T) => void)[]): T {
  for (const decorator of decorators.reverse()) decorator(target);
  return target;
}

class RoleAssignment {}
declare(RoleAssignment, Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}', sk: 'METADATA#v{version}' }), CapsuleIsolated());
class Session {}
declare(Session, Entity({ table: 'platform_data', pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#SESSION#{id}' }), CapsuleIsolated());

const role = { tenantId: 'acme', capsuleId: 'DEVUS', id: 'r-1', version: 3 };

describe('keysOf', () => {
  it('builds pk and sk, numbers included', () => {
    expect(keysOf(RoleAssignment, role)).toEqual({ pk: 'TENANT#acme#CAPSULE#DEVUS#ROLE#r-1', sk: 'METADATA#v3' });
  });

  it('reads one nested level and leaves sk out when the entity declares none', () => {
    expect(keysOf(Session, { scope: { tenantId: 'acme', capsuleId: 'PROD' }, id: 's1' })).toEqual({ pk: 'TENANT#acme#CAPSULE#PROD#SESSION#s1' });
  });

  it('refuses a value carrying the delimiter: key injection', () => {
    expect(() => keysOf(RoleAssignment, { ...role, id: 'x#CAPSULE#PROD' })).toThrow(KeyValueError);
    expect(() => keysOf(RoleAssignment, { ...role, id: 'x#CAPSULE#PROD' })).toThrow(/RoleAssignment\.pk \{id\}.*key delimiter '#'.*key injection/);
  });

  it.each([
    ['a missing value', RoleAssignment, { ...role, capsuleId: undefined }, /no value for 'capsuleId'/],
    ['a null value', RoleAssignment, { ...role, tenantId: null }, /no value for 'tenantId'/],
    ['an empty string', RoleAssignment, { ...role, id: '' }, /empty string/],
    ['an object', RoleAssignment, { ...role, id: { toString: (): string => 'r1' } }, /of type object; expected a string, number or bigint/],
    ['a non-finite number', RoleAssignment, { ...role, version: Number.NaN }, /'version' is NaN; expected a finite number/],
    ['a missing nested owner', Session, { id: 's1' }, /no value for 'scope\.tenantId'/],
  ] as const)('refuses %s', (_case, entity, item, message) => {
    expect(() => keysOf(entity, item)).toThrow(KeyValueError);
    expect(() => keysOf(entity, item)).toThrow(message);
  });

  it('refuses classes that are not entities, and entities with no scope', () => {
    class Plain {}
    expect(() => keysOf(Plain, {})).toThrow(/Plain: the class has no @Entity declaration/);
    class Unscoped {}
    Entity({ table: 't', pk: 'X#{id}' })(Unscoped);
    expect(() => keysOf(Unscoped, { id: '1' })).toThrow(/\[@isolation\/entity-scope\].*declares no scope/);
  });

  it('uses a compiled key builder when the build attached one', () => {
    class Compiled {}
    declare(Compiled, Entity({ table: 't', pk: 'FLAG#{name}' }), PlatformScoped({ reason: 'flags are global' }));
    const builder: CompiledKeyBuilder = (pk) => ({ pk: 'FLAG#' + pk('name') + '#' + pk('owner', 'team') });
    Object.defineProperty(Compiled, KEY_BUILDER, { value: builder });
    expect(keysOf(Compiled, { name: 'beta', owner: { team: 'core' } })).toEqual({ pk: 'FLAG#beta#core' });
    expect(() => keysOf(Compiled, { name: 'a#b', owner: { team: 'core' } })).toThrow(/Compiled.*key injection/);
    expect(() => keysOf(Compiled, { name: 'beta', owner: 'core' })).toThrow(/no value for 'owner.team'/);
  });
});

describe('partitionKeyOf', () => {
  it('builds the partition key alone, compiled or parsed, without sort-key values', () => {
    class Activity {}
    declare(Activity, Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CONTACT#{contactId}', sk: 'ACTIVITY#{occurredAt}#{id}' }), CapsuleIsolated());
    const item = { tenantId: 'acme', capsuleId: 'DEV', contactId: 'c1' };
    expect(partitionKeyOf(Activity, item)).toBe('TENANT#acme#CAPSULE#DEV#CONTACT#c1');
    const builder: CompiledKeyBuilder = (pk, sk) => ({ pk: 'TENANT#' + pk('tenantId') + '#CAPSULE#' + pk('capsuleId') + '#CONTACT#' + pk('contactId'), sk: 'ACTIVITY#' + sk('occurredAt') + '#' + sk('id') });
    Object.defineProperty(Activity, KEY_BUILDER, { value: builder });
    expect(partitionKeyOf(Activity, item)).toBe('TENANT#acme#CAPSULE#DEV#CONTACT#c1');
    expect(() => keysOf(Activity, item)).toThrow(/no value for 'occurredAt'/);
    expect(() => partitionKeyOf(Activity, { ...item, contactId: 'x#CAPSULE#PROD' })).toThrow(/key injection/);
  });
});
