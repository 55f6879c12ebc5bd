/**
 * Bearer token verification (jose): HS256 with a shared secret or RS256 with a JWKS URL. Everything
 * that makes a token acceptable is decided here, once, at start-up: the key, the issuer and audience
 * (required, or explicitly disabled with `false`), the claims every token must carry (`exp`, `sub`,
 * and `iat` with `maxTokenAge`), and the clock tolerance.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { ContextError } from './errors.js';

export interface VerifyOptions {
  /** HS256 shared secret, at least 32 bytes. Exactly one of `secret` and `jwksUrl`. */
  readonly secret?: string | Uint8Array | undefined;
  /** RS256 through the keys published at this URL (jose `createRemoteJWKSet`). */
  readonly jwksUrl?: string | undefined;
  /** The `iss` tokens must carry (one of several). `false` skips the check: only for a key that signs for one issuer alone. */
  readonly issuer: string | readonly string[] | false;
  /** The `aud` tokens must carry (one of several). `false` skips the check: only for a key that signs tokens for this API alone. */
  readonly audience: string | readonly string[] | false;
  /** Seconds: refuse tokens issued (`iat`) longer ago than this, whatever their `exp`; tokens must then carry `iat`. */
  readonly maxTokenAge?: number | undefined;
  /** Seconds of clock difference accepted on `exp`, `nbf` and `iat`; default 30. */
  readonly clockTolerance?: number | undefined;
}

/** A verified token's claims: `sub` is a non-empty string, `exp` is set. */
export type VerifiedClaims = JWTPayload & { readonly sub: string; readonly exp: number };

const MIN_SECRET_BYTES = 32;
const DEFAULT_CLOCK_TOLERANCE_S = 30;

/** Checks the options (TypeError at start-up, not 401s at run time) and returns the verifier. */
export function tokenVerifier(verify: VerifyOptions): (token: string) => Promise<VerifiedClaims> {
  if ((verify?.secret === undefined) === (verify?.jwksUrl === undefined)) {
    throw new TypeError('createRequestContext needs exactly one of verify.secret (HS256) and verify.jwksUrl (RS256)');
  }
  const secret = typeof verify.secret === 'string' ? new TextEncoder().encode(verify.secret) : verify.secret;
  if (secret !== undefined && secret.byteLength < MIN_SECRET_BYTES) {
    throw new TypeError(`verify.secret must be at least ${MIN_SECRET_BYTES} bytes for HS256 (RFC 7518 §3.2: a key as long as the hash), found ${secret.byteLength}: a short secret can be guessed and tokens forged; generate one with \`openssl rand -base64 48\``);
  }
  const issuer = requiredCheck('issuer', verify.issuer, 'the "iss" your identity provider writes into tokens, e.g. "https://auth.example.com/"');
  const audience = requiredCheck('audience', verify.audience, 'the "aud" tokens for this API carry, e.g. "https://api.example.com"');
  const maxTokenAge = seconds('maxTokenAge', verify.maxTokenAge, false);
  const clockTolerance = seconds('clockTolerance', verify.clockTolerance, true) ?? DEFAULT_CLOCK_TOLERANCE_S;
  const required = maxTokenAge === undefined ? 'exp and sub' : 'exp, sub and iat (maxTokenAge is set)';

  const options: JWTVerifyOptions = {
    algorithms: secret !== undefined ? ['HS256'] : ['RS256'],
    requiredClaims: ['exp', 'sub'],
    clockTolerance,
    ...(issuer === undefined ? {} : { issuer }),
    ...(audience === undefined ? {} : { audience }),
    ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
  };
  const jwks: JWTVerifyGetKey | undefined = verify.jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(verify.jwksUrl));
  const refuse = (reason: string, cause?: unknown): ContextError => new ContextError(401, 'unauthorized', `invalid bearer token: ${reason}`, { cause });
  const inTheFuture = `the token was issued in the future (its "iat" is more than the ${clockTolerance} s clock tolerance ahead of this server's clock): check the issuer's clock`;

  const reasonOf = (error: unknown): string => {
    if (error instanceof joseErrors.JWTExpired) return error.claim === 'iat' ? `the token is older than maxTokenAge (${String(maxTokenAge)} s): get a new one` : 'the token has expired';
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      if (error.reason === 'missing') return `no ${JSON.stringify(error.claim)} claim: tokens must carry ${required}`;
      if (error.claim === 'iat') return inTheFuture;
      return `claim ${JSON.stringify(error.claim)} check failed: ${error.reason}`;
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
    if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token algorithm is not accepted';
    if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the JWKS matches the token';
    if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return 'the token is malformed';
    if (error instanceof joseErrors.JOSEError) return `the token was refused (${error.code})`;
    return 'the token could not be verified';
  };

  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = secret !== undefined ? await jwtVerify(token, secret, options) : await jwtVerify(token, jwks as JWTVerifyGetKey, options));
    } catch (error) {
      throw refuse(reasonOf(error), error);
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw refuse('no "sub" claim with a subject: tokens must name who they were issued to');
    // jose checks a future `iat` only with maxTokenAge; a token from the future is refused either way.
    if (payload.iat !== undefined && payload.iat > Date.now() / 1000 + clockTolerance) throw refuse(inTheFuture);
    return payload as VerifiedClaims;
  };
}

function requiredCheck(name: 'issuer' | 'audience', value: unknown, what: string): string | string[] | undefined {
  if (value === false) return undefined;
  if (value === undefined) {
    throw new TypeError(`createRequestContext needs verify.${name}: ${what}. Without it a token your identity provider issued for another application with the same key would be accepted; to skip the check on purpose, pass ${name}: false`);
  }
  if (typeof value === 'string' && value.length > 0) return value;
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item.length > 0)) return [...(value as string[])];
  throw new TypeError(`verify.${name} must be a non-empty string, a non-empty array of strings, or false; found ${JSON.stringify(value)}`);
}

function seconds(name: string, value: unknown, zeroAllowed: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0)) return value;
  throw new TypeError(`verify.${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} number of seconds, found ${JSON.stringify(value)}`);
}
