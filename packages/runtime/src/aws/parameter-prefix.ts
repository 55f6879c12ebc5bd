/**
 * The prefix of a tenant or capsule scope's SSM parameter names and Secrets Manager secret names
 * (`scope.parameterPrefix`). Default (`parameterPrefixOf`): `/tenants/<tenant>/capsules/<capsule>/`,
 * tenant scope `/tenants/<tenant>/`. The factory's `parameterPrefix` option replaces it with a
 * function of the scope, e.g. to put the application and stage first:
 * `createClientFactory({ parameterPrefix: (scope) => '/crm/prod' + parameterPrefixOf(scope) })`.
 *
 * The guards enforce whatever prefix a scope has, so a prefix must be one they can enforce: an SSM
 * hierarchy (`/` first and last, segments of `[A-Za-z0-9_.-]`, none empty, `.` or `..`, not under
 * the reserved `/aws` or `/ssm`) that names the scope's tenant — and, for a capsule, its capsule —
 * as a segment. The function must give distinct scopes distinct prefixes, neither a prefix of the
 * other except a tenant's of its own capsules'; the default does.
 */
import { parameterPrefixOf, scopeLabel, type GuardedScope } from './scope.js';

/** A scope's parameter prefix, in place of the default. */
export type ParameterPrefixNaming = (scope: GuardedScope) => string;

export const defaultParameterPrefix: ParameterPrefixNaming = parameterPrefixOf;

/** Thrown for a parameter prefix the guards could not enforce. */
export class ParameterPrefixError extends Error {
  override readonly name = 'ParameterPrefixError';
}

/** Characters of an SSM parameter name, all of which Secrets Manager names allow too. */
const PREFIX = /^\/(?:[A-Za-z0-9_.-]+\/)+$/;

/** `prefix` if it is one the guards can enforce for `scope`; else throws a `ParameterPrefixError`. */
export function checkParameterPrefix(prefix: unknown, scope: GuardedScope): string {
  const fail = (why: string): never => {
    const shown = typeof prefix === 'string' ? JSON.stringify(prefix) : `a ${prefix === null ? 'null' : typeof prefix}`;
    throw new ParameterPrefixError(`the parameter prefix of ${scopeLabel(scope)} is ${shown}, ${why}; expected an SSM hierarchy such as ${JSON.stringify(parameterPrefixOf(scope))}`);
  };
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) return fail("which is not '/', then segments of letters, digits, '_', '.' or '-' each ending in '/'");
  const segments = prefix.slice(1, -1).split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return fail("which has a '.' or '..' segment");
  const first = (segments[0] ?? '').toLowerCase();
  if (first === 'aws' || first === 'ssm') return fail("which is under SSM's reserved '/aws' or '/ssm'");
  const tenant = segments.indexOf(scope.tenantId);
  if (tenant === -1) return fail(`which does not name the tenant ${JSON.stringify(scope.tenantId)} as a segment (another tenant's scope could share it)`);
  if (scope.kind === 'capsule' && !segments.some((segment, index) => index !== tenant && segment === scope.capsuleId)) {
    return fail(`which does not name the capsule ${JSON.stringify(scope.capsuleId)} as a segment of its own (another capsule's scope could share it)`);
  }
  return prefix;
}
