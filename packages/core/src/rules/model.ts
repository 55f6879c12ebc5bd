/**
 * The declaration model: what every enforcement point (ESLint, the transformer, the decorators)
 * extracts from its own representation of a declaration before asking the rule core about it.
 * It is deliberately small and plain data, so the core stays pure and the extractors stay thin.
 */

/** A value read from a declaration: known when written as a literal, otherwise unverifiable. */
export type Declared<T> =
  | { readonly kind: 'known'; readonly value: T }
  | {
      readonly kind: 'unverifiable';
      /** What was written instead of a literal, for the message: "the variable `PK`", "a spread". */
      readonly found: string;
      /**
       * The decorator's argument is a literal of another shape (a string, a number, an array), not an
       * options object: `@Entity('article')` in another ORM's style. Not a value to resolve, but a mistake.
       */
      readonly notOptions?: boolean;
    };

/** A list option such as `pathParams`: the list itself and each entry may be unverifiable. */
export type DeclaredList = Declared<readonly Declared<string>[]>;

export type ScopeKind = 'capsule' | 'tenant' | 'platform';
export type ScopeBrand = 'TenantId' | 'CapsuleId';

export interface ScopeMarker {
  readonly scope: ScopeKind;
  /** `@PlatformScoped({ reason })`: undefined when no reason was given. */
  readonly reason?: Declared<string> | undefined;
}

export interface FieldDeclaration {
  readonly name: string;
  /** The id brand of the field's type, where the extractor can tell (annotation or type checker). */
  readonly brand?: ScopeBrand | undefined;
  /**
   * The fields of an object-typed field (one level). `undefined` means unknown to the extractor;
   * a primitive field has an empty, complete set.
   */
  readonly nested?: FieldSet | undefined;
  /** Name of the base class the field was inherited from, if any. */
  readonly inheritedFrom?: string | undefined;
  /**
   * True when the extractor cannot see the field's type (an imported type without a type checker):
   * it may be an id of either brand, or hold one nested, so absence of an id is not proof.
   */
  readonly typeUnknown?: boolean | undefined;
}

export interface FieldSet {
  readonly fields: readonly FieldDeclaration[];
  /**
   * False when fields may exist that the extractor cannot see (an unresolved base class, a
   * run-time check without type information). Checks for a missing field stay silent then.
   */
  readonly complete: boolean;
}

export interface EntityDeclaration {
  readonly kind: 'entity';
  readonly name: string;
  readonly markers: readonly ScopeMarker[];
  readonly table: Declared<string> | undefined;
  readonly pk: Declared<string> | undefined;
  readonly sk: Declared<string> | undefined;
  readonly fields: FieldSet;
  readonly bases: readonly string[];
}

export interface HandlerParameter {
  /** Undefined for a destructured parameter, which has no name to declare. */
  readonly name: string | undefined;
}

export interface EndpointDeclaration {
  readonly kind: 'endpoint';
  /** `Class.method`, for messages. */
  readonly name: string;
  readonly method: Declared<string> | undefined;
  readonly path: Declared<string> | undefined;
  readonly pathParams: DeclaredList | undefined;
  readonly queryParams: DeclaredList | undefined;
  readonly body: Declared<string> | undefined;
  /** Undefined where the extractor cannot see parameter names (decorators at run time). */
  readonly handlerParameters: readonly HandlerParameter[] | undefined;
}

export interface EventDeclaration {
  readonly kind: 'event';
  readonly name: string;
  readonly type: Declared<string> | undefined;
  /** Undefined means the default, `'capsule'`. */
  readonly scope: Declared<string> | undefined;
  readonly fields: FieldSet;
}

/** `new XClient(…)` or `DynamoDBDocumentClient.from(…)`. */
export interface ClientConstruction {
  readonly form: 'new' | 'from';
  /** The exported name, whatever the local alias. */
  readonly className: string;
  readonly module: string;
  /** For `from`: the client it wraps is one a scope handed out (`scope.client(…)`, `scope.dynamo()`). */
  readonly fromScopeClient?: boolean;
}

/**
 * Where a violation points, relative to the declaration. Extractors map it to their own nodes.
 * `range` is a [start, end) span inside a string option's text (not counting quotes).
 */
export type Target =
  | { readonly kind: 'name' }
  | { readonly kind: 'decorator' }
  | { readonly kind: 'marker'; readonly index: number; readonly option?: 'reason' }
  | {
      readonly kind: 'option';
      readonly option: string;
      readonly index?: number | undefined;
      readonly range?: readonly [number, number] | undefined;
    }
  | { readonly kind: 'parameter'; readonly index: number }
  | { readonly kind: 'node' };

/** A repair expressed on the declaration; extractors turn it into text edits. */
export type Edit =
  /** Replace the option's value, or add the option, with a string or string-list literal. */
  | { readonly kind: 'setOption'; readonly option: string; readonly value: string | readonly string[] }
  /** Append entries to a list option, creating the option when absent. */
  | { readonly kind: 'appendToList'; readonly option: string; readonly items: readonly string[] }
  /** Insert a field declaration (TypeScript source text) at the start of the class body. */
  | { readonly kind: 'addField'; readonly text: string };
