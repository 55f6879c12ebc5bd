/**
 * The early check: a guarded client refuses a request before the SDK resolves its credentials, so a
 * refused request costs no credential fetch (for a scope with assumed-role credentials, no STS
 * AssumeRole) and sends nothing. It is a middleware on the client's stack, judging the same
 * plain-data snapshot (`snapshotInput`) with the same service rules as the seal, and refusing with
 * the same `IsolationViolationError`.
 *
 * Where it runs: right before `httpAuthSchemeMiddleware` (serialize step), where the SDK resolves
 * the identity. Not in the `initialize` step: the Document client marshals its input in the
 * serialize step (lib-dynamodb's `DocumentMarshall`, before the serializer and, as the command's
 * stack is built, before identity resolution), so at `initialize` a Document command still holds
 * plain values the DynamoDB rules would refuse. Right before identity resolution, every
 * `initialize` middleware (S3's SSE-C and region redirect ones included) and the marshalling have run.
 *
 * Which operation: the operation schema in the command's smithy context, the one the serializer
 * middleware hands to the (sealed) protocol, so both checkpoints judge one operation. Not
 * `context.commandName` nor the command's class: a command names itself as it likes (a Scan-shaped
 * command can call itself `DescribeEndpointsCommand`); the schema is what gets serialized.
 *
 * The snapshot it judged is what the rest of the stack sees (`args.input`), so the caller's input is
 * read once. The check is not the wall: middleware can be removed, and a later one can rewrite the
 * input or the context again. The seal and the gate (ADR 0015) still judge what is serialized and
 * sent, and refuse whatever the early check passed that has changed since.
 */
import { getSmithyContext } from '@smithy/core';
import type { MiddlewareStack, RelativeMiddlewareOptions, SerializeHandlerArguments, SerializeMiddleware } from '@smithy/types';
import { snapshotInput, type SealHooks } from './guard-seal.js';
import { SnapshotError } from './snapshot.js';
import type { IsolationViolationError } from './violation.js';

/** The name of the early check's middleware on a guarded client's stack. */
export const ISOLATION_EARLY_CHECK = 'isolationGuardEarlyCheck';

/** Where the SDK resolves the identity (credentials): the early check runs right before it. */
const IDENTITY_MIDDLEWARE = 'httpAuthSchemeMiddleware';

const EARLY_CHECK_OPTIONS: RelativeMiddlewareOptions & { name: string } = {
  name: ISOLATION_EARLY_CHECK,
  relation: 'before',
  toMiddleware: IDENTITY_MIDDLEWARE,
  tags: ['ISOLATION_GUARD'],
  override: true,
};

/** What the early check needs from the guard it belongs to: the seal's judgement, and a refusal for an input it cannot read. */
export interface EarlyCheckHooks extends Pick<SealHooks, 'judge' | 'uncopyable' | 'refuse' | 'opaque'> {
  /** The refusal of an input whose reading threw (a getter or Proxy trap). */
  unreadable(operation: string, error: unknown): IsolationViolationError;
}

/** The operation the serializer middleware will serialize: the name in the context's operation schema (`[9, namespace, name, …]`), as the seal reads it. */
function operationOf(context: object): string {
  const schema: unknown = getSmithyContext(context as Record<string, unknown>)['operationSchema'];
  const name: unknown = Array.isArray(schema) ? schema[2] : undefined;
  return typeof name === 'string' ? name : '';
}

export function earlyCheckMiddleware(hooks: EarlyCheckHooks): SerializeMiddleware<object, object> {
  return (next, context) => (args) => {
    const operation = operationOf(context);
    let copy: unknown;
    try {
      copy = snapshotInput(args.input, hooks.opaque);
    } catch (error) {
      return hooks.refuse(error instanceof SnapshotError ? hooks.uncopyable(operation, error) : hooks.unreadable(operation, error));
    }
    const judged: SerializeHandlerArguments<object> = { ...args, input: copy as object };
    const verdict = hooks.judge(operation, copy);
    if (verdict === undefined) return next(judged);
    if (verdict instanceof Promise) return verdict.then((outcome) => (outcome === undefined ? next(judged) : hooks.refuse(outcome)));
    return hooks.refuse(verdict);
  };
}

/**
 * Adds the early check to a client's middleware stack, if the client resolves identities through
 * HTTP auth schemes (`config.httpAuthSchemeProvider`, read by `httpAuthSchemeMiddleware`: every
 * client of the SDK versions the runtime supports). The stack is not asked: the client's own stack
 * lists `httpAuthSchemeMiddleware` only once a command adds the endpoint middleware it is placed
 * against. Returns whether it did; without one, the seal and the gate guard the client alone.
 */
export function addEarlyCheck(stack: unknown, config: object, hooks: EarlyCheckHooks): boolean {
  const candidate = stack as Partial<Pick<MiddlewareStack<object, object>, 'addRelativeTo'>> | null | undefined;
  if (typeof candidate?.addRelativeTo !== 'function' || typeof (config as { httpAuthSchemeProvider?: unknown }).httpAuthSchemeProvider !== 'function') return false;
  candidate.addRelativeTo(earlyCheckMiddleware(hooks), EARLY_CHECK_OPTIONS);
  return true;
}
