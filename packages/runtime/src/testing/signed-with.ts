/** The access key id a request was signed with (SigV4), as a local endpoint sees it. */
import type { IncomingHttpHeaders } from 'node:http';

/** From the `Authorization` header's `Credential=<access key id>/<date>/…`; `undefined` for an unsigned request. */
export function accessKeyIdOf(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=([^/]+)\//.exec(headers.authorization ?? '')?.[1];
}
