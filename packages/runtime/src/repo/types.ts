/**
 * What a repository's methods take and give, worked out from the entity class: items from its
 * instance type, keys from the placeholders of its declared templates (`static readonly keys`,
 * ./declaration.ts) minus the ids the scope fills in. An entity without a declaration gets a
 * repository whose keys are typed loosely (any of its fields) and checked at run time only.
 */
import type { ParsedTemplate, ParseKeyTemplate, IsLiteral } from '../types/key-template.js';
import type { IsolationTypeError } from '../types/messages.js';
import type { EntityScopeKind, KeyDeclaration } from './declaration.js';
import type { OperatorScopeMessage, ScopeFilledMessage, WrongScopeMessage } from './messages.js';

/** A class a repository can be opened for: any constructor (its `@Entity` is checked at run time). */
export type EntityClass = abstract new (...args: never[]) => object;

/** The kinds of scope the factory makes. */
export type ScopeKind = EntityScopeKind | 'operator';

/**
 * The items of an entity: the data members of its instances (methods are no attribute). Items a
 * repository returns are plain objects of this shape, never instances of the class.
 */
export type EntityItem<Entity extends EntityClass> = ItemFields<InstanceType<Entity>>;

type ItemFields<Instance> = { [Field in keyof Instance as Instance[Field] extends (...args: never) => unknown ? never : Field]: Instance[Field] };

/** The declaration of a class whose templates types can read, else `undefined`. */
type DeclarationOf<Entity> = Entity extends { readonly keys: infer Keys extends KeyDeclaration } ? (IsLiteral<Keys['pk']> extends true ? Keys : undefined) : undefined;

type PathsOf<Template extends string> = [Template] extends [never] ? [] : ParseKeyTemplate<Template> extends ParsedTemplate<infer Paths> ? Paths : [];

/** The placeholders the scope fills: the first one (tenant) or two (tenant, capsule) of the pk. */
type ScopePaths<Keys extends KeyDeclaration> =
  PathsOf<Keys['pk']> extends readonly [infer Tenant extends string, infer Capsule extends string, ...string[]]
    ? Keys['scope'] extends 'capsule'
      ? Tenant | Capsule
      : Keys['scope'] extends 'tenant'
        ? Tenant
        : never
    : Keys['scope'] extends 'tenant'
      ? PathsOf<Keys['pk']> extends readonly [infer Tenant extends string, ...string[]]
        ? Tenant
        : never
      : never;

type PkPaths<Keys extends KeyDeclaration> = Exclude<PathsOf<Keys['pk']>[number], ScopePaths<Keys>>;
type SkPaths<Keys extends KeyDeclaration> = PathsOf<NonNullable<Keys['sk']>>;
type KeyPaths<Keys extends KeyDeclaration> = PkPaths<Keys> | SkPaths<Keys>[number];

type TopOf<Path extends string> = Path extends `${infer Field}.${string}` ? Field : Path;
type SubOf<Path extends string, Field extends string> = Path extends `${Field}.${infer Sub}` ? Sub : never;

/** A key value of a placeholder naming no field types can see: what keys accept. */
type KeyScalar = string | number | bigint;

type FieldValue<Item, Field extends string> = Field extends keyof Item ? NonNullable<Item[Field]> : KeyScalar;

type SubValue<Item, Field extends string, Sub extends string> = Field extends keyof Item ? (Sub extends keyof NonNullable<Item[Field]> ? NonNullable<NonNullable<Item[Field]>[Sub]> : KeyScalar) : KeyScalar;

/** The values of these placeholders: `{ id: string }`, `{ owner: { id: string } }` for `{owner.id}`. */
type PathValues<Item, Paths extends string> = {
  readonly [Field in TopOf<Paths>]: Field extends Paths ? FieldValue<Item, Field> : { readonly [Sub in SubOf<Paths, Field>]: SubValue<Item, Field, Sub> };
};

/** Top-level fields the scope fills, typed as the message saying so: passing one is an error that explains itself. */
type FilledByScope<Keys extends KeyDeclaration, Except extends string> = {
  readonly [Field in Exclude<TopOf<ScopePaths<Keys>>, Except>]?: ScopeFilledMessage<Field, Keys['scope']>;
};

type Loose<Entity extends EntityClass> = Readonly<Partial<EntityItem<Entity>>>;

/** What identifies one item: every placeholder of pk and sk but those the scope fills. */
export type KeyOf<Entity extends EntityClass> =
  DeclarationOf<Entity> extends infer Keys extends KeyDeclaration ? PathValues<EntityItem<Entity>, KeyPaths<Keys>> & FilledByScope<Keys, TopOf<KeyPaths<Keys>>> : Loose<Entity>;

/** What identifies one partition, for a query: the placeholders of pk but those the scope fills. */
export type PartitionOf<Entity extends EntityClass> =
  DeclarationOf<Entity> extends infer Keys extends KeyDeclaration ? PathValues<EntityItem<Entity>, PkPaths<Keys>> & FilledByScope<Keys, TopOf<PkPaths<Keys>>> : Loose<Entity>;

/** An item to write: the scope's ids may be left out (the repository fills them) or given (and must be the scope's). */
export type NewItemOf<Entity extends EntityClass> =
  DeclarationOf<Entity> extends infer Keys extends KeyDeclaration ? OptionalFields<EntityItem<Entity>, TopOf<ScopePaths<Keys>>> : OptionalFields<EntityItem<Entity>, ConventionalScopeField>;

type ConventionalScopeField = 'tenantId' | 'tenant_id' | 'capsuleId' | 'capsule_id';

type OptionalFields<Item, Fields extends PropertyKey> = Omit<Item, Fields> & { readonly [Field in Extract<keyof Item, Fields>]?: Item[Field] };

/** Fields an update may set or remove: none the keys are built from. */
type ChangeableField<Entity extends EntityClass> =
  DeclarationOf<Entity> extends infer Keys extends KeyDeclaration
    ? Exclude<keyof EntityItem<Entity>, TopOf<KeyPaths<Keys> | ScopePaths<Keys>>>
    : Exclude<keyof EntityItem<Entity>, ConventionalScopeField>;

/** Optional fields: those an update may remove. */
type RemovableField<Entity extends EntityClass> = { [Field in ChangeableField<Entity>]-?: undefined extends EntityItem<Entity>[Field] ? Field : never }[ChangeableField<Entity>];

export interface Changes<Entity extends EntityClass> {
  /** New values of fields the keys are not built from. */
  readonly set?: { readonly [Field in ChangeableField<Entity>]?: EntityItem<Entity>[Field] };
  /** Optional fields to delete from the item. */
  readonly remove?: readonly RemovableField<Entity>[];
}

/**
 * The sort-key values of a range bound or prefix: the first placeholders of `sk`, in order (any
 * number of them, none for the entity's literal prefix). The last one given may be the start of a
 * value: `{ occurredAt: '2026-01' }` begins every January activity.
 */
type Leading<Item, Paths extends readonly string[], Given extends string = never> =
  | (PathValues<Item, Given> & { readonly [Field in Exclude<TopOf<Paths[number]>, TopOf<Given>>]?: never })
  | (Paths extends readonly [infer Path extends string, ...infer Rest extends readonly string[]] ? Leading<Item, Rest, Given | Path> : never);

type Bound<Entity extends EntityClass> =
  DeclarationOf<Entity> extends infer Keys extends KeyDeclaration ? Leading<EntityItem<Entity>, SkPaths<Keys>> : Loose<Entity>;

type FullSortKey<Entity extends EntityClass> =
  DeclarationOf<Entity> extends infer Keys extends KeyDeclaration ? PathValues<EntityItem<Entity>, SkPaths<Keys>[number]> : Loose<Entity>;

type Only<Name extends string, Value> = { readonly [Key in Name]: Value } & { readonly [Other in Exclude<SortKeyOperator, Name>]?: never };

export type SortKeyOperator = 'equals' | 'beginsWith' | 'between' | 'gt' | 'gte' | 'lt' | 'lte';

/** One condition on the sort key, in the entity's terms; the repository renders it with the sk template. */
export type SortKeyCondition<Entity extends EntityClass> =
  | Only<'equals', FullSortKey<Entity>>
  | Only<'beginsWith', Bound<Entity>>
  | Only<'between', readonly [Bound<Entity>, Bound<Entity>]>
  | Only<'gt', Bound<Entity>>
  | Only<'gte', Bound<Entity>>
  | Only<'lt', Bound<Entity>>
  | Only<'lte', Bound<Entity>>;

export interface QueryOptions<Entity extends EntityClass> {
  /** Default: every item of this entity in the partition (the sort keys beginning with the sk's literal prefix). */
  readonly where?: SortKeyCondition<Entity> | undefined;
  /** Items per page (DynamoDB's `Limit`: evaluated items, so a page may hold fewer). */
  readonly limit?: number | undefined;
  /** The `cursor` of the previous page of the same query. */
  readonly cursor?: string | undefined;
  /** Sort-key order; default `'ascending'`. */
  readonly order?: 'ascending' | 'descending' | undefined;
  readonly consistentRead?: boolean | undefined;
}

export interface Page<Item> {
  readonly items: Item[];
  /** Pass it as `cursor` for the next page; `undefined` on the last page. */
  readonly cursor: string | undefined;
}

/**
 * `unknown` when a scope of this kind may open the entity's repository; otherwise the report,
 * which the parameter `entity: Entity & OpensIn<Kind, Entity>` then demands. A scope typed as any
 * kind (`Scope`) leaves the check to run time, as does an entity without a declaration.
 */
export type OpensIn<Kind extends ScopeKind, Entity> = [Kind] extends ['operator']
  ? IsolationTypeError<OperatorScopeMessage>
  : Entity extends { readonly keys: KeyDeclaration<infer Scope> }
    ? [Kind] extends [Scope]
      ? unknown
      : Scope extends Kind
        ? unknown
        : IsolationTypeError<WrongScopeMessage<Kind, Scope>>
    : unknown;
