/**
 * Build-time key builders: for each valid entity whose templates are known and well formed, a
 * `[Symbol.for('isolation.keyBuilder')]` function on the class that concatenates literal text and one
 * reader call per placeholder (`pk("tenantId")`, `pk("owner", "tenantId")`). The runtime's `keysOf`
 * hands it readers that validate with the same code as the parsing path, so both give equal keys.
 */
import type * as ts from 'typescript';
import { KEY_DELIMITER, tryParseKeyTemplate, type EntityDeclaration, type KeyTemplate } from '@isolation/core';

export const KEY_BUILDER_KEY = 'isolation.keyBuilder';

export interface CompilableTemplates {
  readonly pk: KeyTemplate;
  readonly sk: KeyTemplate | undefined;
}

/** A valid entity (no entity rule found anything) with known, well-formed templates. */
export interface CompilableEntity {
  readonly node: ts.ClassLikeDeclaration;
  readonly templates: CompilableTemplates;
}

/** The parsed templates of an entity, or undefined when either is unknown or malformed. */
export function compilableTemplates(entity: EntityDeclaration): CompilableTemplates | undefined {
  if (entity.pk?.kind !== 'known' || entity.sk?.kind === 'unverifiable') return undefined;
  const pk = tryParseKeyTemplate(entity.pk.value);
  const sk = entity.sk === undefined ? undefined : tryParseKeyTemplate(entity.sk.value);
  if (!pk.ok || (sk !== undefined && !sk.ok)) return undefined;
  return { pk: pk.template, sk: sk?.ok === true ? sk.template : undefined };
}

type Piece = string | { readonly field: string; readonly sub: string | undefined };

/** A template as literal text and placeholders, adjacent literals merged: the shape of the generated concatenation. */
function pieces(template: KeyTemplate): Piece[] {
  const result: Piece[] = [];
  const push = (piece: Piece): void => {
    const last = result.at(-1);
    if (typeof piece === 'string' && typeof last === 'string') result[result.length - 1] = last + piece;
    else result.push(piece);
  };
  template.segments.forEach((segment, index) => {
    if (index > 0) push(KEY_DELIMITER);
    for (const part of segment.parts) push(part.kind === 'literal' ? part.text : { field: part.field, sub: part.sub });
  });
  return result;
}

/** `(pk, sk) => ({ pk: "TENANT#" + pk("tenantId") + "#CAPSULE#" + pk("capsuleId") + …, sk: … })`: short, as it ships in every build. */
export function keyBuilderExpression(factory: ts.NodeFactory, tsi: typeof ts, templates: CompilableTemplates): ts.ArrowFunction {
  const render = (option: 'pk' | 'sk', template: KeyTemplate): ts.Expression =>
    pieces(template)
      .map((piece): ts.Expression =>
        typeof piece === 'string'
          ? factory.createStringLiteral(piece)
          : factory.createCallExpression(factory.createIdentifier(option), undefined, [piece.field, ...(piece.sub === undefined ? [] : [piece.sub])].map((name) => factory.createStringLiteral(name))),
      )
      // A template of one placeholder is already a string: the reader returns one.
      .reduce((left, right): ts.Expression => factory.createBinaryExpression(left, tsi.SyntaxKind.PlusToken, right));
  const properties = [factory.createPropertyAssignment('pk', render('pk', templates.pk))];
  if (templates.sk !== undefined) properties.push(factory.createPropertyAssignment('sk', render('sk', templates.sk)));
  const parameters = ['pk', ...(templates.sk === undefined ? [] : ['sk'])].map((name) => factory.createParameterDeclaration(undefined, undefined, name));
  return factory.createArrowFunction(
    undefined,
    undefined,
    parameters,
    undefined,
    factory.createToken(tsi.SyntaxKind.EqualsGreaterThanToken),
    factory.createParenthesizedExpression(factory.createObjectLiteralExpression(properties, false)),
  );
}

/**
 * The same statement as `keyBuilderStatement` prints, as text: appended to the emitted JavaScript of
 * a module whose entity is a top-level class, it costs a string concatenation instead of a trip
 * through TypeScript's transformers and printer for every entity.
 */
export function keyBuilderSource(className: string, templates: CompilableTemplates): string {
  const render = (option: 'pk' | 'sk', template: KeyTemplate): string =>
    pieces(template)
      .map((piece) => (typeof piece === 'string' ? JSON.stringify(piece) : `${option}(${[piece.field, ...(piece.sub === undefined ? [] : [piece.sub])].map((name) => JSON.stringify(name)).join(', ')})`))
      .join(' + ');
  const keys = templates.sk === undefined ? `pk: ${render('pk', templates.pk)}` : `pk: ${render('pk', templates.pk)}, sk: ${render('sk', templates.sk)}`;
  return `Object.defineProperty(${className}, Symbol.for(${JSON.stringify(KEY_BUILDER_KEY)}), { value: ${templates.sk === undefined ? 'pk' : '(pk, sk)'} => ({ ${keys} }), configurable: true });`;
}

/** Appends statements to emitted JavaScript, before its source-map comment so every mapping stays valid. */
export function appendStatements(javascript: string, statements: readonly string[]): string {
  const newline = javascript.includes('\r\n') ? '\r\n' : '\n';
  const block = statements.join(newline) + newline;
  // TypeScript writes the source-map comment on a line of its own, at the end.
  const map = javascript.lastIndexOf('//# sourceMappingURL=');
  if (map !== -1) return javascript.slice(0, map) + block + javascript.slice(map);
  return javascript.length === 0 || javascript.endsWith('\n') ? javascript + block : javascript + newline + block;
}

/** Entities whose builder can be appended as text: named classes at the top level of their module. */
export function isTopLevelNamedClass(tsi: typeof ts, node: ts.ClassLikeDeclaration): node is ts.ClassDeclaration & { readonly name: ts.Identifier } {
  return tsi.isClassDeclaration(node) && node.name !== undefined && tsi.isSourceFile(node.parent);
}

function keyBuilderKey(factory: ts.NodeFactory): ts.Expression {
  return factory.createCallExpression(factory.createPropertyAccessExpression(factory.createIdentifier('Symbol'), 'for'), undefined, [factory.createStringLiteral(KEY_BUILDER_KEY)]);
}

/**
 * `Object.defineProperty(Entity, Symbol.for('isolation.keyBuilder'), { value: … })` after a named
 * class declaration: unlike a new static member, it leaves TypeScript's decorator output unchanged.
 */
function keyBuilderStatement(factory: ts.NodeFactory, tsi: typeof ts, name: ts.Identifier, templates: CompilableTemplates): ts.Statement {
  // Not writable, so no assignment replaces it by accident; configurable, as a static member would be.
  const descriptor = factory.createObjectLiteralExpression(
    [factory.createPropertyAssignment('value', keyBuilderExpression(factory, tsi, templates)), factory.createPropertyAssignment('configurable', factory.createTrue())],
    false,
  );
  const define = factory.createPropertyAccessExpression(factory.createIdentifier('Object'), 'defineProperty');
  return factory.createExpressionStatement(factory.createCallExpression(define, undefined, [factory.createIdentifier(name.text), keyBuilderKey(factory), descriptor]));
}

/** A static member, for class expressions and anonymous default exports, which have no name to refer to. */
function keyBuilderMember(factory: ts.NodeFactory, tsi: typeof ts, templates: CompilableTemplates): ts.PropertyDeclaration {
  const key = factory.createComputedPropertyName(keyBuilderKey(factory));
  return factory.createPropertyDeclaration([factory.createModifier(tsi.SyntaxKind.StaticKeyword)], key, undefined, undefined, keyBuilderExpression(factory, tsi, templates));
}

/** A `before` transformer adding key builders to the entities `entitiesOf` reports for a file. */
export function keyBuilderTransformer(tsi: typeof ts, entitiesOf: (file: ts.SourceFile) => readonly CompilableEntity[]): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (file) => {
    const original = tsi.getOriginalNode(file, tsi.isSourceFile);
    const compilable = new Map<ts.Node, CompilableTemplates>();
    // Only the paths from the file down to the entities are visited; everything else is left as is.
    const onPath = new Set<ts.Node>();
    for (const entity of entitiesOf(original)) {
      compilable.set(entity.node, entity.templates);
      for (let node: ts.Node | undefined = entity.node.parent; node !== undefined && !onPath.has(node); node = node.parent) onPath.add(node);
    }
    if (compilable.size === 0) return file;
    const { factory } = context;
    const visit = (node: ts.Node): ts.VisitResult<ts.Node> => {
      const source = tsi.getOriginalNode(node);
      const templates = compilable.get(source);
      if (templates === undefined && !onPath.has(source)) return node;
      const visited = tsi.visitEachChild(node, visit, context);
      if (templates === undefined) return visited;
      if (tsi.isClassDeclaration(visited) && visited.name !== undefined) return [visited, keyBuilderStatement(factory, tsi, visited.name, templates)];
      if (tsi.isClassDeclaration(visited)) {
        return factory.updateClassDeclaration(visited, visited.modifiers, visited.name, visited.typeParameters, visited.heritageClauses, [...visited.members, keyBuilderMember(factory, tsi, templates)]);
      }
      if (tsi.isClassExpression(visited)) {
        return factory.updateClassExpression(visited, visited.modifiers, visited.name, visited.typeParameters, visited.heritageClauses, [...visited.members, keyBuilderMember(factory, tsi, templates)]);
      }
      return visited;
    };
    return tsi.visitEachChild(file, visit, context);
  };
}
