/**
 * `capsule-id-field` and `event-scope-fields` as types: the ids a scope needs, and the check a
 * scope marker or `@DomainEvent` makes of the class it decorates.
 */
import type { CapsuleId, TenantId } from '../ids.js';
import type { AnyClass } from '../registry.js';
import type { InstanceOf, MissingBrands, ScopeBrand } from './fields.js';
import type { IsolationTypeError, MissingEntityFieldMessage, MissingEventFieldMessage, UnknownEventScopeMessage } from './messages.js';

type IdScope = 'capsule' | 'tenant';

/** As `requiredBrands` of the rule core, in report order. */
type RequiredBrands<Scope extends IdScope> = Scope extends 'capsule' ? ['TenantId', 'CapsuleId'] : ['TenantId'];

/** The usual shape, `tenantId: TenantId` and `capsuleId: CapsuleId`: answered by one structural comparison. */
type UsualIds<Scope extends IdScope> = Scope extends 'capsule'
  ? { readonly tenantId: TenantId | undefined; readonly capsuleId: CapsuleId | undefined }
  : { readonly tenantId: TenantId | undefined };

/** `void` when the instance has the ids of the scope, else the report for the subject. */
type IdCheck<Instance, Scope extends IdScope, Subject extends 'entity' | 'event'> =
  MissingBrands<Instance, RequiredBrands<Scope>> extends infer Missing extends readonly ScopeBrand[]
    ? Missing extends readonly []
      ? void
      : IsolationTypeError<Subject extends 'entity' ? MissingEntityFieldMessage<Capitalize<Scope>, Missing> : MissingEventFieldMessage<Capitalize<Scope>, Missing>>
    : never;

/**
 * What `@CapsuleIsolated()` / `@TenantScoped()` return. Two signatures, because TypeScript pays for
 * a generic one on every use: the first, not generic, takes a class with the usual id fields; only
 * a class it refuses reaches the second, which looks for the ids by brand, inherited and nested,
 * and returns the report. `Class` is any function, so classes with private constructors reach it;
 * `context` is typed `unknown`, since naming `ClassDecoratorContext` costs more per use.
 */
export interface ScopeMarkerDecorator<Scope extends IdScope> {
  (target: { readonly prototype: UsualIds<Scope> }, context?: unknown): void;
  <Class extends AnyClass>(target: Class, context?: unknown): IdCheck<InstanceOf<Class>, Scope, 'entity'>;
}

/** What `@DomainEvent({ scope })` returns: checked for one literal scope, silent for a union. */
export type EventDecorator<Scope extends string> = [Scope] extends ['capsule'] | ['tenant'] ? EventIdsDecorator<Extract<Scope, IdScope>> : (target: AnyClass, context?: unknown) => void;

export interface EventIdsDecorator<Scope extends IdScope> {
  (target: { readonly prototype: UsualIds<Scope> }, context?: unknown): void;
  <Class extends AnyClass>(target: Class, context?: unknown): IdCheck<InstanceOf<Class>, Scope, 'event'>;
}

type EventScope = 'capsule' | 'tenant' | 'platform';

export interface CheckedEventOptions<Scope extends string> {
  readonly type: string;
  /** An unknown scope is typed as the message, so TypeScript reports it at the option (`NoInfer`: inference need not walk the message). */
  readonly scope?: Scope extends EventScope ? Scope : NoInfer<UnknownEventScopeMessage<Scope>>;
}
