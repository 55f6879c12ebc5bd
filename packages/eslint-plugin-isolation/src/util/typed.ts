/**
 * Type information for the type-aware rules: the same typed-field extraction the transformer uses
 * (id fields by brand, inheritance across files, one nested level, constant templates), applied to
 * the TypeScript nodes behind typescript-eslint's tree.
 */
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import { getParserServices } from '@typescript-eslint/utils/eslint-utils';
import { typedFields } from '@isolation/ts-transformer-entities/fields';
import type * as TypeScript from 'typescript';
import type { TypeInformation } from './extract.js';

/**
 * Loaded on first use: only type-aware runs need it, and an ESM import of TypeScript's CommonJS
 * bundle costs every untyped lint run the time to scan it for exports.
 */
let typescript: typeof TypeScript | undefined;
const loadTypeScript = (): typeof TypeScript => (typescript ??= createRequire(import.meta.url)('typescript') as typeof TypeScript);

/** Called only for classes that carry our decorators, so untyped files pay nothing. */
export function typeInformation(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): TypeInformation {
  const services = getParserServices(context);
  const typed = typedFields(loadTypeScript(), services.program.getTypeChecker());
  return {
    fieldsOf: (node) => typed.fieldsOf(services.esTreeNodeToTSNodeMap.get(node)),
    // typescript-eslint maps a few expressions (`import`, `new.target`) to tokens; the checker types those too.
    constant: (node) => typed.constant(services.esTreeNodeToTSNodeMap.get(node) as TypeScript.Expression),
  };
}
