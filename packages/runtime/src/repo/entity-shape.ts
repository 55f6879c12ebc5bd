/**
 * What a repository needs to know of an entity class, read once from what its decorators recorded:
 * its scope, its logical table, which pk placeholders hold the scope's ids, which fields the keys
 * are built from, and its sort-key template. A `keys` declaration that disagrees with `@Entity` or
 * the scope marker is refused here, before any repository of the class exists.
 */
import { KEY_DELIMITER } from '../ids.js';
import { getEntityMetadata, type EntityMetadata } from '../registry.js';
import { parseKeyTemplate, segmentLiteral, segmentPlaceholder, type KeyTemplate, type TemplatePlaceholder } from '../template.js';
import { declaredKeys, type EntityScopeKind } from './declaration.js';
import type { EntityClass } from './types.js';

/** A pk placeholder the scope fills: `{tenantId}`, or `{scope.tenantId}` one level down. */
export interface ScopeField {
  readonly id: 'tenantId' | 'capsuleId';
  readonly field: string;
  readonly sub: string | undefined;
  readonly path: string;
}

export interface EntityShape {
  readonly entity: EntityClass;
  readonly name: string;
  readonly scope: EntityScopeKind;
  /** The logical table (`@Entity({ table })`); the scope names the physical one. */
  readonly table: string;
  readonly scopeFields: readonly ScopeField[];
  /** Top-level fields any key placeholder reads: an update may not change them. */
  readonly keyFields: ReadonlySet<string>;
  readonly sortKey: KeyTemplate | undefined;
  /** The sort key's literal text before its first placeholder (`ACTIVITY#`): every item of the entity has it. */
  readonly sortKeyPrefix: string;
}

const shapes = new WeakMap<EntityClass, EntityShape>();

/** The shape of an `@Entity` class, or a `TypeError` saying what is missing from its declaration. */
export function entityShape(entity: unknown): EntityShape {
  if (typeof entity !== 'function') throw new TypeError(`repo() takes an @Entity class; found ${entity === null ? 'null' : typeof entity}. Pass the class itself, e.g. scope.repo(Account)`);
  const known = shapes.get(entity as EntityClass);
  if (known !== undefined) return known;
  const shape = readShape(entity as EntityClass);
  shapes.set(entity as EntityClass, shape);
  return shape;
}

function readShape(entity: EntityClass): EntityShape {
  const name = entity.name || 'an anonymous class';
  const metadata = getEntityMetadata(entity);
  if (metadata === undefined) throw new TypeError(`repo(${name}): ${name} has no @Entity declaration; decorate it with @Entity({ table, pk, sk? }) and a scope marker`);
  const [scope, ...others] = metadata.scopes;
  if (scope === undefined || others.length > 0) {
    throw new TypeError(`repo(${name}): ${name} declares ${scope === undefined ? 'no scope marker' : `${metadata.scopes.length} scope markers`}; expected exactly one of @CapsuleIsolated(), @TenantScoped() or @PlatformScoped({ reason })`);
  }
  checkDeclaration(entity, name, scope, metadata);
  const pk = parseKeyTemplate(metadata.pk);
  const sortKey = metadata.sk === undefined ? undefined : parseKeyTemplate(metadata.sk);
  const placeholders = [...pk.placeholders, ...(sortKey?.placeholders ?? [])];
  return {
    entity,
    name,
    scope,
    table: metadata.table,
    scopeFields: scopeFieldsOf(name, scope, pk),
    keyFields: new Set(placeholders.map((placeholder) => placeholder.field)),
    sortKey,
    sortKeyPrefix: literalPrefix(sortKey),
  };
}

/** `static readonly keys = capsuleKeys(…)` must say what `@Entity` and the marker say: types read the one, run time the other. */
function checkDeclaration(entity: EntityClass, name: string, scope: EntityScopeKind, metadata: EntityMetadata): void {
  const declared = declaredKeys(entity);
  if (declared === undefined) return;
  const problems = [
    declared.scope === scope ? undefined : `its scope '${declared.scope}' (${declared.scope}Keys) where the marker says '${scope}'`,
    declared.pk === metadata.pk ? undefined : `pk '${declared.pk}' where @Entity says '${metadata.pk}'`,
    declared.sk === metadata.sk ? undefined : `sk ${declared.sk === undefined ? 'none' : `'${declared.sk}'`} where @Entity says ${metadata.sk === undefined ? 'none' : `'${metadata.sk}'`}`,
  ].filter((problem) => problem !== undefined);
  if (problems.length === 0) return;
  const own = Object.hasOwn(entity, 'keys') ? '' : ' (inherited from a base class)';
  const sk = metadata.sk === undefined ? '' : `, ${JSON.stringify(metadata.sk)}`;
  throw new TypeError(
    `repo(${name}): ${name}.keys${own} declares ${problems.join(', and ')}; the typed keys must repeat the entity's declaration: static readonly keys = ${scope}Keys(${JSON.stringify(metadata.pk)}${sk})`,
  );
}

/** The `{tenant}` and `{capsule}` placeholders of `TENANT#{…}#CAPSULE#{…}#…`, whose shape the decorators checked at class definition. */
function scopeFieldsOf(name: string, scope: EntityScopeKind, pk: KeyTemplate): ScopeField[] {
  if (scope === 'platform') return [];
  const ids = scope === 'capsule' ? (['tenantId', 'capsuleId'] as const) : (['tenantId'] as const);
  return ids.map((id, index) => {
    const literal = pk.segments[index * 2];
    const value = pk.segments[index * 2 + 1];
    const placeholder: TemplatePlaceholder | undefined = value === undefined ? undefined : segmentPlaceholder(value);
    if (literal === undefined || segmentLiteral(literal) !== (id === 'tenantId' ? 'TENANT' : 'CAPSULE') || placeholder === undefined) {
      throw new TypeError(`repo(${name}): the pk '${pk.source}' of this ${scope} entity does not begin ${scope === 'capsule' ? "'TENANT#{tenantId}#CAPSULE#{capsuleId}#'" : "'TENANT#{tenantId}#'"} (key-scope-segments)`);
    }
    return { id, field: placeholder.field, sub: placeholder.sub, path: placeholder.path };
  });
}

function literalPrefix(template: KeyTemplate | undefined): string {
  if (template === undefined) return '';
  let text = '';
  for (const [index, segment] of template.segments.entries()) {
    if (index > 0) text += KEY_DELIMITER;
    for (const part of segment.parts) {
      if (part.kind === 'placeholder') return text;
      text += part.text;
    }
  }
  return text;
}
