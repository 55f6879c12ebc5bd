/**
 * Addresses of requests bound by address (S3, SNS, user-defined services), kept as their parts
 * and compared part by part (`guard-address.ts`): two requests share an address only if every
 * part the guard binds is the same, whatever the order of their query members; the gate's view
 * owns its query once read; bodies count for a POST only, long ones by digest; what the guard
 * keeps is bounded. Requests are smithy's own `HttpRequest`s, as the SDK builds and clones them.
 * Also: a serialized S3 request must address the judged bucket and key (`bindS3Request`), and a
 * fragment added after the seal (which the SDK's handler writes into the request line) is refused,
 * against s3rver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HttpRequest } from '@smithy/core/protocols';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedAddress, RecordedAddresses, requestAddress, type RequestAddress } from '../src/aws/guard-address.js';
import { compilePolicy } from '../src/aws/guard-policy.js';
import { bindS3Request } from '../src/aws/guard-s3.js';
import { createClientFactory, DEFAULT_KEY_ATTRIBUTES, IsolationViolationError, type ClientFactory } from '../src/aws/index.js';
import { capsuleId, tenantId } from '../src/ids.js';

const KEY = 'tenants/acme/capsules/DEV/reports/2026-11.pdf';

function getObject(changes: Partial<HttpRequest> = {}): HttpRequest {
  return new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4569,
    path: `/shared/${KEY}`,
    query: { 'x-id': 'GetObject' },
    headers: { 'x-amz-checksum-mode': 'ENABLED' },
    ...changes,
  });
}

function addressOf(request: HttpRequest): RequestAddress {
  const address = requestAddress(request);
  if (address === undefined) throw new Error('expected a readable address');
  return address;
}

function recorded(...requests: HttpRequest[]): RecordedAddresses {
  const addresses = new RecordedAddresses();
  for (const request of requests) addresses.record(addressOf(request));
  return addresses;
}

describe('request addresses', () => {
  it('a request, and a clone of it as the signer makes one, have the same address', () => {
    const addresses = recorded(getObject());
    expect(addresses.has(addressOf(HttpRequest.clone(getObject())))).toBe(true);
  });

  it.each([
    ['another method', { method: 'DELETE' }],
    ['another protocol', { protocol: 'https:' }],
    ['another host', { hostname: '127.0.0.2' }],
    ['another port', { port: 4570 }],
    ['no port', { port: undefined }],
    ['another path', { path: '/shared/tenants/globex/capsules/DEV/reports/2026-11.pdf' }],
    ['a user name', { username: 'someone' }],
    ['a password', { password: 'secret' }],
    ['a fragment', { fragment: '&prefix=tenants/globex/' }],
    ['another query value', { query: { 'x-id': 'DeleteObject' } }],
    ['a query member more', { query: { 'x-id': 'GetObject', versionId: '3' } }],
    ['a query value as a list', { query: { 'x-id': ['GetObject'] } }],
    ['a query without its member', { query: {} }],
    ['a copy source header', { headers: { 'x-amz-copy-source': 'shared/tenants/globex/secret.txt' } }],
    ['a copy source header in another case', { headers: { 'X-Amz-Copy-Source': 'shared/tenants/globex/secret.txt' } }],
  ] as const)('%s: another address', (_name, changes) => {
    const addresses = recorded(getObject());
    expect(addresses.has(addressOf(getObject(changes as Partial<HttpRequest>)))).toBe(false);
  });

  it('a port as text is not the port as a number', () => {
    const addresses = recorded(getObject());
    expect(addresses.has(addressOf(getObject({ port: '4569' as unknown as number })))).toBe(false);
  });

  it('the order of query members does not matter; their values do, list items included', () => {
    const list = (query: HttpRequest['query']): HttpRequest => getObject({ method: 'GET', path: '/shared', query });
    const addresses = recorded(list({ 'list-type': '2', prefix: 'tenants/acme/capsules/DEV/', 'continuation-token': 't1', tags: ['a', 'b'] }));
    expect(addresses.has(addressOf(list({ tags: ['a', 'b'], 'continuation-token': 't1', prefix: 'tenants/acme/capsules/DEV/', 'list-type': '2' })))).toBe(true);
    expect(addresses.has(addressOf(list({ 'list-type': '2', prefix: 'tenants/acme/capsules/DEV/', 'continuation-token': 't1', tags: ['a', 'c'] })))).toBe(false);
    expect(addresses.has(addressOf(list({ 'list-type': '2', prefix: 'tenants/globex/', 'continuation-token': 't1', tags: ['a', 'b'] })))).toBe(false);
  });

  it('a query or URL part the guard cannot read has no address', () => {
    expect(requestAddress(getObject({ query: { 'x-id': { toString: () => 'GetObject' } } as unknown as HttpRequest['query'] }))).toBeUndefined();
    expect(requestAddress(Object.assign(getObject(), { path: ['/shared', KEY] }) as unknown as HttpRequest)).toBeUndefined();
    expect(requestAddress(Object.assign(getObject(), { query: 'x-id=GetObject' }) as unknown as HttpRequest)).toBeUndefined();
  });

  it("a POST's body is part of its address, as text or as bytes (never one for the other); other bodies are an object's content", () => {
    const post = (body: unknown): HttpRequest => getObject({ method: 'POST', path: '/shared', query: { delete: '' }, body });
    const xml = `<Delete><Object><Key>${KEY}</Key></Object></Delete>`;
    const addresses = recorded(post(xml));
    expect(addresses.has(addressOf(post(xml)))).toBe(true);
    expect(addresses.has(addressOf(post(xml.replace('acme', 'acmf'))))).toBe(false);
    expect(addresses.has(addressOf(post(new TextEncoder().encode(xml))))).toBe(false);
    expect(addresses.has(addressOf(post(undefined)))).toBe(false);
    const bytes = recorded(post(new TextEncoder().encode(xml)));
    expect(bytes.has(addressOf(post(new TextEncoder().encode(xml))))).toBe(true);
    expect(bytes.has(addressOf(post(new TextEncoder().encode(xml.replace('acme', 'acmf')))))).toBe(false);
    const put = recorded(getObject({ method: 'PUT', query: { 'x-id': 'PutObject' }, body: 'report' }));
    expect(put.has(addressOf(getObject({ method: 'PUT', query: { 'x-id': 'PutObject' }, body: 'another report' })))).toBe(true);
    expect(requestAddress(post({ pipe: () => undefined }))).toBeUndefined();
  });

  it('long bodies are kept as a digest, and one character changed anywhere is another address', () => {
    const body = `Action=Publish&Message=${'x'.repeat(300_000)}&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Aacme-DEV-alerts`;
    const post = (text: string): HttpRequest => getObject({ method: 'POST', path: '/', query: {}, body: text });
    const addresses = recorded(post(body));
    expect(addresses.has(addressOf(post(`${body}`)))).toBe(true);
    expect(addresses.has(addressOf(post(body.replace('acme-DEV', 'acme-DEX'))))).toBe(false);
    expect(addresses.has(addressOf(post(`y${body.slice(1)}`)))).toBe(false);
  });

  it("always: every method's body is part of the address (user-defined services)", () => {
    const put = (body: string): HttpRequest => getObject({ method: 'PUT', body });
    const addresses = new RecordedAddresses();
    addresses.record(requestAddress(put('a'), 'always') as RequestAddress);
    expect(addresses.has(requestAddress(put('a'), 'always') as RequestAddress)).toBe(true);
    expect(addresses.has(requestAddress(put('b'), 'always') as RequestAddress)).toBe(false);
  });
});

describe("the gate's view (pinnedAddress)", () => {
  it('owns its query once read: changing the original request afterwards changes neither what was checked nor what is sent', () => {
    const original = getObject({ path: '/shared', query: { 'list-type': '2', prefix: 'tenants/acme/capsules/DEV/', tags: ['a'] } });
    const addresses = recorded(original);
    const view = { ...original, query: original.query };
    const address = pinnedAddress(view) as RequestAddress;
    expect(addresses.has(address)).toBe(true);
    original.query['prefix'] = 'tenants/globex/';
    (original.query['tags'] as string[]).push('b');
    expect(view.query).toEqual({ 'list-type': '2', prefix: 'tenants/acme/capsules/DEV/', tags: ['a'] });
    expect(addresses.has(address)).toBe(true);
  });

  it('reads each query member once: a getter answering one value to the check and another to the sender is pinned to its first answer', () => {
    const original = getObject({ path: '/shared', query: { 'list-type': '2', prefix: 'tenants/acme/capsules/DEV/' } });
    const addresses = recorded(original);
    let reads = 0;
    const query = { 'list-type': '2' } as Record<string, string>;
    Object.defineProperty(query, 'prefix', { enumerable: true, get: () => (reads++ === 0 ? 'tenants/acme/capsules/DEV/' : 'tenants/globex/') });
    const view = { ...original, query };
    expect(addresses.has(pinnedAddress(view) as RequestAddress)).toBe(true);
    expect(view.query['prefix']).toBe('tenants/acme/capsules/DEV/');
    expect(view.query['prefix']).toBe('tenants/acme/capsules/DEV/');
  });

  it('keeps a query member named __proto__ as a member, as it was read and checked', () => {
    const query = JSON.parse('{"x-id":"GetObject","__proto__":"x"}') as Record<string, string>;
    const view = { ...getObject(), query };
    const address = pinnedAddress(view) as RequestAddress;
    expect(Object.hasOwn(view.query, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(view.query)).toBe(Object.prototype);
    expect(recorded(getObject()).has(address)).toBe(false);
  });
});

describe('what is kept', () => {
  it('the 4096 most recently recorded addresses: recording one again keeps it', () => {
    const addresses = new RecordedAddresses();
    const first = addressOf(getObject());
    addresses.record(first);
    for (let index = 0; index < 4095; index += 1) addresses.record(addressOf(getObject({ path: `/shared/${KEY}.${index}` })));
    addresses.record(addressOf(getObject()));
    addresses.record(addressOf(getObject({ path: `/shared/${KEY}.last` })));
    expect(addresses.has(first)).toBe(true);
    expect(addresses.has(addressOf(getObject({ path: `/shared/${KEY}.0` })))).toBe(false);
    expect(addresses.has(addressOf(getObject({ path: `/shared/${KEY}.1` })))).toBe(true);
  });

  it('many addresses under one path (lists with their own queries) are each found, the oldest forgotten first', () => {
    const list = (token: number): HttpRequest => getObject({ path: '/', hostname: 'shared.s3.us-east-1.amazonaws.com', query: { 'list-type': '2', 'continuation-token': String(token) } });
    const addresses = new RecordedAddresses();
    for (let token = 0; token < 5000; token += 1) addresses.record(addressOf(list(token)));
    expect(addresses.has(addressOf(list(4999)))).toBe(true);
    expect(addresses.has(addressOf(list(904)))).toBe(true);
    expect(addresses.has(addressOf(list(903)))).toBe(false);
  });
});

describe('bindS3Request: the serialized request addresses the judged bucket and key', () => {
  const c = compilePolicy({ scope: { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: capsuleId('DEV') }, tables: new Set(), buckets: new Set(['shared']), endpointHost: '127.0.0.1', keys: DEFAULT_KEY_ATTRIBUTES });
  const judged = { Bucket: 'shared', Key: KEY };

  it.each([
    ['path-style, on the endpoint', '127.0.0.1', `/shared/${KEY}`],
    ['path-style, encoded as the SDK encodes', '127.0.0.1', `/shared/${KEY.replace('2026-11', '2026%2D11')}`],
    ['virtual-hosted, on AWS', 'shared.s3.us-east-1.amazonaws.com', `/${KEY}`],
    ['virtual-hosted, host in capitals', 'SHARED.S3.US-EAST-1.AMAZONAWS.COM', `/${KEY}`],
    ['path-style, on AWS', 's3.dualstack.eu-west-1.amazonaws.com', `/shared/${KEY}`],
  ])('%s: bound', (_name, hostname, path) => {
    expect(bindS3Request(c, judged, { hostname, path })).toBeUndefined();
  });

  it.each([
    ['another bucket, path-style', '127.0.0.1', `/foreign/${KEY}`],
    ['another key', '127.0.0.1', '/shared/tenants/globex/capsules/DEV/secret.txt'],
    ['the key with a suffix', '127.0.0.1', `/shared/${KEY}x`],
    ['the key encoded into another', '127.0.0.1', `/shared/${KEY.replace('acme', 'acm%65%2F..%2F..%2Fglobex')}`],
    ['another host', 'evil.example', `/shared/${KEY}`],
    ['virtual-hosted on another host', 'shared.evil.example', `/${KEY}`],
    ['a bucket whose name starts with ours', 'sharedx.s3.amazonaws.com', `/${KEY}`],
    ['a path that does not decode', '127.0.0.1', `/shared/${KEY}%E0%A4%A`],
  ])('%s: refused', (_name, hostname, path) => {
    expect(bindS3Request(c, judged, { hostname, path })?.rule).toBe('bucket-scope');
  });

  it('a copy source header must be the judged copy: none on other calls, and only an object of the scope', () => {
    const put = { Bucket: 'shared', Key: KEY };
    const request = { hostname: '127.0.0.1', path: `/shared/${KEY}` };
    expect(bindS3Request(c, put, request)).toBeUndefined();
    expect(bindS3Request(c, put, { ...request, headers: { 'X-Amz-Copy-Source': 'shared/tenants/globex/capsules/DEV/secret.txt' } })?.rule).toBe('unverifiable-request');
    const copy = { ...put, CopySource: `shared/${KEY}` };
    expect(bindS3Request(c, copy, { ...request, headers: { 'x-amz-copy-source': `shared/${KEY}` } })).toBeUndefined();
    expect(bindS3Request(c, copy, { ...request, headers: { 'x-amz-copy-source': 'shared/tenants/globex/capsules/DEV/secret.txt' } })?.rule).toBe('object-key-scope');
  });

  it('a bucket call (a list) on a virtual host whose path does not decode: refused, not read as an empty path', () => {
    expect(bindS3Request(c, { Bucket: 'shared', Prefix: 'tenants/acme/capsules/DEV/' }, { hostname: 'shared.s3.amazonaws.com', path: '/' })).toBeUndefined();
    expect(bindS3Request(c, { Bucket: 'shared', Prefix: 'tenants/acme/capsules/DEV/' }, { hostname: 'shared.s3.amazonaws.com', path: '%E0%A4%A' })?.rule).toBe('bucket-scope');
  });
});

describe('a fragment added after the seal, against s3rver (node-http-handler writes it after the query: `?list-type=2&prefix=…#&prefix=…`)', () => {
  let server: S3rver;
  let directory: string;
  let received = 0;
  let aws: ClientFactory;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 's3rver-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'shared' }] });
    const { port } = (await server.run()) as { port: number };
    (server as unknown as { httpServer: { on(event: 'request', listener: () => void): void } }).httpServer.on('request', () => {
      received += 1;
    });
    aws = createClientFactory({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, buckets: ['shared'], clientConfig: { forcePathStyle: true } });
  });

  afterAll(async () => {
    aws?.destroy();
    await server?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is part of the address: the gate refuses the request, and nothing is sent', async () => {
    const client = aws.capsule('acme', 'DEV').client(S3Client);
    await client.send(new ListObjectsV2Command({ Bucket: 'shared', Prefix: 'tenants/acme/capsules/DEV/' }));
    type Next = (args: { request: { fragment?: string } }) => Promise<unknown>;
    const stack = client.middlewareStack as unknown as { add(middleware: (next: Next) => Next, options: object): void };
    stack.add((next) => (args) => next({ ...args, request: Object.assign(args.request, { fragment: '&prefix=tenants/globex/' }) }), { step: 'build', name: 'fragment' });
    const before = received;
    const refused = await client.send(new ListObjectsV2Command({ Bucket: 'shared', Prefix: 'tenants/acme/capsules/DEV/' })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(IsolationViolationError);
    expect((refused as IsolationViolationError).rule).toBe('unverifiable-request');
    expect(received, 'a refused request must send nothing').toBe(before);
  });

  it('a protocol that adds a copy source to a judged PutObject (making it a copy of another tenant\'s object) is refused, and nothing is sent', async () => {
    const victim = 'tenants/globex/capsules/DEV/secret.txt';
    const ours = 'tenants/acme/capsules/DEV/copied.txt';
    const platform = aws.platform().client(S3Client);
    await platform.send(new PutObjectCommand({ Bucket: 'shared', Key: victim, Body: 'globex secret' }));
    const client = aws.capsule('acme', 'DEV').client(S3Client);
    interface Protocol {
      serializeRequest(...args: unknown[]): Promise<{ headers: Record<string, string> }>;
    }
    const config = client.config as unknown as { protocol: Protocol };
    const sealed = config.protocol;
    // Assigned protocols are sealed on the spot; this one asks the seal in place to judge and record the honest request first.
    config.protocol = Object.create(sealed as object, {
      serializeRequest: {
        value: async (...args: unknown[]) => {
          const request = await sealed.serializeRequest(...args);
          request.headers['x-amz-copy-source'] = `shared/${victim}`;
          return request;
        },
      },
    }) as Protocol;
    const before = received;
    const refused = await client.send(new PutObjectCommand({ Bucket: 'shared', Key: ours, Body: 'ours' })).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(IsolationViolationError);
    expect((refused as IsolationViolationError).rule).toBe('unverifiable-request');
    expect(received, 'a refused request must send nothing').toBe(before);
    await expect(platform.send(new GetObjectCommand({ Bucket: 'shared', Key: ours }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
