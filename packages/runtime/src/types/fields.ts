/**
 * The fields of a decorated class as types see them, mirroring `findScopeField` and
 * `lookupFieldPath` of the rule core: id fields by brand (`__isolationBrand` of `TenantId` and
 * `CapsuleId`, see @isolation/core's ids.ts) whatever they are called, otherwise by the names
 * `tenantId`/`tenant_id` and `capsuleId`/`capsule_id`; own and inherited fields, then one level
 * nested. Wherever the core could see a field that types cannot, these answer "unknown" so the
 * decorators stay silent rather than report a field missing that is there.
 */
export type ScopeBrand = 'TenantId' | 'CapsuleId';

/** The conventional names, as `SCOPE_FIELD_NAMES` of the rule core. */
export type ScopeFieldName<Brand extends ScopeBrand> = Brand extends 'TenantId' ? 'tenantId' | 'tenant_id' : 'capsuleId' | 'capsule_id';

/** The brands a type carries; distributes over unions, so `TenantId | undefined` is a `TenantId`. */
type BrandOf<T> = T extends { readonly __isolationBrand: infer Brand extends string } ? Brand : never;

/**
 * The instance type of a class. From its construct signature where it has a public one (a generic
 * class then comes with its constraints, `Box<unknown>`), otherwise from `prototype` (`Box<any>`,
 * which keeps the checks silent), so that classes with private constructors are accepted too.
 */
export type InstanceOf<Class> = Class extends abstract new (...args: never) => infer Instance
  ? Instance
  : Class extends { readonly prototype: infer Instance }
    ? Instance
    : unknown;

type IsAny<T> = 0 extends 1 & T ? true : false;

/**
 * Whether the core could see fields types cannot: `private`/`protected`/`#private` members (a
 * class with any of them is nominal, so its public view is no longer assignable to it), an `any`
 * instance (a base class whose type is unknown) or a field typed `any` (an unresolved import).
 */
export type HasHiddenFields<Instance> =
  IsAny<Instance> extends true ? true : { [K in keyof Instance]: Instance[K] } extends Instance ? (true extends AnyFieldFlags<Instance> ? true : false) : true;

type AnyFieldFlags<Instance> = { [K in keyof Instance]-?: IsAny<Instance[K]> }[keyof Instance];

/** A field holds the id: branded with it, or unbranded and conventionally named. */
type Holds<Field, Name, Brand extends ScopeBrand> =
  IsAny<Field> extends true ? true : Brand extends BrandOf<Field> ? true : [BrandOf<Field>] extends [never] ? (Name extends ScopeFieldName<Brand> ? true : false) : false;

type OwnHolder<Instance, Brand extends ScopeBrand> = true extends { [K in keyof Instance]-?: Holds<Instance[K], K, Brand> }[keyof Instance] ? true : false;

/** Primitives, functions and arrays have no named sub-fields an id could be. */
type Nestable<Field> = [Field] extends [string | number | boolean | bigint | symbol | null | undefined | ((...args: never) => unknown) | readonly unknown[]] ? false : true;

type NestedHolder<Instance, Brand extends ScopeBrand> =
  true extends {
    [K in keyof Instance]-?: [BrandOf<Instance[K]>] extends [never]
      ? Nestable<NonNullable<Instance[K]>> extends true
        ? HasHiddenFields<NonNullable<Instance[K]>> extends true
          ? true
          : OwnHolder<NonNullable<Instance[K]>, Brand>
        : false
      : false;
  }[keyof Instance]
    ? true
    : false;

/** True unless the instance certainly has no field of the brand (own, inherited, one level nested). */
export type HasScopeField<Instance, Brand extends ScopeBrand> =
  HasHiddenFields<Instance> extends true ? true : OwnHolder<Instance, Brand> extends true ? true : NestedHolder<Instance, Brand>;

/** The brands of `Required` the instance certainly lacks, in report order. */
export type MissingBrands<Instance, Required extends readonly ScopeBrand[]> = Required extends readonly [infer First extends ScopeBrand, ...infer Rest extends ScopeBrand[]]
  ? HasScopeField<Instance, First> extends true
    ? MissingBrands<Instance, Rest>
    : [First, ...MissingBrands<Instance, Rest>]
  : [];

/** `found`, `missing-field`, `missing-sub`, or `unknown` where types cannot tell (as `lookupFieldPath`). */
export type LookupField<Instance, Field extends string, Sub extends string | undefined> = Field extends keyof Instance
  ? Sub extends string
    ? LookupSub<NonNullable<Instance[Field]>, Sub>
    : 'found'
  : 'missing-field';

type LookupSub<Field, Sub extends string> =
  IsAny<Field> extends true
    ? 'unknown'
    : [BrandOf<Field>] extends [never]
      ? Nestable<Field> extends true
        ? HasHiddenFields<Field> extends true
          ? 'unknown'
          : Sub extends keyof Field
            ? 'found'
            : 'missing-sub'
        : [Field] extends [readonly unknown[]]
          ? 'unknown'
          : 'missing-sub'
      : 'missing-sub';
