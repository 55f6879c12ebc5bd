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
 * address (method, host, path, query, fragment, copy source, and a POST's body); the gate sends only
 * requests whose address it recorded. SNS (AWS Query: a form-encoded POST body, no target header) is
 * bound the same way: the seal checks that the body names the judged action and destinations and
 * records the address, body included. SQS speaks JSON, but its queue URLs name a host the SDK
 * sends to: its gate also checks where each request goes (`destination`).
 */
import { inspectDynamoDB } from './guard-dynamodb.js';
import { inspectEventBridge } from './guard-eventbridge.js';
import type { Failure } from './guard-format.js';
import type { ServiceRules } from './guard-judge.js';
import type { CompiledPolicy } from './guard-policy.js';
import { bindS3Request, inspectS3, S3_OPAQUE_MEMBERS, type S3RequestLike } from './guard-s3.js';
import { inspectSecretsManager } from './guard-secrets-manager.js';
import { inspectSsm } from './guard-ssm.js';
import { inspectSqs, sqsDestination } from './guard-sqs.js';
import type { HttpRequestLike } from './guard-seal.js';
import { bindSnsRequest, inspectSNS } from './guard-sns.js';

export interface GuardedService {
  /** `client.config.serviceId`: `DynamoDB`, `EventBridge`, `S3`, `SNS`. */
  readonly serviceId: string;
  /** `X-Amz-Target: <prefix>.<Operation>` on every request of the service's JSON protocol; empty for S3 and SNS. */
  readonly targetPrefix: string;
  readonly rules: ServiceRules;
  /**
   * `json` (default): the gate passes approved bodies and reads anything else on the wire.
   * `address`: a REST or Query service; the seal binds each serialized request to its judged input
   * (`bind`) and records its address, and the gate sends recorded addresses only.
   */
  readonly wire?: 'json' | 'address';
  /** For `address` services: whether a serialized request of the judged `operation` carries what was judged. */
  readonly bind?: ((c: CompiledPolicy, input: unknown, request: S3RequestLike & HttpRequestLike, operation: string) => Failure | undefined) | undefined;
  /** Top-level input members passed to the serializer as they are, not copied (an object's content, a stream). */
  readonly opaque?: readonly string[];
  /**
   * For `address` services: which requests' bodies are part of their address. `post` (default): a
   * POST's (S3 `DeleteObjects`, SNS's form body); other bodies are an object's content. `always`:
   * every body (user-defined services, where any body may carry what was judged).
   */
  readonly addressBody?: 'post' | 'always' | undefined;
  /**
   * For `json` services whose requests must also go to the right place (SQS: a queue URL names its
   * host, and the SDK sends to it): where the gate's view of a request goes, checked on every
   * request, approved or read on the wire. Returns the request to send, its address read once and
   * pinned, or the failure.
   */
  readonly destination?: ((c: CompiledPolicy, request: HttpRequestLike) => HttpRequestLike | Failure) | undefined;
}

export const GUARDED_SERVICES: ReadonlyMap<string, GuardedService> = new Map(
  (
    [
      { serviceId: 'DynamoDB', targetPrefix: 'DynamoDB_20120810', rules: inspectDynamoDB },
      { serviceId: 'EventBridge', targetPrefix: 'AWSEvents', rules: inspectEventBridge },
      { serviceId: 'SQS', targetPrefix: 'AmazonSQS', rules: inspectSqs, destination: sqsDestination },
      { serviceId: 'S3', targetPrefix: '', rules: inspectS3, wire: 'address', bind: bindS3Request, opaque: S3_OPAQUE_MEMBERS },
      { serviceId: 'SSM', targetPrefix: 'AmazonSSM', rules: inspectSsm },
      { serviceId: 'Secrets Manager', targetPrefix: 'secretsmanager', rules: inspectSecretsManager },
      { serviceId: 'SNS', targetPrefix: '', rules: inspectSNS, wire: 'address', bind: bindSnsRequest },
    ] satisfies GuardedService[]
  ).map((service) => [service.serviceId, service]),
);

/** The service id a client's resolved configuration carries, if any. */
export function serviceIdOf(client: unknown): string | undefined {
  const config = (client as { readonly config?: { readonly serviceId?: unknown } } | null | undefined)?.config;
  return typeof config?.serviceId === 'string' ? config.serviceId : undefined;
}
