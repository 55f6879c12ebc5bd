/**
 * The HTTP side of a small local endpoint speaking an AWS JSON protocol (1.0 or 1.1): a POST with
 * `X-Amz-Target: <prefix>.<Operation>` and a JSON object body, answered with a JSON body, or with
 * `{ __type, message }` and status 400 for a service error, as the SDK's JSON protocols expect.
 * Every request is recorded before it is handled (an unknown operation or a body that is not JSON
 * too), so a test can prove that a refused call sent nothing.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessKeyIdOf } from './signed-with.js';

/** One request as it arrived: the operation named by its target header, and its body parsed. */
export interface ReceivedJsonRequest {
  /** The `X-Amz-Target` header, as sent. */
  readonly target: string | undefined;
  /** The operation after `<prefix>.`; empty when the target names another service or none. */
  readonly operation: string;
  /** The JSON body; `undefined` when it was not a JSON object. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  /** The `Host` header and the request target (path and query), as sent: where the client addressed it. */
  readonly host: string | undefined;
  readonly path: string | undefined;
  /** The access key id the request was signed with. */
  readonly signedWith: string | undefined;
}

/** A service error, sent as `{ __type: type, message }` with `status`. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Answers one operation: its output, or a thrown `ServiceError`. */
export type JsonOperationHandler = (body: Readonly<Record<string, unknown>>) => unknown;

/** Where a local service says its resources live, in the ARNs it gives them. */
export interface LocalAccountOptions {
  /** Default `us-east-1`. */
  readonly region?: string;
  /** Default `123456789012`. */
  readonly accountId?: string;
}

export interface JsonProtocolServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Every request, in arrival order, refused ones included. */
  readonly requests: readonly ReceivedJsonRequest[];
  /** Forgets what the service stores and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export interface JsonService {
  /** `AmazonSSM`, `secretsmanager`: what `X-Amz-Target` starts with. */
  readonly targetPrefix: string;
  /** `application/x-amz-json-1.1` */
  readonly contentType: string;
  /** The operations it runs; any other is an `UnknownOperationException`. */
  readonly operations: Readonly<Record<string, JsonOperationHandler>>;
  /** Forgets what it stores. */
  readonly clear: () => void;
}

/** One page of a list, as list operations answer: `MaxResults` items (default `pageSize`) from the index `NextToken` names. */
export function pageOf<T>(items: readonly T[], body: Readonly<Record<string, unknown>>, pageSize: number): { readonly items: readonly T[]; readonly next: string | undefined } {
  const start = typeof body['NextToken'] === 'string' ? Number(body['NextToken']) : 0;
  const end = start + (typeof body['MaxResults'] === 'number' ? body['MaxResults'] : pageSize);
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

export async function startJsonProtocolServer(service: JsonService): Promise<JsonProtocolServer> {
  const { targetPrefix, contentType, operations } = service;
  const requests: ReceivedJsonRequest[] = [];

  function send(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
    response.end(text);
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const header = request.headers['x-amz-target'];
      const target = Array.isArray(header) ? header.join(',') : header;
      const operation = target?.startsWith(`${targetPrefix}.`) === true ? target.slice(targetPrefix.length + 1) : '';
      let body: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      requests.push({ target, operation, body, host: request.headers.host, path: request.url, signedWith: accessKeyIdOf(request.headers) });
      if (request.method !== 'POST' || operation === '') {
        send(response, 400, { __type: 'UnknownOperationException', message: `expected a POST with X-Amz-Target: ${targetPrefix}.<Operation>; found ${request.method ?? '?'} ${target ?? '(no X-Amz-Target)'}` });
        return;
      }
      if (body === undefined) {
        send(response, 400, { __type: 'SerializationException', message: 'the body is not a JSON object' });
        return;
      }
      const handle = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (handle === undefined) {
        send(response, 400, { __type: 'UnknownOperationException', message: `this test server does not run ${targetPrefix}.${operation}` });
        return;
      }
      try {
        send(response, 200, handle(body) ?? {});
      } catch (error) {
        if (error instanceof ServiceError) send(response, error.status, { __type: error.type, message: error.message });
        else send(response, 500, { __type: 'InternalFailure', message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    reset() {
      service.clear();
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
