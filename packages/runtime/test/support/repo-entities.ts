/**
 * Entities for the repository tests, one per shape a repository handles: capsule entities sharing
 * a partition (an account and its contacts), a two-placeholder sort key (activities), a tenant
 * entity, a platform entity, scope ids held in a nested object, and one without a `keys`
 * declaration. Decorators are applied as the compiler applies them (marker first, then `@Entity`):
 * the test transform has no decorator syntax.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CapsuleIsolated, Entity, PlatformScoped, TenantScoped } from '../../src/decorators.js';
import type { CapsuleId, TenantId } from '../../src/ids.js';
import { capsuleKeys, platformKeys, tenantKeys } from '../../src/repo/declaration.js';
import { createTestTable, lowLevelClient } from './dynamo.js';

export const TABLE = 'crm_data';

export class Account {
  static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{id}', 'METADATA#v{version}');
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  version!: number;
  name!: string;
  industry?: string;
}
CapsuleIsolated()(Account);
Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{id}', sk: 'METADATA#v{version}' })(Account);

/** Stored in its account's partition, beside the account. */
export class Contact {
  static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{accountId}', 'CONTACT#{id}');
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  accountId!: string;
  id!: string;
  email!: string;
}
CapsuleIsolated()(Contact);
Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{accountId}', sk: 'CONTACT#{id}' })(Contact);

export class Activity {
  static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#CONTACT#{contactId}', 'ACTIVITY#{occurredAt}#{id}');
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  contactId!: string;
  occurredAt!: string;
  id!: string;
  kind!: 'call' | 'email' | 'meeting';
}
CapsuleIsolated()(Activity);
Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#CONTACT#{contactId}', sk: 'ACTIVITY#{occurredAt}#{id}' })(Activity);

export class Setting {
  static readonly keys = tenantKeys('TENANT#{tenantId}#SETTING#{name}', 'VALUE');
  tenantId!: TenantId;
  name!: string;
  value!: string;
}
TenantScoped()(Setting);
Entity({ table: TABLE, pk: 'TENANT#{tenantId}#SETTING#{name}', sk: 'VALUE' })(Setting);

export class TenantRecord {
  static readonly keys = platformKeys('TENANT#{id}', 'PROFILE');
  id!: TenantId;
  displayName!: string;
}
PlatformScoped({ reason: 'the tenant registry is platform-wide' })(TenantRecord);
Entity({ table: TABLE, pk: 'TENANT#{id}', sk: 'PROFILE' })(TenantRecord);

/** Scope ids one level down. */
export class Session {
  static readonly keys = capsuleKeys('TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#SESSION#{id}', 'SESSION');
  scope!: { tenantId: TenantId; capsuleId: CapsuleId };
  id!: string;
  expiresAt!: number;
}
CapsuleIsolated()(Session);
Entity({ table: TABLE, pk: 'TENANT#{scope.tenantId}#CAPSULE#{scope.capsuleId}#SESSION#{id}', sk: 'SESSION' })(Session);

/** No `keys` declaration: its repository's keys are typed loosely and checked at run time. */
export class Note {
  tenantId!: TenantId;
  capsuleId!: CapsuleId;
  id!: string;
  text!: string;
}
CapsuleIsolated()(Note);
Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#NOTE#{id}', sk: 'NOTE' })(Note);

/** The physical tables the tests use: two capsules' and the shared one (tenant and platform scopes). */
export const PHYSICAL_TABLES = ['DEV.crm_data', 'DEVX.crm_data', 'crm_data'] as const;

export async function createRepoTables(endpoint: string): Promise<void> {
  const admin = lowLevelClient(endpoint);
  try {
    for (const table of PHYSICAL_TABLES) await createTestTable(admin, table);
  } finally {
    admin.destroy();
  }
}

/** An item as stored, read with an unguarded client: what the repository really wrote. */
export async function storedItem(endpoint: string, table: string, pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  const base = lowLevelClient(endpoint);
  try {
    const { Item } = await DynamoDBDocumentClient.from(base).send(new GetCommand({ TableName: table, Key: { pk, sk } }));
    return Item;
  } finally {
    base.destroy();
  }
}
