/**
 * TSESTree → the core's declaration model. Extraction is cached per class node (ESLint hands every
 * rule the same AST for a file), so the four entity rules share one extraction.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { MARKER_SCOPES, type EndpointDeclaration, type EntityDeclaration, type EventDeclaration, type FieldDeclaration, type FieldSet, type HandlerParameter, type ScopeMarker } from '@isolation/core';
import { annotatedBrand, decoratorName, type DecoratorName, type IsolationImports } from './imports.js';
import { declaredListOption, declaredOption, propertyKeyName, unwrapTypeAssertions, type ValueReader } from './values.js';

export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

export interface DecoratorUse {
  readonly node: TSESTree.Decorator;
  readonly name: DecoratorName;
  readonly argument: TSESTree.Node | undefined;
  /** The options object literal, when the first argument is one. */
  readonly options: TSESTree.ObjectExpression | undefined;
}

/** Where the parts of a declaration are in the source, for reports and suggestions. */
export interface DeclarationSite {
  readonly nameNode: TSESTree.Node;
  readonly decorator: DecoratorUse;
  readonly markers: readonly DecoratorUse[];
  readonly classBody: TSESTree.ClassBody;
  readonly parameters: readonly TSESTree.Parameter[];
}

export interface Extracted<T> {
  readonly declaration: T;
  readonly site: DeclarationSite;
}

/** Type information, when the rule's `typeAware` option asks for it. */
export interface TypeInformation {
  readonly fieldsOf: (node: ClassNode) => FieldSet;
  readonly constant: ValueReader['constant'];
}

export interface ExtractionContext {
  readonly imports: IsolationImports;
  readonly text: (node: TSESTree.Node) => string;
  readonly program: TSESTree.Program;
  readonly types: TypeInformation | undefined;
  /** Distinguishes cached extractions made with different options. */
  readonly cacheKey: string;
}


/**
 * Extractions of one file, per declaration kind and option set. One weak entry per file (not per
 * node) keeps the garbage collector's work flat however many declarations a file holds.
 */
const files = new WeakMap<TSESTree.Program, Map<string, Map<TSESTree.Node, unknown>>>();

function cached<T>(context: ExtractionContext, kind: 'entity' | 'event' | 'endpoint', node: TSESTree.Node, make: () => T): T {
  let perFile = files.get(context.program);
  if (perFile === undefined) files.set(context.program, (perFile = new Map()));
  const key = kind + context.cacheKey;
  let perNode = perFile.get(key);
  if (perNode === undefined) perFile.set(key, (perNode = new Map()));
  if (perNode.has(node)) return perNode.get(node) as T;
  const made = make();
  perNode.set(node, made);
  return made;
}

/** A node's decorators: ESLint's default parser (espree, for plain JavaScript) leaves the property out. */
export function decoratorsOf(node: { readonly decorators?: readonly TSESTree.Decorator[] | undefined }): readonly TSESTree.Decorator[] {
  return node.decorators ?? [];
}

export function ourDecorators(decorators: readonly TSESTree.Decorator[], imports: IsolationImports): DecoratorUse[] {
  const uses: DecoratorUse[] = [];
  for (const node of decorators) {
    const name = decoratorName(node, imports);
    if (name === undefined) continue;
    const argument = node.expression.type === 'CallExpression' ? node.expression.arguments[0] : undefined;
    const unwrapped = argument === undefined ? undefined : unwrapTypeAssertions(argument);
    uses.push({ node, name, argument, options: unwrapped?.type === 'ObjectExpression' ? unwrapped : undefined });
  }
  return uses;
}

function reader(context: ExtractionContext): ValueReader {
  return { text: context.text, constant: context.types?.constant };
}

function className(node: ClassNode): string {
  if (node.id) return node.id.name;
  if (node.parent.type === 'VariableDeclarator' && node.parent.id.type === 'Identifier') return node.parent.id.name;
  return '(anonymous class)';
}

export function extractEntity(node: ClassNode, context: ExtractionContext): Extracted<EntityDeclaration> | undefined {
  if (decoratorsOf(node).length === 0) return undefined;
  return cached(context, 'entity', node, () => {
    const uses = ourDecorators(decoratorsOf(node), context.imports);
    const entity = uses.find((use) => use.name === 'Entity');
    if (entity === undefined) return undefined;
    const markers = uses.filter((use) => use.name in MARKER_SCOPES);
    const read = reader(context);
    const declaration: EntityDeclaration = {
      kind: 'entity',
      name: className(node),
      markers: markers.map((marker) => scopeMarker(marker, read)),
      table: declaredOption(entity.options, entity.argument, 'table', read),
      pk: declaredOption(entity.options, entity.argument, 'pk', read),
      sk: entity.options === undefined ? undefined : declaredOption(entity.options, entity.argument, 'sk', read),
      fields: context.types?.fieldsOf(node) ?? syntacticFields(node, context),
      bases: node.superClass ? [context.text(node.superClass)] : [],
    };
    return { declaration, site: classSite(node, entity, markers) };
  });
}

export function extractEvent(node: ClassNode, context: ExtractionContext): Extracted<EventDeclaration> | undefined {
  if (decoratorsOf(node).length === 0) return undefined;
  return cached(context, 'event', node, () => {
    const event = ourDecorators(decoratorsOf(node), context.imports).find((use) => use.name === 'DomainEvent');
    if (event === undefined) return undefined;
    const read = reader(context);
    const declaration: EventDeclaration = {
      kind: 'event',
      name: className(node),
      type: declaredOption(event.options, event.argument, 'type', read),
      scope: declaredOption(event.options, event.argument, 'scope', read),
      fields: context.types?.fieldsOf(node) ?? syntacticFields(node, context),
    };
    return { declaration, site: classSite(node, event, []) };
  });
}

type MethodNode = TSESTree.MethodDefinition | TSESTree.TSAbstractMethodDefinition;

export function extractEndpoint(node: MethodNode, context: ExtractionContext): Extracted<EndpointDeclaration> | undefined {
  if (decoratorsOf(node).length === 0) return undefined;
  return cached(context, 'endpoint', node, () => {
    const endpoint = ourDecorators(decoratorsOf(node), context.imports).find((use) => use.name === 'Endpoint');
    if (endpoint === undefined) return undefined;
    const read = reader(context);
    const owner = node.parent.parent;
    const methodName = node.computed ? `[${context.text(node.key)}]` : (propertyKeyName(node.key) ?? context.text(node.key));
    const parameters = node.value.params.filter((parameter) => !(parameter.type === 'Identifier' && parameter.name === 'this'));
    const declaration: EndpointDeclaration = {
      kind: 'endpoint',
      name: `${className(owner)}.${methodName}`,
      method: declaredOption(endpoint.options, endpoint.argument, 'method', read),
      // Options that are not an object literal are reported once, through pathParams.
      path: endpoint.options === undefined ? undefined : declaredOption(endpoint.options, endpoint.argument, 'path', read),
      pathParams: declaredListOption(endpoint.options, endpoint.argument, 'pathParams', read),
      queryParams: endpoint.options === undefined ? undefined : declaredListOption(endpoint.options, endpoint.argument, 'queryParams', read),
      body: endpoint.options === undefined ? undefined : declaredOption(endpoint.options, endpoint.argument, 'body', read),
      handlerParameters: parameters.map(handlerParameter),
    };
    return { declaration, site: { nameNode: node.key, decorator: endpoint, markers: [], classBody: node.parent, parameters } };
  });
}

function handlerParameter(parameter: TSESTree.Parameter): HandlerParameter {
  let target: TSESTree.Node = parameter;
  if (target.type === 'TSParameterProperty') target = target.parameter;
  if (target.type === 'AssignmentPattern') target = target.left;
  if (target.type === 'RestElement') target = target.argument;
  return { name: target.type === 'Identifier' ? target.name : undefined };
}

function classSite(node: ClassNode, decorator: DecoratorUse, markers: readonly DecoratorUse[]): DeclarationSite {
  return { nameNode: node.id ?? decorator.node, decorator, markers, classBody: node.body, parameters: [] };
}

function scopeMarker(marker: DecoratorUse, read: ValueReader): ScopeMarker {
  const scope = MARKER_SCOPES[marker.name as keyof typeof MARKER_SCOPES];
  if (scope !== 'platform') return { scope };
  return { scope, reason: declaredOption(marker.options, marker.argument, 'reason', read) };
}

/**
 * Fields visible without type information: own properties, constructor parameter properties, and
 * fields inherited from classes declared in the same file. A base class from elsewhere makes the
 * set incomplete (the core then stays silent about missing fields). Nested fields come from inline
 * type literals and same-file interfaces, type aliases and classes; for any other type they are
 * unknown, which the core reads as "holds no ids" unless a key template reaches into the field.
 */
export function syntacticFields(node: ClassNode, context: ExtractionContext, seen = new Set<ClassNode>()): FieldSet {
  seen.add(node);
  const fields: FieldDeclaration[] = [];
  for (const member of node.body.body) {
    if ((member.type === 'PropertyDefinition' || member.type === 'TSAbstractPropertyDefinition') && !member.static && !member.computed) {
      const name = propertyKeyName(member.key);
      if (name !== undefined) fields.push(field(name, member.typeAnnotation?.typeAnnotation, context));
    }
    if (member.type === 'MethodDefinition' && member.kind === 'constructor') {
      for (const parameter of member.value.params) {
        if (parameter.type !== 'TSParameterProperty') continue;
        const inner = parameter.parameter.type === 'AssignmentPattern' ? parameter.parameter.left : parameter.parameter;
        if (inner.type === 'Identifier') fields.push(field(inner.name, inner.typeAnnotation?.typeAnnotation, context));
      }
    }
  }
  if (node.superClass === null || node.superClass === undefined) return { fields, complete: true };
  const base = node.superClass.type === 'Identifier' ? sameFileDeclaration(context.program, node.superClass.name) : undefined;
  if (base === undefined || (base.type !== 'ClassDeclaration' && base.type !== 'ClassExpression') || seen.has(base)) return { fields, complete: false };
  const inherited = syntacticFields(base, context, seen);
  const own = new Set(fields.map((candidate) => candidate.name));
  const baseName = className(base);
  for (const candidate of inherited.fields) {
    if (!own.has(candidate.name)) fields.push({ ...candidate, inheritedFrom: candidate.inheritedFrom ?? baseName });
  }
  return { fields, complete: inherited.complete };
}

function field(name: string, type: TSESTree.TypeNode | undefined, context: ExtractionContext): FieldDeclaration {
  const brand = annotatedBrand(type, context.imports);
  return { name, brand, nested: brand === undefined ? nestedFields(type, context) : NO_FIELDS };
}

const NO_FIELDS: FieldSet = { fields: [], complete: true };

function nestedFields(type: TSESTree.TypeNode | undefined, context: ExtractionContext): FieldSet | undefined {
  if (type === undefined) return undefined;
  if (type.type === 'TSTypeLiteral') return memberFields(type.members, context);
  // Keywords, literals, arrays, unions and the like hold no named sub-fields.
  if (type.type !== 'TSTypeReference') return NO_FIELDS;
  if (type.typeName.type !== 'Identifier') return undefined;
  const declaration = sameFileDeclaration(context.program, type.typeName.name);
  if (declaration?.type === 'TSInterfaceDeclaration') {
    const members = memberFields(declaration.body.body, context);
    return declaration.extends.length > 0 ? { ...members, complete: false } : members;
  }
  if (declaration?.type === 'TSTypeAliasDeclaration' && declaration.typeAnnotation.type === 'TSTypeLiteral') return memberFields(declaration.typeAnnotation.members, context);
  if (declaration?.type === 'ClassDeclaration') {
    const fields: FieldDeclaration[] = [];
    for (const member of declaration.body.body) {
      const name = member.type === 'PropertyDefinition' && !member.static && !member.computed ? propertyKeyName(member.key) : undefined;
      if (name !== undefined && member.type === 'PropertyDefinition') fields.push({ name, brand: annotatedBrand(member.typeAnnotation?.typeAnnotation, context.imports) });
    }
    return { fields, complete: declaration.superClass === null || declaration.superClass === undefined };
  }
  return undefined;
}

function memberFields(members: readonly TSESTree.TypeElement[], context: ExtractionContext): FieldSet {
  const fields: FieldDeclaration[] = [];
  let complete = true;
  for (const member of members) {
    if (member.type === 'TSIndexSignature') complete = false;
    if (member.type !== 'TSPropertySignature' || member.computed) continue;
    const name = propertyKeyName(member.key);
    if (name !== undefined) fields.push({ name, brand: annotatedBrand(member.typeAnnotation?.typeAnnotation, context.imports) });
  }
  return { fields, complete };
}

type TopLevelDeclaration = TSESTree.ClassDeclaration | TSESTree.TSInterfaceDeclaration | TSESTree.TSTypeAliasDeclaration | TSESTree.ClassExpression;

function sameFileDeclaration(program: TSESTree.Program, name: string): TopLevelDeclaration | undefined {
  for (const statement of program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
    if (declaration === null || declaration === undefined) continue;
    if ((declaration.type === 'ClassDeclaration' || declaration.type === 'TSInterfaceDeclaration' || declaration.type === 'TSTypeAliasDeclaration') && declaration.id?.name === name) {
      return declaration;
    }
    if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'Identifier' && declarator.id.name === name && declarator.init?.type === 'ClassExpression') return declarator.init;
      }
    }
  }
  return undefined;
}
