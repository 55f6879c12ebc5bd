/**
 * SNS topics per scope: `scope.topic('alerts')` is the ARN of the scope's topic,
 * `arn:<partition>:sns:<region>:<accountId>:<name>`, region and account from the factory.
 *
 * The default gives each tenant and capsule a topic of its own per logical name (an SNS message has
 * no tenant id field the guard could check, so topics are what keeps scopes apart). Topic names may
 * hold only `[A-Za-z0-9_-]`, as ids may, so no delimiter can separate the parts: each id is written
 * with its length in front instead — capsule `acme`/`DEVUS`, topic `alerts` →
 * `4_acme_5_DEVUS_alerts`; tenant `acme` → `4_acme_alerts`; platform and operator scopes use the
 * logical name as is. Reading a name back is unambiguous, so the naming is injective: a scope name
 * starts with a digit and logical names start with a letter, so after the tenant id a digit means a
 * capsule id follows, and no platform topic can be any scope's. `DEV` and `DEVX` give `3_DEV_…` and
 * `4_DEVX_…`. A FIFO topic's logical name ends in `.fifo`, and so does its physical name.
 */
import { physicalName, type NameRules } from './scope-names.js';
import type { ScopeDescription } from './scope.js';

/** Maps a logical topic name to the topic name (not the ARN) a scope uses. Custom namings must stay injective. */
export type TopicNaming = (logicalName: string, scope: ScopeDescription) => string;

const lengthTagged = (id: string): string => `${id.length}_${id}`;

/** The default: `4_acme_5_DEVUS_alerts` for capsule acme/DEVUS, `4_acme_alerts` for tenant acme, `alerts` for platform and operator scopes. */
export const defaultTopicNaming: TopicNaming = (logicalName, scope) => {
  if (scope.kind === 'capsule') return `${lengthTagged(scope.tenantId)}_${lengthTagged(scope.capsuleId)}_${logicalName}`;
  if (scope.kind === 'tenant') return `${lengthTagged(scope.tenantId)}_${logicalName}`;
  return logicalName;
};

/** Thrown for a topic name or location the factory cannot hand out. */
export class TopicNameError extends Error {
  override readonly name = 'TopicNameError';
}

/** SNS's rule: 1–256 characters of `[A-Za-z0-9_-]`, a FIFO topic's ending in `.fifo` (counted). */
const TOPIC_NAME = /^(?=.{1,256}$)[A-Za-z0-9_-]+(?:\.fifo)?$/;

export const TOPIC_NAMES: NameRules = {
  resource: 'topic',
  option: 'topics',
  logical: /^(?=.{1,256}$)[A-Za-z][A-Za-z0-9_-]*(?:\.fifo)?$/,
  logicalWanted: "an SNS topic name starting with a letter (scope topic names start with a digit): letters, digits, '_' and '-', optionally ending in '.fifo'",
  physical: (name) => TOPIC_NAME.test(name),
  physicalWanted: "an SNS topic name: 1–256 letters, digits, '_' and '-', optionally ending in '.fifo'",
  error: TopicNameError,
};

/** Where the factory's topics live: its region and the application's account. */
export interface TopicLocation {
  readonly region: string;
  readonly accountId: string | undefined;
}

/** The ARN partition of a region: `aws`, `aws-cn`, `aws-us-gov`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function topicArn(naming: TopicNaming, logicalName: string, scope: ScopeDescription, known: ReadonlySet<string> | undefined, location: TopicLocation): string {
  const name = physicalName(TOPIC_NAMES, naming, logicalName, scope, known);
  if (location.accountId === undefined) {
    throw new TopicNameError(`topic('${logicalName}') needs the account of the application's topics: createClientFactory({ accountId: '123456789012', … })`);
  }
  return `arn:${partitionOf(location.region)}:sns:${location.region}:${location.accountId}:${name}`;
}
