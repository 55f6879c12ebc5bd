/**
 * The S3 rules of the isolation guard: a tenant or capsule scope's S3 client touches only objects
 * under the scope's object prefix (`tenants/acme/capsules/DEVUS/`, tenant scope `tenants/acme/`)
 * in the scope's buckets.
 *
 * - Object calls (Get/Head/Put/Delete, ACL, tagging, attributes, retention, legal hold, restore,
 *   multipart Create/UploadPart/Complete/Abort/ListParts): `Bucket` one of the scope's buckets,
 *   `Key` starting with the prefix.
 * - Copies (`CopyObject`, `UploadPartCopy`): the same, and `CopySource` (`bucket/key`, URL-encoded,
 *   optionally `?versionId=…`) decoded as S3 decodes it, its bucket and key in scope too.
 * - `DeleteObjects`: every `Delete.Objects[].Key`.
 * - Lists (`ListObjectsV2`, `ListObjects`, `ListObjectVersions`, `ListMultipartUploads`): a `Prefix`
 *   inside the scope's prefix (a list without one would list every tenant), and markers
 *   (`StartAfter`, `Marker`, `KeyMarker`) inside it when given.
 * - Everything else — `ListBuckets`, bucket creation, policy, ACL and configuration calls, and any
 *   operation this list does not name — is refused.
 *
 * Keys with a `.` or `..` path segment after the prefix are refused: S3 takes them literally, but
 * a proxy or URL normaliser on the way may not.
 *
 * What the SDK serializes is bound to what was judged (`bindS3Request`): the request's host and
 * path must address the judged bucket and key, so an endpoint rewritten before the serializer
 * cannot send a judged key to another bucket.
 */
import { describeMissing, describeValue, Failure, own, quote } from './guard-format.js';
import type { CompiledPolicy } from './guard-policy.js';

/** Calls on one object: `Bucket` and `Key`. */
const OBJECT_OPERATIONS = new Set([
  'GetObject',
  'HeadObject',
  'PutObject',
  'DeleteObject',
  'GetObjectAcl',
  'PutObjectAcl',
  'GetObjectTagging',
  'PutObjectTagging',
  'DeleteObjectTagging',
  'GetObjectAttributes',
  'GetObjectRetention',
  'PutObjectRetention',
  'GetObjectLegalHold',
  'PutObjectLegalHold',
  'RestoreObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListParts',
]);

/** Copies: `Bucket`, `Key` and `CopySource`. */
const COPY_OPERATIONS = new Set(['CopyObject', 'UploadPartCopy']);

/** Lists: the prefix member (required) and the marker members (optional). */
const LIST_OPERATIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['ListObjectsV2', ['StartAfter']],
  ['ListObjects', ['Marker']],
  ['ListObjectVersions', ['KeyMarker']],
  ['ListMultipartUploads', ['KeyMarker']],
]);

/** Every operation a guarded S3 client runs. */
export const GUARDED_S3_OPERATIONS: readonly string[] = [...OBJECT_OPERATIONS, ...COPY_OPERATIONS, 'DeleteObjects', ...LIST_OPERATIONS.keys()];

/** What each operation is checked as (one lookup per request): an object call, a copy, `DeleteObjects`, or a list with its marker members. */
const OPERATION_KINDS: ReadonlyMap<string, 'object' | 'copy' | 'delete' | readonly string[]> = new Map<string, 'object' | 'copy' | 'delete' | readonly string[]>([
  ...[...OBJECT_OPERATIONS].map((operation) => [operation, 'object'] as const),
  ...[...COPY_OPERATIONS].map((operation) => [operation, 'copy'] as const),
  ['DeleteObjects', 'delete'],
  ...LIST_OPERATIONS,
]);

/** Members of an S3 input the guard does not copy: the object's content (often a stream), which names no key. */
export const S3_OPAQUE_MEMBERS: readonly string[] = ['Body'];

/** One S3 operation's input: the first failure, or `undefined`. */
export function inspectS3(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  const kind = OPERATION_KINDS.get(operation);
  if (kind === undefined) {
    return new Failure(
      'unbounded-operation',
      `${label ?? `${operation}Command`}, which is not one of the commands a guarded S3 client runs`,
      `object calls on keys under the scope's prefix (${quote(c.objectPrefix)}) — ${GUARDED_S3_OPERATIONS.join(', ')}; ListBuckets and bucket configuration belong to a platform or operator client`,
    );
  }
  if (typeof input !== 'object' || input === null) return new Failure('unverifiable-request', `the command input ${describeMissing(input)}`, 'an input object');
  const bucketFailure = checkBucket(c, own(input, 'Bucket'), 'Bucket');
  if (bucketFailure !== undefined) return bucketFailure;
  if (typeof kind === 'object') {
    const prefixFailure = checkKey(c, own(input, 'Prefix'), 'Prefix', 'a Prefix');
    if (prefixFailure !== undefined) return prefixFailure;
    for (const marker of kind) {
      const value = own(input, marker);
      if (value === undefined) continue;
      const failure = checkKey(c, value, marker, `a ${marker}`);
      if (failure !== undefined) return failure;
    }
    return undefined;
  }
  if (kind === 'delete') return checkDeleteObjects(c, input);
  const keyFailure = checkKey(c, own(input, 'Key'), 'Key', 'a Key');
  if (keyFailure !== undefined || kind !== 'copy') return keyFailure;
  return checkCopySource(c, own(input, 'CopySource'));
}

function expectedKey(c: CompiledPolicy, what: string): string {
  return `${what} starting with ${quote(c.objectPrefix)}, the scope's object prefix (scope.objectPrefix) — another tenant's or capsule's objects belong to its own scope`;
}

function checkBucket(c: CompiledPolicy, bucket: unknown, place: string): Failure | undefined {
  if (typeof bucket === 'string' && c.buckets.has(bucket)) return undefined;
  const known = [...c.buckets].map(quote).join(', ');
  return new Failure(
    typeof bucket === 'string' ? 'bucket-scope' : 'unverifiable-request',
    `${place} ${describeMissing(bucket)}`,
    `one of the scope's buckets (${known === '' ? 'none: declare them with createClientFactory({ buckets }) and name them with scope.bucket()' : known})`,
  );
}

const SLASH = 0x2f;
const DOT = 0x2e;

/** Exported for the tests: whether `key` lies under `prefix` without a `.` or `..` segment after it. */
export function keyInScope(key: string, prefix: string): boolean {
  if (!key.startsWith(prefix)) return false;
  // Each dot that starts a segment after the prefix: `.` or `..` up to the next `/` or the end is one of those segments.
  for (let dot = key.indexOf('.', prefix.length); dot !== -1; dot = key.indexOf('.', dot + 1)) {
    if (dot !== prefix.length && key.charCodeAt(dot - 1) !== SLASH) continue;
    const end = key.charCodeAt(dot + 1) === DOT ? dot + 2 : dot + 1;
    if (end === key.length || key.charCodeAt(end) === SLASH) return false;
  }
  return true;
}

function checkKey(c: CompiledPolicy, key: unknown, place: string, what: string): Failure | undefined {
  if (typeof key === 'string' && keyInScope(key, c.objectPrefix)) return undefined;
  return new Failure(typeof key === 'string' ? 'object-key-scope' : 'unverifiable-request', `${place} ${describeMissing(key)}`, expectedKey(c, what));
}

function checkDeleteObjects(c: CompiledPolicy, input: object): Failure | undefined {
  const request = own(input, 'Delete');
  const objects = typeof request === 'object' && request !== null ? own(request, 'Objects') : undefined;
  if (!Array.isArray(objects)) return new Failure('unverifiable-request', `Delete.Objects ${describeMissing(objects)}`, 'an array of { Key } objects');
  for (let i = 0; i < objects.length; i += 1) {
    const object: unknown = objects[i];
    const key = typeof object === 'object' && object !== null ? own(object, 'Key') : undefined;
    const failure = checkKey(c, key, `Delete.Objects[${i}].Key`, 'a Key');
    if (failure !== undefined) return failure;
  }
  return undefined;
}

function copySourceWanted(c: CompiledPolicy): string {
  return `'<bucket>/<key>' (the key URL-encoded, optionally '?versionId=…'): one of the scope's buckets and a key starting with ${quote(c.objectPrefix)}, the scope's object prefix`;
}

/** `CopySource` read as S3 reads the `x-amz-copy-source` header: `[/]bucket/key[?versionId=id]`, URL-decoded. */
function checkCopySource(c: CompiledPolicy, source: unknown): Failure | undefined {
  if (typeof source !== 'string') return new Failure('unverifiable-request', `CopySource ${describeMissing(source)}`, copySourceWanted(c));
  const parsed = parseCopySource(source);
  if (parsed === undefined) return new Failure('unverifiable-request', `CopySource = ${quote(source)}, which is not '<bucket>/<key>'`, copySourceWanted(c));
  if (!c.buckets.has(parsed.bucket)) return new Failure('bucket-scope', `CopySource = ${quote(source)}, in bucket ${quote(parsed.bucket)}`, copySourceWanted(c));
  if (!keyInScope(parsed.key, c.objectPrefix)) return new Failure('object-key-scope', `CopySource = ${quote(source)}, key ${quote(parsed.key)}`, copySourceWanted(c));
  return undefined;
}

/** The bucket and key a copy source names, decoded; `undefined` when it cannot be read as S3 would. */
export function parseCopySource(source: string): { readonly bucket: string; readonly key: string } | undefined {
  const path = source.startsWith('/') ? source.slice(1) : source;
  const question = path.indexOf('?');
  const resource = question === -1 ? path : path.slice(0, question);
  if (question !== -1 && !/^versionId=[^&=?]*$/.test(path.slice(question + 1))) return undefined;
  const slash = resource.indexOf('/');
  if (slash <= 0) return undefined;
  try {
    return { bucket: decodeURIComponent(resource.slice(0, slash)), key: decodeURIComponent(resource.slice(slash + 1)) };
  } catch {
    return undefined;
  }
}

/** AWS's S3 hosts a path-style request may use: `s3.amazonaws.com`, `s3.us-east-1.amazonaws.com`, `s3-fips.…`, `s3.dualstack.…`. */
const AWS_S3_HOST = /^s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;

/** The last host found to be AWS's S3 host (a client sends to one or two): found again without the pattern. */
let lastAwsS3Host = '';

/** Whether `name` (lower case) is an S3 host: AWS's or the factory's endpoint. */
function isServiceHost(c: CompiledPolicy, name: string): boolean {
  if (name === c.endpointHost || name === lastAwsS3Host) return true;
  if (!AWS_S3_HOST.test(name)) return false;
  lastAwsS3Host = name;
  return true;
}

/** `path` URL-decoded segment by segment, as S3 reads it; `undefined` when it does not decode. */
function decodedPath(path: string): string | undefined {
  if (!path.includes('%')) return path; // nothing to decode (the common case: the SDK encodes only what it must)
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/** Whether `decoded`, past its first `start` characters, is `/<object>` — or nothing, for a bucket call (`object` empty). */
function isObjectPath(decoded: string, start: number, object: string): boolean {
  if (decoded.length === start) return object === '';
  return decoded.length === start + 1 + object.length && decoded.charCodeAt(start) === SLASH && decoded.endsWith(object);
}

/** The request shape `bindS3Request` reads (smithy's `HttpRequest`). */
export interface S3RequestLike {
  readonly hostname?: unknown;
  readonly path?: unknown;
  readonly headers?: unknown;
}

/**
 * Whether a serialized request addresses the judged input's bucket and key: virtual-hosted
 * (`<bucket>.<S3 host>` with path `/<key>`) or path-style (`<S3 host>` with path `/<bucket>/<key>`),
 * where an S3 host is AWS's or the factory's endpoint. Bucket calls (lists, `DeleteObjects`) address
 * the bucket alone. A failure, or `undefined`. Compared in place, without building the expected
 * host or path: this runs on every request.
 */
export function bindS3Request(c: CompiledPolicy, input: unknown, request: S3RequestLike): Failure | undefined {
  const bucket = typeof input === 'object' && input !== null ? own(input, 'Bucket') : undefined;
  const key = typeof input === 'object' && input !== null ? own(input, 'Key') : undefined;
  const { hostname, path } = request;
  const host = typeof hostname === 'string' ? hostname.toLowerCase() : '';
  const decoded = typeof path === 'string' ? decodedPath(path) : undefined;
  if (typeof bucket === 'string' && decoded !== undefined) {
    const object = typeof key === 'string' ? key : '';
    const virtual = host.length > bucket.length + 1 && host.charCodeAt(bucket.length) === DOT && host.startsWith(bucket) && isServiceHost(c, host.slice(bucket.length + 1)) && isObjectPath(decoded, 0, object);
    const pathStyle = !virtual && decoded.charCodeAt(0) === SLASH && decoded.startsWith(bucket, 1) && isObjectPath(decoded, bucket.length + 1, object) && isServiceHost(c, host);
    if (virtual || pathStyle) return boundCopySource(c, input, request.headers);
  }
  return new Failure(
    'bucket-scope',
    `a request addressed to ${quote(`${host}${typeof path === 'string' ? path : ''}`)} for Bucket ${describeMissing(bucket)}, Key ${describeMissing(key)}`,
    "the judged bucket and key, virtual-hosted or path-style, on AWS's S3 endpoint or the factory's endpoint",
  );
}

/**
 * A copy source header makes S3 read another object: a `PUT` carrying one is a `CopyObject`. So a
 * serialized request may carry `x-amz-copy-source` (in any case) only when the judged input has a
 * `CopySource`, and the header as sent must name an object in the scope — a protocol that adds one
 * to a judged `PutObject` would otherwise copy another tenant's object into ours.
 */
function boundCopySource(c: CompiledPolicy, input: unknown, headers: unknown): Failure | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() !== 'x-amz-copy-source') continue;
    const sent: unknown = (headers as Record<string, unknown>)[name];
    if (typeof input !== 'object' || input === null || typeof own(input, 'CopySource') !== 'string') {
      return new Failure('unverifiable-request', `an x-amz-copy-source header ${describeValue(sent)} on a request whose input names no CopySource`, 'a copy source only on CopyObject and UploadPartCopy, as their input names it');
    }
    const failure = checkCopySource(c, sent);
    if (failure !== undefined) return failure;
  }
  return undefined;
}
