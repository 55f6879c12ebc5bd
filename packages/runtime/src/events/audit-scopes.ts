/**
 * Where `isolation-audit` learns each event type's declared scope: `--scope TYPE=SCOPE` options and
 * `--events <module>`, a JavaScript module whose exports include the `@DomainEvent` classes. The
 * registry is keyed by class, not by name, so the module must export the classes; it must also load
 * the same `@isolation/runtime` as this CLI (one install), or its classes are registered elsewhere.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getEventMetadata, type EventScope } from '../registry.js';

const EVENT_SCOPES: readonly EventScope[] = ['capsule', 'tenant', 'platform'];

/** A declaration the user got wrong; the CLI reports it as misuse. */
export class ScopeDeclarationError extends Error {
  override readonly name = 'ScopeDeclarationError';
}

/** Collects declarations and refuses a type declared with two scopes. */
export class ScopeDeclarations {
  readonly #scopes = new Map<string, { scope: EventScope; from: string }>();

  add(type: string, scope: EventScope, from: string): void {
    const earlier = this.#scopes.get(type);
    if (earlier !== undefined && earlier.scope !== scope) {
      throw new ScopeDeclarationError(`event type ${JSON.stringify(type)} is declared ${earlier.scope}-scoped by ${earlier.from} and ${scope}-scoped by ${from}; declare each type once`);
    }
    this.#scopes.set(type, { scope, from });
  }

  /** `TYPE=SCOPE`; the last `=` separates, so a type name may hold one. */
  addOption(option: string): void {
    const at = option.lastIndexOf('=');
    const type = option.slice(0, at);
    const scope = option.slice(at + 1) as EventScope;
    if (at <= 0 || !EVENT_SCOPES.includes(scope)) {
      throw new ScopeDeclarationError(`--scope takes TYPE=SCOPE with SCOPE one of ${EVENT_SCOPES.join(', ')}, found ${JSON.stringify(option)}; for example --scope RoleAssignmentCreated=capsule`);
    }
    this.add(type, scope, `--scope ${option}`);
  }

  /** Imports `file` and declares the type of every `@DomainEvent` class among its exports (and a default export object's values). */
  async addModule(file: string): Promise<void> {
    const path = resolve(file);
    if (!existsSync(path)) throw new ScopeDeclarationError(`--events ${file}: no such file (${path}); give the compiled JavaScript module that exports your @DomainEvent classes`);
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ScopeDeclarationError(`--events ${file}: importing it failed: ${(error as Error).message}; give a JavaScript module (compiled, if it uses decorators) that exports your @DomainEvent classes`, { cause: error });
    }
    const candidates = Object.values(namespace);
    const fallback = namespace.default;
    if (typeof fallback === 'object' && fallback !== null) candidates.push(...Object.values(fallback));
    let found = 0;
    for (const candidate of new Set(candidates)) {
      if (typeof candidate !== 'function') continue;
      const metadata = getEventMetadata(candidate);
      if (metadata === undefined) continue;
      this.add(metadata.type, metadata.scope, `${file} (${candidate.name || 'a class'})`);
      found += 1;
    }
    if (found === 0) {
      throw new ScopeDeclarationError(`--events ${file}: none of its ${candidates.length} exports is a @DomainEvent class registered with this isolation-audit's @isolation/runtime; export the decorated classes from it, and make sure it imports the same @isolation/runtime install`);
    }
  }

  get scopes(): ReadonlyMap<string, EventScope> {
    return new Map([...this.#scopes].map(([type, { scope }]) => [type, scope]));
  }
}
