import { describe, expect, it } from 'vitest';
import { checkEndpoint, checkEndpointExplicitParams, checkEndpointParams } from '../../src/rules/index.js';
import type { EndpointDeclaration } from '../../src/rules/index.js';

const known = <T>(value: T) => ({ kind: 'known', value }) as const;
const list = (...names: string[]) => known(names.map(known));
const endpoint = (overrides: Partial<EndpointDeclaration> = {}): EndpointDeclaration => ({
  kind: 'endpoint',
  name: 'AccountRoutes.listContactActivities',
  method: known('GET'),
  path: known('/accounts/{accountId}/contacts/{contactId}/activities'),
  pathParams: list('accountId', 'contactId'),
  queryParams: list('query'),
  body: undefined,
  handlerParameters: [{ name: 'accountId' }, { name: 'contactId' }, { name: 'query' }],
  ...overrides,
});
const ids = (violations: { messageId: string }[]) => violations.map((violation) => violation.messageId);

describe('endpoint checks', () => {
  it('accept an explicit, consistent declaration', () => {
    expect(checkEndpoint(endpoint())).toEqual([]);
  });

  it('leave the legacy form to endpoint-explicit-params, with the migration as a suggestion', () => {
    const legacy = endpoint({ pathParams: undefined, queryParams: undefined });
    expect(checkEndpointParams(legacy)).toEqual([]);
    const [violation] = checkEndpointExplicitParams(legacy);
    expect(violation?.suggestions?.[0]?.edits).toEqual([
      { kind: 'setOption', option: 'pathParams', value: ['accountId', 'contactId'] },
      { kind: 'setOption', option: 'queryParams', value: ['query'] },
    ]);
  });

  it('report each inconsistency once', () => {
    expect(ids(checkEndpointParams(endpoint({ pathParams: list('accountId') })))).toEqual(['placeholderNotDeclared']);
    expect(ids(checkEndpointParams(endpoint({ pathParams: list('accountId', 'contactId', 'query') })))).toEqual(['paramInBothLists']);
    expect(ids(checkEndpointParams(endpoint({ queryParams: list('query', 'query') })))).toEqual(['duplicateParam']);
    expect(ids(checkEndpointParams(endpoint({ queryParams: list('query', 'limit') })))).toEqual(['declaredNotAParameter']);
    expect(ids(checkEndpointParams(endpoint({ queryParams: list() })))).toEqual(['undeclaredHandlerParam']);
    expect(ids(checkEndpointParams(endpoint({ path: known('/accounts/:accountId/contacts/{contactId}/activities') })))).toEqual(['colonPlaceholder']);
  });

  it('skip handler checks where parameter names are unknown (decorators at run time)', () => {
    expect(checkEndpointParams(endpoint({ handlerParameters: undefined, queryParams: list('page') }))).toEqual([]);
  });

  it('report unverifiable lists once and skip the checks that need them', () => {
    const violations = checkEndpointParams(endpoint({ pathParams: { kind: 'unverifiable', found: 'the variable `ids`' } }));
    expect(ids(violations)).toEqual(['unverifiableList']);
    expect(violations[0]?.data).toMatchObject({ found: 'the variable `ids`' });
  });
});
