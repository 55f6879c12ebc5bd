import { isLegacyEndpoint } from './endpoint-params.js';
import type { Edit, EndpointDeclaration } from './model.js';
import { pathPlaceholders } from './path.js';
import type { Suggestion, Violation } from './violation.js';

/**
 * The legacy form: placeholders or handler parameters, but neither list declared. The suggestion
 * is the migration: placeholders become path params, the other parameters (but the body) query params.
 */
export function checkEndpointExplicitParams(endpoint: EndpointDeclaration): Violation[] {
  if (!isLegacyEndpoint(endpoint)) return [];
  const path = endpoint.path?.kind === 'known' ? endpoint.path.value : undefined;
  const placeholders = path === undefined ? undefined : pathPlaceholders(path).map((placeholder) => placeholder.name);
  const parameters = endpoint.handlerParameters;
  const hasParameters = parameters !== undefined && parameters.length > 0;
  if (!hasParameters && (placeholders === undefined || placeholders.length === 0)) return [];
  return [
    {
      rule: 'endpoint-explicit-params',
      messageId: 'implicitParams',
      data: { endpoint: endpoint.name },
      target: { kind: 'decorator' },
      suggestions: migration(endpoint, placeholders),
    },
  ];
}

function migration(endpoint: EndpointDeclaration, placeholders: readonly string[] | undefined): Suggestion[] | undefined {
  const parameters = endpoint.handlerParameters;
  if (placeholders === undefined || parameters === undefined || parameters.some((parameter) => parameter.name === undefined)) return undefined;
  if (endpoint.body !== undefined && endpoint.body.kind !== 'known') return undefined;
  const body = endpoint.body?.value;
  const pathParams = [...new Set(placeholders)];
  const queryParams = parameters.map((parameter) => parameter.name as string).filter((name) => name !== body && !pathParams.includes(name));
  const edits: Edit[] = [];
  const parts: string[] = [];
  if (pathParams.length > 0) {
    edits.push({ kind: 'setOption', option: 'pathParams', value: pathParams });
    parts.push(`pathParams: [${pathParams.map((name) => `'${name}'`).join(', ')}]`);
  }
  if (queryParams.length > 0 || pathParams.length === 0) {
    edits.push({ kind: 'setOption', option: 'queryParams', value: queryParams });
    parts.push(`queryParams: [${queryParams.map((name) => `'${name}'`).join(', ')}]`);
  }
  return [{ messageId: 'declareParams', data: { declaration: `\`${parts.join(', ')}\`` }, edits }];
}
