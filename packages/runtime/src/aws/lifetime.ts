/**
 * When a scope's client may be destroyed: never while a request of it is in flight. Destroying an
 * SDK client closes its sockets, so a scope evicted from the factory's cache while another caller's
 * request was on the wire failed that request ("socket hang up") — one tenant's burst of new scopes
 * broke another's requests. Each client counts its requests (from `send` to the last byte of the
 * response, retries included) with a middleware at the outermost position; a retired client is
 * destroyed when that count reaches zero, at once if it already is.
 */

/** Any AWS SDK v3 client: destroyed to release its sockets. */
export interface DestroyableClient {
  destroy(): void;
  readonly middlewareStack: {
    add(middleware: (next: (args: object) => Promise<unknown>) => (args: object) => Promise<unknown>, options: { step: 'initialize'; priority: 'high'; name: string; override: boolean }): void;
  };
}

export const LIFETIME_MIDDLEWARE_NAME = 'isolationInFlight';

export class ClientLifetime {
  #inFlight = 0;
  #retired = false;
  #destroyed = false;

  constructor(private readonly client: DestroyableClient) {
    client.middlewareStack.add(
      (next) => (args) => {
        this.#inFlight += 1;
        let pending: Promise<unknown>;
        try {
          pending = next(args);
        } catch (error) {
          this.#settle();
          throw error;
        }
        return pending.then(
          (output) => {
            this.#settle();
            return output;
          },
          (error: unknown) => {
            this.#settle();
            throw error;
          },
        );
      },
      { step: 'initialize', priority: 'high', name: LIFETIME_MIDDLEWARE_NAME, override: false },
    );
  }

  /** Requests of this client not yet settled. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Whether the client has been destroyed. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** The client's scope is gone: destroy it once idle. */
  retire(): void {
    this.#retired = true;
    if (this.#inFlight === 0) this.#destroy();
  }

  #settle(): void {
    this.#inFlight -= 1;
    if (this.#retired && this.#inFlight === 0) this.#destroy();
  }

  #destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.client.destroy();
  }
}
