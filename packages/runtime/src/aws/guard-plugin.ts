/**
 * The isolation guard as an AWS SDK v3 plugin, for clients users build themselves:
 *
 * ```ts
 * const sts = new STSClient({ region });
 * sts.middlewareStack.use(getIsolationGuardPlugin(sts.config, { scope, guards: [stsGuard] }));
 * ```
 *
 * Like the SDK's own `getXPlugin(config)` functions it takes the client's resolved configuration,
 * and its `applyToStack` installs the guard there (ADR 0015): the seal on `config.protocol` and the
 * gate on `config.requestHandler`, owned by the guard for good. Middleware can be removed,
 * overridden or overtaken by anyone holding the client, so nothing the guard relies on lives on the
 * stack; the plugin adds one `initialize` middleware that refuses to run a command if the
 * configuration's guard is not intact, or if the command is sent by another client than the one
 * whose configuration the plugin guards — a tripwire, not the wall — and the early check
 * (`guard-early.ts`), which refuses before the credentials are resolved.
 *
 * The plugin sees the configuration, not the client, so unlike `addIsolationGuard(client, …)` and
 * the factory it cannot pin the client's `config` property: code that assigns the client a whole
 * new configuration (with a request handler of its own) has taken the client apart on purpose, as
 * code that patches the SDK has, which the guard does not claim to stop.
 */
import type { AbsoluteLocation, InitializeHandlerOptions, InitializeMiddleware, Pluggable } from '@smithy/types';
import { addIsolationGuard, hasIsolationGuard, type ClientGuard, type GuardableClient } from './guard.js';
import { addEarlyCheck } from './guard-early.js';
import { quote } from './guard-format.js';
import { compilePolicy, reportViolation, type GuardPolicy } from './guard-policy.js';
import { serviceIdOf } from './guard-services.js';
import { DEFAULT_KEY_ATTRIBUTES, type KeyAttributes } from './scope.js';
import { servicesWith, type ServiceGuard } from './service-guard.js';
import { IsolationViolationError } from './violation.js';

/** What the plugin guards: the scope, what it may use, and guards for services the runtime does not know. */
export interface IsolationGuardPluginOptions extends Omit<GuardPolicy, 'tables' | 'keys'> {
  /** Physical table names (DynamoDB clients); default none. A Set is read on every command, so it may grow. */
  readonly tables?: ReadonlySet<string> | readonly string[] | undefined;
  /** Key attribute names (DynamoDB clients); default `pk`, `sk`, no indexes. */
  readonly keys?: Partial<KeyAttributes> | undefined;
  /** Guards for services the runtime does not guard itself; a client of one of them is guarded by its rules. */
  readonly guards?: readonly ServiceGuard[] | undefined;
}

/** The name of the plugin's `initialize` middleware. */
export const ISOLATION_GUARD_MIDDLEWARE = 'isolationGuardIntactMiddleware';

const MIDDLEWARE_OPTIONS: InitializeHandlerOptions & AbsoluteLocation & { name: string; override: true } = {
  step: 'initialize',
  name: ISOLATION_GUARD_MIDDLEWARE,
  priority: 'high',
  tags: ['ISOLATION_GUARD'],
  override: true,
};

/**
 * A plugin guarding the client whose resolved configuration is `config` for `options.scope`.
 * Throws a `TypeError` at once for unusable options or a client of a service neither the runtime
 * nor `options.guards` guards; `applyToStack` throws an `Error` if the client is guarded already.
 */
// Typed as the SDK types its own plugins (`getEndpointPlugin`): usable on the stack of any client.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getIsolationGuardPlugin(config: GuardableClient['config'], options: IsolationGuardPluginOptions): Pluggable<any, any> {
  if (typeof options !== 'object' || options === null) throw new TypeError('getIsolationGuardPlugin(config, options): options must be an object with at least the scope, e.g. { scope, guards }');
  const { tables, keys, guards, ...rest } = options;
  const policy: GuardPolicy = {
    ...rest,
    tables: tables instanceof Set ? tables : new Set(Array.isArray(tables) ? (tables as readonly string[]) : []),
    keys: { ...DEFAULT_KEY_ATTRIBUTES, ...keys, indexes: { ...DEFAULT_KEY_ATTRIBUTES.indexes, ...keys?.indexes } },
  };
  const compiled = compilePolicy(policy);
  const services = servicesWith(guards);
  const serviceId = serviceIdOf({ config });
  if (serviceId === undefined || !services.has(serviceId)) {
    throw new TypeError(
      `getIsolationGuardPlugin: no guard for a client of ${serviceId === undefined ? 'no service id (config.serviceId is missing; pass the client’s resolved config)' : `service ${quote(serviceId)}`}; ` +
        `guardable: ${[...services.keys()].join(', ')} — define one in options.guards ({ serviceId, targetPrefix | bind, rules })`,
    );
  }

  let installed: ClientGuard | undefined;
  const intact: InitializeMiddleware<object, object> = (next, context) => (args) => {
    // The SDK puts the sending client's `config.logger` in the context: one client's plugin on another
    // client's stack (whose configuration it never guarded) shows up as a logger that is not ours.
    const ours = context.logger === (config as { readonly logger?: unknown }).logger;
    if (ours && hasIsolationGuard({ config })) return next(args);
    const violation = new IsolationViolationError(
      'unverifiable-request',
      compiled.scope,
      context.commandName ?? `a ${serviceId} command`,
      ours
        ? `a ${serviceId} client whose isolation guard is not in place on its configuration`
        : `a ${serviceId} command sent by a client other than the one whose configuration this plugin guards`,
      'client.middlewareStack.use(getIsolationGuardPlugin(client.config, …)), with the same client on both sides',
    );
    reportViolation(compiled, violation);
    return Promise.reject(violation);
  };

  return {
    applyToStack: (stack) => {
      // Once per plugin: applying it again (another stack of the same client) adds the tripwire only.
      installed ??= addIsolationGuard({ config }, policy, services);
      stack.add(intact, MIDDLEWARE_OPTIONS);
      addEarlyCheck(stack, config, installed);
    },
  };
}
