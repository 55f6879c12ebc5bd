import rule from '../../src/rules/endpoint-params.js';
import { RUNTIME_IMPORT, ruleTester } from '../rule-tester.js';

const routes = (options: string, parameters: string) => `${RUNTIME_IMPORT}
export class AccountRoutes {
  @Endpoint({ ${options} })
  handler(${parameters}) { return undefined; }
}`;

const unverifiableCode = `${RUNTIME_IMPORT}
export class R {
  @Endpoint({ method: 'GET', path: ROUTES.contact, pathParams: ['contactId'] })
  a(contactId: string) { return contactId; }
  @Endpoint({ method: 'GET', path: '/c/{id}', pathParams: ids })
  b(id: string) { return id; }
  @Endpoint({ method: 'GET', path: '/c/{id}', pathParams: [...ids] })
  c(id: string) { return id; }
  @Endpoint(options)
  d(id: string) { return id; }
  @Endpoint({ method: 'GET', path: \`/c/\${id}\`, pathParams: [] })
  [computed](x: string) { return x; }
}`;

ruleTester.run('endpoint-params', rule, {
  valid: [
    routes(`method: 'GET', path: '/accounts/{accountId}/contacts/{contactId}/activities', pathParams: ['accountId', 'contactId'], queryParams: ['query']`, 'accountId: string, contactId: string, query: ActivityQuery'),
    routes(`method: 'POST', path: '/tenants/{tenantId}/accounts', pathParams: ['tenantId'], body: 'input'`, 'tenantId: string, input: NewAccount'),
    routes(`method: 'GET', path: '/health', queryParams: []`, ''),
    // Defaults and rest parameters have names too.
    routes(`method: 'GET', path: '/search', queryParams: ['term', 'filters'] as const`, "term = '', ...filters: string[]"),
    // The legacy form is endpoint-explicit-params' to report.
    routes(`method: 'GET', path: '/accounts/{accountId}'`, 'accountId: string, query: string'),
    // Not our decorator.
    `import { Endpoint } from './http.js';
export class R { @Endpoint({ path: '/x/{y}', pathParams: [] }) h(z: string) { return z; } }`,
  ],
  invalid: [
    {
      // Another framework's style: a path where our options object belongs.
      code: `${RUNTIME_IMPORT}
export class Routes { @Endpoint('/articles/:id') get(id: string) { return id; } }`,
      errors: [{ messageId: 'notOptions', data: { endpoint: 'Routes.get', found: "the string '/articles/:id'" }, line: 2, column: 23, endColumn: 49 }],
    },
    {
      code: routes(`method: 'GET', path: '/accounts/{accountId}/contacts/{contactId}', pathParams: ['accountId']`, 'accountId: string, contactId: string'),
      errors: [
        {
          messageId: 'placeholderNotDeclared',
          line: 3,
          column: 68,
          endColumn: 79,
          suggestions: [{ messageId: 'addPathParams', output: routes(`method: 'GET', path: '/accounts/{accountId}/contacts/{contactId}', pathParams: ['accountId', 'contactId']`, 'accountId: string, contactId: string') }],
        },
      ],
    },
    {
      // No pathParams property yet, but queryParams declared: the suggestion adds the property.
      code: routes(`method: 'GET', path: '/accounts/{accountId}', queryParams: ['query']`, 'accountId: string, query: string'),
      errors: [
        {
          messageId: 'placeholderNotDeclared',
          line: 3,
          suggestions: [{ messageId: 'addPathParams', output: routes(`method: 'GET', path: '/accounts/{accountId}', queryParams: ['query'], pathParams: ['accountId']`, 'accountId: string, query: string') }],
        },
      ],
    },
    {
      // The seeds' mistake: a query parameter declared as a path parameter.
      code: routes(`method: 'GET', path: '/accounts/{accountId}/activities', pathParams: ['accountId', 'query']`, 'accountId: string, query: string'),
      errors: [{ messageId: 'pathParamNotInPath', line: 3, column: 98, endColumn: 105 }],
    },
    {
      // The seeds' mistake: one parameter declared in both lists is one report.
      code: routes(`method: 'GET', path: '/contacts/{contactId}', pathParams: ['contactId'], queryParams: ['contactId']`, 'contactId: string'),
      errors: [{ messageId: 'paramInBothLists', line: 3, column: 102, endColumn: 113 }],
    },
    {
      code: routes(`method: 'GET', path: '/contacts', queryParams: ['q', 'q']`, 'q: string'),
      errors: [{ messageId: 'duplicateParam', line: 3, column: 68, endColumn: 71 }],
    },
    {
      code: routes(`method: 'GET', path: '/contacts/{contactId}/notes', pathParams: ['contactId']`, 'contactId: string, limit: number'),
      errors: [
        {
          messageId: 'undeclaredHandlerParam',
          line: 4,
          column: 30,
          endColumn: 43,
          suggestions: [
            { messageId: 'addQueryParam', output: routes(`method: 'GET', path: '/contacts/{contactId}/notes', pathParams: ['contactId'], queryParams: ['limit']`, 'contactId: string, limit: number') },
            { messageId: 'useAsBody', output: routes(`method: 'GET', path: '/contacts/{contactId}/notes', pathParams: ['contactId'], body: 'limit'`, 'contactId: string, limit: number') },
          ],
        },
      ],
    },
    {
      code: routes(`method: 'GET', path: '/contacts', queryParams: ['page'], body: 'payload'`, 'page: number'),
      errors: [{ messageId: 'declaredNotAParameter', line: 3, column: 78, endColumn: 87 }],
    },
    {
      code: routes(`method: 'DELETE', path: '/contacts/:contactId', pathParams: ['contactId']`, 'contactId: string'),
      errors: [
        {
          messageId: 'colonPlaceholder',
          line: 3,
          column: 50,
          endColumn: 60,
          suggestions: [{ messageId: 'rewriteColon', output: routes(`method: 'DELETE', path: '/contacts/{contactId}', pathParams: ['contactId']`, 'contactId: string') }],
        },
      ],
    },
    {
      code: routes(`method: 'POST', path: '/contacts', queryParams: []`, '{ name }: NewContact'),
      errors: [{ messageId: 'unnamedHandlerParam', line: 4, column: 11 }],
    },
    {
      // Non-literal declarations are unverifiable, reported once, never guessed at.
      code: unverifiableCode,
      errors: [
        { messageId: 'unverifiableOption', line: 3, column: 36 },
        { messageId: 'unverifiableList', line: 5, column: 59 },
        { messageId: 'unverifiableList', line: 7, column: 60 },
        { messageId: 'unverifiableList', line: 9, column: 13 },
        { messageId: 'unverifiableOption', line: 11, column: 36 },
        // The lists are literal, so the parameter check still runs.
        {
          messageId: 'undeclaredHandlerParam',
          line: 12,
          column: 14,
          suggestions: [
            { messageId: 'addQueryParam', output: unverifiableCode.replace("pathParams: [] })", "pathParams: [], queryParams: ['x'] })") },
            { messageId: 'useAsBody', output: unverifiableCode.replace("pathParams: [] })", "pathParams: [], body: 'x' })") },
          ],
        },
      ],
    },
  ],
});
