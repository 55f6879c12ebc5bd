/**
 * Building keys from items. Every value is validated before it enters a key: a missing value or
 * one containing the `#` delimiter would put the item in another tenant's or capsule's key space.
 */
import { KeyValueError } from './errors.js';
import { KEY_DELIMITER } from './ids.js';
import { entityRecords, type AnyClass } from './registry.js';
import { parseKeyTemplate, type KeyTemplate } from './template.js';

export interface EntityKeys {
  readonly pk: string;
  readonly sk?: string;
}

/**
 * Where the build (our `tspc` transformer) attaches a compiled key builder to an entity class: a
 * static function that concatenates literal text and one `value(…)` call per placeholder, so the
 * template is never parsed at run time while every value still passes the same validation.
 */
export const KEY_BUILDER = Symbol.for('isolation.keyBuilder');

/** Reads and validates one placeholder's value from the item: `field`, or `field.sub` one level down. */
export type KeyPartReader = (field: string, sub?: string) => string;
/** A compiled builder: literal text and one reader call per placeholder, `pk` parts through `pk`, `sk` parts through `sk`. */
export type CompiledKeyBuilder = (pk: KeyPartReader, sk: KeyPartReader) => EntityKeys;

const parsedTemplates = new WeakMap<AnyClass, { pk: KeyTemplate; sk: KeyTemplate | undefined }>();

type EntityClass<T> = abstract new (...args: never[]) => T;
type ItemOf<T> = Readonly<Partial<T>> | Readonly<Record<string, unknown>>;

/** The `{ pk, sk }` of an item of an `@Entity` class. */
export function keysOf<T extends object>(entity: EntityClass<T>, item: ItemOf<T>): EntityKeys {
  return buildKeys(entity, item, 'both');
}

/** Only the partition key, e.g. to query an item collection: sort-key values need not be set. */
export function partitionKeyOf<T extends object>(entity: EntityClass<T>, item: ItemOf<T>): string {
  return buildKeys(entity, item, 'pk').pk;
}

function buildKeys<T extends object>(entity: EntityClass<T>, item: ItemOf<T>, which: 'both' | 'pk'): EntityKeys {
  const record = entityRecords.get(entity);
  if (record?.options === undefined) {
    throw new KeyValueError(entity.name, undefined, undefined, 'the class has no @Entity declaration; decorate it with @Entity({ table, pk, sk? }) and a scope marker');
  }
  if (record.scopes.length === 0) {
    throw new KeyValueError(entity.name, undefined, undefined, 'the entity declares no scope; add @CapsuleIsolated(), @TenantScoped() or @PlatformScoped({ reason })', 'entity-scope');
  }
  const values = item as Readonly<Record<string, unknown>>;
  const compiled = (entity as unknown as { [KEY_BUILDER]?: CompiledKeyBuilder })[KEY_BUILDER];
  if (typeof compiled === 'function') return compiled(partReader(entity.name, 'pk', values), which === 'pk' ? SKIPPED_PART : partReader(entity.name, 'sk', values));

  let templates = parsedTemplates.get(entity);
  if (templates === undefined) {
    const { pk, sk } = record.options;
    templates = { pk: parseKeyTemplate(pk), sk: sk === undefined ? undefined : parseKeyTemplate(sk) };
    parsedTemplates.set(entity, templates);
  }
  const pk = renderKey(entity.name, 'pk', templates.pk, values);
  return templates.sk === undefined || which === 'pk' ? { pk } : { pk, sk: renderKey(entity.name, 'sk', templates.sk, values) };
}

/** Stands in for the sort-key reader when only the partition key is wanted. */
const SKIPPED_PART: KeyPartReader = () => '';

function renderKey(entity: string, option: 'pk' | 'sk', template: KeyTemplate, item: Readonly<Record<string, unknown>>): string {
  return template.segments
    .map((segment) =>
      segment.parts
        .map((part) => {
          if (part.kind === 'literal') return part.text;
          const raw = part.sub === undefined ? item[part.field] : nestedValue(item[part.field], part.sub);
          return keyValue(entity, option, part.path, raw);
        })
        .join(''),
    )
    .join(KEY_DELIMITER);
}

function partReader(entity: string, option: 'pk' | 'sk', item: Readonly<Record<string, unknown>>): KeyPartReader {
  return (field, sub) => (sub === undefined ? keyValue(entity, option, field, item[field]) : keyValue(entity, option, `${field}.${sub}`, nestedValue(item[field], sub)));
}

function nestedValue(owner: unknown, sub: string): unknown {
  return typeof owner === 'object' && owner !== null ? (owner as Record<string, unknown>)[sub] : undefined;
}

/** Validates one value for a key and returns its text; compiled key builders call it too. */
export function keyValue(entity: string, option: 'pk' | 'sk', placeholder: string, value: unknown): string {
  const refuse = (reason: string): never => {
    throw new KeyValueError(entity, option, placeholder, reason);
  };
  if (value === undefined || value === null) return refuse(`the item has no value for '${placeholder}' (found ${String(value)}); set it before building keys`);
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : refuse(`'${placeholder}' is ${value}; expected a finite number`);
  else return refuse(`'${placeholder}' is of type ${typeof value}; expected a string, number or bigint`);
  if (text.length === 0) refuse(`'${placeholder}' is the empty string, which would merge this key with its parent's; expected a non-empty value`);
  if (text.includes(KEY_DELIMITER)) {
    refuse(`'${placeholder}' is ${JSON.stringify(text)}, which contains the key delimiter '${KEY_DELIMITER}' and would reach into another key space (key injection); ids may hold only letters, digits, '_' and '-'`);
  }
  return text;
}
