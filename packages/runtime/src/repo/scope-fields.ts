/**
 * The scope's ids in a key, partition or item: filled in where the caller left them out, refused
 * where the caller gave others. An id given by the caller never reaches a key unless it is the
 * scope's own, so no input builds a key of another tenant or capsule (the guard underneath would
 * refuse that key too; this says so in the entity's terms, before anything is built).
 */
import { access, describeValue, quote } from '../aws/guard-format.js';
import type { ScopeDescription } from '../aws/scope.js';
import { IsolationViolationError } from '../aws/violation.js';
import type { EntityShape, ScopeField } from './entity-shape.js';
import type { PlainInput } from './input.js';
import type { Refuse } from './refusal.js';

/** `input` with the scope's ids at the entity's scope placeholders. */
export function fillScope(shape: EntityShape, scope: ScopeDescription, input: PlainInput, operation: string, what: string, refuse: Refuse): PlainInput {
  if (shape.scopeFields.length === 0) return input;
  let filled: Record<string, unknown> = { ...input };
  for (const field of shape.scopeFields) {
    const id = scopeId(scope, field);
    if (field.sub === undefined) {
      check(field, filled[field.field], id, scope, operation, what, refuse);
      filled = { ...filled, [field.field]: id };
      continue;
    }
    const holder = filled[field.field] ?? {};
    if (typeof holder !== 'object' || holder === null || Array.isArray(holder)) {
      throw new TypeError(`${operation}: ${what}${access(field.field)} ${describeValue(holder)}; expected an object holding ${field.sub} (the pk reads {${field.path}}), or nothing: the repository fills it in`);
    }
    check(field, (holder as PlainInput)[field.sub], id, scope, operation, what, refuse);
    filled = { ...filled, [field.field]: { ...holder, [field.sub]: id } };
  }
  return filled;
}

function scopeId(scope: ScopeDescription, field: ScopeField): string {
  if (scope.kind === 'capsule' || (scope.kind === 'tenant' && field.id === 'tenantId')) return scope[field.id as 'tenantId'];
  // openRepository pairs entities with scopes of their kind; reaching here is a bug, never a fallback.
  throw new Error(`a ${scope.kind} scope has no ${field.id} for {${field.path}}`);
}

function check(field: ScopeField, given: unknown, id: string, scope: ScopeDescription, operation: string, what: string, refuse: Refuse): void {
  if (given === undefined || given === id) return;
  const owner = field.id === 'tenantId' ? 'tenant' : 'capsule';
  refuse(
    new IsolationViolationError(
      'partition-key-scope',
      scope,
      operation,
      `${what}${access(field.field)}${field.sub === undefined ? '' : access(field.sub)} = ${describeValue(given)}, another ${owner} than the scope's`,
      `${quote(id)}, the ${owner} of this scope — or leave ${field.path} out: the repository fills it in`,
    ),
  );
}
