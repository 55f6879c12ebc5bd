/**
 * The facts the code rules judge, read from one file's TypeScript AST: AWS clients built (whatever
 * the import form), table names written into requests, and reads of the environment. Names resolve
 * through the checker when there is one, else by the file's scopes; nothing is guessed.
 */
import type * as ts from 'typescript';
import { isAwsClientClass, type ClientConstruction } from '../index.js';
import { bindsName, isGlobal, isValueReference, nearestDeclaration } from './scope.js';
import { literalString, propertyName, unwrap } from './values.js';

const AWS_MODULE = /^@aws-sdk\//;
const PROCESS_MODULES: ReadonlySet<string> = new Set(['process', 'node:process']);

export interface ClientFact {
  readonly node: ts.Node;
  readonly construction: ClientConstruction;
}

export interface TableNameFact {
  /** The value as written (the literal, possibly wrapped in `as`, `satisfies`, parentheses). */
  readonly node: ts.Expression;
  readonly value: string;
}

export interface EnvReadFact {
  readonly node: ts.Node;
}

export interface CodeFacts {
  readonly clients: readonly ClientFact[];
  readonly tableNames: readonly TableNameFact[];
  readonly envReads: readonly EnvReadFact[];
}

/** What a local name of the file is bound to: an AWS SDK module (or one of its exports), or `process`/its `env`. */
type Binding =
  | { readonly kind: 'aws-module'; readonly module: string }
  | { readonly kind: 'aws-export'; readonly module: string; readonly exported: string }
  | { readonly kind: 'process' }
  | { readonly kind: 'env' };

interface Bindings {
  readonly byName: ReadonlyMap<string, Binding>;
  /** The declarations that introduced them, so a use can be told from a shadowing local. */
  readonly declarations: ReadonlySet<ts.Node>;
}

export const NO_FACTS: CodeFacts = { clients: [], tableNames: [], envReads: [] };

/** Whether the file's text could hold any fact at all: a few string searches before any walk. */
export function mayHaveCodeFacts(text: string): boolean {
  return text.includes('@aws-sdk/') || text.includes('TableName') || text.includes('process') || text.includes('env');
}

export function codeFacts(tsi: typeof ts, file: ts.SourceFile, checker: ts.TypeChecker | undefined): CodeFacts {
  const text = file.text;
  if (!mayHaveCodeFacts(text)) return NO_FACTS;
  const bindings = collectBindings(tsi, file);
  const clients: ClientFact[] = [];
  const tableNames: TableNameFact[] = [];
  const envReads: EnvReadFact[] = [];
  const scanTables = text.includes('TableName');

  /** The binding an identifier refers to here, unless something nearer shadows it. */
  const bound = (identifier: ts.Identifier): Binding | undefined => {
    const binding = bindings.byName.get(identifier.text);
    if (binding === undefined) return undefined;
    const declaration = checker === undefined ? nearestDeclaration(tsi, identifier) : checker.getSymbolAtLocation(identifier)?.declarations?.[0];
    if (declaration === undefined) return undefined;
    for (let node: ts.Node | undefined = declaration; node !== undefined && !tsi.isSourceFile(node); node = node.parent) {
      if (bindings.declarations.has(node)) return binding;
    }
    return undefined;
  };

  /** The AWS class an expression names: `X`, `(X)`, `ns.X`, `require('…').X`, `(await import('…')).X`. */
  const awsClass = (expression: ts.Expression): { module: string; exported: string } | undefined => {
    const node = unwrap(tsi, expression);
    if (tsi.isIdentifier(node)) {
      const binding = bound(node);
      return binding?.kind === 'aws-export' ? { module: binding.module, exported: binding.exported } : undefined;
    }
    if (tsi.isPropertyAccessExpression(node)) {
      const module = awsModuleOf(node.expression);
      return module === undefined ? undefined : { module, exported: node.name.text };
    }
    return undefined;
  };

  const awsModuleOf = (expression: ts.Expression): string | undefined => {
    const node = unwrapAwait(tsi, unwrap(tsi, expression));
    if (tsi.isIdentifier(node)) {
      const binding = bound(node);
      return binding?.kind === 'aws-module' ? binding.module : undefined;
    }
    const required = requiredModule(tsi, node);
    return required !== undefined && AWS_MODULE.test(required) ? required : undefined;
  };

  const isProcess = (expression: ts.Expression): boolean => {
    const node = unwrap(tsi, expression);
    if (tsi.isIdentifier(node)) {
      if (node.text === 'process' && !bindings.byName.has('process')) return isGlobal(tsi, checker, node);
      return bound(node)?.kind === 'process';
    }
    // `globalThis.process`, `global.process`
    return tsi.isPropertyAccessExpression(node) && node.name.text === 'process' && tsi.isIdentifier(node.expression) && (node.expression.text === 'globalThis' || node.expression.text === 'global') && isGlobal(tsi, checker, node.expression);
  };

  /** `process`, or the module itself: `require('node:process')`, `await import('process')`. */
  const isProcessObject = (expression: ts.Expression): boolean => {
    const module = requiredModule(tsi, unwrapAwait(tsi, unwrap(tsi, expression)));
    return module === undefined ? isProcess(expression) : PROCESS_MODULES.has(module);
  };

  /** `process.env`, `process['env']`, `require('process').env`, or a use of an imported/destructured `env`. */
  const isEnvObject = (node: ts.Node): boolean => {
    if (tsi.isPropertyAccessExpression(node)) return node.name.text === 'env' && isProcessObject(node.expression);
    if (tsi.isElementAccessExpression(node)) return literalString(tsi, node.argumentExpression) === 'env' && isProcessObject(node.expression);
    return tsi.isIdentifier(node) && bindings.byName.get(node.text)?.kind === 'env' && isValueReference(tsi, node) && bound(node)?.kind === 'env';
  };

  /** An unguarded AWS client built right here: `new XClient(…)`, `new DynamoDB(…)`. */
  const isClientConstruction = (expression: ts.Expression): boolean => {
    const node = unwrap(tsi, expression);
    if (!tsi.isNewExpression(node)) return false;
    const found = awsClass(node.expression);
    return found !== undefined && isAwsClientClass(found.module, found.exported);
  };
  // Constructions reported as part of the Document client wrapping them: one mistake, one report.
  const wrappedConstructions = new Set<ts.Node>();

  const visit = (node: ts.Node): void => {
    if (tsi.isNewExpression(node)) {
      const found = awsClass(node.expression);
      if (found !== undefined && isAwsClientClass(found.module, found.exported) && !wrappedConstructions.has(node)) clients.push({ node, construction: { form: 'new', className: found.exported, module: found.module } });
    } else if (tsi.isCallExpression(node) && tsi.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'from') {
      const found = awsClass(node.expression.expression);
      const wrapped = node.arguments[0];
      // Only a client built in the call itself is known to be unguarded: a scope's client keeps its
      // guard, a variable holding a construction is reported where it is built, and a parameter or
      // an import could be a scope's client — out of sight, so silent.
      if (found !== undefined && isAwsClientClass(found.module, found.exported) && wrapped !== undefined && isClientConstruction(wrapped)) {
        wrappedConstructions.add(unwrap(tsi, wrapped));
        clients.push({ node, construction: { form: 'from', className: found.exported, module: found.module, fromScopeClient: isScopeClient(tsi, file, wrapped) } });
      }
    } else if (scanTables && tsi.isPropertyAssignment(node) && propertyName(tsi, node.name) === 'TableName' && tsi.isObjectLiteralExpression(node.parent)) {
      const value = literalString(tsi, unwrap(tsi, node.initializer));
      if (value !== undefined && isRequest(node.parent)) tableNames.push({ node: node.initializer, value });
    } else if (isEnvObject(node) && isRead(tsi, node)) {
      envReads.push({ node });
    } else if (tsi.isVariableDeclaration(node) && tsi.isObjectBindingPattern(node.name) && node.initializer !== undefined && isProcess(node.initializer) && destructures(tsi, node.name, 'env')) {
      // `const { env } = process`: the read is the destructuring itself.
      envReads.push({ node });
    }
    tsi.forEachChild(node, visit);
  };

  /**
   * An object literal that is (inside) what a request is built from: an argument of an AWS command
   * constructor (`new GetCommand({…})`) or of a client operation (`client.getItem({…})`), or a value
   * typed as an SDK `…Input`. Test expectations, mocked responses and fixtures are none of these.
   */
  const isRequest = (object: ts.ObjectLiteralExpression): boolean => {
    let node: ts.Node = object;
    for (;;) {
      const parent: ts.Node = node.parent;
      if (tsi.isObjectLiteralExpression(parent) || tsi.isArrayLiteralExpression(parent) || tsi.isPropertyAssignment(parent) || tsi.isParenthesizedExpression(parent) || tsi.isSpreadElement(parent) || tsi.isSpreadAssignment(parent)) {
        node = parent;
        continue;
      }
      if (tsi.isAsExpression(parent) || tsi.isSatisfiesExpression(parent) || tsi.isTypeAssertionExpression(parent)) {
        if (isSdkInputType(parent.type)) return true;
        node = parent;
        continue;
      }
      if (tsi.isNewExpression(parent)) {
        const found = awsClass(parent.expression);
        return found !== undefined && found.exported.endsWith('Command') && parent.arguments?.includes(node as ts.Expression) === true;
      }
      if (tsi.isCallExpression(parent)) return requestArgument(parent) === node;
      if (tsi.isVariableDeclaration(parent) || tsi.isPropertyDeclaration(parent) || tsi.isParameter(parent)) {
        if (parent.type !== undefined) return isSdkInputType(parent.type);
        // `const params = { TableName: 'x' }; client.get(params)`: the variable is the request.
        return tsi.isVariableDeclaration(parent) && tsi.isIdentifier(parent.name) && (tsi.getCombinedNodeFlags(parent) & tsi.NodeFlags.Const) !== 0 && requestVariables().has(parent.name.text);
      }
      return false;
    }
  };

  /**
   * The argument of a call that is a request: the first of a client operation (`client.query(…)`),
   * the second of an SDK paginator (`paginateQuery(config, input)`).
   */
  const requestArgument = (call: ts.CallExpression): ts.Expression | undefined => {
    const callee = call.expression;
    const paginator = awsClass(callee)?.exported.startsWith('paginate') === true;
    if (paginator) return call.arguments[1];
    if (tsi.isPropertyAccessExpression(callee) && DYNAMODB_OPERATIONS.has(callee.name.text)) return call.arguments[0];
    return undefined;
  };

  /** Names of variables the file passes as requests: to a command constructor, an operation or a paginator. */
  let passedAsRequests: Set<string> | undefined;
  const requestVariables = (): Set<string> => {
    if (passedAsRequests !== undefined) return passedAsRequests;
    const names = new Set<string>();
    const note = (argument: ts.Expression | undefined): void => {
      const node = argument === undefined ? undefined : unwrap(tsi, argument);
      if (node !== undefined && tsi.isIdentifier(node)) names.add(node.text);
    };
    const collect = (node: ts.Node): void => {
      if (tsi.isNewExpression(node) && awsClass(node.expression)?.exported.endsWith('Command') === true) note(node.arguments?.[0]);
      else if (tsi.isCallExpression(node)) note(requestArgument(node));
      tsi.forEachChild(node, collect);
    };
    tsi.forEachChild(file, collect);
    return (passedAsRequests = names);
  };

  /** `GetCommandInput`, `PutItemInput`, `ns.QueryCommandInput`: a request type of an imported AWS module. */
  const isSdkInputType = (type: ts.TypeNode): boolean => {
    if (!tsi.isTypeReferenceNode(type)) return false;
    const name = type.typeName;
    if (tsi.isIdentifier(name)) {
      const binding = bindings.byName.get(name.text);
      return binding?.kind === 'aws-export' && binding.exported.endsWith('Input');
    }
    const module = tsi.isIdentifier(name.left) ? bindings.byName.get(name.left.text) : undefined;
    return module?.kind === 'aws-module' && name.right.text.endsWith('Input');
  };

  tsi.forEachChild(file, visit);
  return clients.length + tableNames.length + envReads.length === 0 ? NO_FACTS : { clients, tableNames, envReads };
}

/** The operations of the DynamoDB clients (low-level, aggregated and Document) whose argument is a request. */
const DYNAMODB_OPERATIONS: ReadonlySet<string> = new Set([
  'get', 'put', 'update', 'delete', 'query', 'scan', 'batchGet', 'batchWrite', 'transactGet', 'transactWrite',
  'getItem', 'putItem', 'updateItem', 'deleteItem', 'batchGetItem', 'batchWriteItem', 'transactGetItems', 'transactWriteItems',
  'describeTable', 'createTable', 'deleteTable', 'updateTable', 'updateTimeToLive', 'describeTimeToLive',
]);

/**
 * The names the file binds to AWS SDK modules and exports, and to `process`/`env`, in every import
 * form: `import`, `import x = require`, `require`, and `await import()` at the top of a declaration.
 */
function collectBindings(tsi: typeof ts, file: ts.SourceFile): Bindings {
  const byName = new Map<string, Binding>();
  const declarations = new Set<ts.Node>();
  const add = (name: string, binding: Binding, declaration: ts.Node): void => {
    byName.set(name, binding);
    declarations.add(declaration);
  };
  const moduleBinding = (module: string): Binding | undefined => (AWS_MODULE.test(module) ? { kind: 'aws-module', module } : PROCESS_MODULES.has(module) ? { kind: 'process' } : undefined);
  const exportBinding = (module: string, exported: string): Binding | undefined => {
    // The SDK's packages are CommonJS: their default import is the module itself.
    if (AWS_MODULE.test(module)) return exported === 'default' ? { kind: 'aws-module', module } : { kind: 'aws-export', module, exported };
    if (PROCESS_MODULES.has(module)) return exported === 'env' ? { kind: 'env' } : exported === 'default' ? { kind: 'process' } : undefined;
    return undefined;
  };
  const bindPattern = (pattern: ts.ObjectBindingPattern, module: string): void => {
    for (const element of pattern.elements) {
      if (!tsi.isIdentifier(element.name)) continue;
      const exported = element.propertyName === undefined ? element.name.text : propertyName(tsi, element.propertyName);
      const binding = exported === undefined ? undefined : exportBinding(module, exported);
      if (binding !== undefined) add(element.name.text, binding, element);
    }
  };

  const visit = (node: ts.Node): void => {
    // Type-only imports count for AWS modules: `GetCommandInput` marks a request as well as `GetCommand`.
    if (tsi.isImportDeclaration(node) && tsi.isStringLiteral(node.moduleSpecifier) && node.importClause !== undefined && (!node.importClause.isTypeOnly || AWS_MODULE.test(node.moduleSpecifier.text))) {
      const module = node.moduleSpecifier.text;
      const clause = node.importClause;
      if (clause.name !== undefined) {
        const binding = exportBinding(module, 'default');
        if (binding !== undefined) add(clause.name.text, binding, clause);
      }
      const named = clause.namedBindings;
      if (named !== undefined && tsi.isNamespaceImport(named)) {
        const binding = moduleBinding(module);
        if (binding !== undefined) add(named.name.text, binding, named);
      } else if (named !== undefined) {
        for (const element of named.elements) {
          const binding = element.isTypeOnly && !AWS_MODULE.test(module) ? undefined : exportBinding(module, (element.propertyName ?? element.name).text);
          if (binding !== undefined) add(element.name.text, binding, element);
        }
      }
      return;
    }
    if (tsi.isImportEqualsDeclaration(node) && tsi.isExternalModuleReference(node.moduleReference) && tsi.isStringLiteral(node.moduleReference.expression)) {
      const binding = moduleBinding(node.moduleReference.expression.text);
      if (binding !== undefined) add(node.name.text, binding, node);
      return;
    }
    if (tsi.isVariableDeclaration(node) && node.initializer !== undefined) {
      const initializer = unwrapAwait(tsi, unwrap(tsi, node.initializer));
      const module = requiredModule(tsi, initializer);
      if (module !== undefined) {
        if (tsi.isIdentifier(node.name)) {
          const binding = moduleBinding(module);
          if (binding !== undefined) add(node.name.text, binding, node);
        } else if (tsi.isObjectBindingPattern(node.name)) {
          bindPattern(node.name, module);
        }
      } else if (tsi.isPropertyAccessExpression(initializer) && tsi.isIdentifier(node.name)) {
        // `const DynamoDBClient = require('@aws-sdk/client-dynamodb').DynamoDBClient`
        const owner = requiredModule(tsi, unwrapAwait(tsi, unwrap(tsi, initializer.expression)));
        const binding = owner === undefined ? undefined : exportBinding(owner, initializer.name.text);
        if (binding !== undefined) add(node.name.text, binding, node);
      }
    }
    tsi.forEachChild(node, visit);
  };
  tsi.forEachChild(file, visit);
  return { byName, declarations };
}

/** The module of `require('m')` or `import('m')`. */
function requiredModule(tsi: typeof ts, node: ts.Expression): string | undefined {
  if (!tsi.isCallExpression(node)) return undefined;
  const [argument] = node.arguments;
  const specifier = argument === undefined ? undefined : literalString(tsi, argument);
  if (specifier === undefined) return undefined;
  if (node.expression.kind === tsi.SyntaxKind.ImportKeyword) return specifier;
  return tsi.isIdentifier(node.expression) && node.expression.text === 'require' ? specifier : undefined;
}

function unwrapAwait(tsi: typeof ts, node: ts.Expression): ts.Expression {
  let current = node;
  while (tsi.isAwaitExpression(current) || tsi.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

function destructures(tsi: typeof ts, pattern: ts.ObjectBindingPattern, property: string): boolean {
  return pattern.elements.some((element) => (element.propertyName === undefined ? bindsName(tsi, element.name, property) : propertyName(tsi, element.propertyName) === property));
}

/**
 * Whether the environment object is read here rather than written: `process.env.X = v`,
 * `delete process.env.X` and `Object.assign(process.env, …)` change it; everything else reads
 * (`process.env.X`, `{ ...process.env }`, passing it on, `process.env.X ??= v`, which reads first).
 */
function isRead(tsi: typeof ts, env: ts.Node): boolean {
  let node: ts.Node = env;
  let parent = node.parent;
  // Step over the member read off the environment: `process.env.X`, `process.env['X']`.
  if ((tsi.isPropertyAccessExpression(parent) || tsi.isElementAccessExpression(parent)) && parent.expression === node) {
    node = parent;
    parent = node.parent;
    while (tsi.isParenthesizedExpression(parent) || tsi.isNonNullExpression(parent)) {
      node = parent;
      parent = node.parent;
    }
    return !tsi.isDeleteExpression(parent) && !isAssignedTo(tsi, node);
  }
  // `Object.assign(process.env, …)`: the environment is the target.
  if (tsi.isCallExpression(parent) && parent.arguments[0] === node && tsi.isPropertyAccessExpression(parent.expression) && parent.expression.name.text === 'assign' && tsi.isIdentifier(parent.expression.expression) && parent.expression.expression.text === 'Object') return false;
  return true;
}

/**
 * Whether `node` is written by a plain assignment: `x = v`, or a target inside a destructuring
 * assignment (`[x] = …`, `({ a: x } = …)`, `[...x] = …`). Compound assignments (`+=`, `??=`) read first.
 */
function isAssignedTo(tsi: typeof ts, target: ts.Node): boolean {
  let node = target;
  for (;;) {
    const parent = node.parent;
    if (tsi.isBinaryExpression(parent)) return parent.left === node && parent.operatorToken.kind === tsi.SyntaxKind.EqualsToken;
    const inPattern =
      tsi.isArrayLiteralExpression(parent) ||
      tsi.isSpreadElement(parent) ||
      tsi.isSpreadAssignment(parent) ||
      tsi.isParenthesizedExpression(parent) ||
      (tsi.isPropertyAssignment(parent) && parent.initializer === node) ||
      tsi.isObjectLiteralExpression(parent);
    if (!inPattern) return (tsi.isForOfStatement(parent) || tsi.isForInStatement(parent)) && parent.initializer === node;
    node = parent;
  }
}

/**
 * A client a scope handed out: `scope.client(…)`, `scope.dynamo(…)`, or a same-file `const` holding
 * one. Wrapping it in a Document client keeps the guard: both share its middleware stack.
 */
function isScopeClient(tsi: typeof ts, file: ts.SourceFile, argument: ts.Expression): boolean {
  let node = unwrap(tsi, argument);
  if (tsi.isIdentifier(node)) {
    const initializer = constInitializer(tsi, file, node.text);
    if (initializer === undefined) return false;
    node = unwrap(tsi, initializer);
  }
  return tsi.isCallExpression(node) && tsi.isPropertyAccessExpression(node.expression) && (node.expression.name.text === 'client' || node.expression.name.text === 'dynamo');
}

function constInitializer(tsi: typeof ts, file: ts.SourceFile, name: string): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (tsi.isVariableDeclarationList(node) && (node.flags & tsi.NodeFlags.Const) !== 0) {
      for (const declaration of node.declarations) if (tsi.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer !== undefined) found = declaration.initializer;
    }
    tsi.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
