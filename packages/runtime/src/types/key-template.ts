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
 * The delimiters are checked over the whole template at once; then each step takes one whole
 * placeholder (`literal{path}`) in a single match, in tail position, not character by character:
 * a 200-character template stays far below TypeScript's instantiation limits. What a step checks
 * of its path is keyed by the path alone, so `{tenantId}` is checked once per program. `string`
 * parses to no placeholders (nothing to check); callers that report test `IsLiteral` first.
 */
export type ParseKeyTemplate<Template extends string> = Template extends '' | `#${string}` | `${string}#` | `${string}##${string}`
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
