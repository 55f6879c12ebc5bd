/**
 * The Secrets Manager rules of the isolation guard: a tenant or capsule scope's Secrets Manager
 * client touches only secrets whose names lie under the scope's parameter prefix
 * (`/tenants/acme/capsules/DEVUS/`, tenant scope `/tenants/acme/`), the prefix its SSM parameters use.
 *
 * - Calls on one secret (`GetSecretValue`, `DescribeSecret`, `PutSecretValue`, `UpdateSecret`,
 *   `DeleteSecret`, `RestoreSecret`, `ListSecretVersionIds`, `UpdateSecretVersionStage`,
 *   `TagResource`, `UntagResource`, and replication — `ReplicateSecretToRegions`,
 *   `RemoveRegionsFromReplication`, `StopReplicationToReplica` — whose replicas carry the same
 *   name): `SecretId` under the prefix. A secret id is a name or an ARN,
 *   complete (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf`) or partial (without
 *   the six random characters); either way the ARN's text after `secret:` begins with the name, so
 *   it is read as the name. A partial ARN matches the secrets whose names begin with it, which is
 *   why the name must go past the prefix (the prefix alone, or `…/DEV` without its `/`, is refused).
 * - `CreateSecret`: `Name` under the prefix (a name, never an ARN).
 * - `ListSecrets`, and `BatchGetSecretValue` by `Filters`: list every secret of the account unless a
 *   filter confines them. Filters are ANDed and a `name` filter is a case-sensitive prefix match,
 *   so they run only with a `name` filter whose every value begins with the prefix; a negated value
 *   (`!…`, which matches every other name) is refused. `BatchGetSecretValue` by `SecretIdList`:
 *   every id under the prefix.
 * - `GetRandomPassword` names no secret.
 * - Everything else — resource policies (they grant other principals access), rotation (it hands
 *   the secret to a Lambda function), and any operation this list does not name — is refused, as are ids the guard cannot
 *   read (characters Secrets Manager does not allow in a name, a malformed ARN).
 *
 * The ARN's region and account are not checked: the guard confines names; which account's secrets
 * a client reaches is its credentials' business.
 */
import { describeMissing, Failure, own, quote } from './guard-format.js';
import { inspectOperation, nameUnderPrefix, parseArn, type OperationRule, type ServiceTable } from './guard-names.js';
import type { CompiledPolicy } from './guard-policy.js';

/** What Secrets Manager allows in a secret name. */
const NAME_CHARACTERS = /^[A-Za-z0-9/_+=.@-]+$/;

/** The name (or, for an ARN, the name and perhaps its random suffix) a secret id addresses; `undefined` when the guard cannot read it. */
export function secretNameOf(value: string, arnAllowed: boolean): string | undefined {
  let name = value;
  if (arnAllowed && value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (arn?.service !== 'secretsmanager' || !arn.resource.startsWith('secret:')) return undefined;
    name = arn.resource.slice('secret:'.length);
  }
  return NAME_CHARACTERS.test(name) ? name : undefined;
}

function underPrefix(c: CompiledPolicy): string {
  return `under ${quote(c.parameterPrefix)}, the scope's parameter prefix (scope.parameterPrefix) — another tenant's, capsule's or the platform's secrets belong to its own scope`;
}

function checkSecret(c: CompiledPolicy, value: unknown, place: string, arnAllowed = true): Failure | undefined {
  const form = arnAllowed ? 'a secret name or ARN' : 'a secret name';
  if (typeof value !== 'string') return new Failure('unverifiable-request', `${place} ${describeMissing(value)}`, `${form} ${underPrefix(c)}`);
  const name = secretNameOf(value, arnAllowed);
  if (name === undefined) {
    return new Failure('unverifiable-request', `${place} = ${quote(value)}, which is not ${form} the guard can read`, `${form} in letters, digits and / _ + = . @ - ${underPrefix(c)}`);
  }
  if (nameUnderPrefix(name, c.parameterPrefix)) return undefined;
  return new Failure('secret-scope', `${place} = ${quote(value)}${name === value ? '' : `, the secret ${quote(name)}`}`, `${form} ${underPrefix(c)}`);
}

const bySecretId: OperationRule['check'] = (input, c) => checkSecret(c, own(input, 'SecretId'), 'SecretId');

const FILTER_WANTED = "a filter { Key: 'name', Values: [names] } whose every value begins with the prefix (not negated with '!')";

/** `ListSecrets` and `BatchGetSecretValue` filters: a `name` filter confines them to the prefix. */
function checkFilters(c: CompiledPolicy, filters: unknown, command: string): Failure | undefined {
  if (filters !== undefined && !Array.isArray(filters)) return new Failure('unverifiable-request', `Filters ${describeMissing(filters)}`, `an array with ${FILTER_WANTED}: ${quote(c.parameterPrefix)}`);
  let confined = false;
  for (let i = 0; i < (filters ?? []).length; i += 1) {
    const place = `Filters[${i}]`;
    const filter: unknown = (filters as unknown[])[i];
    if (typeof filter !== 'object' || filter === null) return new Failure('unverifiable-request', `${place} ${describeMissing(filter)}`, 'a filter object { Key, Values }');
    if (own(filter, 'Key') !== 'name') continue; // filters are ANDed: the others only narrow the list
    const values = own(filter, 'Values');
    if (!Array.isArray(values) || values.length === 0) return new Failure('unverifiable-request', `${place}.Values ${describeMissing(values)}`, `names beginning with ${quote(c.parameterPrefix)}`);
    for (let j = 0; j < values.length; j += 1) {
      const value: unknown = values[j];
      if (typeof value === 'string' && NAME_CHARACTERS.test(value) && value.startsWith(c.parameterPrefix)) continue;
      const negated = typeof value === 'string' && value.startsWith('!');
      return new Failure(
        typeof value === 'string' ? 'secret-scope' : 'unverifiable-request',
        `${place}.Values[${j}] ${describeMissing(value)}${negated ? ', a negation, which matches every other name' : ''}`,
        `a name beginning with ${quote(c.parameterPrefix)}, the scope's parameter prefix (scope.parameterPrefix): a name filter is a prefix match, so it confines the list to the scope`,
      );
    }
    confined = true;
  }
  if (confined) return undefined;
  return new Failure('unbounded-operation', `${command} without a name filter confining it to the scope (it would reach every secret of the account)`, `${FILTER_WANTED}: ${quote(c.parameterPrefix)}`);
}

function checkBatchGet(input: object, c: CompiledPolicy): Failure | undefined {
  const ids = own(input, 'SecretIdList');
  const filters = own(input, 'Filters');
  if (ids === undefined) return checkFilters(c, filters, 'BatchGetSecretValueCommand');
  if (!Array.isArray(ids)) return new Failure('unverifiable-request', `SecretIdList ${describeMissing(ids)}`, `an array of secret ids, each ${underPrefix(c)}`);
  for (let i = 0; i < ids.length; i += 1) {
    const failure = checkSecret(c, ids[i], `SecretIdList[${i}]`);
    if (failure !== undefined) return failure;
  }
  return filters === undefined ? undefined : checkFilters(c, filters, 'BatchGetSecretValueCommand');
}

const OPERATIONS: ReadonlyMap<string, OperationRule> = new Map<string, OperationRule>([
  ['GetSecretValue', { members: ['SecretId', 'VersionId', 'VersionStage'], check: bySecretId }],
  ['BatchGetSecretValue', { members: ['SecretIdList', 'Filters', 'MaxResults', 'NextToken'], check: checkBatchGet }],
  ['DescribeSecret', { members: ['SecretId'], check: bySecretId }],
  ['CreateSecret', { members: ['Name', 'ClientRequestToken', 'Description', 'KmsKeyId', 'SecretBinary', 'SecretString', 'Tags', 'AddReplicaRegions', 'ForceOverwriteReplicaSecret', 'Type'], check: (input, c) => checkSecret(c, own(input, 'Name'), 'Name', false) }],
  ['PutSecretValue', { members: ['SecretId', 'ClientRequestToken', 'SecretBinary', 'SecretString', 'VersionStages', 'RotationToken'], check: bySecretId }],
  ['UpdateSecret', { members: ['SecretId', 'ClientRequestToken', 'Description', 'KmsKeyId', 'SecretBinary', 'SecretString', 'Type'], check: bySecretId }],
  ['DeleteSecret', { members: ['SecretId', 'RecoveryWindowInDays', 'ForceDeleteWithoutRecovery'], check: bySecretId }],
  ['RestoreSecret', { members: ['SecretId'], check: bySecretId }],
  ['ListSecrets', { members: ['IncludePlannedDeletion', 'MaxResults', 'NextToken', 'Filters', 'SortOrder', 'SortBy'], check: (input, c) => checkFilters(c, own(input, 'Filters'), 'ListSecretsCommand') }],
  ['ListSecretVersionIds', { members: ['SecretId', 'MaxResults', 'NextToken', 'IncludeDeprecated'], check: bySecretId }],
  ['UpdateSecretVersionStage', { members: ['SecretId', 'VersionStage', 'RemoveFromVersionId', 'MoveToVersionId'], check: bySecretId }],
  ['ReplicateSecretToRegions', { members: ['SecretId', 'AddReplicaRegions', 'ForceOverwriteReplicaSecret'], check: bySecretId }],
  ['RemoveRegionsFromReplication', { members: ['SecretId', 'RemoveReplicaRegions'], check: bySecretId }],
  ['StopReplicationToReplica', { members: ['SecretId'], check: bySecretId }],
  ['TagResource', { members: ['SecretId', 'Tags'], check: bySecretId }],
  ['UntagResource', { members: ['SecretId', 'TagKeys'], check: bySecretId }],
  [
    'GetRandomPassword',
    { members: ['PasswordLength', 'ExcludeCharacters', 'ExcludeNumbers', 'ExcludePunctuation', 'ExcludeUppercase', 'ExcludeLowercase', 'IncludeSpace', 'RequireEachIncludedType'], check: () => undefined },
  ],
]);

/** Every operation a guarded Secrets Manager client runs, with the input members it may carry. */
export const GUARDED_SECRETS_MANAGER_OPERATIONS: ReadonlyMap<string, readonly string[]> = new Map([...OPERATIONS].map(([operation, rule]) => [operation, rule.members]));

const SECRETS_MANAGER: ServiceTable = {
  service: 'Secrets Manager',
  operations: OPERATIONS,
  allowed: (c) =>
    `calls on secrets named under ${quote(c.parameterPrefix)}, the scope's parameter prefix — ${[...OPERATIONS.keys()].join(', ')}; resource policies and rotation belong to a platform or operator client`,
};

/** One Secrets Manager operation's input: the first failure, or `undefined`. */
export function inspectSecretsManager(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  return inspectOperation(SECRETS_MANAGER, operation, input, c, label);
}
