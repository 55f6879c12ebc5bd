/**
 * The file model for ESLint, from the one TypeScript-AST extractor in @isolation/core. Under
 * typescript-eslint the TypeScript source file is the one the parser built (reached through its node
 * maps, which exist with or without type information); under another parser (plain JavaScript with
 * espree) the text is parsed once with TypeScript. One model per file and option set, shared by
 * every rule that asks: no state crosses files.
 */
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { getParserServices } from '@typescript-eslint/utils/eslint-utils';
import { extractFile, type FileModel } from '@isolation/core/typescript';
import type * as TypeScript from 'typescript';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

export interface ModelOptions {
  readonly modules?: readonly string[] | undefined;
  readonly typeAware?: boolean | undefined;
}

interface PerFile {
  readonly file: TypeScript.SourceFile;
  readonly models: Map<string, FileModel>;
}

// The TypeScript the parser already loaded (the project's): no second copy, no load cost.
let typescript: typeof TypeScript | undefined;
const loadTypeScript = (): typeof TypeScript => (typescript ??= createRequire(import.meta.url)('typescript') as typeof TypeScript);

const perSourceCode = new WeakMap<object, PerFile>();

interface NodeMaps {
  readonly esTreeNodeToTSNodeMap?: { get(node: unknown): unknown };
}

function sourceFileOf(context: Context): TypeScript.SourceFile {
  const ts = loadTypeScript();
  const services = context.sourceCode.parserServices as NodeMaps | undefined;
  const mapped = services?.esTreeNodeToTSNodeMap?.get(context.sourceCode.ast) as TypeScript.SourceFile | undefined;
  if (mapped !== undefined && ts.isSourceFile(mapped)) return mapped;
  const kind = /\.[cm]?jsx?$/.test(context.filename) ? (context.filename.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS) : ts.ScriptKind.TS;
  return ts.createSourceFile(context.filename, context.sourceCode.text, ts.ScriptTarget.Latest, true, kind);
}

export function fileModel(context: Context, options: ModelOptions, codeFacts: boolean): FileModel {
  let entry = perSourceCode.get(context.sourceCode);
  if (entry === undefined) perSourceCode.set(context.sourceCode, (entry = { file: sourceFileOf(context), models: new Map() }));
  const modules = options.modules ?? [];
  const key = `${modules.join('\n')}|${options.typeAware === true}|${codeFacts}`;
  let model = entry.models.get(key);
  if (model === undefined) {
    // Type information only when the rule's option asks for it, and only here, after cheap filtering.
    const checker = options.typeAware === true ? getParserServices(context).program.getTypeChecker() : undefined;
    entry.models.set(key, (model = extractFile(loadTypeScript(), entry.file, { modules, checker, codeFacts })));
  }
  return model;
}
