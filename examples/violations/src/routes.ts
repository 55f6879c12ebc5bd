import { Endpoint } from '@isolation/runtime';

export class ContactRoutes {
  // Legacy form: `query` would be inferred as a path parameter.
  @Endpoint({ method: 'GET', path: '/accounts/{accountId}/contacts' })
  listContacts(accountId: string, query: string) {
    return [accountId, query];
  }

  // `query` declared as a path parameter, though the path has no {query}.
  @Endpoint({ method: 'GET', path: '/accounts/{accountId}/activities', pathParams: ['accountId', 'query'] })
  listActivities(accountId: string, query: string) {
    return [accountId, query];
  }

  // The same parameter declared in both lists.
  @Endpoint({ method: 'GET', path: '/contacts/{contactId}', pathParams: ['contactId'], queryParams: ['contactId'] })
  getContact(contactId: string) {
    return contactId;
  }

  // Express-style placeholder.
  @Endpoint({ method: 'DELETE', path: '/contacts/:contactId', pathParams: ['contactId'] })
  deleteContact(contactId: string) {
    return contactId;
  }

  // A handler parameter declared nowhere.
  @Endpoint({ method: 'GET', path: '/contacts/{contactId}/notes', pathParams: ['contactId'] })
  listNotes(contactId: string, limit: number) {
    return [contactId, limit];
  }
}
