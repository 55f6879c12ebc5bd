/**
 * `endpoint-params` as types, for what the options alone show: the path against the two lists,
 * duplicates, and `:name` placeholders. Handler parameter names are no part of a decorator's type:
 * those checks stay with ESLint, `tspc` and `isolation-check`.
 *
 * The options are typed as written (naked type parameters: cheap to infer) and the decorator
 * `@Endpoint(…)` returns carries the verdict: a refused declaration gets a decorator whose return
 * type is the report, which TypeScript prints at `@Endpoint`. Typing each option as its check
 * instead would point at the refused entry, but costs the compiler about 30 % more per endpoint
 * (it works the conditional types out again while inferring), so the report names the entry.
 */
import type { AnyClass, HttpMethod } from '../registry.js';
import type { BraceNames, ColonNames, NotPlain, PlainPlaceholders } from './endpoint-path.js';
import type {
  ColonPlaceholderMessage,
  DuplicateParamMessage,
  IsolationTypeError,
  ParamInBothListsMessage,
  PathParamNotInPathMessage,
  PlaceholderNotDeclaredMessage,
} from './messages.js';

/** `PathParams`/`QueryParams` are `never` when the option is left out. */
export interface EndpointOptionsOf<Path extends string, PathParams extends readonly string[], QueryParams extends readonly string[]> {
  readonly method: HttpMethod;
  readonly path: Path;
  readonly pathParams?: PathParams;
  readonly queryParams?: QueryParams;
  readonly body?: string;
  readonly permission?: string;
}

/**
 * The two method decorator conventions: standard (`method`, `context`) and `experimentalDecorators`
 * (three arguments). `context` is typed `unknown`, as the class decorators' is: relating each
 * method's `ClassMethodDecoratorContext` to a declared one costs more than all the checks here
 * (the decorator refuses any other kind of member when it runs).
 */
export interface EndpointMethodDecorator<Result = void> {
  (method: AnyClass, context: unknown): Result;
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): Result;
}

/**
 * A passing declaration is answered by a few tests, most of them kept per path or per pair of
 * lists, which endpoints share; only one that fails them is searched for its report (`Checked`).
 */
export type EndpointDecorator<Path extends string, PathParams extends readonly string[], QueryParams extends readonly string[]> =
  PlainlyPasses<PlainPlaceholders<Path>, KnownNames<PathParams>, KnownNames<QueryParams>> extends true ? EndpointMethodDecorator : Checked<Path, PathParams, QueryParams>;

/**
 * Lists that pass on their own and a path whose placeholders are plain names agreeing with them.
 * Kept per set of names and pair of lists; `false` sends the declaration to the full check.
 */
type PlainlyPasses<Names, PathNames, QueryNames> = ListsPass<PathNames, QueryNames> extends true
  ? PlainNamesAgree<Names, (PathNames & readonly string[])[number], (QueryNames & readonly string[])[number]>
  : false;

type PlainNamesAgree<Names, Declared extends string, Query extends string> = [Names] extends [Declared]
  ? [Declared] extends [Names | Query]
    ? [NotPlain<Names & string>] extends [never]
      ? true
      : false
    : false
  : false;

type Checked<Path extends string, PathParams extends readonly string[], QueryParams extends readonly string[]> =
  IsLegacy<PathParams, QueryParams> extends true
    ? EndpointMethodDecorator
    : Passes<Path, KnownNames<PathParams>, KnownNames<QueryParams>> extends true
      ? EndpointMethodDecorator
      : Refused<FirstProblem<Path, KnownNames<PathParams>, KnownNames<QueryParams>>>;

type Refused<Problem extends string> = [Problem] extends [never] ? EndpointMethodDecorator : EndpointMethodDecorator<IsolationTypeError<Problem>>;

/** Declaring neither list is the legacy form, which `endpoint-explicit-params` handles: no check, as in the rule core. */
type IsLegacy<PathParams, QueryParams> = [PathParams] extends [never] ? ([QueryParams] extends [never] ? true : false) : false;

/**
 * The names of a list types can read: `[]` for a list left out, the tuple for a literal one, and
 * `undefined` for one they cannot (`string[]`, an entry that is no literal). The rule core skips the
 * checks that need a list it cannot read; so do these.
 */
type KnownNames<List extends readonly string[]> = [List] extends [never] ? [] : number extends List['length'] ? undefined : string extends List[number] ? undefined : List;

/**
 * A path types can read: not `string`. (A pattern such as `` `/a/${string}` `` counts: what it shows
 * is checked, and the rule core refuses it anyway as not a literal, under the same rule id.)
 */
type IsWritten<Path extends string> = string extends Path ? false : true;

/**
 * Every check at once, over unions: true when nothing is refused. The checks of the lists alone are
 * kept per pair of lists, which endpoints share; a list types cannot read takes the long way.
 */
type Passes<Path extends string, PathNames, QueryNames> = ListsPass<PathNames, QueryNames> extends true
  ? IsWritten<Path> extends true
    ? PathAgrees<Path, (PathNames & readonly string[])[number], (QueryNames & readonly string[])[number]>
    : true
  : false;

type ListsPass<PathNames, QueryNames> = PathNames extends readonly string[]
  ? QueryNames extends readonly string[]
    ? NoDuplicate<PathNames> extends true
      ? NoDuplicate<QueryNames> extends true
        ? [PathNames[number] & QueryNames[number]] extends [never]
          ? true
          : false
        : false
      : false
    : false
  : false;

type PathAgrees<Path extends string, Declared extends string, Query extends string> = ColonNames<Path> extends readonly []
  ? [BraceNames<Path>[number]] extends [Declared]
    ? [Declared] extends [BraceNames<Path>[number] | Query]
      ? true
      : false
    : false
  : false;

type NoDuplicate<Names extends readonly string[]> = Names extends readonly [infer Name, ...infer Rest extends readonly string[]] ? (Name extends Rest[number] ? false : NoDuplicate<Rest>) : true;

/**
 * The report, in the rule core's order: a `:name` placeholder, a path placeholder missing from
 * `pathParams`, a duplicate, a name in both lists, a `pathParams` entry not in the path. Never when
 * nothing types can read is wrong (a list they cannot read made `Passes` fail).
 */
type FirstProblem<Path extends string, PathNames, QueryNames> =
  IsWritten<Path> extends true
    ? ColonNames<Path> extends readonly [infer Name extends string, ...string[]]
      ? ColonPlaceholderMessage<Path, Name>
      : First<[Undeclared<BraceNames<Path>, PathNames>, Duplicates<'pathParams', PathNames>, Duplicates<'queryParams', QueryNames>, InBoth<PathNames, QueryNames>, NotInPath<Path, PathNames, QueryNames>]>
    : First<[Duplicates<'pathParams', PathNames>, Duplicates<'queryParams', QueryNames>, InBoth<PathNames, QueryNames>]>;

type First<Problems extends readonly string[]> = Problems extends readonly [infer Problem extends string, ...infer Rest extends string[]] ? ([Problem] extends [never] ? First<Rest> : Problem) : never;

type Undeclared<Placeholders extends readonly string[], PathNames> = PathNames extends readonly string[]
  ? Placeholders extends readonly [infer Name extends string, ...infer Rest extends string[]]
    ? Name extends PathNames[number]
      ? Undeclared<Rest, PathNames>
      : PlaceholderNotDeclaredMessage<Name>
    : never
  : never;

type Duplicates<List extends string, Names> = Names extends readonly [infer Name extends string, ...infer Rest extends string[]]
  ? Name extends Rest[number]
    ? DuplicateParamMessage<List, Name>
    : Duplicates<List, Rest>
  : never;

type InBoth<PathNames, QueryNames> = PathNames extends readonly string[]
  ? QueryNames extends readonly [infer Name extends string, ...infer Rest extends string[]]
    ? Name extends PathNames[number]
      ? ParamInBothListsMessage<Name>
      : InBoth<PathNames, Rest>
    : never
  : never;

/** A name in both lists is one mistake, already reported as such. */
type NotInPath<Path extends string, PathNames, QueryNames> = PathNames extends readonly [infer Name extends string, ...infer Rest extends string[]]
  ? Name extends [...BraceNames<Path>, ...ColonNames<Path>][number] | (QueryNames extends readonly string[] ? QueryNames[number] : never)
    ? NotInPath<Path, Rest, QueryNames>
    : PathParamNotInPathMessage<Name, Path>
  : never;
