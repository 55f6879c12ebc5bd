/**
 * Domain events the runtime's event tests share, registered on import: a capsule event and a
 * platform event (one with no scope fields).
 */
import { DomainEvent } from '../../src/decorators.js';

export class AccountCreated {
  constructor(
    readonly tenantId: string,
    readonly capsuleId: string,
    readonly accountId: string,
  ) {}
}
DomainEvent({ type: 'AccountCreated' })(AccountCreated);

export class PlanPriceChanged {
  constructor(readonly plan: string) {}
}
DomainEvent({ type: 'PlanPriceChanged', scope: 'platform' })(PlanPriceChanged);
