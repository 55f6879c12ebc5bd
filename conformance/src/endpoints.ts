// Endpoints: explicit parameter lists against the path and the handler, and the legacy form.
import { Endpoint } from '@isolation/runtime';
import { ORDER_ID, ROUTE } from './template-consts.js';

interface ActivityQuery {
  since?: string;
}
interface ContactInput {
  name: string;
}

const CONTACT_PATH = '/contacts/{contactId}';
const LINE_ID = 'lineId';

export class AccountRoutes {
  @Endpoint({
    method: 'GET',
    path: '/accounts/{accountId}/contacts/{contactId}/activities',
    pathParams: ['accountId', 'contactId'],
    queryParams: ['query'],
    permission: 'crm.activity.read',
  })
  listContactActivities(accountId: string, contactId: string, query: ActivityQuery) { // valid
    return { accountId, contactId, query };
  }

  @Endpoint({ method: 'POST', path: '/contacts', pathParams: [], queryParams: [], body: 'input' })
  createContact(input: ContactInput) { // valid
    return input;
  }

  @Endpoint({
    method: 'GET',
    path: '/accounts/{accountId}/notes/{noteId}', // expect: endpoint-params
    pathParams: ['accountId'],
    queryParams: [],
  })
  getNote(accountId: string, noteId: string) {
    return { accountId, noteId };
  }

  @Endpoint({
    method: 'GET',
    path: '/accounts/{accountId}',
    pathParams: ['accountId', 'region'], // expect: endpoint-params
    queryParams: [],
  })
  getAccount(accountId: string, region: string) {
    return { accountId, region };
  }

  @Endpoint({
    method: 'GET',
    path: '/deals/{dealId}',
    pathParams: ['dealId'],
    queryParams: ['dealId'], // expect: endpoint-params
  })
  getDeal(dealId: string) {
    return dealId;
  }

  @Endpoint({
    method: 'GET',
    path: '/search',
    pathParams: [],
    queryParams: ['term', 'term'], // expect: endpoint-params
  })
  search(term: string) {
    return term;
  }

  @Endpoint({ method: 'GET', path: '/reports', pathParams: [], queryParams: ['from'] })
  listReports(
    from: string,
    // beyond types: handler parameter names are no part of a decorator's type.
    to: string, // expect: endpoint-params
  ) {
    return { from, to };
  }

  @Endpoint({
    method: 'GET',
    path: '/exports',
    pathParams: [],
    // beyond types: 'compression' names no handler parameter; handler parameter names are no part of a decorator's type.
    queryParams: ['format', 'compression'], // expect: endpoint-params
  })
  listExports(format: string) {
    return format;
  }

  @Endpoint({
    method: 'GET',
    path: '/users/:userId', // expect: endpoint-params
    pathParams: ['userId'],
    queryParams: [],
  })
  getUser(userId: string) {
    return userId;
  }

  @Endpoint({
    method: 'PUT',
    path: '/contacts/{contactId}',
    pathParams: ['contactId'],
    queryParams: [],
    // beyond types: 'payload' names no handler parameter; handler parameter names are no part of a decorator's type.
    body: 'payload', // expect: endpoint-params
  })
  updateContact(contactId: string) {
    return contactId;
  }

  @Endpoint({ method: 'POST', path: '/filters', pathParams: [], queryParams: [] })
  createFilter(
    // beyond types: handler parameter names are no part of a decorator's type.
    { name }: ContactInput, // expect: endpoint-params
  ) {
    return name;
  }

  @Endpoint({ method: 'GET', path: '/accounts/{accountId}/deals' }) // expect: endpoint-explicit-params
  listDeals(accountId: string) {
    return accountId;
  }

  @Endpoint({ method: 'GET', path: '/health' })
  health() { // valid: the legacy form with nothing to infer
    return 'ok';
  }

  @Endpoint({ method: 'GET', path: CONTACT_PATH, pathParams: ['contactId'], queryParams: [] })
  getContact(contactId: string) { // valid: a constant of this file is read in every path
    return contactId;
  }

  @Endpoint({
    method: 'GET',
    // A path is read at the declaration: a constant from another module is unverifiable, with or without types.
    // beyond types: types see the constant's value, which agrees with pathParams.
    path: ROUTE, // expect: endpoint-params
    pathParams: ['orderId'],
    queryParams: [],
  })
  getOrder(orderId: string) {
    return orderId;
  }

  @Endpoint({ method: 'GET', path: '/lines/{lineId}', pathParams: [LINE_ID], queryParams: [] })
  getLine(lineId: string) { // valid: an entry from a constant of this file
    return lineId;
  }

  @Endpoint({
    method: 'GET',
    path: '/orders/{orderId}/lines',
    // An entry is read at the declaration too: a constant from another module is unverifiable everywhere.
    // beyond types: types see the constant's value, which agrees with the path.
    pathParams: [ORDER_ID], // expect: endpoint-params
    queryParams: [],
  })
  listLines(orderId: string) {
    return orderId;
  }

  @Endpoint({ method: 'GET', path: '/me', pathParams: [], queryParams: [] })
  me(this: unknown) { // valid: `this` is no parameter
    return this;
  }

  @Endpoint({ method: 'GET', path: '/pipelines/{pipelineId}', pathParams: ['pipelineId'] as const, queryParams: [] as const })
  ['getPipeline'](pipelineId: string) { // valid
    return pipelineId;
  }
}
