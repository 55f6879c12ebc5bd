/**
 * Typed scoped repositories end to end, against dynalite (in-process DynamoDB) and DynamoDB Local
 * (AWS's own jar, which also runs transactions), through the real AWS SDK and the scope's guarded
 * Document client: typed calls work, the scope's ids are filled in, and what is stored is read back
 * with an unguarded client to see what was really written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory } from '../src/aws/index.js';
import { capsuleId, tenantId } from '../src/ids.js';
import { transactGet, transactWrite } from '../src/repo/transaction.js';
import { DUMMY_CREDENTIALS, startLocalDynamo, TEST_KEYS, type LocalDynamo, type LocalDynamoKind } from './support/dynamo.js';
import { Account, Activity, Contact, createRepoTables, Note, Session, Setting, storedItem, TABLE, TenantRecord } from './support/repo-entities.js';
import { refusalOf } from './support/refusal.js';

const ACME = tenantId('acme');
const DEV = capsuleId('DEV');

describe.each<LocalDynamoKind>(['dynalite', 'dynamodb-local'])('repositories against %s', (kind) => {
  let dynamo: LocalDynamo;
  let aws: ClientFactory;
  const violations: IsolationViolationError[] = [];

  beforeAll(async () => {
    dynamo = await startLocalDynamo(kind);
    await createRepoTables(dynamo.endpoint);
    aws = createClientFactory({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: DUMMY_CREDENTIALS, tables: [TABLE], keys: TEST_KEYS, onViolation: (error) => violations.push(error) });
  }, 120_000);

  afterAll(async () => {
    aws.destroy();
    await dynamo.stop();
  });

  it('put fills the scope ids and builds the keys; get reads the item back in the entity terms', async () => {
    const accounts = aws.capsule(ACME, DEV).repo(Account);
    const written = await accounts.put({ id: 'a1', version: 1, name: 'Initech' });
    expect(written).toEqual({ tenantId: 'acme', capsuleId: 'DEV', id: 'a1', version: 1, name: 'Initech' });
    expect(await storedItem(dynamo.endpoint, 'DEV.crm_data', 'TENANT#acme#CAPSULE#DEV#ACCOUNT#a1', 'METADATA#v1')).toEqual({
      pk: 'TENANT#acme#CAPSULE#DEV#ACCOUNT#a1',
      sk: 'METADATA#v1',
      tenantId: 'acme',
      capsuleId: 'DEV',
      id: 'a1',
      version: 1,
      name: 'Initech',
    });
    const read = await accounts.get({ id: 'a1', version: 1 });
    expect(read).toEqual(written);
    expect(read?.name.toUpperCase()).toBe('INITECH');
    expect(await accounts.get({ id: 'a1', version: 2 })).toBeUndefined();
    // The item is the capsule's: the same key read in another capsule of the tenant finds nothing.
    expect(await aws.capsule(ACME, 'DEVX').repo(Account).get({ id: 'a1', version: 1 })).toBeUndefined();
  });

  it('put accepts an item carrying the scope ids when they are the scope own, and an instance of the class', async () => {
    const accounts = aws.capsule(ACME, DEV).repo(Account);
    await accounts.put({ tenantId: ACME, capsuleId: DEV, id: 'a2', version: 1, name: 'Hooli' });
    const instance = Object.assign(new Account(), { id: 'a3', version: 1, name: 'Pied Piper' });
    expect(await accounts.put(instance)).toEqual({ tenantId: 'acme', capsuleId: 'DEV', id: 'a3', version: 1, name: 'Pied Piper' });
    expect((await accounts.get({ id: 'a3', version: 1 }))?.name).toBe('Pied Piper');
    await expect(accounts.put({ id: 'a2', version: 1, name: 'again' }, { ifNotExists: true })).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('update sets and removes fields of an existing item, and writes nothing for a missing one; delete returns the old item', async () => {
    const accounts = aws.capsule(ACME, DEV).repo(Account);
    await accounts.put({ id: 'u1', version: 1, name: 'Before', industry: 'paper' });
    expect(await accounts.update({ id: 'u1', version: 1 }, { set: { name: 'After' }, remove: ['industry'] })).toEqual({ tenantId: 'acme', capsuleId: 'DEV', id: 'u1', version: 1, name: 'After' });
    expect(await accounts.update({ id: 'missing', version: 1 }, { set: { name: 'Ghost' } })).toBeUndefined();
    expect(await storedItem(dynamo.endpoint, 'DEV.crm_data', 'TENANT#acme#CAPSULE#DEV#ACCOUNT#missing', 'METADATA#v1')).toBeUndefined();
    expect(await accounts.delete({ id: 'u1', version: 1 })).toMatchObject({ id: 'u1', name: 'After' });
    expect(await accounts.delete({ id: 'u1', version: 1 })).toBeUndefined();
  });

  it("query reads one partition: by default only the entity's own items, though the partition holds others", async () => {
    const dev = aws.capsule(ACME, DEV);
    await dev.repo(Account).put({ id: 'shared', version: 1, name: 'Shared partition' });
    const contacts = dev.repo(Contact);
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) await contacts.put({ accountId: 'shared', id, email: `${id}@example.com` });
    const all = await contacts.query({ accountId: 'shared' });
    expect(all.items.map((contact) => contact.id)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(all.items[0]).toEqual({ tenantId: 'acme', capsuleId: 'DEV', accountId: 'shared', id: 'c1', email: 'c1@example.com' });
    expect(all.cursor).toBeUndefined();
    // The account (sk METADATA#v1) sorts after every CONTACT#…: an open range would reach it, and is kept to contacts.
    const after = await contacts.query({ accountId: 'shared' }, { where: { gt: { id: 'c3' } } });
    expect(after.items.map((contact) => contact.id)).toEqual(['c4', 'c5']);
    const between = await contacts.query({ accountId: 'shared' }, { where: { between: [{ id: 'c2' }, { id: 'c4' }] } });
    expect(between.items.map((contact) => contact.id)).toEqual(['c2', 'c3', 'c4']);
    const exact = await contacts.query({ accountId: 'shared' }, { where: { equals: { id: 'c5' } } });
    expect(exact.items.map((contact) => contact.id)).toEqual(['c5']);
  });

  it('query pages with a cursor, in either order', async () => {
    const contacts = aws.capsule(ACME, DEV).repo(Contact);
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) await contacts.put({ accountId: 'paged', id, email: `${id}@example.com` });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await contacts.query({ accountId: 'paged' }, { limit: 2, cursor, order: 'descending' });
      seen.push(...page.items.map((contact) => contact.id));
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined);
    expect(seen).toEqual(['p5', 'p4', 'p3', 'p2', 'p1']);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('sort-key conditions follow the template: a leading value may be the start of one, bounds span fields', async () => {
    const activities = aws.capsule(ACME, DEV).repo(Activity);
    const days = ['2026-01-05', '2026-01-20', '2026-02-01', '2026-02-14'];
    for (const [index, occurredAt] of days.entries()) await activities.put({ contactId: 'k1', occurredAt, id: `x${index}`, kind: 'call' });
    const january = await activities.query({ contactId: 'k1' }, { where: { beginsWith: { occurredAt: '2026-01' } } });
    expect(january.items.map((activity) => activity.occurredAt)).toEqual(['2026-01-05', '2026-01-20']);
    const fromLateJanuary = await activities.query({ contactId: 'k1' }, { where: { gte: { occurredAt: '2026-01-20' } } });
    expect(fromLateJanuary.items.map((activity) => activity.id)).toEqual(['x1', 'x2', 'x3']);
    const one = await activities.query({ contactId: 'k1' }, { where: { equals: { occurredAt: '2026-02-01', id: 'x2' } } });
    expect(one.items).toEqual([{ tenantId: 'acme', capsuleId: 'DEV', contactId: 'k1', occurredAt: '2026-02-01', id: 'x2', kind: 'call' }]);
  });

  it('batchGet returns items in key order; batchWrite puts and deletes more than one DynamoDB batch holds', async () => {
    const contacts = aws.capsule(ACME, DEV).repo(Contact);
    const many = Array.from({ length: 30 }, (_, index) => ({ accountId: 'bulk', id: `b${String(index).padStart(2, '0')}`, email: `b${index}@example.com` }));
    await contacts.batchWrite({ put: many });
    const found = await contacts.batchGet([{ accountId: 'bulk', id: 'b29' }, { accountId: 'bulk', id: 'nobody' }, { accountId: 'bulk', id: 'b00' }, { accountId: 'bulk', id: 'b29' }]);
    expect(found.map((contact) => contact?.id)).toEqual(['b29', undefined, 'b00', 'b29']);
    expect(found[0]).toEqual({ tenantId: 'acme', capsuleId: 'DEV', accountId: 'bulk', id: 'b29', email: 'b29@example.com' });
    await contacts.batchWrite({ delete: many.slice(0, 27).map(({ accountId, id }) => ({ accountId, id })) });
    const left = await contacts.query({ accountId: 'bulk' });
    expect(left.items.map((contact) => contact.id)).toEqual(['b27', 'b28', 'b29']);
  });

  it('a tenant scope keeps tenant entities, the platform scope platform entities, nested scope ids are filled in their holder', async () => {
    const settings = aws.tenant(ACME).repo(Setting);
    await settings.put({ name: 'locale', value: 'en-GB' });
    expect(await storedItem(dynamo.endpoint, 'crm_data', 'TENANT#acme#SETTING#locale', 'VALUE')).toMatchObject({ tenantId: 'acme', value: 'en-GB' });
    expect(await aws.tenant('globex').repo(Setting).get({ name: 'locale' })).toBeUndefined();

    const tenants = aws.platform().repo(TenantRecord);
    await tenants.put({ id: tenantId('globex'), displayName: 'Globex' });
    expect(await tenants.get({ id: tenantId('globex') })).toEqual({ id: 'globex', displayName: 'Globex' });

    const sessions = aws.capsule(ACME, DEV).repo(Session);
    expect(await sessions.put({ id: 's1', expiresAt: 1 })).toEqual({ scope: { tenantId: 'acme', capsuleId: 'DEV' }, id: 's1', expiresAt: 1 });
    expect(await storedItem(dynamo.endpoint, 'DEV.crm_data', 'TENANT#acme#CAPSULE#DEV#SESSION#s1', 'SESSION')).toMatchObject({ scope: { tenantId: 'acme', capsuleId: 'DEV' } });
    expect((await sessions.get({ id: 's1' }))?.expiresAt).toBe(1);
  });

  it('an entity without a keys declaration gets the same repository, its keys checked at run time only', async () => {
    const notes = aws.capsule(ACME, DEV).repo(Note);
    await notes.put({ id: 'n1', text: 'hello' });
    expect(await notes.get({ id: 'n1' })).toEqual({ tenantId: 'acme', capsuleId: 'DEV', id: 'n1', text: 'hello' });
    await expect(notes.get({ text: 'no id' })).rejects.toThrow(/no value for 'id'/);
  });

  it('refuses, before sending, a put whose ids disagree with the scope', async () => {
    const before = violations.length;
    const error = await refusalOf(aws.capsule(ACME, DEV).repo(Account).put({ tenantId: tenantId('globex'), id: 'a9', version: 1, name: 'Elsewhere' }), IsolationViolationError);
    expect(error.rule).toBe('partition-key-scope');
    expect(violations.length).toBe(before + 1);
    expect(await storedItem(dynamo.endpoint, 'DEV.crm_data', 'TENANT#globex#CAPSULE#DEV#ACCOUNT#a9', 'METADATA#v1')).toBeUndefined();
  });

  if (kind === 'dynamodb-local') {
    it('transactions write and read across the repositories of one scope', async () => {
      const dev = aws.capsule(ACME, DEV);
      const accounts = dev.repo(Account);
      const contacts = dev.repo(Contact);
      await transactWrite([accounts.transaction.put({ id: 't1', version: 1, name: 'Tx' }), contacts.transaction.put({ accountId: 't1', id: 'tc1', email: 'tc1@example.com' })]);
      const [account, contact, missing] = await transactGet([accounts.transaction.get({ id: 't1', version: 1 }), contacts.transaction.get({ accountId: 't1', id: 'tc1' }), contacts.transaction.get({ accountId: 't1', id: 'none' })]);
      expect(account).toEqual({ tenantId: 'acme', capsuleId: 'DEV', id: 't1', version: 1, name: 'Tx' });
      expect(contact?.email).toBe('tc1@example.com');
      expect(missing).toBeUndefined();

      // A failed condition cancels every write of the transaction.
      const cancelled = transactWrite([contacts.transaction.delete({ accountId: 't1', id: 'tc1' }), accounts.transaction.check({ id: 'nobody', version: 1 })]);
      await expect(cancelled).rejects.toMatchObject({ name: 'TransactionCanceledException' });
      expect(await contacts.get({ accountId: 't1', id: 'tc1' })).toBeDefined();

      await transactWrite([accounts.transaction.update({ id: 't1', version: 1 }, { set: { name: 'Tx2' } }), contacts.transaction.delete({ accountId: 't1', id: 'tc1' })]);
      expect((await accounts.get({ id: 't1', version: 1 }))?.name).toBe('Tx2');
      expect(await contacts.get({ accountId: 't1', id: 'tc1' })).toBeUndefined();
    });
  }
});
