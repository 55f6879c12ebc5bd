/**
 * Key templates parsed by the type checker, mirroring `tryParseKeyTemplate` of @isolation/core:
 * segments joined by `#`, each mixing literal text and `{field}` / `{field.sub}` placeholders.
 * Where a template has several problems, the one reported may differ from the rule core's first.
 */

/** A template that parses: its placeholder paths in order (`['tenantId', 'scope.capsuleId', 'id']`), and as a union. */
export interface ParsedTemplate<Paths extends readonly string[]> {
  readonly paths: Paths;
  readonly fields: Paths[number];
}

/** A template that does not: what is wrong and what to write instead. */
export interface MalformedTemplate<Problem extends string> {
  readonly problem: Problem;
  readonly fields: never;
}

/** True for a string literal type (or a union of them); false for `string` and patterns like `` `A#${string}` ``. */
export type IsLiteral<T extends string> = [T] extends [never] ? false : Record<never, never> extends Record<T, 1> ? false : true;

/**
 * Cheap first, the full parse only where needed. TypeScript caches a conditional type per type
 * arguments, but not one in tail position of another (it loops instead), and every evaluation
 * costs about as much as checking a small expression; a template is mostly unique to its entity.
 * So the usual layout, an optional scope prefix and `WORD#{field}`, is read in one match and two
 * tests whose inner results are cached per word shape and per path; any other template is split
 * at `#` into segments, each read once per program. Only a template with a problem gets the walk
 * that finds it (`FindProblem`). `string` parses to no placeholders (nothing to check); callers
 * that report test `IsLiteral` first.
 */
export type ParseKeyTemplate<Template extends string> = Template extends `TENANT#{tenantId}#CAPSULE#{capsuleId}#${infer Word}#{${infer Path}}`
  ? WordAndPlaceholder<Template, Word, Path, ['tenantId', 'capsuleId', Path]>
  : Template extends `TENANT#{tenantId}#${infer Word}#{${infer Path}}`
    ? WordAndPlaceholder<Template, Word, Path, ['tenantId', Path]>
    : Template extends `${infer Word}#{${infer Path}}`
      ? WordAndPlaceholder<Template, Word, Path, [Path]>
      : BySegments<Template>;

/**
 * `Word` is what precedes the first `#{` and `Path` all the rest up to the closing `}`, so the
 * template parses to `Paths` when `Word` is one plain segment and `Path` a field reference.
 */
type WordAndPlaceholder<Template extends string, Word extends string, Path extends string, Paths extends readonly string[]> = Word extends NoPlainWord
  ? BySegments<Template>
  : IsFieldReference<Path> extends true
    ? ParsedTemplate<Paths>
    : BySegments<Template>;

type NoPlainWord = '' | `${string}${'#' | '{' | '}'}${string}`;

/** Keyed by the path alone (never in tail position), so `{id}` is checked once per program. */
type IsFieldReference<Inside extends string> = [PlaceholderProblem<Inside>] extends [never] ? true : false;

type BySegments<Template extends string> = ParsedOrProblem<Template, Segments<Template, []>>;

/** `never` when a segment does not parse. */
type ParsedOrProblem<Template extends string, Paths extends readonly string[]> = [Paths] extends [never] ? FindProblem<Template> : ParsedTemplate<Paths>;

/** The paths of every segment in order; a segment that does not parse makes the whole `never` (spreading `never` gives `never`). */
type Segments<Rest extends string, Paths extends readonly string[]> = Rest extends `${infer Segment}#${infer After}`
  ? Segments<After, [...Paths, ...SegmentPaths<Segment>]>
  : [...Paths, ...SegmentPaths<Rest>];

/** A segment's placeholder paths, `never` for an empty or malformed one; kept per distinct segment. */
type SegmentPaths<Segment extends string> = Segment extends '' | `${string}${'{' | '}'}${string}` ? (Segment extends '' ? never : SegmentPlaceholders<Segment, []>) : [];

type SegmentPlaceholders<Rest extends string, Paths extends readonly string[]> = Rest extends `${infer Literal}{${infer Inside}}${infer After}`
  ? Literal extends `${string}}${string}`
    ? never
    : IsFieldReference<Inside> extends true
      ? SegmentPlaceholders<After, [...Paths, Inside]>
      : never
  : Rest extends `${string}${'{' | '}'}${string}`
    ? never
    : Paths;

/**
 * The walk that names the problem of a template the checks above refused: the delimiters over the
 * whole template at once, then one whole placeholder (`literal{path}`) per step, in tail position,
 * so a 200-character template stays far below TypeScript's instantiation limits.
 */
type FindProblem<Template extends string> = Template extends '' | `#${string}` | `${string}#` | `${string}##${string}`
  ? MalformedTemplate<DelimiterProblem<Template>>
  : Template extends `TENANT#{tenantId}#${infer Rest}`
    ? ScopePrefix<Rest>
    : Placeholders<Template, []>;

/** The scope prefix the contract recommends, `TENANT#{tenantId}#` and `CAPSULE#{capsuleId}#`, taken in one step each. */
type ScopePrefix<Rest extends string> = Rest extends `CAPSULE#{capsuleId}#${infer Own}` ? Placeholders<Own, ['tenantId', 'capsuleId']> : Placeholders<Rest, ['tenantId']>;

type DelimiterProblem<Template extends string> = Template extends ''
  ? "the template is empty; write segments joined by '#', e.g. 'TENANT#{tenantId}#ORDER#{id}'"
  : Template extends `#${string}`
    ? "the template starts with '#'; remove the extra '#' or put a segment between the delimiters"
    : Template extends `${string}##${string}`
      ? "the template has an empty segment; remove the extra '#' or put a segment between the delimiters"
      : "the template ends with '#'; remove the trailing '#' or add a segment after it";

type Placeholders<Rest extends string, Paths extends readonly string[]> = Rest extends `${infer Literal}{${infer Inside}}${infer After}`
  ? [PieceProblem<Literal, Inside>] extends [never]
    ? Placeholders<After, [...Paths, Inside]>
    : MalformedTemplate<PieceProblem<Literal, Inside>>
  : Rest extends `${string}${'{' | '}'}${string}`
    ? MalformedTemplate<TailProblem<Rest>>
    : ParsedTemplate<Paths>;

/** The literal text before a `{`, and what lies between it and the next `}`. */
type PieceProblem<Literal extends string, Inside extends string> = Literal extends `${string}}${string}` ? StrayClose : PlaceholderProblem<Inside>;

/** Text after the last whole placeholder that still holds a brace. */
type TailProblem<Rest extends string> = Rest extends `${infer Literal}{${infer Inside}` ? (Literal extends `${string}}${string}` ? StrayClose : Unclosed<Inside>) : StrayClose;

type StrayClose = "a '}' closes no placeholder; remove it or open the placeholder with '{', e.g. '{id}'";

/** A placeholder may not reach a `#` or another `{` before its `}`; what it names must be a field reference. */
type PlaceholderProblem<Inside extends string> = Inside extends `${string}${'#' | '{'}${string}` ? Unclosed<Inside> : PathProblem<Inside>;

/** A `{` whose placeholder reaches `#`, `{` or the end before a `}`. */
type Unclosed<Inside extends string> = Inside extends `${infer BeforeDelimiter}#${string}`
  ? BeforeDelimiter extends `${infer Opened}{${string}`
    ? ReachesBrace<Opened>
    : `the placeholder '{${BeforeDelimiter}' reaches '#' before its '}'; close it, e.g. '{id}'`
  : Inside extends `${infer Opened}{${string}`
    ? ReachesBrace<Opened>
    : `the placeholder '{${Inside}' reaches the end of the template before its '}'; close it, e.g. '{id}'`;

type ReachesBrace<Opened extends string> = `the placeholder '{${Opened}' reaches '{' before its '}'; close it, e.g. '{id}'`;

type PathProblem<Path extends string> = Path extends ''
  ? "'{}' names no field; write the field to substitute, e.g. '{id}'"
  : Path extends `${string}.${string}.${string}`
    ? `'{${Path}}' reaches more than one level deep; placeholders may reach one level into a nested field ('{field.sub}'), so flatten it into a field of the entity`
    : Path extends `${infer Field}.${infer Sub}`
      ? IsIdentifier<Field> extends true
        ? IsIdentifier<Sub> extends true
          ? never
          : NotAFieldReference<Path>
        : NotAFieldReference<Path>
      : IsIdentifier<Path> extends true
        ? never
        : NotAFieldReference<Path>;

type NotAFieldReference<Path extends string> = `'{${Path}}' is not a field reference; write a field name (letters, digits, '_' or '$', not starting with a digit), e.g. '{id}' or '{owner.tenantId}'`;

type Lower = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z';
export type IdentifierStart = Lower | Uppercase<Lower> | '_' | '$';
export type IdentifierPart = IdentifierStart | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/** `[A-Za-z_$][A-Za-z0-9_$]*`, as the core's `IDENTIFIER`. */
export type IsIdentifier<Name extends string> = Name extends `${infer Head}${infer Tail}` ? (Head extends IdentifierStart ? IsIdentifierTail<Tail> : false) : false;

type IsIdentifierTail<Rest extends string> = Rest extends `${infer Head}${infer Tail}` ? (Head extends IdentifierPart ? IsIdentifierTail<Tail> : false) : true;
