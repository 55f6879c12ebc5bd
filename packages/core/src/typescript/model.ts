/**
 * One source file's model, extracted once from its TypeScript AST: our decorated declarations (with
 * where their parts are written) and the code facts the code rules judge. The transformer, the
 * language service, `isolation-check`, `isolation-migrate`, OpenAPI and the ESLint rules (through
 * typescript-estree's node maps) all read this; none extracts on its own.
 */
import type * as ts from 'typescript';
import type { EndpointDeclaration, EntityDeclaration, EventDeclaration } from '../index.js';
import { codeFacts, NO_FACTS, type CodeFacts } from './code-facts.js';
import { extractEndpoint, extractEntity, extractEvent, ourDecorators, type ExtractionContext, type Extracted } from './extract.js';
import { typedFields, type TypedFields } from './fields.js';
import { hasIsolationImports, isolationImports } from './imports.js';
import { syntacticFields } from './syntactic-fields.js';

export interface ExtractOptions {
  /** Modules that re-export our decorators, besides `@isolation/runtime`. */
  readonly modules?: readonly string[];
  /** With a checker, fields and constants come from types (brands, inheritance across files); else from the file's syntax. */
  readonly checker?: ts.TypeChecker | undefined;
  /** Skip the code facts (clients, table names, env reads) when no code rule will read them. */
  readonly codeFacts?: boolean;
}

export interface ExtractedClass<T> extends Extracted<T> {
  readonly node: ts.ClassLikeDeclaration;
}

export interface FileModel {
  readonly ts: typeof ts;
  readonly file: ts.SourceFile;
  readonly entities: readonly ExtractedClass<EntityDeclaration>[];
  readonly events: readonly ExtractedClass<EventDeclaration>[];
  readonly endpoints: readonly Extracted<EndpointDeclaration>[];
  readonly facts: CodeFacts;
}

const typedByChecker = new WeakMap<ts.TypeChecker, TypedFields>();

function fieldsFor(tsi: typeof ts, checker: ts.TypeChecker | undefined, file: ts.SourceFile, context: Omit<ExtractionContext, 'types'>): TypedFields {
  if (checker === undefined) return syntacticFields(tsi, file, context.imports);
  let typed = typedByChecker.get(checker);
  if (typed === undefined) typedByChecker.set(checker, (typed = typedFields(tsi, checker)));
  return typed;
}

export function extractFile(tsi: typeof ts, file: ts.SourceFile, options: ExtractOptions = {}): FileModel {
  const entities: ExtractedClass<EntityDeclaration>[] = [];
  const events: ExtractedClass<EventDeclaration>[] = [];
  const endpoints: Extracted<EndpointDeclaration>[] = [];
  const facts = options.codeFacts === false || file.isDeclarationFile ? NO_FACTS : codeFacts(tsi, file, options.checker);
  const imports = file.text.includes('@') && !file.isDeclarationFile ? isolationImports(tsi, file, options.modules ?? []) : undefined;
  if (imports === undefined || !hasIsolationImports(imports)) return { ts: tsi, file, entities, events, endpoints, facts };

  const base = { ts: tsi, file, imports };
  const context: ExtractionContext = { ...base, types: fieldsFor(tsi, options.checker, file, base) };
  const visitClass = (node: ts.ClassLikeDeclaration): void => {
    const uses = tsi.canHaveDecorators(node) ? ourDecorators(context, node) : [];
    if (uses.length > 0) {
      const entity = extractEntity(node, uses, context);
      if (entity !== undefined) entities.push({ ...entity, node });
      const event = extractEvent(node, uses, context);
      if (event !== undefined) events.push({ ...event, node });
    }
    for (const member of node.members) {
      if (!tsi.isMethodDeclaration(member) || member.modifiers?.some(tsi.isDecorator) !== true) continue;
      const endpoint = extractEndpoint(member, node, context);
      if (endpoint !== undefined) endpoints.push(endpoint);
    }
  };
  // Subtrees the parser marked as decorator-free hold no declaration of ours.
  const decorators = decoratorFlag(tsi);
  const visit = (node: ts.Node): void => {
    if (decorators !== undefined && ((node as unknown as { transformFlags: number }).transformFlags & decorators) === 0) return;
    if (tsi.isClassDeclaration(node) || tsi.isClassExpression(node)) visitClass(node);
    tsi.forEachChild(node, visit);
  };
  tsi.forEachChild(file, visit);
  return { ts: tsi, file, entities, events, endpoints, facts };
}

/**
 * TypeScript's internal "subtree contains decorators" flag, set by its parser on every node. Absent
 * from a future TypeScript, the walk simply visits everything.
 */
function decoratorFlag(tsi: typeof ts): number | undefined {
  const flag = (tsi as unknown as { TransformFlags?: { ContainsDecorators?: unknown } }).TransformFlags?.ContainsDecorators;
  return typeof flag === 'number' && flag > 0 ? flag : undefined;
}
