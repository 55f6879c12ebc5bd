/**
 * The language-service plugin through TypeScript's language-service API, loaded by name the way
 * the editor's TypeScript server loads it (`resolveJSModule`, then `require`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
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

function editor(config: object): { service: ts.LanguageService; edit(text: string): void } {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'package.json'), '{ "type": "module" }');
  let text = INVALID;
  let version = 0;
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, strict: true, skipLibCheck: true, types: [], lib: ['lib.es2023.d.ts', 'lib.esnext.decorators.d.ts'] };
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

  it('leaves the editor working when its entry is misconfigured', () => {
    const { service } = editor({ rules: 'everything' });
    expect(ours(service)).toEqual([]);
    expect(service.getQuickInfoAtPosition(FILE, INVALID.indexOf('RoleAssignment'))?.kind).toBe('class');
  });
});
