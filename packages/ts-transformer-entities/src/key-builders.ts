/**
 * Build-time key builders: for each valid entity whose templates are known and well formed, a
 * `[Symbol.for('isolation.keyBuilder')]` function on the class that concatenates literal text and one
 * reader call per placeholder (`pk("tenantId")`, `pk("owner", "tenantId")`). The runtime's `keysOf`
 * hands it readers that validate with the same code as the parsing path, so both give equal keys.
 */
import type * as ts from 'typescript';
import { KEY_DELIMITER, tryParseKeyTemplate, type EntityDeclaration, type KeyTemplate } from '@isolation/runtime/rules';
import type { CompilableEntity } from './check.js';

export const KEY_BUILDER_KEY = 'isolation.keyBuilder';

export interface CompilableTemplates {
  readonly pk: KeyTemplate;
  readonly sk: KeyTemplate | undefined;
}

/** The parsed templates of an entity, or undefined when either is unknown or malformed. */
export function compilableTemplates(entity: EntityDeclaration): CompilableTemplates | undefined {
  if (entity.pk?.kind !== 'known' || entity.sk?.kind === 'unverifiable') return undefined;
  const pk = tryParseKeyTemplate(entity.pk.value);
  const sk = entity.sk === undefined ? undefined : tryParseKeyTemplate(entity.sk.value);
  if (!pk.ok || (sk !== undefined && !sk.ok)) return undefined;
  return { pk: pk.template, sk: sk?.ok === true ? sk.template : undefined };
}

/** `(pk, sk) => ({ pk: "TENANT#" + pk("tenantId") + "#CAPSULE#" + pk("capsuleId") + …, sk: … })`: short, as it ships in every build. */
export function keyBuilderExpression(factory: ts.NodeFactory, tsi: typeof ts, templates: CompilableTemplates): ts.ArrowFunction {
  const render = (option: 'pk' | 'sk', template: KeyTemplate): ts.Expression => {
    const reader = factory.createIdentifier(option);
    const pieces: (string | ts.Expression)[] = [];
    const push = (piece: string | ts.Expression): void => {
      const last = pieces.at(-1);
      if (typeof piece === 'string' && typeof last === 'string') pieces[pieces.length - 1] = last + piece;
      else pieces.push(piece);
    };
    template.segments.forEach((segment, index) => {
      if (index > 0) push(KEY_DELIMITER);
      for (const part of segment.parts) {
        if (part.kind === 'literal') push(part.text);
        else push(factory.createCallExpression(reader, undefined, [part.field, ...(part.sub === undefined ? [] : [part.sub])].map((name) => factory.createStringLiteral(name))));
      }
    });
    const expressions = pieces.map((piece) => (typeof piece === 'string' ? factory.createStringLiteral(piece) : piece));
    // A template of one placeholder is already a string: the reader returns one.
    return expressions.reduce((left, right) => factory.createBinaryExpression(left, tsi.SyntaxKind.PlusToken, right));
  };
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
