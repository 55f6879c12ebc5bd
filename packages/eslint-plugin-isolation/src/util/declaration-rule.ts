/**
 * The shape shared by the decorator rules: find our decorated declarations with cheap AST checks,
 * extract the model (with type information only when the `typeAware` option asks), ask the core,
 * report. Each rule file supplies only its id, its check and which declarations it reads.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { EndpointDeclaration, EntityDeclaration, EventDeclaration, Violation } from '@isolation/core';
import { decoratorsOf, extractEndpoint, extractEntity, extractEvent, type ClassNode, type ExtractionContext, type TypeInformation } from './extract.js';
import { isolationImports } from './imports.js';
import { reportViolations } from './report.js';
import { typeInformation } from './typed.js';

export interface DecoratorRuleOptions {
  readonly modules?: readonly string[];
  readonly typeAware?: boolean;
}

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

function extractionContext(context: Context, options: DecoratorRuleOptions): () => ExtractionContext {
  let made: ExtractionContext | undefined;
  return () => {
    if (made !== undefined) return made;
    const modules = options.modules ?? [];
    let types: TypeInformation | undefined;
    if (options.typeAware === true) types = typeInformation(context);
    const program = context.sourceCode.ast;
    made = {
      imports: isolationImports(program, modules),
      text: (node) => context.sourceCode.getText(node),
      program,
      types,
      cacheKey: `${modules.join('\n')}|${options.typeAware === true}`,
    };
    return made;
  };
}

function hasDecorators(node: { readonly decorators?: readonly TSESTree.Decorator[] | undefined }): boolean {
  return decoratorsOf(node).length > 0;
}

export function classRule(
  context: Context,
  options: DecoratorRuleOptions,
  kind: 'entity' | 'event',
  check: ((declaration: EntityDeclaration) => Violation[]) | ((declaration: EventDeclaration) => Violation[]),
): TSESLint.RuleListener {
  const extraction = extractionContext(context, options);
  const visit = (node: ClassNode): void => {
    if (!hasDecorators(node)) return;
    const found = kind === 'entity' ? extractEntity(node, extraction()) : extractEvent(node, extraction());
    if (found === undefined) return;
    reportViolations(context, (check as (declaration: EntityDeclaration | EventDeclaration) => Violation[])(found.declaration), found.site);
  };
  return { ClassDeclaration: visit, ClassExpression: visit };
}

export function endpointRule(context: Context, options: DecoratorRuleOptions, check: (declaration: EndpointDeclaration) => Violation[]): TSESLint.RuleListener {
  const extraction = extractionContext(context, options);
  const visit = (node: TSESTree.MethodDefinition | TSESTree.TSAbstractMethodDefinition): void => {
    if (!hasDecorators(node)) return;
    const found = extractEndpoint(node, extraction());
    if (found !== undefined) reportViolations(context, check(found.declaration), found.site);
  };
  return { MethodDefinition: visit, TSAbstractMethodDefinition: visit };
}
