/**
 * Typed repositories as the compilers see them (ADR 0022). Fixture projects under
 * fixtures/repo-types/ are compiled by TypeScript 6 and 7 against the built `@isolation/runtime`:
 * the valid project compiles clean, and its `// @ts-expect-error` lines (a missing key field, a
 * key field in an update, …) must each be an error, or the directive itself is one; in the
 * invalid project every line marked `// type-error: <rule>` gets that rule's report and no other
 * line gets any.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, COMPILERS, finding, markedFindings, ROOT, run, type Compiled, type Compiler } from './support/type-check.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/repo-types');
const PROJECTS = [
  { name: 'valid, standard decorators, exactOptionalPropertyTypes', dir: join(FIXTURES, 'valid'), tsconfig: 'tsconfig.json' },
  { name: 'valid, experimentalDecorators', dir: join(FIXTURES, 'valid'), tsconfig: 'tsconfig.legacy.json' },
  { name: 'invalid', dir: join(FIXTURES, 'invalid'), tsconfig: 'tsconfig.json' },
] as const;
type Project = (typeof PROJECTS)[number];

// Every compile starts when the file loads; each test awaits its own.
const results = new Map(COMPILERS.flatMap((compiler) => PROJECTS.map((project) => [`${compiler.name}|${project.name}`, compile(compiler.tsc, project.dir, project.tsconfig)] as const)));
const resultOf = (compiler: Compiler, project: Project): Promise<Compiled> => results.get(`${compiler.name}|${project.name}`) as Promise<Compiled>;
const [, , INVALID] = PROJECTS;

const TIMEOUT = 120_000;

describe('fixture set-up', () => {
  it('has the built runtime the fixtures import, and both compilers', async () => {
    expect(existsSync(join(ROOT, 'packages/runtime/dist/repo/types.d.ts')), 'build first: npm run build').toBe(true);
    for (const compiler of COMPILERS) expect((await run(process.execPath, [compiler.tsc, '-v'])).stdout).toMatch(compiler.version);
  });

  it('marks the reports of every rule typed repositories give', () => {
    const rules = new Set(markedFindings(INVALID.dir).map((key) => key.split(' ')[1]));
    expect([...rules].sort()).toEqual(['key-scope-segments', 'key-template', 'partition-key-scope', 'repository-scope']);
  });
});

describe.each(COMPILERS)('$name', (compiler) => {
  it.each(PROJECTS.filter((project) => project !== INVALID))(
    'compiles the $name fixtures clean, every @ts-expect-error used',
    async (project) => {
      const { code, diagnostics } = await resultOf(compiler, project);
      expect(diagnostics).toEqual([]);
      expect(code).toBe(0);
    },
    TIMEOUT,
  );

  it(
    'reports exactly the marked rule at each marked line of the invalid fixtures',
    async () => {
      const { code, diagnostics } = await resultOf(compiler, INVALID);
      expect(diagnostics.map(finding).sort()).toEqual(markedFindings(INVALID.dir));
      expect(code).not.toBe(0);
    },
    TIMEOUT,
  );
});

describe('what tsc prints', () => {
  const line = (diagnostics: readonly string[], prefix: string): string | undefined => diagnostics.find((text) => text.startsWith(prefix));

  it.each([
    [
      'a key naming a scope id',
      'scope-ids.ts(19,41)',
      "scope-ids.ts(19,41): error TS2322: Type 'TenantId' is not assignable to type '\"[@isolation/partition-key-scope] `tenantId` is filled from the capsule scope the repository belongs to; leave it out of the key.\"'.",
    ],
    [
      "a capsule entity's repository opened in a tenant scope",
      'repository-scope.ts(33,25)',
      "repository-scope.ts(33,25): error TS2345: Argument of type 'typeof Account' is not assignable to parameter of type 'typeof Account & IsolationTypeError<\"[@isolation/repository-scope] A tenant scope cannot open the repository of a capsule entity; open it from aws.capsule(tenant, capsule).\">'.\n  Property 'isolationRule' is missing in type 'typeof Account' but required in type 'IsolationTypeError<\"[@isolation/repository-scope] A tenant scope cannot open the repository of a capsule entity; open it from aws.capsule(tenant, capsule).\">'.",
    ],
    [
      'capsule keys without the capsule prefix',
      'declarations.ts(5,39)',
      "declarations.ts(5,39): error TS2345: Argument of type '\"TENANT#{tenantId}#ACCOUNT#{id}\"' is not assignable to parameter of type '\"[@isolation/key-scope-segments] The pk of a capsule entity must begin 'TENANT#{tenantId}#CAPSULE#{capsuleId}#' followed by more, as its @Entity does; found 'TENANT#{tenantId}#ACCOUNT#{id}'.\"'.",
    ],
  ])(
    'for %s, the same text under both compilers',
    async (_case, prefix, text) => {
      for (const compiler of COMPILERS) expect(line((await resultOf(compiler, INVALID)).diagnostics, prefix), compiler.name).toBe(text);
    },
    TIMEOUT,
  );

  it(
    'prints every report of the invalid fixtures identically under TypeScript 6 and 7',
    async () => {
      const [six, seven] = await Promise.all(COMPILERS.map((compiler) => resultOf(compiler, INVALID)));
      expect(seven?.diagnostics).toEqual(six?.diagnostics);
    },
    TIMEOUT,
  );
});
