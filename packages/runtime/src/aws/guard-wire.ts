/**
 * Reading a JSON-protocol request as it will be sent, for the gate's slow path: the operation
 * from the one `X-Amz-Target` header, the input from the body's JSON. Anything that could read
 * differently on the server — two target headers, a content or transfer encoding, a declared length
 * other than the body's, bytes that are not UTF-8, text that is not one JSON object — is reported
 * as unreadable instead.
 */
import { Failure, quote } from './guard-format.js';
import type { HttpRequestLike } from './guard-seal.js';

export type WireRequest = { readonly operation: string; readonly input: object } | { readonly unreadable: Failure };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function readWire(request: HttpRequestLike, targetPrefix: string): WireRequest {
  const headers = request.headers;
  const targets: string[] = [];
  let declaredLength: string | undefined;
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    const value = String(headers[name]);
    if (lower === 'x-amz-target') targets.push(value);
    else if (lower === 'content-length') declaredLength = value;
    else if (lower === 'content-encoding' || lower === 'transfer-encoding') return unreadable(`a ${lower} header (${quote(value)})`, 'a body sent as it is, without encoding');
  }
  const [target] = targets;
  if (targets.length !== 1 || target === undefined) return unreadable(`${targets.length} X-Amz-Target headers`, `exactly one X-Amz-Target: ${targetPrefix}.<Operation>`);
  if (!target.startsWith(`${targetPrefix}.`)) return unreadable(`X-Amz-Target ${quote(target)}, another service's operation`, `X-Amz-Target: ${targetPrefix}.<Operation>`);
  const body = request.body;
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) {
    try {
      text = UTF8.decode(body);
    } catch {
      return unreadable('a request body that is not UTF-8 text', 'the JSON body the SDK serializes');
    }
  } else return unreadable(`a request body of type ${body === null ? 'null' : typeof body}`, 'the JSON body the SDK serializes (text or bytes)');
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (declaredLength !== undefined && declaredLength !== String(length)) return unreadable(`content-length ${declaredLength} for a body of ${length} bytes`, 'the length of the body sent');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return unreadable(`a request body that is not JSON (${quote(text)})`, 'the JSON body the SDK serializes');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return unreadable(`a request body that is not a JSON object (${quote(text)})`, 'the JSON body the SDK serializes');
  return { operation: target.slice(targetPrefix.length + 1), input };
}

function unreadable(found: string, expected: string): WireRequest {
  return { unreadable: new Failure('unverifiable-request', `the request as sent: ${found}`, expected) };
}
