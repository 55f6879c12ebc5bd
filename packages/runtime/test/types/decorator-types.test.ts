/**
 * The decorators' signatures are checks (ADR 0019). Fixture projects under ../fixtures/types/ are compiled
 * by the real binaries, TypeScript 6 (`typescript`) and TypeScript 7 (`typescript-7`), with
 * standard decorators and with experimentalDecorators, against the built `@isolation/runtime`.
 * Valid projects compile clean; in invalid ones every line marked `// type-error: <rule>` gets that
 * rule's report (its id read from the error text) and no other line gets any.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../..');
const FIXTURES = join(import.meta.dirname, '../fixtures/types');
const COMPILERS = [
  { name: 'TypeScript 6', tsc: join(ROOT, 'node_modules/typescript/bin/tsc'), version: /^Version 6\./ },
  { name: 'TypeScript 7', tsc: join(ROOT, 'node_modules/typescript-7/bin/tsc'), version: /^Version 7\./ },
] as const;

interface Project {
  readonly kind: 'valid' | 'invalid';
  readonly name: string;
  readonly dir: string;
  readonly tsconfig: string;
  /** Folders of `dir` whose files the tsconfig includes. */
  readonly folders: readonly string[];
}

const project = (kind: 'valid' | 'invalid', legacy: boolean): Project => ({
  kind,
  name: `${kind}, ${legacy ? 'experimentalDecorators' : 'standard decorators'}`,
  dir: join(FIXTURES, kind),
  tsconfig: legacy ? 'tsconfig.legacy.json' : 'tsconfig.json',
  folders: ['.', legacy ? 'legacy-only' : 'standard-only'],
});

interface Compiled {
  readonly code: number;
  /** One entry per diagnostic, continuation lines joined. */
  readonly diagnostics: readonly string[];
}

const run = promisify(execFile);

async function compile(tsc: string, dir: string, tsconfig: string): Promise<Compiled> {
  // tsc exits non-zero on errors: the output, not the rejection, is the result.
  const result = await run(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: dir, maxBuffer: 16 * 2 ** 20 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
  );
  const diagnostics = result.stdout.split(/\r?\n(?=\S)/).filter((text) => text.trim() !== '');
  return { code: result.code, diagnostics };
}

const DIAGNOSTIC = /^(?<file>[^(]+)\((?<line>\d+),\d+\): error (?<code>TS\d+): (?<message>[\s\S]*)$/;
const RULE = /\[@isolation\/(?<rule>[a-z-]+)\]/;

/** `file:line rule`; a diagnostic without a rule id keeps its text, so a stray error shows itself. */
function finding(diagnostic: string): string {
  const parsed = DIAGNOSTIC.exec(diagnostic)?.groups;
  if (parsed === undefined) return `(unparsed) ${diagnostic}`;
  const rule = RULE.exec(parsed['message'] ?? '')?.groups?.['rule'];
  return `${(parsed['file'] ?? '').replaceAll('\\', '/')}:${parsed['line']} ${rule ?? `(no rule id) ${parsed['code']}: ${parsed['message']}`}`;
}

/** examples/violations: the mistakes types can see, shared with the adopter test (each entry says why). */
const VIOLATIONS_BY_TYPES = (JSON.parse(readFileSync(join(ROOT, 'examples/violations/expected-types.json'), 'utf8')) as { file: string; line: number; ruleId: string }[])
  .map((entry) => `${entry.file}:${entry.line} ${entry.ruleId.replace('@isolation/', '')}`)
  .sort();

const MARK = /\/\/\s*type-error:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/;

function expected({ dir, folders }: Project): string[] {
  return folders
    .filter((folder) => existsSync(join(dir, folder)))
    .flatMap((folder) => readdirSync(join(dir, folder)).filter((name) => name.endsWith('.ts')).map((name) => join(dir, folder, name)))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .flatMap((text, index) => (MARK.exec(text)?.[1] ?? '').split(',').filter((rule) => rule.trim() !== '').map((rule) => `${relative(dir, file).replaceAll('\\', '/')}:${index + 1} ${rule.trim()}`)),
    )
    .sort();
}

// Every compile starts when the file loads; each test awaits its own.
const PROJECTS = [project('valid', false), project('valid', true), project('invalid', false), project('invalid', true)];
const results = new Map(COMPILERS.flatMap((compiler) => PROJECTS.map((fixture) => [`${compiler.name}|${fixture.name}`, compile(compiler.tsc, fixture.dir, fixture.tsconfig)] as const)));
const resultOf = (compiler: (typeof COMPILERS)[number], fixture: Project): Promise<Compiled> => results.get(`${compiler.name}|${fixture.name}`) as Promise<Compiled>;

const TIMEOUT = 120_000;

describe('fixture set-up', () => {
  it('has the built runtime the fixtures import, and both compilers', async () => {
    expect(existsSync(join(ROOT, 'packages/runtime/dist/types/entity.d.ts')), 'build first: npm run build').toBe(true);
    for (const compiler of COMPILERS) {
      const { stdout } = await run(process.execPath, [compiler.tsc, '-v']);
      expect(stdout).toMatch(compiler.version);
    }
  });

  it('marks at least one expectation per rule types check', () => {
    const rules = new Set(expected(project('invalid', false)).map((key) => key.split(' ')[1]));
    expect([...rules].sort()).toEqual(['capsule-id-field', 'endpoint-params', 'event-scope-fields', 'key-template']);
  });
});

describe.each(COMPILERS)('$name', (compiler) => {
  it.each(PROJECTS.filter((fixture) => fixture.kind === 'valid'))(
    'compiles the $name fixtures clean',
    async (fixture) => {
      const { code, diagnostics } = await resultOf(compiler, fixture);
      expect(diagnostics).toEqual([]);
      expect(code).toBe(0);
    },
    TIMEOUT,
  );

  it.each(PROJECTS.filter((fixture) => fixture.kind === 'invalid'))(
    'reports exactly the marked rule at each marked line of the $name fixtures',
    async (fixture) => {
      const { code, diagnostics } = await resultOf(compiler, fixture);
      expect(diagnostics.map(finding).sort()).toEqual(expected(fixture));
      expect(code).not.toBe(0);
    },
    TIMEOUT,
  );
});

describe('what tsc prints', () => {
  const invalid = project('invalid', false);
  const line = (diagnostics: readonly string[], prefix: string): string | undefined => diagnostics.find((text) => text.startsWith(prefix));

  it.each([
    [
      'a scope marker on a class without its capsule id',
      'capsule-id-field.ts(6,2)',
      "capsule-id-field.ts(6,2): error TS1270: Decorator function return type 'IsolationTypeError<\"[@isolation/capsule-id-field] Capsule entity has no CapsuleId field; add `capsuleId!: CapsuleId;` (own, inherited, or one level nested) so every item records the capsule it belongs to.\">' is not assignable to type 'void | typeof RoleAssignment'.",
    ],
    [
      'a placeholder naming no field',
      'key-template.ts(9,2)',
      "key-template.ts(9,2): error TS1270: Decorator function return type 'IsolationTypeError<\"[@isolation/key-template] The pk template uses `{contactId}`, but the entity has no field `contactId`; use one of its fields.\">' is not assignable to type 'void | typeof Contact'.",
    ],
    [
      'a malformed template',
      'key-template.ts(43,3)',
      "key-template.ts(43,3): error TS2322: Type '\"TENANT#{tenantId}#CAPSULE#{capsuleId#ACCOUNT#{id}\"' is not assignable to type '\"[@isolation/key-template] The pk template is malformed: the placeholder '{capsuleId' reaches '#' before its '}'; close it, e.g. '{id}'.\"'.",
    ],
    [
      'a pathParams entry not in the path',
      'endpoint-params.ts(21,4)',
      "endpoint-params.ts(21,4): error TS1270: Decorator function return type 'IsolationTypeError<\"[@isolation/endpoint-params] `pathParams` lists 'query', but the path `/accounts/{accountId}/activities` has no `{query}`; add the placeholder to the path or move 'query' to `queryParams`.\">' is not assignable to type 'void | ((accountId: string, query: string) => string[])'.",
    ],
    [
      'a capsule event without its ids',
      'event-scope-fields.ts(10,2)',
      "event-scope-fields.ts(10,2): error TS1270: Decorator function return type 'IsolationTypeError<\"[@isolation/event-scope-fields] Capsule-scoped event has no TenantId field and no CapsuleId field; add `tenantId!: TenantId;` and `capsuleId!: CapsuleId;` so consumers can tell which tenant and capsule it belongs to.\">' is not assignable to type 'void | typeof ContactMerged'.",
    ],
  ])(
    'for %s, the same line under both compilers',
    async (_case, prefix, text) => {
      for (const compiler of COMPILERS) expect(line((await resultOf(compiler, invalid)).diagnostics, prefix), compiler.name).toBe(text);
    },
    TIMEOUT,
  );

  it(
    'prints every report of the invalid fixtures identically under TypeScript 6 and 7',
    async () => {
      const [six, seven] = await Promise.all(COMPILERS.map((compiler) => resultOf(compiler, invalid)));
      expect(seven?.diagnostics).toEqual(six?.diagnostics);
    },
    TIMEOUT,
  );
});

describe('the examples under plain tsc', () => {
  const examples = join(ROOT, 'examples');

  it.each(COMPILERS)(
    '$name compiles examples/crm clean',
    async (compiler) => {
      const { code, diagnostics } = await compile(compiler.tsc, join(examples, 'crm'), 'tsconfig.json');
      expect(diagnostics).toEqual([]);
      expect(code).toBe(0);
    },
    TIMEOUT,
  );

  // examples/violations fails ESLint, tspc and isolation-check on purpose (expected.json). Plain tsc
  // now fails it too, on the mistakes types can see; the rest stays with those tools.
  it.each(COMPILERS)(
    '$name fails examples/violations on the mistakes types can see',
    async (compiler) => {
      const { diagnostics } = await compile(compiler.tsc, join(examples, 'violations'), 'tsconfig.json');
      expect(diagnostics.map(finding).sort()).toEqual(VIOLATIONS_BY_TYPES);
      // Each is one of the findings the other tools report: the same rule, on the class's or the event's
      // line or on its decorator just above (where TypeScript puts a decorator's error).
      const others = (JSON.parse(readFileSync(join(examples, 'violations/expected.json'), 'utf8')) as { file: string; line: number; ruleId: string }[]).map(
        (entry) => `${entry.file}:${entry.line} ${entry.ruleId.replace('@isolation/', '')}`,
      );
      for (const seen of VIOLATIONS_BY_TYPES) {
        const [place = '', rule] = seen.split(' ');
        const [file, line] = place.split(':');
        expect([`${file}:${line} ${rule}`, `${file}:${Number(line) + 1} ${rule}`].some((candidate) => others.includes(candidate)), seen).toBe(true);
      }
    },
    TIMEOUT,
  );
});
