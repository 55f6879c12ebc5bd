/**
 * The seal: the guard's check at the serializer itself. A guarded client's protocol (the object
 * the SDK's serializer middleware hands each input to) is wrapped so that, per request:
 *
 * 1. the input is copied into a plain-data snapshot, read once (`snapshot.ts`);
 * 2. the snapshot is judged under the operation the serializer is about to write (the operation
 *    schema's name, which becomes `X-Amz-Target`; never the command's class or name);
 * 3. the snapshot — not the caller's object — is serialized;
 * 4. the bytes the codec writes for that snapshot are approved for that operation's target: the
 *    gate (`guard-gate.ts`) sends exactly those bytes (its private copy) under exactly that target.
 *
 * The approval happens inside the protocol's codec serializer (its synchronous `write` then
 * `flush`), so the seal adds no promise to a request. A protocol without one still gets steps 1–3;
 * its requests are then read on the wire by the gate.
 *
 * The seal sits in the client's configuration, not on its middleware stack, so removing, replacing
 * or overtaking middleware does not remove it; whatever middleware did to the input before the
 * serializer (the Document client's marshalling included), the seal judges the result.
 */
import type { Verdict } from './guard-judge.js';
import { snapshot, SnapshotError } from './snapshot.js';
import type { IsolationViolationError } from './violation.js';

/** The request shape the seal and the gate read (smithy's `HttpRequest`). */
export interface HttpRequestLike {
  method?: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** Where a body carries its approval: assigning a property costs next to nothing, where a WeakMap of bodies or defineProperty costs ~0.4 µs each. */
const APPROVAL = Symbol('isolation.approval');
/** Only this module makes approvals: code that finds the symbol cannot make one for a body of its own. */
const MAKER = Symbol('isolation.approval-maker');
/** On a judged snapshot: the operation it was judged for. Only snapshots the seal made carry it. */
const JUDGED = Symbol('isolation.judged');

/** What one approved body must still be when sent. Fields are private: nothing outside can read or change them. */
class Approval {
  readonly #bytes: Buffer;
  readonly #target: string;
  readonly #approver: object;
  /** The bytes' length as a `content-length` header writes it. */
  readonly #length: string;

  constructor(maker: symbol, bytes: Buffer, target: string, approver: object) {
    if (maker !== MAKER) throw new TypeError('approvals are made by the isolation guard only');
    this.#bytes = bytes;
    this.#length = String(bytes.byteLength);
    this.#target = target;
    this.#approver = approver;
  }

  static of(body: object): Approval | undefined {
    const approval = (body as Record<symbol, unknown>)[APPROVAL];
    return typeof approval === 'object' && approval !== null && #bytes in approval ? approval : undefined;
  }

  /**
   * `request` as it may be sent, if it is what `approver` approved — the same bytes, exactly one
   * target header (whatever its case) with the approved value, a matching length if one is given,
   * no content or transfer encoding — or `undefined`. The headers are copied first (a spread: own
   * members, each read once), and the copy is what is checked and sent.
   */
  sendable(request: HttpRequestLike, body: Uint8Array, approver: object): HttpRequestLike | undefined {
    const bytes = this.#bytes;
    if (approver !== this.#approver || body.byteLength !== bytes.byteLength || Buffer.compare(body, bytes) !== 0) return undefined;
    const headers: Record<string, string> = { ...request.headers };
    let targets = 0;
    for (const name in headers) {
      const watched = watchedHeader(name);
      if (watched === undefined) continue;
      const value = headers[name] as string;
      if (watched === 'x-amz-target') {
        if (value !== this.#target) return undefined;
        targets += 1;
      } else if (watched === 'content-length') {
        if (value !== this.#length && String(value) !== this.#length) return undefined;
      } else {
        return undefined; // a content or transfer encoding
      }
    }
    if (targets !== 1) return undefined;
    return sendableCopy(request, headers, bytes);
  }
}

/** The headers an approved request is checked for, by length: one name per length. */
const WATCHED_HEADERS: readonly (string | undefined)[] = Object.assign(new Array<string | undefined>(18).fill(undefined), { 12: 'x-amz-target', 14: 'content-length', 16: 'content-encoding', 17: 'transfer-encoding' });

/**
 * The watched header `name` is, whatever its case, or `undefined`. Most names are told apart by
 * length and first letter alone, without lower-casing them (a string per header).
 */
function watchedHeader(name: string): string | undefined {
  const watched = WATCHED_HEADERS[name.length];
  if (watched === undefined || (name.charCodeAt(0) | 0x20) !== watched.charCodeAt(0)) return undefined;
  return name === watched || name.toLowerCase() === watched ? watched : undefined;
}

/** The approvals of one guard. */
export class Approvals {
  /** Records `body` as serialized from a snapshot judged for the operation of `target`. */
  approve(body: unknown, target: string): void {
    if (!(body instanceof Uint8Array)) return; // a string body ("{}") carries no approval: the gate reads it on the wire
    // A copy to compare with and to send, since the body itself stays writable.
    (body as unknown as Record<symbol, unknown>)[APPROVAL] = new Approval(MAKER, copyBytes(body), target, this);
  }

  /** `request` as it may be sent, if it is exactly what this guard approved; else `undefined`. */
  sendable(request: HttpRequestLike): HttpRequestLike | undefined {
    const body = request.body;
    if (!(body instanceof Uint8Array)) return undefined;
    return Approval.of(body)?.sendable(request, body, this);
  }
}

/**
 * A private copy of some bytes, from Buffer's pool (cheap). Not `Buffer.from(bytes)`: on the SDK's
 * JSON body that takes its `valueOf()`, a string, instead of its bytes.
 */
export function copyBytes(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafe(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** The members of smithy's `HttpRequest`, all of which a request handler reads. */
export interface RequestMembers extends HttpRequestLike {
  readonly protocol?: unknown;
  readonly hostname?: unknown;
  readonly port?: unknown;
  readonly path?: unknown;
  readonly query?: unknown;
  readonly fragment?: unknown;
  readonly username?: unknown;
  readonly password?: unknown;
}

/**
 * The request to hand the sending handler: a plain copy of `request`'s members, each read once,
 * with `headers` and `body` (copies nobody else holds). Whoever keeps `request` or its body can still
 * change them; that no longer changes what is written, even while the handler waits for its
 * connection. Not a view inheriting from `request` (`Object.create`): a new prototype per request
 * sends V8's property lookups on every later read down the slow path — measured at ~40 µs per gate
 * pass with a fresh request each time, against ~4 µs for the same request over and over.
 */
export function sendableCopy(request: HttpRequestLike, headers: Record<string, string>, body: unknown): HttpRequestLike {
  const { method, protocol, hostname, port, path, query, fragment, username, password } = request as RequestMembers;
  return { method, protocol, hostname, port, path, query, fragment, username, password, headers, body } as HttpRequestLike;
}

/** `sendableCopy` with a copy of the request's own headers. */
export function sendableView(request: HttpRequestLike, body: unknown): HttpRequestLike {
  return sendableCopy(request, { ...request.headers }, body);
}

/** What the seal needs from the guard it belongs to. */
export interface SealHooks {
  /** Judges one operation's input (a snapshot). */
  judge(operation: string, input: unknown): Verdict | Promise<Verdict>;
  /** The target header a request of `operation` must carry. */
  targetOf(operation: string): string;
  /** The refusal of an input the snapshot cannot copy. */
  uncopyable(operation: string, error: SnapshotError): IsolationViolationError;
  /** Reports and rejects. */
  refuse(violation: IsolationViolationError): Promise<never>;
  readonly approvals: Approvals;
  /** Top-level input members handed to the serializer as they are (an S3 object's `Body`); the rest is copied. */
  readonly opaque?: readonly string[] | undefined;
  /**
   * For services bound by address (S3): checks the serialized request against the judged input
   * and records it for the gate; a violation refuses it. Without it, codec bodies are approved.
   */
  readonly bindRequest?: ((operation: string, input: unknown, request: HttpRequestLike) => IsolationViolationError | undefined) | undefined;
}

type SerializeRequest = (this: object, operationSchema: unknown, input: unknown, context: unknown) => Promise<HttpRequestLike>;

interface CodecSerializer {
  write(schema: unknown, value: unknown): void;
  flush(): unknown;
  setSerdeContext?(context: unknown): void;
}

/**
 * The plain-data copy of an input that the seal judges and serializes (and the early check judges
 * and passes on, `guard-early.ts`): `snapshot`, except that the `opaque` top-level members (an S3
 * object's `Body`) are carried over as they are. Throws as `snapshot` does.
 */
export function snapshotInput(input: unknown, opaque: readonly string[] | undefined): unknown {
  return snapshot(input, opaque);
}

/** A protocol object whose `serializeRequest` (and codec serializer) are sealed; everything else is the original's, by prototype. */
export function sealProtocol(protocol: object, hooks: SealHooks): object {
  const original = (protocol as { serializeRequest?: unknown }).serializeRequest;
  if (typeof original !== 'function') throw new TypeError('isolation guard: the client protocol has no serializeRequest');
  const serialize = original as SerializeRequest;
  const sealed = Object.create(protocol) as Record<string, unknown>;

  Object.defineProperty(sealed, 'serializeRequest', {
    value: function serializeRequest(this: object, operationSchema: unknown, input: unknown, context: unknown): Promise<HttpRequestLike> {
      const name = (operationSchema as { readonly name?: unknown } | null | undefined)?.name;
      const operation = typeof name === 'string' ? name : '';
      let copy: unknown;
      try {
        copy = snapshotInput(input, hooks.opaque);
      } catch (error) {
        if (error instanceof SnapshotError) return hooks.refuse(hooks.uncopyable(operation, error));
        throw error;
      }
      const verdict = hooks.judge(operation, copy);
      if (verdict === undefined) return serializeJudged(this, operationSchema, copy, context, operation);
      if (verdict instanceof Promise) return verdict.then((outcome) => (outcome === undefined ? serializeJudged(this, operationSchema, copy, context, operation) : hooks.refuse(outcome)));
      return hooks.refuse(verdict);
    },
  });

  const serializeJudged = (self: object, operationSchema: unknown, copy: unknown, context: unknown, operation: string): Promise<HttpRequestLike> => {
    const bind = hooks.bindRequest;
    if (bind === undefined) {
      // Judging refused every input that is not an object, so the copy can carry its mark (for the sealed codec).
      (copy as Record<symbol, unknown>)[JUDGED] = operation;
      return serialize.call(self, operationSchema, copy, context);
    }
    // Bound by address: no codec reads the mark, and the serializer reads a marked copy ~1 µs slower.
    return serialize.call(self, operationSchema, copy, context).then((request) => {
      const violation = bind(operation, copy, request);
      return violation === undefined ? request : hooks.refuse(violation);
    });
  };

  const codec = (protocol as { serializer?: Partial<CodecSerializer> }).serializer;
  // Bodies are approved for JSON services only: an address-bound service's gate never takes an approved body.
  if (hooks.bindRequest === undefined && typeof codec?.write === 'function' && typeof codec.flush === 'function') {
    const inner = codec as CodecSerializer;
    /** The operation of the judged snapshot being written, between `write` and `flush` (synchronous, back to back). */
    let writing: string | undefined;
    const sealedCodec: CodecSerializer = Object.create(inner) as CodecSerializer;
    Object.defineProperties(sealedCodec, {
      write: {
        value: (schema: unknown, value: unknown): void => {
          const judged = typeof value === 'object' && value !== null ? (value as Record<symbol, unknown>)[JUDGED] : undefined;
          writing = typeof judged === 'string' ? judged : undefined;
          inner.write(schema, value);
        },
      },
      flush: {
        value: (): unknown => {
          const bytes = inner.flush();
          if (writing !== undefined) hooks.approvals.approve(bytes, hooks.targetOf(writing));
          writing = undefined;
          return bytes;
        },
      },
      setSerdeContext: { value: (context: unknown): void => inner.setSerdeContext?.(context) },
    });
    sealed['serializer'] = sealedCodec;
  }
  return sealed;
}
