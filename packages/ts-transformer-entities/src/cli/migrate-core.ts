/**
 * The migration behind `isolation-migrate`: legacy `@Endpoint` declarations get the explicit
 * `pathParams`/`queryParams` that the rule core's `endpoint-explicit-params` suggestion names (the
 * one implementation of the migration), and, on request, unscoped entities holding both capsule
 * ids get `@CapsuleIsolated()`. Every change is a minimal text edit, so formatting and comments stay.
 */
import type * as TypeScript from 'typescript';
import { RUNTIME_MODULE, checkEndpointExplicitParams, findScopeField, isScopeBrand, type Edit, type EndpointDeclaration, type FieldDeclaration, type ScopeBrand } from '@isolation/core';
import { extractEndpoint, extractEntity, ourDecorators, type ExtractionContext } from '../extract.js';
import { typedFields } from '../fields.js';
import { isolationImports, type IsolationImports } from '../imports.js';
import { findOption, unwrap } from '../values.js';
import { ts } from './typescript.js';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

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
      const options = extracted.site.decorator.options;
      const textEdits = suggestion === undefined || options === undefined ? undefined : optionEdits(file, options, suggestion.edits);
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

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
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
// Option edits: the core's `Edit`s as text, like the ESLint plugin's fixer, laid out as written.

function optionEdits(file: TypeScript.SourceFile, options: TypeScript.ObjectLiteralExpression, edits: readonly Edit[]): TextEdit[] | undefined {
  const quote = quoteOf(file, options);
  const literal = (value: string | readonly string[]): string => (typeof value === 'string' ? quote(value) : `[${value.map(quote).join(', ')}]`);
  const result: TextEdit[] = [];
  const newProperties: string[] = [];
  for (const edit of edits) {
    if (edit.kind === 'addField') return undefined;
    const found = findOption(ts, options, edit.option);
    if (found.kind === 'opaque') return undefined;
    if (found.kind === 'absent') {
      newProperties.push(`${edit.option}: ${literal(edit.kind === 'setOption' ? edit.value : edit.items)}`);
      continue;
    }
    const value = unwrap(ts, found.value);
    if (edit.kind === 'setOption') {
      result.push({ start: value.getStart(file), end: value.end, text: literal(edit.value) });
    } else if (ts.isArrayLiteralExpression(value)) {
      result.push(...appendToList(file, value, value.elements, edit.items.map(quote)));
    } else {
      return undefined;
    }
  }
  if (newProperties.length > 0) result.push(...appendToList(file, options, options.properties, newProperties));
  return result;
}

/** The quote the options' `path` (or first string) is written with; single quotes otherwise. */
function quoteOf(file: TypeScript.SourceFile, options: TypeScript.ObjectLiteralExpression): (value: string) => string {
  const strings = options.properties.flatMap((property) => (ts.isPropertyAssignment(property) && ts.isStringLiteral(property.initializer) ? [property.initializer] : []));
  const first = strings.find((node) => ts.isPropertyAssignment(node.parent) && ts.isIdentifier(node.parent.name) && node.parent.name.text === 'path') ?? strings[0];
  const mark = first?.getText(file).startsWith('"') ? '"' : "'";
  return (value) => `${mark}${value.replace(/\\/g, '\\\\').replaceAll(mark, `\\${mark}`)}${mark}`;
}

/**
 * Appends items to a comma-separated list (object properties, array elements, named imports).
 * A list written one item per line gets one new line per item at the same indentation, after any
 * trailing comma and comment; any other list gets `, a, b` right after its last item.
 */
function appendToList(file: TypeScript.SourceFile, container: TypeScript.Node, list: TypeScript.NodeArray<TypeScript.Node>, items: readonly string[]): TextEdit[] {
  const text = file.text;
  const eolMark = newline(text);
  const last = list.at(-1);
  if (last === undefined) {
    const open = container.getStart(file);
    const inner = text.slice(open + 1, container.end - 1);
    const [before, after] = ts.isArrayLiteralExpression(container) ? ['', ''] : [' ', ' '];
    return [{ start: open + 1, end: container.end - 1, text: inner.trim() === '' ? `${before}${items.join(', ')}${after}` : `${inner}${items.join(', ')}` }];
  }
  const lineOf = (pos: number): number => file.getLineAndCharacterOfPosition(pos).line;
  const starts = list.map((node) => node.getStart(file));
  const lines = starts.map(lineOf);
  const lastStart = starts.at(-1) as number;
  const lineStart = file.getPositionOfLineAndCharacter(lineOf(lastStart), 0);
  const indent = text.slice(lineStart, lastStart);
  const onePerLine = new Set(lines).size === lines.length && lines[0] !== lineOf(container.getStart(file)) && /^\s*$/.test(indent);
  if (!onePerLine) return [{ start: last.end, end: last.end, text: `, ${items.join(', ')}` }];
  if (list.hasTrailingComma) {
    const comma = nextToken(text, last.end).end;
    const eol = endOfTrailingComments(text, comma);
    return [{ start: eol, end: eol, text: items.map((item) => `${eolMark}${indent}${item},`).join('') }];
  }
  const eol = endOfTrailingComments(text, last.end);
  const added = items.map((item) => `${eolMark}${indent}${item}`).join(',');
  if (eol === last.end) return [{ start: last.end, end: last.end, text: `,${added}` }];
  return [
    { start: last.end, end: last.end, text: ',' },
    { start: eol, end: eol, text: added },
  ];
}

/** The file's own line ending, so a CRLF file stays CRLF. */
function newline(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function nextToken(text: string, pos: number): { start: number; end: number } {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  scanner.resetTokenState(pos);
  scanner.scan();
  return { start: scanner.getTokenStart(), end: scanner.getTokenEnd() };
}

/** After comments that share the line with `pos`. */
function endOfTrailingComments(text: string, pos: number): number {
  return ts.getTrailingCommentRanges(text, pos)?.at(-1)?.end ?? pos;
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
    const [edit] = appendToList(file, bindings, bindings.elements, ['CapsuleIsolated']);
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
  const after = nextToken(text, last.end).start;
  if (line(after) === line(last.end)) return { start: last.end, end: last.end, text: ` ${marker}` };
  const start = last.getStart(file);
  const indent = text.slice(file.getPositionOfLineAndCharacter(line(start), 0), start);
  const at = endOfTrailingComments(text, last.end);
  return { start: at, end: at, text: `${newline(text)}${/^\s*$/.test(indent) ? indent : ''}${marker}` };
}

