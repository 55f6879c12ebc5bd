/**
 * Logical → physical names of one kind of resource (SNS topics, EventBridge buses), per scope, and
 * the physical names a scope's guard accepts. Like tables and buckets: the factory declares the
 * logical names once (or not at all), a naming function maps each to the scope's physical name.
 */
import type { ScopeDescription } from './scope.js';

/** What one kind of name must look like, and the error that says it does not. */
export interface NameRules {
  /** `topic`, `event bus`: the resource in messages. */
  readonly resource: string;
  /** The factory option that declares the logical names: `topics`, `eventBuses`. */
  readonly option: string;
  readonly logical: RegExp;
  /** What a logical name must be, for the error message. */
  readonly logicalWanted: string;
  readonly physical: (name: string) => boolean;
  readonly physicalWanted: string;
  readonly error: new (message: string) => Error;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `a ${value === null ? 'null' : typeof value}`;
}

export function checkLogicalName(rules: NameRules, logicalName: unknown): string {
  if (typeof logicalName === 'string' && rules.logical.test(logicalName)) return logicalName;
  throw new rules.error(`logical ${rules.resource} name ${shown(logicalName)} is invalid; expected ${rules.logicalWanted}`);
}

/** The physical name `naming` gives `logicalName` in `scope`, after checking both and, when `known` is given, that it is declared. */
export function physicalName(rules: NameRules, naming: (logicalName: string, scope: ScopeDescription) => string, logicalName: string, scope: ScopeDescription, known: ReadonlySet<string> | undefined): string {
  if (known !== undefined && !known.has(logicalName)) {
    const declared = [...known].map((name) => `'${name}'`).join(', ');
    throw new rules.error(`${rules.resource} ${shown(logicalName)} is not one of the factory's ${rules.option} (${declared === '' ? 'none declared' : declared}); add it to createClientFactory({ ${rules.option} })`);
  }
  checkLogicalName(rules, logicalName);
  const physical = naming(logicalName, scope);
  if (typeof physical !== 'string' || !rules.physical(physical)) {
    throw new rules.error(`${rules.resource} naming turned '${logicalName}' into ${shown(physical)}; expected ${rules.physicalWanted}`);
  }
  return physical;
}

/**
 * One scope's names of one resource kind. `accepted` is what its guard accepts, read on every
 * request: the declared names' physical names, or, without a declaration, the names this scope
 * has handed out (it grows as the scope names more) and `always`.
 */
export class ScopeNames {
  readonly #named = new Map<string, string>();
  readonly accepted: Set<string>;

  constructor(
    private readonly physical: (logicalName: string, known: ReadonlySet<string> | undefined) => string,
    private readonly declared: ReadonlySet<string> | undefined,
    always: readonly string[] = [],
  ) {
    this.accepted = new Set(declared === undefined ? always : [...declared].map((name) => physical(name, undefined)));
  }

  name(logicalName: string): string {
    let physical = this.#named.get(logicalName);
    if (physical === undefined) {
      physical = this.physical(logicalName, this.declared);
      this.#named.set(logicalName, physical);
      if (this.declared === undefined) this.accepted.add(physical);
    }
    return physical;
  }

  /** Logical → physical, for what the scope has named so far. */
  named(): Readonly<Record<string, string>> {
    return Object.fromEntries(this.#named);
  }
}
