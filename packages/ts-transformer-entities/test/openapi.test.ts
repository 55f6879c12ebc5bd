import { dirname, join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, openApiDocument, type OpenApiDocument, type OpenApiOperation, type OpenApiOptions, type OpenApiResult } from '../src/openapi.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'crm', 'tsconfig.json');
const VIRTUAL_ROOT = join(import.meta.dirname, 'virtual-openapi');
const RUNTIME = `import { Endpoint } from '@isolation/runtime';`;

/** The example's program, as its tsconfig describes it (without the ts-patch plugin). */
function exampleProgram(): ts.Program {
  const read = ts.readConfigFile(EXAMPLE, (name) => ts.sys.readFile(name));
  if (read.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(EXAMPLE));
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
}

/** A program over in-memory files inside this package, so `@isolation/runtime` resolves. */
function memoryProgram(files: Readonly<Record<string, string>>, extra: ts.CompilerOptions = {}): ts.Program {
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(VIRTUAL_ROOT, name), text]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.esnext.decorators.d.ts'],
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    ...extra,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, onError, create) => {
    const text = virtual.get(name);
    return text === undefined ? getSourceFile.call(host, name, language, onError, create) : ts.createSourceFile(name, text, language, true);
  };
  return ts.createProgram({ rootNames: [...virtual.keys()], options, host });
}

function generate(source: string, options?: OpenApiOptions): OpenApiResult {
  return generateOpenApi(ts, memoryProgram({ 'main.ts': source }), options);
}

/** The OpenAPI 3.1 schema's verdict on the document, as JSON would carry it. */
async function expectValid(document: OpenApiDocument): Promise<void> {
  const result = await new Validator().validate(JSON.parse(JSON.stringify(document)) as Record<string, unknown>);
  expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined();
  expect(result.valid).toBe(true);
}

function operationOf(document: OpenApiDocument, path: string, method: 'get' | 'post' | 'put' | 'delete' | 'patch'): OpenApiOperation {
  const operation = document.paths[path]?.[method];
  if (operation === undefined) throw new Error(`no ${method} ${path} in ${JSON.stringify(Object.keys(document.paths))}`);
  return operation;
}

describe('OpenAPI from the CRM example', () => {
  const program = exampleProgram();
  const { document, skipped } = generateOpenApi(ts, program, { title: 'CRM', version: '1.0.0' });

  it('is a valid OpenAPI 3.1 document with every endpoint', async () => {
    await expectValid(document);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual({ title: 'CRM', version: '1.0.0' });
    expect(skipped).toEqual([]);
    expect(Object.keys(document.paths)).toEqual([
      '/tenants/{tenantId}/accounts',
      '/tenants/{tenantId}/accounts/{accountId}',
      '/tenants/{tenantId}/accounts/{accountId}/contacts/{contactId}/activities',
    ]);
  });

  it('declares path params as required path parameters and the permission as x-permission', () => {
    const operation = operationOf(document, '/tenants/{tenantId}/accounts/{accountId}', 'get');
    expect(operation.operationId).toBe('AccountRoutes.getAccount');
    expect(operation['x-permission']).toBe('crm.account.read');
    expect(operation.parameters).toEqual([
      { name: 'tenantId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'accountId', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(operation.responses).toEqual({ '200': { description: 'OK' } });
  });

  it('declares a query object as a form-exploded query parameter, with enums from literal unions', () => {
    const operation = operationOf(document, '/tenants/{tenantId}/accounts/{accountId}/contacts/{contactId}/activities', 'get');
    expect(operation.parameters?.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name)).toEqual(['tenantId', 'accountId', 'contactId']);
    const query = operation.parameters?.find((parameter) => parameter.name === 'query');
    expect(query).toMatchObject({ in: 'query', required: true, style: 'form', explode: true });
    // `kind?: Activity['kind'] | undefined`: optional, so not required; the literal union becomes an enum.
    expect(query?.schema).toEqual({ type: 'object', properties: { kind: { type: 'string', enum: ['call', 'email', 'meeting'] } } });
  });

  it('declares the body as a JSON request body from its type', () => {
    const operation = operationOf(document, '/tenants/{tenantId}/accounts', 'post');
    expect(operation['x-permission']).toBe('crm.account.write');
    expect(operation.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id', 'name'] } } },
    });
    expect(operation.parameters).toEqual([{ name: 'tenantId', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(openApiDocument(ts, exampleProgram(), { title: 'CRM', version: '1.0.0' }))).toBe(JSON.stringify(document));
  });
});

describe('OpenAPI from in-memory endpoints', () => {
  it('maps parameter types: literal unions, numbers, booleans, arrays, optionals, defaults and nullables', async () => {
    const { document, skipped } = generate(`${RUNTIME}
type Status = 'open' | 'closed' | 'archived';
enum Priority { Low = 'low', High = 'high' }
export class Tickets {
  @Endpoint({ method: 'GET', path: '/tickets/{status}', pathParams: ['status'], queryParams: ['limit', 'archived', 'tags', 'priority', 'cursor', 'after', 'page'], permission: 'tickets.read' })
  list(status: Status, limit: number, archived: boolean, tags: readonly string[], priority: Priority | undefined, cursor?: string, after: string | null = null, page = 1) {
    return [status, limit, archived, tags, priority, cursor, after, page];
  }
}`);
    expect(skipped).toEqual([]);
    await expectValid(document);
    const operation = operationOf(document, '/tickets/{status}', 'get');
    expect(operation.operationId).toBe('Tickets.list');
    expect(operation.tags).toEqual(['Tickets']);
    expect(operation['x-permission']).toBe('tickets.read');
    expect(operation.parameters).toEqual([
      { name: 'status', in: 'path', required: true, schema: { type: 'string', enum: ['archived', 'closed', 'open'] } },
      { name: 'limit', in: 'query', required: true, schema: { type: 'number' } },
      { name: 'archived', in: 'query', required: true, schema: { type: 'boolean' } },
      { name: 'tags', in: 'query', required: true, schema: { type: 'array', items: { type: 'string' } } },
      { name: 'priority', in: 'query', required: false, schema: { type: 'string', enum: ['high', 'low'] } },
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'after', in: 'query', required: false, schema: { type: ['string', 'null'] } },
      { name: 'page', in: 'query', required: false, schema: { type: 'number' } },
    ]);
  });

  it('maps nested body types, leaves what does not map cleanly as {}, and marks an optional body', async () => {
    const { document, skipped } = generate(`${RUNTIME}
interface Line { readonly sku: string; readonly quantity: number; readonly note?: string }
interface Order {
  readonly lines: readonly Line[];
  readonly placed: Date;
  readonly meta: Record<string, string>;
  readonly kind: 'retail' | 'wholesale';
  readonly parent: Order | null;
  readonly anything: unknown;
}
export class Orders {
  @Endpoint({ method: 'PUT', path: '/orders/{orderId}', pathParams: ['orderId'], body: 'order' })
  replace(orderId: string, order: Order) { return [orderId, order]; }

  @Endpoint({ method: 'PATCH', path: '/orders/{orderId}', pathParams: ['orderId'], body: 'patch' })
  update(orderId: string, patch?: Partial<Line>) { return [orderId, patch]; }
}`);
    expect(skipped).toEqual([]);
    await expectValid(document);
    const replace = operationOf(document, '/orders/{orderId}', 'put');
    expect(replace.requestBody?.required).toBe(true);
    expect(replace.requestBody?.content['application/json'].schema).toEqual({
      type: 'object',
      properties: {
        lines: {
          type: 'array',
          items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'number' }, note: { type: 'string' } }, required: ['sku', 'quantity'] },
        },
        placed: {},
        meta: { type: 'object', additionalProperties: { type: 'string' } },
        kind: { type: 'string', enum: ['retail', 'wholesale'] },
        parent: {},
        anything: {},
      },
      required: ['lines', 'placed', 'meta', 'kind', 'parent', 'anything'],
    });
    const update = operationOf(document, '/orders/{orderId}', 'patch');
    expect(update.requestBody?.required).toBe(false);
    expect(Object.keys(document.paths['/orders/{orderId}'] ?? {})).toEqual(['put', 'patch']);
  });

  it('maps branded ids to strings, number literal unions to enums and object unions to anyOf', async () => {
    const { document, skipped } = generate(`import { Endpoint, type TenantId } from '@isolation/runtime';
type Event = { readonly kind: 'created'; readonly at: number } | { readonly kind: 'deleted'; readonly reason: string | null };
export class Events {
  @Endpoint({ method: 'POST', path: '/tenants/{tenantId}/events', pathParams: ['tenantId'], queryParams: ['version'], body: 'event' })
  post(tenantId: TenantId, version: 1 | 2, event: Event) { return [tenantId, version, event]; }
}`);
    expect(skipped).toEqual([]);
    await expectValid(document);
    const operation = operationOf(document, '/tenants/{tenantId}/events', 'post');
    expect(operation.parameters).toEqual([
      { name: 'tenantId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'version', in: 'query', required: true, schema: { type: 'number', enum: [1, 2] } },
    ]);
    expect(operation.requestBody?.content['application/json'].schema).toEqual({
      anyOf: [
        { type: 'object', properties: { kind: { type: 'string', enum: ['created'] }, at: { type: 'number' } }, required: ['kind', 'at'] },
        { type: 'object', properties: { kind: { type: 'string', enum: ['deleted'] }, reason: { type: ['string', 'null'] } }, required: ['kind', 'reason'] },
      ],
    });
  });

  it('skips legacy and unverifiable declarations with the reason, and documents the rest', async () => {
    const { document, skipped } = generate(`${RUNTIME}
const PATH = '/computed/' + String(Date.now());
const PERMISSION = 'p.' + String(Date.now());
export class Mixed {
  @Endpoint({ method: 'GET', path: '/legacy/{id}' })
  legacy(id: string) { return id; }

  @Endpoint({ method: 'GET', path: PATH, pathParams: [] })
  computed() { return 1; }

  @Endpoint({ method: 'GET', path: '/secret', queryParams: [], permission: PERMISSION })
  secret() { return 1; }

  @Endpoint({ method: 'GET', path: '/items/{id}', pathParams: ['id'] })
  undeclared(id: string, limit: number) { return [id, limit]; }

  @Endpoint({ method: 'GET', path: '/health' })
  health() { return 'ok'; }

  @Endpoint({ method: 'DELETE', path: '/items/{id}', pathParams: ['id'], permission: 'items.delete' })
  remove(id: string) { return id; }
}`);
    await expectValid(document);
    expect(skipped.map((entry) => entry.name)).toEqual(['Mixed.legacy', 'Mixed.computed', 'Mixed.secret', 'Mixed.undeclared']);
    expect(skipped[0]).toMatchObject({ fileName: join(VIRTUAL_ROOT, 'main.ts'), line: 6, column: 3 });
    expect(skipped[0]?.reason).toMatch(/^legacy declaration: neither `pathParams` nor `queryParams` is declared/);
    expect(skipped[1]?.reason).toMatch(/PATH/);
    expect(skipped[2]?.reason).toMatch(/^the permission is not a literal: it is the variable `PERMISSION`/);
    expect(skipped[3]?.reason).toMatch(/limit/);
    // A parameterless endpoint declares nothing implicitly: there is nothing to guess.
    expect(Object.keys(document.paths)).toEqual(['/health', '/items/{id}']);
    expect(operationOf(document, '/items/{id}', 'delete')).toMatchObject({ operationId: 'Mixed.remove', 'x-permission': 'items.delete' });
    expect(operationOf(document, '/health', 'get').parameters).toBeUndefined();
  });

  it('keeps the first of two endpoints on one route, and of paths differing only in parameter names', async () => {
    const { document, skipped } = generate(`${RUNTIME}
export class A {
  @Endpoint({ method: 'GET', path: '/things/{id}', pathParams: ['id'] })
  get(id: string) { return id; }
}
export class B {
  @Endpoint({ method: 'GET', path: '/things/{id}', pathParams: ['id'] })
  get(id: string) { return id; }
  @Endpoint({ method: 'POST', path: '/things/{key}', pathParams: ['key'] })
  post(key: string) { return key; }
}`);
    await expectValid(document);
    expect(Object.keys(document.paths)).toEqual(['/things/{id}']);
    expect(skipped.map((entry) => [entry.name, entry.reason])).toEqual([
      ['B.get', 'GET /things/{id} is already declared by `A.get`'],
      ['B.post', expect.stringMatching(/only in parameter names/)],
    ]);
  });

  it('reads decorators re-exported by a wrapper module, and string constants', async () => {
    const program = memoryProgram({
      'http.ts': `export { Endpoint } from '@isolation/runtime';`,
      'main.ts': `import { Endpoint as Route } from './http.js';
const READ = 'notes.read';
export class Notes {
  @Route({ method: 'GET', path: '/notes', queryParams: ['q'], permission: READ })
  search(q: string) { return q; }
}`,
    });
    const ignored = generateOpenApi(ts, program);
    expect(ignored.document.paths).toEqual({});
    const { document, skipped } = generateOpenApi(ts, program, { modules: ['./http.js'] });
    expect(skipped).toEqual([]);
    await expectValid(document);
    expect(document.info).toEqual({ title: 'API', version: '0.0.0' });
    expect(operationOf(document, '/notes', 'get')).toMatchObject({ 'x-permission': 'notes.read', parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }] });
  });

  it('describes nothing it cannot resolve: arrays in a parse-only program (no lib, no resolution) become {}', async () => {
    const program = memoryProgram(
      { 'main.ts': `${RUNTIME}\nexport class A {\n  @Endpoint({ method: 'GET', path: '/a', queryParams: ['tags', 'filter'] })\n  a(tags: string[], filter: { readonly q: string }) { return [tags, filter]; }\n}` },
      { noLib: true, noResolve: true, types: [] },
    );
    const { document } = generateOpenApi(ts, program);
    await expectValid(document);
    expect(operationOf(document, '/a', 'get').parameters).toEqual([
      { name: 'tags', in: 'query', required: true, schema: {} },
      { name: 'filter', in: 'query', required: true, schema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }, style: 'form', explode: true },
    ]);
  });

  it('gives an empty, valid document for a program without endpoints', async () => {
    const document = openApiDocument(ts, memoryProgram({ 'main.ts': 'export const x = 1;' }));
    expect(document.paths).toEqual({});
    await expectValid(document);
  });
});
