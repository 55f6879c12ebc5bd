/**
 * Endpoint paths read by the type checker, as `pathPlaceholders` of the rule core reads them:
 * `{name}` placeholders (regex `\{([^{}/]*)\}`, names trimmed) and the refused `:name` style
 * (`:` at the start or after `/`, then an identifier).
 */
import type { IdentifierPart, IdentifierStart } from './key-template.js';

export type BraceNames<Path extends string, Names extends readonly string[] = []> = Path extends `${string}{${infer Inside}}${infer After}`
  ? PlaceholderName<Inside> extends infer Name extends string
    ? BraceNames<After, [...Names, Name]>
    : BraceNames<`${Inside}}${After}`, Names> // this `{` opens no placeholder; look on from the next one
  : Names;

/** The trimmed name between `{` and `}`, or `undefined` when that is no placeholder; kept per distinct text. */
type PlaceholderName<Inside extends string> = Inside extends `${string}${'{' | '/'}${string}` ? (Inside extends `${string}{${infer Last}` ? LastPlaceholderName<Last> : undefined) : Trim<Inside>;

/** `{a{b}`: the regex takes `{b}`. */
type LastPlaceholderName<Inside extends string> = Inside extends `${string}{${infer Last}` ? LastPlaceholderName<Last> : Inside extends `${string}/${string}` ? undefined : Trim<Inside>;

/**
 * The placeholder names of a path as written, as one union, in a single match per placeholder:
 * `undefined` when the path holds a `:` (a `:name` placeholder is possible), and names that are
 * no plain word (`NotPlain`) are left for `BraceNames` to read as the rule core does.
 */
export type PlainPlaceholders<Path extends string> = Path extends `${string}:${string}` ? undefined : PlainBraces<Path, never>;

type PlainBraces<Rest extends string, Names extends string> = Rest extends `${string}{${infer Inside}}${infer After}` ? PlainBraces<After, Names | Inside> : Names;

/** The names the regex would read differently from the text between the braces (trimmed, cut at `{` or `/`), or an empty one. */
export type NotPlain<Names extends string> = Names extends '' | `${string}${'{' | '/' | Blank}${string}` ? Names : never;

export type ColonNames<Path extends string, Names extends readonly string[] = [], AtStart extends boolean = true> = Path extends `${infer Before}:${infer After}`
  ? ColonName<Before, After, AtStart> extends infer Name extends string
    ? ColonNames<After, Name extends '' ? Names : [...Names, Name], false>
    : never
  : Names;

type ColonName<Before extends string, After extends string, AtStart extends boolean> = Before extends `${string}/`
  ? LeadingIdentifier<After>
  : Before extends ''
    ? AtStart extends true
      ? LeadingIdentifier<After>
      : ''
    : '';

/** The identifier `After` begins with, or `''`. */
type LeadingIdentifier<Text extends string, Name extends string = ''> = Text extends `${infer Head}${infer Tail}`
  ? Name extends ''
    ? Head extends IdentifierStart
      ? LeadingIdentifier<Tail, Head>
      : ''
    : Head extends IdentifierPart
      ? LeadingIdentifier<Tail, `${Name}${Head}`>
      : Name
  : Name;

type Blank = ' ' | '\t' | '\n' | '\r';
type Trim<Text extends string> = Text extends `${Blank}${infer Rest}` ? Trim<Rest> : Text extends `${infer Rest}${Blank}` ? Trim<Rest> : Text;
