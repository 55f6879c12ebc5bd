import { messageText, type RuleId, type Violation } from './rules/index.js';

/** A declaration refused at class definition by the same rule core the build-time checks use. */
export class IsolationDeclarationError extends Error {
  override readonly name = 'IsolationDeclarationError';
  readonly rule: RuleId;
  constructor(
    readonly className: string,
    readonly violations: readonly Violation[],
  ) {
    const [first] = violations;
    if (first === undefined) throw new TypeError('IsolationDeclarationError needs at least one violation');
    super(violations.map((violation) => `[@isolation/${violation.rule}] ${className}: ${messageText(violation.rule, violation.messageId, violation.data)}`).join('\n'));
    this.rule = first.rule;
  }
}

/** A key that cannot be built safely from an item: a missing value, or one that would escape its key space. */
export class KeyValueError extends Error {
  override readonly name = 'KeyValueError';
  constructor(
    readonly entity: string,
    readonly option: 'pk' | 'sk' | undefined,
    readonly placeholder: string | undefined,
    readonly reason: string,
    readonly rule?: RuleId,
  ) {
    const where = option === undefined ? entity : `${entity}.${option}${placeholder === undefined ? '' : ` {${placeholder}}`}`;
    super(`${rule === undefined ? '' : `[@isolation/${rule}] `}cannot build the key of ${where}: ${reason}`);
  }
}
