/**
 * The event-log audit engine: pure and streaming. It reads a log of one JSON value per line (an
 * EventBridge envelope `{ "detail-type", detail, … }` or a bare detail object with a `type` field),
 * keeps per-type aggregates only (field presence counts and value types) and at most `examples`
 * line numbers per finding, so memory stays flat whatever the log's size.
 *
 * Scope fields are the conventional names of `SCOPE_FIELD_NAMES` (`tenantId`/`tenant_id`,
 * `capsuleId`/`capsule_id`) at the detail's top level; an event "carries" one when it holds a
 * non-empty string there. A type carries a scope field when more than half of its events do.
 *
 * Findings:
 * - `event-missing-scope-field` (error): an event lacks a scope field that its type carries.
 * - `type-missing-scope-field`: a type does not carry a scope field that another type carries
 *   (`AccountCreated` carries `capsule_id`, `RoleAssignmentCreated` does not); error when more than
 *   half of the log's types carry it, warning otherwise. Types named in `platformTypes` are exempt.
 * - `envelope-mismatch` (error): an envelope disagrees with its detail: an envelope-level scope
 *   field (`tenantId`, `tenant_id`, `capsuleId`, `capsule_id`) with a different value than the
 *   detail's; a `tenant/<id>` or `capsule/<id>` segment (also `TENANT#<id>`, `tenant:<id>`) in
 *   `source` or a `resources` entry naming another id than the detail's; `detail-type` differing from `detail.type`.
 * - `malformed-line` (warning): not JSON, not an object, without a type, or longer than
 *   `maxLineBytes`; reported with its line number and skipped.
 */
import { SCOPE_FIELD_NAMES } from '../rules/fields.js';

export type Severity = 'error' | 'warning';
export type AuditRule = 'event-missing-scope-field' | 'type-missing-scope-field' | 'envelope-mismatch' | 'malformed-line';

export const AUDIT_RULES: Readonly<Record<AuditRule, string>> = {
  'event-missing-scope-field': 'An event lacks a scope id field that most events of its type carry',
  'type-missing-scope-field': 'An event type lacks a scope id field that sibling event types carry',
  'envelope-mismatch': "An EventBridge envelope's ids or type disagree with its detail",
  'malformed-line': 'A log line that is not a JSON object with an event type (skipped)',
};

export interface AuditOptions {
  /** Example line numbers kept per finding; default 5. */
  readonly examples?: number | undefined;
  /** Longer lines (in bytes, without the newline) are reported and skipped; default 1 MiB. */
  readonly maxLineBytes?: number | undefined;
  /** Event types expected to carry no scope fields (platform events): exempt from `type-missing-scope-field`. */
  readonly platformTypes?: readonly string[] | undefined;
  /** Distinct event types tracked; events of further types are counted but not profiled. Default 10,000. */
  readonly maxTypes?: number | undefined;
  /** Distinct fields profiled per type; default 256. */
  readonly maxFieldsPerType?: number | undefined;
}

export interface Finding {
  readonly rule: AuditRule;
  readonly severity: Severity;
  /** The event type concerned, when there is one. */
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
  /** Events whose type was beyond `maxTypes`; counted only. */
  readonly untrackedEvents: number;
  readonly findings: readonly Finding[];
}

type Brand = 'tenant' | 'capsule';
const BRANDS: readonly Brand[] = ['tenant', 'capsule'];
const BRAND_FIELDS: Readonly<Record<Brand, readonly string[]>> = { tenant: SCOPE_FIELD_NAMES.TenantId, capsule: SCOPE_FIELD_NAMES.CapsuleId };
const FIELD_LABEL: Readonly<Record<Brand, string>> = { tenant: 'tenantId/tenant_id', capsule: 'capsuleId/capsule_id' };
const ID_SEGMENT: Readonly<Record<Brand, RegExp>> = { tenant: /(?:^|[/:#])tenants?[/:#=]([^/:#?\s]+)/gi, capsule: /(?:^|[/:#])capsules?[/:#=]([^/:#?\s]+)/gi };
const TYPE_BITS = ['string', 'number', 'boolean', 'null', 'object', 'array'] as const;

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
  readonly firstLine: number;
  count: number;
  readonly fields: Map<string, FieldStats>;
  fieldsTruncated: boolean;
  shapeKeys: readonly string[];
  shapeSlots: readonly (FieldStats | undefined)[];
  readonly lacking: Record<Brand, Sample>;
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

function scopeValue(record: Record<string, unknown>, brand: Brand): string | undefined {
  for (const name of BRAND_FIELDS[brand]) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** The streaming auditor: feed it lines in order, then ask for the report. */
export class EventAuditor {
  readonly #examples: number;
  readonly #maxTypes: number;
  readonly #maxFields: number;
  readonly #platformTypes: ReadonlySet<string>;
  readonly #types = new Map<string, TypeStats>();
  readonly #malformed = new Map<string, Sample>();
  readonly #mismatches = new Map<string, { type: string; what: string; sample: Sample }>();
  #lines = 0;
  #events = 0;
  #malformedCount = 0;
  #untracked = 0;

  constructor(options: AuditOptions = {}) {
    this.#examples = options.examples ?? 5;
    this.#maxTypes = options.maxTypes ?? 10_000;
    this.#maxFields = options.maxFieldsPerType ?? 256;
    this.#platformTypes = new Set(options.platformTypes ?? []);
  }

  /** A line longer than the cap, whose text was not kept. */
  tooLong(line: number, bytes: number, maxLineBytes: number): void {
    this.#lines = Math.max(this.#lines, line);
    this.#malform(line, `longer than ${maxLineBytes} bytes (at least ${bytes})`);
  }

  /** One line of the log (without its newline), numbered from 1. */
  line(line: number, text: string): void {
    this.#lines = Math.max(this.#lines, line);
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#malform(line, 'not valid JSON');
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.#malform(line, 'not a JSON object');
      return;
    }
    const record = value as Record<string, unknown>;
    const envelopeType = record['detail-type'];
    const isEnvelope = envelopeType !== undefined || 'detail' in record;
    let detail: Record<string, unknown>;
    let type: unknown;
    if (isEnvelope) {
      const inner = record.detail;
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
        this.#malform(line, 'an envelope whose detail is not an object');
        return;
      }
      detail = inner as Record<string, unknown>;
      type = envelopeType ?? detail.type;
    } else {
      detail = record;
      type = record.type;
    }
    if (typeof type !== 'string' || type === '') {
      this.#malform(line, isEnvelope ? 'an envelope without a detail-type' : 'an object without a string type field');
      return;
    }
    this.#events += 1;
    const stats = this.#stats(type, line);
    if (stats === undefined) {
      this.#untracked += 1;
      return;
    }
    stats.count += 1;
    // Events of one type mostly share one key order: reuse the last event's field slots then.
    const keys = Object.keys(detail);
    let slots = stats.shapeSlots;
    const shape = stats.shapeKeys;
    let same = shape.length === keys.length;
    for (let i = 0; same && i < keys.length; i += 1) same = shape[i] === keys[i];
    if (!same) {
      slots = keys.map((key) => this.#field(stats, key));
      stats.shapeKeys = keys;
      stats.shapeSlots = slots;
    }
    for (let i = 0; i < keys.length; i += 1) {
      const field = slots[i];
      if (field === undefined) continue;
      field.count += 1;
      field.types |= typeBit(detail[keys[i] as string]);
    }
    for (const brand of BRANDS) if (scopeValue(detail, brand) === undefined) stats.lacking[brand].add(line);
    if (isEnvelope) this.#checkEnvelope(line, type, record, detail);
  }

  #stats(type: string, line: number): TypeStats | undefined {
    let stats = this.#types.get(type);
    if (stats === undefined) {
      if (this.#types.size >= this.#maxTypes) return undefined;
      stats = { type, firstLine: line, count: 0, fields: new Map(), fieldsTruncated: false, shapeKeys: [], shapeSlots: [], lacking: { tenant: new Sample(this.#examples), capsule: new Sample(this.#examples) } };
      this.#types.set(type, stats);
    }
    return stats;
  }

  #field(stats: TypeStats, key: string): FieldStats | undefined {
    let field = stats.fields.get(key);
    if (field === undefined) {
      if (stats.fields.size >= this.#maxFields) {
        stats.fieldsTruncated = true;
        return undefined;
      }
      field = { count: 0, types: 0 };
      stats.fields.set(key, field);
    }
    return field;
  }

  #malform(line: number, reason: string): void {
    this.#malformedCount += 1;
    let sample = this.#malformed.get(reason);
    if (sample === undefined) this.#malformed.set(reason, (sample = new Sample(this.#examples)));
    sample.add(line);
  }

  #mismatch(line: number, type: string, what: string): void {
    const key = `${type}\u0000${what}`;
    let entry = this.#mismatches.get(key);
    if (entry === undefined) {
      if (this.#mismatches.size >= this.#maxTypes * 4) return;
      this.#mismatches.set(key, (entry = { type, what, sample: new Sample(this.#examples) }));
    }
    entry.sample.add(line);
  }

  #checkEnvelope(line: number, type: string, envelope: Record<string, unknown>, detail: Record<string, unknown>): void {
    const detailType = detail.type;
    if (typeof detailType === 'string' && detailType !== type) this.#mismatch(line, type, `detail-type "${type}" differs from detail.type "${detailType}"`);
    for (const brand of BRANDS) {
      const inDetail = scopeValue(detail, brand);
      for (const name of BRAND_FIELDS[brand]) {
        const outer = envelope[name];
        if (outer !== undefined && outer !== inDetail) this.#mismatch(line, type, `envelope ${name} ${JSON.stringify(outer)} differs from the detail's ${brand} id ${JSON.stringify(inDetail ?? null)}`);
      }
      if (inDetail === undefined) continue;
      const places: [string, unknown][] = [['source', envelope.source]];
      if (Array.isArray(envelope.resources)) for (const resource of envelope.resources as unknown[]) places.push(['resources', resource]);
      for (const [where, text] of places) {
        if (typeof text !== 'string' || !text.toLowerCase().includes(brand)) continue;
        for (const match of text.matchAll(ID_SEGMENT[brand])) {
          if (match[1] !== inDetail) this.#mismatch(line, type, `envelope ${where} names ${brand} "${match[1]}" but the detail's ${brand} id is "${inDetail}"`);
        }
      }
    }
  }

  report(): AuditReport {
    const findings: Finding[] = [];
    const types = [...this.#types.values()];
    const carries = (stats: TypeStats, brand: Brand): boolean => stats.count - stats.lacking[brand].count > stats.count / 2;
    for (const brand of BRANDS) {
      const carrying = types.filter((stats) => carries(stats, brand));
      if (carrying.length === 0) continue;
      const severity: Severity = carrying.length > types.length / 2 ? 'error' : 'warning';
      const names = carrying.slice(0, 5).map((stats) => stats.type).join(', ') + (carrying.length > 5 ? ', …' : '');
      for (const stats of types) {
        const lacking = stats.lacking[brand];
        if (lacking.count === 0) continue;
        if (carries(stats, brand)) {
          findings.push({
            rule: 'event-missing-scope-field',
            severity: 'error',
            eventType: stats.type,
            count: lacking.count,
            lines: lacking.lines,
            message: `${lacking.count} of ${stats.count} ${stats.type} events carry no ${brand} id (${FIELD_LABEL[brand]}) although the others do; set it on every ${stats.type} event so consumers can tell which ${brand} it belongs to.`,
          });
        } else if (!this.#platformTypes.has(stats.type)) {
          findings.push({
            rule: 'type-missing-scope-field',
            severity,
            eventType: stats.type,
            count: lacking.count,
            lines: lacking.lines,
            message: `${stats.type} carries no ${brand} id (${FIELD_LABEL[brand]}) in ${lacking.count} of ${stats.count} events, while ${carrying.length} of ${types.length} event types do (${names}); add ${BRAND_FIELDS[brand][0]} to ${stats.type}, or pass --platform-type ${stats.type} if it is a platform event.`,
          });
        }
      }
    }
    for (const { type, what, sample } of this.#mismatches.values()) {
      findings.push({ rule: 'envelope-mismatch', severity: 'error', eventType: type, count: sample.count, lines: sample.lines, message: `${sample.count} ${type} event(s): ${what}; publish each event with the envelope of its own scope.` });
    }
    for (const [reason, sample] of this.#malformed) {
      findings.push({ rule: 'malformed-line', severity: 'warning', count: sample.count, lines: sample.lines, message: `${sample.count} line(s) skipped: ${reason}.` });
    }
    return {
      lines: this.#lines,
      events: this.#events,
      malformed: this.#malformedCount,
      untrackedEvents: this.#untracked,
      types: types.map((stats) => ({
        type: stats.type,
        count: stats.count,
        firstLine: stats.firstLine,
        fieldsTruncated: stats.fieldsTruncated,
        fields: Object.fromEntries([...stats.fields].map(([name, field]) => [name, { count: field.count, types: TYPE_BITS.filter((_, bit) => (field.types & (1 << bit)) !== 0) }])),
      })),
      findings,
    };
  }
}

/**
 * Splits bytes into lines without ever holding more than `maxLineBytes` of one line (node:readline
 * would buffer a whole over-long line before it could be refused). Synchronous per chunk, so a
 * line costs no promise.
 */
export class LineSplitter {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #overflow = 0;
  #line = 0;
  constructor(
    private readonly onLine: (line: number, text: string) => void,
    private readonly onTooLong: (line: number, bytes: number) => void,
    readonly maxLineBytes = 1 << 20,
  ) {}

  #finish(tail: Buffer): void {
    this.#line += 1;
    const bytes = this.#overflow + this.#pendingBytes + tail.length;
    if (this.#overflow > 0 || bytes > this.maxLineBytes) {
      this.onTooLong(this.#line, bytes);
    } else {
      let text = (this.#pending.length === 0 ? tail : Buffer.concat([...this.#pending, tail])).toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      this.onLine(this.#line, text);
    }
    this.#overflow = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  push(chunk: Uint8Array | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let newline = buffer.indexOf(10, start); newline !== -1; newline = buffer.indexOf(10, start)) {
      this.#finish(buffer.subarray(start, newline));
      start = newline + 1;
    }
    const rest = buffer.subarray(start);
    if (rest.length === 0) return;
    if (this.#overflow > 0 || this.#pendingBytes + rest.length > this.maxLineBytes) {
      this.#overflow += this.#pendingBytes + rest.length;
      this.#pending = [];
      this.#pendingBytes = 0;
    } else {
      this.#pending.push(Buffer.from(rest)); // a copy: the stream may reuse its chunk
      this.#pendingBytes += rest.length;
    }
  }

  /** The last line, when the input does not end with a newline. */
  end(): void {
    if (this.#overflow > 0 || this.#pendingBytes > 0) this.#finish(Buffer.alloc(0));
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
