import { Endpoint } from '@isolation/runtime';

export interface ActivityQuery {
  readonly kind?: 'call' | 'email' | 'meeting';
  readonly since?: string;
}

export interface NewAccount {
  readonly name: string;
}

export class AccountRoutes {
  @Endpoint({ method: 'GET', path: '/tenants/{tenantId}/accounts/{accountId}', pathParams: ['tenantId', 'accountId'], permission: 'crm.account.read' })
  getAccount(tenantId: string, accountId: string) {
    return { tenantId, accountId };
  }

  @Endpoint({
    method: 'GET',
    path: '/accounts/{accountId}/contacts/{contactId}/activities',
    pathParams: ['accountId', 'contactId'],
    queryParams: ['query'],
    permission: 'crm.activity.read',
  })
  listContactActivities(accountId: string, contactId: string, query: ActivityQuery) {
    return { accountId, contactId, filter: query.kind ?? 'all' };
  }

  @Endpoint({ method: 'POST', path: '/tenants/{tenantId}/accounts', pathParams: ['tenantId'], body: 'input', permission: 'crm.account.write' })
  createAccount(tenantId: string, input: NewAccount) {
    return { tenantId, name: input.name };
  }
}
