import { Endpoint, tenantId as toTenantId, type CapsuleId } from '@isolation/runtime';
import type { ActivityFilter, CrmService } from '../services/crm.js';

export interface NewAccount {
  readonly id: string;
  readonly name: string;
}

/** HTTP handlers of one capsule (the deployment this process serves): parameters declared explicitly. */
export class AccountRoutes {
  constructor(
    private readonly crm: CrmService,
    private readonly capsule: CapsuleId,
  ) {}

  @Endpoint({ method: 'GET', path: '/tenants/{tenantId}/accounts/{accountId}', pathParams: ['tenantId', 'accountId'], permission: 'crm.account.read' })
  getAccount(tenantId: string, accountId: string) {
    return this.crm.getAccount(toTenantId(tenantId), this.capsule, accountId);
  }

  @Endpoint({
    method: 'GET',
    path: '/tenants/{tenantId}/accounts/{accountId}/contacts/{contactId}/activities',
    pathParams: ['tenantId', 'accountId', 'contactId'],
    queryParams: ['query'],
    permission: 'crm.activity.read',
  })
  listContactActivities(tenantId: string, accountId: string, contactId: string, query: ActivityFilter) {
    return this.crm.listActivities(toTenantId(tenantId), this.capsule, accountId, contactId, query);
  }

  @Endpoint({ method: 'POST', path: '/tenants/{tenantId}/accounts', pathParams: ['tenantId'], body: 'input', permission: 'crm.account.write' })
  createAccount(tenantId: string, input: NewAccount) {
    return this.crm.createAccount(toTenantId(tenantId), this.capsule, input.id, input.name);
  }
}
