/**
 * The tenant and capsule a request path names, read the way Express's router reads it: from the
 * path as sent (no URL normalisation), split on `/`, each segment percent-decoded, route keywords
 * (`tenants`, `api`, `platform`, `capsules`) compared case-insensitively. Segments that URL parsers
 * rewrite — `.` and `..` in any encoding, backslashes (WHATWG URL reads `\` as `/`) — are refused:
 * where two readers of one path could disagree on the tenant it names, the request is refused.
 */
import { ContextError } from './errors.js';

/** Decoded segments that are, or contain, a dot segment: `.`, `..`, `a/..`, `..\x`. */
const DOT_SEGMENT = /(?:^|[/\\])\.{1,2}(?:$|[/\\])/;

/** The path's segments, percent-decoded; 400 for a segment that does not decode or that a URL parser would rewrite. */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      if (segment.includes('\\')) {
        throw new ContextError(400, 'bad_request', `path segment ${JSON.stringify(segment)} contains a backslash, which URL parsers read as "/" and routers do not; send "/" between segments, or %5C for a literal backslash`);
      }
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw new ContextError(400, 'bad_request', `path segment ${JSON.stringify(segment)} is not valid percent-encoding`);
      }
      if (DOT_SEGMENT.test(decoded)) {
        throw new ContextError(400, 'bad_request', `path segment ${JSON.stringify(segment)} is a dot segment ("." or "..", also percent-encoded), which URL normalisation removes and routers keep; send the path without it`);
      }
      return decoded;
    });
}

const is = (segment: string | undefined, keyword: string): boolean => segment?.toLowerCase() === keyword;

/** The tenant a path names: `/api/{tenantId}/…` (not `/api/platform/…`) or `/…/tenants/{tenantId}/…`, keywords in any case. */
export function pathTenant(pathname: string): string | undefined {
  const segments = pathSegments(pathname);
  for (let index = 0; index < segments.length - 1; index += 1) {
    const next = segments[index + 1];
    if (next === undefined) break;
    if (is(segments[index], 'tenants') || (index === 0 && is(segments[index], 'api') && !is(next, 'platform'))) return next;
  }
  return undefined;
}

/** The capsule a path names: `/…/capsules/{capsuleId}/…`, keyword in any case. */
export function pathCapsule(pathname: string): string | undefined {
  const segments = pathSegments(pathname);
  const at = segments.findIndex((segment) => is(segment, 'capsules'));
  return at >= 0 ? segments[at + 1] : undefined;
}

/** `scheme://authority` of an absolute-form request target (`GET http://host/path HTTP/1.1`); the authority ends at `/` or `\`. */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/\\?#]*/;

/**
 * The path Express routes on, as sent: `originalUrl` without an absolute-form scheme and authority
 * (Express routes on their path), up to the query or fragment. Backslashes stay, for `pathSegments`
 * to refuse: Express's fallback parser (`url.parse`, used when the target has a `#`, a space or is
 * absolute) turns them into `/`.
 */
export function rawPathOf(originalUrl: string): string {
  const path = originalUrl.replace(ABSOLUTE_FORM, '');
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
}
