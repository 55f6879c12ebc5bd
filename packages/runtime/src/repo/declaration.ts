/**
 * The key declaration an entity shows to the type checker. A decorator cannot change the type of
 * the class it decorates, so `@Entity({ pk, sk })` and the scope marker are invisible to
 * `scope.repo(Account)`. An entity that wants typed repository keys repeats its scope and templates
 * in a static member, `static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#ACCOUNT#{id}')`;
 * `repo()` compares it with what `@Entity` and the marker recorded and refuses the entity when they
 * disagree, so the two cannot drift apart unnoticed (ADR 0022).
 */
import type { IsLiteral } from '../types/key-template.js';
import type { CheckedTemplate } from '../types/entity.js';
import type { ScopePrefixMessage } from './messages.js';

/** The scope marker of an entity: `@CapsuleIsolated()`, `@TenantScoped()` or `@PlatformScoped()`. */
export type EntityScopeKind = 'capsule' | 'tenant' | 'platform';

/** An entity's scope and key templates as literal types; `sk` is `undefined` when the entity has none. */
export interface KeyDeclaration<Scope extends EntityScopeKind = EntityScopeKind, Pk extends string = string, Sk extends string = string> {
  readonly scope: Scope;
  readonly pk: Pk;
  readonly sk: Sk | undefined;
}

/** The prefix `key-scope-segments` requires, as a pattern; a template without it is typed as the message. */
type ScopedPk<Scope extends EntityScopeKind, Pk extends string> = Pk extends (Scope extends 'capsule' ? `TENANT#{${string}}#CAPSULE#{${string}}#${string}` : `TENANT#{${string}}#${string}`)
  ? CheckedTemplate<Pk, 'pk'>
  : IsLiteral<Pk> extends true
    ? ScopePrefixMessage<Scope, Pk>
    : Pk;

const declarations = new WeakSet<object>();

function declare<Scope extends EntityScopeKind, Pk extends string, Sk extends string>(scope: Scope, pk: unknown, sk: unknown): KeyDeclaration<Scope, Pk, Sk> {
  const call = `${scope}Keys(${JSON.stringify(pk)}${sk === undefined ? '' : `, ${JSON.stringify(sk)}`})`;
  if (typeof pk !== 'string') throw new TypeError(`${call}: the pk template must be a string, as in @Entity({ pk })`);
  if (sk !== undefined && typeof sk !== 'string') throw new TypeError(`${call}: the sk template must be a string or left out, as in @Entity({ sk })`);
  const declaration = Object.freeze({ scope, pk, sk }) as KeyDeclaration<Scope, Pk, Sk>;
  declarations.add(declaration);
  return declaration;
}

/** The keys of a `@CapsuleIsolated()` entity, as its `@Entity` declares them: `static readonly keys = capsuleKeys(pk, sk)`. */
export function capsuleKeys<const Pk extends string, const Sk extends string = never>(pk: ScopedPk<'capsule', Pk>, sk?: CheckedTemplate<Sk, 'sk'>): KeyDeclaration<'capsule', Pk, Sk> {
  return declare('capsule', pk, sk);
}

/** The keys of a `@TenantScoped()` entity, as its `@Entity` declares them: `static readonly keys = tenantKeys(pk, sk)`. */
export function tenantKeys<const Pk extends string, const Sk extends string = never>(pk: ScopedPk<'tenant', Pk>, sk?: CheckedTemplate<Sk, 'sk'>): KeyDeclaration<'tenant', Pk, Sk> {
  return declare('tenant', pk, sk);
}

/** The keys of a `@PlatformScoped()` entity, as its `@Entity` declares them: `static readonly keys = platformKeys(pk, sk)`. */
export function platformKeys<const Pk extends string, const Sk extends string = never>(pk: CheckedTemplate<Pk, 'pk'>, sk?: CheckedTemplate<Sk, 'sk'>): KeyDeclaration<'platform', Pk, Sk> {
  return declare('platform', pk, sk);
}

/**
 * The class's `keys` declaration when one of the functions above made it (a static `keys` of
 * another kind is none). Inherited ones count, as they do for the type checker: a subclass keyed
 * differently from its base must declare its own, or `repo()` refuses the disagreement.
 */
export function declaredKeys(entity: object): KeyDeclaration | undefined {
  const keys: unknown = (entity as { keys?: unknown }).keys;
  return typeof keys === 'object' && keys !== null && declarations.has(keys) ? (keys as KeyDeclaration) : undefined;
}
