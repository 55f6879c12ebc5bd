/**
 * Name resolution without a type checker, for parse-only runs: an identifier means the import or
 * global of its name unless a nearer declaration binds that name. With a checker, the checker says.
 */
import type * as ts from 'typescript';

/** Whether a declaration between an identifier and its file's top level binds its name (parameters, locals). */
export function shadowed(tsi: typeof ts, identifier: ts.Identifier): boolean {
  const name = identifier.text;
  for (let node: ts.Node = identifier.parent; !tsi.isSourceFile(node); node = node.parent) {
    if (tsi.isFunctionLike(node) && node.parameters.some((parameter) => bindsName(tsi, parameter.name, name))) return true;
    if ((tsi.isBlock(node) || tsi.isModuleBlock(node) || tsi.isCaseClause(node) || tsi.isDefaultClause(node)) && declaresIn(tsi, node.statements, name)) return true;
    if ((tsi.isForStatement(node) || tsi.isForOfStatement(node) || tsi.isForInStatement(node)) && node.initializer !== undefined && tsi.isVariableDeclarationList(node.initializer) && node.initializer.declarations.some((declaration) => bindsName(tsi, declaration.name, name))) return true;
    if (tsi.isCatchClause(node) && node.variableDeclaration !== undefined && bindsName(tsi, node.variableDeclaration.name, name)) return true;
  }
  return false;
}

export function bindsName(tsi: typeof ts, binding: ts.BindingName, name: string): boolean {
  if (tsi.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !tsi.isOmittedExpression(element) && bindsName(tsi, element.name, name));
}

/** Whether statements declare `name` (a variable, function, class or import). */
export function declaresIn(tsi: typeof ts, statements: ts.NodeArray<ts.Statement>, name: string): boolean {
  return statements.some((statement) => {
    if (tsi.isVariableStatement(statement)) return statement.declarationList.declarations.some((declaration) => bindsName(tsi, declaration.name, name));
    if (tsi.isImportEqualsDeclaration(statement)) return statement.name.text === name;
    return (tsi.isFunctionDeclaration(statement) || tsi.isClassDeclaration(statement)) && statement.name?.text === name;
  });
}

/** Whether `identifier` refers to the binding a top-level declaration of this file introduced under its name. */
export function refersToTopLevel(tsi: typeof ts, checker: ts.TypeChecker | undefined, identifier: ts.Identifier, isTheDeclaration: (declaration: ts.Declaration) => boolean): boolean {
  if (checker === undefined) return !shadowed(tsi, identifier);
  const symbol = checker.getSymbolAtLocation(identifier);
  const declaration = symbol?.declarations?.[0];
  return declaration !== undefined && declaration.getSourceFile() === identifier.getSourceFile() && isTheDeclaration(declaration);
}

/** Whether `identifier` names the global of its name: nothing in the file declares it. */
export function isGlobal(tsi: typeof ts, checker: ts.TypeChecker | undefined, identifier: ts.Identifier): boolean {
  if (checker === undefined) return !shadowed(tsi, identifier) && !declaresIn(tsi, identifier.getSourceFile().statements, identifier.text);
  const declarations = checker.getSymbolAtLocation(identifier)?.declarations ?? [];
  return declarations.every((declaration) => declaration.getSourceFile().isDeclarationFile);
}
