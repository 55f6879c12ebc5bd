/**
 * The event-log audit engine: pure and streaming. It reads a log of one JSON object per line (the
 * formats of `audit-input.ts`), keeps per-type aggregates only (field presence counts and value
 * types) and at most `examples` line numbers per finding, all within a byte budget, so memory stays
 * flat whatever the log's size or content (see `audit-limits.ts`).
 *
 * Scope fields are the conventional names of `SCOPE_FIELD_NAMES` (`tenantId`/`tenant_id`,
 * `capsuleId`/`capsule_id`) at the detail's top level or one level nested, where publishing finds
 * them; an event carries one when it holds a non-empty string there.
 *
 * A type's scope is declared (`scopes`: from `@DomainEvent` classes, `--scope`, `--platform-type`)
 * or else inferred from the log: a type carries a field when more than half of its events do, so a
 * type carrying tenant ids but no capsule ids is taken as tenant-scoped, one carrying neither as
 * platform-scoped. Declared types are checked (errors); inferred ones only raise warnings, since a
 * log cannot tell a tenant-scoped type from a capsule-scoped one that forgets its capsule id.
 *
 * Findings:
 * - `event-missing-scope-field`: events of a type lack a field their type needs (declared: error)
 *   or that most of their type's events carry (inferred: warning).
 * - `type-missing-scope-field`: no event of a declared type carries a field its scope needs
 *   (error); an undeclared type lacks a field sibling types carry, so it is taken for a narrower
 *   scope (warning).
 * - `envelope-mismatch` (error): an envelope disagrees with its detail: an envelope-level scope field
 *   with another value than the detail's; a `tenant/<id>` or `capsule/<id>` segment (also
 *   `TENANT#<id>`, `tenant:<id>`) in the source, a resource or the event bus naming another id than
 *   the detail's; a type differing from `detail.type`. One finding per type and kind of mismatch.
 * - `type-undeclared` (warning): scopes were declared, but some logged types have none.
 * - `malformed-line` (warning): not JSON, not an object, without a type, or longer than
 *   `maxLineBytes`; reported with its line number and skipped.
 * - `audit-incomplete` (warning): events of types past `maxTypes` or the byte budget were counted
 *   but not checked.
 */
import type { EventScope } from '../registry.js';
import { SCOPE_FIELD_NAMES } from '../rules/fields.js';
import { parseLine, type Envelope } from './audit-input.js';
import { LineSplitter } from './audit-lines.js';
import { DEFAULT_MAX_RETAINED_BYTES, ENTRY_COST, MAX_NAME_CHARS, RetentionBudget, clipName, quote, stringCost } from './audit-limits.js';

export { LineSplitter } from './audit-lines.js';

export type Severity = 'error' | 'warning';
export type AuditRule = 'event-missing-scope-field' | 'type-missing-scope-field' | 'envelope-mismatch' | 'type-undeclared' | 'malformed-line' | 'audit-incomplete';

export const AUDIT_RULES: Readonly<Record<AuditRule, string>> = {
  'event-missing-scope-field': 'Events lack a scope id field their type needs or mostly carries',
  'type-missing-scope-field': 'An event type lacks a scope id field its declared scope needs, or that sibling types carry',
  'envelope-mismatch': "An EventBridge envelope's ids or type disagree with its detail",
  'type-undeclared': 'Event types in the log without a declared scope (their findings are inferred)',
  'malformed-line': 'A log line that is not a JSON object with an event type (skipped)',
  'audit-incomplete': 'Events beyond the audit limits were counted but not checked',
};

export interface AuditOptions {
  /** Example line numbers kept per finding; default 5. */
  readonly examples?: number | undefined;
  /** Longer lines (in bytes, without the newline) are reported and skipped; default 1 MiB. */
  readonly maxLineBytes?: number | undefined;
  /** Declared scope per event type: declared types are checked against it, others judged from the log. */
  readonly scopes?: ReadonlyMap<string, EventScope> | Readonly<Record<string, EventScope>> | undefined;
  /** Shorthand for `scopes` entries `type: 'platform'`. */
  readonly platformTypes?: readonly string[] | undefined;
  /** Distinct undeclared event types tracked; events of further types are counted but not checked. Default 10,000. */
  readonly maxTypes?: number | undefined;
  /** Distinct fields profiled per type; default 256. */
  readonly maxFieldsPerType?: number | undefined;
  /** Estimated bytes the audit may keep (profiles, findings, example lines); default 32 MiB. */
  readonly maxRetainedBytes?: number | undefined;
}

export interface Finding {
  readonly rule: AuditRule;
  readonly severity: Severity;
  /** The event type concerned, when there is one (names past 256 characters are clipped and hashed). */
  readonly eventType?: string | undefined;
  readonly message: string;
  /** How many events or lines the finding covers. */
  readonly count: number;
  /** The first line numbers (1-based), at most `examples`. */
  readonly lines: readonly number[];
}

export interface FieldProfile {
  readonly count: number;
  /** JSON value types seen: `string`, `number`, `boolean`, `null`, `object`, `array`. */
  readonly types: readonly string[];
}

export interface TypeProfile {
  readonly type: string;
  /** The declared scope, when one was given. */
  readonly declaredScope?: EventScope | undefined;
  readonly count: number;
  readonly firstLine: number;
  readonly fields: Readonly<Record<string, FieldProfile>>;
  /** True when the type had more distinct fields than were profiled. */
  readonly fieldsTruncated: boolean;
}

export interface AuditReport {
  readonly lines: number;
  readonly events: number;
  readonly malformed: number;
  readonly types: readonly TypeProfile[];
  /** Events whose type was beyond `maxTypes` or the byte budget; counted only. */
  readonly untrackedEvents: number;
  readonly findings: readonly Finding[];
}

type Brand = 'tenant' | 'capsule';
const BRANDS: readonly Brand[] = ['tenant', 'capsule'];
const BRAND_FIELDS: Readonly<Record<Brand, readonly string[]>> = { tenant: SCOPE_FIELD_NAMES.TenantId, capsule: SCOPE_FIELD_NAMES.CapsuleId };
const FIELD_LABEL: Readonly<Record<Brand, string>> = { tenant: 'tenantId/tenant_id', capsule: 'capsuleId/capsule_id' };
const NEEDS: Readonly<Record<EventScope, readonly Brand[]>> = { capsule: ['tenant', 'capsule'], tenant: ['tenant'], platform: [] };
const ID_SEGMENT: Readonly<Record<Brand, RegExp>> = { tenant: /(?:^|[/:#])tenants?[/:#=]([^/:#?\s]+)/gi, capsule: /(?:^|[/:#])capsules?[/:#=]([^/:#?\s]+)/gi };
const TYPE_BITS = ['string', 'number', 'boolean', 'null', 'object', 'array'] as const;
/** A type's last key order is cached for reuse only when it is this small. */
const MAX_SHAPE_KEYS = 64;
const TYPE_COST = ENTRY_COST * 4;

/** At most `limit` example line numbers and a count. */
class Sample {
  count = 0;
  readonly lines: number[] = [];
  constructor(private readonly limit: number) {}
  add(line: number): void {
    this.count += 1;
    if (this.lines.length < this.limit) this.lines.push(line);
  }
}

interface FieldStats {
  count: number;
  types: number;
}

interface TypeStats {
  readonly type: string;
  readonly declared: EventScope | undefined;
  readonly firstLine: number;
  count: number;
  readonly fields: Map<string, FieldStats>;
  fieldsTruncated: boolean;
  shapeKeys: readonly string[];
  shapeSlots: readonly (FieldStats | undefined)[];
  shapeCost: number;
  readonly lacking: Record<Brand, Sample>;
}

interface Mismatch {
  readonly type: string;
  /** The first occurrence, with its values. */
  readonly what: string;
  readonly sample: Sample;
}

function typeBit(value: unknown): number {
  if (value === null) return 8;
  switch (typeof value) {
    case 'string':
      return 1;
    case 'number':
      return 2;
    case 'boolean':
      return 4;
    default:
      return Array.isArray(value) ? 32 : 16;
  }
}

function ownId(record: Readonly<Record<string, unknown>>, brand: Brand): string | undefined {
  for (const name of BRAND_FIELDS[brand]) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The detail's id for a brand: top level first, then one level nested (as publishing finds it). */
function scopeValue(detail: Readonly<Record<string, unknown>>, brand: Brand): string | undefined {
  const own = ownId(detail, brand);
  if (own !== undefined) return own;
  for (const key in detail) {
    const value = detail[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const nested = ownId(value as Record<string, unknown>, brand);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function declarations(options: AuditOptions): Map<string, EventScope> {
  const declared = new Map<string, EventScope>();
  const declare = (type: string, scope: EventScope): void => {
    const name = clipName(type);
    const earlier = declared.get(name);
    if (earlier !== undefined && earlier !== scope) throw new TypeError(`event type ${quote(type)} is declared both ${earlier}-scoped and ${scope}-scoped; declare each type once`);
    declared.set(name, scope);
  };
  const scopes = options.scopes instanceof Map ? options.scopes : new Map(Object.entries(options.scopes ?? {}));
  for (const [type, scope] of scopes) declare(type, scope);
  for (const type of options.platformTypes ?? []) declare(type, 'platform');
  return declared;
}

/** A few type names for a message, each shortened: the list is a pointer, the finding's own type is given in full. */
function typeList(types: readonly TypeStats[]): string {
  const short = (type: string): string => (type.length > 64 ? `${type.slice(0, 63)}…` : type);
  return types.slice(0, 5).map((stats) => short(stats.type)).join(', ') + (types.length > 5 ? ', …' : '');
}

/** The streaming auditor: feed it lines in order, then ask for the report. */
export class EventAuditor {
  readonly #examples: number;
  readonly #maxTypes: number;
  readonly #maxFields: number;
  readonly #declared: ReadonlyMap<string, EventScope>;
  readonly #budget: RetentionBudget;
  readonly #types = new Map<string, TypeStats>();
  #undeclaredTypes = 0;
  readonly #malformed = new Map<string, Sample>();
  #longestLine = 0;
  readonly #mismatches = new Map<string, Mismatch>();
  /** Mismatches past the budget: still errors, counted without their own finding. */
  readonly #unrecordedMismatches: Sample;
  readonly #untracked: Sample;
  #lines = 0;
  #events = 0;
  #malformedCount = 0;

  constructor(options: AuditOptions = {}) {
    this.#examples = options.examples ?? 5;
    this.#maxTypes = options.maxTypes ?? 10_000;
    this.#maxFields = options.maxFieldsPerType ?? 256;
    this.#declared = declarations(options);
    this.#budget = new RetentionBudget(options.maxRetainedBytes ?? DEFAULT_MAX_RETAINED_BYTES);
    this.#unrecordedMismatches = new Sample(this.#examples);
    this.#untracked = new Sample(this.#examples);
  }

  /** A line longer than the cap, whose text was not kept. */
  tooLong(line: number, bytes: number, maxLineBytes: number): void {
    this.#lines = Math.max(this.#lines, line);
    this.#longestLine = Math.max(this.#longestLine, bytes);
    this.#malform(line, `longer than ${maxLineBytes} bytes`);
  }

  /** One line of the log (without its newline), numbered from 1. */
  line(line: number, text: string): void {
    this.#lines = Math.max(this.#lines, line);
    // JSON lines start with '{': only a line starting with a space or control character can be blank.
    if (text.length === 0 || (text.charCodeAt(0) <= 0x20 && text.trim() === '')) return;
    const parsed = parseLine(text);
    if ('malformed' in parsed) {
      this.#malform(line, parsed.malformed);
      return;
    }
    const { detail, envelope } = parsed;
    const type = parsed.type.length > MAX_NAME_CHARS ? clipName(parsed.type) : parsed.type;
    this.#events += 1;
    const tenant = scopeValue(detail, 'tenant');
    const capsule = scopeValue(detail, 'capsule');
    const stats = this.#stats(type, line);
    if (stats === undefined) {
      this.#untracked.add(line);
    } else {
      stats.count += 1;
      this.#profile(stats, detail);
      if (tenant === undefined) stats.lacking.tenant.add(line);
      if (capsule === undefined) stats.lacking.capsule.add(line);
    }
    // Every event's envelope is checked, profiled or not: flooding the log with types must not hide a mismatch.
    if (envelope !== undefined) this.#checkEnvelope(line, type, envelope, detail, tenant, capsule);
  }

  #stats(type: string, line: number): TypeStats | undefined {
    let stats = this.#types.get(type);
    if (stats !== undefined) return stats;
    const declared = this.#declared.get(type);
    const cost = TYPE_COST + stringCost(type) + 2 * 8 * this.#examples;
    if (declared !== undefined) {
      this.#budget.force(cost); // bounded by the declarations
    } else {
      if (this.#undeclaredTypes >= this.#maxTypes || !this.#budget.reserve(cost)) return undefined;
      this.#undeclaredTypes += 1;
    }
    stats = { type, declared, firstLine: line, count: 0, fields: new Map(), fieldsTruncated: false, shapeKeys: [], shapeSlots: [], shapeCost: 0, lacking: { tenant: new Sample(this.#examples), capsule: new Sample(this.#examples) } };
    this.#types.set(type, stats);
    return stats;
  }

  /**
   * Field presence and value types. Events of one type mostly share one key order: the field slots of
   * the last order are reused while the keys match it, and looked up again from where they stop.
   */
  #profile(stats: TypeStats, detail: Readonly<Record<string, unknown>>): void {
    const shape = stats.shapeKeys;
    const slots = stats.shapeSlots;
    let matched = 0;
    let ended = true;
    for (const key in detail) {
      if (shape[matched] !== key) {
        ended = false;
        break;
      }
      const field = slots[matched];
      if (field !== undefined) {
        field.count += 1;
        field.types |= typeBit(detail[key]);
      }
      matched += 1;
    }
    if (ended && matched === shape.length) return;
    const keys = Object.keys(detail);
    const fresh = keys.map((key, index) => (index < matched ? slots[index] : this.#field(stats, key)));
    for (let index = matched; index < keys.length; index += 1) {
      const field = fresh[index];
      if (field === undefined) continue;
      field.count += 1;
      field.types |= typeBit(detail[keys[index] as string]);
    }
    this.#cacheShape(stats, keys, fresh);
  }

  #cacheShape(stats: TypeStats, keys: readonly string[], slots: readonly (FieldStats | undefined)[]): void {
    this.#budget.release(stats.shapeCost);
    stats.shapeKeys = [];
    stats.shapeSlots = [];
    stats.shapeCost = 0;
    if (keys.length > MAX_SHAPE_KEYS) return;
    let cost = ENTRY_COST;
    for (const key of keys) {
      if (key.length > MAX_NAME_CHARS) return; // would keep a long key alive
      cost += stringCost(key) + 16;
    }
    if (!this.#budget.reserve(cost)) return;
    stats.shapeKeys = keys;
    stats.shapeSlots = slots;
    stats.shapeCost = cost;
  }

  #field(stats: TypeStats, key: string): FieldStats | undefined {
    const name = key.length > MAX_NAME_CHARS ? clipName(key) : key;
    let field = stats.fields.get(name);
    if (field === undefined) {
      if (stats.fields.size >= this.#maxFields || !this.#budget.reserve(ENTRY_COST + stringCost(name))) {
        stats.fieldsTruncated = true;
        return undefined;
      }
      field = { count: 0, types: 0 };
      stats.fields.set(name, field);
    }
    return field;
  }

  #malform(line: number, reason: string): void {
    this.#malformedCount += 1;
    let sample = this.#malformed.get(reason);
    if (sample === undefined) this.#malformed.set(reason, (sample = new Sample(this.#examples)));
    sample.add(line);
  }

  /** One finding per type and kind of mismatch; `what` is kept from its first line. */
  #mismatch(line: number, type: string, kind: string, what: () => string): void {
    const key = `${type}\u0000${kind}`;
    let entry = this.#mismatches.get(key);
    if (entry === undefined) {
      const text = what();
      if (!this.#budget.reserve(ENTRY_COST + stringCost(key) + stringCost(text) + 8 * this.#examples)) {
        this.#unrecordedMismatches.add(line);
        return;
      }
      this.#mismatches.set(key, (entry = { type, what: text, sample: new Sample(this.#examples) }));
    }
    entry.sample.add(line);
  }

  #checkEnvelope(line: number, type: string, envelope: Envelope, detail: Readonly<Record<string, unknown>>, tenant: string | undefined, capsule: string | undefined): void {
    const detailType = detail.type;
    if (typeof detailType === 'string' && detailType !== type && clipName(detailType) !== type) {
      this.#mismatch(line, type, 'type', () => `its type ${quote(type)} differs from detail.type ${quote(detailType)}`);
    }
    for (const brand of BRANDS) {
      const inDetail = brand === 'tenant' ? tenant : capsule;
      for (const name of BRAND_FIELDS[brand]) {
        const outer = envelope.record[name];
        if (outer !== undefined && outer !== inDetail) this.#mismatch(line, type, `field ${name}`, () => `envelope ${name} ${quote(outer)} differs from the detail's ${brand} id ${quote(inDetail ?? null)}`);
      }
      if (inDetail === undefined) continue;
      this.#checkPlace(line, type, brand, inDetail, 'source', envelope.source);
      this.#checkPlace(line, type, brand, inDetail, 'event bus', envelope.eventBusName);
      if (!Array.isArray(envelope.resources)) continue;
      // One finding per line and place is enough; the rest of a long list would only repeat it.
      for (const resource of envelope.resources as unknown[]) if (this.#checkPlace(line, type, brand, inDetail, 'resources', resource)) break;
    }
  }

  /** True when `text` names another id of `brand` than the detail's (and a mismatch was recorded). */
  #checkPlace(line: number, type: string, brand: Brand, inDetail: string, where: string, text: unknown): boolean {
    if (typeof text !== 'string' || !text.toLowerCase().includes(brand)) return false;
    for (const match of text.matchAll(ID_SEGMENT[brand])) {
      const named = match[1] as string;
      if (named === inDetail) continue;
      this.#mismatch(line, type, `${where} ${brand}`, () => `envelope ${where} names ${brand} ${quote(named)} but the detail's ${brand} id is ${quote(inDetail)}`);
      return true;
    }
    return false;
  }

  #declaredFindings(stats: TypeStats, scope: EventScope, findings: Finding[]): void {
    for (const brand of NEEDS[scope]) {
      const lacking = stats.lacking[brand];
      if (lacking.count === 0) continue;
      const fix = `set ${BRAND_FIELDS[brand][0]} on every ${stats.type} (scope.publish refuses ${scope}-scoped events without it), or correct the declared scope`;
      findings.push(
        lacking.count === stats.count
          ? { rule: 'type-missing-scope-field', severity: 'error', eventType: stats.type, count: lacking.count, lines: lacking.lines, message: `${stats.type} is declared ${scope}-scoped, but none of its ${stats.count} events carries a ${brand} id (${FIELD_LABEL[brand]}); ${fix}.` }
          : { rule: 'event-missing-scope-field', severity: 'error', eventType: stats.type, count: lacking.count, lines: lacking.lines, message: `${lacking.count} of ${stats.count} ${stats.type} events carry no ${brand} id (${FIELD_LABEL[brand]}) although ${stats.type} is declared ${scope}-scoped; ${fix}.` },
      );
    }
  }

  /** `carrying`: the types that carry each field, as a list and as a set. */
  #inferredFindings(stats: TypeStats, carrying: Readonly<Record<Brand, { readonly list: readonly TypeStats[]; readonly set: ReadonlySet<TypeStats> }>>, typeCount: number, findings: Finding[]): void {
    const carries = (brand: Brand): boolean => carrying[brand].set.has(stats);
    const inferred: EventScope = carries('capsule') ? 'capsule' : carries('tenant') ? 'tenant' : 'platform';
    const declare = `declare its scope (--events <module>, or --scope ${stats.type}=${inferred === 'platform' ? 'tenant|capsule|platform' : 'capsule|tenant'}) to check it`;
    for (const brand of BRANDS) {
      const lacking = stats.lacking[brand];
      if (lacking.count === 0) continue;
      if (carries(brand)) {
        findings.push({ rule: 'event-missing-scope-field', severity: 'warning', eventType: stats.type, count: lacking.count, lines: lacking.lines, message: `${lacking.count} of ${stats.count} ${stats.type} events carry no ${brand} id (${FIELD_LABEL[brand]}) although the others do; set it on every event, or ${declare}.` });
        continue;
      }
      const siblings = carrying[brand].list;
      // A type without tenant ids is reported once, for the tenant id: its missing capsule id is the same story.
      if (siblings.length === 0 || (brand === 'capsule' && !carries('tenant'))) continue;
      const wider = brand === 'capsule' ? 'capsule-scoped' : 'tenant- or capsule-scoped';
      findings.push({ rule: 'type-missing-scope-field', severity: 'warning', eventType: stats.type, count: lacking.count, lines: lacking.lines, message: `${stats.type} carries no ${brand} id (${FIELD_LABEL[brand]}) in ${lacking.count} of ${stats.count} events, while ${siblings.length} of ${typeCount} event types do (${typeList(siblings)}): taken as ${inferred}-scoped. If it is ${wider}, its events lack their ${brand} id; ${declare}.` });
    }
  }

  report(): AuditReport {
    const findings: Finding[] = [];
    const types = [...this.#types.values()];
    const carries = (stats: TypeStats, brand: Brand): boolean => stats.count - stats.lacking[brand].count > stats.count / 2;
    const carriers = (brand: Brand): { list: TypeStats[]; set: Set<TypeStats> } => {
      const list = types.filter((stats) => carries(stats, brand));
      return { list, set: new Set(list) };
    };
    const carrying = { tenant: carriers('tenant'), capsule: carriers('capsule') };
    const undeclared = types.filter((stats) => stats.declared === undefined);
    for (const stats of types) {
      if (stats.declared !== undefined) this.#declaredFindings(stats, stats.declared, findings);
      else this.#inferredFindings(stats, carrying, types.length, findings);
    }
    for (const { type, what, sample } of this.#mismatches.values()) {
      findings.push({ rule: 'envelope-mismatch', severity: 'error', eventType: type, count: sample.count, lines: sample.lines, message: `${sample.count} ${type} event(s): ${what}${sample.count > 1 ? ' (values from the first)' : ''}; publish each event with the envelope of its own scope.` });
    }
    const unrecorded = this.#unrecordedMismatches;
    if (unrecorded.count > 0) {
      findings.push({ rule: 'envelope-mismatch', severity: 'error', count: unrecorded.count, lines: unrecorded.lines, message: `${unrecorded.count} further envelope mismatch(es) of kinds not itemised, because the audit's memory budget was spent; audit these lines separately.` });
    }
    if (this.#declared.size > 0 && undeclared.length > 0) {
      findings.push({ rule: 'type-undeclared', severity: 'warning', count: undeclared.length, lines: undeclared.slice(0, this.#examples).map((stats) => stats.firstLine), message: `${undeclared.length} event type(s) in the log have no declared scope (${typeList(undeclared)}); their findings are inferred from the log. Export their @DomainEvent classes from the --events module, or pass --scope TYPE=SCOPE.` });
    }
    for (const [reason, sample] of this.#malformed) {
      const longest = reason.startsWith('longer than') ? ` (the longest at least ${this.#longestLine})` : '';
      findings.push({ rule: 'malformed-line', severity: 'warning', count: sample.count, lines: sample.lines, message: `${sample.count} line(s) skipped: ${reason}${longest}.` });
    }
    const untracked = this.#untracked;
    if (untracked.count > 0) {
      findings.push({ rule: 'audit-incomplete', severity: 'warning', count: untracked.count, lines: untracked.lines, message: `${untracked.count} event(s) of types past the audit's limits (${this.#maxTypes} undeclared types, ${Math.round(this.#budget.limit / 2 ** 20)} MiB kept) were counted but not checked; raise --max-types or --max-retained-mb, declare the types, or audit the log in parts.` });
    }
    return {
      lines: this.#lines,
      events: this.#events,
      malformed: this.#malformedCount,
      untrackedEvents: untracked.count,
      types: types.map((stats) => ({
        type: stats.type,
        ...(stats.declared === undefined ? {} : { declaredScope: stats.declared }),
        count: stats.count,
        firstLine: stats.firstLine,
        fieldsTruncated: stats.fieldsTruncated,
        fields: Object.fromEntries([...stats.fields].map(([name, field]) => [name, { count: field.count, types: TYPE_BITS.filter((_, bit) => (field.types & (1 << bit)) !== 0) }])),
      })),
      findings,
    };
  }
}

/** Audits a log read from a byte stream (a file stream, stdin) or any iterable of chunks. */
export async function auditStream(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, options: AuditOptions = {}): Promise<AuditReport> {
  const maxLineBytes = options.maxLineBytes ?? 1 << 20;
  const auditor = new EventAuditor(options);
  const splitter = new LineSplitter(
    (line, text) => auditor.line(line, text),
    (line, bytes) => auditor.tooLong(line, bytes, maxLineBytes),
    maxLineBytes,
  );
  for await (const chunk of source) splitter.push(chunk as Uint8Array | string);
  splitter.end();
  return auditor.report();
}
