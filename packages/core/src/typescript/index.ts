/**
 * @isolation/core/typescript: the one extractor. It reads the declaration model and the code facts
 * from a TypeScript AST and runs the rule core over them. It never imports TypeScript: every
 * function takes the instance its caller has (ts-patch's, typescript-eslint's, the CLIs' own).
 */
export { extractFile, type ExtractOptions, type ExtractedClass, type FileModel } from './model.js';
export { checkFile, entityViolations, type AllowRule, type CheckOptions, type Finding, type FindingSuggestion } from './checks.js';
export { applyEdits, appendToList, declarationEdits, endOfTrailingComments, newline, nextToken, type TextEdit } from './edits.js';
export { locate, nodeSpan, type Span } from './locate.js';
export { extractEndpoint, extractEntity, extractEvent, ourDecorators, className, type DecoratorUse, type DeclarationSite, type Extracted, type ExtractionContext } from './extract.js';
export { typedFields, type TypedFields } from './fields.js';
export { syntacticFields } from './syntactic-fields.js';
export { decoratorName, hasIsolationImports, importBindings, isolationImports, type ImportedBinding, type IsolationImports } from './imports.js';
export { declaredListOption, declaredOption, declaredString, describeExpression, findOption, literalString, propertyName, unwrap, type OptionLookup, type ValueReader } from './values.js';
export { codeFacts, type ClientFact, type CodeFacts, type EnvReadFact, type TableNameFact } from './code-facts.js';
