/**
 * AWS Signature Version 4 verification for the local cloud's servers (S3 store, Lambda API).
 *
 * Hand-rolled with node:crypto rather than re-signing with @smithy/signature-v4, because the
 * verifier has to rebuild the canonical request exactly as *each* client built it, from the raw
 * bytes on the wire: the SDK v3 and botocore (aws CLI v1) encode query strings differently on the
 * wire but agree on the canonical form (RFC 3986 encoding of decoded names/values, sorted by
 * name then value), which is what we compute here. S3 signs the path as sent; every other
 * service signs the path URI-encoded once more.
 *
 * Supports header auth (`Authorization: AWS4-HMAC-SHA256 ...`) and presigned query auth
 * (`X-Amz-Signature=...`).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RunCredentials } from './credentials';
import { headerText } from './wire-text';

/** The secret (and, for temporary credentials, the session token) of an access key id. */
export type KeyLookup = (accessKeyId: string) => { secretAccessKey: string; sessionToken?: string } | undefined;

export type SigV4ErrorCode =
  | 'AccessDenied'
  | 'AuthorizationHeaderMalformed'
  | 'IncompleteSignature'
  | 'InvalidAccessKeyId'
  | 'MissingSecurityHeader'
  | 'RequestTimeTooSkewed'
  | 'SignatureDoesNotMatch'
  | 'XAmzContentSHA256Mismatch'
  | 'ExpiredToken'
  | 'InvalidToken';

export interface SigV4Request {
  method: string;
  /** Raw request target as received (`req.url`): path plus optional `?query`, still encoded. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /**
   * The body, when the caller has it in memory (hashed when the client did not send
   * `x-amz-content-sha256`, and checked against it when it did). Omit for streamed bodies:
   * the caller then checks the claimed hash itself while streaming.
   */
  body?: Buffer | 'UNSIGNED-PAYLOAD';
}

export interface SigV4Options {
  /** Expected region; a request signed for another region is refused. */
  region?: string;
  /** Expected service (`s3`, `lambda`, ...); also decides how the path is canonicalised. */
  service?: string;
  /** Clock for tests. */
  now?: Date;
}

/** What a verified request was signed with; needed to verify aws-chunked chunk signatures. */
export interface SigV4Auth {
  accessKeyId: string;
  amzDate: string;
  scope: string;
  region: string;
  service: string;
  signature: string;
  signingKey: Buffer;
  /** The payload hash the signature covers (hex, UNSIGNED-PAYLOAD or STREAMING-...). */
  payloadHash: string;
  presigned: boolean;
}

export type SigV4Result =
  | { ok: true; auth: SigV4Auth }
  | { ok: false; code: SigV4ErrorCode; message: string; status: number };

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Parsed query as ordered [name, value] pairs, decoded. Null if badly percent-encoded. */
export function parseRawQuery(rawQuery: string): Array<[string, string]> | null {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (name === null || value === null) return null;
    pairs.push([name, value]);
  }
  return pairs;
}

function canonicalQuery(pairs: Array<[string, string]>): string {
  return pairs
    .map(([n, v]) => [uriEncode(n), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

function canonicalUri(rawPath: string, service: string): string {
  const path = rawPath === '' ? '/' : rawPath;
  if (service === 's3') return path;
  return path
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
}

function headerValue(headers: SigV4Request['headers'], name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

/** Trimmed, inner whitespace folded; non-ASCII read as the UTF-8 the client signed (wire-text.ts). */
function canonicalHeaderValue(value: string | undefined): string {
  return headerText(value ?? '').trim().replace(/\s+/g, ' ');
}

/** `20240101T120000Z` -> Date, or null. */
function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function fail(code: SigV4ErrorCode, message: string, status = 403): SigV4Result {
  return { ok: false, code, message, status };
}

function signaturesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

interface AuthParts {
  credential: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  presigned: boolean;
  expiresSeconds?: number;
  payloadHash?: string;
}

function parseAuthorizationHeader(value: string): AuthParts | string {
  if (!value.startsWith(`${ALGORITHM} `)) return `unsupported authorization type (expected ${ALGORITHM})`;
  const fields = new Map<string, string>();
  for (const piece of value.slice(ALGORITHM.length + 1).split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) fields.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    return 'Authorization header must contain Credential, SignedHeaders and Signature';
  }
  return { credential, signedHeaders: signedHeaders.split(';'), signature, amzDate: '', presigned: false };
}

/**
 * Verifies a SigV4-signed request against the run credentials. Never throws.
 * On success returns the signing details (for chunk-signature checks of aws-chunked bodies).
 */
export function verifySigV4(
  req: SigV4Request,
  creds: RunCredentials | KeyLookup,
  options: SigV4Options | string = {},
): SigV4Result {
  const lookup: KeyLookup = typeof creds === 'function'
    ? creds
    : (id) => (id === creds.accessKeyId ? { secretAccessKey: creds.secretAccessKey } : undefined);
  const opts: SigV4Options = typeof options === 'string' ? { region: options } : options;
  const now = opts.now ?? new Date();
  const q = req.path.indexOf('?');
  const rawPath = q < 0 ? req.path : req.path.slice(0, q);
  const query = parseRawQuery(q < 0 ? '' : req.path.slice(q + 1));
  if (!query) return fail('AuthorizationHeaderMalformed', 'query string is not valid percent-encoding', 400);

  const authorization = headerValue(req.headers, 'authorization');
  const queryMap = new Map(query);
  let parts: AuthParts;
  let signedQuery = query;
  if (authorization !== undefined) {
    const parsed = parseAuthorizationHeader(authorization);
    if (typeof parsed === 'string') return fail('AuthorizationHeaderMalformed', parsed, 400);
    const amzDate = headerValue(req.headers, 'x-amz-date');
    if (!amzDate) return fail('AccessDenied', 'AWS authentication requires a valid x-amz-date header');
    parts = { ...parsed, amzDate };
  } else if (queryMap.has('X-Amz-Signature')) {
    if (queryMap.get('X-Amz-Algorithm') !== ALGORITHM) {
      return fail('AuthorizationHeaderMalformed', `X-Amz-Algorithm must be ${ALGORITHM}`, 400);
    }
    const expires = Number(queryMap.get('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS) {
      return fail('AuthorizationHeaderMalformed', 'X-Amz-Expires must be between 1 and 604800 seconds', 400);
    }
    parts = {
      credential: queryMap.get('X-Amz-Credential') ?? '',
      signedHeaders: (queryMap.get('X-Amz-SignedHeaders') ?? '').split(';'),
      signature: queryMap.get('X-Amz-Signature') ?? '',
      amzDate: queryMap.get('X-Amz-Date') ?? '',
      presigned: true,
      expiresSeconds: expires,
      payloadHash: queryMap.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
    };
    signedQuery = query.filter(([n]) => n !== 'X-Amz-Signature');
  } else {
    return fail('AccessDenied', 'Anonymous access is not allowed: sign requests with the local cloud credentials');
  }

  const scopeParts = parts.credential.split('/');
  if (scopeParts.length !== 5 || scopeParts[4] !== 'aws4_request') {
    return fail('AuthorizationHeaderMalformed', `malformed credential scope '${parts.credential}'`, 400);
  }
  const [accessKeyId, date, region, service] = scopeParts;
  const key = lookup(accessKeyId);
  if (!key) {
    return fail('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  if (opts.region && region !== opts.region) {
    return fail('AuthorizationHeaderMalformed', `the region '${region}' is wrong; expecting '${opts.region}'`, 400);
  }
  if (opts.service && service !== opts.service) {
    return fail('AuthorizationHeaderMalformed', `the service '${service}' is wrong; expecting '${opts.service}'`, 400);
  }
  const signedAt = parseAmzDate(parts.amzDate);
  if (!signedAt || !parts.amzDate.startsWith(date)) {
    return fail('AuthorizationHeaderMalformed', 'x-amz-date is missing, malformed or does not match the credential date', 400);
  }
  if (parts.presigned) {
    if (now.getTime() > signedAt.getTime() + (parts.expiresSeconds ?? 0) * 1000) {
      return fail('AccessDenied', 'Request has expired');
    }
    if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS) {
      return fail('RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.');
    }
  } else if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    return fail('RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.');
  }
  if (!parts.signedHeaders.includes('host')) {
    return fail('AuthorizationHeaderMalformed', 'the host header must be signed', 400);
  }

  let payloadHash: string;
  if (parts.presigned) {
    payloadHash = parts.payloadHash ?? 'UNSIGNED-PAYLOAD';
  } else {
    const claimed = headerValue(req.headers, 'x-amz-content-sha256');
    if (claimed !== undefined) {
      payloadHash = claimed;
      if (Buffer.isBuffer(req.body) && /^[0-9a-f]{64}$/i.test(claimed) && sha256Hex(req.body) !== claimed.toLowerCase()) {
        return fail('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
      }
    } else if (opts.service === 's3') {
      return fail('MissingSecurityHeader', 'Your request was missing a required header: x-amz-content-sha256', 400);
    } else if (req.body === 'UNSIGNED-PAYLOAD') {
      payloadHash = 'UNSIGNED-PAYLOAD';
    } else {
      payloadHash = req.body ? sha256Hex(req.body) : EMPTY_SHA256;
    }
  }

  const canonicalHeaders = parts.signedHeaders
    .map((name) => `${name}:${canonicalHeaderValue(headerValue(req.headers, name))}\n`)
    .join('');
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(rawPath, service),
    canonicalQuery(signedQuery),
    canonicalHeaders,
    parts.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, parts.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const derived = signingKey(key.secretAccessKey, date, region, service);
  const expected = createHmac('sha256', derived).update(stringToSign, 'utf8').digest('hex');
  if (!signaturesEqual(expected, parts.signature.toLowerCase())) {
    return fail(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  // Temporary credentials only work with their session token, and long-term keys with none.
  const token = parts.presigned ? queryMap.get('X-Amz-Security-Token') : headerValue(req.headers, 'x-amz-security-token');
  if ((token ?? '') !== (key.sessionToken ?? '')) {
    return fail('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
  }
  return {
    ok: true,
    auth: {
      accessKeyId,
      amzDate: parts.amzDate,
      scope,
      region,
      service,
      signature: expected,
      signingKey: derived,
      payloadHash,
      presigned: parts.presigned,
    },
  };
}

/** Expected signature of one chunk of a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` body. */
export function chunkSignature(auth: SigV4Auth, previousSignature: string, chunkSha256Hex: string): string {
  const stringToSign = [
    'AWS4-HMAC-SHA256-PAYLOAD',
    auth.amzDate,
    auth.scope,
    previousSignature,
    EMPTY_SHA256,
    chunkSha256Hex,
  ].join('\n');
  return createHmac('sha256', auth.signingKey).update(stringToSign, 'utf8').digest('hex');
}
