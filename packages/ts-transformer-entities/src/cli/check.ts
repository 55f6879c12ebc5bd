#!/usr/bin/env node
/**
 * `isolation-check`: every isolation rule over one or more TypeScript projects, without compiling.
 * It reads each tsconfig (and, recursively, the projects a solution tsconfig references) and runs
 * the transformer's own checks over each root file: same rule ids, messages and positions as
 * `tspc`. By default each file is parsed on its own and read by its syntax alone (nothing is
 * resolved, bound or type-checked); where that cannot tell, the checks stay silent rather than
 * guess. `--type-aware` builds the program with the tsconfig's real options, for exact brands,
 * inheritance across files and packages, and constants from other modules. It runs on its own
 * TypeScript (see typescript.ts), never the project's, which may be TypeScript 7.
 *
 * Exit codes: 0 no error-level finding (warnings do not fail), 1 at least one, 2 misuse.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type * as TypeScript from 'typescript';
import { messageText, type RuleId, type Severity } from '@isolation/core';
import type { Finding as CoreFinding } from '@isolation/core/typescript';
import { resolveOptions, TransformerOptionsError } from '../options.js';
import { checkSourceFile } from '../check.js';
import { generateOpenApi } from '../openapi.js';
import { programChecks } from '../program-checks.js';
import { DIAGNOSTIC_CODES } from '../codes.js';
import { FORMATS, json, sarif, stylish, type Finding, type Format } from './check-format.js';
import { isMain } from './is-main.js';
import { createCompilerHost, ts } from './typescript.js';

const TRANSFORM = '@isolation/ts-transformer-entities';
/** TS18003 "No inputs were found": a solution tsconfig with only references has nothing of its own to check. */
const NO_INPUTS = 18003;
/** TS6053 "File '…' not found.", as tsc reports a `files` entry that does not exist. */
const FILE_NOT_FOUND = 6053;

const HELP = `Usage: isolation-check [-p <tsconfig>]... [options]

Runs every @isolation rule over TypeScript projects without compiling them: the same findings,
rule ids and positions as tspc with @isolation/ts-transformer-entities in compilerOptions.plugins.
Projects a tsconfig lists in "references" are checked too, recursively.

Options:
  -p, --project <path>   tsconfig.json, or a directory containing one (repeatable).
                         Default: the tsconfig.json found from the current directory upwards.
  --format <format>      stylish (default, tsc-like), json, or sarif (SARIF 2.1.0).
  --output <file>        Write the report to <file> instead of stdout.
  --type-aware           Resolve imports and types with the tsconfig's real options (slower;
                         exact brands and inheritance across packages). Default: parse-only.
  --rules <set>          recommended or strict: overrides the "rules" of the tsconfig's plugin
                         entry (default: the entry's, else recommended).
  --openapi <file>       Also write an OpenAPI 3.1 document of the first project's @Endpoints to
                         <file> (built with type information); skipped endpoints go to stderr.
  -h, --help             Show this help.

Exit codes: 0 no error-level findings, 1 error-level findings, 2 misuse.
`;

/** A mistake in how the tool was called or configured: reported on stderr, exit code 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Arguments {
  readonly projects: readonly string[];
  readonly format: Format;
  readonly output: string | undefined;
  readonly typeAware: boolean;
  readonly rules: 'recommended' | 'strict' | undefined;
  readonly openapi: string | undefined;
  readonly help: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        project: { type: 'string', short: 'p', multiple: true },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        'type-aware': { type: 'boolean' },
        rules: { type: 'string' },
        openapi: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\s*To specify a positional argument.*$/s, '')}`);
  }
  const format = values.format ?? 'stylish';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is "${format}"; expected one of ${FORMATS.join(', ')}`);
  const rules = values.rules;
  if (rules !== undefined && rules !== 'recommended' && rules !== 'strict') throw new UsageError(`--rules is "${rules}"; expected recommended or strict`);
  return { projects: values.project ?? [], format: format as Format, output: values.output, typeAware: values['type-aware'] ?? false, rules, openapi: values.openapi, help: values.help ?? false };
}

interface Project {
  readonly configPath: string;
  readonly parsed: TypeScript.ParsedCommandLine;
}

const formatHost: TypeScript.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => '\n',
};

/** `path` as a tsconfig file: a directory means its tsconfig.json. */
function configFileAt(path: string, from: string): string {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new UsageError(`cannot find ${path}${from}; pass -p with a tsconfig.json file or a directory containing one`);
  if (!statSync(absolute).isDirectory()) return absolute;
  const inside = join(absolute, 'tsconfig.json');
  if (!existsSync(inside)) throw new UsageError(`no tsconfig.json in ${path}${from}; pass -p with a tsconfig.json file or a directory containing one`);
  return inside;
}

/** The projects to check: each tsconfig given and, depth first, every project it references. */
function collectProjects(paths: readonly string[]): Project[] {
  const projects: Project[] = [];
  const seen = new Set<string>();
  const host: TypeScript.ParseConfigFileHost = {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: ts.sys.readDirectory,
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    getCurrentDirectory: ts.sys.getCurrentDirectory,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new UsageError(ts.formatDiagnostic(diagnostic, formatHost).trim());
    },
  };
  const visit = (configPath: string): void => {
    if (seen.has(configPath)) return;
    seen.add(configPath);
    let text: string | undefined;
    try {
      text = readFileSync(configPath, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${relative(process.cwd(), configPath) || configPath}: ${(error as Error).message}`);
    }
    if (text === '') throw new UsageError(`${relative(process.cwd(), configPath)} is empty; expected a tsconfig.json`);
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
    if (parsed === undefined) throw new UsageError(`cannot parse ${configPath}`);
    const errors = [...parsed.errors.filter((diagnostic) => diagnostic.code !== NO_INPUTS), ...missingFiles(parsed.fileNames)];
    if (errors.length > 0) throw new UsageError(`${relative(process.cwd(), configPath)} has errors:\n${ts.formatDiagnostics(errors, formatHost).trim()}`);
    projects.push({ configPath, parsed });
    for (const reference of parsed.projectReferences ?? []) {
      const referenced = ts.resolveProjectReferencePath(reference);
      if (!existsSync(referenced)) throw new UsageError(`${relative(process.cwd(), configPath)} references ${reference.originalPath ?? reference.path}, which has no ${referenced.endsWith('.json') ? 'such file' : 'tsconfig.json'}; fix its "references"`);
      visit(resolve(referenced));
    }
  };
  for (const path of paths) visit(configFileAt(path, ''));
  return projects;
}

/**
 * Root files that do not exist: only a `files` entry can name one (`include` globs match what is
 * there). The compiler would stop on them, so the check does too, with the compiler's error.
 */
function missingFiles(fileNames: readonly string[]): TypeScript.Diagnostic[] {
  return fileNames
    .filter((name) => !ts.sys.fileExists(name))
    .map((name) => ({ category: ts.DiagnosticCategory.Error, code: FILE_NOT_FOUND, messageText: `File '${name}' not found.`, file: undefined, start: undefined, length: undefined }));
}

/** The transformer's entry in the tsconfig's `compilerOptions.plugins`, if it has one. */
function transformerEntry(options: TypeScript.CompilerOptions): Readonly<Record<string, unknown>> | undefined {
  const plugins = Array.isArray(options.plugins) ? (options.plugins as unknown[]) : [];
  return plugins.find((plugin): plugin is Record<string, unknown> => typeof plugin === 'object' && plugin !== null && (plugin as Record<string, unknown>)['transform'] === TRANSFORM);
}

/** The transformer entry's options in the tsconfig, overridden by `--rules`. */
function transformerConfig(options: TypeScript.CompilerOptions, rules: Arguments['rules']): Record<string, unknown> {
  return { ...transformerEntry(options), ...(rules === undefined ? {} : { rules }) };
}

/**
 * What is wrong with the entry for `tspc`, though not for this check: without `"transformProgram":
 * true` ts-patch runs the transformer as a source transformer, which checks nothing, and builds
 * that never emit through the program (`--incremental --noEmit`, `-b` with `noEmit`) cannot even
 * say so.
 */
function entryWarning(project: Project, cwd: string): string | undefined {
  const entry = transformerEntry(project.parsed.options);
  if (entry === undefined || entry['transformProgram'] === true) return undefined;
  return `${relative(cwd, project.configPath)}: the { "transform": "${TRANSFORM}" } entry in compilerOptions.plugins lacks "transformProgram": true, so tspc runs no isolation check; add "transformProgram": true to that entry`;
}

/** The version of the `typescript` package the project at `directory` resolves, read from its package.json (never loaded). */
function projectTypeScriptVersion(directory: string): string | undefined {
  for (let current = directory; ; current = dirname(current)) {
    const manifest = join(current, 'node_modules', 'typescript', 'package.json');
    if (existsSync(manifest)) {
      const { version: found } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown };
      return typeof found === 'string' ? found : undefined;
    }
    if (dirname(current) === current) return undefined;
  }
}

/**
 * What a TypeScript 7 project should know when its tsconfig names our transformer: its compiler
 * ignores the entry, so this check is the only one of ours that runs there.
 */
function typeScript7Note(project: Project, cwd: string): string | undefined {
  if (transformerEntry(project.parsed.options) === undefined) return undefined;
  const found = projectTypeScriptVersion(dirname(project.configPath));
  if (found === undefined || Number(found.split('.')[0]) < 7) return undefined;
  return `${relative(cwd, project.configPath)}: this project's typescript is ${found}, whose tsc ignores compilerOptions.plugins and which tspc (ts-patch) cannot run: isolation-check is the isolation gate here. For tspc and typed ESLint rules, keep TypeScript 6 as "typescript" beside TypeScript 7 (see the README's TypeScript setups)`;
}

/** The project as the compiler sees it: every import resolved and typed, for `--type-aware` and `--openapi`. */
function programOf(project: Project): TypeScript.Program {
  const { parsed } = project;
  return ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    host: createCompilerHost(parsed.options),
    ...(parsed.projectReferences === undefined ? {} : { projectReferences: parsed.projectReferences }),
    configFileParsingDiagnostics: parsed.errors,
  });
}

/** Paths in reports use `/` on every platform (SARIF URIs, stable JSON). */
const slashes = (path: string): string => (sep === '/' ? path : path.split(sep).join('/'));

function toFinding(file: TypeScript.SourceFile, finding: CoreFinding, severity: Exclude<Severity, 'off'>, cwd: string): Finding {
  const begin = file.getLineAndCharacterOfPosition(finding.start);
  const end = file.getLineAndCharacterOfPosition(finding.start + finding.length);
  return {
    file: slashes(relative(cwd, file.fileName)),
    line: begin.line + 1,
    column: begin.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    rule: finding.rule,
    code: DIAGNOSTIC_CODES[finding.rule],
    severity: severity === 'error' ? 'error' : 'warning',
    message: messageText(finding.rule, finding.messageId, finding.data),
  };
}

/** One file parsed on its own, as the compiler would parse it; a file that cannot be read is misuse. */
function parseOnly(fileName: string, options: TypeScript.CompilerOptions): TypeScript.SourceFile {
  const text = ts.sys.readFile(fileName);
  if (text === undefined) throw new UsageError(`cannot read ${fileName}`);
  return ts.createSourceFile(fileName, text, { languageVersion: options.target ?? ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true);
}

/**
 * The project's own source files as the compiler would take them, without compiling: the root files
 * and, transitively, every local file they import (resolved with the tsconfig's options; packages
 * and declaration files are left out), each parsed on its own.
 */
function parseOnlyFiles(parsed: TypeScript.ParsedCommandLine): TypeScript.SourceFile[] {
  const files = new Map<string, TypeScript.SourceFile>();
  const pending = [...parsed.fileNames];
  const cache = ts.createModuleResolutionCache(process.cwd(), (name) => name, parsed.options);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (files.has(name)) continue;
    const source = parseOnly(name, parsed.options);
    files.set(name, source);
    for (const imported of ts.preProcessFile(source.text, true, true).importedFiles) {
      const resolved = ts.resolveModuleName(imported.fileName, name, parsed.options, ts.sys, cache).resolvedModule;
      if (resolved === undefined || resolved.isExternalLibraryImport === true || resolved.resolvedFileName.endsWith('.d.ts') || /\.d\.[cm]?ts$/.test(resolved.resolvedFileName)) continue;
      if (!files.has(resolved.resolvedFileName)) pending.push(resolved.resolvedFileName);
    }
  }
  return [...files.values()];
}

export interface CheckResult {
  readonly findings: readonly Finding[];
  readonly projects: number;
  readonly files: number;
  /** Problems of the tsconfigs that do not stop the check, one line each. */
  readonly warnings: readonly string[];
  /** What the project's setup means for the other tools, one line each. */
  readonly notes: readonly string[];
}

/** Checks the projects; throws `UsageError` for a missing or broken tsconfig or plugin entry. */
export function check(projectPaths: readonly string[], { typeAware = false, rules }: { typeAware?: boolean; rules?: Arguments['rules'] } = {}, cwd = process.cwd()): CheckResult {
  const projects = collectProjects(projectPaths);
  const findings = new Map<string, Finding>();
  const files = new Set<string>();
  const warnings: string[] = [];
  const notes: string[] = [];
  for (const project of projects) {
    const warning = entryWarning(project, cwd);
    if (warning !== undefined) warnings.push(warning);
    const note = typeScript7Note(project, cwd);
    if (note !== undefined) notes.push(note);
    let options;
    try {
      options = resolveOptions(transformerConfig(project.parsed.options, rules));
    } catch (error) {
      if (error instanceof TransformerOptionsError) throw new UsageError(`${relative(cwd, project.configPath)}: ${error.message}`);
      throw error;
    }
    if (project.parsed.fileNames.length === 0) continue;
    const cwdOfProject = dirname(project.configPath);
    const report = (source: TypeScript.SourceFile, found: readonly CoreFinding[]): void => {
      files.add(source.fileName);
      for (const finding of found) {
        const level = options.severity[finding.rule as RuleId];
        if (level === 'off') continue;
        // A file in two projects is reported once; distinct findings at one place all are.
        findings.set(`${source.fileName}:${finding.start}:${finding.length}:${finding.rule}:${finding.messageId}:${JSON.stringify(finding.data)}`, toFinding(source, finding, level, cwd));
      }
    };
    if (!typeAware) {
      for (const source of parseOnlyFiles(project.parsed)) report(source, checkSourceFile(source, { ts, checker: undefined, options, cwd: cwdOfProject }).findings);
      continue;
    }
    const program = programOf(project);
    const checks = programChecks(ts, program, options);
    // Like tspc: every source file of the program, the imported ones too, not only the roots.
    for (const source of program.getSourceFiles()) {
      if (source.isDeclarationFile || program.isSourceFileFromExternalLibrary(source)) continue;
      report(source, checks.of(source).findings);
    }
  }
  const sorted = [...findings.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.code - b.code));
  return { findings: sorted, projects: projects.length, files: files.size, warnings, notes };
}

function version(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The OpenAPI document of one project, from a program with full type information (schemas need it). */
function writeOpenApi(projectPath: string, file: string, cwd: string): void {
  const [project] = collectProjects([projectPath]);
  if (project === undefined) throw new UsageError(`--openapi: cannot read ${projectPath}`);
  const options = resolveOptions(transformerConfig(project.parsed.options, undefined));
  const { document, skipped } = generateOpenApi(ts, programOf(project), { modules: options.modules });
  try {
    writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`cannot write --openapi ${relative(cwd, file)}: ${(error as Error).message}`);
  }
  for (const endpoint of skipped) process.stderr.write(`${relative(cwd, endpoint.fileName)}:${endpoint.line}:${endpoint.column} ${endpoint.name}: not in the OpenAPI document: ${endpoint.reason}\n`);
}

/** Runs the CLI; returns the exit code. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  try {
    const args = parseArguments(argv);
    if (args.help) {
      process.stdout.write(HELP);
      return 0;
    }
    let projects = args.projects;
    if (projects.length === 0) {
      const found = ts.findConfigFile(cwd, ts.sys.fileExists);
      if (found === undefined) throw new UsageError(`no tsconfig.json in ${cwd} or above; pass -p <tsconfig.json>`);
      projects = [found];
    }
    const result = check(projects, { typeAware: args.typeAware, ...(args.rules === undefined ? {} : { rules: args.rules }) }, cwd);
    for (const warning of result.warnings) process.stderr.write(`isolation-check: warning: ${warning}\n`);
    for (const note of result.notes) process.stderr.write(`isolation-check: note: ${note}\n`);
    const report = args.format === 'json' ? json(result.findings) : args.format === 'sarif' ? sarif(result.findings, { version: version() }, cwd) : stylish(result.findings, result);
    if (args.output === undefined) process.stdout.write(report);
    else {
      try {
        writeFileSync(resolve(cwd, args.output), report);
      } catch (error) {
        throw new UsageError(`cannot write --output ${args.output}: ${(error as Error).message}`);
      }
    }
    if (args.openapi !== undefined) writeOpenApi(projects[0] as string, resolve(cwd, args.openapi), cwd);
    return result.findings.some((finding) => finding.severity === 'error') ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`isolation-check: ${error.message}\nRun isolation-check --help for usage.\n`);
    return 2;
  }
}

if (isMain(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
