/**
 * A small STS endpoint on 127.0.0.1 speaking AssumeRole's wire format: the AWS Query protocol the
 * installed `@aws-sdk/client-sts` uses (`AwsQueryProtocol`): a form-encoded POST
 * `Action=AssumeRole&Version=2011-06-15&RoleArn=…`, answered with `AssumeRoleResponse` XML, or with
 * `ErrorResponse` XML (400 Throttling, 500 InternalFailure). It counts calls per RoleArn, issues
 * credentials of a configurable lifetime, can fail the next N calls and delay its responses.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessKeyIdOf } from './signed-with.js';

/** One AssumeRole request as received (parameters as sent on the wire). */
export interface ReceivedAssumeRole {
  readonly roleArn: string;
  readonly roleSessionName: string | undefined;
  readonly durationSeconds: number | undefined;
  readonly externalId: string | undefined;
  readonly policy: string | undefined;
  /** The access key id the request was signed with (from the SigV4 `Authorization` header). */
  readonly signedWith: string | undefined;
  /** What the server answered. */
  readonly outcome: 'issued' | StsFailure;
}

/** `Throttling`: 400 with a Sender error; `InternalFailure`: 500 with a Receiver error. */
export type StsFailure = 'Throttling' | 'InternalFailure';

export interface StsServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Every AssumeRole request, in arrival order, failed ones included. */
  readonly requests: readonly ReceivedAssumeRole[];
  /** AssumeRole calls for one RoleArn (failed ones included), or all calls. */
  calls(roleArn?: string): number;
  /** Distinct RoleArns called so far. */
  roles(): string[];
  /** The RoleArn a key issued by this server belongs to. */
  roleOfAccessKey(accessKeyId: string): string | undefined;
  /** Lifetime of issued credentials in seconds (fractions allowed); `undefined`: the requested DurationSeconds. */
  setLifetime(seconds: number | undefined): void;
  /** Fail the next `count` AssumeRole calls. */
  failNext(count: number, failure?: StsFailure): void;
  /** Delay every response by `ms`. */
  setDelay(ms: number): void;
  /** Most AssumeRole calls in flight at once (with a delay, shows whether callers were coalesced). */
  readonly maxInFlight: number;
  /** Forget counts, failures, delay and lifetime. */
  reset(): void;
  close(): Promise<void>;
}

export async function startStsServer(): Promise<StsServer> {
  const requests: ReceivedAssumeRole[] = [];
  const perRole = new Map<string, number>();
  const keyOwners = new Map<string, string>();
  let lifetimeSeconds: number | undefined;
  let failures: { count: number; failure: StsFailure } = { count: 0, failure: 'Throttling' };
  let delayMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let issued = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const requestId = randomUUID();

    if (request.method !== 'POST' || params.get('Action') !== 'AssumeRole' || params.get('Version') !== '2011-06-15') {
      const found = `${request.method ?? '?'} Action=${params.get('Action') ?? ''} Version=${params.get('Version') ?? ''}`;
      send(response, 400, errorXml('Sender', 'InvalidAction', `this test server speaks only AssumeRole 2011-06-15; found ${found}`, requestId), requestId);
      return;
    }
    const roleArn = params.get('RoleArn');
    if (!roleArn) {
      send(response, 400, errorXml('Sender', 'MissingParameter', 'RoleArn is required', requestId), requestId);
      return;
    }

    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    perRole.set(roleArn, (perRole.get(roleArn) ?? 0) + 1);
    const failure = failures.count > 0 ? failures.failure : undefined;
    if (failure) failures = { ...failures, count: failures.count - 1 };
    const duration = params.get('DurationSeconds');
    requests.push({
      roleArn,
      roleSessionName: params.get('RoleSessionName') ?? undefined,
      durationSeconds: duration === null ? undefined : Number(duration),
      externalId: params.get('ExternalId') ?? undefined,
      policy: params.get('Policy') ?? undefined,
      signedWith: accessKeyIdOf(request.headers),
      outcome: failure ?? 'issued',
    });

    try {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (failure === 'Throttling') {
        send(response, 400, errorXml('Sender', 'Throttling', 'Rate exceeded', requestId), requestId);
        return;
      }
      if (failure === 'InternalFailure') {
        send(response, 500, errorXml('Receiver', 'InternalFailure', 'An internal error occurred', requestId), requestId);
        return;
      }
      issued += 1;
      const accessKeyId = `ASIATEST${String(issued).padStart(12, '0')}`;
      keyOwners.set(accessKeyId, roleArn);
      const lifetime = lifetimeSeconds ?? (duration === null ? 3600 : Number(duration));
      const expiration = new Date(Date.now() + lifetime * 1000).toISOString();
      const sessionName = params.get('RoleSessionName') ?? 'session';
      const [, account = '000000000000', roleName = 'role'] = /^arn:[^:]+:iam::(\d+):role\/(.+)$/.exec(roleArn) ?? [];
      send(
        response,
        200,
        '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
          '<AssumeRoleResult>' +
          '<Credentials>' +
          `<AccessKeyId>${accessKeyId}</AccessKeyId>` +
          `<SecretAccessKey>${randomBytes(20).toString('base64')}</SecretAccessKey>` +
          `<SessionToken>${escapeXml(`session-token-${issued}-for-${roleArn}`)}</SessionToken>` +
          `<Expiration>${expiration}</Expiration>` +
          '</Credentials>' +
          '<AssumedRoleUser>' +
          `<AssumedRoleId>AROATEST${String(issued).padStart(12, '0')}:${escapeXml(sessionName)}</AssumedRoleId>` +
          `<Arn>${escapeXml(`arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`)}</Arn>` +
          '</AssumedRoleUser>' +
          (params.has('Policy') ? '<PackedPolicySize>6</PackedPolicySize>' : '') +
          '</AssumeRoleResult>' +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
          '</AssumeRoleResponse>',
        requestId,
      );
    } finally {
      inFlight -= 1;
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, 500, errorXml('Receiver', 'InternalFailure', String(error), randomUUID()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    calls: (roleArn) => (roleArn === undefined ? requests.length : (perRole.get(roleArn) ?? 0)),
    roles: () => [...perRole.keys()],
    roleOfAccessKey: (accessKeyId) => keyOwners.get(accessKeyId),
    setLifetime: (seconds) => {
      lifetimeSeconds = seconds;
    },
    failNext: (count, failure = 'Throttling') => {
      failures = { count, failure };
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset: () => {
      requests.length = 0;
      perRole.clear();
      keyOwners.clear();
      lifetimeSeconds = undefined;
      failures = { count: 0, failure: 'Throttling' };
      delayMs = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(response: ServerResponse, status: number, body: string, requestId?: string): void {
  response.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    ...(requestId === undefined ? {} : { 'x-amzn-requestid': requestId }),
  });
  response.end(body);
}

function errorXml(type: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  return (
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
    `<Error><Type>${type}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId>` +
    '</ErrorResponse>'
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
