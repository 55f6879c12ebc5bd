/**
 * The checks of one source file: extract declarations and code facts from the TypeScript AST, ask
 * the rule core, and turn its violations into diagnostics. Files are filtered by cheap text and
 * import tests first, so a file with nothing of ours costs a few string searches.
 */
import type * as ts from 'typescript';
import {
  checkAwsClientConstruction,
  checkCapsuleIdField,
  checkEndpointExplicitParams,
  checkEndpointParams,
  checkEntityScope,
  checkEnvRead,
  checkEventScopeFields,
  checkKeyScopeSegments,
  checkKeyTemplate,
  checkTableName,
  type FileContext,
  type Violation,
} from '@isolation/core';
import { locate, nodeSpan, toDiagnostic } from './diagnostics.js';
import { extractEndpoint, extractEntity, extractEvent, ourDecorators, type DeclarationSite, type ExtractionContext } from './extract.js';
import type { TypedFields } from './fields.js';
import { compilableTemplates, type CompilableTemplates } from './key-builders.js';
import { hasIsolationImports, importBindings, isolationImports, type ImportedBinding } from './imports.js';
import type { ResolvedOptions } from './options.js';
import { literalString, propertyName, unwrap } from './values.js';

const AWS_MODULE = /^@aws-sdk\//;

/** A valid entity (no entity rule found anything) with known, well-formed templates. */
export interface CompilableEntity {
  readonly node: ts.ClassLikeDeclaration;
  readonly templates: CompilableTemplates;
}

export interface FileCheck {
  readonly diagnostics: readonly ts.Diagnostic[];
  /** The entities that get compiled key builders on emit; kept small, as it lives as long as the program. */
  readonly entities: readonly CompilableEntity[];
}

const NOTHING: FileCheck = { diagnostics: [], entities: [] };

export interface CheckEnvironment {
  readonly ts: typeof ts;
  /** Absent in parse-only runs: names then resolve by the file's syntax alone. */
  readonly checker: ts.TypeChecker | undefined;
  readonly types: TypedFields;
  readonly options: ResolvedOptions;
  /** The directory `allow` globs are relative to: the tsconfig's. */
  readonly cwd: string;
}

export function checkSourceFile(file: ts.SourceFile, env: CheckEnvironment): FileCheck {
  const tsi = env.ts;
  if (file.isDeclarationFile) return NOTHING;
  const diagnostics: ts.Diagnostic[] = [];
  const entities: CompilableEntity[] = [];
  const { severity } = env.options;
  const report = (violations: readonly Violation[], site: DeclarationSite | undefined, node: ts.Node | undefined): void => {
    for (const violation of violations) {
      const level = severity[violation.rule];
      if (level === 'off') continue;
      const span = site === undefined ? nodeSpan(node ?? file, file) : locate(tsi, file, violation.target, site);
      diagnostics.push(toDiagnostic(tsi, file, violation, level, span));
    }
  };

  const text = file.text;
  const imports = text.includes('@') ? isolationImports(tsi, file, env.options.modules) : undefined;
  const context: ExtractionContext | undefined = imports !== undefined && hasIsolationImports(imports) ? { ts: tsi, file, imports, types: env.types } : undefined;
  const aws = text.includes('@aws-sdk/') ? new Map([...importBindings(tsi, file, (module) => AWS_MODULE.test(module))].map((binding) => [binding.local, binding])) : undefined;
  const tableNames = text.includes('TableName');
  const envReads = severity['no-env-config'] !== 'off' && text.includes('process');
  if (context === undefined && (aws === undefined || aws.size === 0) && !tableNames && !envReads) return NOTHING;
  const fileContext: FileContext = { filename: file.fileName, cwd: env.cwd };

  const visitClass = (node: ts.ClassLikeDeclaration): void => {
    if (context === undefined) return;
    const uses = tsi.canHaveDecorators(node) ? ourDecorators(context, node) : [];
    if (uses.length > 0) {
      const entity = extractEntity(node, uses, context);
      if (entity !== undefined) {
        const declaration = entity.declaration;
        const violations = [...checkEntityScope(declaration), ...checkCapsuleIdField(declaration), ...checkKeyTemplate(declaration), ...checkKeyScopeSegments(declaration)];
        const templates = violations.length === 0 ? compilableTemplates(declaration) : undefined;
        if (templates !== undefined) entities.push({ node, templates });
        report(violations, entity.site, undefined);
      }
      const event = extractEvent(node, uses, context);
      if (event !== undefined) report(checkEventScopeFields(event.declaration), event.site, undefined);
    }
    for (const member of node.members) {
      if (!tsi.isMethodDeclaration(member) || member.modifiers?.some(tsi.isDecorator) !== true) continue;
      const endpoint = extractEndpoint(member, node, context);
      if (endpoint !== undefined) report([...checkEndpointParams(endpoint.declaration), ...checkEndpointExplicitParams(endpoint.declaration)], endpoint.site, undefined);
    }
  };

  /** The AWS export a callee names, if it is an import binding that nothing shadows. */
  const awsExport = (callee: ts.Expression): { binding: ImportedBinding; exported: string } | undefined => {
    if (aws === undefined) return undefined;
    const local = tsi.isIdentifier(callee) ? callee : tsi.isPropertyAccessExpression(callee) && tsi.isIdentifier(callee.expression) ? callee.expression : undefined;
    const binding = local === undefined ? undefined : aws.get(local.text);
    if (local === undefined || binding === undefined || !isImportBinding(tsi, env.checker, local, file)) return undefined;
    if (binding.imported !== '*') return local === callee ? { binding, exported: binding.imported } : undefined;
    return tsi.isPropertyAccessExpression(callee) ? { binding, exported: callee.name.text } : undefined;
  };

  // With only our decorators to find, subtrees the parser marked as decorator-free are skipped.
  const decoratorsOnly = (aws === undefined || aws.size === 0) && !tableNames && !envReads ? decoratorFlag(tsi) : undefined;
  const visit = (node: ts.Node): void => {
    if (decoratorsOnly !== undefined && ((node as unknown as { transformFlags: number }).transformFlags & decoratorsOnly) === 0) return;
    if (tsi.isClassDeclaration(node) || tsi.isClassExpression(node)) visitClass(node);
    else if (aws !== undefined && tsi.isNewExpression(node)) {
      const found = awsExport(node.expression);
      if (found !== undefined) report(checkAwsClientConstruction({ form: 'new', className: found.exported, module: found.binding.module }, fileContext, { allow: env.options.allow['no-adhoc-aws-client'] }), undefined, node);
    } else if (aws !== undefined && tsi.isCallExpression(node) && tsi.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'from') {
      const found = awsExport(node.expression.expression);
      if (found !== undefined) report(checkAwsClientConstruction({ form: 'from', className: found.exported, module: found.binding.module }, fileContext, { allow: env.options.allow['no-adhoc-aws-client'] }), undefined, node);
    } else if (tableNames && tsi.isPropertyAssignment(node) && propertyName(tsi, node.name) === 'TableName' && tsi.isObjectLiteralExpression(node.parent)) {
      const value = literalString(tsi, unwrap(tsi, node.initializer));
      if (value !== undefined) report(checkTableName({ kind: 'known', value }), undefined, node.initializer);
    } else if (envReads && isProcessEnv(tsi, env.checker, node)) {
      report(checkEnvRead(fileContext, { allow: env.options.allow['no-env-config'] }), undefined, node);
    }
    tsi.forEachChild(node, visit);
  };
  tsi.forEachChild(file, visit);
  return diagnostics.length === 0 && entities.length === 0 ? NOTHING : { diagnostics, entities };
}

/**
 * TypeScript's internal "subtree contains decorators" flag, set by its parser on every node. Absent
 * from a future TypeScript, the walk simply visits everything.
 */
function decoratorFlag(tsi: typeof ts): number | undefined {
  const flag = (tsi as unknown as { TransformFlags?: { ContainsDecorators?: unknown } }).TransformFlags?.ContainsDecorators;
  return typeof flag === 'number' && flag > 0 ? flag : undefined;
}

/** Whether an identifier resolves to an import declared in this file (not a shadowing local). */
function isImportBinding(tsi: typeof ts, checker: ts.TypeChecker | undefined, identifier: ts.Identifier, file: ts.SourceFile): boolean {
  // Without a checker, the import is meant unless a nearer declaration shadows its name.
  if (checker === undefined) return !shadowed(tsi, identifier);
  const declaration = checker.getSymbolAtLocation(identifier)?.declarations?.[0];
  return declaration !== undefined && declaration.getSourceFile() === file && (tsi.isImportSpecifier(declaration) || tsi.isImportClause(declaration) || tsi.isNamespaceImport(declaration));
}

/** `process.env` or `process['env']` on the global `process`, not a local of that name. */
function isProcessEnv(tsi: typeof ts, checker: ts.TypeChecker | undefined, node: ts.Node): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  let object: ts.Expression;
  if (tsi.isPropertyAccessExpression(node) && node.name.text === 'env') object = node.expression;
  else if (tsi.isElementAccessExpression(node) && literalString(tsi, node.argumentExpression) === 'env') object = node.expression;
  else return false;
  if (!tsi.isIdentifier(object) || object.text !== 'process') return false;
  if (checker === undefined) return !shadowed(tsi, object) && !declaresIn(tsi, node.getSourceFile().statements, 'process');
  const declarations = checker.getSymbolAtLocation(object)?.declarations ?? [];
  return declarations.every((declaration) => declaration.getSourceFile().isDeclarationFile);
}

/** Whether a declaration between an identifier and its file's top level binds its name (parameters, locals). */
function shadowed(tsi: typeof ts, identifier: ts.Identifier): boolean {
  const name = identifier.text;
  for (let node: ts.Node = identifier.parent; !tsi.isSourceFile(node); node = node.parent) {
    if (tsi.isFunctionLike(node) && node.parameters.some((parameter) => bindsName(tsi, parameter.name, name))) return true;
    if ((tsi.isBlock(node) || tsi.isModuleBlock(node) || tsi.isCaseClause(node) || tsi.isDefaultClause(node)) && declaresIn(tsi, node.statements, name)) return true;
    if ((tsi.isForStatement(node) || tsi.isForOfStatement(node) || tsi.isForInStatement(node)) && node.initializer !== undefined && tsi.isVariableDeclarationList(node.initializer) && node.initializer.declarations.some((declaration) => bindsName(tsi, declaration.name, name))) return true;
    if (tsi.isCatchClause(node) && node.variableDeclaration !== undefined && bindsName(tsi, node.variableDeclaration.name, name)) return true;
  }
  return false;
}

function bindsName(tsi: typeof ts, binding: ts.BindingName, name: string): boolean {
  if (tsi.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !tsi.isOmittedExpression(element) && bindsName(tsi, element.name, name));
}

/** Whether statements declare `name` (a variable, function or class). */
function declaresIn(tsi: typeof ts, statements: ts.NodeArray<ts.Statement>, name: string): boolean {
  return statements.some((statement) => {
    if (tsi.isVariableStatement(statement)) return statement.declarationList.declarations.some((declaration) => bindsName(tsi, declaration.name, name));
    return (tsi.isFunctionDeclaration(statement) || tsi.isClassDeclaration(statement)) && statement.name?.text === name;
  });
}
