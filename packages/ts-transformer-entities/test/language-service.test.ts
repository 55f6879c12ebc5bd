/**
 * The language-service plugin through TypeScript's language-service API, loaded by name the way
 * the editor's TypeScript server loads it (`resolveJSModule`, then `require`), and in the real
 * TypeScript server (`tsserver.js`) on a fixture project, as editors run it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const DIR = join(import.meta.dirname, '.generated', `language-service-${process.pid}`);
const FILE = join(DIR, 'role.ts');

const VALID = `import { Entity, CapsuleIsolated, type TenantId, type CapsuleId } from '@isolation/runtime';
@Entity({ table: 'platform_data', pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ROLE#{id}' })
@CapsuleIsolated()
export class RoleAssignment { tenantId!: TenantId; capsuleId!: CapsuleId; id!: string; }
`;
const INVALID = VALID.replace(' capsuleId!: CapsuleId;', '');

type PluginFactory = (modules: { typescript: typeof ts }) => { create(info: { languageService: ts.LanguageService; config: object }): ts.LanguageService };

const LANGUAGE_SERVICE = '@isolation/ts-transformer-entities/language-service';
const STRICT_TRANSFORM = { transform: '@isolation/ts-transformer-entities', transformProgram: true, rules: 'strict' };
/** no-env-config is in the strict set only. */
const ENV_READ = `${VALID}export const region = process.env['AWS_REGION'];\n`;

/** `plugins` are the tsconfig's `compilerOptions.plugins`, as the editor's program carries them. */
function editor(config: object, plugins: readonly object[] = [config]): { service: ts.LanguageService; edit(text: string): void } {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'package.json'), '{ "type": "module" }');
  let text = INVALID;
  let version = 0;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2023.d.ts', 'lib.esnext.decorators.d.ts'],
    plugins: plugins as ts.PluginImport[],
  };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [FILE],
    getScriptVersion: (name) => (name === FILE ? String(version) : '0'),
    getScriptSnapshot: (name) => {
      const content = name === FILE ? text : ts.sys.readFile(name);
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
    },
    getCurrentDirectory: () => DIR,
    getDefaultLibFileName: (settings) => ts.getDefaultLibFilePath(settings),
    fileExists: (name) => name === FILE || ts.sys.fileExists(name),
    readFile: (name) => (name === FILE ? text : ts.sys.readFile(name)),
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  };
  // Internal to TypeScript, but exactly what the TypeScript server's plugin loader resolves names with.
  const { resolveJSModule } = ts as unknown as { resolveJSModule(name: string, from: string, host: ts.System): string };
  const resolved = resolveJSModule('@isolation/ts-transformer-entities/language-service', DIR, ts.sys);
  const factory = require(resolved) as PluginFactory;
  const service = factory({ typescript: ts }).create({ languageService: ts.createLanguageService(host), config });
  return {
    service,
    edit(next) {
      text = next;
      version += 1;
    },
  };
}

const ours = (service: ts.LanguageService): string[] =>
  service
    .getSemanticDiagnostics(FILE)
    .filter((diagnostic) => diagnostic.code >= 91001 && diagnostic.code <= 91010)
    .map((diagnostic) => `${diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line ?? -1} ${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').slice(0, 30)}`);

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('language-service plugin (TypeScript language-service API, loaded by name like tsserver)', () => {
  it('shows the diagnostics tspc fails on, and follows edits', () => {
    const { service, edit } = editor({ name: '@isolation/ts-transformer-entities/language-service' });
    expect(ours(service)).toEqual(['3 91002 [@isolation/capsule-id-field] ']);
    edit(VALID);
    expect(ours(service)).toEqual([]);
    expect(service.getSemanticDiagnostics(FILE)).toEqual([]);
    edit(INVALID);
    expect(ours(service)).toEqual(['3 91002 [@isolation/capsule-id-field] ']);
  });

  it('takes the same options as the transformer', () => {
    const { service, edit } = editor({ severity: { 'capsule-id-field': 'warn' } });
    expect(service.getSemanticDiagnostics(FILE).map((diagnostic) => diagnostic.category)).toEqual([ts.DiagnosticCategory.Warning]);
    edit(VALID.replace('@CapsuleIsolated()\n', ''));
    expect(ours(service).map((line) => line.split(' ')[1])).toEqual(['91001']);
  });

  it('without options of its own, takes those of the tsconfig\'s transform entry (there strict: no-env-config)', () => {
    const { service, edit } = editor({ name: LANGUAGE_SERVICE }, [STRICT_TRANSFORM, { name: LANGUAGE_SERVICE }]);
    edit(ENV_READ);
    expect(ours(service)).toEqual(['4 91010 [@isolation/no-env-config] `pr']);
    // Its own options win over the transform entry's.
    const own = editor({ name: LANGUAGE_SERVICE, rules: 'recommended' }, [STRICT_TRANSFORM, { name: LANGUAGE_SERVICE, rules: 'recommended' }]);
    own.edit(ENV_READ);
    expect(ours(own.service)).toEqual([]);
    // No transform entry: the recommended set, which leaves process.env alone.
    const alone = editor({ name: LANGUAGE_SERVICE });
    alone.edit(ENV_READ);
    expect(ours(alone.service)).toEqual([]);
  });

  it('leaves the editor working when its entry is misconfigured', () => {
    const { service } = editor({ rules: 'everything' });
    expect(ours(service)).toEqual([]);
    expect(service.getQuickInfoAtPosition(FILE, INVALID.indexOf('RoleAssignment'))?.kind).toBe('class');
  });
});

interface ServerDiagnostic {
  readonly start: { readonly line: number };
  readonly code: number;
  readonly text: string;
}

/** The semantic diagnostics the real TypeScript server reports for `file`, as an editor asks for them. */
async function tsserverDiagnostics(file: string): Promise<ServerDiagnostic[]> {
  const tsserver = join(dirname(require.resolve('typescript/package.json')), 'lib/tsserver.js');
  const server = spawn(process.execPath, [tsserver, '--disableAutomaticTypingAcquisition'], { cwd: dirname(file), stdio: ['pipe', 'pipe', 'inherit'] });
  let buffered = '';
  try {
    return await new Promise<ServerDiagnostic[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tsserver gave no diagnostics in 60 s; it said:\n${buffered}`)), 60_000);
      server.on('error', reject);
      server.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        // Messages are `Content-Length: n` headers, each followed by one JSON line.
        for (const line of buffered.split(/\r?\n/)) {
          if (!line.startsWith('{')) continue;
          const message = JSON.parse(line) as { type: string; request_seq?: number; success?: boolean; body?: ServerDiagnostic[]; message?: string };
          if (message.type !== 'response' || message.request_seq !== 2) continue;
          clearTimeout(timer);
          if (message.success !== true) reject(new Error(`tsserver: ${message.message ?? 'request failed'}`));
          else resolve(message.body ?? []);
        }
      });
      const send = (seq: number, command: string, args: object): boolean => server.stdin.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
      send(1, 'open', { file, projectRootPath: dirname(file) });
      send(2, 'semanticDiagnosticsSync', { file });
    });
  } finally {
    server.kill();
  }
}

describe('language-service plugin in the real TypeScript server (tsserver.js), as editors run it', () => {
  it('with only the transform entry carrying options ("rules": "strict"), the editor reports the strict set', async () => {
    const project = join(DIR, 'tsserver');
    const file = join(project, 'config.ts');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }');
    const tsconfig = (transform: object): string =>
      JSON.stringify({ compilerOptions: { target: 'es2023', lib: ['es2023', 'esnext.decorators'], module: 'nodenext', strict: true, skipLibCheck: true, types: [], plugins: [transform, { name: LANGUAGE_SERVICE }] }, files: ['config.ts'] });
    writeFileSync(file, ENV_READ);
    writeFileSync(join(project, 'tsconfig.json'), tsconfig(STRICT_TRANSFORM));
    const strict = await tsserverDiagnostics(file);
    expect(strict.filter((diagnostic) => diagnostic.code >= 91000 && diagnostic.code <= 91099).map((diagnostic) => `${diagnostic.start.line} ${diagnostic.code} ${diagnostic.text.slice(0, 26)}`)).toEqual([
      '5 91010 [@isolation/no-env-config]',
    ]);
    writeFileSync(join(project, 'tsconfig.json'), tsconfig({ ...STRICT_TRANSFORM, rules: 'recommended' }));
    const recommended = await tsserverDiagnostics(file);
    expect(recommended.filter((diagnostic) => diagnostic.code >= 91000 && diagnostic.code <= 91099)).toEqual([]);
    // The server did type-check the file: its own diagnostics are there (no `process` without @types/node).
    expect(recommended.map((diagnostic) => diagnostic.code)).toContain(2591);
  });
});

