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

/**
 * The declaration nearest to `identifier` that binds its name: a parameter, a local, a function or
 * class, or a top-level declaration or import of its file. Undefined when nothing in the file does.
 */
export function nearestDeclaration(tsi: typeof ts, identifier: ts.Identifier): ts.Node | undefined {
  const name = identifier.text;
  const inStatements = (statements: ts.NodeArray<ts.Statement>): ts.Node | undefined => {
    for (const statement of statements) {
      if (tsi.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          const found = bindingIn(tsi, declaration.name, name);
          if (found !== undefined) return found;
        }
      } else if ((tsi.isFunctionDeclaration(statement) || tsi.isClassDeclaration(statement)) && statement.name?.text === name) {
        return statement;
      } else if (tsi.isImportEqualsDeclaration(statement) && statement.name.text === name) {
        return statement;
      } else if (tsi.isImportDeclaration(statement) && statement.importClause !== undefined) {
        const clause = statement.importClause;
        if (clause.name?.text === name) return clause;
        const named = clause.namedBindings;
        if (named !== undefined && tsi.isNamespaceImport(named) && named.name.text === name) return named;
        if (named !== undefined && tsi.isNamedImports(named)) {
          const element = named.elements.find((candidate) => candidate.name.text === name);
          if (element !== undefined) return element;
        }
      }
    }
    return undefined;
  };
  for (let node: ts.Node = identifier.parent; ; node = node.parent) {
    if (tsi.isSourceFile(node)) return inStatements(node.statements);
    if (tsi.isFunctionLike(node)) {
      for (const parameter of node.parameters) {
        const found = bindingIn(tsi, parameter.name, name);
        if (found !== undefined) return found;
      }
    }
    if (tsi.isBlock(node) || tsi.isModuleBlock(node) || tsi.isCaseClause(node) || tsi.isDefaultClause(node)) {
      const found = inStatements(node.statements);
      if (found !== undefined) return found;
    }
    if ((tsi.isForStatement(node) || tsi.isForOfStatement(node) || tsi.isForInStatement(node)) && node.initializer !== undefined && tsi.isVariableDeclarationList(node.initializer)) {
      for (const declaration of node.initializer.declarations) {
        const found = bindingIn(tsi, declaration.name, name);
        if (found !== undefined) return found;
      }
    }
    if (tsi.isCatchClause(node) && node.variableDeclaration !== undefined) {
      const found = bindingIn(tsi, node.variableDeclaration.name, name);
      if (found !== undefined) return found;
    }
  }
}

/** The node binding `name` in a binding name: the variable declaration or the destructuring element. */
function bindingIn(tsi: typeof ts, binding: ts.BindingName, name: string): ts.Node | undefined {
  if (tsi.isIdentifier(binding)) return binding.text === name ? binding.parent : undefined;
  for (const element of binding.elements) {
    if (tsi.isOmittedExpression(element)) continue;
    const found = bindingIn(tsi, element.name, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Whether an identifier is read as a value here, not a property name, a key or a declared name. */
export function isValueReference(tsi: typeof ts, identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if ((tsi.isPropertyAccessExpression(parent) || tsi.isQualifiedName(parent)) && (parent as { name?: ts.Node; right?: ts.Node }).name === identifier) return false;
  if (tsi.isQualifiedName(parent) && parent.right === identifier) return false;
  if ((tsi.isPropertyAssignment(parent) || tsi.isPropertyDeclaration(parent) || tsi.isMethodDeclaration(parent) || tsi.isPropertySignature(parent)) && parent.name === identifier) return false;
  if (tsi.isBindingElement(parent) || tsi.isImportSpecifier(parent) || tsi.isImportClause(parent) || tsi.isNamespaceImport(parent) || tsi.isExportSpecifier(parent)) return false;
  if ((tsi.isVariableDeclaration(parent) || tsi.isParameter(parent) || tsi.isFunctionDeclaration(parent) || tsi.isClassDeclaration(parent)) && parent.name === identifier) return false;
  return !tsi.isTypeReferenceNode(parent);
}
