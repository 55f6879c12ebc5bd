/** The refusal the request context answers with: an HTTP status and a JSON body that says why. */

export type ContextErrorCode = 'unauthorized' | 'forbidden' | 'bad_request' | 'unavailable';

/** A refused request: `status` (400, 401, 403, or 503 when a lookup the check needs fails) and the JSON `body` to send. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
  constructor(
    readonly status: 400 | 401 | 403 | 503,
    readonly error: ContextErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get body(): { readonly error: ContextErrorCode; readonly message: string } {
    return { error: this.error, message: this.message };
  }
}
