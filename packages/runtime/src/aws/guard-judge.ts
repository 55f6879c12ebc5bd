/**
 * From a service's rules to a verdict: runs the rules, loads a table's key schema when the rules
 * need it (then asks again), and turns a failure into the `IsolationViolationError` the caller sees.
 * Synchronous whenever the key schemas are known (the common case), a promise otherwise.
 */
import { Failure, quote } from './guard-format.js';
import { PendingKeys } from './guard-dynamodb.js';
import type { CompiledPolicy } from './guard-policy.js';
import { IsolationViolationError } from './violation.js';

/** A service's rules: the first failure of one operation's input, or `undefined`. */
export type ServiceRules = (operation: string, input: unknown, c: CompiledPolicy, label?: string) => Failure | undefined;

export type Verdict = IsolationViolationError | undefined;

/** How many distinct tables one command may wait on (a BatchGetItem names at most 100). */
const MAX_TABLE_LOADS = 100;

/** `label` names the command in messages; default `<operation>Command`, built only for a refusal. */
export function judge(rules: ServiceRules, operation: string, input: unknown, c: CompiledPolicy, label?: string): Verdict | Promise<Verdict> {
  const failure = rules(operation, input, c, label);
  if (failure === undefined) return undefined;
  const named = label ?? `${operation}Command`;
  if (failure instanceof PendingKeys) return loadThenJudge(rules, operation, input, c, named, failure);
  return violationOf(c, failure, named);
}

export function violationOf(c: CompiledPolicy, failure: Failure, label: string, cause?: unknown): IsolationViolationError {
  return new IsolationViolationError(failure.rule, c.scope, label, failure.found, failure.expected, cause === undefined ? undefined : { cause });
}

async function loadThenJudge(rules: ServiceRules, operation: string, input: unknown, c: CompiledPolicy, label: string, first: PendingKeys): Promise<Verdict> {
  let pending = first;
  for (let loads = 0; loads < MAX_TABLE_LOADS; loads += 1) {
    try {
      await c.schemas.load(pending.table);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const failure = new Failure(
        'unverifiable-request',
        `TableName = ${quote(pending.table)}, whose key schema cannot be read (${reason})`,
        "DescribeTable permission on the scope's tables for the factory's own credentials (the guard learns each table's index keys from it), or createClientFactory({ keySchemas: 'declared' }) with every index in keys.indexes",
      );
      return violationOf(c, failure, label, error);
    }
    const failure = rules(operation, input, c, label);
    if (failure === undefined) return undefined;
    if (!(failure instanceof PendingKeys)) return violationOf(c, failure, label);
    pending = failure;
  }
  return violationOf(c, pending, label);
}
