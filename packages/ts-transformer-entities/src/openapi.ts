/**
 * An OpenAPI 3.1 document from the program's `@Endpoint` declarations: paths, methods and
 * parameters exactly as declared (`pathParams`, `queryParams`, `body`), schemas from the handler
 * parameter types through the type checker. An endpoint whose declaration cannot be read or does
 * not pass the endpoint rules is left out and listed with the reason — never guessed.
 */
import type * as ts from 'typescript';
import { checkEndpointExplicitParams, checkEndpointParams, isLegacyEndpoint, messageText, type Declared, type DeclaredList, type EndpointDeclaration } from '@isolation/core';
import { className, declaredOption, extractEndpoint, hasIsolationImports, isolationImports, typedFields, type ExtractionContext, type Extracted } from '@isolation/core/typescript';
import { schemaMapper, type SchemaMapper, type SchemaObject } from './openapi-schema.js';

export type { SchemaObject } from './openapi-schema.js';

export interface OpenApiOptions {
  /** `info.title`; default `API`. */
  readonly title?: string;
  /** `info.version`; default `0.0.0`. */
  readonly version?: string;
  /** Modules that re-export our decorators (the transformer's `modules` option). */
  readonly modules?: readonly string[];
}

/** Path Item fields in the order of the OpenAPI specification; the runtime's `HttpMethod`s. */
export const OPENAPI_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
export type OpenApiMethod = (typeof OPENAPI_METHODS)[number];

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly schema: SchemaObject;
  /** Object-valued query parameters: `?kind=note&since=…`. */
  readonly style?: 'form';
  readonly explode?: true;
}

export interface OpenApiRequestBody {
  readonly required: boolean;
  readonly content: { readonly 'application/json': { readonly schema: SchemaObject } };
}

export interface OpenApiOperation {
  /** `Class.method`; suffixed `_2`, `_3`… when two classes of the same name declare the same method. */
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: OpenApiRequestBody;
  readonly responses: { readonly [status: string]: { readonly description: string } };
  /** The endpoint's `permission` option. */
  readonly 'x-permission'?: string;
}

export type OpenApiPathItem = { readonly [method in OpenApiMethod]?: OpenApiOperation };

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: { readonly [path: string]: OpenApiPathItem };
}

/** An endpoint left out of the document, and why. */
export interface SkippedEndpoint {
  /** `Class.method`. */
  readonly name: string;
  readonly fileName: string;
  /** 1-based, of the method's name. */
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

export interface OpenApiResult {
  readonly document: OpenApiDocument;
  /** In source order (file name, then position). */
  readonly skipped: readonly SkippedEndpoint[];
}

/** An OpenAPI 3.1 document from every @Endpoint of the program's source files. */
export function openApiDocument(tsi: typeof ts, program: ts.Program, options: OpenApiOptions = {}): OpenApiDocument {
  return generateOpenApi(tsi, program, options).document;
}

interface Found {
  readonly extracted: Extracted<EndpointDeclaration>;
  readonly context: ExtractionContext;
  readonly owner: ts.ClassLikeDeclaration;
}

interface Placed {
  readonly path: string;
  readonly method: OpenApiMethod;
  readonly operation: OpenApiOperation;
}

/** The document and the endpoints left out of it, with reasons, for the caller to report. */
export function generateOpenApi(tsi: typeof ts, program: ts.Program, options: OpenApiOptions = {}): OpenApiResult {
  const checker = program.getTypeChecker();
  const types = typedFields(tsi, checker);
  const schemas = schemaMapper(tsi, checker);
  const found: Found[] = [];
  const files = program
    .getSourceFiles()
    .filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && file.text.includes('@'))
    .sort((a, b) => compare(a.fileName, b.fileName));
  for (const file of files) {
    const imports = isolationImports(tsi, file, options.modules ?? []);
    if (!hasIsolationImports(imports)) continue;
    const context: ExtractionContext = { ts: tsi, file, imports, types };
    const visit = (node: ts.Node): void => {
      if (tsi.isClassDeclaration(node) || tsi.isClassExpression(node)) {
        for (const member of node.members) {
          if (!tsi.isMethodDeclaration(member) || member.modifiers?.some(tsi.isDecorator) !== true) continue;
          const extracted = extractEndpoint(member, node, context);
          if (extracted !== undefined) found.push({ extracted, context, owner: node });
        }
      }
      tsi.forEachChild(node, visit);
    };
    tsi.forEachChild(file, visit);
  }

  const skipped: SkippedEndpoint[] = [];
  const placed: Placed[] = [];
  const byRoute = new Map<string, string>();
  const byTemplate = new Map<string, string>();
  const operationIds = new Map<string, number>();
  for (const endpoint of found) {
    const declaration = endpoint.extracted.declaration;
    const result = operation(endpoint, schemas, checker);
    const skip = (reason: string): void => {
      const file = endpoint.context.file;
      const position = file.getLineAndCharacterOfPosition(endpoint.extracted.site.nameNode.getStart(file));
      skipped.push({ name: declaration.name, fileName: file.fileName, line: position.line + 1, column: position.character + 1, reason });
    };
    if (typeof result === 'string') {
      skip(result);
      continue;
    }
    const route = `${result.method.toUpperCase()} ${result.path}`;
    const earlier = byRoute.get(route);
    if (earlier !== undefined) {
      skip(`${route} is already declared by \`${earlier}\``);
      continue;
    }
    // `/a/{id}` and `/a/{key}` are the same path to OpenAPI, whatever the method.
    const template = result.path.replace(/\{[^{}]*\}/g, '{}');
    const sameTemplate = byTemplate.get(template);
    if (sameTemplate !== undefined && sameTemplate !== result.path) {
      skip(`the path ${result.path} differs from ${sameTemplate}, declared elsewhere, only in parameter names, which OpenAPI does not allow`);
      continue;
    }
    byRoute.set(route, declaration.name);
    byTemplate.set(template, result.path);
    const count = (operationIds.get(declaration.name) ?? 0) + 1;
    operationIds.set(declaration.name, count);
    const tag = className(tsi, endpoint.owner);
    placed.push({ ...result, operation: { ...result.operation, operationId: count === 1 ? declaration.name : `${declaration.name}_${count}`, tags: [tag] } });
  }

  const paths: Record<string, Partial<Record<OpenApiMethod, OpenApiOperation>>> = {};
  for (const path of [...new Set(placed.map((entry) => entry.path))].sort(compare)) {
    const item: Partial<Record<OpenApiMethod, OpenApiOperation>> = {};
    for (const method of OPENAPI_METHODS) {
      const entry = placed.find((candidate) => candidate.path === path && candidate.method === method);
      if (entry !== undefined) item[method] = entry.operation;
    }
    paths[path] = item;
  }
  return {
    document: { openapi: '3.1.0', info: { title: options.title ?? 'API', version: options.version ?? '0.0.0' }, paths },
    skipped,
  };
}

/** The operation of one endpoint, or why it is left out. */
function operation(endpoint: Found, schemas: SchemaMapper, checker: ts.TypeChecker): Placed | string {
  const { extracted, context } = endpoint;
  const { declaration, site } = extracted;
  if (isLegacyEndpoint(declaration)) {
    const legacy = checkEndpointExplicitParams(declaration)[0];
    if (legacy !== undefined) return `legacy declaration: neither \`pathParams\` nor \`queryParams\` is declared, so its parameters are not known (${messageText(legacy.rule, legacy.messageId, legacy.data)})`;
  }
  const method = known(declaration.method, 'the method');
  if (typeof method !== 'object') return method ?? 'no `method` is declared';
  const verb = method.value.toLowerCase() as OpenApiMethod;
  if (!OPENAPI_METHODS.includes(verb) || method.value !== method.value.toUpperCase()) return `the method ${JSON.stringify(method.value)} is not one of ${OPENAPI_METHODS.map((name) => name.toUpperCase()).join(', ')}`;
  const violations = checkEndpointParams(declaration);
  if (violations.length > 0) return violations.map((violation) => messageText(violation.rule, violation.messageId, violation.data)).join('; ');
  const path = known(declaration.path, 'the path');
  if (typeof path !== 'object') return path ?? 'no `path` is declared';
  if (!path.value.startsWith('/')) return `the path ${JSON.stringify(path.value)} does not start with /`;
  const read = { ts: context.ts, file: context.file, constant: context.types.constant };
  const permission = known(declaredOption(site.decorator.options, site.decorator.argument, 'permission', read), 'the permission');
  if (typeof permission === 'string') return permission;

  const tsi = context.ts;
  const parameters = new Map(site.parameters.flatMap((parameter) => (tsi.isIdentifier(parameter.name) ? [[parameter.name.text, parameter] as const] : [])));
  const typeOf = (name: string): { type: ts.Type | undefined; optional: boolean } => {
    const parameter = parameters.get(name);
    if (parameter === undefined) return { type: undefined, optional: false };
    const symbol = tsi.isIdentifier(parameter.name) ? checker.getSymbolAtLocation(parameter.name) : undefined;
    const type = symbol === undefined ? undefined : checker.getTypeOfSymbol(symbol);
    const optional = parameter.questionToken !== undefined || parameter.initializer !== undefined || parameter.dotDotDotToken !== undefined || (type !== undefined && schemas.acceptsUndefined(type));
    return { type, optional };
  };
  const list: OpenApiParameter[] = [];
  for (const name of names(declaration.pathParams)) {
    const { type } = typeOf(name);
    list.push({ name, in: 'path', required: true, schema: type === undefined ? {} : schemas.schemaOf(type, 'scalar') });
  }
  for (const name of names(declaration.queryParams)) {
    const { type, optional } = typeOf(name);
    const schema = type === undefined ? {} : schemas.schemaOf(type, 'parameter');
    list.push({ name, in: 'query', required: !optional, schema, ...(isObjectSchema(schema) ? { style: 'form' as const, explode: true as const } : {}) });
  }
  let requestBody: OpenApiRequestBody | undefined;
  if (declaration.body?.kind === 'known') {
    const { type, optional } = typeOf(declaration.body.value);
    requestBody = { required: !optional, content: { 'application/json': { schema: type === undefined ? {} : schemas.schemaOf(type, 'body') } } };
  }
  return {
    path: path.value,
    method: verb,
    operation: {
      operationId: declaration.name,
      tags: [],
      ...(list.length > 0 ? { parameters: list } : {}),
      ...(requestBody === undefined ? {} : { requestBody }),
      responses: { '200': { description: 'OK' } },
      ...(permission === undefined ? {} : { 'x-permission': permission.value }),
    },
  };
}

/** A known value; the reason when unverifiable; undefined when absent. */
function known(value: Declared<string> | undefined, what: string): { readonly value: string } | string | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'known') return { value: value.value };
  return `${what} is not a literal: it is ${value.found}`;
}

/** The names of a list that passed `checkEndpointParams`: every entry is known. */
function names(list: DeclaredList | undefined): string[] {
  if (list?.kind !== 'known') return [];
  return list.value.flatMap((entry) => (entry.kind === 'known' ? [entry.value] : []));
}

function isObjectSchema(schema: SchemaObject): boolean {
  const type = schema['type'];
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
