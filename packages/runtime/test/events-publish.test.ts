/**
 * What scope.publish sends, observed where it lands: the local EventBridge endpoint (AWS JSON 1.1
 * PutEvents). An event is validated and sent as one plain-data snapshot, and every scope field it
 * carries names the publisher's own ids, whatever the event's scope.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, type ClientFactory } from '../src/aws/index.js';
import { DomainEvent } from '../src/decorators.js';
import { EventViolationError, validateEvent, type EventRule } from '../src/events/index.js';
import type { CapsuleId, TenantId } from '../src/ids.js';
import { startEventBridgeServer, type EventBridgeServer } from '../src/testing/eventbridge-server.js';
import { AccountCreated, PlanPriceChanged } from './support/events.js';

class TenantRenamed {
  constructor(
    readonly tenantId: string,
    readonly name: string,
  ) {}
}
DomainEvent({ type: 'TenantRenamed', scope: 'tenant' })(TenantRenamed);

/** Validation reads `this`; JSON.stringify would send what toJSON returns. */
class AccountExported {
  constructor(
    readonly tenantId: string,
    readonly capsuleId: string,
  ) {}
  toJSON(): object {
    return { ...this, tenantId: 'globex' };
  }
}
DomainEvent({ type: 'AccountExported' })(AccountExported);

/** The tenant id lives on the prototype: `in` finds it, JSON.stringify does not. */
class TenantEventBase {
  get tenantId(): string {
    return 'acme';
  }
}
class TenantArchived extends TenantEventBase {
  constructor(readonly reason: string) {
    super();
  }
}
DomainEvent({ type: 'TenantArchived', scope: 'tenant' })(TenantArchived);

class ContactMerged {
  tenantId = 'acme';
  capsuleId = 'DEV';
  constructor(readonly contact: object) {}
}
DomainEvent({ type: 'ContactMerged' })(ContactMerged);

/** Ids one level down, where `event-scope-fields` finds them at build time. */
class DealWon {
  constructor(
    readonly owner: { tenantId: string; capsuleId: string },
    readonly at: Date,
  ) {}
}
DomainEvent({ type: 'DealWon' })(DealWon);

const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('scope.publish sends the snapshot it validated, and only the publisher’s ids', () => {
  let server: EventBridgeServer;
  let aws: ClientFactory;
  beforeAll(async () => {
    server = await startEventBridgeServer();
    aws = createClientFactory({ region: 'us-east-1', endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, clientConfig: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    aws.destroy();
    await server.close();
  });
  beforeEach(() => server.reset());

  const acmeDev = (): ReturnType<ClientFactory['capsule']> => aws.capsule('acme', 'DEV');

  async function refused(publishing: Promise<unknown>, rule: EventRule): Promise<EventViolationError> {
    const error = await publishing.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(EventViolationError);
    expect((error as EventViolationError).rule).toBe(rule);
    return error as EventViolationError;
  }

  const sentDetails = (): unknown[] => server.entries.map((entry) => JSON.parse(entry.Detail ?? 'null') as unknown);

  it('refuses a platform event carrying another tenant’s id (tenantId "globex" from acme/DEV)', async () => {
    const event = Object.assign(new PlanPriceChanged('pro'), { tenantId: 'globex' });
    const error = await refused(acmeDev().publish(event), 'event-scope-mismatch');
    expect(error.found).toBe('tenantId = "globex"');
    expect(error.expected).toContain('tenantId = "acme", the publishing scope\'s tenant id');
    expect(server.requests).toEqual([]);
  });

  it('refuses a platform event with any tenant id from the platform scope, which has none', async () => {
    const error = await refused(aws.platform().publish(Object.assign(new PlanPriceChanged('pro'), { tenant_id: 'acme' })), 'event-scope-mismatch');
    expect(error.expected).toMatch(/^no tenant id: platform has none, and an event carries only its publisher's ids; declare the event tenant-scoped and publish it from aws\.tenant\(tenantId\)/);
    expect(server.requests).toEqual([]);
  });

  it('refuses a tenant event carrying another capsule’s id (capsuleId "PROD" from DEV), and any capsule id from a tenant scope', async () => {
    const fromDev = await refused(acmeDev().publish(Object.assign(new TenantRenamed('acme', 'Acme'), { capsuleId: 'PROD' })), 'event-scope-mismatch');
    expect([fromDev.found, fromDev.expected]).toEqual(['capsuleId = "PROD"', 'capsuleId = "DEV", the publishing scope\'s capsule id; publish the event from its own capsule\'s scope']);
    const fromTenant = await refused(aws.tenant('acme').publish(Object.assign(new TenantRenamed('acme', 'Acme'), { capsule_id: 'DEV' })), 'event-scope-mismatch');
    expect(fromTenant.expected).toContain('tenant acme has none');
    expect(server.requests).toEqual([]);
  });

  it('refuses another tenant’s id nested anywhere in the event', async () => {
    const error = await refused(acmeDev().publish(new ContactMerged({ from: { tenantId: 'acme' }, into: [{ tenantId: 'globex' }] })), 'event-scope-mismatch');
    expect(error.found).toBe('contact.into[0].tenantId = "globex"');
    expect(server.requests).toEqual([]);
  });

  it('sends events that carry only the publisher’s own ids, whatever their scope', async () => {
    await acmeDev().publish(Object.assign(new PlanPriceChanged('pro'), { tenantId: 'acme' }));
    await acmeDev().publish(Object.assign(new TenantRenamed('acme', 'Acme'), { capsuleId: 'DEV' }));
    await aws.platform().publish(new PlanPriceChanged('team'));
    expect(server.entries.map((entry) => [entry.DetailType, entry.Detail])).toEqual([
      ['PlanPriceChanged', '{"plan":"pro","tenantId":"acme"}'],
      ['TenantRenamed', '{"tenantId":"acme","name":"Acme","capsuleId":"DEV"}'],
      ['PlanPriceChanged', '{"plan":"team"}'],
    ]);
  });

  it('refuses an instance whose toJSON would publish other ids after validation', async () => {
    const error = await refused(acmeDev().publish(new AccountExported('acme', 'DEV')), 'event-not-plain-data');
    expect(error.found).toBe('a toJSON method, whose result JSON.stringify would send instead of the validated fields as the event itself');
    expect(server.requests).toEqual([]);
  });

  it('refuses a getter that answers validation with one id and JSON.stringify with another', async () => {
    // 'acme' while validation looks (twice, before the fix), 'globex' once JSON.stringify reads it.
    let reads = 0;
    const event = new AccountCreated('acme', 'DEV', 'a1');
    Object.defineProperty(event, 'tenantId', { enumerable: true, get: () => (reads++ < 2 ? 'acme' : 'globex') });
    const error = await refused(acmeDev().publish(event), 'event-not-plain-data');
    expect(error.found).toBe('an accessor (getter or setter) at tenantId');
    expect(server.requests).toEqual([]);
  });

  it('refuses a Proxy, which could show validation and serialisation different fields', async () => {
    let reads = 0;
    const event = new Proxy(new AccountCreated('acme', 'DEV', 'a1'), {
      get: (target, key, receiver) => (key === 'tenantId' && reads++ >= 2 ? 'globex' : (Reflect.get(target, key, receiver) as unknown)),
    });
    await refused(acmeDev().publish(event), 'event-not-plain-data');
    await refused(acmeDev().publish(new ContactMerged(new Proxy({}, {}))), 'event-not-plain-data');
    const viaPrototype = Object.assign(Object.create(new Proxy(AccountCreated.prototype, {})) as object, { tenantId: 'acme', capsuleId: 'DEV', accountId: 'a1' });
    await refused(acmeDev().publish(viaPrototype), 'event-not-plain-data');
    expect(server.requests).toEqual([]);
  });

  it('refuses an inherited or non-enumerable tenant id, which validation would see and Detail would leave out', async () => {
    const inherited = await refused(aws.tenant('acme').publish(new TenantArchived('closed')), 'event-scope-fields');
    expect(inherited.found).toBe('no tenant id field (tenantId or tenant_id); tenantId is inherited or non-enumerable (a prototype getter, a defineProperty), which JSON.stringify leaves out of the sent detail');
    const hidden = new TenantRenamed('acme', 'Acme');
    Object.defineProperty(hidden, 'tenantId', { enumerable: false });
    await refused(aws.tenant('acme').publish(hidden), 'event-scope-fields');
    expect(server.requests).toEqual([]);
  });

  it('refuses a plain object that claims a registered class through an own constructor property', async () => {
    const forged = { constructor: AccountCreated, tenantId: 'acme', capsuleId: 'DEV', accountId: 'a1' };
    await refused(acmeDev().publish(forged), 'event-unregistered');
    expect(server.requests).toEqual([]);
  });

  it('refuses functions, symbols, bigints and cycles, naming where they are', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: [object, string][] = [
      [{ callback: () => 'x' }, 'a function (callback) at contact.callback'],
      [{ tag: Symbol('t') }, 'a symbol at contact.tag'],
      [{ big: 1n }, 'a bigint (1n), which JSON cannot hold at contact.big'],
      [cyclic, 'a circular reference at contact.self'],
    ];
    for (const [contact, found] of cases) expect((await refused(acmeDev().publish(new ContactMerged(contact)), 'event-not-plain-data')).found).toBe(found);
    expect(server.requests).toEqual([]);
  });

  it('sends exactly the validated snapshot: ids one level nested, Dates as ISO text, undefined left out', async () => {
    const event = new DealWon({ tenantId: 'acme', capsuleId: 'DEV' }, new Date(Date.UTC(2026, 0, 2)));
    expect(validateEvent({ kind: 'capsule', tenantId: 'acme' as TenantId, capsuleId: 'DEV' as CapsuleId }, event)).toEqual({ type: 'DealWon', scope: 'capsule' });
    await acmeDev().publish(Object.assign(event, { note: undefined }));
    expect(sentDetails()).toEqual([{ owner: { tenantId: 'acme', capsuleId: 'DEV' }, at: '2026-01-02T00:00:00.000Z' }]);
    await refused(aws.capsule('acme', 'PROD').publish(event), 'event-scope-mismatch');
    expect(server.entries).toHaveLength(1);
  });

  it('the local endpoint refuses entries EventBridge would refuse, so a test sees a publisher sending them', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    try {
      const output = await client.send(new PutEventsCommand({ Entries: [{ Source: 'crm', DetailType: 'A', Detail: '[1]' }, { Source: 'crm', Detail: '{}' }, { Source: 'crm', DetailType: 'A', Detail: '{"tenantId":"acme"}' }] }));
      expect(output.FailedEntryCount).toBe(2);
      expect(output.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual(['MalformedDetail', 'InvalidArgument', 'ok']);
      expect(server.entries).toHaveLength(3);
    } finally {
      client.destroy();
    }
  });
});
