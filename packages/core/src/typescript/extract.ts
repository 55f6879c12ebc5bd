/**
 * TypeScript AST → the core's declaration model, with the type checker always at hand: fields come
 * from the checker (brands, inheritance across files), templates may be constants.
 */
import type * as ts from 'typescript';
import { MARKER_SCOPES, RULE_CATALOG, type DecoratorName, type RuleId, type EndpointDeclaration, type EntityDeclaration, type EventDeclaration, type HandlerParameter, type ScopeMarker } from '../index.js';
import { syntacticConstant } from './constants.js';
import { decoratorName, type IsolationImports } from './imports.js';
import type { TypedFields } from './fields.js';
import { declaredListOption, declaredOption, propertyName, unwrap, type ValueReader } from './values.js';

export interface DecoratorUse {
  readonly node: ts.Decorator;
  readonly name: DecoratorName;
  readonly argument: ts.Expression | undefined;
  /** The options object literal, when the first argument is one. */
  readonly options: ts.ObjectLiteralExpression | undefined;
}

/** Where the parts of a declaration are in the source, for diagnostics and code generation. */
export interface DeclarationSite {
  readonly nameNode: ts.Node;
  /** The class of an entity or event, for edits that add fields. */
  readonly classNode?: ts.ClassLikeDeclaration;
  readonly decorator: DecoratorUse;
  readonly markers: readonly DecoratorUse[];
  readonly parameters: readonly ts.ParameterDeclaration[];
}

export interface Extracted<T> {
  readonly declaration: T;
  readonly site: DeclarationSite;
}

export interface ExtractionContext {
  readonly ts: typeof ts;
  readonly file: ts.SourceFile;
  readonly imports: IsolationImports;
  readonly types: TypedFields;
}

export function ourDecorators(context: ExtractionContext, node: ts.HasDecorators): DecoratorUse[] {
  const tsi = context.ts;
  const uses: DecoratorUse[] = [];
  for (const modifier of node.modifiers ?? []) {
    if (!tsi.isDecorator(modifier)) continue;
    const name = decoratorName(tsi, modifier, context.imports);
    if (name === undefined) continue;
    const argument = tsi.isCallExpression(modifier.expression) ? modifier.expression.arguments[0] : undefined;
    const unwrapped = argument === undefined ? undefined : unwrap(tsi, argument);
    uses.push({ node: modifier, name, argument, options: unwrapped !== undefined && tsi.isObjectLiteralExpression(unwrapped) ? unwrapped : undefined });
  }
  return uses;
}

/**
 * How the options a rule judges are read. Constants resolve through the checker only for the rules
 * the catalog calls type-aware, exactly as the ESLint rules read them with their `typeAware`
 * option; the others read this file's constants alone, in every path, so no two paths disagree.
 */
function reader(context: ExtractionContext, rule: RuleId): ValueReader {
  const constant = RULE_CATALOG[rule].typeAware ? context.types.constant : (node: ts.Expression) => syntacticConstant(context.ts, node);
  return { ts: context.ts, file: context.file, constant };
}

export function className(tsi: typeof ts, node: ts.ClassLikeDeclaration): string {
  if (node.name) return node.name.text;
  if (tsi.isVariableDeclaration(node.parent) && tsi.isIdentifier(node.parent.name)) return node.parent.name.text;
  return '(anonymous class)';
}

export function extractEntity(node: ts.ClassLikeDeclaration, uses: readonly DecoratorUse[], context: ExtractionContext): Extracted<EntityDeclaration> | undefined {
  const entity = uses.find((use) => use.name === 'Entity');
  if (entity === undefined) return undefined;
  const markers = uses.filter((use) => use.name in MARKER_SCOPES);
  const read = reader(context, 'key-template');
  const superClass = node.heritageClauses?.find((clause) => clause.token === context.ts.SyntaxKind.ExtendsKeyword)?.types[0];
  const declaration: EntityDeclaration = {
    kind: 'entity',
    name: className(context.ts, node),
    markers: markers.map((marker) => scopeMarker(marker, reader(context, 'entity-scope'))),
    table: declaredOption(entity.options, entity.argument, 'table', read),
    pk: declaredOption(entity.options, entity.argument, 'pk', read),
    sk: entity.options === undefined ? undefined : declaredOption(entity.options, entity.argument, 'sk', read),
    fields: context.types.fieldsOf(node),
    bases: superClass === undefined ? [] : [superClass.expression.getText(context.file)],
  };
  return { declaration, site: { nameNode: node.name ?? entity.node, classNode: node, decorator: entity, markers, parameters: [] } };
}

export function extractEvent(node: ts.ClassLikeDeclaration, uses: readonly DecoratorUse[], context: ExtractionContext): Extracted<EventDeclaration> | undefined {
  const event = uses.find((use) => use.name === 'DomainEvent');
  if (event === undefined) return undefined;
  const read = reader(context, 'event-scope-fields');
  const declaration: EventDeclaration = {
    kind: 'event',
    name: className(context.ts, node),
    type: declaredOption(event.options, event.argument, 'type', read),
    scope: declaredOption(event.options, event.argument, 'scope', read),
    fields: context.types.fieldsOf(node),
  };
  return { declaration, site: { nameNode: node.name ?? event.node, classNode: node, decorator: event, markers: [], parameters: [] } };
}

export function extractEndpoint(node: ts.MethodDeclaration, owner: ts.ClassLikeDeclaration, context: ExtractionContext): Extracted<EndpointDeclaration> | undefined {
  const tsi = context.ts;
  const endpoint = ourDecorators(context, node).find((use) => use.name === 'Endpoint');
  if (endpoint === undefined) return undefined;
  const read = reader(context, 'endpoint-params');
  const methodName = tsi.isComputedPropertyName(node.name) ? `[${node.name.expression.getText(context.file)}]` : (propertyName(tsi, node.name) ?? node.name.getText(context.file));
  const parameters = node.parameters.filter((parameter) => !(tsi.isIdentifier(parameter.name) && parameter.name.text === 'this'));
  const declaration: EndpointDeclaration = {
    kind: 'endpoint',
    name: `${className(tsi, owner)}.${methodName}`,
    method: declaredOption(endpoint.options, endpoint.argument, 'method', read),
    // Options that are not an object literal are reported once, through pathParams.
    path: endpoint.options === undefined ? undefined : declaredOption(endpoint.options, endpoint.argument, 'path', read),
    pathParams: declaredListOption(endpoint.options, endpoint.argument, 'pathParams', read),
    queryParams: endpoint.options === undefined ? undefined : declaredListOption(endpoint.options, endpoint.argument, 'queryParams', read),
    body: endpoint.options === undefined ? undefined : declaredOption(endpoint.options, endpoint.argument, 'body', read),
    handlerParameters: parameters.map((parameter): HandlerParameter => ({ name: tsi.isIdentifier(parameter.name) ? parameter.name.text : undefined })),
  };
  return { declaration, site: { nameNode: node.name, decorator: endpoint, markers: [], parameters } };
}

function scopeMarker(marker: DecoratorUse, read: ValueReader): ScopeMarker {
  const scope = MARKER_SCOPES[marker.name as keyof typeof MARKER_SCOPES];
  if (scope !== 'platform') return { scope };
  return { scope, reason: declaredOption(marker.options, marker.argument, 'reason', read) };
}
