/**
 * The address of a request bound by address (S3, SNS, user-defined services), for binding what the
 * seal judged to what the gate sends: the method, URL parts (the fragment too, which the SDK's
 * handler writes into the request line after the query), query, the copy-source header and, for
 * a POST (`DeleteObjects` lists keys in its body, SNS writes everything there), the body — every
 * request's body for services that ask (user-defined guards). Headers a signer or checksum adds are
 * not part of it.
 *
 * An address is kept as its parts, read once, and compared part by part (`===`), not as one string:
 * building and hashing a string of every part cost the gate and the seal ~1 µs each per request,
 * where looking up the path (the same string object the seal saw, its hash already computed) and
 * comparing the few parts costs a tenth of that.
 */
import { createHash } from 'node:crypto';
import type { HttpRequestLike } from './guard-seal.js';

interface AddressedRequest extends HttpRequestLike {
  protocol?: unknown;
  hostname?: unknown;
  port?: unknown;
  path?: unknown;
  query?: unknown;
  username?: unknown;
  password?: unknown;
  fragment?: unknown;
}

/** A URL part as smithy's `HttpRequest` holds it: a string, a number (`port`), or absent. */
type Part = string | number | undefined;

/** Bodies longer than this are kept as their length and SHA-256: an SNS Publish body can be 256 KiB, and 4096 of those would hold a gigabyte. */
const MAX_KEPT_AS_IS = 1024;

/** A body's part of an address: its text or bytes as sent, or for a long one its kind, length and digest. */
type BodyPart = undefined | { readonly kind: 'text' | 'bytes' | 'text digest' | 'bytes digest'; readonly length: number; readonly value: string | Buffer };

const NO_SOURCES: readonly string[] = Object.freeze([]);
const NO_QUERY: readonly unknown[] = Object.freeze([]);

/** Where one request goes and, when it counts, what it carries: read once, compared part by part. */
export class RequestAddress {
  readonly #method: Part;
  readonly #protocol: Part;
  readonly #hostname: Part;
  readonly #port: Part;
  readonly #path: Part;
  readonly #username: Part;
  readonly #password: Part;
  /** The SDK's handler writes it into the request line, after the query. */
  readonly #fragment: Part;
  /** Names and values in turn, sorted by name; array values are copies. */
  readonly #query: readonly unknown[];
  readonly #sources: readonly string[];
  readonly #body: BodyPart;

  constructor(request: Readonly<Record<'method' | 'protocol' | 'hostname' | 'port' | 'path' | 'username' | 'password' | 'fragment', Part>>, query: readonly unknown[], sources: readonly string[], body: BodyPart) {
    this.#method = request.method;
    this.#protocol = request.protocol;
    this.#hostname = request.hostname;
    this.#port = request.port;
    this.#path = request.path;
    this.#username = request.username;
    this.#password = request.password;
    this.#fragment = request.fragment;
    this.#query = query;
    this.#sources = sources;
    this.#body = body;
  }

  /** What the addresses are filed under: the path, which tells most requests apart. */
  get path(): Part {
    return this.#path;
  }

  equals(other: RequestAddress): boolean {
    return (
      this.#path === other.#path &&
      this.#method === other.#method &&
      this.#hostname === other.#hostname &&
      this.#port === other.#port &&
      this.#protocol === other.#protocol &&
      this.#username === other.#username &&
      this.#password === other.#password &&
      this.#fragment === other.#fragment &&
      sameValues(this.#query, other.#query) &&
      sameValues(this.#sources, other.#sources) &&
      sameBody(this.#body, other.#body)
    );
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || !sameValues(x, y)) return false;
  }
  return true;
}

function sameBody(a: BodyPart, b: BodyPart): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind !== b.kind || a.length !== b.length) return false;
  return typeof a.value === 'string' ? a.value === b.value : typeof b.value !== 'string' && a.value.equals(b.value);
}

function isPart(value: unknown): value is Part {
  return value === undefined || typeof value === 'string' || typeof value === 'number';
}

/**
 * The request's address; `undefined` for a request the guard cannot read. `bodies`: whose body
 * belongs to it — a POST's (default), or every request's (`always`).
 */
export function requestAddress(request: HttpRequestLike, bodies: 'post' | 'always' = 'post'): RequestAddress | undefined {
  return addressOf(request, bodies, false);
}

/**
 * The address of the gate's view of a request, which is made to own its query first (a copy, each
 * value read once) — its other URL parts are its own already (`sendableCopy`) — so a holder of the
 * original request cannot change where it goes after the gate has read it.
 */
export function pinnedAddress(view: HttpRequestLike, bodies: 'post' | 'always' = 'post'): RequestAddress | undefined {
  return addressOf(view, bodies, true);
}

function addressOf(request: HttpRequestLike, bodies: 'post' | 'always', pin: boolean): RequestAddress | undefined {
  const { method, protocol, hostname, port, path, username, password, fragment, query } = request as AddressedRequest;
  if (!isPart(method) || !isPart(protocol) || !isPart(hostname) || !isPart(port) || !isPart(path) || !isPart(username) || !isPart(password) || !isPart(fragment)) return undefined;
  let entries = NO_QUERY;
  if (query !== undefined) {
    if (typeof query !== 'object' || query === null) return undefined;
    const read = readQuery(query as Record<string, unknown>, pin);
    if (read === undefined) return undefined;
    entries = read.entries;
    if (read.copy !== undefined) (request as AddressedRequest).query = read.copy;
  }
  const sources = copySources(request.headers);
  let body: BodyPart;
  if (addressesBody(method, bodies)) {
    const content = request.body;
    if (content !== undefined && content !== null) {
      body = bodyPart(content);
      if (body === undefined) return undefined;
    }
  }
  return new RequestAddress({ method, protocol, hostname, port, path, username, password, fragment }, entries, sources, body);
}

/** Whether a request's body is part of its address: a POST's (`DeleteObjects`, SNS), or every request's (`always`). */
export function addressesBody(method: unknown, bodies: 'post' | 'always' = 'post'): boolean {
  return bodies === 'always' || method === 'POST' || (typeof method === 'string' && method.toUpperCase() === 'POST');
}

type QueryValue = string | number | null | undefined;

function isQueryValue(value: unknown): value is QueryValue {
  return value === undefined || value === null || typeof value === 'string' || typeof value === 'number';
}

/** A query's own members, each read once: as name/value entries sorted by name, and (`pin`) as a copy to send. */
function readQuery(query: Record<string, unknown>, pin: boolean): { readonly entries: readonly unknown[]; readonly copy: Record<string, unknown> | undefined } | undefined {
  let entries: unknown[] = [];
  for (const name in query) {
    if (!Object.hasOwn(query, name)) continue;
    let value: unknown = query[name];
    if (Array.isArray(value)) {
      value = [...(value as unknown[])];
      if (!(value as unknown[]).every(isQueryValue)) return undefined;
    } else if (!isQueryValue(value)) {
      return undefined;
    }
    entries.push(name, value);
  }
  if (entries.length > 2) entries = sortedEntries(entries);
  if (!pin) return { entries, copy: undefined };
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < entries.length; i += 2) {
    const name = entries[i] as string;
    // Defined, not assigned: a member named __proto__ stays a member.
    if (name === '__proto__') Object.defineProperty(copy, name, { value: entries[i + 1], enumerable: true, writable: true, configurable: true });
    else copy[name] = entries[i + 1];
  }
  return { entries, copy };
}

/** Name/value entries in turn, sorted by name (an object's names are distinct). */
function sortedEntries(entries: readonly unknown[]): unknown[] {
  const pairs: [string, unknown][] = [];
  for (let i = 0; i < entries.length; i += 2) pairs.push([entries[i] as string, entries[i + 1]]);
  pairs.sort(([a], [b]) => (a < b ? -1 : 1));
  return pairs.flat(1);
}

/** The values of the request's `x-amz-copy-source` headers (whatever their case). */
function copySources(headers: Record<string, string>): readonly string[] {
  let sources = NO_SOURCES;
  for (const name in headers) {
    // Told apart by length and first letter before any lower-casing (a string per header).
    if (name.length !== 17 || (name.charCodeAt(0) | 0x20) !== 0x78 || !Object.hasOwn(headers, name)) continue;
    if (name !== 'x-amz-copy-source' && name.toLowerCase() !== 'x-amz-copy-source') continue;
    if (sources === NO_SOURCES) sources = [];
    (sources as string[]).push(String(headers[name]));
  }
  return sources;
}

/** A text or binary body's part of the address; `undefined` for a body the guard cannot read (a stream). */
function bodyPart(body: unknown): BodyPart {
  if (typeof body === 'string') {
    if (body.length <= MAX_KEPT_AS_IS) return { kind: 'text', length: body.length, value: body };
    return { kind: 'text digest', length: body.length, value: createHash('sha256').update(body).digest() };
  }
  if (body instanceof Uint8Array) {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (bytes.byteLength <= MAX_KEPT_AS_IS) return { kind: 'bytes', length: bytes.byteLength, value: Buffer.from(bytes) };
    return { kind: 'bytes digest', length: bytes.byteLength, value: createHash('sha256').update(bytes).digest() };
  }
  return undefined;
}

/** How a refused request is named in its refusal: method and URL. */
export function describeAddress(request: HttpRequestLike): string {
  const { method, protocol, hostname, port, path } = request as AddressedRequest;
  const shown = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
  return `${shown(method)} ${shown(protocol)}//${shown(hostname)}${port === undefined ? '' : `:${shown(port)}`}${shown(path)}`;
}

/** How many recorded addresses a guard keeps (the least recently recorded go first); a request in flight longer than this many newer ones is refused. */
const MAX_RECORDED = 4096;

/** How many of a path's newest addresses are searched for one being recorded again (which then becomes the newest); older repeats are kept twice, harmlessly. */
const REPEATS_SEARCHED = 8;

/** Addresses the seal judged and bound. Every one is in the scope, so keeping one for retries is safe. */
export class RecordedAddresses {
  /** By path, oldest first. */
  readonly #byPath = new Map<Part, RequestAddress[]>();
  /** Every address, least recently recorded first. */
  readonly #order = new Set<RequestAddress>();

  record(address: RequestAddress): void {
    const path = address.path;
    const filed = this.#byPath.get(path);
    if (filed === undefined) {
      this.#byPath.set(path, [address]);
    } else {
      const last = filed.length - 1;
      for (let i = last; i >= 0 && i > last - REPEATS_SEARCHED; i -= 1) {
        const known = filed[i] as RequestAddress;
        if (!known.equals(address)) continue;
        if (i !== last) filed.push(...filed.splice(i, 1));
        this.#order.delete(known);
        this.#order.add(known);
        return;
      }
      filed.push(address);
    }
    this.#order.add(address);
    if (this.#order.size > MAX_RECORDED) this.#forget(this.#order.values().next().value as RequestAddress);
  }

  has(address: RequestAddress): boolean {
    const filed = this.#byPath.get(address.path);
    if (filed === undefined) return false;
    // Newest first: a request is sent soon after it was serialized.
    for (let i = filed.length - 1; i >= 0; i -= 1) if ((filed[i] as RequestAddress).equals(address)) return true;
    return false;
  }

  #forget(address: RequestAddress): void {
    this.#order.delete(address);
    const filed = this.#byPath.get(address.path);
    if (filed === undefined) return;
    const index = filed[0] === address ? 0 : filed.indexOf(address);
    if (index !== -1) filed.splice(index, 1);
    if (filed.length === 0) this.#byPath.delete(address.path);
  }
}
