import type { RuleId } from './ids.js';
import type { Edit, Target } from './model.js';

export interface Suggestion {
  readonly messageId: string;
  readonly data: Readonly<Record<string, string>>;
  readonly edits: readonly Edit[];
}

/** What a check returns: the rule, the message to show, and where to show it. */
export interface Violation {
  readonly rule: RuleId;
  readonly messageId: string;
  readonly data: Readonly<Record<string, string>>;
  readonly target: Target;
  readonly suggestions?: readonly Suggestion[];
}

export function describeUnverifiable(what: string, found: string, alternative = ''): Record<string, string> {
  return { what, found, alternative };
}
