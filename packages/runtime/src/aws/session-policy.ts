/**
 * The opt-in second wall: an IAM session policy, passed to STS AssumeRole, that lets the assumed
 * credentials touch only items whose partition key starts with one scope's prefix. Even a client
 * that bypassed the run-time guard cannot then read or write another scope's items.
 *
 * How IAM evaluates it (see the field notes, "IAM as a second wall"):
 * - `dynamodb:LeadingKeys` is the partition-key value(s) of the request (of the index, for a query
 *   on an index); it is multi-valued, so it needs `ForAllValues:`, and prefixes need `StringLike`.
 * - `ForAllValues` is also true when the request carries no partition key at all; the `Null`
 *   condition (`"false"`: the key must be present) closes that gap.
 * - Scan carries no partition key and is left out (so is PartiQL). Transactions are authorised by
 *   the per-item actions (`ConditionCheckItem` for condition checks).
 * - `DescribeTable` is left out too: it carries no partition key (the `Null` condition would deny
 *   it anyway) and it reports table-wide item counts and sizes across all scopes.
 */
import { isCapsuleId, isTenantId } from '../ids.js';
import { keyPrefixOf, scopeLabel, type GuardedScope } from './scope.js';

/** An IAM policy document as plain JSON data. */
export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamPolicyStatement[];
}

export interface IamPolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  /** Operator → condition key → value(s). */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * The actions a scoped session may perform: the item-level ones `dynamodb:LeadingKeys` constrains.
 * TransactWriteItems and TransactGetItems are authorised through them.
 */
export const SCOPED_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** STS limit on the plaintext of an inline session policy (AssumeRole `Policy`). */
export const SESSION_POLICY_MAX_CHARACTERS = 2048;

/** Thrown when a session policy cannot be built from the given input, or would be too large for STS. */
export class SessionPolicyError extends Error {
  override readonly name = 'SessionPolicyError';
  constructor(
    /** What was found. */
    readonly found: string,
    /** What is expected, and how to fix it. */
    readonly expected: string,
  ) {
    super(`Cannot build the session policy: found ${found}; expected ${expected}`);
  }
}

/** `arn:aws:dynamodb:eu-west-1:123456789012:table/platform_data` (any partition; no wildcards, no index ARNs). */
const TABLE_ARN = /^arn:aws(?:-[a-z]+)*:dynamodb:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;

/** The IAM session policy that confines assumed-role credentials to one scope's partition keys. */
export function sessionPolicyFor(
  scope: GuardedScope,
  tables: { readonly arns: readonly string[] } | readonly string[],
  options: { readonly indexes?: boolean } = {},
): IamPolicyDocument {
  const prefix = keyPrefixOf(checkedScope(scope));
  const arns = tableArns(tables);
  const resources = options.indexes ? arns.flatMap((arn) => [arn, `${arn}/index/*`]) : arns;

  const policy: IamPolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ItemsUnderScopePrefix',
        Effect: 'Allow',
        Action: [...SCOPED_ITEM_ACTIONS],
        Resource: resources,
        Condition: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      },
    ],
  };

  const size = JSON.stringify(policy).length;
  if (size > SESSION_POLICY_MAX_CHARACTERS) {
    throw new SessionPolicyError(
      `${size} characters for ${scopeLabel(scope)} on ${arns.length} table(s)${options.indexes ? ' with indexes' : ''}`,
      `at most ${SESSION_POLICY_MAX_CHARACTERS} (the STS limit for an inline session policy); ` +
        'pass fewer tables per session, leave out indexes the scope does not query, or attach a managed policy to the role instead',
    );
  }
  return policy;
}

/**
 * The prefix becomes a `StringLike` pattern: a `*` or `?` smuggled into an id (an unbranded
 * string cast to TenantId) would widen the wall, so the ids are checked again here.
 */
function checkedScope(scope: GuardedScope): GuardedScope {
  const kind: unknown = (scope as { kind?: unknown } | null)?.kind;
  if (kind !== 'tenant' && kind !== 'capsule') {
    throw new SessionPolicyError(`a scope of kind ${JSON.stringify(kind)}`, "a tenant or capsule scope (platform and operator scopes have no key prefix)");
  }
  if (!isTenantId(scope.tenantId)) {
    throw new SessionPolicyError(`tenantId ${JSON.stringify(scope.tenantId)}`, "1–64 characters of [A-Za-z0-9_-] (build ids with tenantId())");
  }
  if (scope.kind === 'capsule' && !isCapsuleId(scope.capsuleId)) {
    throw new SessionPolicyError(`capsuleId ${JSON.stringify(scope.capsuleId)}`, "1–32 characters of [A-Za-z0-9_-] (build ids with capsuleId())");
  }
  return scope;
}

function tableArns(tables: { readonly arns: readonly string[] } | readonly string[]): string[] {
  const list: readonly unknown[] | undefined = Array.isArray(tables) ? tables : (tables as { arns?: unknown } | null)?.arns as readonly unknown[] | undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new SessionPolicyError(Array.isArray(list) ? 'no table ARNs' : `tables of type ${typeof list}`, 'one or more DynamoDB table ARNs');
  }
  for (const arn of list) {
    if (typeof arn !== 'string' || !TABLE_ARN.test(arn)) {
      throw new SessionPolicyError(
        `table ARN ${JSON.stringify(arn)}`,
        "a DynamoDB table ARN such as 'arn:aws:dynamodb:eu-west-1:123456789012:table/platform_data', without wildcards (pass `indexes: true` for the table's indexes)",
      );
    }
  }
  return [...new Set(list as readonly string[])];
}
