/**
 * The guard on real SDK clients against dynalite (in-process DynamoDB): where it sits (the
 * client's protocol and request handler; on the stack only the early check), that the Document client
 * shares it, what a second guard does, and how the metrics hook may fail without hiding a violation.
 */
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addIsolationGuard, hasIsolationGuard, type GuardPolicy } from '../src/aws/guard.js';
import { ISOLATION_EARLY_CHECK } from '../src/aws/guard-early.js';
import { keyPrefixOf, type GuardedScope } from '../src/aws/scope.js';
import { IsolationViolationError } from '../src/aws/violation.js';
import { capsuleId, tenantId } from '../src/ids.js';
import { createTestTable, documentClient, lowLevelClient, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';
import { middlewareOrder } from './support/middleware-order.js';

const TABLE = 'guard_client_data';
const scope: GuardedScope = { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: capsuleId('DEV') };
const MINE = `${keyPrefixOf(scope)}ORDER#1`;
const THEIRS = 'TENANT#globex#CAPSULE#DEV#ORDER#1';
const policy: GuardPolicy = { scope, tables: new Set([TABLE]), keys: TEST_KEYS };

describe('dynalite (in-process DynamoDB): the guard on SDK clients', () => {
  let db: LocalDynamo;
  const clients: DynamoDBClient[] = [];
  const client = (): DynamoDBClient => {
    const created = lowLevelClient(db.endpoint);
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    db = await startDynalite();
    const raw = client();
    await createTestTable(raw, TABLE);
    await raw.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: MINE }, sk: { S: 'A' } } }));
    await raw.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: THEIRS }, sk: { S: 'A' } } }));
  });

  afterAll(async () => {
    for (const created of clients) created.destroy();
    await db?.stop();
  });

  it('sits in the client configuration — sealed protocol, gated request handler — and adds to the middleware stack only the early check, right before credentials are resolved', () => {
    const base = client();
    const get = (): GetItemCommand => new GetItemCommand({ TableName: TABLE, Key: { pk: { S: MINE }, sk: { S: 'A' } } });
    const before = middlewareOrder(base, get());
    const { protocol, requestHandler } = base.config;
    addIsolationGuard(base, policy);
    expect(middlewareOrder(base, get())).toEqual(before.flatMap((name) => (name === 'httpAuthSchemeMiddleware' ? [ISOLATION_EARLY_CHECK, name] : [name])));
    expect(base.config.protocol).not.toBe(protocol);
    expect(Object.getPrototypeOf(base.config.protocol)).toBe(protocol);
    expect(base.config.requestHandler).not.toBe(requestHandler);
    expect(hasIsolationGuard(base)).toBe(true);
    expect(hasIsolationGuard(documentClient(base))).toBe(true);
    expect(hasIsolationGuard(client())).toBe(false);
  });

  it('approves the bytes it serialized, so the gate sends them without reading them again (the fast path)', async () => {
    const base = client();
    const guard = addIsolationGuard(base, policy);
    const sent: { headers: Record<string, string>; body?: unknown }[] = [];
    base.middlewareStack.add((next) => (args) => (sent.push((args as { request: (typeof sent)[number] }).request), next(args)), { step: 'deserialize', priority: 'low', name: 'record' });
    await base.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: MINE }, sk: { S: 'A' } } }));
    await documentClient(base).send(new GetCommand({ TableName: TABLE, Key: { pk: MINE, sk: 'A' } }));
    expect(sent).toHaveLength(2);
    for (const request of sent) expect(guard.approvals.sendable(request)).toBeDefined();
  });

  it('a Document client made from a guarded base shares its configuration, and so its guard', async () => {
    const base = client();
    addIsolationGuard(base, policy);
    const document = documentClient(base);
    expect(document.config).toBe(base.config);
    await expect(document.send(new GetCommand({ TableName: TABLE, Key: { pk: THEIRS, sk: 'A' } }))).rejects.toBeInstanceOf(IsolationViolationError);
    await expect(document.send(new GetCommand({ TableName: TABLE, Key: { pk: MINE, sk: 'A' } }))).resolves.toMatchObject({ Item: { pk: MINE } });
  });

  it('guarding the Document client guards its base client too (one shared configuration)', async () => {
    const base = client();
    const document = documentClient(base);
    addIsolationGuard(document, policy);
    await expect(base.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: THEIRS }, sk: { S: 'A' } } }))).rejects.toBeInstanceOf(IsolationViolationError);
  });

  it('a guard made before the Document client covers it too', async () => {
    const base = client();
    addIsolationGuard(base, policy);
    await expect(documentClient(base).send(new PutCommand({ TableName: TABLE, Item: { pk: THEIRS, sk: 'B' } }))).rejects.toMatchObject({ rule: 'partition-key-scope', found: `Item.pk = "${THEIRS}"` });
  });

  it('refuses a second guard on the same client instead of checking against two scopes', () => {
    const base = client();
    addIsolationGuard(base, policy);
    expect(() => addIsolationGuard(base, { ...policy, scope: { kind: 'tenant', tenantId: tenantId('globex') } })).toThrow(/guarded already/);
    expect(() => addIsolationGuard(documentClient(base), policy)).toThrow(/guarded already/);
  });

  it('refuses an unusable policy when the guard is added, not on the first command', () => {
    expect(() => addIsolationGuard(client(), { ...policy, scope: { kind: 'capsule', tenantId: tenantId('acme'), capsuleId: 'DEV#' as never } })).toThrow(TypeError);
  });

  it('calls onViolation with the error it then throws', async () => {
    const onViolation = vi.fn();
    const base = client();
    addIsolationGuard(base, { ...policy, onViolation });
    const error = await base.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: THEIRS }, sk: { S: 'A' } } })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IsolationViolationError);
    expect(onViolation).toHaveBeenCalledExactlyOnceWith(error);
    await base.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: MINE }, sk: { S: 'A' } } }));
    expect(onViolation).toHaveBeenCalledTimes(1);
  });

  it('a hook that throws does not hide the violation', async () => {
    const base = client();
    addIsolationGuard(base, {
      ...policy,
      onViolation: () => {
        throw new Error('metrics backend down');
      },
    });
    await expect(base.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: THEIRS }, sk: { S: 'A' } } }))).rejects.toMatchObject({ name: 'IsolationViolationError', rule: 'partition-key-scope' });
  });

  it('a hook whose promise rejects neither hides the violation nor leaves an unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const base = client();
      addIsolationGuard(base, { ...policy, onViolation: (() => Promise.reject(new Error('metrics backend down'))) as () => void });
      await expect(base.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: THEIRS }, sk: { S: 'A' } } }))).rejects.toBeInstanceOf(IsolationViolationError);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('an error while inspecting refuses the command (fail closed)', async () => {
    const base = client();
    addIsolationGuard(base, policy);
    const key = {
      get pk(): never {
        throw new Error('a getter that throws');
      },
      sk: { S: 'A' },
    };
    const before = db.requestCount?.();
    await expect(base.send(new GetItemCommand({ TableName: TABLE, Key: key as never }))).rejects.toThrow('a getter that throws');
    expect(db.requestCount?.()).toBe(before);
  });

  it('refuses without sending: the server sees no request for refused commands', async () => {
    const base = client();
    addIsolationGuard(base, policy);
    const before = db.requestCount?.() as number;
    for (let i = 0; i < 5; i += 1) await base.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: THEIRS }, sk: { S: 'A' } } })).catch(() => undefined);
    expect(db.requestCount?.()).toBe(before);
  });
});
