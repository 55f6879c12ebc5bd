import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_BUILDER, keysOf } from '@isolation/runtime';
import { compile, tsp } from './compile.js';

const SOURCE = `import { Entity, CapsuleIsolated, TenantScoped, PlatformScoped, type TenantId, type CapsuleId } from '@isolation/runtime';

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class RoleAssignment { tenantId!: TenantId; capsuleId!: CapsuleId; id!: string; version!: number; }

@Entity({ table: 'platform_data', pk: 'TENANT#{owner.tenantId}#CAPSULE#{owner.capsuleId}#DOC#{id}{suffix}' })
@CapsuleIsolated()
export class Document { owner!: { tenantId: TenantId; capsuleId: CapsuleId }; id!: string; suffix!: string; }

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#PLAN', sk: '{name}' })
@TenantScoped()
export class Plan { tenantId!: TenantId; name!: string; }

@Entity({ table: 'flags', pk: 'FLAG#{name}' })
@PlatformScoped({ reason: 'feature flags apply to every tenant' })
export class FeatureFlag { name!: string; }

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#ROLE#{id}' })
@CapsuleIsolated()
export class Invalid { tenantId!: TenantId; capsuleId!: CapsuleId; id!: string; }
`;

const OUT_DIR = join(import.meta.dirname, '.generated');
type EntityClass = abstract new () => object;
let emitted: string;
/** The same entities built with key builders (as tspc does) and without (as a build without tspc). */
let built: Record<string, EntityClass>;
let plain: Record<string, EntityClass>;
const files = [join(OUT_DIR, `entities-${process.pid}.js`), join(OUT_DIR, `entities-plain-${process.pid}.js`)] as const;

beforeAll(async () => {
  // The decorators check `Invalid` at class definition too, so it is emitted in a file of its own.
  const valid = SOURCE.replace(/@Entity\(\{ table: 'platform_data', pk: 'TENANT#\{tenantId\}#ROLE[^]*$/, '');
  const { outputs, isolation } = compile({ 'entities.ts': valid, 'invalid.ts': SOURCE }, {}, { module: tsp.ModuleKind.ES2022 });
  expect(isolation.map((item) => `${item.file}:${item.line} ${item.code}`)).toEqual(['invalid.ts:19 91003']);
  emitted = outputs.get('out/entities.js') ?? '';
  expect(outputs.get('out/invalid.js')).not.toMatch(/Invalid, Symbol\.for\("isolation\.keyBuilder"\)/);
  const withoutBuilders = compile({ 'entities.ts': valid }, { keyBuilders: false }, { module: tsp.ModuleKind.ES2022 }).outputs.get('out/entities.js') ?? '';
  expect(withoutBuilders).not.toContain('isolation.keyBuilder');
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(files[0], emitted);
  writeFileSync(files[1], withoutBuilders);
  built = (await import(pathToFileURL(files[0]).href)) as Record<string, EntityClass>;
  plain = (await import(pathToFileURL(files[1]).href)) as Record<string, EntityClass>;
});

afterAll(() => {
  for (const file of files) rmSync(file, { force: true });
});

describe('compiled key builders (emitted by the transformer through ts-patch/compiler)', () => {
  it('are plain concatenation: one reader call per placeholder, no template parsing', () => {
    const builders = emitted.split('\n').filter((line) => line.includes('isolation.keyBuilder')).map((line) => line.trim());
    expect(builders).toMatchInlineSnapshot(`
      [
        "Object.defineProperty(RoleAssignment, Symbol.for("isolation.keyBuilder"), { value: (pk, sk) => ({ pk: "TENANT#" + pk("tenantId") + "#CAPSULE#" + pk("capsuleId") + "#ROLE#" + pk("id"), sk: "METADATA#v" + sk("version") }), configurable: true });",
        "Object.defineProperty(Document, Symbol.for("isolation.keyBuilder"), { value: pk => ({ pk: "TENANT#" + pk("owner", "tenantId") + "#CAPSULE#" + pk("owner", "capsuleId") + "#DOC#" + pk("id") + pk("suffix") }), configurable: true });",
        "Object.defineProperty(Plan, Symbol.for("isolation.keyBuilder"), { value: (pk, sk) => ({ pk: "TENANT#" + pk("tenantId") + "#PLAN", sk: sk("name") }), configurable: true });",
        "Object.defineProperty(FeatureFlag, Symbol.for("isolation.keyBuilder"), { value: pk => ({ pk: "FLAG#" + pk("name") }), configurable: true });",
      ]
    `);
  });

  it('reach entities declared anywhere, and only valid ones', () => {
    const { outputs } = compile({
      'nested.ts': `import { Entity, PlatformScoped } from '@isolation/runtime';
export function define() {
  @Entity({ table: 'flags', pk: 'FLAG#{name}' })
  @PlatformScoped({ reason: 'flags apply to every tenant' })
  class Inner { name!: string; }
  return Inner;
}
export const Expression = @Entity({ table: 'flags', pk: 'FLAG#{name}' }) @PlatformScoped({ reason: 'global' }) class { name!: string; };
export const Broken = @Entity({ table: 'flags', pk: 'FLAG#{missing}' }) @PlatformScoped({ reason: 'global' }) class { name!: string; };`,
    });
    const output = outputs.get('out/nested.js') ?? '';
    expect(output).toContain('Object.defineProperty(Inner, Symbol.for("isolation.keyBuilder"), { value: pk => ({ pk: "FLAG#" + pk("name") }), configurable: true });');
    expect(output).toContain('static [Symbol.for("isolation.keyBuilder")] = pk => ({ pk: "FLAG#" + pk("name") });');
    expect(output.match(/isolation\.keyBuilder/g)).toHaveLength(2);
    expect(output).not.toContain('pk("missing")');
  });

  it('are used by keysOf when present', () => {
    const role = built['RoleAssignment'] as EntityClass & Record<symbol, (...args: unknown[]) => unknown>;
    const compiled = role[KEY_BUILDER];
    expect(typeof compiled).toBe('function');
    let calls = 0;
    expect(Object.getOwnPropertySymbols(plain['RoleAssignment'])).not.toContain(KEY_BUILDER);
    Object.defineProperty(role, KEY_BUILDER, { value: (...args: unknown[]) => ((calls += 1), compiled?.(...args)), configurable: true });
    try {
      expect(keysOf(role, { tenantId: 'acme', capsuleId: 'DEVUS', id: 'r1', version: 3 })).toEqual({ pk: 'TENANT#acme#CAPSULE#DEVUS#ROLE#r1', sk: 'METADATA#v3' });
      expect(calls).toBe(1);
    } finally {
      Object.defineProperty(role, KEY_BUILDER, { value: compiled, configurable: true });
    }
  });

  it('give the same keys and the same refusals as the same code built without them, for any item', () => {
    const value = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
      fc.string({ maxLength: 6 }),
      fc.integer(),
      fc.double(),
      fc.bigInt(),
      fc.constantFrom(undefined, null, '', 'a#b', true),
    );
    const item = fc.record({
      tenantId: value,
      capsuleId: value,
      id: value,
      version: value,
      name: value,
      suffix: value,
      owner: fc.oneof(fc.record({ tenantId: value, capsuleId: value }), value),
    });
    const outcome = (entity: EntityClass, input: object): string => {
      try {
        return JSON.stringify(keysOf(entity, input));
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    fc.assert(
      fc.property(fc.constantFrom('RoleAssignment', 'Document', 'Plan', 'FeatureFlag'), item, (name, input) => {
        expect(outcome(built[name] as EntityClass, input)).toBe(outcome(plain[name] as EntityClass, input));
      }),
      { numRuns: 500 },
    );
  });
});
