/**
 * A tenant or capsule scope's EventBridge client (the one `scope.publish` uses) against the local
 * EventBridge endpoint speaking the AWS JSON 1.1 protocol: it sends PutEvents and nothing else, and
 * each entry must be one `scope.publish` would send from the scope — a registered `@DomainEvent`
 * type, a detail carrying only the scope's ids at any depth, on one of the scope's buses —
 * whoever builds the entries, `publish` or code holding the client.
 */
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand, CreateEventBusCommand, PutPermissionCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, IsolationViolationError, type ClientFactory, type GuardRule, type Scope } from '../src/aws/index.js';
import { EventBusNameError } from '../src/aws/event-buses.js';
import { DomainEvent } from '../src/decorators.js';
import { startEventBridgeServer, type EventBridgeServer } from '../src/testing/eventbridge-server.js';
import { DUMMY_CREDENTIALS } from './support/dynamo.js';
import { AccountCreated } from './support/events.js';
import { refusalOf } from './support/refusal.js';

class TenantNoteAdded {
  constructor(
    readonly tenantId: string,
    readonly note: string,
  ) {}
}
DomainEvent({ type: 'TenantNoteAdded', scope: 'tenant' })(TenantNoteAdded);

let bus: EventBridgeServer;
let aws: ClientFactory;
/** Buses of their own per scope: `tenants/<t>/capsules/<c>/<logical>`, `tenants/<t>/<logical>`, the platform's as declared. */
let ownBuses: ClientFactory;
const violations: IsolationViolationError[] = [];

beforeAll(async () => {
  bus = await startEventBridgeServer();
  const common = { region: 'us-east-1', endpoint: bus.endpoint, credentials: DUMMY_CREDENTIALS, clientConfig: { maxAttempts: 1 }, onViolation: (error: IsolationViolationError) => violations.push(error) };
  aws = createClientFactory(common);
  ownBuses = createClientFactory({
    ...common,
    eventBuses: ['default', 'orders'],
    eventBusNaming: (logical, scope) => (scope.kind === 'capsule' ? `tenants/${scope.tenantId}/capsules/${scope.capsuleId}/${logical}` : scope.kind === 'tenant' ? `tenants/${scope.tenantId}/${logical}` : logical),
  });
});
beforeEach(() => {
  bus.reset();
  violations.length = 0;
});
afterAll(async () => {
  aws?.destroy();
  ownBuses?.destroy();
  await bus?.close();
});

const entry = (detail: object, type = 'AccountCreated', extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({ Source: 'crm', DetailType: type, Detail: JSON.stringify(detail), ...extra });
const own = { tenantId: 'acme', capsuleId: 'DEV', accountId: 'a1' };

/** A refusal, and proof that nothing reached the endpoint. */
async function refusal(promise: Promise<unknown>): Promise<IsolationViolationError> {
  const error = await refusalOf(promise, IsolationViolationError);
  expect(bus.requests, 'a refused request must send nothing').toEqual([]);
  return error;
}

describe("a capsule scope's EventBridge client", () => {
  it("sends the scope's own registered events, and platform events that name no tenant", async () => {
    const client = aws.capsule('acme', 'DEV').client(EventBridgeClient);
    await client.send(new PutEventsCommand({ Entries: [entry(own), entry({ plan: 'pro' }, 'PlanPriceChanged')] }));
    expect(bus.entries.map((sent) => sent.DetailType)).toEqual(['AccountCreated', 'PlanPriceChanged']);
  });

  it.each([
    ['another tenant', { tenantId: 'globex', capsuleId: 'DEV', accountId: 'a' }, 'tenantId = "globex" [event-scope-mismatch]'],
    ['another capsule of the tenant', { tenantId: 'acme', capsuleId: 'PROD', accountId: 'a' }, 'capsuleId = "PROD" [event-scope-mismatch]'],
    ['a capsule whose code extends ours', { tenantId: 'acme', capsuleId: 'DEVX', accountId: 'a' }, 'capsuleId = "DEVX" [event-scope-mismatch]'],
    ['another tenant, by its snake_case field', { tenant_id: 'globex', capsuleId: 'DEV', accountId: 'a' }, 'tenant_id = "globex" [event-scope-mismatch]'],
    ['a non-string tenant id', { tenantId: ['acme'], capsuleId: 'DEV', accountId: 'a' }, 'tenantId = ["acme"] [event-scope-fields]'],
    ['another tenant, nested deep', { ...own, audit: { trail: [{ by: { owner: { tenantId: 'globex' } } }] } }, 'audit.trail[0].by.owner.tenantId = "globex" [event-scope-mismatch]'],
    ['another capsule, nested deep under an odd key', { ...own, 'x-meta': [[{ capsule_id: 'PROD' }]] }, '["x-meta"][0][0].capsule_id = "PROD" [event-scope-mismatch]'],
  ])('refuses an entry that speaks for %s, and sends none of the batch', async (_what, detail, found) => {
    const client = aws.capsule('acme', 'DEV').client(EventBridgeClient);
    const error = await refusal(client.send(new PutEventsCommand({ Entries: [entry(own), entry(detail)] })));
    expect(error).toMatchObject({ rule: 'event-scope', command: 'PutEventsCommand', found: `Entries[1] ("AccountCreated"): ${found}` });
    expect(violations).toEqual([error]);
  });

  it.each([
    ['an event type no @DomainEvent declares', entry(own, 'AccountDeleted'), 'event-scope', 'DetailType "AccountDeleted", which no @DomainEvent class of this process declares [event-unregistered]'],
    ['a capsule event type whose detail lacks the capsule id', entry({ tenantId: 'acme', accountId: 'a' }), 'event-scope', 'no capsule id field (capsuleId or capsule_id) [event-scope-fields]'],
    ['a platform event type whose detail names another tenant', entry({ plan: 'pro', tenantId: 'globex' }, 'PlanPriceChanged'), 'event-scope', 'tenantId = "globex" [event-scope-mismatch]'],
    ['a Detail with a duplicate key (parsers disagree on which wins)', { Source: 'crm', DetailType: 'AccountCreated', Detail: '{"tenantId":"globex","capsuleId":"DEV","accountId":"a","tenantId":"acme"}' }, 'unverifiable-request', 'which is not written as JSON.stringify writes it'],
    ['a Detail with spacing JSON.stringify would not write', { Source: 'crm', DetailType: 'AccountCreated', Detail: '{ "tenantId": "acme", "capsuleId": "DEV" }' }, 'unverifiable-request', 'which is not written as JSON.stringify writes it'],
    ['a Detail that is not a JSON object', { Source: 'crm', DetailType: 'AccountCreated', Detail: '[1]' }, 'unverifiable-request', 'which is not a JSON object'],
    ['an entry without a DetailType', { Source: 'crm', Detail: JSON.stringify(own) }, 'unverifiable-request', '.DetailType is missing'],
  ] as const)('refuses %s', async (_what, sent, rule, found) => {
    const client = aws.capsule('acme', 'DEV').client(EventBridgeClient);
    const error = await refusal(client.send(new PutEventsCommand({ Entries: [sent as PutEventsRequestEntry] })));
    expect(error.rule).toBe(rule);
    expect(error.found).toContain(found);
  });

  it('holds a type declared with two scopes to the stricter declaration', async () => {
    class PlanNote {
      constructor(readonly plan: string) {}
    }
    DomainEvent({ type: 'PlanNote', scope: 'platform' })(PlanNote);
    class TenantPlanNote {
      constructor(readonly tenantId: string) {}
    }
    DomainEvent({ type: 'PlanNote', scope: 'tenant' })(TenantPlanNote);
    const client = aws.capsule('acme', 'DEV').client(EventBridgeClient);
    const error = await refusal(client.send(new PutEventsCommand({ Entries: [entry({ plan: 'pro' }, 'PlanNote')] })));
    expect(error.found).toContain('no tenant id field');
    await client.send(new PutEventsCommand({ Entries: [entry({ plan: 'pro', tenantId: 'acme' }, 'PlanNote')] }));
    expect(bus.entries).toHaveLength(1);
  });

  it.each([
    ['PutRule', () => new PutRuleCommand({ Name: 'all-events', EventPattern: '{"source":["crm"]}' })],
    ['PutTargets', () => new PutTargetsCommand({ Rule: 'all-events', Targets: [{ Id: '1', Arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] })],
    ['CreateEventBus', () => new CreateEventBusCommand({ Name: 'tenants/acme/capsules/DEV/mine' })],
    ['PutPermission', () => new PutPermissionCommand({ Policy: '{}' })],
  ] as const)('runs no other EventBridge operation: %s (rules, targets, buses belong to platform code)', async (_name, make) => {
    const client = aws.tenant('acme').client(EventBridgeClient);
    const error = await refusal(client.send(make() as never));
    expect(error.rule).toBe('unbounded-operation');
  });

  it('a tenant scope publishes tenant events and capsule-free details, not a capsule event or another tenant’s', async () => {
    const client = aws.tenant('acme').client(EventBridgeClient);
    await client.send(new PutEventsCommand({ Entries: [entry({ tenantId: 'acme', note: 'n' }, 'TenantNoteAdded')] }));
    expect(bus.entries).toHaveLength(1);
    bus.reset();
    expect((await refusal(client.send(new PutEventsCommand({ Entries: [entry(own)] })))).found).toContain('[event-scope-publisher]');
    expect((await refusal(client.send(new PutEventsCommand({ Entries: [entry({ tenantId: 'acme', capsuleId: 'PROD', note: 'n' }, 'TenantNoteAdded')] })))).found).toContain('capsuleId = "PROD" [event-scope-mismatch]');
    expect((await refusal(client.send(new PutEventsCommand({ Entries: [entry({ tenantId: 'globex', note: 'n' }, 'TenantNoteAdded')] })))).found).toContain('tenantId = "globex"');
  });
});

describe('event buses: scope.eventBus() and the guard', () => {
  interface Target {
    readonly name: string;
    readonly scope: () => Scope;
  }
  const TARGETS: readonly Target[] = [
    { name: 'another capsule of the same tenant (acme/PROD)', scope: () => ownBuses.capsule('acme', 'PROD') },
    { name: 'a capsule whose code extends ours (acme/DEVX)', scope: () => ownBuses.capsule('acme', 'DEVX') },
    { name: 'another tenant (globex/DEV)', scope: () => ownBuses.capsule('globex', 'DEV') },
    { name: "the platform's bus", scope: () => ownBuses.platform() },
  ];

  it('names buses: by default the logical name, shared; with a naming function, the scope’s own', () => {
    expect(aws.capsule('acme', 'DEV').eventBus('orders')).toBe('orders');
    expect(aws.capsule('acme', 'DEV').eventBus('default')).toBe('default');
    expect(ownBuses.capsule('acme', 'DEV').eventBus('orders')).toBe('tenants/acme/capsules/DEV/orders');
    expect(ownBuses.platform().eventBus('orders')).toBe('orders');
    expect(() => ownBuses.capsule('acme', 'DEV').eventBus('audit')).toThrow(/event bus "audit" is not one of the factory's eventBuses \('default', 'orders'\)/);
    expect(() => createClientFactory({ region: 'us-east-1', eventBuses: ['bad name'] })).toThrow(EventBusNameError);
    expect(ownBuses.capsule('acme', 'DEV').describe().eventBuses).toEqual({ orders: 'tenants/acme/capsules/DEV/orders' });
  });

  it.each(TARGETS)('an entry on the bus of $name is refused, nothing sent', async (target) => {
    const client = ownBuses.capsule('acme', 'DEV').client(EventBridgeClient);
    const error = await refusal(client.send(new PutEventsCommand({ Entries: [entry(own, 'AccountCreated', { EventBusName: target.scope().eventBus('orders') })] })));
    expect(error.rule).toBe('event-bus-scope' satisfies GuardRule);
    expect(error.expected).toContain('"tenants/acme/capsules/DEV/orders"');
  });

  it('an entry without a bus name goes to the account’s default bus: refused where the scope’s default bus is its own', async () => {
    const client = ownBuses.capsule('acme', 'DEV').client(EventBridgeClient);
    const error = await refusal(client.send(new PutEventsCommand({ Entries: [entry(own)] })));
    expect(error).toMatchObject({ rule: 'event-bus-scope', found: "Entries[0].EventBusName is missing (the account's default bus)" });
    await client.send(new PutEventsCommand({ Entries: [entry(own, 'AccountCreated', { EventBusName: 'tenants/acme/capsules/DEV/default' })] }));
    expect(bus.entries.map((sent) => sent.EventBusName)).toEqual(['tenants/acme/capsules/DEV/default']);
  });

  it('publish() sends to the scope’s bus for a logical name, and to the scope’s default bus without one', async () => {
    const dev = ownBuses.capsule('acme', 'DEV');
    await dev.publish(new AccountCreated('acme', 'DEV', 'a1'), { eventBusName: 'orders' });
    await dev.publish(new AccountCreated('acme', 'DEV', 'a2'));
    await aws.capsule('acme', 'DEV').publish(new AccountCreated('acme', 'DEV', 'a3'));
    expect(bus.entries.map((sent) => sent.EventBusName)).toEqual(['tenants/acme/capsules/DEV/orders', 'tenants/acme/capsules/DEV/default', undefined]);
    await expect(dev.publish(new AccountCreated('acme', 'DEV', 'a4'), { eventBusName: 'audit' })).rejects.toThrow(EventBusNameError);
  });

  it('without declared buses, the default bus and the buses the scope has named are its own', async () => {
    const client = aws.capsule('acme', 'DEV').client(EventBridgeClient);
    expect((await refusal(client.send(new PutEventsCommand({ Entries: [entry(own, 'AccountCreated', { EventBusName: 'crm-events' })] })))).rule).toBe('event-bus-scope');
    aws.capsule('acme', 'DEV').eventBus('crm-events');
    await client.send(new PutEventsCommand({ Entries: [entry(own, 'AccountCreated', { EventBusName: 'crm-events' }), entry(own)] }));
    expect(bus.entries.map((sent) => sent.EventBusName)).toEqual(['crm-events', undefined]);
  });
});

describe('entries changed after the guard judged them', () => {
  type Next = (args: { input: Record<string, unknown>; request: Record<string, unknown> }) => Promise<unknown>;
  type Stack = { add(middleware: (next: Next) => Next, options: object): void; remove(name: string): boolean };

  it.each([
    ['the detail rewritten to another tenant', (body: string): string => body.replace('\\"tenantId\\":\\"acme\\"', '\\"tenantId\\":\\"globex\\"'), 'event-scope'],
    ['the bus rewritten to another capsule’s', (body: string): string => body.replace('tenants/acme/capsules/DEV/orders', 'tenants/acme/capsules/PROD/orders'), 'event-bus-scope'],
    ['the DetailType rewritten to an unregistered type', (body: string): string => body.replace('"DetailType":"AccountCreated"', '"DetailType":"AccountPurged"'), 'event-scope'],
  ] as const)('%s (build-step middleware): judged again at the gate, refused, nothing sent', async (_name, tamper, rule) => {
    const client = ownBuses.capsule('acme', 'DEV').client(EventBridgeClient);
    const stack = client.middlewareStack as unknown as Stack;
    stack.add((next) => (args) => {
      const body = tamper(new TextDecoder().decode(args.request['body'] as Uint8Array));
      // A careful attacker keeps the declared length right, so the gate reads the body and judges it.
      args.request['body'] = body;
      (args.request['headers'] as Record<string, string>)['content-length'] = String(Buffer.byteLength(body));
      return next(args);
    }, { step: 'build', name: 'tamper' });
    try {
      const error = await refusal(client.send(new PutEventsCommand({ Entries: [entry(own, 'AccountCreated', { EventBusName: 'tenants/acme/capsules/DEV/orders' })] })));
      expect(error.rule).toBe(rule);
    } finally {
      stack.remove('tamper');
    }
  });

  it('a getter or Proxy entry is read once; an inherited EventBusName is refused', async () => {
    const client = ownBuses.capsule('acme', 'DEV').client(EventBridgeClient);
    let reads = 0;
    const getter = {
      ...entry(own, 'AccountCreated', { EventBusName: 'tenants/acme/capsules/DEV/orders' }),
      get Detail(): string {
        reads += 1;
        return JSON.stringify(reads === 1 ? own : { ...own, tenantId: 'globex' });
      },
    };
    const proxy = new Proxy(entry(own, 'AccountCreated', { EventBusName: 'tenants/acme/capsules/DEV/orders' }) as Record<string, unknown>, {
      get: (target, key: string) => (key === 'EventBusName' && (reads += 1) > 2 ? 'tenants/globex/capsules/DEV/orders' : target[key]),
    });
    await client.send(new PutEventsCommand({ Entries: [getter as PutEventsRequestEntry, proxy as PutEventsRequestEntry] }));
    expect(bus.entries.map((sent) => [sent.EventBusName, JSON.parse(sent.Detail as string) as unknown])).toEqual([
      ['tenants/acme/capsules/DEV/orders', own],
      ['tenants/acme/capsules/DEV/orders', own],
    ]);
    bus.reset();
    const inherited = Object.assign(Object.create({ EventBusName: 'tenants/globex/capsules/DEV/orders' }) as object, entry(own));
    expect((await refusal(client.send(new PutEventsCommand({ Entries: [inherited as PutEventsRequestEntry] })))).rule).toBe('unverifiable-request');
  });
});
