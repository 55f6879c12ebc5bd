/**
 * The declaration decorators. Each works under TypeScript's standard decorators and under
 * `experimentalDecorators`: class decorators receive the class first in both; `@Endpoint` tells the
 * two method conventions apart by its arguments. At class definition they run the checks that need
 * no type information through the rule core and throw `IsolationDeclarationError` on a violation.
 *
 * Their signatures are checks too (./types, ADR 0019): plain `tsc` and any editor refuse what types
 * can see of the same rules, with the rule id in the error text. The implementations below are
 * untyped functions cast to those signatures: the types only ever add errors, never behaviour.
 */
import { IsolationDeclarationError } from './errors.js';
import {
  checkEndpointParams,
  checkEntityScope,
  checkEventScopeFields,
  checkKeyScopeSegments,
  checkKeyTemplate,
  type Declared,
  type EntityDeclaration,
  type Violation,
} from './rules/index.js';
import {
  endpointRecords,
  entityRecord,
  registerEvent,
  type AnyClass,
  type EntityOptions,
  type EventOptions,
} from './registry.js';
import type { EndpointDecorator, EndpointMethodDecorator, EndpointOptionsOf } from './types/endpoint.js';
import type { CheckedEntityOptions, ParsedEntityDecorator } from './types/entity.js';
import type { ParseKeyTemplate } from './types/key-template.js';
import type { CheckedEventOptions, EventDecorator, ScopeMarkerDecorator } from './types/scope.js';

// Standard method decorators run before their class exists; TypeScript hands them the class's
// metadata object only where `Symbol.metadata` is defined, which Node does not do yet.
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for('Symbol.metadata');

type ClassDecorator = (target: AnyClass, context?: ClassDecoratorContext) => void;

const known = <T>(value: T): Declared<T> => ({ kind: 'known', value });
const FIELDS_UNKNOWN_AT_RUN_TIME = { fields: [], complete: false } as const;

function fail(className: string, violations: readonly Violation[]): void {
  if (violations.length > 0) throw new IsolationDeclarationError(className, violations);
}

/**
 * Runs once `@Entity` is known, whichever of it and the scope markers applies last: decorators
 * apply one at a time, so a missing marker cannot be told apart from one still to come.
 */
function checkEntityDeclaration(target: AnyClass): void {
  const record = entityRecord(target);
  if (record.options === undefined) return;
  const { table, pk, sk } = record.options;
  const declaration: EntityDeclaration = {
    kind: 'entity',
    name: target.name,
    markers: record.scopes.map((scope) => (scope === 'platform' ? { scope, reason: record.platformReason === undefined ? undefined : known(record.platformReason) } : { scope })),
    table: known(table),
    pk: typeof pk === 'string' ? known(pk) : undefined,
    sk: sk === undefined ? undefined : known(sk),
    fields: FIELDS_UNKNOWN_AT_RUN_TIME,
    bases: [],
  };
  const scope = checkEntityScope(declaration).filter((violation) => violation.messageId !== 'missingScope');
  fail(target.name, scope.length > 0 ? scope : [...checkKeyTemplate(declaration), ...checkKeyScopeSegments(declaration)]);
}

// The factories' return types are `NoInfer`: TypeScript would otherwise infer the type parameters
// from the decorator type expected at `@…` as well, through every conditional type of the check, on
// every use (ADR 0019).

/** A decorator implementation given the checking signature it is published under. */
const checking = <Signature>(decorator: ClassDecorator): Signature => decorator as unknown as Signature;

export function Entity<Pk extends string, Sk extends string = never>(options: CheckedEntityOptions<Pk, Sk>): NoInfer<ParsedEntityDecorator<ParseKeyTemplate<Pk>, ParseKeyTemplate<Sk>>> {
  return checking((target) => {
    entityRecord(target).options = options as EntityOptions;
    checkEntityDeclaration(target);
  });
}

function marker(scope: 'capsule' | 'tenant' | 'platform', reason?: string): ClassDecorator {
  return (target) => {
    const record = entityRecord(target);
    record.scopes.unshift(scope); // decorators apply bottom-up; keep source order
    if (scope === 'platform') record.platformReason = reason;
    checkEntityDeclaration(target);
  };
}

/** One capsule of one tenant: the safe default scope. */
export function CapsuleIsolated(): ScopeMarkerDecorator<'capsule'> {
  return checking(marker('capsule'));
}

export function TenantScoped(): ScopeMarkerDecorator<'tenant'> {
  return checking(marker('tenant'));
}

/** Shared by every tenant; say why, for the reviewer who will ask. */
export function PlatformScoped(options: { readonly reason: string }): ClassDecorator {
  return marker('platform', options?.reason);
}

export function Endpoint<const Path extends string, const PathParams extends readonly string[] = never, const QueryParams extends readonly string[] = never>(
  options: EndpointOptionsOf<Path, PathParams, QueryParams>,
): NoInfer<EndpointDecorator<Path, PathParams, QueryParams>> {
  function decorate(first: unknown, second: unknown, descriptor?: PropertyDescriptor): void {
    const standard = typeof second === 'object' && second !== null && 'kind' in second;
    refuseNonMethod(standard ? (second as DecoratorContext) : undefined, standard ? first : descriptor?.value);
    const handler = String(standard ? (second as ClassMethodDecoratorContext).name : (second as string | symbol));
    const owner = standard ? undefined : (first as { constructor: AnyClass }).constructor;
    const name = owner === undefined ? handler : `${owner.name}.${handler}`;
    const list = (items: readonly string[] | undefined): Declared<readonly Declared<string>[]> | undefined => (items === undefined ? undefined : known(items.map(known)));
    fail(
      name,
      checkEndpointParams({
        kind: 'endpoint',
        name,
        method: known(options.method),
        path: known(options.path),
        pathParams: list(options.pathParams),
        queryParams: list(options.queryParams),
        body: options.body === undefined ? undefined : known(options.body),
        handlerParameters: undefined,
      }),
    );
    const key = standard ? (second as ClassMethodDecoratorContext).metadata : owner;
    if (key === undefined || key === null) return;
    const endpoints = endpointRecords.get(key) ?? [];
    endpoints.push({ ...options, handler });
    endpointRecords.set(key, endpoints);
  }
  return decorate as EndpointMethodDecorator as EndpointDecorator<Path, PathParams, QueryParams>;
}

/** The signature leaves `context` untyped (ADR 0019), so the kind of member is checked here, as the class is defined. */
function refuseNonMethod(context: DecoratorContext | undefined, value: unknown): void {
  if (context === undefined ? typeof value === 'function' : context.kind === 'method') return;
  const found = context === undefined ? 'a member that is no method (an accessor or a field)' : `a ${context.kind} (${String(context.name)})`;
  throw new TypeError(`@Endpoint decorates a handler method, but found ${found}; put @Endpoint on the method that handles the request.`);
}

export function DomainEvent<const Scope extends string = 'capsule'>(checked: CheckedEventOptions<Scope>): NoInfer<EventDecorator<Scope>> {
  const options = checked as EventOptions;
  return checking((target) => {
    const scope = options.scope ?? 'capsule';
    fail(target.name, checkEventScopeFields({ kind: 'event', name: target.name, type: known(options.type), scope: known(scope), fields: FIELDS_UNKNOWN_AT_RUN_TIME }));
    registerEvent(target, { type: options.type, scope });
  });
}
