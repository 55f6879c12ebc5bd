/**
 * The services a tenant or capsule scope can guard, identified by what a client is — the service
 * id in its resolved configuration (`client.config.serviceId`) — never by its class: a second copy
 * of `@aws-sdk/client-dynamodb` in the dependency tree (npm and pnpm both produce those) has its
 * own `DynamoDBClient` class, and `instanceof` against ours is false for it.
 *
 * Each service names the `X-Amz-Target` prefix of its JSON protocol: the operation a request runs
 * is read from that header at the last step, not from the command's class or name.
 */
import { inspectDynamoDB } from './guard-dynamodb.js';
import { inspectEventBridge } from './guard-eventbridge.js';
import type { ServiceRules } from './guard-judge.js';

export interface GuardedService {
  /** `client.config.serviceId`: `DynamoDB`, `EventBridge`. */
  readonly serviceId: string;
  /** `X-Amz-Target: <prefix>.<Operation>` on every request of the service's JSON protocol. */
  readonly targetPrefix: string;
  readonly rules: ServiceRules;
}

export const GUARDED_SERVICES: ReadonlyMap<string, GuardedService> = new Map(
  [
    { serviceId: 'DynamoDB', targetPrefix: 'DynamoDB_20120810', rules: inspectDynamoDB },
    { serviceId: 'EventBridge', targetPrefix: 'AWSEvents', rules: inspectEventBridge },
  ].map((service) => [service.serviceId, service]),
);

/** The service id a client's resolved configuration carries, if any. */
export function serviceIdOf(client: unknown): string | undefined {
  const config = (client as { readonly config?: { readonly serviceId?: unknown } } | null | undefined)?.config;
  return typeof config?.serviceId === 'string' ? config.serviceId : undefined;
}
