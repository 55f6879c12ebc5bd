/**
 * The text of the repositories' type-level reports, worded like the decorators' (../types/messages.ts)
 * and named by the rule the run-time refusal of the same mistake carries.
 */
import type { RuleMessage } from '../types/messages.js';

type Opener<Scope extends string> = Scope extends 'capsule' ? 'aws.capsule(tenant, capsule)' : Scope extends 'tenant' ? 'aws.tenant(tenant)' : 'aws.platform()';

export type ScopeFilledMessage<Field extends string, Scope extends string> = RuleMessage<
  'partition-key-scope',
  `\`${Field}\` is filled from the ${Scope} scope the repository belongs to; leave it out of the key.`
>;

export type WrongScopeMessage<Kind extends string, Scope extends string> = RuleMessage<
  'repository-scope',
  `A ${Kind} scope cannot open the repository of a ${Scope} entity; open it from ${Opener<Scope>}.`
>;

export type OperatorScopeMessage = RuleMessage<'repository-scope', 'An operator scope opens no repository: its clients work across accounts, not on one scope\'s items; use aws.capsule(…), aws.tenant(…) or aws.platform().'>;

export type ScopePrefixMessage<Scope extends string, Pk extends string> = RuleMessage<
  'key-scope-segments',
  `The pk of a ${Scope} entity must begin ${Scope extends 'capsule' ? "'TENANT#{tenantId}#CAPSULE#{capsuleId}#'" : "'TENANT#{tenantId}#'"} followed by more, as its @Entity does; found '${Pk}'.`
>;
