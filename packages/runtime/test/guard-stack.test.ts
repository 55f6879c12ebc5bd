/**
 * Code that edits a scope client's middleware stack cannot take the guard off it or overtake it,
 * against dynalite (in-process DynamoDB). Every scope client is cached and shared, so whatever one
 * caller does to its stack, every later `scope.dynamo()` hands out. The attacks: a later
 * `initialize` middleware rewriting the input; one right before the serializer (after the Document
 * client's marshalling); taking the name `isolationGuard` (`add(…, { override: true })`), removing
 * it, attaching after it; build-step middleware rewriting or editing the serialized body, or
 * changing `X-Amz-Target`; a deserialize-step middleware editing the signed request; replacing the
 * client's protocol or request handler. Each aims a GetItem of our own item at another tenant's.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import * as doc from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory, hasIsolationGuard, IsolationViolationError, type ClientFactory, type Scope } from '../src/aws/index.js';
import { createTestTable, DUMMY_CREDENTIALS, lowLevelClient, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';

const OURS = 'TENANT#acme#CAPSULE#DEV#ORDER#1';
/** Another tenant whose key has our key's length, so a body can be edited in place. */
const THEIRS = 'TENANT#acmf#CAPSULE#DEV#ORDER#1';
const SECRET = 'secret of tenant acmf';

type Args = { input: Record<string, unknown>; request?: { headers: Record<string, string>; body?: unknown } };
type Middleware = (next: (args: Args) => Promise<unknown>) => (args: Args) => Promise<unknown>;
interface Stack {
  add(middleware: Middleware, options: Record<string, unknown>): void;
  addRelativeTo(middleware: Middleware, options: Record<string, unknown>): void;
  remove(name: string): boolean;
  removeByTag(tag: string): boolean;
}

let dynamo: LocalDynamo;
let raw: DynamoDBClient;
let aws: ClientFactory;
let table: string;

beforeAll(async () => {
  dynamo = await startDynalite();
  raw = lowLevelClient(dynamo.endpoint);
  table = freshScope().table('orders');
  aws.destroy();
  await createTestTable(raw, table);
  await raw.send(new PutItemCommand({ TableName: table, Item: { pk: { S: OURS }, sk: { S: 'A' }, secret: { S: 'acme order' } } }));
  await raw.send(new PutItemCommand({ TableName: table, Item: { pk: { S: THEIRS }, sk: { S: 'A' }, secret: { S: SECRET } } }));
}, 60_000);

// A fresh factory per test (freshScope): stack edits stay with the clients they were made on.
afterEach(() => aws?.destroy());

afterAll(async () => {
  raw?.destroy();
  await dynamo?.stop();
});

function freshScope(): Scope {
  aws = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, tables: ['orders'], keys: TEST_KEYS, clientConfig: { maxAttempts: 1 } });
  return aws.capsule('acme', 'DEV');
}

const stackOf = (scope: Scope): Stack => scope.dynamo().middlewareStack as unknown as Stack;
const getOurs = (scope: Scope): Promise<unknown> => scope.dynamo().send(new doc.GetCommand({ TableName: table, Key: { pk: OURS, sk: 'A' } }));

/** Sends, expecting a refusal that names their key, with no request reaching the server beyond the table's one DescribeTable. */
async function expectRefused(scope: Scope, send: () => Promise<unknown>, rule = 'partition-key-scope'): Promise<IsolationViolationError> {
  await scope.dynamo().send(new doc.GetCommand({ TableName: table, Key: { pk: OURS, sk: 'A' } })).catch(() => undefined); // learns the key schema first
  const before = dynamo.requestCount?.();
  const outcome = await send().then(
    (output) => ({ output }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a refusal; the server answered ${JSON.stringify(outcome.output)}`);
  expect(outcome.error).toBeInstanceOf(IsolationViolationError);
  expect(outcome.error).toMatchObject({ rule });
  expect(dynamo.requestCount?.()).toBe(before);
  return outcome.error as IsolationViolationError;
}

const theirKey = (typed: boolean): Record<string, unknown> => (typed ? { pk: { S: THEIRS }, sk: { S: 'A' } } : { pk: THEIRS, sk: 'A' });
const rewriteKey =
  (typed: boolean): Middleware =>
  (next) =>
  (args) =>
    next({ ...args, input: { ...args.input, Key: theirKey(typed) } });

describe('middleware that rewrites the input after it was written', () => {
  it('a later initialize middleware (priority low) cannot change the key', async () => {
    const scope = freshScope();
    stackOf(scope).add(rewriteKey(false), { step: 'initialize', priority: 'low', name: 'laterRewrite' });
    const error = await expectRefused(scope, () => getOurs(scope));
    expect(error.found).toBe(`Key.pk = "${THEIRS}"`);
  });

  it('a middleware placed right before the serializer cannot change the key', async () => {
    const scope = freshScope();
    stackOf(scope).addRelativeTo(rewriteKey(false), { relation: 'before', toMiddleware: 'serializerMiddleware', name: 'lastRewrite' });
    await expectRefused(scope, () => getOurs(scope));
  });

  it('taking the name isolationGuard (override), removing it, attaching after it or removing by tag takes nothing off', async () => {
    const scope = freshScope();
    const stack = stackOf(scope);
    stack.add((next) => (args) => next(args), { step: 'initialize', priority: 'low', name: 'isolationGuard', override: true });
    stack.addRelativeTo(rewriteKey(false), { relation: 'after', toMiddleware: 'isolationGuard', name: 'afterGuard' });
    await expectRefused(scope, () => getOurs(scope));
    expect(stack.remove('afterGuard')).toBe(true);
    expect(stack.remove('isolationGuard')).toBe(true); // the impostor: the guard is not on the stack to be removed
    expect(stack.removeByTag('ISOLATION')).toBe(false);
    stack.add(rewriteKey(false), { step: 'initialize', priority: 'low', name: 'rewrite' });
    await expectRefused(scope, () => getOurs(scope));
    expect(hasIsolationGuard(scope.dynamo())).toBe(true);
  });
});

describe('middleware that edits the request after serializing', () => {
  const body = (key: string): Uint8Array => new TextEncoder().encode(JSON.stringify({ TableName: table, Key: { pk: { S: key }, sk: { S: 'A' } } }));

  it('a build-step middleware replacing the body is judged on what it sends', async () => {
    const scope = freshScope();
    stackOf(scope).add(
      (next) => (args) => {
        const replaced = body(THEIRS);
        return next({ ...args, request: { ...args.request, headers: { ...args.request?.headers, 'content-length': String(replaced.byteLength) }, body: replaced } } as Args);
      },
      { step: 'build', name: 'replaceBody' },
    );
    const error = await expectRefused(scope, () => getOurs(scope));
    expect(error.found).toBe(`Key.pk = "${THEIRS}"`);
  });

  it('a build-step middleware editing the approved body in place is judged on what it sends', async () => {
    const scope = freshScope();
    stackOf(scope).add(
      (next) => (args) => {
        const bytes = args.request?.body as Uint8Array;
        const text = new TextDecoder().decode(bytes);
        bytes.set(new TextEncoder().encode(text.replace(OURS, THEIRS)));
        return next(args);
      },
      { step: 'build', name: 'editBody' },
    );
    await expectRefused(scope, () => getOurs(scope));
  });

  it('a build-step middleware changing X-Amz-Target to Scan runs no Scan', async () => {
    const scope = freshScope();
    stackOf(scope).add(
      (next) => (args) => {
        if (args.request !== undefined) args.request.headers['x-amz-target'] = 'DynamoDB_20120810.Scan';
        return next(args);
      },
      { step: 'build', name: 'retarget' },
    );
    const error = await expectRefused(scope, () => getOurs(scope), 'unbounded-operation');
    expect(error.command).toBe('ScanCommand');
  });

  it('a second X-Amz-Target header in other letter case is refused as unreadable', async () => {
    const scope = freshScope();
    stackOf(scope).add(
      (next) => (args) => {
        if (args.request !== undefined) args.request.headers['X-Amz-Target'] = 'DynamoDB_20120810.Scan';
        return next(args);
      },
      { step: 'build', name: 'secondTarget' },
    );
    const error = await expectRefused(scope, () => getOurs(scope), 'unverifiable-request');
    expect(error.found).toBe('the request as sent: 2 X-Amz-Target headers');
  });

  it('a middleware editing the approved body after the gate let it through (while the handler connects) changes nothing', async () => {
    const scope = freshScope();
    stackOf(scope).add(
      (next) => (args) => {
        const sent = next(args);
        const bytes = args.request?.body as Uint8Array;
        bytes.set(new TextEncoder().encode(new TextDecoder().decode(bytes).replace(OURS, THEIRS)));
        return sent;
      },
      { step: 'deserialize', priority: 'low', name: 'editAfterGate' },
    );
    const { Item } = (await getOurs(scope)) as { Item?: Record<string, unknown> };
    expect(Item?.['secret']).toBe('acme order');
  });

  it('a content encoding added to the request makes it unreadable, and refused', async () => {
    const scope = freshScope();
    stackOf(scope).add(
      (next) => (args) => {
        if (args.request !== undefined) args.request.headers['content-encoding'] = 'gzip';
        return next(args);
      },
      { step: 'build', name: 'encode' },
    );
    const error = await expectRefused(scope, () => getOurs(scope), 'unverifiable-request');
    expect(error.found).toBe('the request as sent: a content-encoding header ("gzip")');
  });

  it('a deserialize-step middleware editing the signed request is judged on what it sends', async () => {
    const scope = freshScope();
    stackOf(scope).add(
      (next) => (args) => {
        const replaced = body(THEIRS);
        if (args.request !== undefined) {
          args.request.body = replaced;
          args.request.headers['content-length'] = String(replaced.byteLength);
        }
        return next(args);
      },
      { step: 'deserialize', priority: 'low', name: 'afterSigning' },
    );
    await expectRefused(scope, () => getOurs(scope));
  });
});

describe("replacing the client's protocol, request handler or configuration", () => {
  it('an unsealed protocol assigned to the configuration is sealed on the spot', async () => {
    const scope = freshScope();
    const config = scope.dynamo().config as unknown as { protocol: object };
    const sealed = config.protocol;
    config.protocol = Object.getPrototypeOf(sealed) as object;
    expect(config.protocol).not.toBe(Object.getPrototypeOf(sealed));
    expect(hasIsolationGuard(scope.dynamo())).toBe(true);
    stackOf(scope).add(rewriteKey(false), { step: 'initialize', priority: 'low', name: 'rewrite' });
    await expectRefused(scope, () => getOurs(scope));
  });

  it("another client's bare request handler assigned to the configuration is gated on the spot", async () => {
    const scope = freshScope();
    const bare = lowLevelClient(dynamo.endpoint);
    const config = scope.dynamo().config as unknown as { requestHandler: unknown };
    config.requestHandler = bare.config.requestHandler;
    expect(config.requestHandler).not.toBe(bare.config.requestHandler);
    expect(hasIsolationGuard(scope.dynamo())).toBe(true);
    await expectRefused(scope, () => scope.dynamo().send(new doc.GetCommand({ TableName: table, Key: { pk: THEIRS, sk: 'A' } })));
    bare.destroy();
  });

  it('the request handler and protocol cannot be redefined or deleted, nor the configuration replaced', () => {
    const scope = freshScope();
    const document = scope.dynamo();
    const config = document.config as unknown as Record<string, unknown>;
    expect(() => Object.defineProperty(config, 'requestHandler', { value: { handle: () => Promise.resolve({}) } })).toThrow(TypeError);
    expect(() => Object.defineProperty(config, 'protocol', { value: {} })).toThrow(TypeError);
    expect(() => delete config['requestHandler']).toThrow(TypeError);
    for (const client of [document, scope.client(DynamoDBClient)]) {
      expect(() => {
        (client as unknown as { config: object }).config = {};
      }).toThrow(/configuration of a DynamoDB client of capsule acme\/DEV cannot be replaced/);
    }
    expect(hasIsolationGuard(document)).toBe(true);
  });

  it('the own item stays readable through every client these tests left behind', async () => {
    const scope = freshScope();
    const { Item } = await scope.client(DynamoDBClient).send(new GetItemCommand({ TableName: table, Key: { pk: { S: OURS }, sk: { S: 'A' } } }));
    expect(Item?.['secret']).toEqual({ S: 'acme order' });
  });
});
