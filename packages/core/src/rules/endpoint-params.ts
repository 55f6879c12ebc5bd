import type { Declared, DeclaredList, EndpointDeclaration } from './model.js';
import { pathPlaceholders, type PathPlaceholder } from './path.js';
import type { Suggestion, Violation } from './violation.js';
import { describeUnverifiable } from './violation.js';

const RULE = 'endpoint-params';
type ListOption = 'pathParams' | 'queryParams';

interface KnownEntry {
  readonly name: string;
  readonly index: number;
}

/** An endpoint that declares neither list: the legacy form, left to `endpoint-explicit-params`. */
export function isLegacyEndpoint(endpoint: EndpointDeclaration): boolean {
  return endpoint.pathParams === undefined && endpoint.queryParams === undefined;
}

/**
 * Explicit parameter declarations agree with the path and the handler. Checks that need what is
 * unverifiable (a computed path, a list built at run time) are skipped after reporting it once.
 */
export function checkEndpointParams(endpoint: EndpointDeclaration): Violation[] {
  if (isLegacyEndpoint(endpoint)) return [];
  const violations: Violation[] = [];
  const base = { endpoint: endpoint.name };

  const path = knownOrReport(endpoint.path, 'path', `The path of \`${endpoint.name}\``, violations);
  const pathList = listEntries(endpoint.pathParams, 'pathParams', endpoint.name, violations);
  const queryList = listEntries(endpoint.queryParams, 'queryParams', endpoint.name, violations);
  const body = knownOrReport(endpoint.body, 'body', `The body parameter of \`${endpoint.name}\``, violations);
  const placeholders = path === undefined ? undefined : pathPlaceholders(path);

  for (const placeholder of placeholders ?? []) {
    if (placeholder.style === 'colon') {
      const fixed = `${path!.slice(0, placeholder.start)}{${placeholder.name}}${path!.slice(placeholder.end)}`;
      violations.push({
        rule: RULE,
        messageId: 'colonPlaceholder',
        data: { ...base, path: path!, name: placeholder.name },
        target: { kind: 'option', option: 'path', range: [placeholder.start, placeholder.end] },
        suggestions: [{ messageId: 'rewriteColon', data: { path: fixed }, edits: [{ kind: 'setOption', option: 'path', value: fixed }] }],
      });
    }
  }
  const braces = (placeholders ?? []).filter((placeholder) => placeholder.style === 'brace');

  if (pathList !== undefined && placeholders !== undefined) {
    const declared = new Set(pathList.map((entry) => entry.name));
    const missing = uniqueByName(braces.filter((placeholder) => !declared.has(placeholder.name)));
    const addAll: Suggestion = {
      messageId: 'addPathParams',
      data: { names: missing.map((placeholder) => `'${placeholder.name}'`).join(', ') },
      edits: [{ kind: 'appendToList', option: 'pathParams', items: missing.map((placeholder) => placeholder.name) }],
    };
    for (const placeholder of missing) {
      violations.push({
        rule: RULE,
        messageId: 'placeholderNotDeclared',
        data: { ...base, name: placeholder.name },
        target: { kind: 'option', option: 'path', range: [placeholder.start, placeholder.end] },
        suggestions: [addAll],
      });
    }
  }

  // Entries already reported for one mistake are not reported again for another.
  const reported = new Set<string>();
  const report = (list: ListOption, entry: KnownEntry, messageId: string, extra: Record<string, string> = {}): void => {
    reported.add(`${list}:${entry.index}`);
    violations.push({ rule: RULE, messageId, data: { ...base, list, name: entry.name, ...extra }, target: { kind: 'option', option: list, index: entry.index } });
  };
  for (const [list, entries] of [['pathParams', pathList], ['queryParams', queryList]] as const) {
    const seen = new Set<string>();
    for (const entry of entries ?? []) {
      if (seen.has(entry.name)) report(list, entry, 'duplicateParam');
      seen.add(entry.name);
    }
  }
  const pathNames = new Set(pathList?.map((entry) => entry.name));
  const queryNames = new Set(queryList?.map((entry) => entry.name));
  for (const entry of queryList ?? []) {
    if (pathNames.has(entry.name) && !reported.has(`queryParams:${entry.index}`)) report('queryParams', entry, 'paramInBothLists');
  }
  if (placeholders !== undefined) {
    // A `:name` placeholder is already reported for its style; its name still counts as in the path.
    const inPath = new Set(placeholders.map((placeholder) => placeholder.name));
    for (const entry of pathList ?? []) {
      // A name in both lists is one mistake, already reported at its queryParams entry.
      if (!inPath.has(entry.name) && !queryNames.has(entry.name) && !reported.has(`pathParams:${entry.index}`)) report('pathParams', entry, 'pathParamNotInPath', { path: path! });
    }
  }

  const parameters = endpoint.handlerParameters;
  if (parameters === undefined) return violations;
  const parameterNames = new Set(parameters.flatMap((parameter) => (parameter.name === undefined ? [] : [parameter.name])));
  for (const [list, entries] of [['pathParams', pathList], ['queryParams', queryList]] as const) {
    for (const entry of entries ?? []) {
      if (!parameterNames.has(entry.name) && !reported.has(`${list}:${entry.index}`)) report(list, entry, 'declaredNotAParameter');
    }
  }
  if (body !== undefined && !parameterNames.has(body)) {
    violations.push({ rule: RULE, messageId: 'declaredNotAParameter', data: { ...base, list: 'body', name: body }, target: { kind: 'option', option: 'body' } });
  }

  const declaredNames = new Set([...(pathList ?? []), ...(queryList ?? [])].map((entry) => entry.name));
  const placeholderNames = new Set(braces.map((placeholder) => placeholder.name));
  const listsKnown = (endpoint.pathParams === undefined || pathList !== undefined) && (endpoint.queryParams === undefined || queryList !== undefined);
  for (const [index, parameter] of parameters.entries()) {
    if (parameter.name === undefined) {
      violations.push({ rule: RULE, messageId: 'unnamedHandlerParam', data: { ...base, position: ordinal(index + 1) }, target: { kind: 'parameter', index } });
      continue;
    }
    const name = parameter.name;
    // A path placeholder missing from pathParams is already reported at the placeholder.
    if (!listsKnown || declaredNames.has(name) || name === body || placeholderNames.has(name)) continue;
    const suggestions: Suggestion[] = [{ messageId: 'addQueryParam', data: { name }, edits: [{ kind: 'appendToList', option: 'queryParams', items: [name] }] }];
    if (endpoint.body === undefined) {
      suggestions.push({ messageId: 'useAsBody', data: { name }, edits: [{ kind: 'setOption', option: 'body', value: name }] });
    }
    violations.push({
      rule: RULE,
      messageId: 'undeclaredHandlerParam',
      data: { ...base, name, bodyHint: endpoint.body === undefined ? ` or name it as the request body (\`body: '${name}'\`)` : '' },
      target: { kind: 'parameter', index },
      suggestions,
    });
  }
  return violations;
}

function knownOrReport(value: Declared<string> | undefined, option: string, what: string, violations: Violation[]): string | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'known') return value.value;
  violations.push({ rule: RULE, messageId: 'unverifiableOption', data: describeUnverifiable(what, value.found), target: { kind: 'option', option } });
  return undefined;
}

/** Known entries of a list; undefined (after reporting) when the list itself cannot be read. */
function listEntries(list: DeclaredList | undefined, option: ListOption, endpoint: string, violations: Violation[]): KnownEntry[] | undefined {
  if (list === undefined) return [];
  if (list.kind === 'unverifiable' && list.notOptions === true) {
    violations.push({ rule: RULE, messageId: 'notOptions', data: { endpoint, found: list.found }, target: { kind: 'decorator' } });
    return undefined;
  }
  if (list.kind === 'unverifiable') {
    violations.push({
      rule: RULE,
      messageId: 'unverifiableList',
      data: describeUnverifiable(`\`${option}\` of \`${endpoint}\``, list.found, ' array of names'),
      target: { kind: 'option', option },
    });
    return undefined;
  }
  const entries: KnownEntry[] = [];
  let complete = true;
  for (const [index, entry] of list.value.entries()) {
    if (entry.kind === 'known') {
      entries.push({ name: entry.value, index });
      continue;
    }
    complete = false;
    violations.push({
      rule: RULE,
      messageId: 'unverifiableList',
      data: describeUnverifiable(`Entry ${index + 1} of \`${option}\` of \`${endpoint}\``, entry.found),
      target: { kind: 'option', option, index },
    });
  }
  return complete ? entries : undefined;
}

function uniqueByName(placeholders: readonly PathPlaceholder[]): PathPlaceholder[] {
  const seen = new Set<string>();
  return placeholders.filter((placeholder) => !seen.has(placeholder.name) && seen.add(placeholder.name));
}

function ordinal(position: number): string {
  return `#${position}`;
}
