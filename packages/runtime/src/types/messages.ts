/**
 * The text of type-level reports. A decorator that sees a broken rule returns `IsolationTypeError`
 * instead of `void`, or types an option as the message itself; either way `tsc` prints the message
 * inside its own error. Wording follows the rule catalog of `@isolation/core` (the class name is in
 * TypeScript's half of the line: "… is not assignable to type 'void | typeof Note'").
 */
import type { ScopeBrand } from './fields.js';

/** Returned by a class decorator in place of `void`: TypeScript prints the name and the message. */
export interface IsolationTypeError<Message extends string> {
  readonly isolationRule: Message;
}

export type RuleMessage<Rule extends string, Text extends string> = `[@isolation/${Rule}] ${Text}`;

type FieldName<Brand extends ScopeBrand> = Brand extends 'TenantId' ? 'tenantId' : 'capsuleId';
type Owner<Brand extends ScopeBrand> = Brand extends 'TenantId' ? 'tenant' : 'capsule';

/** `TenantId`, or `TenantId field and no CapsuleId` when both are missing (one report, both fixes). */
type Missing<Brands extends readonly ScopeBrand[]> = Brands extends readonly [infer Only extends ScopeBrand]
  ? `${Only} field; add \`${FieldName<Only>}!: ${Only};\``
  : `TenantId field and no CapsuleId field; add \`tenantId!: TenantId;\` and \`capsuleId!: CapsuleId;\``;

type Owners<Brands extends readonly ScopeBrand[]> = Brands extends readonly [infer Only extends ScopeBrand] ? Owner<Only> : 'tenant and capsule';

export type MissingEntityFieldMessage<Scope extends string, Brands extends readonly ScopeBrand[]> = RuleMessage<
  'capsule-id-field',
  `${Scope} entity has no ${Missing<Brands>} (own, inherited, or one level nested) so every item records the ${Owners<Brands>} it belongs to.`
>;

export type MissingEventFieldMessage<Scope extends string, Brands extends readonly ScopeBrand[]> = RuleMessage<
  'event-scope-fields',
  `${Scope}-scoped event has no ${Missing<Brands>} so consumers can tell which ${Owners<Brands>} it belongs to.`
>;

export type UnknownEventScopeMessage<Found extends string> = RuleMessage<'event-scope-fields', `Event scope '${Found}' is unknown; use 'capsule' (the default), 'tenant' or 'platform'.`>;

export type MalformedTemplateMessage<Option extends string, Problem extends string> = RuleMessage<'key-template', `The ${Option} template is malformed: ${Problem}.`>;

export type UnknownFieldMessage<Option extends string, Path extends string, Field extends string> = RuleMessage<
  'key-template',
  `The ${Option} template uses \`{${Path}}\`, but the entity has no field \`${Field}\`; use one of its fields.`
>;

export type UnknownSubFieldMessage<Option extends string, Path extends string, Field extends string, Sub extends string> = RuleMessage<
  'key-template',
  `The ${Option} template uses \`{${Path}}\`, but field \`${Field}\` has no field \`${Sub}\`.`
>;

export type PlaceholderNotDeclaredMessage<Name extends string> = RuleMessage<'endpoint-params', `Path placeholder \`{${Name}}\` is missing from \`pathParams\`; add '${Name}' to \`pathParams\`.`>;

export type PathParamNotInPathMessage<Name extends string, Path extends string> = RuleMessage<
  'endpoint-params',
  `\`pathParams\` lists '${Name}', but the path \`${Path}\` has no \`{${Name}}\`; add the placeholder to the path or move '${Name}' to \`queryParams\`.`
>;

export type DuplicateParamMessage<List extends string, Name extends string> = RuleMessage<'endpoint-params', `\`${List}\` lists '${Name}' twice; remove the duplicate.`>;

export type ParamInBothListsMessage<Name extends string> = RuleMessage<
  'endpoint-params',
  `'${Name}' is in both \`pathParams\` and \`queryParams\`; a parameter comes from one place: keep it in \`pathParams\` if the path has \`{${Name}}\`, otherwise in \`queryParams\`.`
>;

export type ColonPlaceholderMessage<Path extends string, Name extends string> = RuleMessage<'endpoint-params', `Path \`${Path}\` uses the \`:${Name}\` placeholder style; write \`{${Name}}\`.`>;
