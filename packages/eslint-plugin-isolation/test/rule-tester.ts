import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Parses TypeScript without type information, as the `recommended` and `strict` configs do. */
export const ruleTester = new RuleTester();

/** With a real program over test/fixtures, so imports across files resolve. */
export const typedRuleTester = new RuleTester({
  languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: FIXTURES } },
});

/** Relative to the fixtures' tsconfig root. */
export const TYPED_FILE = 'file.ts';

export const RUNTIME_IMPORT = "import { Entity, CapsuleIsolated, TenantScoped, PlatformScoped, Endpoint, DomainEvent, type TenantId, type CapsuleId } from '@isolation/runtime';";
