/**
 * Configuration overrides in DynamoDB, through the client factory's platform scope: one item per
 * section and level, pk `CONFIG#{section}`, sk `LEVEL#platform`, `LEVEL#TENANT#<t>` or
 * `LEVEL#TENANT#<t>#CAPSULE#<c>`.
 *
 * The partition key comes from `keysOf(ConfigOverride, …)`, which validates the section. The sort
 * key has one, two or four segments depending on the level, which no single key template
 * expresses (a placeholder value may not contain `#`), so it is composed by `levelText` from ids
 * validated with `tenantId()`/`capsuleId()`: no `#` can be injected either way.
 *
 * Writes are per-field `UpdateItem`s (`SET values.#field = :value`), never read-merge-write: two
 * concurrent PUTs of different fields both land.
 */
import type { Scope } from '../aws/factory.js';
import { Entity, PlatformScoped } from '../decorators.js';
import { keysOf } from '../keys.js';
import { levelText, type ConfigStore, type ValidLevel } from './store.js';

export class ConfigOverride {
  section!: string;
  /** `platform`, `TENANT#<t>` or `TENANT#<t>#CAPSULE#<c>`. */
  level!: string;
  values!: Record<string, unknown>;
  updatedAt!: string;
}
// Applied as the compiler applies `@PlatformScoped({ reason }) @Entity(…)` (bottom-up).
Entity({ table: 'platform_data', pk: 'CONFIG#{section}' })(ConfigOverride);
PlatformScoped({ reason: 'configuration overrides are managed by the platform' })(ConfigOverride);

/** The item key of a section's override at a level. */
export function configOverrideKey(level: ValidLevel, section: string): { readonly pk: string; readonly sk: string } {
  const { pk } = keysOf(ConfigOverride, { section });
  return { pk, sk: `LEVEL#${levelText(level)}` };
}

const MERGE_ATTEMPTS = 5;

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

type DocumentSdk = typeof import('@aws-sdk/lib-dynamodb');
let sdk: Promise<DocumentSdk> | undefined;
/** Loaded on first use, so `@isolation/runtime/config` with the memory store never loads the AWS SDK. */
const documentSdk = (): Promise<DocumentSdk> => (sdk ??= import('@aws-sdk/lib-dynamodb'));

export interface DynamoConfigStoreOptions {
  /** Strongly consistent reads (default true: a write is visible to the next cache miss). */
  readonly consistentRead?: boolean | undefined;
}

/**
 * A store of overrides in the table `tableLogicalName` of `scope`, which must be the factory's
 * `platform()` scope: configuration items are platform items, outside every tenant's key prefix.
 */
export function dynamoConfigStore(scope: Scope, tableLogicalName: string, options: DynamoConfigStoreOptions = {}): ConfigStore {
  if (scope.description.kind !== 'platform') {
    throw new TypeError(`dynamoConfigStore needs the factory's platform() scope (configuration overrides are platform items), found ${scope.description.kind} scope`);
  }
  const table = scope.table(tableLogicalName);
  const consistentRead = options.consistentRead ?? true;
  return {
    async get(level, section) {
      const { GetCommand } = await documentSdk();
      const { Item } = await scope.dynamo().send(new GetCommand({ TableName: table, Key: configOverrideKey(level, section), ConsistentRead: consistentRead }));
      if (Item === undefined) return undefined;
      const values: unknown = Item['values'];
      if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new TypeError(`config item ${String(Item['pk'])} / ${String(Item['sk'])} has no values map`);
      return values as Record<string, unknown>;
    },
    async merge(level, section, values) {
      const { UpdateCommand } = await documentSdk();
      const key = configOverrideKey(level, section);
      const fields = Object.entries(values);
      const names: Record<string, string> = { '#values': 'values', '#section': 'section', '#level': 'level', '#updatedAt': 'updatedAt' };
      const common: Record<string, unknown> = { ':section': section, ':level': levelText(level), ':updatedAt': new Date().toISOString() };
      const metadata = '#section = :section, #level = :level, #updatedAt = :updatedAt';
      const fieldNames = Object.fromEntries(fields.map(([name], index) => [`#f${index}`, name]));
      const fieldValues = Object.fromEntries(fields.map(([, value], index) => [`:f${index}`, value]));
      // A nested SET needs the `values` map to exist, and DynamoDB refuses to create it in the same
      // expression (overlapping paths): update the fields of an existing override, else create it.
      const updateFields = (): InstanceType<typeof UpdateCommand> => new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: `SET ${[...fields.map((_, index) => `#values.#f${index} = :f${index}`), metadata].join(', ')}`,
        ConditionExpression: 'attribute_exists(#values)',
        ExpressionAttributeNames: { ...names, ...fieldNames },
        ExpressionAttributeValues: { ...common, ...fieldValues },
      });
      const create = (): InstanceType<typeof UpdateCommand> => new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: `SET #values = :values, ${metadata}`,
        ConditionExpression: 'attribute_not_exists(#values)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...common, ':values': { ...values } },
      });
      // Each lost race means another writer created or deleted the override in between; both states are retried.
      for (let attempt = 1; attempt <= MERGE_ATTEMPTS; attempt += 1) {
        for (const command of [updateFields, create]) {
          try {
            await scope.dynamo().send(command());
            return;
          } catch (error) {
            if (!isConditionFailure(error)) throw error;
          }
        }
      }
      throw new Error(`config override ${key.pk} / ${key.sk} was created and deleted concurrently ${MERGE_ATTEMPTS} times while merging fields ${fields.map(([name]) => name).join(', ')}; nothing was written: try again`);
    },
    async delete(level, section) {
      const { DeleteCommand } = await documentSdk();
      await scope.dynamo().send(new DeleteCommand({ TableName: table, Key: configOverrideKey(level, section) }));
    },
  };
}
