/**
 * The isolation guard of a tenant or capsule scope's client (DynamoDB, EventBridge, S3, SNS):
 * nothing the client sends may touch another tenant's or capsule's data. One set of rules per
 * service (`guard-dynamodb.ts`, `guard-eventbridge.ts`, `guard-s3.ts`, `guard-sns.ts`), applied
 * where they bind what is sent:
 *
 * 1. the seal, at the serializer (`guard-seal.ts`): a plain-data snapshot of the input, judged
 *    under the operation actually serialized, is what gets serialized, and its body is approved;
 * 2. the gate, in the request handler (`guard-gate.ts`): the approved request, unchanged, passes;
 *    anything else is judged as it will be sent. For S3 (REST: bucket and key are in the URL), the
 *    seal also checks that the serialized request addresses the judged bucket and key and records
 *    that address; the gate sends a request only if its address (method, host, path, query,
 *    fragment, copy source, a POST's body) is one the seal recorded, and refuses anything else. SNS (AWS Query: a
 *    form-encoded body) is bound the same way, its body checked for the judged action and destinations.
 *    SQS (`guard-sqs.ts`) is judged as JSON, and the gate also checks where each request goes (the
 *    host of the scope's queue URLs), approved or not.
 *
 * Both live in the client's configuration (its protocol and its request handler), which the
 * Document client shares — not on its middleware stack, where any holder of the client can remove,
 * override or overtake middleware. The guard owns those two properties (non-configurable
 * accessors: a handler or protocol assigned later is gated or sealed on the spot) and the client's
 * `config` property (it cannot be replaced), so nothing short of tampering with the SDK's own code
 * takes them off.
 *
 * A third check, early (`guard-early.ts`), judges the same snapshot with the same rules on the
 * client's middleware stack, right before the SDK resolves the client's credentials: a refused
 * request fetches no credentials and sends nothing. Middleware can be removed or overtaken, so the
 * early check is not the wall; whatever it passed, the seal and the gate judge again.
 */
import { describeValue, Failure, quote } from './guard-format.js';
import { GUARDED_OPERATIONS, inspectDynamoDB } from './guard-dynamodb.js';
import { addEarlyCheck, type EarlyCheckHooks } from './guard-early.js';
import { GatedRequestHandler, type GateHooks, type RequestHandlerLike } from './guard-gate.js';
import { judge, violationOf, type Verdict } from './guard-judge.js';
import { compilePolicy, reportViolation, type CompiledPolicy, type GuardPolicy } from './guard-policy.js';
import { Approvals, sealProtocol, type HttpRequestLike, type SealHooks } from './guard-seal.js';
import { addressesBody, describeAddress, pinnedAddress, RecordedAddresses, requestAddress } from './guard-address.js';
import { GUARDED_SERVICES, serviceIdOf, type GuardedService } from './guard-services.js';
import { readWire } from './guard-wire.js';
import { scopeLabel } from './scope.js';
import type { SnapshotError } from './snapshot.js';
import type { IsolationViolationError } from './violation.js';

export type { GuardPolicy } from './guard-policy.js';

function unaddressable(): Failure {
  return new Failure('unverifiable-request', 'a serialized request whose address or body the guard cannot read', 'a request the SDK serializes (string or binary body for a POST)');
}

/** The DynamoDB commands a guarded client runs (as `context.commandName`); everything else is refused. */
export const GUARDED_COMMANDS: readonly string[] = GUARDED_OPERATIONS.map((operation) => `${operation}Command`);

/** The client shape the guard needs: any AWS SDK v3 client (a second copy of the SDK included). */
export interface GuardableClient {
  readonly config: { readonly serviceId?: unknown; protocol?: unknown; requestHandler?: unknown };
  /** Where the early check goes (`guard-early.ts`); a client without one is guarded by the seal and the gate alone. */
  readonly middlewareStack?: unknown;
}

/** The guard of each guarded configuration (the Document client shares its base client's). */
const guards = new WeakMap<object, ClientGuard>();

/**
 * Guards `client` (a client of a guarded service, recognised by its service id) for the policy's
 * scope: the seal on its protocol, the gate on its request handler, and the early check on its
 * middleware stack. `DynamoDBDocumentClient.from(client)` shares all three. Throws a `TypeError` for an unusable policy or a client of another service, and an
 * `Error` for a client that is guarded already (a second guard would check against two scopes).
 * `services`: the guards to choose from by service id (default ours; the factory and
 * `getIsolationGuardPlugin` add the user's `ServiceGuard`s).
 */
export function addIsolationGuard(client: GuardableClient, policy: GuardPolicy, services: ReadonlyMap<string, GuardedService> = GUARDED_SERVICES): ClientGuard {
  const compiled = compilePolicy(policy);
  const serviceId = serviceIdOf(client);
  const service = serviceId === undefined ? undefined : services.get(serviceId);
  if (service === undefined) {
    throw new TypeError(
      `isolation guard: cannot guard a client of service ${serviceId === undefined ? '(none: config.serviceId is missing)' : quote(serviceId)}; guardable services: ${[...services.keys()].join(', ')}` +
        (serviceId === undefined ? '' : ` — or define a guard for it (ServiceGuard: { serviceId: ${quote(serviceId)}, targetPrefix | bind, rules })`),
    );
  }
  const config = client.config;
  if (typeof config !== 'object' || config === null || typeof (config.requestHandler as RequestHandlerLike | undefined)?.handle !== 'function') {
    throw new TypeError('isolation guard: the client has no request handler (config.requestHandler) to guard');
  }
  if (guards.has(config)) throw new Error('isolation guard: this client is guarded already; one client serves one scope');
  const guard = new ClientGuard(client, service, compiled);
  guards.set(config, guard);
  addEarlyCheck(client.middlewareStack, config, guard);
  return guard;
}

/** Whether a client (or a Document client sharing its configuration) is guarded, with its seal and gate in place. */
export function hasIsolationGuard(client: { readonly config?: object }): boolean {
  const config = client.config;
  return config !== undefined && guards.get(config)?.intact === true;
}

/**
 * Pure: the first violation in one DynamoDB command's input, or `undefined`. `commandName` is the
 * SDK's (`PutItemCommand`, …). Table keys are the policy's as known now: with `keySchemas` that
 * have not loaded a table yet, its commands are refused as unverifiable. Throws `TypeError` for a
 * policy that is not usable (e.g. a scope with an invalid id).
 */
export function inspectCommand(commandName: string, input: unknown, policy: GuardPolicy): IsolationViolationError | undefined {
  const compiled = compilePolicy(policy);
  const label = typeof commandName === 'string' ? commandName : `(a command without a name: ${describeValue(commandName)})`;
  const operation = typeof commandName === 'string' && commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : '';
  const failure = inspectDynamoDB(operation, input, compiled, label);
  return failure === undefined ? undefined : violationOf(compiled, failure, label);
}

/** One guarded client's checkpoints and what they share. */
export class ClientGuard implements SealHooks, GateHooks, EarlyCheckHooks {
  readonly approvals = new Approvals();
  readonly #config: GuardableClient['config'];
  readonly #service: GuardedService;
  readonly #compiled: CompiledPolicy;
  #gate: GatedRequestHandler;
  /** `X-Amz-Target` per operation, built once. */
  readonly #targets = new Map<string, string>();
  /** The protocol in place: sealed, or the client's own when it has none to seal. */
  #sealed: unknown;
  /** For services bound by address (S3): the addresses of requests the seal judged and bound. */
  readonly #addresses: RecordedAddresses | undefined;
  readonly opaque: readonly string[] | undefined;
  readonly bindRequest: SealHooks['bindRequest'];
  readonly judgeDestination: GateHooks['judgeDestination'];
  readonly bodyUnjudged: GateHooks['bodyUnjudged'];

  constructor(client: GuardableClient, service: GuardedService, compiled: CompiledPolicy) {
    const config = client.config;
    this.#config = config;
    this.#service = service;
    this.#compiled = compiled;
    this.opaque = service.opaque;
    if (service.wire === 'address') {
      const addresses = (this.#addresses = new RecordedAddresses());
      const bind = service.bind;
      this.bindRequest = (operation, input, request) => {
        // Judged again (synchronously, cheap): only an input the rules pass gets its address recorded, whoever calls this.
        const failure = service.rules(operation, input, compiled) ?? bind?.(compiled, input, request as never, operation);
        if (failure !== undefined) return violationOf(compiled, failure, `${operation}Command`);
        const address = requestAddress(request, service.addressBody);
        if (address === undefined) return violationOf(compiled, unaddressable(), `${operation}Command`);
        addresses.record(address);
        return undefined;
      };
      this.bodyUnjudged = (view) => !addressesBody(view.method, service.addressBody);
    } else {
      this.#addresses = undefined;
      this.bindRequest = undefined;
      this.bodyUnjudged = undefined;
    }
    const destination = service.destination;
    this.judgeDestination =
      destination === undefined
        ? undefined
        : (request) => {
            const destined = destination(compiled, request);
            return destined instanceof Failure ? violationOf(compiled, destined, `${service.serviceId} request`) : destined;
          };
    this.#gate = new GatedRequestHandler(config.requestHandler as RequestHandlerLike, this);
    this.#sealed = this.#seal(config.protocol);
    // Accessors the guard owns, for good: assigning a request handler or protocol gets it gated or
    // sealed on the spot, and neither property can be redefined or deleted (non-configurable).
    Object.defineProperty(config, 'requestHandler', {
      get: () => this.#gate,
      set: (handler: unknown) => {
        if (handler !== this.#gate) this.#gate = new GatedRequestHandler(handler as RequestHandlerLike, this);
      },
      enumerable: true,
      configurable: false,
    });
    Object.defineProperty(config, 'protocol', {
      get: () => this.#sealed,
      set: (protocol: unknown) => {
        if (protocol !== this.#sealed) this.#sealed = this.#seal(protocol);
      },
      enumerable: true,
      configurable: false,
    });
    this.hold(client);
  }

  /**
   * Binds a client object to the guarded configuration for good: its `config` can be read, not
   * replaced or redefined (the SDK reads `client.config` on every send). The factory holds the
   * Document clients it makes too.
   */
  hold(holder: { readonly config?: unknown }): void {
    if (holder.config !== this.#config) throw new TypeError('isolation guard: the client to hold does not use the guarded configuration');
    Object.defineProperty(holder, 'config', {
      get: () => this.#config,
      set: () => {
        throw new TypeError(`isolation guard: the configuration of a ${this.#service.serviceId} client of ${scopeLabel(this.#compiled.scope)} cannot be replaced; make a client of another scope instead`);
      },
      enumerable: true,
      configurable: false,
    });
  }

  /** The seal and the gate are in place on this configuration (always, short of tampering with the SDK itself). */
  get intact(): boolean {
    return this.#config.requestHandler === this.#gate && this.#config.protocol === this.#sealed;
  }

  #seal(protocol: unknown): unknown {
    // A client that serializes without a protocol object (an older SDK) keeps only the gate, which then reads every request on the wire.
    if (typeof protocol !== 'object' || protocol === null || typeof (protocol as { serializeRequest?: unknown }).serializeRequest !== 'function') return protocol;
    return sealProtocol(protocol, this);
  }

  // --- the seal's hooks ------------------------------------------------------------------------

  judge(operation: string, input: unknown): Verdict | Promise<Verdict> {
    return judge(this.#service.rules, operation, input, this.#compiled);
  }

  targetOf(operation: string): string {
    let target = this.#targets.get(operation);
    if (target === undefined) this.#targets.set(operation, (target = `${this.#service.targetPrefix}.${operation}`));
    return target;
  }

  uncopyable(operation: string, error: SnapshotError): IsolationViolationError {
    const place = error.place.startsWith('.') ? error.place.slice(1) : error.place;
    const failure = new Failure(
      'unverifiable-request',
      `${place === '' ? 'the command input' : place}, which is ${error.found}`,
      'plain data the guard can copy and check — objects (own members only), arrays, strings, numbers, booleans, binary data, dates; merge parsed bodies with a spread ({ ...request, ...body } defines own members), not Object.assign (which sets a prototype from a "__proto__" key)',
    );
    return violationOf(this.#compiled, failure, `${operation}Command`);
  }

  // --- the early check's hook ------------------------------------------------------------------

  unreadable(operation: string, error: unknown): IsolationViolationError {
    const reason = error instanceof Error ? error.message : describeValue(error);
    const failure = new Failure(
      'unverifiable-request',
      `a command input whose reading threw: ${quote(reason)}`,
      'plain data the guard can read — no getter or Proxy that throws when its members are read',
    );
    return violationOf(this.#compiled, failure, `${operation}Command`, error);
  }

  // --- the gate's hooks ------------------------------------------------------------------------

  judgeWire(request: HttpRequestLike): Verdict | Promise<Verdict> {
    const addresses = this.#addresses;
    if (addresses !== undefined) {
      // The request is the gate's own view: its address is pinned as it is read, so what is checked is what is sent.
      const address = pinnedAddress(request, this.#service.addressBody);
      if (address !== undefined && addresses.has(address)) return undefined;
      const failure = new Failure(
        'unverifiable-request',
        `a ${this.#service.serviceId} request the guard did not judge: ${address === undefined ? 'one it cannot read' : quote(describeAddress(request))}`,
        'a request exactly as the guarded client serialized it (its method, host, path, query, fragment, copy source and, for a POST, its body unchanged since)',
      );
      return violationOf(this.#compiled, failure, `${this.#service.serviceId} request`);
    }
    const read = readWire(request, this.#service.targetPrefix);
    if ('unreadable' in read) return violationOf(this.#compiled, read.unreadable, `${this.#service.serviceId} request`);
    return judge(this.#service.rules, read.operation, read.input, this.#compiled);
  }

  refuse(violation: IsolationViolationError): Promise<never> {
    reportViolation(this.#compiled, violation);
    return Promise.reject(violation);
  }
}
