/**
 * What keeps the audit bounded whatever a log line holds: names are clipped before they are kept or
 * hashed into a map, quoted values are clipped in messages, and everything kept is charged to a
 * byte budget. A hostile line (a 100,000-character `detail-type`, thousands of resources, 20,000-
 * character keys) then costs time linear in its length and retains at most a few hundred bytes.
 */
import { createHash } from 'node:crypto';

/** Type and field names longer than this are kept as their start, their length and a hash of the whole. */
export const MAX_NAME_CHARS = 256;
/** Values quoted in finding messages (ids found in envelopes) are clipped to this. */
export const MAX_QUOTED_CHARS = 64;
/** Default budget for what the audit keeps: type and field profiles, findings, example lines. */
export const DEFAULT_MAX_RETAINED_BYTES = 32 * 2 ** 20;

/** A copy that shares no memory with the line it came from (a V8 slice would keep the whole line alive). */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function clipAt(text: string, length: number): string {
  // Never split a surrogate pair.
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/**
 * `name` itself when short; otherwise exactly MAX_NAME_CHARS characters: its start, then its length
 * and a SHA-256 prefix of the whole, so distinct long names stay distinct.
 */
export function clipName(name: string): string {
  if (name.length <= MAX_NAME_CHARS) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
  const suffix = `…[${name.length} chars, sha256:${hash}]`;
  return detached(clipAt(name, MAX_NAME_CHARS - suffix.length) + suffix);
}

/** A value for a message: JSON-quoted, at most MAX_QUOTED_CHARS characters of it. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  if (text.length <= MAX_QUOTED_CHARS) return JSON.stringify(text);
  return JSON.stringify(`${clipAt(text, MAX_QUOTED_CHARS)}…(${text.length} chars)`);
}

/** Bytes a kept string costs at most: a V8 string header and two bytes a character. */
export function stringCost(text: string): number {
  return 16 + 2 * text.length;
}

/** Bytes a map entry and the small record it holds cost, roughly and on the high side. */
export const ENTRY_COST = 96;

/** Bytes of estimated memory the audit may keep; reservations past the limit are refused. */
export class RetentionBudget {
  #used = 0;
  #refused = false;
  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  /** True once a reservation was refused: some data went unprofiled. */
  get exhausted(): boolean {
    return this.#refused;
  }

  reserve(bytes: number): boolean {
    if (this.#used + bytes > this.limit) {
      this.#refused = true;
      return false;
    }
    this.#used += bytes;
    return true;
  }

  /** For what must be kept whatever the budget (declared types: the user bounds their number). */
  force(bytes: number): void {
    this.#used += bytes;
  }

  release(bytes: number): void {
    this.#used -= bytes;
  }
}
