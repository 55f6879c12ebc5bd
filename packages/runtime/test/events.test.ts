import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClientFactory, type ClientFactory } from '../src/aws/index.js';
import { DomainEvent } from '../src/decorators.js';
import { EventPublishError, EventViolationError, publishEvent, validateEvent } from '../src/events/index.js';
import type { CapsuleId, TenantId } from '../src/ids.js';
import { startEventBridgeServer, type EventBridgeServer } from '../src/testing/eventbridge-server.js';
import { AccountCreated, PlanPriceChanged } from './support/events.js';

class TenantRenamed {
  constructor(
    readonly tenant_id: unknown,
    readonly name: string,
  ) {}
}
DomainEvent({ type: 'TenantRenamed', scope: 'tenant' })(TenantRenamed);

class NotAnEvent {
  readonly tenantId = 'acme';
}

const capsule = { kind: 'capsule', tenantId: 'acme' as TenantId, capsuleId: 'DEVUS' as CapsuleId } as const;
const tenant = { kind: 'tenant', tenantId: 'acme' as TenantId } as const;
const platform = { kind: 'platform' } as const;

function refusal(run: () => unknown): EventViolationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EventViolationError);
    return error as EventViolationError;
  }
  throw new Error('expected a refusal');
}

describe('validateEvent', () => {
  it('accepts events carrying the publishing scope ids', () => {
    expect(validateEvent(capsule, new AccountCreated('acme', 'DEVUS', 'a1'))).toEqual({ type: 'AccountCreated', scope: 'capsule' });
    expect(validateEvent(tenant, new TenantRenamed('acme', 'Acme'))).toEqual({ type: 'TenantRenamed', scope: 'tenant' });
    expect(validateEvent(capsule, new TenantRenamed('acme', 'Acme')).scope).toBe('tenant');
    expect(validateEvent(platform, new PlanPriceChanged('pro')).scope).toBe('platform');
    expect(validateEvent(capsule, new PlanPriceChanged('pro')).scope).toBe('platform');
  });

  it('refuses unregistered classes and plain objects', () => {
    const error = refusal(() => validateEvent(capsule, new NotAnEvent()));
    expect(error.rule).toBe('event-unregistered');
    expect(error.eventType).toBe('NotAnEvent');
    expect(error.message).toMatch(/NotAnEvent, which is not a registered @DomainEvent.*decorate NotAnEvent/);
    expect(refusal(() => validateEvent(capsule, { ...new AccountCreated('acme', 'DEVUS', 'a1') })).rule).toBe('event-unregistered');
  });

  it('refuses missing, empty and non-string scope fields', () => {
    const missing = refusal(() => validateEvent(capsule, Object.assign(new AccountCreated('acme', 'DEVUS', 'a1'), { capsuleId: undefined })));
    expect(missing.rule).toBe('event-scope-fields');
    expect(missing.found).toBe('no capsule id field (capsuleId or capsule_id)');
    expect(missing.expected).toContain('set `capsuleId = "DEVUS"` on AccountCreated');
    const empty = refusal(() => validateEvent(capsule, new AccountCreated('', 'DEVUS', 'a1')));
    expect([empty.rule, empty.found]).toEqual(['event-scope-fields', 'tenantId = ""']);
    const number = refusal(() => validateEvent(tenant, new TenantRenamed(42, 'Acme')));
    expect([number.rule, number.found]).toEqual(['event-scope-fields', 'tenant_id = 42']);
  });

  it("refuses ids that are not the publishing scope's", () => {
    const other = refusal(() => validateEvent(capsule, new AccountCreated('globex', 'DEVUS', 'a1')));
    expect(other.rule).toBe('event-scope-mismatch');
    expect(other.message).toBe('[isolation/event-scope-mismatch] event AccountCreated refused in capsule acme/DEVUS: found tenantId = "globex"; expected tenantId = "acme", the publishing scope\'s tenant id; publish the event from its own tenant\'s scope');
    expect(refusal(() => validateEvent(capsule, new AccountCreated('acme', 'PRODUS', 'a1'))).found).toBe('capsuleId = "PRODUS"');
    expect(refusal(() => validateEvent(tenant, new TenantRenamed('globex', 'G'))).rule).toBe('event-scope-mismatch');
  });

  it('refuses events their publishing scope cannot publish', () => {
    const fromTenant = refusal(() => validateEvent(tenant, new AccountCreated('acme', 'DEVUS', 'a1')));
    expect(fromTenant.rule).toBe('event-scope-publisher');
    expect(fromTenant.found).toBe('a capsule-scoped event published from tenant acme');
    expect(refusal(() => validateEvent(platform, new TenantRenamed('acme', 'A'))).rule).toBe('event-scope-publisher');
    expect(refusal(() => validateEvent({ kind: 'operator', accountId: '1', roleName: 'r' }, new TenantRenamed('acme', 'A'))).rule).toBe('event-scope-publisher');
  });
});

describe('publishEvent against a local EventBridge endpoint (test/support/eventbridge-server.ts, AWS JSON 1.1 PutEvents)', () => {
  let server: EventBridgeServer;
  let aws: ClientFactory;
  beforeAll(async () => {
    server = await startEventBridgeServer();
    aws = createClientFactory({ region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, clientConfig: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    aws.destroy();
    await server.close();
  });
  beforeEach(() => server.reset());

  it('sends valid events with their declared type and JSON detail', async () => {
    const event = new AccountCreated('acme', 'DEVUS', 'a1');
    const result = await publishEvent(aws.capsule('acme', 'DEVUS'), event);
    expect(result.eventId).toMatch(/^[0-9a-f-]{36}$/);
    await publishEvent(aws.tenant('acme'), new TenantRenamed('acme', 'Acme'), { eventBusName: 'tenants', source: 'crm' });
    expect(server.requests.map((request) => [request.target, request.contentType])).toEqual([
      ['AWSEvents.PutEvents', 'application/x-amz-json-1.1'],
      ['AWSEvents.PutEvents', 'application/x-amz-json-1.1'],
    ]);
    expect(server.entries).toEqual([
      { Source: 'isolation', DetailType: 'AccountCreated', Detail: '{"tenantId":"acme","capsuleId":"DEVUS","accountId":"a1"}' },
      { Source: 'crm', DetailType: 'TenantRenamed', Detail: '{"tenant_id":"acme","name":"Acme"}', EventBusName: 'tenants' },
    ]);
  });

  it('scope.publish is the same path: validated against the scope, then sent', async () => {
    await aws.capsule('acme', 'DEVUS').publish(new AccountCreated('acme', 'DEVUS', 'a2'));
    await expect(aws.capsule('acme', 'PRODUS').publish(new AccountCreated('acme', 'DEVUS', 'a3'))).rejects.toMatchObject({ rule: 'event-scope-mismatch' });
    expect(server.entries).toEqual([{ Source: 'isolation', DetailType: 'AccountCreated', Detail: '{"tenantId":"acme","capsuleId":"DEVUS","accountId":"a2"}' }]);
  });

  it('refuses invalid events and sends nothing', async () => {
    await expect(publishEvent(aws.capsule('acme', 'DEVUS'), new AccountCreated('globex', 'DEVUS', 'a1'))).rejects.toThrow(EventViolationError);
    await expect(publishEvent(aws.tenant('acme'), new AccountCreated('acme', 'DEVUS', 'a1'))).rejects.toMatchObject({ rule: 'event-scope-publisher' });
    await expect(publishEvent(aws.capsule('acme', 'DEVUS'), new NotAnEvent())).rejects.toMatchObject({ rule: 'event-unregistered' });
    expect(server.requests).toEqual([]);
  });

  it('throws the failed entry\'s error when FailedEntryCount > 0', async () => {
    server.failNext(1, 'ThrottlingException');
    const attempt = publishEvent(aws.capsule('acme', 'DEVUS'), new AccountCreated('acme', 'DEVUS', 'a1'));
    await expect(attempt).rejects.toThrow(EventPublishError);
    await expect(attempt).rejects.toThrow(/PutEvents refused event AccountCreated: ThrottlingException: failed by the test server \(from capsule acme\/DEVUS\)/);
    expect(server.entries).toHaveLength(1);
  });
});
