/**
 * An HTTP proxy in front of a local server that holds every request until the test releases it:
 * a request stays "in flight" — its socket open, the server not yet answering — for as long as
 * a test needs, to see what happens to it meanwhile.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Requests held now. */
  held(): number;
  /** Resolves once at least `count` requests are held. */
  untilHeld(count: number): Promise<void>;
  /** Forwards every held request. */
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const { hostname, port } = new URL(target);
  const waiting: (() => void)[] = [];
  const watchers: (() => void)[] = [];
  const forward = (incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse): void => {
    const upstream = httpRequest({ hostname, port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    upstream.end(body);
  };
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      waiting.push(() => forward(incoming, Buffer.concat(chunks), outgoing));
      for (const watcher of watchers.splice(0)) watcher();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    held: () => waiting.length,
    untilHeld: async (count) => {
      while (waiting.length < count) await new Promise<void>((resolve) => watchers.push(resolve));
    },
    release: () => {
      for (const send of waiting.splice(0)) send();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
