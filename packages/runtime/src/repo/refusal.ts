/** How a repository refuses: the factory's `onViolation` hook hears of it first, as for the guard's refusals. */
import { reportViolation } from '../aws/guard-policy.js';
import type { IsolationViolationError } from '../aws/violation.js';

export type Refuse = (violation: IsolationViolationError) => never;

export function refusal(onViolation: ((error: IsolationViolationError) => void) | undefined): Refuse {
  return (violation) => {
    reportViolation({ onViolation }, violation);
    throw violation;
  };
}
