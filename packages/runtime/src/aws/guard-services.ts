/**
 * The services a tenant or capsule scope can guard, identified by what a client is — the service
 * id in its resolved configuration (`client.config.serviceId`) — never by its class: a second copy
 * of `@aws-sdk/client-dynamodb` in the dependency tree (npm and pnpm both produce those) has its
 * own `DynamoDBClient` class, and `instanceof` against ours is false for it.
 *
 * Each JSON-protocol service names the `X-Amz-Target` prefix of its protocol: the operation a
 * request runs is read from that header at the last step, not from the command's class or name.
 * S3 (REST-XML: the bucket and key are in the URL, no target header) is bound by address instead:
 * the seal checks that the serialized request addresses the judged bucket and key and records its
 * address (method, host, path, query, copy source, and a POST's body); the gate sends only
 * requests whose address it recorded.
 */
import { inspectDynamoDB } from './guard-dynamodb.js';
import { inspectEventBridge } from './guard-eventbridge.js';
import type { Failure } from './guard-format.js';
import type { ServiceRules } from './guard-judge.js';
import type { CompiledPolicy } from './guard-policy.js';
import { bindS3Request, inspectS3, S3_OPAQUE_MEMBERS, type S3RequestLike } from './guard-s3.js';

export interface GuardedService {
  /** `client.config.serviceId`: `DynamoDB`, `EventBridge`, `S3`. */
  readonly serviceId: string;
  /** `X-Amz-Target: <prefix>.<Operation>` on every request of the service's JSON protocol; empty for S3. */
  readonly targetPrefix: string;
  readonly rules: ServiceRules;
  /**
   * `json` (default): the gate passes approved bodies and reads anything else on the wire.
   * `address`: a REST service; the seal binds each serialized request to its judged input
   * (`bind`) and records its address, and the gate sends recorded addresses only.
   */
  readonly wire?: 'json' | 'address';
  /** For `address` services: whether a serialized request addresses what was judged. */
  readonly bind?: ((c: CompiledPolicy, input: unknown, request: S3RequestLike) => Failure | undefined) | undefined;
  /** Top-level input members passed to the serializer as they are, not copied (an object's content, a stream). */
  readonly opaque?: readonly string[];
}

export const GUARDED_SERVICES: ReadonlyMap<string, GuardedService> = new Map(
  (
    [
      { serviceId: 'DynamoDB', targetPrefix: 'DynamoDB_20120810', rules: inspectDynamoDB },
      { serviceId: 'EventBridge', targetPrefix: 'AWSEvents', rules: inspectEventBridge },
      { serviceId: 'S3', targetPrefix: '', rules: inspectS3, wire: 'address', bind: bindS3Request, opaque: S3_OPAQUE_MEMBERS },
    ] satisfies GuardedService[]
  ).map((service) => [service.serviceId, service]),
);

/** The service id a client's resolved configuration carries, if any. */
export function serviceIdOf(client: unknown): string | undefined {
  const config = (client as { readonly config?: { readonly serviceId?: unknown } } | null | undefined)?.config;
  return typeof config?.serviceId === 'string' ? config.serviceId : undefined;
}
