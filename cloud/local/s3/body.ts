/**
 * Receives an object (or part) body straight to a tmp file, decoding aws-chunked framing and
 * checking every integrity claim the client made (x-amz-content-sha256, Content-MD5,
 * x-amz-checksum-* header or trailer, lengths), in a single streaming pass. Only what the client
 * declared is hashed, plus MD5 for the ETag: a streamed SDK upload
 * (`STREAMING-UNSIGNED-PAYLOAD-TRAILER` + CRC32 trailer) costs MD5 + CRC32, a buffered part with
 * a hex `x-amz-content-sha256` costs MD5 + SHA256 + its declared checksum.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { chunkSignature, type SigV4Auth } from '../sigv4';
import { AwsChunkedDecoder } from './aws-chunked';
import { checksummer, type Checksummer } from './checksums';
import { S3Error } from './xml';

/** Where the body goes: its own new file, or a region of an existing file starting at `offset`. */
export interface BodyTarget {
  file: string;
  offset?: number;
}

export interface ReceivedBody {
  target: BodyTarget;
  size: number;
  md5Hex: string;
  /** Checksum the client declared and we verified (header or trailer). */
  checksum?: { algorithm: string; value: string };
}

/** Payload bytes each request delivered (decoded), for the server's request events. */
const bodyBytes = new WeakMap<IncomingMessage, number>();

/** How many payload bytes the server received in this request's body (0 if it read none). */
export function bodyBytesReceived(req: IncomingMessage): number {
  return bodyBytes.get(req) ?? 0;
}

/** Any declared checksum value (not the -algorithm/-type/-mode companions). */
const CHECKSUM_HEADER = /^x-amz-checksum-(?!algorithm$|type$|mode$)([a-z0-9]+)$/;

class Meter extends Transform {
  size = 0;
  readonly md5 = createHash('md5');
  constructor(
    private readonly sha256: Hash | undefined,
    private readonly checksum: Checksummer | undefined,
    /** Declared size: more bytes must never be written (a part may sit in a shared file). */
    private readonly limit: number | undefined,
  ) {
    super({ highWaterMark: 1 << 20 });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.limit !== undefined && this.size + chunk.length > this.limit) {
      cb(new S3Error('IncompleteBody', `The body is longer than the ${this.limit} bytes declared`));
      return;
    }
    this.size += chunk.length;
    this.md5.update(chunk);
    this.sha256?.update(chunk);
    this.checksum?.update(chunk);
    cb(null, chunk);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function isAwsChunked(req: IncomingMessage, auth: SigV4Auth): boolean {
  return auth.payloadHash.startsWith('STREAMING-') || /(^|,)\s*aws-chunked\s*(,|$)/.test(header(req, 'content-encoding') ?? '');
}

/** The body size the client announced (decoded size for aws-chunked), or undefined when unknown. */
export function declaredBodySize(req: IncomingMessage, auth: SigV4Auth): number | undefined {
  const chunked = isAwsChunked(req, auth);
  const lengthHeader = chunked ? header(req, 'x-amz-decoded-content-length') : header(req, 'content-length');
  if (chunked && lengthHeader === undefined) {
    throw new S3Error('MissingContentLength', 'aws-chunked uploads need x-amz-decoded-content-length');
  }
  const size = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) {
    throw new S3Error('InvalidArgument', `invalid content length '${lengthHeader}'`);
  }
  return size;
}

/**
 * Streams the body into `target`. On failure a file of its own is removed; a region of a shared
 * file is left as is (the caller never points metadata at it).
 */
/** Requests told "100 Continue": their client is sending the body. */
export const continued = new WeakSet<IncomingMessage>();

export async function receiveBody(req: IncomingMessage, res: ServerResponse, auth: SigV4Auth, target: BodyTarget): Promise<ReceivedBody> {
  const payloadHash = auth.payloadHash;
  const chunked = isAwsChunked(req, auth);
  const expectedSize = declaredBodySize(req, auth);

  // Which checksum did the client declare: a header now, or a trailer after the body?
  let algorithm: string | undefined;
  let claimedChecksum: string | undefined;
  for (const name of Object.keys(req.headers)) {
    const m = CHECKSUM_HEADER.exec(name);
    if (m) {
      algorithm = m[1].toUpperCase();
      claimedChecksum = header(req, name);
    }
  }
  const trailerName = header(req, 'x-amz-trailer')?.trim().toLowerCase();
  if (!algorithm && trailerName) {
    const m = CHECKSUM_HEADER.exec(trailerName);
    if (m) algorithm = m[1].toUpperCase();
  }
  const sum = algorithm ? checksummer(algorithm) : undefined;
  if (algorithm && !sum) {
    // Refuse rather than store a claim nobody checked.
    throw new S3Error('InvalidRequest', `x-amz-checksum-${algorithm.toLowerCase()} is not supported by the local store (use CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512 or MD5)`);
  }
  const sha256 = /^[0-9a-f]{64}$/i.test(payloadHash) ? createHash('sha256') : undefined;

  let previousSignature = auth.signature;
  const decoder = chunked
    ? new AwsChunkedDecoder({
        verifyChunk: payloadHash.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')
          ? (chunkSha, signature) => {
              const expected = chunkSignature(auth, previousSignature, chunkSha);
              previousSignature = expected;
              return signature === expected;
            }
          : undefined,
      })
    : undefined;
  const meter = new Meter(sha256, sum, expectedSize);

  if (header(req, 'expect')?.toLowerCase() === '100-continue') {
    res.writeContinue();
    continued.add(req);
  }
  try {
    const out =
      target.offset === undefined
        ? createWriteStream(target.file, { highWaterMark: 1 << 20 })
        : createWriteStream(target.file, { flags: 'r+', start: target.offset, highWaterMark: 1 << 20 });
    if (decoder) await pipeline(req, decoder, meter, out);
    else await pipeline(req, meter, out);

    if (expectedSize !== undefined && meter.size !== expectedSize) {
      throw new S3Error('IncompleteBody', `You did not provide the number of bytes specified (${meter.size} of ${expectedSize})`);
    }
    if (sha256 && sha256.digest('hex') !== payloadHash.toLowerCase()) {
      throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    const md5Hex = meter.md5.digest('hex');
    const contentMd5 = header(req, 'content-md5');
    if (contentMd5 !== undefined && Buffer.from(md5Hex, 'hex').toString('base64') !== contentMd5) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    if (algorithm && claimedChecksum === undefined && trailerName) claimedChecksum = decoder?.trailers.get(trailerName);
    if (algorithm && claimedChecksum === undefined) {
      throw new S3Error('InvalidRequest', `x-amz-checksum-${algorithm.toLowerCase()} was declared but never sent`);
    }
    if (sum && claimedChecksum !== undefined && sum.digestBase64() !== claimedChecksum) {
      throw new S3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
    }
    const checksum = algorithm && claimedChecksum !== undefined ? { algorithm, value: claimedChecksum } : undefined;
    return { target, size: meter.size, md5Hex, checksum };
  } catch (err) {
    if (target.offset === undefined) await fs.rm(target.file, { force: true });
    throw err;
  } finally {
    bodyBytes.set(req, meter.size);
  }
}
