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
