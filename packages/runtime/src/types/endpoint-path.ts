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
