/**
 * The decorators under both of TypeScript's decorator implementations: snippets are compiled by the
 * real compiler (standard decorators, then experimentalDecorators) and imported as modules.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { getEndpoints, getEntityMetadata, getEventMetadata, IsolationDeclarationError, keysOf } from '@isolation/runtime';

const TMP = join(dirname(fileURLToPath(import.meta.url)), '.tmp');
let counter = 0;

async function load(source: string, experimentalDecorators: boolean): Promise<Record<string, unknown>> {
  const output = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, experimentalDecorators, useDefineForClassFields: false },
  }).outputText;
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, `snippet-${process.pid}-${counter++}.mjs`);
  writeFileSync(file, output);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

const header = `import { Entity, CapsuleIsolated, TenantScoped, PlatformScoped, Endpoint, DomainEvent } from '@isolation/runtime';\n`;

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

async function refusal(source: string, experimentalDecorators: boolean): Promise<IsolationDeclarationError> {
  const error = await load(header + source, experimentalDecorators).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(IsolationDeclarationError);
  return error as IsolationDeclarationError;
}

describe.each([
  ['standard decorators', false],
  ['experimentalDecorators', true],
])('%s', (_mode, experimental) => {
  it('registers a valid capsule entity, in either decorator order, and builds its keys', async () => {
    const module = await load(
      header +
        `@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}', sk: 'METADATA#v{version}' })
         @CapsuleIsolated()
         export class RoleAssignment {}
         @CapsuleIsolated()
         @Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#GROUP#{id}' })
         export class SecurityGroup {}`,
      experimental,
    );
    const RoleAssignment = module.RoleAssignment as new () => object;
    expect(getEntityMetadata(RoleAssignment)).toEqual({
      table: 'platform_data',
      pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}',
      sk: 'METADATA#v{version}',
      scopes: ['capsule'],
    });
    expect(getEntityMetadata(module.SecurityGroup as new () => object)?.scopes).toEqual(['capsule']);
    expect(keysOf(RoleAssignment, { tenantId: 'acme', capsuleId: 'DEVUS', id: 'r1', version: 3 })).toEqual({
      pk: 'TENANT#acme#CAPSULE#DEVUS#ROLE#r1',
      sk: 'METADATA#v3',
    });
  });

  it('registers endpoints and events', async () => {
    const module = await load(
      header +
        `export class AccountRoutes {
           @Endpoint({ method: 'GET', path: '/accounts/{accountId}/contacts/{contactId}/activities', pathParams: ['accountId', 'contactId'], queryParams: ['query'], permission: 'crm.activity.read' })
           listContactActivities(accountId, contactId, query) { return [accountId, contactId, query]; }
         }
         @DomainEvent({ type: 'RoleAssignmentCreated' })
         export class RoleAssignmentCreated {}
         @DomainEvent({ type: 'TenantRenamed', scope: 'tenant' })
         export class TenantRenamed {}`,
      experimental,
    );
    expect(getEndpoints(module.AccountRoutes as new () => object)).toEqual([
      expect.objectContaining({ handler: 'listContactActivities', method: 'GET', pathParams: ['accountId', 'contactId'], queryParams: ['query'] }),
    ]);
    expect(getEventMetadata(module.RoleAssignmentCreated as new () => object)).toEqual({ type: 'RoleAssignmentCreated', scope: 'capsule' });
    expect(getEventMetadata(module.TenantRenamed as new () => object)).toEqual({ type: 'TenantRenamed', scope: 'tenant' });
  });

  it.each([
    ['a malformed pk', `@Entity({ table: 't', pk: 'TENANT#{tenantId#X' }) @CapsuleIsolated() export class Broken {}`, 'key-template', 'Broken'],
    ['a capsule pk without its capsule segments', `@Entity({ table: 't', pk: 'TENANT#{tenantId}#ROLE#{id}' }) @CapsuleIsolated() export class RoleAssignment {}`, 'key-scope-segments', 'RoleAssignment'],
    ['marker above @Entity, pk without its capsule segments', `@CapsuleIsolated() @Entity({ table: 't', pk: 'ROLE#{id}' }) export class Role {}`, 'key-scope-segments', 'Role'],
    ['two scope markers', `@Entity({ table: 't', pk: 'TENANT#{tenantId}#X#{id}' }) @TenantScoped() @CapsuleIsolated() export class Twice {}`, 'entity-scope', 'Twice'],
    ['a platform entity with an empty reason', `@Entity({ table: 't', pk: 'CONFIG#{id}' }) @PlatformScoped({ reason: ' ' }) export class Config {}`, 'entity-scope', 'Config'],
    ['an event with an unknown scope', `@DomainEvent({ type: 'X', scope: 'global' }) export class X {}`, 'event-scope-fields', 'X'],
  ])('refuses %s at class definition', async (_case, source, rule, className) => {
    const error = await refusal(source, experimental);
    expect(error.rule).toBe(rule);
    expect(error.className).toBe(className);
    expect(error.message).toContain(`[@isolation/${rule}] ${className}`);
  });

  it.each([
    ['a path placeholder missing from pathParams', `pathParams: ['accountId']`, '/accounts/{accountId}/contacts/{contactId}', 'placeholderNotDeclared'],
    ['a name in both lists', `pathParams: ['accountId'], queryParams: ['accountId']`, '/accounts/{accountId}', 'paramInBothLists'],
  ])('refuses an endpoint with %s', async (_case, lists, path, messageId) => {
    const error = await refusal(
      `export class Routes { @Endpoint({ method: 'GET', path: '${path}', ${lists} }) list(accountId, contactId) { return [accountId, contactId]; } }`,
      experimental,
    );
    expect(error.rule).toBe('endpoint-params');
    expect(error.violations[0]?.messageId).toBe(messageId);
    expect(error.message).toContain('list');
    if (experimental) expect(error.className).toBe('Routes.list');
  });

  // The signature leaves `context` untyped (ADR 0019); the kind of member is checked as the class is defined.
  it('refuses @Endpoint on a getter, which is no handler method', async () => {
    const error = await load(
      header + `export class Routes { @Endpoint({ method: 'GET', path: '/accounts', pathParams: [], queryParams: [] }) get accounts() { return []; } }`,
      experimental,
    ).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^@Endpoint decorates a handler method, but found a (getter \(accounts\)|member that is no method \(an accessor or a field\)); put @Endpoint on the method/);
  });
});
