/**
 * `key-template` as types. The options of `@Entity` are checked on their own (a malformed template
 * is reported at its `pk`/`sk`); the class it decorates is checked by the decorator it returns (a
 * placeholder naming no field is reported at `@Entity`).
 *
 * `key-scope-segments` is not checked here: it depends on the scope marker, which `@Entity` cannot
 * see, and `@PlatformScoped` allows any pk over any fields (ADR 0019).
 */
import type { AnyClass } from '../registry.js';
import type { HasHiddenFields, HasScopeField, InstanceOf, LookupField, ScopeBrand, ScopeFieldName } from './fields.js';
import type { IsLiteral, MalformedTemplate, ParsedTemplate, ParseKeyTemplate } from './key-template.js';
import type { IsolationTypeError, MalformedTemplateMessage, UnknownFieldMessage, UnknownSubFieldMessage } from './messages.js';

/**
 * The type of a `pk`/`sk` option: the template itself, or the message when it does not parse.
 * The template stays in a branch, so TypeScript infers it from the argument; `string` parses.
 * A parsed template is told apart by a comparison of type arguments alone; only a refused one
 * is searched for its problem. That branch is `NoInfer`: inference would otherwise walk it, down
 * to the message's template literal type, for every option of every `@Entity`.
 */
export type CheckedTemplate<Template extends string, Option extends string> =
  ParseKeyTemplate<Template> extends ParsedTemplate<readonly string[]> ? Template : NoInfer<RefusedTemplate<Template, Option>>;

type RefusedTemplate<Template extends string, Option extends string> =
  ParseKeyTemplate<Template> extends MalformedTemplate<infer Problem> ? (IsLiteral<Template> extends true ? MalformedTemplateMessage<Option, Problem> : Template) : Template;

export interface CheckedEntityOptions<Pk extends string, Sk extends string> {
  readonly table: string;
  readonly pk: CheckedTemplate<Pk, 'pk'>;
  readonly sk?: CheckedTemplate<Sk, 'sk'>;
}

/** What `@Entity(…)` returns for these templates. */
export type EntityDecorator<Pk extends string, Sk extends string> = ParsedEntityDecorator<ParseKeyTemplate<Pk>, ParseKeyTemplate<Sk>>;

/**
 * The decorator for two parsed templates: `void` when every placeholder names a field of the
 * class. Keyed by the parsed templates, not the templates, so entities whose templates name the
 * same fields share one (its signatures are worked out once). Two signatures, because TypeScript
 * pays for a generic one on every use: the first, not generic, takes a class whose instances have
 * every field the templates name (the usual case, one structural comparison); only a class it
 * refuses reaches the second, which looks closely (nested paths, fields types cannot see) and
 * returns the report. `context` is typed `unknown`: nothing is read from it, and naming
 * `ClassDecoratorContext` in a generic signature costs more per use.
 */
export interface ParsedEntityDecorator<Pk extends KeyTemplateFields, Sk extends KeyTemplateFields> {
  (target: WithFields<Pk['fields'] | Sk['fields']>, context?: unknown): void;
  <Class extends AnyClass>(target: Class, context?: unknown): FieldCheck<InstanceOf<Class>, Pk, Sk>;
}

/** What `ParseKeyTemplate` gives: a parsed or a malformed template (no fields), or `never` for a template left out. */
type KeyTemplateFields = { readonly fields: string };

/** A class whose instances have these fields; keyed by the set of names alone, so entities whose templates name the same fields share it. */
interface WithFields<Fields extends string> {
  readonly prototype: { readonly [Field in Fields]: unknown };
}

/** Works from the parsed templates (computed once per template), so nothing is worked out for a class that passes. */
type FieldCheck<Instance, Pk, Sk> =
  HasHiddenFields<Instance> extends true
    ? void
    : FirstProblem<Instance, Pk, 'pk'> extends infer Problem extends string
      ? [Problem] extends [never]
        ? FirstProblem<Instance, Sk, 'sk'> extends infer SkProblem extends string
          ? [SkProblem] extends [never]
            ? void
            : IsolationTypeError<SkProblem>
          : never
        : IsolationTypeError<Problem>
      : never;

/**
 * The first placeholder of a parsed template that names no field; never for a malformed one
 * (reported at its option). `string` parses to no placeholders; a pattern such as
 * `` `A#{x}#${string}` `` is checked for what it shows, which the rule core refuses anyway as no
 * literal, under the same rule id.
 */
type FirstProblem<Instance, Parsed, Option extends string> = Parsed extends ParsedTemplate<infer Paths> ? FirstUnknownPath<Instance, Paths, Option> : never;

type FirstUnknownPath<Instance, Paths extends readonly string[], Option extends string> = Paths extends readonly [infer Path extends string, ...infer Rest extends string[]]
  ? PathProblem<Instance, Path, Option> extends infer Problem extends string
    ? [Problem] extends [never]
      ? FirstUnknownPath<Instance, Rest, Option>
      : Problem
    : never
  : never;

type PathProblem<Instance, Path extends string, Option extends string> = Path extends `${infer Field}.${infer Sub}`
  ? LookupField<Instance, Field, Sub> extends infer Found
    ? Found extends 'missing-field'
      ? UnknownFieldMessage<Option, Path, Field>
      : Found extends 'missing-sub'
        ? UnknownSubFieldMessage<Option, Path, Field, Sub>
        : never
    : never
  : LookupField<Instance, Path, undefined> extends 'missing-field'
    ? ReportedAsMissingId<Instance, Path> extends true
      ? never
      : UnknownFieldMessage<Option, Path, Path>
    : never;

/**
 * `{tenantId}` on a class without a tenant id is one mistake: `capsule-id-field` reports it for a
 * capsule or tenant entity, `key-template` for a platform one. `@Entity` cannot tell which, so it
 * leaves the placeholder to the marker and the other tools.
 */
type ReportedAsMissingId<Instance, Path extends string> = true extends (ScopeBrand extends infer Brand extends ScopeBrand
  ? Brand extends unknown
    ? Path extends ScopeFieldName<Brand>
      ? HasScopeField<Instance, Brand> extends true
        ? false
        : true
      : false
    : never
  : never)
  ? true
  : false;
