/**
 * The address of a REST request (S3), for binding what the seal judged to what the gate sends: the
 * method, URL parts, query, the copy-source header and, for a POST (`DeleteObjects` lists keys in
 * its body), the body — every request's body for services that ask (user-defined guards). Headers a
 * signer or checksum adds are not part of it.
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
}

const URL_PARTS = ['method', 'protocol', 'hostname', 'port', 'path', 'username', 'password'] as const;

/**
 * The request's address as one string; `undefined` for a request the guard cannot read. `bodies`:
 * whose body belongs to it — a POST's (default), or every request's (`always`).
 */
export function requestAddress(request: HttpRequestLike, bodies: 'post' | 'always' = 'post'): string | undefined {
  const addressed = request as AddressedRequest;
  let address = '';
  for (const part of URL_PARTS) {
    const value: unknown = addressed[part];
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'number') return undefined;
    address += `${value === undefined ? '' : JSON.stringify(value)} `;
  }
  const query = addressed.query;
  if (query !== undefined && (typeof query !== 'object' || query === null)) return undefined;
  if (query !== undefined) {
    const entries = Object.keys(query).sort();
    address += JSON.stringify(entries.map((name) => [name, (query as Record<string, unknown>)[name]]));
  }
  const sources: string[] = [];
  for (const name of Object.keys(request.headers)) if (name.toLowerCase() === 'x-amz-copy-source') sources.push(String(request.headers[name]));
  address += `\n${JSON.stringify(sources)}`;
  if (bodies === 'always' || (typeof addressed.method === 'string' && addressed.method.toUpperCase() === 'POST')) {
    const body = request.body;
    if (typeof body === 'string') address += `\ns:${body}`;
    else if (body instanceof Uint8Array) address += `\nb:${Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64')}`;
    else if (body !== undefined && body !== null) return undefined;
  }
  return address;
}

/**
 * Makes the gate's view of a request own its address (copies of the URL parts and query), so a
 * holder of the original request cannot change where it goes after the gate has read it.
 */
export function pinAddress(view: HttpRequestLike): void {
  const addressed = view as unknown as Record<string, unknown>;
  for (const part of URL_PARTS) addressed[part] = addressed[part];
  const query = addressed.query;
  if (typeof query === 'object' && query !== null) {
    const copy: Record<string, unknown> = {};
    for (const name of Object.keys(query)) {
      const value: unknown = (query as Record<string, unknown>)[name];
      copy[name] = Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value;
    }
    addressed.query = Object.freeze(copy);
  }
}

/** How many recorded addresses a guard keeps (the oldest go first); a request in flight longer than this many newer ones is refused. */
const MAX_RECORDED = 4096;

/** Addresses longer than this are kept as their SHA-256: an SNS Publish body can be 256 KiB, and 4096 of those would hold a gigabyte. */
const MAX_KEPT_AS_IS = 1024;

/** What the set keeps for an address: itself, or for a long one its digest (no address starts with `#`: each starts with its JSON-quoted method). */
function keyOf(address: string): string {
  return address.length <= MAX_KEPT_AS_IS ? address : `#sha256:${createHash('sha256').update(address).digest('base64')}`;
}

/** Addresses the seal judged and bound. Every one is in the scope, so keeping one for retries is safe. */
export class RecordedAddresses {
  readonly #addresses = new Set<string>();

  record(recorded: string): void {
    const address = keyOf(recorded);
    this.#addresses.delete(address);
    this.#addresses.add(address);
    if (this.#addresses.size > MAX_RECORDED) {
      const oldest = this.#addresses.values().next().value;
      if (oldest !== undefined) this.#addresses.delete(oldest);
    }
  }

  has(address: string): boolean {
    return this.#addresses.has(keyOf(address));
  }
}
