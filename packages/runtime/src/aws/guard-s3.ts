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
import { describeMissing, Failure, own, quote } from './guard-format.js';
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

/** Members of an S3 input the guard does not copy: the object's content (often a stream), which names no key. */
export const S3_OPAQUE_MEMBERS: readonly string[] = ['Body'];

/** One S3 operation's input: the first failure, or `undefined`. */
export function inspectS3(operation: string, input: unknown, c: CompiledPolicy, label?: string): Failure | undefined {
  const objectCall = OBJECT_OPERATIONS.has(operation);
  const copy = COPY_OPERATIONS.has(operation);
  const list = LIST_OPERATIONS.get(operation);
  if (!objectCall && !copy && list === undefined && operation !== 'DeleteObjects') {
    return new Failure(
      'unbounded-operation',
      `${label ?? `${operation}Command`}, which is not one of the commands a guarded S3 client runs`,
      `object calls on keys under the scope's prefix (${quote(c.objectPrefix)}) — ${GUARDED_S3_OPERATIONS.join(', ')}; ListBuckets and bucket configuration belong to a platform or operator client`,
    );
  }
  if (typeof input !== 'object' || input === null) return new Failure('unverifiable-request', `the command input ${describeMissing(input)}`, 'an input object');
  const bucketFailure = checkBucket(c, own(input, 'Bucket'), 'Bucket');
  if (bucketFailure !== undefined) return bucketFailure;
  if (list !== undefined) {
    const prefixFailure = checkKey(c, own(input, 'Prefix'), 'Prefix', 'a Prefix');
    if (prefixFailure !== undefined) return prefixFailure;
    for (const marker of list) {
      const value = own(input, marker);
      if (value === undefined) continue;
      const failure = checkKey(c, value, marker, `a ${marker}`);
      if (failure !== undefined) return failure;
    }
    return undefined;
  }
  if (operation === 'DeleteObjects') return checkDeleteObjects(c, input);
  const keyFailure = checkKey(c, own(input, 'Key'), 'Key', 'a Key');
  if (keyFailure !== undefined || !copy) return keyFailure;
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

/** Exported for the tests: whether `key` lies under `prefix` without a `.` or `..` segment after it. */
export function keyInScope(key: string, prefix: string): boolean {
  if (!key.startsWith(prefix)) return false;
  for (const segment of key.slice(prefix.length).split('/')) if (segment === '.' || segment === '..') return false;
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

/** The request shape `bindS3Request` reads (smithy's `HttpRequest`). */
export interface S3RequestLike {
  readonly hostname?: unknown;
  readonly path?: unknown;
}

/**
 * Whether a serialized request addresses the judged input's bucket and key: virtual-hosted
 * (`<bucket>.<S3 host>` with path `/<key>`) or path-style (`<S3 host>` with path `/<bucket>/<key>`),
 * where an S3 host is AWS's or the factory's endpoint. Bucket calls (lists, `DeleteObjects`) address
 * the bucket alone. A failure, or `undefined`.
 */
export function bindS3Request(c: CompiledPolicy, input: unknown, request: S3RequestLike): Failure | undefined {
  const bucket = typeof input === 'object' && input !== null ? own(input, 'Bucket') : undefined;
  const key = typeof input === 'object' && input !== null ? own(input, 'Key') : undefined;
  const host = typeof request.hostname === 'string' ? request.hostname.toLowerCase() : '';
  const path = typeof request.path === 'string' ? request.path : '';
  let decoded: string;
  try {
    decoded = path.split('/').map(decodeURIComponent).join('/');
  } catch {
    decoded = '';
  }
  const object = typeof key === 'string' ? key : '';
  if (typeof bucket === 'string') {
    const serviceHost = (name: string): boolean => name === c.endpointHost || AWS_S3_HOST.test(name);
    const virtual = host.startsWith(`${bucket}.`) && serviceHost(host.slice(bucket.length + 1)) && (decoded === `/${object}` || (object === '' && decoded === ''));
    const pathStyle = serviceHost(host) && (decoded === `/${bucket}/${object}` || (object === '' && decoded === `/${bucket}`));
    if (virtual || pathStyle) return undefined;
  }
  return new Failure(
    'bucket-scope',
    `a request addressed to ${quote(`${host}${path}`)} for Bucket ${describeMissing(bucket)}, Key ${describeMissing(key)}`,
    "the judged bucket and key, virtual-hosted or path-style, on AWS's S3 endpoint or the factory's endpoint",
  );
}
