/** The rules about code rather than declarations: ad-hoc clients, literal table names, env reads. */
import { matchesAnyGlob } from './glob.js';
import type { ClientConstruction, Declared } from './model.js';
import type { Violation } from './violation.js';

export interface AllowOptions {
  /** File patterns where the rule does not apply (the factory itself, the config module). */
  readonly allow?: readonly string[];
}

export interface FileContext {
  readonly filename: string;
  readonly cwd: string;
}

const CLIENT_MODULE = /^@aws-sdk\/client-[a-z0-9-]+$/;
const DOCUMENT_MODULE = '@aws-sdk/lib-dynamodb';

export function isAwsClientConstruction(construction: ClientConstruction): boolean {
  if (construction.module === DOCUMENT_MODULE) return construction.className === 'DynamoDBDocumentClient';
  return construction.form === 'new' && CLIENT_MODULE.test(construction.module) && construction.className.endsWith('Client');
}

/** `new XClient(…)` from `@aws-sdk/client-*`, or `DynamoDBDocumentClient.from(…)`, outside allowed files. */
export function checkAwsClientConstruction(construction: ClientConstruction, file: FileContext, options: AllowOptions = {}): Violation[] {
  if (!isAwsClientConstruction(construction) || matchesAnyGlob(file.filename, options.allow ?? [], file.cwd)) return [];
  const isDocument = construction.className === 'DynamoDBDocumentClient';
  return [
    {
      rule: 'no-adhoc-aws-client',
      messageId: 'adhocClient',
      data: {
        construction: construction.form === 'new' ? `new ${construction.className}(…)` : `${construction.className}.from(…)`,
        replacement: isDocument || construction.className === 'DynamoDBClient' ? 'dynamo()' : `client(${construction.className})`,
      },
      target: { kind: 'node' },
    },
  ];
}

/** A `TableName` whose value is a string literal. */
export function checkTableName(value: Declared<string>): Violation[] {
  if (value.kind !== 'known') return [];
  return [{ rule: 'no-literal-table-name', messageId: 'literalTableName', data: { name: value.value }, target: { kind: 'node' } }];
}

/** A read of `process.env` outside allowed files. */
export function checkEnvRead(file: FileContext, options: AllowOptions = {}): Violation[] {
  if (matchesAnyGlob(file.filename, options.allow ?? [], file.cwd)) return [];
  return [{ rule: 'no-env-config', messageId: 'envRead', data: {}, target: { kind: 'node' } }];
}
