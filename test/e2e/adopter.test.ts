/**
 * The product as a new user meets it: every package packed with `npm pack`, installed into fresh
 * projects outside this repository (nothing resolves from its node_modules, and no bin of its is on
 * the PATH), one per supported TypeScript setup, with the README's install commands, scripts and
 * config snippets pasted verbatim. Needs the npm registry (third-party packages come from npm's cache
 * when `npm ci` already fetched them).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_CATALOG, isRuleId } from '@isolation/core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const INSTALL_TIMEOUT = 300_000;

/** The fenced block right after `<!-- adopter:<name> -->` in the README. */
function readmeBlock(name: string): string {
  const match = new RegExp(`<!-- adopter:${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(README);
  if (match?.[1] === undefined) throw new Error(`README.md has no block marked <!-- adopter:${name} -->`);
  return match[1];
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A user's shell: no npm_* variables of the `npm test` that runs us, and no PATH entry inside this
 * repository except the directory of the Node binary running the tests (Node 24).
 */
function userEnvironment(isolation: string): NodeJS.ProcessEnv {
  const path = [dirname(process.execPath), ...(process.env['PATH'] ?? '').split(delimiter).filter((entry) => entry !== '' && !resolve(entry).startsWith(ROOT + sep))];
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== 'INIT_CWD' && key !== 'NODE_OPTIONS') env[key] = value;
  return { ...env, PATH: path.join(delimiter), ISOLATION: isolation, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_prefer_offline: 'true', CI: 'true' };
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done) => {
    execFile('bash', ['-c', command], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

async function ok(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const result = await run(command, cwd, env);
  if (result.code !== 0) throw new Error(`\`${command}\` in ${cwd} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly ruleId: string;
}

const key = (finding: Finding): string => `${finding.file}:${finding.line} ${finding.ruleId}`;
const EXPECTED_STRICT = (JSON.parse(readFileSync(join(ROOT, 'examples/violations/expected.json'), 'utf8')) as Finding[]).map(key).sort();
/** What plain `tsc` reports of the same file: the mistakes the decorators' types can see (ADR 0019). */
const EXPECTED_BY_TYPES = (JSON.parse(readFileSync(join(ROOT, 'examples/violations/expected-types.json'), 'utf8')) as Finding[]).map(key).sort();
/** What `recommended` reports of the same file: the rules it leaves off are silent. */
const EXPECTED_RECOMMENDED = (JSON.parse(readFileSync(join(ROOT, 'examples/violations/expected.json'), 'utf8')) as Finding[])
  .filter((finding) => {
    const id = finding.ruleId.replace('@isolation/', '');
    return isRuleId(id) && RULE_CATALOG[id].levels.recommended !== 'off';
  })
  .map(key)
  .sort();

function eslintFindings(stdout: string): string[] {
  const results = JSON.parse(stdout) as { filePath: string; messages: { line: number; ruleId: string | null; message: string }[] }[];
  return results.flatMap((result) => result.messages.map((message) => key({ file: result.filePath.split(sep).slice(-2).join('/'), line: message.line, ruleId: message.ruleId ?? `fatal: ${message.message}` }))).sort();
}

/** tsc-style lines, as `tspc` and `isolation-check` print them. */
function compilerFindings(output: string): string[] {
  return [...output.matchAll(/^(\S+)\((\d+),\d+\): (?:error|warning) TS\d+: \[(@isolation\/[a-z-]+)\]/gm)].map((match) => key({ file: match[1] ?? '', line: Number(match[2]), ruleId: match[3] ?? '' })).sort();
}

function checkFindings(stdout: string): string[] {
  return (JSON.parse(stdout) as { file: string; line: number; rule: string }[]).map((finding) => key({ file: finding.file, line: finding.line, ruleId: finding.rule })).sort();
}

/** Versions this repository already installed, so the projects install them from npm's cache. */
const installed = (name: string): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const HARNESS_DEPENDENCIES = ['@types/node', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', 'dynalite'].map((name) => `${name}@${installed(name)}`).join(' ');

const RUNTIME_SMOKE = `
import dynalite from 'dynalite';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { capsuleId, tenantId } from '@isolation/runtime';
import { createClientFactory, IsolationViolationError } from '@isolation/runtime/aws';

const server = dynalite({ createTableMs: 0 });
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const endpoint = 'http://127.0.0.1:' + server.address().port;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const aws = createClientFactory({ region: 'us-east-1', endpoint, credentials, tables: ['platform_data'] });
const dev = aws.capsule(tenantId('acme'), capsuleId('DEV'));
const raw = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials });
await raw.send(new CreateTableCommand({ TableName: dev.table('platform_data'), BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
const Key = { pk: dev.keyPrefix + 'ROLE#r1', sk: 'METADATA' };
await dev.dynamo().send(new PutCommand({ TableName: dev.table('platform_data'), Item: { ...Key, name: 'admin' } }));
const read = await dev.dynamo().send(new GetCommand({ TableName: dev.table('platform_data'), Key }));
let refused = 'not refused';
try {
  await dev.dynamo().send(new GetCommand({ TableName: dev.table('platform_data'), Key: { pk: 'TENANT#globex#CAPSULE#DEV#ROLE#r1', sk: 'METADATA' } }));
} catch (error) {
  refused = error instanceof IsolationViolationError ? 'refused: ' + error.rule : 'other error: ' + error;
}
console.log(JSON.stringify({ table: dev.table('platform_data'), name: read.Item?.name, refused }));
raw.destroy();
server.close();
`;

interface Setup {
  readonly number: 1 | 2 | 3;
  readonly lint: boolean;
  readonly tspc: boolean;
}

const SETUPS: readonly Setup[] = [
  { number: 1, lint: true, tspc: true },
  { number: 2, lint: true, tspc: true },
  { number: 3, lint: false, tspc: false },
];

let workspace: string;
let packages: string;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'isolation-adopter-'));
  expect(resolve(workspace).startsWith(ROOT)).toBe(false);
  packages = join(workspace, 'packages');
  mkdirSync(packages);
  await ok(`npm pack --workspaces --pack-destination ${JSON.stringify(packages)}`, ROOT, { ...process.env });
}, INSTALL_TIMEOUT);

afterAll(() => {
  if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
});

/** An example copied into a folder of the project, with the README's tsconfig plugins and an ESLint config snippet. */
function addExample(project: string, folder: string, example: 'violations' | 'crm', eslintSnippet: string | undefined, scripts: Record<string, string>): string {
  const target = join(project, folder);
  cpSync(join(ROOT, 'examples', example, 'src'), join(target, 'src'), { recursive: true });
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'examples', example, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
  const snippet = JSON.parse(readmeBlock('tsconfig-plugins')) as { compilerOptions: { plugins: unknown[] } };
  tsconfig.compilerOptions['plugins'] = snippet.compilerOptions.plugins;
  writeFileSync(join(target, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  if (eslintSnippet !== undefined) writeFileSync(join(target, 'eslint.config.js'), `${eslintSnippet}\n`);
  // Its own package.json with the README's scripts; dependencies resolve from the project above.
  writeFileSync(join(target, 'package.json'), JSON.stringify({ name: `adopter-${folder}`, private: true, type: 'module', scripts }, null, 2));
  // Scripts that name node_modules/… by path run here as at a project's root.
  symlinkSync(join(project, 'node_modules'), join(target, 'node_modules'), 'dir');
  return target;
}

describe.each(SETUPS)('a new project on TypeScript setup $number, installed from tarballs as the README says', (setup) => {
  let project: string;
  let env: NodeJS.ProcessEnv;
  const folder = (name: string): string => join(project, name);

  beforeAll(async () => {
    project = join(workspace, `setup-${setup.number}`);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `adopter-setup-${setup.number}`, private: true, type: 'module' }, null, 2));
    env = userEnvironment(packages);
    for (const command of readmeBlock(`install-${setup.number}`).split('\n').filter((line) => line.trim() !== '')) await ok(command, project, env);
    await ok(`npm install --save-dev ${HARNESS_DEPENDENCIES}`, project, env);
    const { scripts } = JSON.parse(readmeBlock(`scripts-${setup.number}`)) as { scripts: Record<string, string> };
    const recommended = setup.lint ? readmeBlock('eslint-recommended') : undefined;
    const typed = setup.lint ? readmeBlock('eslint-strict-type-checked') : undefined;
    addExample(project, 'violations', 'violations', recommended, scripts);
    addExample(project, 'violations-typed', 'violations', typed, scripts);
    addExample(project, 'crm', 'crm', typed, scripts);
  }, INSTALL_TIMEOUT);

  it('installs our packages from the tarballs only, never from the registry', async () => {
    const { stdout } = await ok('npm ls --all --json @isolation/runtime @isolation/eslint-plugin @isolation/ts-transformer-entities', project, env);
    const resolved = [...stdout.matchAll(/"resolved": "([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(resolved.length).toBeGreaterThan(0);
    for (const source of resolved) expect(source).toMatch(/^file:/);
  });

  it('isolation-check (npm exec --no) finds exactly the expected violations and passes the CRM', async () => {
    const violations = await run('npm exec --no -- isolation-check -p violations/tsconfig.json --format json', project, env);
    expect(violations.code, violations.stderr).toBe(1);
    expect(checkFindings(violations.stdout).map((finding) => finding.replace(/^violations\//, ''))).toEqual(EXPECTED_STRICT);
    const typeAware = await run('npm run --silent isolation -- --type-aware --format json', folder('violations'), env);
    expect(typeAware.code, typeAware.stderr).toBe(1);
    expect(checkFindings(typeAware.stdout)).toEqual(EXPECTED_STRICT);
    const crm = await run('npm run isolation', folder('crm'), env);
    expect(crm.code, crm.stdout + crm.stderr).toBe(0);
    expect(crm.stdout).toContain('isolation-check: no findings');
    // Only where the project's compiler is TypeScript 7 does the checker say it is the only gate.
    const note = /isolation-check: note: tsconfig\.json: this project's typescript is 7\.\d+\.\d+, whose tsc ignores compilerOptions\.plugins and which tspc \(ts-patch\) cannot run/;
    if (setup.number === 3) expect(crm.stderr).toMatch(note);
    else expect(crm.stderr).not.toMatch(/isolation-check: note:/);
  });

  it('isolation-migrate rewrites the legacy endpoint in a dry run', async () => {
    const result = await run('npm exec --no -- isolation-migrate -p violations/tsconfig.json --dry-run', project, env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\+.*pathParams/m);
  });

  it('runs the runtime against DynamoDB (dynalite): in-scope writes work, another tenant is refused', async () => {
    writeFileSync(join(project, 'runtime-smoke.mjs'), RUNTIME_SMOKE);
    const { stdout } = await ok('node runtime-smoke.mjs', project, env);
    expect(JSON.parse(stdout)).toEqual({ table: 'DEV.platform_data', name: 'admin', refused: expect.stringMatching(/^refused: /) });
  });

  if (setup.lint) {
    it('installs the ESLint plugin without the runtime’s AWS and JWT dependencies, ts-morph or a TypeScript of its own', async () => {
      const { stdout } = await ok('npm ls --all --json', project, env);
      interface Tree { readonly dependencies?: Readonly<Record<string, Tree>> }
      const plugin = (JSON.parse(stdout) as Tree).dependencies?.['@isolation/eslint-plugin'];
      expect(plugin).toBeDefined();
      const names = new Set<string>();
      const walk = (tree: Tree | undefined): void => {
        for (const [name, child] of Object.entries(tree?.dependencies ?? {})) {
          names.add(name);
          walk(child);
        }
      };
      walk(plugin);
      expect(names.has('@isolation/core')).toBe(true);
      expect([...names].filter((name) => /^(@aws-sdk\/|@smithy\/|jose$|lru-cache$|ts-morph$|@ts-morph\/|@isolation\/(runtime|ts-transformer-entities)$)/.test(name))).toEqual([]);
      // Its typescript is a peer: the project's own, never a copy of its own.
      const copies = await ok("find node_modules -path '*/node_modules/typescript/package.json' -not -path 'node_modules/typescript/package.json'", project, env);
      expect(copies.stdout.trim()).toBe('');
    });

    it('ESLint with the README’s recommended config reports every violation it enables, at the right lines', async () => {
      const result = await run('npm run --silent lint -- --format json', folder('violations'), env);
      expect(result.code, result.stderr).toBe(1);
      expect(eslintFindings(result.stdout).map((finding) => finding.replace(/^violations\//, ''))).toEqual(EXPECTED_RECOMMENDED);
    });

    it('ESLint with the README’s strict-type-checked config finds exactly the expected violations and passes the CRM', async () => {
      const violations = await run('npm run --silent lint -- --format json', folder('violations-typed'), env);
      expect(violations.code, violations.stderr).toBe(1);
      expect(eslintFindings(violations.stdout).map((finding) => finding.replace(/^violations-typed\//, ''))).toEqual(EXPECTED_STRICT);
      const crm = await run('npm run lint', folder('crm'), env);
      expect(crm.code, crm.stdout + crm.stderr).toBe(0);
    });
  }

  if (setup.tspc) {
    it('tspc fails the violations like type errors and builds the CRM', async () => {
      const violations = await run('npm run typecheck', folder('violations'), env);
      expect(violations.code).not.toBe(0);
      expect(compilerFindings(violations.stdout)).toEqual(EXPECTED_STRICT);
      const crm = await run('npm run typecheck', folder('crm'), env);
      expect(crm.code, crm.stdout + crm.stderr).toBe(0);
    });
  }

  if (setup.number !== 1) {
    it('TypeScript 7’s own tsc compiles the CRM against the installed runtime', async () => {
      const result = await run('npm run build', folder('crm'), env);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const version = await ok(setup.number === 2 ? 'node node_modules/typescript-7/bin/tsc -v' : 'npm exec --no -- tsc -v', project, env);
      expect(version.stdout).toMatch(/Version 7\./);
    });
  }

  if (setup.number !== 1) {
    it('TypeScript 7’s own tsc fails the violations that types can see, each naming its rule id', async () => {
      const result = await run('npm run --silent build -- --pretty false', folder('violations'), env);
      expect(result.code).not.toBe(0);
      // One diagnostic per entry (continuation lines are indented); one without a rule id shows its text.
      const byTypes = result.stdout
        .split(/\r?\n(?=\S)/)
        .filter((text) => text.trim() !== '')
        .map((text) => {
          const match = /^(\S+)\((\d+),\d+\): error TS\d+: [\s\S]*?\[(@isolation\/[a-z-]+)\]/.exec(text);
          return match === null ? text : key({ file: match[1] ?? '', line: Number(match[2]), ruleId: match[3] ?? '' });
        });
      expect(byTypes.sort()).toEqual(EXPECTED_BY_TYPES);
    });
  }

  if (setup.number === 3) {
    it('has no TypeScript 6 anywhere: the CLIs carried their own parser', () => {
      const typescript = JSON.parse(readFileSync(join(project, 'node_modules/typescript/package.json'), 'utf8')) as { version: string };
      expect(typescript.version).toMatch(/^7\./);
      expect(existsSync(join(project, 'node_modules/ts-patch'))).toBe(false);
      expect(existsSync(join(project, 'node_modules/@typescript-eslint'))).toBe(false);
    });
  }
});
