/**
 * The S3 attack matrix: a capsule scope's S3 client (acme/DEV, from the factory) against a real S3
 * implementation in-process (s3rver). Every command family is aimed at another capsule of the same
 * tenant (acme/PROD), a capsule whose code extends ours (acme/DEVX: `tenants/acme/capsules/DEVX/`
 * starts with `tenants/acme/capsules/DEV` but not with `…/DEV/`), another tenant (globex) and the
 * platform's keys; every attempt must be refused with the right rule before anything reaches
 * s3rver (its HTTP server counts requests), and the victims' objects, read back unguarded, must be
 * intact. The same commands inside the scope succeed, and presigned URLs go through the guard.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetObjectAclCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketPolicyCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  PutObjectTaggingCommand,
  RestoreObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import S3rver from 's3rver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory, type GuardRule, type Scope } from '../src/aws/index.js';
import { keyInScope, parseCopySource } from '../src/aws/guard-s3.js';

const BUCKET = 'shared';
const FOREIGN_BUCKET = 'foreign';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const OURS = 'tenants/acme/capsules/DEV/';
const OWN_KEY = `${OURS}own.txt`;

interface Target {
  readonly name: string;
  readonly prefix: string;
  readonly key: string;
}

const TARGETS: readonly Target[] = [
  { name: 'another capsule of the same tenant (acme/PROD)', prefix: 'tenants/acme/capsules/PROD/', key: 'tenants/acme/capsules/PROD/secret.txt' },
  { name: 'a capsule whose code extends ours (acme/DEVX)', prefix: 'tenants/acme/capsules/DEVX/', key: 'tenants/acme/capsules/DEVX/secret.txt' },
  { name: 'another tenant (globex/DEV)', prefix: 'tenants/globex/capsules/DEV/', key: 'tenants/globex/capsules/DEV/secret.txt' },
  { name: "the platform's keys", prefix: 'platform/', key: 'platform/config.json' },
];
const secretOf = (key: string): string => `secret of ${key}`;

/** One command family: the command aimed at a target, and the rule its refusal must carry. */
type Attack = readonly [name: string, make: (target: Target) => object, rule?: GuardRule];

const enc = (key: string): string => key.split('/').map(encodeURIComponent).join('/');
const ATTACKS: readonly Attack[] = [
  ['GetObject', (t) => new GetObjectCommand({ Bucket: BUCKET, Key: t.key })],
  ['HeadObject', (t) => new HeadObjectCommand({ Bucket: BUCKET, Key: t.key })],
  ['PutObject (overwrite)', (t) => new PutObjectCommand({ Bucket: BUCKET, Key: t.key, Body: 'overwritten' })],
  ['DeleteObject', (t) => new DeleteObjectCommand({ Bucket: BUCKET, Key: t.key })],
  ['CopyObject out of the victim (CopySource)', (t) => new CopyObjectCommand({ Bucket: BUCKET, Key: `${OURS}stolen.txt`, CopySource: `${BUCKET}/${enc(t.key)}` })],
  ['CopyObject out, CopySource with a leading / and a version', (t) => new CopyObjectCommand({ Bucket: BUCKET, Key: `${OURS}stolen.txt`, CopySource: `/${BUCKET}/${enc(t.key)}?versionId=null` })],
  ['CopyObject out, CopySource with the key fully URL-encoded', (t) => new CopyObjectCommand({ Bucket: BUCKET, Key: `${OURS}stolen.txt`, CopySource: `${BUCKET}/${encodeURIComponent(t.key)}` })],
  ['CopyObject over the victim (Key)', (t) => new CopyObjectCommand({ Bucket: BUCKET, Key: t.key, CopySource: `${BUCKET}/${enc(OWN_KEY)}` })],
  ['DeleteObjects (one of the keys)', (t) => new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: `${OURS}gone.txt` }, { Key: t.key }] } })],
  ['ListObjectsV2 (Prefix)', (t) => new ListObjectsV2Command({ Bucket: BUCKET, Prefix: t.prefix })],
  ['ListObjectsV2 (StartAfter)', (t) => new ListObjectsV2Command({ Bucket: BUCKET, Prefix: OURS, StartAfter: t.key })],
  ['ListObjects (Prefix)', (t) => new ListObjectsCommand({ Bucket: BUCKET, Prefix: t.prefix })],
  ['ListObjects (Marker)', (t) => new ListObjectsCommand({ Bucket: BUCKET, Prefix: OURS, Marker: t.key })],
  ['ListObjectVersions (Prefix)', (t) => new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: t.prefix })],
  ['ListMultipartUploads (Prefix)', (t) => new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: t.prefix })],
  ['CreateMultipartUpload', (t) => new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: t.key })],
  ['UploadPart', (t) => new UploadPartCommand({ Bucket: BUCKET, Key: t.key, UploadId: 'u', PartNumber: 1, Body: 'part' })],
  ['UploadPartCopy (CopySource)', (t) => new UploadPartCopyCommand({ Bucket: BUCKET, Key: `${OURS}parts.txt`, UploadId: 'u', PartNumber: 1, CopySource: `${BUCKET}/${enc(t.key)}` })],
  ['CompleteMultipartUpload', (t) => new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: t.key, UploadId: 'u', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"e"' }] } })],
  ['AbortMultipartUpload', (t) => new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: t.key, UploadId: 'u' })],
  ['ListParts', (t) => new ListPartsCommand({ Bucket: BUCKET, Key: t.key, UploadId: 'u' })],
  ['GetObjectAcl', (t) => new GetObjectAclCommand({ Bucket: BUCKET, Key: t.key })],
  ['PutObjectAcl', (t) => new PutObjectAclCommand({ Bucket: BUCKET, Key: t.key, ACL: 'public-read' })],
  ['GetObjectTagging', (t) => new GetObjectTaggingCommand({ Bucket: BUCKET, Key: t.key })],
  ['PutObjectTagging', (t) => new PutObjectTaggingCommand({ Bucket: BUCKET, Key: t.key, Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } })],
  ['DeleteObjectTagging', (t) => new DeleteObjectTaggingCommand({ Bucket: BUCKET, Key: t.key })],
  ['GetObjectAttributes', (t) => new GetObjectAttributesCommand({ Bucket: BUCKET, Key: t.key, ObjectAttributes: ['ETag'] })],
  ['GetObjectRetention', (t) => new GetObjectRetentionCommand({ Bucket: BUCKET, Key: t.key })],
  ['PutObjectRetention', (t) => new PutObjectRetentionCommand({ Bucket: BUCKET, Key: t.key, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 86_400_000) } })],
  ['GetObjectLegalHold', (t) => new GetObjectLegalHoldCommand({ Bucket: BUCKET, Key: t.key })],
  ['PutObjectLegalHold', (t) => new PutObjectLegalHoldCommand({ Bucket: BUCKET, Key: t.key, LegalHold: { Status: 'ON' } })],
  ['RestoreObject', (t) => new RestoreObjectCommand({ Bucket: BUCKET, Key: t.key, RestoreRequest: { Days: 1 } })],
  ['a dot segment after our prefix (…/DEV/../<victim>)', (t) => new GetObjectCommand({ Bucket: BUCKET, Key: `${OURS}../../../../${t.key}` })],
];

let server: S3rver;
let directory: string;
let endpoint: string;
/** Requests that reached s3rver's HTTP server. */
let received = 0;
let raw: S3Client;
let aws: ClientFactory;
let dev: Scope;
let client: S3Client;
const violations: IsolationViolationError[] = [];

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: BUCKET }, { name: FOREIGN_BUCKET }] });
  const { port } = (await server.run()) as { port: number };
  (server as unknown as { httpServer: { on(event: 'request', listener: () => void): void } }).httpServer.on('request', () => {
    received += 1;
  });
  endpoint = `http://127.0.0.1:${port}`;
  raw = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
  aws = createClientFactory({
    region: 'us-east-1',
    endpoint,
    credentials: CREDENTIALS,
    buckets: [BUCKET],
    clientConfig: { forcePathStyle: true },
    onViolation: (error) => violations.push(error),
  });
  dev = aws.capsule('acme', 'DEV');
  client = dev.client(S3Client);
});

afterAll(async () => {
  aws.destroy();
  raw.destroy();
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

beforeEach(async () => {
  for (const target of TARGETS) await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: target.key, Body: secretOf(target.key) }));
  await raw.send(new PutObjectCommand({ Bucket: FOREIGN_BUCKET, Key: OWN_KEY, Body: secretOf(`${FOREIGN_BUCKET}/${OWN_KEY}`) }));
  await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: OWN_KEY, Body: 'ours' }));
  violations.length = 0;
});

async function read(bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await object.Body?.transformToString();
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function refusal(send: () => Promise<unknown>): Promise<IsolationViolationError> {
  const before = received;
  let thrown: unknown;
  try {
    await send();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(IsolationViolationError);
  expect(received, 'a refused request must send nothing').toBe(before);
  return thrown as IsolationViolationError;
}

async function expectVictimsIntact(): Promise<void> {
  for (const target of TARGETS) expect(await read(BUCKET, target.key)).toBe(secretOf(target.key));
  expect(await read(FOREIGN_BUCKET, OWN_KEY)).toBe(secretOf(`${FOREIGN_BUCKET}/${OWN_KEY}`));
  expect(await read(BUCKET, `${OURS}stolen.txt`)).toBeUndefined();
}

describe('naming: scope.bucket() and scope.objectPrefix', () => {
  it('gives each scope its object prefix and the physical bucket names (default: one shared bucket, named as declared)', () => {
    expect(dev.objectPrefix).toBe('tenants/acme/capsules/DEV/');
    expect(aws.tenant('acme').objectPrefix).toBe('tenants/acme/');
    expect(aws.platform().objectPrefix).toBe('');
    expect(dev.bucket(BUCKET)).toBe(BUCKET);
    expect(aws.tenant('globex').bucket(BUCKET)).toBe(BUCKET);
    expect(() => dev.bucket('uploads')).toThrow(/bucket 'uploads' is not one of the factory's buckets \('shared'\); add it to createClientFactory\(\{ buckets \}\)/);
    expect(dev.describe()).toMatchObject({ objectPrefix: OURS, buckets: { shared: 'shared' } });
  });

  it('takes a bucket naming function, and refuses names S3 would refuse', () => {
    const named = createClientFactory({ region: 'us-east-1', credentials: CREDENTIALS, buckets: ['uploads'], bucketNaming: (logical, scope) => (scope.kind === 'capsule' ? `${scope.tenantId}-${scope.capsuleId.toLowerCase()}-${logical}` : logical) });
    expect(named.capsule('acme', 'DEVUS').bucket('uploads')).toBe('acme-devus-uploads');
    expect(named.platform().bucket('uploads')).toBe('uploads');
    expect(() => createClientFactory({ region: 'us-east-1', buckets: ['Uploads'] })).toThrow(/logical bucket name "Uploads" is invalid/);
    const bad = createClientFactory({ region: 'us-east-1', buckets: ['uploads'], bucketNaming: () => 'UPPER_case' });
    expect(() => bad.tenant('acme').bucket('uploads')).toThrow(/which S3 refuses/);
    named.destroy();
    bad.destroy();
  });

  it('reads copy sources as S3 does, and keeps a prefix from matching a longer capsule code', () => {
    expect(parseCopySource('shared/tenants%2Facme%2Fx?versionId=3')).toEqual({ bucket: 'shared', key: 'tenants/acme/x' });
    expect(parseCopySource('/shared/a%20b')).toEqual({ bucket: 'shared', key: 'a b' });
    expect(parseCopySource('shared/a?acl')).toBeUndefined();
    expect(parseCopySource('shared/%E0%A4%A')).toBeUndefined();
    expect(keyInScope('tenants/acme/capsules/DEVX/a', 'tenants/acme/capsules/DEV/')).toBe(false);
    expect(keyInScope('tenants/acme/capsules/DEV/./a', 'tenants/acme/capsules/DEV/')).toBe(false);
    expect(keyInScope('tenants/acme/capsules/DEV/a..b/c', 'tenants/acme/capsules/DEV/')).toBe(true);
  });
});

describe.each(TARGETS)('S3 attacks on $name', (target) => {
  for (const [name, make, rule] of ATTACKS) {
  it(`${name} is refused before sending, and the victim is intact`, async () => {
    const error = await refusal(() => client.send(make(target) as never));
    expect(error.rule).toBe(rule ?? 'object-key-scope');
    expect(error.scope).toEqual({ kind: 'capsule', tenantId: 'acme', capsuleId: 'DEV' });
    expect(error.expected).toContain(OURS);
    expect(error.found.length).toBeGreaterThan(0);
    expect(violations).toEqual([error]);
    await expectVictimsIntact();
  });
  }
});

describe('S3 requests outside the scope by bucket or operation', () => {
  it.each([
    ['GetObject in a bucket that is not the scope’s', () => new GetObjectCommand({ Bucket: FOREIGN_BUCKET, Key: OWN_KEY })],
    ['PutObject in a bucket that is not the scope’s', () => new PutObjectCommand({ Bucket: FOREIGN_BUCKET, Key: OWN_KEY, Body: 'x' })],
    ['ListObjectsV2 in a bucket that is not the scope’s', () => new ListObjectsV2Command({ Bucket: FOREIGN_BUCKET, Prefix: OURS })],
    ['CopyObject from a bucket that is not the scope’s', () => new CopyObjectCommand({ Bucket: BUCKET, Key: `${OURS}stolen.txt`, CopySource: `${FOREIGN_BUCKET}/${OWN_KEY}` })],
  ] as const)('%s: bucket-scope', async (_name, make) => {
    const error = await refusal(() => client.send(make() as never));
    expect(error.rule).toBe('bucket-scope');
    await expectVictimsIntact();
  });

  it.each([
    ['ListBuckets', () => new ListBucketsCommand({})],
    ['CreateBucket', () => new CreateBucketCommand({ Bucket: 'tenants-acme' })],
    ['DeleteBucket', () => new DeleteBucketCommand({ Bucket: BUCKET })],
    ['HeadBucket', () => new HeadBucketCommand({ Bucket: BUCKET })],
    ['GetBucketLocation', () => new GetBucketLocationCommand({ Bucket: BUCKET })],
    ['PutBucketPolicy', () => new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: '{}' })],
    ['DeleteBucketPolicy', () => new DeleteBucketPolicyCommand({ Bucket: BUCKET })],
    ['PutBucketAcl', () => new PutBucketAclCommand({ Bucket: BUCKET, ACL: 'public-read' })],
    ['GetBucketAcl', () => new GetBucketAclCommand({ Bucket: BUCKET })],
    ['PutBucketCors', () => new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } })],
  ] as const)('%s: unbounded-operation', async (_name, make) => {
    const error = await refusal(() => client.send(make() as never));
    expect(error.rule).toBe('unbounded-operation');
    await expectVictimsIntact();
  });

  it('refuses a list without a Prefix (it would list every tenant) and a Prefix that only starts like ours', async () => {
    expect((await refusal(() => client.send(new ListObjectsV2Command({ Bucket: BUCKET })))).rule).toBe('unverifiable-request');
    expect((await refusal(() => client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'tenants/acme/capsules/DEV' })))).rule).toBe('object-key-scope');
  });
});

describe('legitimate S3 calls inside the scope', () => {
  it('put, get, head, list, copy, tag, multipart and delete succeed, and see only the scope', async () => {
    const before = received;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${OURS}a.txt`, Body: 'alpha' }));
    expect(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${OURS}a.txt` }))).Body?.transformToString()).toBe('alpha');
    expect((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${OURS}a.txt` }))).ContentLength).toBe(5);
    await client.send(new CopyObjectCommand({ Bucket: BUCKET, Key: `${OURS}b c.txt`, CopySource: `${BUCKET}/${enc(`${OURS}a.txt`)}` }));
    expect(await read(BUCKET, `${OURS}b c.txt`)).toBe('alpha');
    await client.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: `${OURS}a.txt`, Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }));
    expect((await client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: `${OURS}a.txt` }))).TagSet).toEqual([{ Key: 'k', Value: 'v' }]);
    const upload = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: `${OURS}big.bin` }));
    const part = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: `${OURS}big.bin`, UploadId: upload.UploadId, PartNumber: 1, Body: 'multi' }));
    await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: `${OURS}big.bin`, UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(await read(BUCKET, `${OURS}big.bin`)).toBe('multi');
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: OURS }));
    expect((listed.Contents ?? []).map((object) => object.Key).sort()).toEqual([`${OURS}a.txt`, `${OURS}b c.txt`, `${OURS}big.bin`, OWN_KEY]);
    expect((await client.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: OURS }))).Contents?.length).toBe(4);
    await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: `${OURS}b c.txt` }, { Key: `${OURS}big.bin` }] } }));
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `${OURS}a.txt` }));
    expect((await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: OURS }))).Contents?.map((object) => object.Key)).toEqual([OWN_KEY]);
    expect(received - before).toBeGreaterThanOrEqual(15);
    expect(violations).toEqual([]);
    await expectVictimsIntact();
  });

  it('a tenant scope reaches every capsule of its tenant, and no other tenant', async () => {
    const tenant = aws.tenant('acme').client(S3Client);
    expect(await (await tenant.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'tenants/acme/capsules/PROD/secret.txt' }))).Body?.transformToString()).toBe(secretOf('tenants/acme/capsules/PROD/secret.txt'));
    expect((await refusal(() => tenant.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'tenants/globex/capsules/DEV/secret.txt' })))).rule).toBe('object-key-scope');
    expect((await refusal(() => tenant.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'tenants/acm' })))).rule).toBe('object-key-scope');
  });

  it('takes a streamed Body (not copied by the guard)', async () => {
    const { Readable } = await import('node:stream');
    // s3rver stores an aws-chunked body as it is: this client sends checksums only where S3 requires them.
    const plain = createClientFactory({ region: 'us-east-1', endpoint, credentials: CREDENTIALS, buckets: [BUCKET], clientConfig: { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' } });
    await plain.capsule('acme', 'DEV').client(S3Client).send(new PutObjectCommand({ Bucket: BUCKET, Key: `${OURS}stream.txt`, Body: Readable.from([Buffer.from('streamed')]), ContentLength: 8 }));
    expect(await read(BUCKET, `${OURS}stream.txt`)).toBe('streamed');
    plain.destroy();
  });
});

describe('presigned URLs', () => {
  it.each(TARGETS)("getSignedUrl for $name's key is refused, and signs nothing", async (target) => {
    const error = await refusal(() => getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: target.key })));
    expect(error.rule).toBe('object-key-scope');
    const put = await refusal(() => getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: target.key })));
    expect(put.rule).toBe('object-key-scope');
  });

  it('signs a URL for our own key, which works', async () => {
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: BUCKET, Key: OWN_KEY }));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ours');
  });
});

describe('requests changed after the guard judged them', () => {
  type Stack = { add(middleware: (next: (args: { request: Record<string, unknown> }) => Promise<unknown>) => (args: { request: Record<string, unknown> }) => Promise<unknown>, options: object): void; remove(name: string): boolean };

  it.each([
    [
      'the path rewritten to another tenant’s key',
      (request: Record<string, unknown>): void => {
        request['path'] = `/${BUCKET}/tenants/globex/capsules/DEV/secret.txt`;
      },
    ],
    [
      'the query of a list rewritten to another prefix',
      (request: Record<string, unknown>): void => {
        request['query'] = { ...(request['query'] as object), prefix: 'tenants/globex/' };
      },
    ],
    [
      'a copy source header added',
      (request: Record<string, unknown>): void => {
        (request['headers'] as Record<string, string>)['X-Amz-Copy-Source'] = `${BUCKET}/tenants/globex/capsules/DEV/secret.txt`;
      },
    ],
    [
      'the path rewritten to another bucket',
      (request: Record<string, unknown>): void => {
        request['path'] = `/${FOREIGN_BUCKET}/${OWN_KEY}`;
      },
    ],
  ] as const)('%s (build-step middleware): refused at the gate, nothing sent', async (_name, tamper) => {
    const stack = client.middlewareStack as unknown as Stack;
    stack.add((next) => (args) => {
      tamper(args.request);
      return next(args);
    }, { step: 'build', name: 'tamper' });
    try {
      const error = await refusal(() => client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: OURS })));
      expect(error.rule).toBe('unverifiable-request');
    } finally {
      stack.remove('tamper');
    }
    await expectVictimsIntact();
  });

  it("DeleteObjects whose body is rewritten to another tenant's key: refused, nothing sent", async () => {
    const stack = client.middlewareStack as unknown as Stack;
    stack.add((next) => (args) => {
      args.request['body'] = String(args.request['body']).replace(`${OURS}gone.txt`, 'tenants/globex/capsules/DEV/secret.txt');
      return next(args);
    }, { step: 'build', name: 'tamper' });
    try {
      const error = await refusal(() => client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: `${OURS}gone.txt` }] } })));
      expect(error.rule).toBe('unverifiable-request');
    } finally {
      stack.remove('tamper');
    }
    await expectVictimsIntact();
  });

  it('an endpoint rewritten before the serializer: the request no longer addresses the judged bucket, refused', async () => {
    const stack = client.middlewareStack as unknown as { addRelativeTo(middleware: (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => (args: unknown) => Promise<unknown>, options: object): void; remove(name: string): boolean };
    stack.addRelativeTo((next, context) => (args) => {
      context['endpointV2'] = { url: new URL(`${endpoint}/${FOREIGN_BUCKET}`) };
      return next(args);
    }, { relation: 'after', toMiddleware: 'endpointV2Middleware', name: 'tamper' });
    try {
      const error = await refusal(() => client.send(new GetObjectCommand({ Bucket: BUCKET, Key: OWN_KEY })));
      expect(error.rule).toBe('bucket-scope');
    } finally {
      stack.remove('tamper');
    }
  });
});
