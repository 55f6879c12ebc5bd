/**
 * The gate: the guard's last word, in the client's request handler — the one thing between a
 * signed request and the network. A request the seal approved and nothing changed since passes at
 * once (a lookup and a byte comparison; the handler gets the gate's own copy of the bytes and
 * headers). Anything else — a body rewritten or edited in place by build-step middleware, a target
 * header changed, a request the seal never saw because its protocol was replaced — is read as it
 * will be sent: the target header names the operation, the body is parsed as JSON, and the
 * service's rules judge it; the handler then gets the copy that was read. A body the gate cannot
 * read (binary, compressed, streamed, not UTF-8 JSON) is refused. For a service whose requests must
 * also go to the right place (SQS), either view is first checked for where it goes and replaced by
 * a copy whose address is pinned (`judgeDestination`). Services bound by address (S3, SNS) are
 * checked against the addresses the seal recorded (`judgeWire`); a body that is not part of the
 * address (an S3 object's content) is neither read nor copied (`bodyUnjudged`).
 *
 * The gate is the client's request handler for good: a handler assigned later is wrapped in a new
 * gate on the spot (see `ClientGuard`).
 */
import type { Verdict } from './guard-judge.js';
import { copyBytes, sendableView, type Approvals, type HttpRequestLike } from './guard-seal.js';
import { IsolationViolationError } from './violation.js';

/** The request-handler shape of AWS SDK v3 clients. */
export interface RequestHandlerLike {
  handle(request: never, options?: unknown): Promise<unknown>;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): object;
  destroy?(): void;
  readonly metadata?: unknown;
}

/** What the gate needs from the guard it belongs to. */
export interface GateHooks {
  readonly approvals: Approvals;
  /** Judges a request as it will be sent (the slow path). */
  judgeWire(request: HttpRequestLike): Verdict | Promise<Verdict>;
  /** For services whose requests must go to the right place (SQS): the gate's view as it will be sent (its address pinned), or the refusal. */
  readonly judgeDestination?: ((request: HttpRequestLike) => HttpRequestLike | IsolationViolationError) | undefined;
  /**
   * For services bound by address: whether a view's body is neither judged nor part of its address
   * (an S3 object's content): sent as it is, without a copy of what may be megabytes.
   */
  readonly bodyUnjudged?: ((view: HttpRequestLike) => boolean) | undefined;
  /** Reports and rejects. */
  refuse(violation: IsolationViolationError): Promise<never>;
}

export class GatedRequestHandler implements RequestHandlerLike {
  /** The handler that sends: private, so nothing reaches it around the gate. */
  readonly #inner: RequestHandlerLike;
  readonly #hooks: GateHooks;

  constructor(inner: RequestHandlerLike, hooks: GateHooks) {
    this.#inner = inner;
    this.#hooks = hooks;
  }

  handle(request: HttpRequestLike, options?: unknown): Promise<unknown> {
    const hooks = this.#hooks;
    const approved = hooks.approvals.sendable(request);
    let view = approved;
    if (view === undefined) {
      // Judge a copy, and send that copy: what was read is what is written.
      const body = request.body;
      view = sendableView(request, body);
      if (body instanceof Uint8Array && hooks.bodyUnjudged?.(view) !== true) view.body = copyBytes(body);
    }
    const copy = hooks.judgeDestination === undefined ? view : hooks.judgeDestination(view);
    if (copy instanceof IsolationViolationError) return hooks.refuse(copy);
    if (approved !== undefined) return this.#inner.handle(copy as never, options);
    const verdict = hooks.judgeWire(copy);
    if (verdict === undefined) return this.#inner.handle(copy as never, options);
    if (verdict instanceof Promise) return verdict.then((outcome) => (outcome === undefined ? this.#inner.handle(copy as never, options) : hooks.refuse(outcome)));
    return hooks.refuse(verdict);
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.#inner.updateHttpClientConfig?.(key, value);
  }

  httpHandlerConfigs(): object {
    return this.#inner.httpHandlerConfigs?.() ?? {};
  }

  destroy(): void {
    this.#inner.destroy?.();
  }

  get metadata(): unknown {
    return this.#inner.metadata;
  }
}
