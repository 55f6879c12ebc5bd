/**
 * The migration behind `isolation-migrate`: legacy `@Endpoint` declarations get the explicit
 * `pathParams`/`queryParams` that the rule core's `endpoint-explicit-params` suggestion names (the
 * one implementation of the migration), and, on request, unscoped entities holding both capsule
 * ids get `@CapsuleIsolated()`. Every change is a minimal text edit, so formatting and comments stay.
 */
import type * as TypeScript from 'typescript';
import { RUNTIME_MODULE, checkEndpointExplicitParams, findScopeField, isScopeBrand, type EndpointDeclaration, type FieldDeclaration, type ScopeBrand } from '@isolation/core';
import {
  appendToList,
  applyEdits,
  declarationEdits,
  endOfTrailingComments,
  extractEndpoint,
  extractEntity,
  isolationImports,
  newline,
  nextToken,
  ourDecorators,
  typedFields,
  type ExtractionContext,
  type IsolationImports,
  type TextEdit,
} from '@isolation/core/typescript';
import { ts } from './typescript.js';

export { applyEdits, type TextEdit };

export interface LeftAlone {
  /** `Class.method` or the entity's class name. */
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

export interface FileMigration {
  readonly fileName: string;
  readonly original: string;
  /** The new text; equal to `original` when nothing changed. */
  readonly text: string;
  readonly edits: readonly TextEdit[];
  readonly endpointsMigrated: number;
  readonly endpointsLeft: readonly LeftAlone[];
  readonly markersAdded: number;
  readonly entitiesLeft: readonly LeftAlone[];
  /** Parse errors: the file is left untouched when there is any. */
  readonly syntaxErrors: readonly string[];
}

export interface MigrateOptions {
  readonly addScopeMarkers?: boolean;
  /** Wrapper modules that re-export our decorators (the transformer's `modules` option). */
  readonly modules?: readonly string[];
}

/** Migrates source texts, parsed together in one program that resolves nothing (syntax is enough). */
export function migrateSources(files: ReadonlyMap<string, string>, options: MigrateOptions = {}): FileMigration[] {
  const compilerOptions: TypeScript.CompilerOptions = {
    noResolve: true,
    noLib: true,
    types: [],
    allowJs: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    experimentalDecorators: false,
  };
  const host = ts.createCompilerHost(compilerOptions, true);
  host.fileExists = (name) => files.has(name);
  host.readFile = (name) => files.get(name);
  host.getSourceFile = (name, language) => {
    const text = files.get(name);
    return text === undefined ? undefined : ts.createSourceFile(name, text, language, true, scriptKind(name));
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options: compilerOptions, host });
  const types = typedFields(ts, program.getTypeChecker());
  return [...files.keys()].map((fileName) => {
    const file = program.getSourceFile(fileName);
    if (file === undefined) throw new Error(`isolation-migrate: could not read ${fileName}`);
    return migrateFile(program, file, { ts, file, imports: isolationImports(ts, file, options.modules ?? []), types }, options);
  });
}

function scriptKind(name: string): TypeScript.ScriptKind {
  return name.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function migrateFile(program: TypeScript.Program, file: TypeScript.SourceFile, context: ExtractionContext, options: MigrateOptions): FileMigration {
  const original = file.text;
  const result = { fileName: file.fileName, original, text: original, edits: [], endpointsMigrated: 0, endpointsLeft: [], markersAdded: 0, entitiesLeft: [] };
  const syntax = program.getSyntacticDiagnostics(file);
  if (syntax.length > 0) {
    return { ...result, syntaxErrors: syntax.map((diagnostic) => `${position(file, diagnostic.start ?? 0)} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`) };
  }
  const edits: TextEdit[] = [];
  const endpointsLeft: LeftAlone[] = [];
  const entitiesLeft: LeftAlone[] = [];
  let endpointsMigrated = 0;
  let markersAdded = 0;
  let marker: MarkerImport | undefined;

  const visitClass = (node: TypeScript.ClassLikeDeclaration): void => {
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const extracted = extractEndpoint(member, node, context);
      if (extracted === undefined) continue;
      const [violation] = checkEndpointExplicitParams(extracted.declaration);
      if (violation === undefined) continue;
      const where = lineAndColumn(file, extracted.site.decorator.node.getStart(file));
      const suggestion = violation.suggestions?.[0];
      // The same edits ESLint offers as this rule's suggestion.
      const textEdits = suggestion === undefined || extracted.site.decorator.options === undefined ? undefined : declarationEdits(ts, file, extracted.site, suggestion.edits);
      if (textEdits === undefined) {
        endpointsLeft.push({ name: extracted.declaration.name, ...where, reason: whyNoMigration(extracted.declaration) });
        continue;
      }
      edits.push(...textEdits);
      endpointsMigrated += 1;
    }
    if (options.addScopeMarkers !== true) return;
    const uses = ourDecorators(context, node);
    const entity = extractEntity(node, uses, context);
    if (entity === undefined || entity.declaration.markers.length > 0) return;
    const where = lineAndColumn(file, entity.site.decorator.node.getStart(file));
    const fields = fieldsOf(node, context);
    const missing = (['TenantId', 'CapsuleId'] as const).filter((brand) => findScopeField({ fields, complete: true }, brand).paths.length === 0);
    if (missing.length > 0) {
      const names = missing.map((brand) => (brand === 'TenantId' ? 'tenant' : 'capsule')).join(' and ');
      entitiesLeft.push({ name: entity.declaration.name, ...where, reason: `no ${names} id field: choose its scope by hand` });
      return;
    }
    marker ??= markerImport(file, context.imports);
    const last = [...(node.modifiers ?? [])].filter(ts.isDecorator).at(-1) ?? entity.site.decorator.node;
    edits.push(markerEdit(file, last, `@${marker.callee}()`));
    markersAdded += 1;
  };
  const visit = (node: TypeScript.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) visitClass(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (marker?.edit !== undefined) edits.push(marker.edit);
  const sorted = edits.toSorted((a, b) => a.start - b.start || a.end - b.end);
  return { ...result, text: applyEdits(original, sorted), edits: sorted, endpointsMigrated, endpointsLeft, markersAdded, entitiesLeft, syntaxErrors: [] };
}

/** Why the core offers no migration: the same conditions under which its suggestion is absent. */
function whyNoMigration(endpoint: EndpointDeclaration): string {
  if (endpoint.handlerParameters?.some((parameter) => parameter.name === undefined)) return 'destructured parameter';
  if (endpoint.path === undefined) return 'no path';
  if (endpoint.path.kind === 'unverifiable') return `path is ${endpoint.path.found}, not a literal`;
  if (endpoint.body?.kind === 'unverifiable') return `body is ${endpoint.body.found}, not a literal`;
  return 'options cannot be edited';
}

function lineAndColumn(file: TypeScript.SourceFile, pos: number): { line: number; column: number } {
  const { line, character } = file.getLineAndCharacterOfPosition(pos);
  return { line: line + 1, column: character + 1 };
}

function position(file: TypeScript.SourceFile, pos: number): string {
  const { line, column } = lineAndColumn(file, pos);
  return `${line}:${column}`;
}

// ---------------------------------------------------------------------------------------------
// Scope markers.

/** Own and inherited fields from the checker, with brands read from annotations where it cannot resolve them. */
function fieldsOf(node: TypeScript.ClassLikeDeclaration, context: ExtractionContext): FieldDeclaration[] {
  const written = new Map<string, ScopeBrand | undefined>();
  const record = (name: TypeScript.Node, type: TypeScript.TypeNode | undefined): void => {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name)) written.set(name.text, type === undefined ? undefined : annotatedBrand(type, context.imports));
  };
  for (const member of node.members) {
    if (ts.isPropertyDeclaration(member) && !member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)) record(member.name, member.type);
    if (ts.isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) {
        if (ts.isParameterPropertyDeclaration(parameter, member)) record(parameter.name, parameter.type);
      }
    }
  }
  const fields: FieldDeclaration[] = context.types.fieldsOf(node).fields.map((field) => ({ name: field.name, brand: field.brand ?? written.get(field.name) }));
  for (const [name, brand] of written) if (!fields.some((field) => field.name === name)) fields.push({ name, brand });
  return fields;
}

function annotatedBrand(type: TypeScript.TypeNode, imports: IsolationImports): ScopeBrand | undefined {
  let node = type;
  // `TenantId | undefined`: the one branded member.
  if (ts.isUnionTypeNode(node)) {
    const references = node.types.filter(ts.isTypeReferenceNode);
    if (references.length !== 1) return undefined;
    node = references[0] as TypeScript.TypeReferenceNode;
  }
  if (!ts.isTypeReferenceNode(node)) return undefined;
  const name = node.typeName;
  if (ts.isIdentifier(name)) return imports.brands.get(name.text);
  if (ts.isIdentifier(name.left) && imports.namespaces.has(name.left.text) && isScopeBrand(name.right.text)) return name.right.text;
  return undefined;
}

interface MarkerImport {
  /** `CapsuleIsolated`, its local alias, or `ns.CapsuleIsolated`. */
  readonly callee: string;
  readonly edit?: TextEdit | undefined;
}

function markerImport(file: TypeScript.SourceFile, imports: IsolationImports): MarkerImport {
  for (const [local, name] of imports.decorators) if (name === 'CapsuleIsolated') return { callee: local };
  const runtimeImports = file.statements.filter((statement): statement is TypeScript.ImportDeclaration => ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text === RUNTIME_MODULE);
  const named = runtimeImports.find((statement) => statement.importClause !== undefined && !statement.importClause.isTypeOnly && statement.importClause.namedBindings !== undefined && ts.isNamedImports(statement.importClause.namedBindings));
  const bindings = named?.importClause?.namedBindings;
  if (bindings !== undefined && ts.isNamedImports(bindings)) {
    const [edit] = appendToList(ts, file, bindings, bindings.elements, ['CapsuleIsolated']);
    return { callee: 'CapsuleIsolated', edit };
  }
  for (const statement of runtimeImports) {
    const namespace = statement.importClause?.namedBindings;
    if (statement.importClause?.isTypeOnly !== true && namespace !== undefined && ts.isNamespaceImport(namespace)) return { callee: `${namespace.name.text}.CapsuleIsolated` };
  }
  // No value import of the runtime (decorators from a wrapper module, or a type-only import): add one.
  const lastImport = file.statements.filter(ts.isImportDeclaration).at(-1);
  const quote = lastImport?.moduleSpecifier.getText(file).startsWith('"') ? '"' : "'";
  const declaration = `import { CapsuleIsolated } from ${quote}${RUNTIME_MODULE}${quote};`;
  if (lastImport !== undefined) return { callee: 'CapsuleIsolated', edit: { start: lastImport.end, end: lastImport.end, text: `${newline(file.text)}${declaration}` } };
  const start = file.statements[0]?.getStart(file) ?? file.text.length;
  return { callee: 'CapsuleIsolated', edit: { start, end: start, text: `${declaration}${newline(file.text).repeat(2)}` } };
}

/** The marker goes after the class's last decorator: on a line of its own when the class starts on the next line. */
function markerEdit(file: TypeScript.SourceFile, last: TypeScript.Decorator, marker: string): TextEdit {
  const text = file.text;
  const line = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line;
  const after = nextToken(ts, text, last.end).start;
  if (line(after) === line(last.end)) return { start: last.end, end: last.end, text: ` ${marker}` };
  const start = last.getStart(file);
  const indent = text.slice(file.getPositionOfLineAndCharacter(line(start), 0), start);
  const at = endOfTrailingComments(ts, text, last.end);
  return { start: at, end: at, text: `${newline(text)}${/^\s*$/.test(indent) ? indent : ''}${marker}` };
}

