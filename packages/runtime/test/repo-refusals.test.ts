/**
 * What a repository refuses, and that it refuses before anything is sent (dynalite counts the
 * requests it receives): ids of another tenant or capsule in keys, items and partitions, whatever
 * the caller's static types said; a repository opened in a scope of another kind; a `keys`
 * declaration that disagrees with `@Entity`; cursors of another partition; transactions across
 * scopes. And the guard stays underneath: a key the repository builds wrongly is still refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory } from '../src/aws/index.js';
import { CapsuleIsolated, Entity } from '../src/decorators.js';
import { KeyValueError } from '../src/errors.js';
import { capsuleId, tenantId, type CapsuleId, type TenantId } from '../src/ids.js';
import { KEY_BUILDER, type CompiledKeyBuilder } from '../src/keys.js';
import { capsuleKeys, tenantKeys } from '../src/repo/declaration.js';
import { transactWrite } from '../src/repo/transaction.js';
import { DUMMY_CREDENTIALS, startDynalite, TEST_KEYS, type LocalDynamo } from './support/dynamo.js';
import { refusalOf } from './support/refusal.js';
import { Account, Activity, Contact, createRepoTables, Session, Setting, storedItem, TABLE, TenantRecord } from './support/repo-entities.js';

let dynamo: LocalDynamo;
let aws: ClientFactory;
const violations: IsolationViolationError[] = [];
const ACME = tenantId('acme');
const DEV = capsuleId('DEV');

beforeAll(async () => {
  dynamo = await startDynalite();
  await createRepoTables(dynamo.endpoint);
  aws = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, tables: [TABLE], keys: TEST_KEYS, keySchemas: 'declared', onViolation: (error) => violations.push(error) });
});

afterAll(async () => {
  aws.destroy();
  await dynamo.stop();
});

const requests = (): number => (dynamo.requestCount as () => number)();

/** Runs `call`, expects it to throw or reject with `expected`, and that no request reached DynamoDB. */
async function refusedBeforeSending<E extends Error>(call: () => Promise<unknown>, expected: abstract new (...args: never[]) => E): Promise<E> {
  const before = requests();
  const error = await refusalOf(Promise.resolve().then(call), expected);
  expect(requests(), 'requests sent').toBe(before);
  return error;
}

/** What an untyped caller (JavaScript, `any`) can pass: the static types are no defence here. */
const untyped = (value: unknown): never => value as never;

describe('ids of another tenant or capsule, refused before sending', () => {
  const accounts = () => aws.capsule(ACME, DEV).repo(Account);

  it.each([
    ['another tenant in the item', { tenantId: 'globex', id: 'x', version: 1, name: 'n' }, 'Item.tenantId = "globex"'],
    ['another capsule in the item', { capsuleId: 'PROD', id: 'x', version: 1, name: 'n' }, 'Item.capsuleId = "PROD"'],
    ['a tenant id that is no string', { tenantId: 7, id: 'x', version: 1, name: 'n' }, 'Item.tenantId = 7 (a number)'],
  ])('put: %s', async (_case, item, found) => {
    const before = violations.length;
    const error = await refusedBeforeSending(() => accounts().put(untyped(item)), IsolationViolationError);
    expect(error.rule).toBe('partition-key-scope');
    expect(error.command).toBe('repo(Account).put');
    expect(error.found.replace('item', 'Item')).toContain(found);
    expect(error.message).toMatch(/leave \w+ out: the repository fills it in/);
    expect(violations.length).toBe(before + 1);
  });

  it.each([
    ['get', (key: unknown) => accounts().get(untyped(key))],
    ['delete', (key: unknown) => accounts().delete(untyped(key))],
    ['update', (key: unknown) => accounts().update(untyped(key), { set: { name: 'x' } })],
    ['batchGet', (key: unknown) => accounts().batchGet([untyped(key)])],
    ['batchWrite', (key: unknown) => accounts().batchWrite({ delete: [untyped(key)] })],
    ['transaction.get', async (key: unknown) => accounts().transaction.get(untyped(key))],
  ])('%s: a key naming another tenant', async (_method, call) => {
    const error = await refusedBeforeSending(() => call({ tenantId: 'globex', id: 'a1', version: 1 }), IsolationViolationError);
    expect(error.rule).toBe('partition-key-scope');
    expect(error.found).toContain('"globex"');
  });

  it('query: a partition naming another capsule', async () => {
    const error = await refusedBeforeSending(() => aws.capsule(ACME, DEV).repo(Contact).query(untyped({ accountId: 'a', capsuleId: 'PROD' })), IsolationViolationError);
    expect(error.found).toBe('partition.capsuleId = "PROD", another capsule than the scope\'s');
  });

  it('ids held in a nested object: another tenant there is refused, a holder that is no object too', async () => {
    const sessions = aws.capsule(ACME, DEV).repo(Session);
    const error = await refusedBeforeSending(() => sessions.put(untyped({ scope: { tenantId: 'globex' }, id: 's', expiresAt: 1 })), IsolationViolationError);
    expect(error.found).toContain('item.scope.tenantId = "globex"');
    await expect(refusedBeforeSending(() => sessions.get(untyped({ scope: 'acme', id: 's' })), TypeError)).resolves.toHaveProperty('message', expect.stringContaining('expected an object holding tenantId'));
  });

  it('a value holding the key delimiter cannot reach into another key space', async () => {
    const error = await refusedBeforeSending(() => accounts().get({ id: 'x#CAPSULE#PROD', version: 1 }), KeyValueError);
    expect(error.message).toContain('key injection');
  });
});

describe('what the caller passes is read once, as plain data', () => {
  it('refuses an item inheriting members (a parsed "__proto__" merged in), rather than guess whose they are', async () => {
    const item = Object.assign(Object.create({ tenantId: 'globex' }) as object, { id: 'inh', version: 1, name: 'Inherited' });
    const error = await refusedBeforeSending(() => aws.capsule(ACME, DEV).repo(Account).put(untyped(item)), TypeError);
    expect(error.message).toContain('the item is an object inheriting members from another object (tenantId)');
  });

  it('a getter or Proxy answering the scope first and another tenant later stores what was checked', async () => {
    let reads = 0;
    const item = { id: 'get', version: 1, name: 'Getter', get tenantId() { reads += 1; return reads === 1 ? 'acme' : 'globex'; } };
    await aws.capsule(ACME, DEV).repo(Account).put(untyped(item));
    expect(reads).toBe(1);
    expect(await storedItem(dynamo.endpoint, 'DEV.crm_data', 'TENANT#acme#CAPSULE#DEV#ACCOUNT#get', 'METADATA#v1')).toMatchObject({ tenantId: 'acme' });

    let answers = 0;
    const proxy = new Proxy({ id: 'prx', version: 1, name: 'Proxy', tenantId: 'acme' }, { get: (target, key, receiver) => (key === 'tenantId' && (answers += 1) > 1 ? 'globex' : Reflect.get(target, key, receiver)) });
    await aws.capsule(ACME, DEV).repo(Account).put(untyped(proxy));
    expect(await storedItem(dynamo.endpoint, 'DEV.crm_data', 'TENANT#acme#CAPSULE#DEV#ACCOUNT#prx', 'METADATA#v1')).toMatchObject({ tenantId: 'acme' });
  });

  it('refuses an item that sets the table key attributes, functions and class instances inside it', async () => {
    const accounts = aws.capsule(ACME, DEV).repo(Account);
    const keyed = await refusedBeforeSending(() => accounts.put(untyped({ id: 'k', version: 1, name: 'n', pk: 'TENANT#globex#CAPSULE#DEV#ACCOUNT#k' })), TypeError);
    expect(keyed.message).toContain('member "pk", the table\'s key attribute');
    const nested = await refusedBeforeSending(() => accounts.put(untyped({ id: 'k', version: 1, name: new Map() })), TypeError);
    expect(nested.message).toContain('(at .name) is an instance of Map');
  });
});

describe('a repository opens in a scope of its entity kind only', () => {
  it.each([
    ['a capsule entity in a tenant scope', () => aws.tenant(ACME).repo(untyped(Account)), 'a capsule scope: aws.capsule(tenant, capsule).repo(Account)'],
    ['a capsule entity in the platform scope', () => aws.platform().repo(untyped(Account)), 'a capsule scope'],
    ['a tenant entity in a capsule scope', () => aws.capsule(ACME, DEV).repo(untyped(Setting)), 'a tenant scope: aws.tenant(tenant).repo(Setting)'],
    ['a platform entity in a tenant scope', () => aws.tenant(ACME).repo(untyped(TenantRecord)), 'a platform scope: aws.platform().repo(TenantRecord)'],
    ['a platform entity in a capsule scope', () => aws.capsule(ACME, DEV).repo(untyped(TenantRecord)), 'a platform scope'],
    ['any entity in an operator scope', () => aws.operator('123456789012').repo(untyped(TenantRecord)), 'no repository in an operator scope'],
  ])('refuses %s', (_case, open, expected) => {
    const before = violations.length;
    let error: unknown;
    try {
      open();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IsolationViolationError);
    expect((error as IsolationViolationError).rule).toBe('repository-scope');
    expect((error as IsolationViolationError).expected).toContain(expected);
    expect(violations.length).toBe(before + 1);
  });

  it('refuses what is no @Entity class, saying how to declare one', () => {
    class Plain {
      id!: string;
    }
    expect(() => aws.capsule(ACME, DEV).repo(untyped(Plain))).toThrow(/repo\(Plain\): Plain has no @Entity declaration; decorate it with @Entity/);
    expect(() => aws.capsule(ACME, DEV).repo(untyped('Account'))).toThrow(/takes an @Entity class; found string/);
  });
});

describe('the keys declaration must repeat the entity declaration', () => {
  it('refuses a declaration whose pk, sk or scope differs from @Entity and the marker', () => {
    class Drifted {
      static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{orderId}', 'LINE#{line}');
      tenantId!: TenantId;
      capsuleId!: CapsuleId;
      id!: string;
    }
    CapsuleIsolated()(Drifted);
    Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{id}', sk: 'ORDER' })(Drifted);
    expect(() => aws.capsule(ACME, DEV).repo(Drifted)).toThrow(
      "repo(Drifted): Drifted.keys declares pk 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{orderId}' where @Entity says 'TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{id}', and sk 'LINE#{line}' where @Entity says 'ORDER'; the typed keys must repeat the entity's declaration: static readonly keys = capsuleKeys(\"TENANT#{tenantId}#CAPSULE#{capsuleId}#ORDER#{id}\", \"ORDER\")",
    );

    class Rescoped {
      static readonly keys = tenantKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#R#{id}', 'R');
      tenantId!: TenantId;
      capsuleId!: CapsuleId;
      id!: string;
    }
    CapsuleIsolated()(Rescoped);
    Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#R#{id}', sk: 'R' })(Rescoped);
    expect(() => aws.capsule(ACME, DEV).repo(untyped(Rescoped))).toThrow("declares its scope 'tenant' (tenantKeys) where the marker says 'capsule'");
  });

  it('refuses a subclass keyed differently that inherits its base declaration', () => {
    class Special extends Account {}
    CapsuleIsolated()(Special);
    Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#SPECIAL#{id}', sk: 'METADATA#v{version}' })(Special);
    expect(() => aws.capsule(ACME, DEV).repo(Special)).toThrow('Special.keys (inherited from a base class) declares pk');
  });
});

describe('queries read their own partition', () => {
  it('refuses a cursor of another partition or tenant, and one that is no cursor', async () => {
    const contacts = aws.capsule(ACME, DEV).repo(Contact);
    for (const id of ['q1', 'q2', 'q3']) await contacts.put({ accountId: 'cur', id, email: `${id}@example.com` });
    const page = await contacts.query({ accountId: 'cur' }, { limit: 1 });
    expect(page.cursor).toBeDefined();
    const elsewhere = await refusedBeforeSending(() => contacts.query({ accountId: 'other' }, { cursor: page.cursor }), TypeError);
    expect(elsewhere.message).toContain('cursor belongs to another partition');
    const forged = Buffer.from(JSON.stringify({ pk: 'TENANT#globex#CAPSULE#DEV#ACCOUNT#cur', sk: 'CONTACT#q1' })).toString('base64url');
    await refusedBeforeSending(() => contacts.query({ accountId: 'cur' }, { cursor: forged }), TypeError);
    const extra = Buffer.from(JSON.stringify({ pk: 'TENANT#acme#CAPSULE#DEV#ACCOUNT#cur', sk: 'CONTACT#q1', gsi1pk: 'TENANT#globex#' })).toString('base64url');
    await refusedBeforeSending(() => contacts.query({ accountId: 'cur' }, { cursor: extra }), TypeError);
    await refusedBeforeSending(() => contacts.query({ accountId: 'cur' }, { cursor: 'not a cursor!' }), TypeError);
  });

  it('refuses conditions it cannot render: two at once, a gap in the fields, an incomplete equals', async () => {
    const contacts = aws.capsule(ACME, DEV).repo(Contact);
    await expect(refusedBeforeSending(() => contacts.query({ accountId: 'a' }, { where: untyped({ gt: { id: 'a' }, lt: { id: 'b' } }) }), TypeError)).resolves.toHaveProperty('message', expect.stringContaining('expected one condition on the sort key'));
    const equals = await refusedBeforeSending(() => contacts.query({ accountId: 'a' }, { where: untyped({ equals: {} }) }), TypeError);
    expect(equals.message).toContain('`equals` needs every field');
    const gap = await refusedBeforeSending(() => aws.capsule(ACME, DEV).repo(Activity).query({ contactId: 'k' }, { where: untyped({ beginsWith: { id: 'x' } }) }), TypeError);
    expect(gap.message).toContain("gives {id} but not {occurredAt} before it in the sk template 'ACTIVITY#{occurredAt}#{id}'");
  });
});

describe('updates keep the key', () => {
  it('refuses changes to a field the keys are built from, to the scope ids, and changes that change nothing', async () => {
    const accounts = aws.capsule(ACME, DEV).repo(Account);
    for (const field of ['id', 'version', 'tenantId', 'pk']) {
      const error = await refusedBeforeSending(() => accounts.update({ id: 'a1', version: 1 }, untyped({ set: { [field]: 'x' } })), TypeError);
      expect(error.message).toContain(`the changes name "${field}"`);
    }
    await refusedBeforeSending(() => accounts.update({ id: 'a1', version: 1 }, {}), TypeError);
    await refusedBeforeSending(() => accounts.update({ id: 'a1', version: 1 }, untyped({ set: { name: 'x' }, remove: ['name'] })), TypeError);
  });
});

describe('transactions', () => {
  it('refuse writes of two scopes, and anything a repository did not make, before sending', async () => {
    const ours = aws.capsule(ACME, DEV).repo(Account).transaction.put({ id: 't', version: 1, name: 'n' });
    const theirs = aws.capsule('globex', DEV).repo(Account).transaction.put({ id: 't', version: 1, name: 'n' });
    const error = await refusedBeforeSending(() => transactWrite([ours, theirs]), IsolationViolationError);
    expect(error.rule).toBe('repository-scope');
    expect(error.found).toBe('writes of capsule acme/DEV and of capsule globex/DEV');
    const forged = { Put: { TableName: 'DEV.crm_data', Item: { pk: 'TENANT#globex#CAPSULE#DEV#X', sk: 'X' } } };
    await expect(refusedBeforeSending(() => transactWrite([ours, untyped(forged)]), TypeError)).resolves.toHaveProperty('message', expect.stringContaining("writes[1] = { Put: an object with TableName, Item }; expected a request made by a repository's transaction.put/delete/update/check"));
  });
});

describe('keys come from the compiled key builder when the build installed one, and the guard judges them', () => {
  it('uses the compiled builder', async () => {
    let calls = 0;
    class Compiled {
      static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#COMPILED#{id}', 'C');
      static readonly [KEY_BUILDER]: CompiledKeyBuilder = (pk) => {
        calls += 1;
        return { pk: `TENANT#${pk('tenantId')}#CAPSULE#${pk('capsuleId')}#COMPILED#${pk('id')}`, sk: 'C' };
      };
      tenantId!: TenantId;
      capsuleId!: CapsuleId;
      id!: string;
    }
    CapsuleIsolated()(Compiled);
    Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#COMPILED#{id}', sk: 'C' })(Compiled);
    const repository = aws.capsule(ACME, DEV).repo(Compiled);
    await repository.put({ id: 'c1' });
    expect(await repository.get({ id: 'c1' })).toEqual({ tenantId: 'acme', capsuleId: 'DEV', id: 'c1' });
    expect(calls).toBe(2);
  });

  it("refuses, in the guard underneath, a key a wrong builder puts in another tenant's space", async () => {
    class Miscompiled {
      static readonly keys = capsuleKeys('TENANT#{tenantId}#CAPSULE#{capsuleId}#BAD#{id}', 'B');
      static readonly [KEY_BUILDER]: CompiledKeyBuilder = (pk) => ({ pk: `TENANT#globex#CAPSULE#DEV#BAD#${pk('id')}`, sk: 'B' });
      tenantId!: TenantId;
      capsuleId!: CapsuleId;
      id!: string;
    }
    CapsuleIsolated()(Miscompiled);
    Entity({ table: TABLE, pk: 'TENANT#{tenantId}#CAPSULE#{capsuleId}#BAD#{id}', sk: 'B' })(Miscompiled);
    const error = await refusedBeforeSending(() => aws.capsule(ACME, DEV).repo(Miscompiled).put({ id: 'b1' }), IsolationViolationError);
    expect(error.rule).toBe('partition-key-scope');
    expect(error.command).toBe('PutItemCommand');
  });
});
