#!/usr/bin/env node
/**
 * isolation-migrate: rewrites legacy `@Endpoint` declarations to explicit `pathParams`/`queryParams`
 * (the `endpoint-explicit-params` migration), and with `--add-scope-markers` marks unscoped entities
 * that hold both capsule ids `@CapsuleIsolated()`. Exit 0 when done, 1 when a file could not be
 * parsed (it is left alone), 2 on misuse.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { globSync } from 'tinyglobby';
import { isMain } from './is-main.js';
import { migrateSources, type FileMigration, type LeftAlone } from './migrate-core.js';
import { unifiedDiff } from './migrate-diff.js';
import { ts } from './typescript.js';

const USAGE = `Usage: isolation-migrate [-p tsconfig.json | files/globs/dirs...] [--dry-run] [--add-scope-markers] [--module <name>]...

Rewrites legacy @Endpoint declarations (neither pathParams nor queryParams) to explicit ones,
with the migration the endpoint-explicit-params rule suggests. Formatting and comments are kept.

  -p, --project <tsconfig>  migrate the files of a tsconfig (default: ./tsconfig.json when no files are given)
  --dry-run                 print a unified diff and write nothing
  --add-scope-markers       add @CapsuleIsolated() to @Entity classes without a scope marker that
                            hold both a tenant and a capsule id ("when in doubt, isolate")
  --module <name>           a module that re-exports the decorators (repeatable; read from the
                            tsconfig's transformer entry with -p)
  -h, --help                show this help
`;

const SOURCE = /\.(?:ts|tsx|mts|cts)$/;

class UsageError extends Error {}

interface Arguments {
  readonly files: string[];
  readonly modules: string[];
  readonly dryRun: boolean;
  readonly addScopeMarkers: boolean;
}

function parse(argv: readonly string[], cwd: string): Arguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        project: { type: 'string', short: 'p' },
        'dry-run': { type: 'boolean', default: false },
        'add-scope-markers': { type: 'boolean', default: false },
        module: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (values.project !== undefined && positionals.length > 0) throw new UsageError('give either -p <tsconfig> or files, not both');
  const modules = [...values.module];
  let files: string[];
  if (positionals.length > 0) {
    files = positionals.flatMap((pattern) => expand(pattern, cwd));
  } else {
    const project = resolve(cwd, values.project ?? 'tsconfig.json');
    if (!existsSync(project)) throw new UsageError(values.project === undefined ? 'no files given and no tsconfig.json here' : `no such tsconfig: ${values.project}`);
    const config = projectFiles(project);
    files = config.files;
    modules.push(...config.modules);
  }
  files = [...new Set(files)].filter((file) => SOURCE.test(file) && !/\.d\.[mc]?ts$/.test(file));
  if (files.length === 0) throw new UsageError('no TypeScript files to migrate');
  return { files, modules, dryRun: values['dry-run'], addScopeMarkers: values['add-scope-markers'] };
}

/** Dependencies are never migrated, whatever a glob says. */
const DEPENDENCIES = ['**/node_modules/**'];

/** A file, a folder (its TypeScript files) or a glob. */
function expand(pattern: string, cwd: string): string[] {
  const path = resolve(cwd, pattern);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) return [path];
    return globSync('**/*.{ts,tsx,mts,cts}', { cwd: path, absolute: true, ignore: DEPENDENCIES });
  }
  // The pattern as written: no folder expansion, so `src/*` means the files directly in src.
  const matches = globSync(pattern, { cwd, absolute: true, ignore: DEPENDENCIES, expandDirectories: false, onlyFiles: true });
  if (matches.length === 0) throw new UsageError(`nothing matches ${pattern}`);
  return matches.map((file) => resolve(file));
}

function projectFiles(project: string): { files: string[]; modules: string[] } {
  const problems: string[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    project,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => problems.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
    },
  );
  if (parsed === undefined || problems.length > 0) throw new UsageError(`cannot read ${project}: ${problems.join('; ')}`);
  // Only a `files` entry can name a file that is not there; tsc stops on it with TS6053, and so do we.
  const missing = parsed.fileNames.find((file) => !ts.sys.fileExists(file));
  if (missing !== undefined) throw new UsageError(`${project}: error TS6053: File '${missing}' not found.`);
  const modules: string[] = [];
  for (const plugin of (parsed.options['plugins'] as readonly Record<string, unknown>[] | undefined) ?? []) {
    const entry = plugin['transform'] ?? plugin['name'];
    const listed = plugin['modules'];
    if (entry === '@isolation/ts-transformer-entities' && Array.isArray(listed)) modules.push(...listed.filter((item): item is string => typeof item === 'string'));
  }
  return { files: parsed.fileNames.map((file) => resolve(dirname(project), file)), modules };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function reasons(left: readonly LeftAlone[]): string {
  return [...new Set(left.map((item) => item.reason.replace(/:.*$/, '')))].join('; ');
}

function summaryOf(label: string, result: FileMigration): string[] {
  if (result.syntaxErrors.length > 0) return [`${label}: not migrated, syntax error at ${result.syntaxErrors.join(', ')}`];
  const parts: string[] = [];
  if (result.endpointsMigrated > 0 || result.endpointsLeft.length > 0) parts.push(`${plural(result.endpointsMigrated, 'endpoint')} migrated`);
  if (result.endpointsLeft.length > 0) parts.push(`${result.endpointsLeft.length} left (${reasons(result.endpointsLeft)})`);
  if (result.markersAdded > 0) parts.push(`${plural(result.markersAdded, 'scope marker')} added`);
  if (result.entitiesLeft.length > 0) parts.push(`${plural(result.entitiesLeft.length, 'entity', 'entities')} left unscoped (${reasons(result.entitiesLeft)})`);
  if (parts.length === 0) return [];
  const details = [...result.endpointsLeft, ...result.entitiesLeft].map((item) => `  ${label}:${item.line}:${item.column} ${item.name}: ${item.reason}`);
  return [`${label}: ${parts.join(', ')}`, ...details];
}

/** Runs the CLI; returns the exit code. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  let args;
  try {
    args = parse(argv, cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`isolation-migrate: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const sources = new Map(args.files.map((file) => [file, readFileSync(file, 'utf8')]));
  const results = migrateSources(sources, { addScopeMarkers: args.addScopeMarkers, modules: args.modules });
  const label = (file: string): string => relative(cwd, file).split(sep).join('/');
  let changed = 0;
  let failed = 0;
  let migrated = 0;
  let left = 0;
  let markers = 0;
  for (const result of results) {
    const name = label(result.fileName);
    if (result.syntaxErrors.length > 0) failed += 1;
    migrated += result.endpointsMigrated;
    left += result.endpointsLeft.length;
    markers += result.markersAdded;
    for (const line of summaryOf(name, result)) process.stdout.write(`${line}\n`);
    if (result.text === result.original) continue;
    changed += 1;
    if (args.dryRun) process.stdout.write(unifiedDiff(name, result.original, result.text));
    else writeFileSync(result.fileName, result.text);
  }
  const totals = [`${plural(migrated, 'endpoint')} migrated`, `${left} left`];
  if (args.addScopeMarkers) totals.push(`${plural(markers, 'scope marker')} added`);
  const verb = args.dryRun ? 'would change' : 'changed';
  process.stdout.write(`isolation-migrate: ${totals.join(', ')}; ${verb} ${plural(changed, 'file')} of ${results.length}${failed > 0 ? `; ${plural(failed, 'file')} not parsed` : ''}\n`);
  return failed > 0 ? 1 : 0;
}

if (isMain(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
