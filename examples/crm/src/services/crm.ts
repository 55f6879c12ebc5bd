/**
 * The CRM's data access: every read and write goes through a repository of the tenant and capsule
 * it serves. The repository fills in the scope's ids and builds the keys from the entity
 * declarations, never by hand; its keys and items are typed from the entities.
 */
import type { CapsuleId, TenantId } from '@isolation/runtime';
import type { ClientFactory } from '@isolation/runtime/aws';
import { Account, Activity, Contact } from '../entities/crm.js';

export interface ActivityFilter {
  readonly kind?: Activity['kind'] | undefined;
}

export class CrmService {
  constructor(private readonly aws: ClientFactory) {}

  createAccount(tenantId: TenantId, capsuleId: CapsuleId, id: string, name: string): Promise<Account> {
    return this.aws.capsule(tenantId, capsuleId).repo(Account).put({ id, version: 1, name });
  }

  getAccount(tenantId: TenantId, capsuleId: CapsuleId, id: string): Promise<Account | undefined> {
    return this.aws.capsule(tenantId, capsuleId).repo(Account).get({ id, version: 1 });
  }

  addContact(tenantId: TenantId, capsuleId: CapsuleId, accountId: string, id: string, email: string): Promise<Contact> {
    return this.aws.capsule(tenantId, capsuleId).repo(Contact).put({ accountId, id, email });
  }

  logActivity(tenantId: TenantId, capsuleId: CapsuleId, contactId: string, id: string, kind: Activity['kind'], occurredAt: string): Promise<Activity> {
    return this.aws.capsule(tenantId, capsuleId).repo(Activity).put({ contactId, id, kind, occurredAt });
  }

  /** The activities of a contact of an account, oldest first; none when the contact is not the account's. */
  async listActivities(tenantId: TenantId, capsuleId: CapsuleId, accountId: string, contactId: string, filter: ActivityFilter = {}): Promise<Activity[]> {
    const scope = this.aws.capsule(tenantId, capsuleId);
    if ((await scope.repo(Contact).get({ accountId, id: contactId })) === undefined) return [];
    const activities: Activity[] = [];
    let cursor: string | undefined;
    do {
      const page = await scope.repo(Activity).query({ contactId }, { cursor });
      activities.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return filter.kind === undefined ? activities : activities.filter((activity) => activity.kind === filter.kind);
  }
}
