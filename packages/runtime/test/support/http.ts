/**
 * A real HTTP server for an Express app on 127.0.0.1 (port 0), and requests sent with node:http so
 * the request target reaches the server byte for byte: `fetch` would normalise `%2e%2e` and `\`
 * away (WHATWG URL parsing), which is exactly what attacks on path checks rely on.
 */
import { once } from 'node:events';
import { Agent, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<RunningServer> {
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Keep-alive connections: thousands of requests without exhausting ephemeral ports. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export interface RawResponse {
  readonly status: number;
  readonly type: string | undefined;
  /** The parsed JSON body (undefined when the body is not JSON). */
  readonly json: Record<string, unknown> | undefined;
  readonly text: string;
}

/** Sends `method path` exactly as written (no URL normalisation), with a bearer token and an optional JSON body. */
export function rawRequest(server: RunningServer, method: string, path: string, options: { readonly bearer?: string; readonly headers?: Readonly<Record<string, string>>; readonly body?: string | object } = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer !== undefined) headers['authorization'] = `Bearer ${options.bearer}`;
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: server.host, port: server.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], json, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
