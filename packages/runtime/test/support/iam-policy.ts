/**
 * A small evaluator of IAM policy documents, for testing what a session policy allows: Allow and
 * Deny statements, `Action` and `Resource` patterns, and the condition operators our policies use
 * (`StringLike`, `StringEquals`, `Null`, and `ForAllValues:`/`ForAnyValue:` on the string ones).
 * An operator it does not know throws: it never guesses.
 *
 * Wildcards: `*` is any run of characters, `?` any one. IAM matches ARNs segment by segment, and a
 * `*` stays inside its colon-delimited segment unless it ends the segment; here `*` spans colons
 * everywhere, so this matcher accepts at least what IAM accepts. A request it refuses, IAM refuses
 * too — the direction that matters for a wall. (Where every `*` ends its pattern, as in our
 * session policies, both readings agree.)
 */
import type { IamPolicyDocument, IamPolicyStatement } from '../../src/aws/session-policy.js';

/** Whether `value` matches the IAM wildcard `pattern` (`*`, `?`); everything else is literal. */
export function matchesWildcard(pattern: string, value: string, options: { readonly ignoreCase?: boolean } = {}): boolean {
  const p = options.ignoreCase ? pattern.toLowerCase() : pattern;
  const v = options.ignoreCase ? value.toLowerCase() : value;
  // Greedy matching with backtracking to the last `*`: linear in practice, no regular expressions.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    if (pi < p.length && p[pi] === '*') {
      star = pi;
      resume = vi;
      pi += 1;
    } else if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi += 1;
      vi += 1;
    } else if (star >= 0) {
      pi = star + 1;
      resume += 1;
      vi = resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}

/** What a request carries: its action, the resource it is authorised against, and its condition keys. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys (case-insensitive names) → value, or values for a multi-valued key. Absent keys are left out. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** IAM's verdict for a request under one policy: an explicit Deny wins, else an Allow is needed. */
export function isAllowed(policy: IamPolicyDocument, request: IamRequest): boolean {
  const matching = policy.Statement.filter((statement) => statementApplies(statement, request));
  if (matching.some((statement) => statement.Effect === 'Deny')) return false;
  return matching.some((statement) => statement.Effect === 'Allow');
}

function statementApplies(statement: IamPolicyStatement, request: IamRequest): boolean {
  return (
    statement.Action.some((pattern) => matchesWildcard(pattern, request.action, { ignoreCase: true })) &&
    statement.Resource.some((pattern) => matchesWildcard(pattern, request.resource)) &&
    Object.entries(statement.Condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, expected]) => conditionHolds(operator, lookup(request, key), expected)))
  );
}

function lookup(request: IamRequest, key: string): string | readonly string[] | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(request.context ?? {})) if (name.toLowerCase() === wanted) return value;
  return undefined;
}

const STRING_TESTS: Readonly<Record<string, (pattern: string, value: string) => boolean>> = {
  StringLike: (pattern, value) => matchesWildcard(pattern, value),
  StringEquals: (pattern, value) => pattern === value,
};

function conditionHolds(operator: string, actual: string | readonly string[] | undefined, expected: string | readonly string[]): boolean {
  const allowed = typeof expected === 'string' ? [expected] : expected;
  if (operator === 'Null') {
    const [flag] = allowed;
    if (allowed.length !== 1 || (flag !== 'true' && flag !== 'false')) throw new Error(`Null takes "true" or "false", found ${JSON.stringify(expected)}`);
    return (actual === undefined) === (flag === 'true');
  }
  const [qualifier, base] = operator.includes(':') ? (operator.split(':', 2) as [string, string]) : [undefined, operator];
  const test = STRING_TESTS[base];
  if (test === undefined) throw new Error(`condition operator ${operator} is not supported by this evaluator`);
  const matchesOne = (value: string): boolean => allowed.some((pattern) => test(pattern, value));
  if (qualifier === 'ForAllValues') return actual === undefined || (typeof actual === 'string' ? [actual] : actual).every(matchesOne);
  if (qualifier === 'ForAnyValue') return actual !== undefined && (typeof actual === 'string' ? [actual] : actual).some(matchesOne);
  if (qualifier !== undefined) throw new Error(`condition qualifier ${qualifier} is not supported by this evaluator`);
  if (actual === undefined) return false;
  if (typeof actual !== 'string') throw new Error(`${operator} on a multi-valued key needs ForAllValues: or ForAnyValue:`);
  return matchesOne(actual);
}
