/**
 * The CRM's data access: every read and write goes through the scope of the tenant and capsule it
 * serves, with keys built from the entity declarations, never by hand.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keysOf, partitionKeyOf, type CapsuleId, type TenantId } from '@isolation/runtime';
import type { ClientFactory } from '@isolation/runtime/aws';
import { Account, Activity, Contact } from '../entities/crm.js';

export const CRM_TABLE = 'crm_data';

export interface ActivityFilter {
  readonly kind?: Activity['kind'] | undefined;
}

export class CrmService {
  constructor(private readonly aws: ClientFactory) {}

  async createAccount(tenantId: TenantId, capsuleId: CapsuleId, id: string, name: string): Promise<Account> {
    const account: Account = { tenantId, capsuleId, id, version: 1, name };
    await this.put(tenantId, capsuleId, { ...account, ...keysOf(Account, account) });
    return account;
  }

  async getAccount(tenantId: TenantId, capsuleId: CapsuleId, id: string): Promise<Account | undefined> {
    const scope = this.aws.capsule(tenantId, capsuleId);
    const found = await scope.dynamo().send(new GetCommand({ TableName: scope.table(CRM_TABLE), Key: keysOf(Account, { tenantId, capsuleId, id, version: 1 }) }));
    return found.Item as Account | undefined;
  }

  async addContact(tenantId: TenantId, capsuleId: CapsuleId, accountId: string, id: string, email: string): Promise<Contact> {
    const contact: Contact = { tenantId, capsuleId, accountId, id, email };
    await this.put(tenantId, capsuleId, { ...contact, ...keysOf(Contact, contact) });
    return contact;
  }

  async logActivity(tenantId: TenantId, capsuleId: CapsuleId, contactId: string, id: string, kind: Activity['kind'], occurredAt: string): Promise<Activity> {
    const activity: Activity = { tenantId, capsuleId, contactId, id, kind, occurredAt };
    await this.put(tenantId, capsuleId, { ...activity, ...keysOf(Activity, activity) });
    return activity;
  }

  /** The activities of a contact of an account; none when the contact is not the account's. */
  async listActivities(tenantId: TenantId, capsuleId: CapsuleId, accountId: string, contactId: string, filter: ActivityFilter = {}): Promise<Activity[]> {
    const scope = this.aws.capsule(tenantId, capsuleId);
    const contact = await scope.dynamo().send(new GetCommand({ TableName: scope.table(CRM_TABLE), Key: keysOf(Contact, { tenantId, capsuleId, accountId, id: contactId }) }));
    if (contact.Item === undefined) return [];
    const result = await scope.dynamo().send(
      new QueryCommand({
        TableName: scope.table(CRM_TABLE),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :activity)',
        ExpressionAttributeValues: { ':pk': partitionKeyOf(Activity, { tenantId, capsuleId, contactId }), ':activity': 'ACTIVITY#' },
      }),
    );
    const activities = (result.Items ?? []) as Activity[];
    return filter.kind === undefined ? activities : activities.filter((activity) => activity.kind === filter.kind);
  }

  private async put(tenantId: TenantId, capsuleId: CapsuleId, item: Record<string, unknown>): Promise<void> {
    const scope = this.aws.capsule(tenantId, capsuleId);
    await scope.dynamo().send(new PutCommand({ TableName: scope.table(CRM_TABLE), Item: item }));
  }
}
