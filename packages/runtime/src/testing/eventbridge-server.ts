/**
 * A small EventBridge endpoint on 127.0.0.1 speaking PutEvents' wire format, the AWS JSON 1.1
 * protocol the installed `@aws-sdk/client-eventbridge` uses (`AwsJson1_1Protocol`): a POST with
 * `X-Amz-Target: AWSEvents.PutEvents`, `Content-Type: application/x-amz-json-1.1` and a JSON body
 * `{ Entries: [{ Source, DetailType, Detail, EventBusName? }] }`, answered with
 * `{ FailedEntryCount, Entries: [{ EventId } | { ErrorCode, ErrorMessage }] }`. It records every
 * entry and can fail the next N entries. Like EventBridge, it refuses an entry without `Source` or
 * `DetailType` (`InvalidArgument`) or whose `Detail` is not the JSON text of an object
 * (`MalformedDetail`), so a test sees a publisher that sends what EventBridge would not accept.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessKeyIdOf } from './signed-with.js';

/** An entry as it arrived: recorded as-is, one JSON line of it is what `isolation-audit` reads as a PutEvents entry. */
export interface ReceivedEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: readonly string[];
  readonly Time?: string;
  readonly TraceHeader?: string;
}

/** What EventBridge would say about an entry, or undefined when it would accept it. */
function entryError(entry: ReceivedEntry): { ErrorCode: string; ErrorMessage: string } | undefined {
  const missing = (['Source', 'DetailType', 'Detail'] as const).filter((name) => typeof entry[name] !== 'string' || entry[name] === '');
  if (missing.length > 0) return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter(s) ${missing.join(', ')} missing or empty (this test server requires them, as EventBridge does for events sent to a bus)` };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed: it must be the JSON text of an object' };
  return undefined;
}

export interface ReceivedRequest {
  readonly target: string | undefined;
  readonly contentType: string | undefined;
  readonly entries: readonly ReceivedEntry[];
  /** The access key id the request was signed with. */
  readonly signedWith: string | undefined;
}

export interface EventBridgeServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Every PutEvents request, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Every entry received, failed ones included. */
  readonly entries: readonly ReceivedEntry[];
  /** Fail the next `count` entries with `ErrorCode` (default `InternalFailure`). */
  failNext(count: number, errorCode?: string): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startEventBridgeServer(): Promise<EventBridgeServer> {
  const requests: ReceivedRequest[] = [];
  let failures = { count: 0, errorCode: 'InternalFailure' };

  function send(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
    response.end(text);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = request.headers['x-amz-target'];
    const targetText = Array.isArray(target) ? target.join(',') : target;
    if (request.method !== 'POST' || targetText !== 'AWSEvents.PutEvents') {
      send(response, 400, { __type: 'UnknownOperationException', message: `this test server speaks only AWSEvents.PutEvents; found ${request.method ?? '?'} ${targetText ?? '(no X-Amz-Target)'}` });
      return;
    }
    let body: { Entries?: ReceivedEntry[] };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: ReceivedEntry[] };
    } catch {
      send(response, 400, { __type: 'SerializationException', message: 'body is not JSON' });
      return;
    }
    const entries = body.Entries ?? [];
    requests.push({ target: targetText, contentType: request.headers['content-type'], entries, signedWith: accessKeyIdOf(request.headers) });
    let failed = 0;
    const results = entries.map((entry) => {
      const refusal = entryError(entry);
      if (refusal !== undefined) {
        failed += 1;
        return refusal;
      }
      if (failures.count > 0) {
        failures.count -= 1;
        failed += 1;
        return { ErrorCode: failures.errorCode, ErrorMessage: 'failed by the test server' };
      }
      return { EventId: randomUUID() };
    });
    send(response, 200, { FailedEntryCount: failed, Entries: results });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { __type: 'InternalException', message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    get entries() {
      return requests.flatMap((request) => request.entries);
    },
    failNext(count, errorCode = 'InternalFailure') {
      failures = { count, errorCode };
    },
    reset() {
      requests.length = 0;
      failures = { count: 0, errorCode: 'InternalFailure' };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
