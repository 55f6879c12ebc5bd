/**
 * Guards users define for services the runtime does not know: the interface our own services use
 * (`GuardedService`: a service id, how a request names its operation, and a rules function), made
 * public. A `ServiceGuard` registered with the factory (`createClientFactory({ guards })`) or
 * installed with `getIsolationGuardPlugin` runs at the same two checkpoints as ours (ADR 0015):
 * the seal judges a plain-data snapshot of each input with the user's rules and serializes that
 * snapshot; the gate sends only what the seal approved.
 *
 * How a request is bound to what was judged depends on the protocol:
 * - JSON protocols (`targetPrefix`): the operation is read from `X-Amz-Target`; the gate passes the
 *   approved bytes, and judges anything else as it will be sent, with the same rules.
 * - Other protocols (`bind`: REST, Query): the user's `bind` checks that the serialized request
 *   carries what the rules judged (its host, path, query, body), and the gate sends only requests
 *   whose address — method, URL, query, copy-source header and body, whatever the method — the seal
 *   recorded. A body the gate cannot compare (a stream) is refused.
 *
 * What the user's functions return is checked too: anything but `undefined` (send) or a failure
 * `{ found, expected }` (refuse) — a throw, a promise, `null`, `true` — refuses the request.
 */
import { describeValue, Failure, quote } from './guard-format.js';
import type { CompiledPolicy } from './guard-policy.js';
import type { HttpRequestLike } from './guard-seal.js';
import { GUARDED_SERVICES, type GuardedService } from './guard-services.js';
import type { GuardedScope } from './scope.js';
import type { GuardRule } from './violation.js';

/** What the rules see of the scope they guard. */
export interface GuardContext {
  readonly scope: GuardedScope;
  /** `TENANT#acme#CAPSULE#DEVUS#` */
  readonly keyPrefix: string;
  /** `tenants/acme/capsules/DEVUS/` */
  readonly objectPrefix: string;
  /** `/tenants/acme/capsules/DEVUS/` (or the factory's `parameterPrefix`) */
  readonly parameterPrefix: string;
}

/** Why a request is refused: what was found, what the scope expects and how to fix it. */
export interface GuardFailure {
  readonly found: string;
  readonly expected: string;
  /** The rule id the `IsolationViolationError` carries; default `service-scope`. */
  readonly rule?: GuardRule | undefined;
}

/**
 * One operation's input as it will be serialized: a plain-data copy (own members only; no getters,
 * Proxies or prototypes), the object the SDK then serializes. Rules read it and must not change it.
 */
export type GuardInput = Readonly<Record<string, unknown>>;

/** A serialized request, as `bind` sees it: a read-only copy. */
export interface GuardedRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port: number | undefined;
  readonly path: string;
  readonly query: Readonly<Record<string, string | readonly string[] | null>>;
  readonly headers: Readonly<Record<string, string>>;
  /** Text or bytes; `undefined` for no body, or one the guard cannot compare (then the gate refuses it anyway). */
  readonly body: string | Uint8Array | undefined;
}

/** A guard for a service the runtime does not guard itself. */
export interface ServiceGuard {
  /** The service id as the SDK names it (`client.config.serviceId`): `STS`, `Cognito Identity`, `Kinesis`. */
  readonly serviceId: string;
  /**
   * For services speaking an AWS JSON protocol: the prefix of their `X-Amz-Target` header
   * (`X-Amz-Target: <prefix>.<Operation>`), e.g. `AWSCognitoIdentityService`, `Kinesis_20131202`.
   * Give exactly one of `targetPrefix` and `bind`.
   */
  readonly targetPrefix?: string | undefined;
  /**
   * For every other protocol (REST, AWS Query): whether the serialized request carries what the
   * rules judged — e.g. that its host is the service's and its body names the judged members. It
   * runs after the rules passed, on the request the SDK serialized from the judged input.
   */
  readonly bind?: ((request: GuardedRequest, input: GuardInput, context: GuardContext, operation: string) => GuardFailure | undefined) | undefined;
  /**
   * The rules: `undefined` to send one operation's input, or the failure that refuses it.
   * `operation` is the name the SDK serializes (`AssumeRole`, `GetId`), never the command's class.
   * Synchronous, and free of side effects (it may run more than once per request); refuse
   * operations you do not check.
   */
  readonly rules: (operation: string, input: GuardInput, context: GuardContext) => GuardFailure | undefined;
}

/** Rule ids are kebab-case words (`service-scope`, `unbounded-operation`). */
const RULE_ID = /^[a-z]+(?:-[a-z]+)*$/;
const TARGET_PREFIX = /^[A-Za-z][A-Za-z0-9_.]*$/;

const contexts = new WeakMap<CompiledPolicy, GuardContext>();

function contextOf(c: CompiledPolicy): GuardContext {
  let context = contexts.get(c);
  if (context === undefined) {
    context = Object.freeze({ scope: c.scope, keyPrefix: c.prefix, objectPrefix: c.objectPrefix, parameterPrefix: c.parameterPrefix });
    contexts.set(c, context);
  }
  return context;
}

/** The user's verdict as ours: `undefined`, or a `Failure`; anything else refuses, saying what came back. */
function failureOf(serviceId: string, what: string, call: () => unknown): Failure | undefined {
  let outcome: unknown;
  try {
    outcome = call();
  } catch (error) {
    const reason = error instanceof Error ? error.message : describeValue(error);
    return new Failure('unverifiable-request', `the ${quote(serviceId)} guard's ${what}, which threw (${reason})`, `${what} that return undefined to send or { found, expected } to refuse`);
  }
  if (outcome === undefined) return undefined;
  const { found, expected, rule } = (typeof outcome === 'object' && outcome !== null ? outcome : {}) as { found?: unknown; expected?: unknown; rule?: unknown };
  if (typeof found !== 'string' || typeof expected !== 'string' || typeof (outcome as { then?: unknown }).then === 'function') {
    return new Failure(
      'unverifiable-request',
      `the ${quote(serviceId)} guard's ${what}, which returned ${describeValue(outcome)}`,
      `${what} that return undefined to send or { found, expected } to refuse, synchronously (null, true or a promise refuses too)`,
    );
  }
  return new Failure(typeof rule === 'string' && RULE_ID.test(rule) ? (rule as GuardRule) : 'service-scope', found, expected);
}

/** A frozen copy of a serialized request for `bind`: what it checks is what the gate compares. */
function requestView(request: HttpRequestLike): GuardedRequest {
  const r = request as HttpRequestLike & { protocol?: unknown; hostname?: unknown; port?: unknown; path?: unknown; query?: unknown };
  const body = typeof r.body === 'string' || r.body instanceof Uint8Array ? r.body : undefined;
  return Object.freeze({
    method: String(r.method ?? ''),
    protocol: String(r.protocol ?? ''),
    hostname: String(r.hostname ?? ''),
    port: typeof r.port === 'number' ? r.port : undefined,
    path: String(r.path ?? ''),
    query: Object.freeze({ ...(typeof r.query === 'object' && r.query !== null ? (r.query as Record<string, string | readonly string[] | null>) : {}) }),
    headers: Object.freeze({ ...r.headers }),
    body: body instanceof Uint8Array ? Uint8Array.from(body) : body,
  });
}

/** A user's guard as one of ours, after checking its definition; throws a `TypeError` saying what to fix. */
export function guardedServiceOf(definition: ServiceGuard): GuardedService {
  const shown = describeValue(definition);
  if (typeof definition !== 'object' || definition === null) throw new TypeError(`isolation guard: a service guard must be an object { serviceId, targetPrefix | bind, rules }, found ${shown}`);
  const { serviceId, targetPrefix, bind, rules } = definition;
  if (typeof serviceId !== 'string' || serviceId.trim() === '') {
    throw new TypeError(`isolation guard: a service guard needs its serviceId, the service id as the SDK names it (client.config.serviceId, e.g. 'STS'); found ${describeValue(serviceId)}`);
  }
  const named = `the ${quote(serviceId)} service guard`;
  if (GUARDED_SERVICES.has(serviceId)) throw new TypeError(`isolation guard: ${named} names a service the runtime guards itself (${[...GUARDED_SERVICES.keys()].join(', ')}); remove it`);
  if (typeof rules !== 'function') throw new TypeError(`isolation guard: ${named} needs rules: (operation, input, context) => undefined | { found, expected }`);
  if ((targetPrefix === undefined) === (bind === undefined)) {
    throw new TypeError(`isolation guard: ${named} needs exactly one of targetPrefix (a JSON protocol's X-Amz-Target prefix) and bind (a check that a serialized REST or Query request carries what was judged)`);
  }
  if (bind !== undefined && typeof bind !== 'function') throw new TypeError(`isolation guard: ${named} has a bind that is not a function`);
  if (targetPrefix !== undefined && (typeof targetPrefix !== 'string' || !TARGET_PREFIX.test(targetPrefix))) {
    throw new TypeError(`isolation guard: ${named} has targetPrefix ${describeValue(targetPrefix)}; expected the X-Amz-Target prefix of its JSON protocol, e.g. 'AWSCognitoIdentityService'`);
  }
  const judged = (operation: string, input: unknown, c: CompiledPolicy): Failure | undefined => failureOf(serviceId, 'rules', () => rules(operation, input as GuardInput, contextOf(c)));
  if (bind === undefined) return { serviceId, targetPrefix: targetPrefix as string, rules: judged };
  return {
    serviceId,
    targetPrefix: '',
    rules: judged,
    wire: 'address',
    // Any method's body may carry what was judged: it belongs to the address the gate compares.
    addressBody: 'always',
    bind: (c, input, request, operation) => failureOf(serviceId, 'bind', () => bind(requestView(request as HttpRequestLike), input as GuardInput, contextOf(c), operation)),
  };
}

/** The services a factory or plugin guards: ours and the user's, each service id once. */
export function servicesWith(guards: readonly ServiceGuard[] | undefined): ReadonlyMap<string, GuardedService> {
  if (guards === undefined) return GUARDED_SERVICES;
  if (!Array.isArray(guards)) throw new TypeError('isolation guard: guards must be an array of service guards { serviceId, targetPrefix | bind, rules }');
  const services = new Map(GUARDED_SERVICES);
  for (const definition of guards as readonly ServiceGuard[]) {
    const service = guardedServiceOf(definition);
    if (services.has(service.serviceId)) throw new TypeError(`isolation guard: two service guards for ${quote(service.serviceId)}; keep one`);
    services.set(service.serviceId, service);
  }
  return services;
}
