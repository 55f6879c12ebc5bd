/**
 * A small Secrets Manager endpoint on 127.0.0.1 speaking the AWS JSON 1.1 protocol the installed
 * `@aws-sdk/client-secrets-manager` uses (`X-Amz-Target: secretsmanager.<Operation>`), with an
 * in-memory store and every request recorded. It runs CreateSecret, GetSecretValue,
 * BatchGetSecretValue, DescribeSecret, PutSecretValue, UpdateSecret, UpdateSecretVersionStage,
 * DeleteSecret (scheduled or forced), RestoreSecret, ListSecrets, ListSecretVersionIds, the tag
 * calls and GetRandomPassword; anything else is an `UnknownOperationException`.
 *
 * It reads secret ids as Secrets Manager does: a name, a complete ARN
 * (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf`), or a partial ARN (without the
 * six random characters) that matches exactly one secret. Versions carry staging labels
 * (`AWSCURRENT`, `AWSPREVIOUS`). List filters follow the API's description: `name`, `tag-key`,
 * `tag-value` are case-sensitive prefix matches, `description` and `all` case-insensitive word
 * matches; a value starting with `!` negates; one filter's values are ORed, filters are ANDed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { pageOf, ServiceError, startJsonProtocolServer, type JsonOperationHandler, type JsonProtocolServer, type LocalAccountOptions } from './json-protocol-server.js';

export type SecretsManagerServerOptions = LocalAccountOptions;
export type SecretsManagerServer = JsonProtocolServer;

interface SecretVersion {
  readonly id: string;
  readonly string: string | undefined;
  /** Base64, as the JSON protocol carries blobs. */
  readonly binary: string | undefined;
  readonly created: number;
  stages: string[];
}

interface Secret {
  readonly name: string;
  readonly arn: string;
  description: string | undefined;
  kmsKeyId: string | undefined;
  readonly tags: Map<string, string>;
  readonly versions: SecretVersion[];
  readonly created: number;
  changed: number;
  deleted: number | undefined;
}

type Body = Readonly<Record<string, unknown>>;

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const SUFFIX_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const now = (): number => Date.now() / 1000;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function randomSuffix(): string {
  return [...randomBytes(6)].map((byte) => SUFFIX_CHARACTERS[byte % SUFFIX_CHARACTERS.length]).join('');
}

/** Words as the filters read them: split at punctuation, then where lowercase letters begin a new word. */
function words(value: string): string[] {
  return value
    .split(/[\s/_+=.@-]+/)
    .flatMap((part) => part.split(/(?=[A-Z][a-z])/))
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

function matchesValue(key: string, pattern: string, secret: Secret): boolean {
  const prefixOf = (candidates: readonly string[]): boolean => candidates.some((candidate) => candidate.startsWith(pattern));
  const wordsOf = (candidates: readonly string[]): boolean => {
    const wanted = words(pattern);
    const found = candidates.flatMap(words);
    return wanted.length > 0 && wanted.every((word) => found.some((candidate) => candidate.startsWith(word)));
  };
  switch (key) {
    case 'name':
      return prefixOf([secret.name]);
    case 'tag-key':
      return prefixOf([...secret.tags.keys()]);
    case 'tag-value':
      return prefixOf([...secret.tags.values()]);
    case 'description':
      return wordsOf(secret.description === undefined ? [] : [secret.description]);
    case 'all':
      return wordsOf([secret.name, ...(secret.description === undefined ? [] : [secret.description]), ...secret.tags.keys(), ...secret.tags.values()]);
    case 'primary-region':
    case 'owning-service':
      return false;
    default:
      throw new ServiceError('InvalidParameterException', `Invalid filter key: ${key}`);
  }
}

/** One filter: its values ORed, a `!value` matching what the value does not. */
function passes(filter: unknown, secret: Secret): boolean {
  const { Key: key, Values: values } = (filter ?? {}) as { Key?: unknown; Values?: unknown };
  if (typeof key !== 'string' || !Array.isArray(values) || values.length === 0) throw new ServiceError('InvalidParameterException', 'A filter needs a Key and Values.');
  return values.some((value) => {
    if (typeof value !== 'string') return false;
    return value.startsWith('!') ? !matchesValue(key, value.slice(1), secret) : matchesValue(key, value, secret);
  });
}

export async function startSecretsManagerServer(options: SecretsManagerServerOptions = {}): Promise<SecretsManagerServer> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const arnHead = `arn:aws:secretsmanager:${region}:${accountId}:secret:`;
  const secrets = new Map<string, Secret>();

  function find(id: unknown, access: { readonly deleted?: boolean } = {}): Secret {
    if (typeof id !== 'string' || id === '') throw new ServiceError('InvalidParameterException', 'SecretId is required.');
    let secret: Secret | undefined;
    if (id.startsWith('arn:')) {
      secret = [...secrets.values()].find((candidate) => candidate.arn === id);
      if (secret === undefined) {
        const partial = [...secrets.values()].filter((candidate) => candidate.arn.slice(0, -7) === id);
        secret = partial.length === 1 ? partial[0] : undefined;
      }
    } else secret = secrets.get(id);
    if (secret === undefined) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (secret.deleted !== undefined && access.deleted !== true) throw new ServiceError('InvalidRequestException', 'You can\'t perform this operation on the secret because it was marked for deletion.');
    return secret;
  }

  function addVersion(secret: Secret, body: Body, stages: readonly string[] = ['AWSCURRENT']): SecretVersion {
    const string = text(body['SecretString']);
    const binary = text(body['SecretBinary']);
    if (string === undefined && binary === undefined) throw new ServiceError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
    const id = text(body['ClientRequestToken']) ?? randomUUID();
    const known = secret.versions.find((version) => version.id === id);
    if (known !== undefined) return known; // an idempotent retry
    if (stages.includes('AWSCURRENT')) {
      for (const version of secret.versions) version.stages = version.stages.filter((stage) => stage !== 'AWSPREVIOUS');
      for (const version of secret.versions) if (version.stages.includes('AWSCURRENT')) version.stages = [...version.stages.filter((stage) => stage !== 'AWSCURRENT'), 'AWSPREVIOUS'];
    }
    for (const version of secret.versions) version.stages = version.stages.filter((stage) => stage === 'AWSPREVIOUS' || !stages.includes(stage));
    const version: SecretVersion = { id, string, binary, created: now(), stages: [...stages] };
    secret.versions.push(version);
    secret.changed = now();
    return version;
  }

  function valueOf(secret: Secret, body: Body): Record<string, unknown> {
    const versionId = text(body['VersionId']);
    const stage = text(body['VersionStage']) ?? (versionId === undefined ? 'AWSCURRENT' : undefined);
    const version = secret.versions.find((candidate) => (versionId === undefined || candidate.id === versionId) && (stage === undefined || candidate.stages.includes(stage)));
    if (version === undefined) throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret value for the version or staging label.");
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: version.id,
      ...(version.string === undefined ? {} : { SecretString: version.string }),
      ...(version.binary === undefined ? {} : { SecretBinary: version.binary }),
      VersionStages: version.stages,
      CreatedDate: version.created,
    };
  }

  const describe = (secret: Secret): Record<string, unknown> => ({
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description === undefined ? {} : { Description: secret.description }),
    ...(secret.kmsKeyId === undefined ? {} : { KmsKeyId: secret.kmsKeyId }),
    Tags: [...secret.tags].map(([Key, Value]) => ({ Key, Value })),
    VersionIdsToStages: Object.fromEntries(secret.versions.filter((version) => version.stages.length > 0).map((version) => [version.id, version.stages])),
    CreatedDate: secret.created,
    LastChangedDate: secret.changed,
    ...(secret.deleted === undefined ? {} : { DeletedDate: secret.deleted }),
  });

  function filtered(filters: unknown, includeDeleted: boolean): Secret[] {
    const list: unknown[] = Array.isArray(filters) ? filters : [];
    return [...secrets.values()].filter((secret) => (includeDeleted || secret.deleted === undefined) && list.every((filter) => passes(filter, secret))).sort((a, b) => (a.name < b.name ? -1 : 1));
  }


  function tagsOf(raw: unknown): [string, string][] {
    return (Array.isArray(raw) ? (raw as { Key?: unknown; Value?: unknown }[]) : []).filter((tag) => typeof tag.Key === 'string').map((tag) => [tag.Key as string, String(tag.Value ?? '')]);
  }

  const operations: Record<string, JsonOperationHandler> = {
    CreateSecret: (body) => {
      const name = body['Name'];
      if (typeof name !== 'string' || !NAME.test(name)) throw new ServiceError('InvalidParameterException', `Invalid name ${JSON.stringify(name)}: use letters, digits and / _ + = . @ -`);
      if (secrets.has(name)) throw new ServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
      const secret: Secret = { name, arn: `${arnHead}${name}-${randomSuffix()}`, description: text(body['Description']), kmsKeyId: text(body['KmsKeyId']), tags: new Map(tagsOf(body['Tags'])), versions: [], created: now(), changed: now(), deleted: undefined };
      const version = body['SecretString'] === undefined && body['SecretBinary'] === undefined ? undefined : addVersion(secret, body);
      secrets.set(name, secret);
      return { ARN: secret.arn, Name: name, ...(version === undefined ? {} : { VersionId: version.id }) };
    },
    GetSecretValue: (body) => valueOf(find(body['SecretId']), body),
    BatchGetSecretValue: (body) => {
      const values: unknown[] = [];
      const errors: unknown[] = [];
      if (Array.isArray(body['SecretIdList'])) {
        for (const id of body['SecretIdList'] as unknown[]) {
          try {
            values.push(valueOf(find(id), {}));
          } catch (error) {
            if (!(error instanceof ServiceError)) throw error;
            errors.push({ SecretId: id, ErrorCode: error.type, Message: error.message });
          }
        }
      } else if (Array.isArray(body['Filters'])) {
        for (const secret of filtered(body['Filters'], false)) values.push(valueOf(secret, {}));
      } else throw new ServiceError('InvalidParameterException', 'Either SecretIdList or Filters is required.');
      const { items, next } = pageOf(values, body, 100);
      return { SecretValues: items, Errors: errors, ...(next === undefined ? {} : { NextToken: next }) };
    },
    DescribeSecret: (body) => describe(find(body['SecretId'], { deleted: true })),
    PutSecretValue: (body) => {
      const secret = find(body['SecretId']);
      const version = addVersion(secret, body, Array.isArray(body['VersionStages']) ? (body['VersionStages'] as string[]) : undefined);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
    },
    UpdateSecret: (body) => {
      const secret = find(body['SecretId']);
      if (body['Description'] !== undefined) secret.description = text(body['Description']);
      if (body['KmsKeyId'] !== undefined) secret.kmsKeyId = text(body['KmsKeyId']);
      secret.changed = now();
      const version = body['SecretString'] === undefined && body['SecretBinary'] === undefined ? undefined : addVersion(secret, body);
      return { ARN: secret.arn, Name: secret.name, ...(version === undefined ? {} : { VersionId: version.id }) };
    },
    UpdateSecretVersionStage: (body) => {
      const secret = find(body['SecretId']);
      const stage = text(body['VersionStage']);
      if (stage === undefined) throw new ServiceError('InvalidParameterException', 'VersionStage is required.');
      const from = text(body['RemoveFromVersionId']);
      const to = text(body['MoveToVersionId']);
      for (const version of secret.versions) {
        if (version.id === from) version.stages = version.stages.filter((candidate) => candidate !== stage);
        if (version.id === to && !version.stages.includes(stage)) version.stages.push(stage);
      }
      return { ARN: secret.arn, Name: secret.name };
    },
    DeleteSecret: (body) => {
      const secret = find(body['SecretId'], { deleted: true });
      if (body['ForceDeleteWithoutRecovery'] === true) secrets.delete(secret.name);
      else secret.deleted = now();
      const days = typeof body['RecoveryWindowInDays'] === 'number' ? body['RecoveryWindowInDays'] : 30;
      return { ARN: secret.arn, Name: secret.name, DeletionDate: now() + (body['ForceDeleteWithoutRecovery'] === true ? 0 : days * 86_400) };
    },
    RestoreSecret: (body) => {
      const secret = find(body['SecretId'], { deleted: true });
      secret.deleted = undefined;
      return { ARN: secret.arn, Name: secret.name };
    },
    ListSecrets: (body) => {
      const { items, next } = pageOf(filtered(body['Filters'], body['IncludePlannedDeletion'] === true), body, 100);
      return { SecretList: items.map(describe), ...(next === undefined ? {} : { NextToken: next }) };
    },
    ListSecretVersionIds: (body) => {
      const secret = find(body['SecretId'], { deleted: true });
      const versions = secret.versions.filter((version) => body['IncludeDeprecated'] === true || version.stages.length > 0);
      return { ARN: secret.arn, Name: secret.name, Versions: versions.map((version) => ({ VersionId: version.id, VersionStages: version.stages, CreatedDate: version.created })) };
    },
    TagResource: (body) => {
      const secret = find(body['SecretId']);
      for (const [key, value] of tagsOf(body['Tags'])) secret.tags.set(key, value);
      return {};
    },
    UntagResource: (body) => {
      const secret = find(body['SecretId']);
      for (const key of Array.isArray(body['TagKeys']) ? (body['TagKeys'] as unknown[]) : []) if (typeof key === 'string') secret.tags.delete(key);
      return {};
    },
    GetRandomPassword: (body) => {
      const length = typeof body['PasswordLength'] === 'number' ? body['PasswordLength'] : 32;
      return { RandomPassword: randomBytes(length).toString('base64url').slice(0, length) };
    },
  };

  return startJsonProtocolServer({ targetPrefix: 'secretsmanager', contentType: 'application/x-amz-json-1.1', operations, clear: () => secrets.clear() });
}
