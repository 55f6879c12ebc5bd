/** The rules about code rather than declarations: ad-hoc clients, literal table names, env reads. */
import { matchesAnyGlob } from './glob.js';
import type { ClientConstruction, Declared } from './model.js';
import type { Violation } from './violation.js';

export interface AllowOptions {
  /** File patterns where the rule does not apply (the factory itself, the config module). */
  readonly allow?: readonly string[];
  /**
   * Matches a path relative to `cwd` against one pattern. The front-ends pass minimatch; the core
   * stays free of dependencies. Defaults to the core's own small glob matcher.
   */
  readonly match?: GlobMatcher;
}

export type GlobMatcher = (relativePath: string, pattern: string) => boolean;

export interface FileContext {
  readonly filename: string;
  readonly cwd: string;
}

const CLIENT_MODULE = /^@aws-sdk\/client-([a-z0-9-]+)$/;
const DOCUMENT_MODULE = '@aws-sdk/lib-dynamodb';
const DOCUMENT_CLIENTS: ReadonlySet<string> = new Set(['DynamoDBDocumentClient', 'DynamoDBDocument']);

const comparable = (name: string): string => name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();

/**
 * A client class: `XClient` of a `@aws-sdk/client-*` module, its aggregated client (the service
 * name itself: `DynamoDB`, `S3`, `SecretsManager`), or lib-dynamodb's Document clients.
 */
export function isAwsClientClass(module: string, className: string): boolean {
  if (module === DOCUMENT_MODULE) return DOCUMENT_CLIENTS.has(className);
  const service = CLIENT_MODULE.exec(module)?.[1];
  return service !== undefined && (className.endsWith('Client') || comparable(className) === comparable(service));
}

export function isAwsClientConstruction(construction: ClientConstruction): boolean {
  if (!isAwsClientClass(construction.module, construction.className)) return false;
  // A Document client over a scope's client shares that client's guarded middleware stack.
  if (construction.form === 'from') return DOCUMENT_CLIENTS.has(construction.className) && construction.fromScopeClient !== true;
  return true;
}

/** Whether `filename` is one of the files `allow` names, relative to `cwd`. */
export function isAllowedFile(file: FileContext, options: AllowOptions): boolean {
  const patterns = options.allow ?? [];
  if (patterns.length === 0) return false;
  if (options.match === undefined) return matchesAnyGlob(file.filename, patterns, file.cwd);
  const normalized = file.filename.replace(/\\/g, '/');
  const base = file.cwd.replace(/\\/g, '/').replace(/\/?$/, '/');
  const relative = normalized.startsWith(base) ? normalized.slice(base.length) : normalized;
  const match = options.match;
  return patterns.some((pattern) => match(relative, pattern.replace(/^\.\//, '')));
}

/** A client built outside the scope factory (`new XClient(…)`, `new DynamoDB(…)`, a Document client of one), outside allowed files. */
export function checkAwsClientConstruction(construction: ClientConstruction, file: FileContext, options: AllowOptions = {}): Violation[] {
  if (!isAwsClientConstruction(construction) || isAllowedFile(file, options)) return [];
  const isDynamo = DOCUMENT_CLIENTS.has(construction.className) || construction.className === 'DynamoDBClient' || construction.className === 'DynamoDB';
  const clientClass = construction.className.endsWith('Client') ? construction.className : `${construction.className}Client`;
  return [
    {
      rule: 'no-adhoc-aws-client',
      messageId: 'adhocClient',
      data: {
        construction: construction.form === 'new' ? `new ${construction.className}(…)` : `${construction.className}.from(…)`,
        replacement: isDynamo ? 'dynamo()' : `client(${clientClass})`,
      },
      target: { kind: 'node' },
    },
  ];
}

/** A `TableName` whose value is a string literal. */
export function checkTableName(value: Declared<string>): Violation[] {
  if (value.kind !== 'known') return [];
  // `<capsule>.<logical>` is the factory's physical name of one capsule's table: '.' is in no id and
  // no logical name, so the logical name is what follows it.
  const dot = value.value.indexOf('.');
  if (dot > 0 && dot < value.value.length - 1) {
    return [{ rule: 'no-literal-table-name', messageId: 'physicalTableName', data: { name: value.value, owner: value.value.slice(0, dot), logical: value.value.slice(dot + 1) }, target: { kind: 'node' } }];
  }
  return [{ rule: 'no-literal-table-name', messageId: 'literalTableName', data: { name: value.value }, target: { kind: 'node' } }];
}

/** A read of `process.env` outside allowed files. */
export function checkEnvRead(file: FileContext, options: AllowOptions = {}): Violation[] {
  if (isAllowedFile(file, options)) return [];
  return [{ rule: 'no-env-config', messageId: 'envRead', data: {}, target: { kind: 'node' } }];
}
