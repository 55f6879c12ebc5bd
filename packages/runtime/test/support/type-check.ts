/**
 * Fixture projects compiled by the real compilers, TypeScript 6 (`typescript`) and TypeScript 7
 * (`typescript-7`), against the built `@isolation/runtime`; and the `// type-error: <rule>` marks
 * that say which line must get which rule's report.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(import.meta.dirname, '../../../..');

export const COMPILERS = [
  { name: 'TypeScript 6', tsc: join(ROOT, 'node_modules/typescript/bin/tsc'), version: /^Version 6\./ },
  { name: 'TypeScript 7', tsc: join(ROOT, 'node_modules/typescript-7/bin/tsc'), version: /^Version 7\./ },
] as const;

export type Compiler = (typeof COMPILERS)[number];

export interface Compiled {
  readonly code: number;
  /** One entry per diagnostic, continuation lines joined. */
  readonly diagnostics: readonly string[];
}

export const run = promisify(execFile);

export async function compile(tsc: string, dir: string, tsconfig: string): Promise<Compiled> {
  // tsc exits non-zero on errors: the output, not the rejection, is the result.
  const result = await run(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: dir, maxBuffer: 16 * 2 ** 20 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
  );
  return { code: result.code, diagnostics: result.stdout.split(/\r?\n(?=\S)/).filter((text) => text.trim() !== '') };
}

const DIAGNOSTIC = /^(?<file>[^(]+)\((?<line>\d+),\d+\): error (?<code>TS\d+): (?<message>[\s\S]*)$/;
const RULE = /\[@isolation\/(?<rule>[a-z-]+)\]/;

/** `file:line rule`; a diagnostic without a rule id keeps its text, so a stray error shows itself. */
export function finding(diagnostic: string): string {
  const parsed = DIAGNOSTIC.exec(diagnostic)?.groups;
  if (parsed === undefined) return `(unparsed) ${diagnostic}`;
  const rule = RULE.exec(parsed['message'] ?? '')?.groups?.['rule'];
  return `${(parsed['file'] ?? '').replaceAll('\\', '/')}:${parsed['line']} ${rule ?? `(no rule id) ${parsed['code']}: ${parsed['message']}`}`;
}

const MARK = /\/\/\s*type-error:\s*([a-z-]+)/;

/** The `file:line rule` each `// type-error: <rule>` mark of the folder's `.ts` files expects, relative to `dir`. */
export function markedFindings(dir: string, folder = '.'): string[] {
  return readdirSync(join(dir, folder))
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => {
      const file = join(dir, folder, name);
      return readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .flatMap((text, index) => {
          const rule = MARK.exec(text)?.[1];
          return rule === undefined ? [] : [`${relative(dir, file).replaceAll('\\', '/')}:${index + 1} ${rule}`];
        });
    })
    .sort();
}
