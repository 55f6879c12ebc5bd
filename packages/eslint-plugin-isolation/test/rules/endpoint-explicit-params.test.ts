import rule from '../../src/rules/endpoint-explicit-params.js';
import { RUNTIME_IMPORT, ruleTester } from '../rule-tester.js';

const routes = (options: string, parameters: string) => `${RUNTIME_IMPORT}
export class ContactRoutes {
  @Endpoint({ ${options} })
  handler(${parameters}) { return undefined; }
}`;

ruleTester.run('endpoint-explicit-params', rule, {
  valid: [
    routes(`method: 'GET', path: '/accounts/{accountId}', pathParams: ['accountId']`, 'accountId: string'),
    routes(`method: 'GET', path: '/search', queryParams: ['term']`, 'term: string'),
    // Nothing to infer: no placeholders, no parameters.
    routes(`method: 'GET', path: '/health'`, ''),
  ],
  invalid: [
    {
      // The seeds' mistake: `query` inferred as a path parameter by the legacy form.
      code: routes(`method: 'GET', path: '/accounts/{accountId}/contacts'`, 'accountId: string, query: ContactQuery'),
      errors: [
        {
          messageId: 'implicitParams',
          line: 3,
          column: 3,
          suggestions: [
            {
              messageId: 'declareParams',
              output: routes(`method: 'GET', path: '/accounts/{accountId}/contacts', pathParams: ['accountId'], queryParams: ['query']`, 'accountId: string, query: ContactQuery'),
            },
          ],
        },
      ],
    },
    {
      // The body parameter is neither path nor query.
      code: routes(`method: 'PUT', path: '/contacts/{contactId}', body: 'input'`, 'contactId: string, input: ContactInput'),
      errors: [{ messageId: 'implicitParams', suggestions: [{ messageId: 'declareParams', output: routes(`method: 'PUT', path: '/contacts/{contactId}', body: 'input', pathParams: ['contactId']`, 'contactId: string, input: ContactInput') }] }],
    },
    {
      code: routes(`method: 'GET', path: '/search'`, 'term: string'),
      errors: [{ messageId: 'implicitParams', suggestions: [{ messageId: 'declareParams', output: routes(`method: 'GET', path: '/search', queryParams: ['term']`, 'term: string') }] }],
    },
    {
      // No unambiguous migration for a destructured parameter: report without a suggestion.
      code: routes(`method: 'GET', path: '/accounts/{accountId}'`, '{ accountId }: Params'),
      errors: [{ messageId: 'implicitParams', suggestions: [] }],
    },
  ],
});
