import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '@isolation/core';
import isolationTransformer from '../src/index.js';
import { compile, summary } from './compile.js';

const RUNTIME = `import { Entity, CapsuleIsolated, TenantScoped, PlatformScoped, Endpoint, DomainEvent, type TenantId, type CapsuleId } from '@isolation/runtime';`;
const IDS = 'tenantId!: TenantId; capsuleId!: CapsuleId; id!: string;';
const PK = 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}';

/** The isolation findings of one in-memory file, as `line:column code rule category`. */
function findingsOf(source: string, plugin: Record<string, unknown> = {}): string[] {
  return summary(compile({ 'main.ts': source }, plugin).isolation).map((line) => line.replace(/^main\.ts:/, ''));
}

describe('transformer diagnostics, in process through ts-patch/compiler', () => {
  it('reports nothing for valid declarations, and emits', () => {
    const result = compile({
      'main.ts': `${RUNTIME}
@Entity({ table: 'platform_data', pk: '${PK}', sk: 'METADATA#v{version}' })
@CapsuleIsolated()
export class RoleAssignment { ${IDS} version!: number; }

@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#PLAN' })
@TenantScoped()
export class Plan { tenantId!: TenantId; }

@DomainEvent({ type: 'role.assigned' })
export class RoleAssigned { ${IDS} }

export class Routes {
  @Endpoint({ method: 'GET', path: '/roles/{roleId}', pathParams: ['roleId'], queryParams: ['limit'] })
  get(roleId: string, limit: string) { return [roleId, limit]; }
}`,
    });
    expect(result.findings).toEqual([]);
    expect(result.emitSkipped).toBe(false);
    expect(result.outputs.get('out/main.js')).toMatch(/var RoleAssignment = class \{[^]*\nObject\.defineProperty\(RoleAssignment, Symbol\.for\("isolation\.keyBuilder"\)/);
  });

  it('entity-scope: no scope, two scopes, a platform scope without reason', () => {
    expect(
      findingsOf(`${RUNTIME}
@Entity({ table: 't', pk: '${PK}' })
export class A { ${IDS} }
@Entity({ table: 't', pk: '${PK}' })
@CapsuleIsolated()
@TenantScoped()
export class B { ${IDS} }
@Entity({ table: 't', pk: 'FLAG#{id}' })
@PlatformScoped({ reason: '' })
export class C { id!: string; }`),
    ).toEqual(['2:1 91001 @isolation/entity-scope error', '6:1 91001 @isolation/entity-scope error', '9:27 91001 @isolation/entity-scope error']);
  });

  it('capsule-id-field: at the class name, finding ids by brand whatever their name', () => {
    expect(
      findingsOf(`${RUNTIME}
@Entity({ table: 't', pk: 'TENANT#{owner}#CAPSULE#{env}#ROLE#{id}' })
@CapsuleIsolated()
export class Renamed { owner!: TenantId; env!: CapsuleId; id!: string; }
@Entity({ table: 't', pk: 'TENANT#{tenantId}#ROLE#{id}' })
@CapsuleIsolated()
export class Missing { tenantId!: TenantId; id!: string; }`),
    ).toEqual(['7:14 91002 @isolation/capsule-id-field error']);
  });

  it('capsule-id-field: fields inherited from a class in another file count', () => {
    const result = compile({
      'base.ts': `import type { TenantId, CapsuleId } from '@isolation/runtime';
export abstract class Scoped { tenantId!: TenantId; capsuleId!: CapsuleId; }`,
      'main.ts': `import { Entity, CapsuleIsolated } from '@isolation/runtime';
import { Scoped } from './base.js';
@Entity({ table: 't', pk: '${PK}' })
@CapsuleIsolated()
export class Role extends Scoped { id!: string; }`,
    });
    expect(result.findings).toEqual([]);
  });

  it('key-scope-segments and key-template: spans inside the template', () => {
    const findings = compile({
      'main.ts': `${RUNTIME}
@Entity({ table: 't', pk: 'TENANT#{tenantId}#ROLE#{id}' })
@CapsuleIsolated()
export class A { ${IDS} }
@Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{roleId}' })
@CapsuleIsolated()
export class B { ${IDS} }
@Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId#ROLE' })
@CapsuleIsolated()
export class C { ${IDS} }`,
    }).isolation;
    expect(summary(findings)).toEqual([
      'main.ts:2:46 91003 @isolation/key-scope-segments error',
      'main.ts:5:71 91004 @isolation/key-template error',
      'main.ts:8:54 91004 @isolation/key-template error',
    ]);
    // The unknown placeholder is underlined exactly: `{roleId}`.
    expect(findings[1]?.length).toBe('{roleId}'.length);
    expect(findings[1]?.message).toContain('has no field `roleId`');
  });

  it('key-template: a template given as a constant is resolved; a computed one is unverifiable', () => {
    expect(
      findingsOf(`${RUNTIME}
const ROLE_PK = '${PK}';
@Entity({ table: 't', pk: ROLE_PK })
@CapsuleIsolated()
export class A { ${IDS} }
declare function makePk(): string;
@Entity({ table: 't', pk: makePk() })
@CapsuleIsolated()
export class B { ${IDS} }`),
    ).toEqual(['7:27 91004 @isolation/key-template error']);
  });

  it('endpoint-params and endpoint-explicit-params: a warning in recommended, an error in strict', () => {
    const source = `${RUNTIME}
export class Routes {
  @Endpoint({ method: 'GET', path: '/a/{id}', pathParams: ['id', 'query'] })
  one(id: string, query: string) { return [id, query]; }
  @Endpoint({ method: 'GET', path: '/b/{id}', pathParams: ['id'], queryParams: ['id'] })
  two(id: string) { return id; }
  @Endpoint({ method: 'GET', path: '/c/{id}' })
  legacy(id: string, query: string) { return [id, query]; }
}`;
    expect(findingsOf(source)).toEqual(['3:66 91005 @isolation/endpoint-params error', '5:81 91005 @isolation/endpoint-params error', '7:3 91006 @isolation/endpoint-explicit-params warning']);
    expect(findingsOf(source, { rules: 'strict' }).at(-1)).toBe('7:3 91006 @isolation/endpoint-explicit-params error');
  });

  it('event-scope-fields', () => {
    expect(
      findingsOf(`${RUNTIME}
@DomainEvent({ type: 'a' })
export class CapsuleEvent { tenantId!: TenantId; }
@DomainEvent({ type: 'b', scope: 'tenant' })
export class TenantEvent { tenantId!: TenantId; }`),
    ).toEqual(['3:14 91007 @isolation/event-scope-fields error']);
  });

  it('no-adhoc-aws-client, no-literal-table-name, and no-env-config only in strict', () => {
    const source = `import { DynamoDBClient as Dynamo } from '@aws-sdk/client-dynamodb';
import * as lib from '@aws-sdk/lib-dynamodb';
export const raw = new Dynamo({});
export const docs = lib.DynamoDBDocumentClient.from(new Dynamo({}));
export const input = new lib.GetCommand({ TableName: 'crm_data' });
export const stage = process.env['STAGE'];
export function local(process: { env: string }) { return process.env; }`;
    const modules = {
      'node_modules/@aws-sdk/client-dynamodb/index.d.ts': 'export declare class DynamoDBClient { constructor(options: object); }',
      'node_modules/@aws-sdk/lib-dynamodb/index.d.ts': 'export declare class DynamoDBDocumentClient { static from(client: object): DynamoDBDocumentClient; }\nexport declare class GetCommand { constructor(input: object); }',
    };
    const lines = (plugin: Record<string, unknown>) => summary(compile({ 'main.ts': source, ...modules }, plugin).isolation);
    expect(lines({})).toEqual(['main.ts:3:20 91008 @isolation/no-adhoc-aws-client error', 'main.ts:4:21 91008 @isolation/no-adhoc-aws-client error', 'main.ts:5:54 91009 @isolation/no-literal-table-name error']);
    expect(lines({ rules: 'strict' }).at(-1)).toBe('main.ts:6:22 91010 @isolation/no-env-config error');
    expect(lines({ rules: 'strict', allow: { 'no-env-config': ['main.ts'], 'no-adhoc-aws-client': ['*.ts'] } })).toEqual(['main.ts:5:54 91009 @isolation/no-literal-table-name error']);
  });
});

describe('transformer recognition and options', () => {
  it('recognises aliased and namespace imports, and ignores same-named decorators from elsewhere', () => {
    expect(
      findingsOf(`import { Entity as Table, CapsuleIsolated } from '@isolation/runtime';
import * as iso from '@isolation/runtime';
declare function Entity(options: object): ClassDecorator;
@Table({ table: 't', pk: 'ROLE#{id}' })
@CapsuleIsolated()
export class Aliased { id!: string; }
@iso.Entity({ table: 't', pk: 'ROLE#{id}' })
export class Namespaced { id!: string; }
@Entity({ pk: 'anything' })
export class Theirs {}`),
    ).toEqual(['6:14 91002 @isolation/capsule-id-field error', '6:14 91002 @isolation/capsule-id-field error', '7:1 91001 @isolation/entity-scope error']);
  });

  it('reads wrapper modules named in `modules`', () => {
    const files = {
      'decorators.ts': `export { Entity, CapsuleIsolated } from '@isolation/runtime';`,
      'main.ts': `import { Entity, CapsuleIsolated } from './decorators.js';
@Entity({ table: 't', pk: 'ROLE#{id}' })
@CapsuleIsolated()
export class Role { id!: string; }`,
    };
    expect(compile(files).isolation).toEqual([]);
    expect(summary(compile(files, { modules: ['./decorators.js'] }).isolation)).toEqual(['main.ts:4:14 91002 @isolation/capsule-id-field error', 'main.ts:4:14 91002 @isolation/capsule-id-field error']);
  });

  it('per-rule severity overrides the rule set', () => {
    const source = `${RUNTIME}
@Entity({ table: 't', pk: '${PK}' })
export class A { ${IDS} }`;
    expect(findingsOf(source, { severity: { 'entity-scope': 'warn' } })).toEqual(['2:1 91001 @isolation/entity-scope warning']);
    expect(findingsOf(source, { severity: { '@isolation/entity-scope': 'off' } })).toEqual([]);
  });

  it('refuses a misconfigured plugin entry with one TS91000 error naming the key, and no exception', () => {
    const setup = (plugin: Record<string, unknown>): string[] => compile({ 'main.ts': 'export {};' }, plugin).findings.map((finding) => `${finding.file}|${finding.code} ${finding.category} ${finding.message}`);
    expect(setup({ rules: 'everything' })).toEqual(['|91000 error @isolation/ts-transformer-entities: "rules" is "everything"; expected "recommended" or "strict" (in tsconfig.json compilerOptions.plugins)']);
    expect(setup({ severity: { 'no-such-rule': 'error' } })).toEqual([
      `|91000 error @isolation/ts-transformer-entities: "severity" names the unknown rule "no-such-rule"; known rules: ${RULE_IDS.join(', ')} (in tsconfig.json compilerOptions.plugins)`,
    ]);
  });

  it('on a TypeScript it does not support (7 and later, before 5.9): one TS91000 error with the fix, the program unchanged', () => {
    const program = ts.createProgram({ rootNames: [], options: {} });
    const semantic = program.getSemanticDiagnostics;
    const under = (version: string): string[] => {
      const forged = Object.create(ts, { version: { value: version } }) as typeof ts;
      const returned = isolationTransformer(ts.createProgram({ rootNames: [], options: {} }), undefined, { transform: '@isolation/ts-transformer-entities', transformProgram: true }, { ts: forged });
      return returned.getOptionsDiagnostics().map((diagnostic) => `${diagnostic.file === undefined ? 'global' : 'file'} ${diagnostic.code} ${diagnostic.category === ts.DiagnosticCategory.Error ? 'error' : 'other'} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    };
    expect(under('7.0.2')).toEqual([
      'global 91000 error @isolation/ts-transformer-entities runs under ts-patch on TypeScript 5.9 or 6.x; this is TypeScript 7.0.2, which has no transformer API. Keep "typescript": "^6.0.3" installed for tspc (TypeScript 7 can sit beside it as "typescript-7": "npm:typescript@^7"), or check with isolation-check, which brings its own TypeScript',
    ]);
    expect(under('5.8.3')).toEqual(['global 91000 error @isolation/ts-transformer-entities runs under ts-patch on TypeScript 5.9 or 6.x; this is TypeScript 5.8.3. Upgrade to TypeScript 6.0 with ts-patch 4, or 5.9 with ts-patch 3.3']);
    expect(under('5.9.3')).toEqual([]);
    expect(under('6.0.3')).toEqual([]);
    // No checks were attached where the version is refused.
    const refused = isolationTransformer(program, undefined, {}, { ts: Object.create(ts, { version: { value: '7.0.2' } }) as typeof ts });
    expect(refused.getSemanticDiagnostics).toBe(semantic);
  });

  it('does not crash on odd code: anonymous classes, bare decorators, options that are not literals', () => {
    expect(
      findingsOf(`${RUNTIME}
const options = { table: 't', pk: '${PK}' };
export const Anonymous = @Entity(options) @CapsuleIsolated() class { ${IDS} };
export default @Entity({ ...options }) @CapsuleIsolated() class { ${IDS} }
export class Routes {
  @Endpoint(undefined as never)
  a(id: string) { return id; }
  @Endpoint({ method: 'GET', path: '/x', pathParams: [...[]] })
  ['b'](id: string) { return id; }
}`),
    ).toEqual(['3:34 91004 @isolation/key-template error', '4:26 91004 @isolation/key-template error', '6:13 91005 @isolation/endpoint-params error', '8:55 91005 @isolation/endpoint-params error']);
  });
});

describe('transformer type-aware policies', () => {
  it('stays silent about missing ids when the base class cannot be resolved', () => {
    const result = compile({
      'main.ts': `import { Entity, CapsuleIsolated } from '@isolation/runtime';
import { Missing } from './missing.js';
@Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' })
@CapsuleIsolated()
export class Role extends Missing { id!: string; }`,
    });
    expect(result.findings.map((item) => item.code)).toEqual([2307]);
  });

  it('stays silent about missing ids when the type of a field cannot be resolved (it may be an id)', () => {
    const result = compile({
      'main.ts': `import { Entity, CapsuleIsolated, type TenantId } from '@isolation/runtime';
import type { Scope } from './missing.js';
@Entity({ table: 't', pk: 'TENANT#{tenantId}#CAPSULE#{env}#ROLE#{id}' })
@CapsuleIsolated()
export class Role { tenantId!: TenantId; env!: Scope; id!: string; }`,
    });
    expect(result.findings.map((item) => item.code)).toEqual([2307]);
  });
});
