/**
 * Decoder for `Content-Encoding: aws-chunked` request bodies, which the AWS SDKs send for
 * streamed uploads (the SDK v3 default for a stream body is `STREAMING-UNSIGNED-PAYLOAD-TRAILER`
 * with a CRC32 trailer). The framing must never end up inside the stored object.
 *
 *   <hex-size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *   [<trailer-name>:<value>\r\n ...]\r\n
 *
 * Signed variants (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`) have each chunk signature
 * checked against the seed signature chain when `verifyChunk` is given.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './xml';

const MAX_LINE = 8192;

type State = 'size' | 'data' | 'data-crlf' | 'trailer' | 'done';

export interface AwsChunkedOptions {
  /** Called once per chunk (including the final empty one) with its sha256 and claimed signature. */
  verifyChunk?: (chunkSha256Hex: string, signature: string | undefined) => boolean;
}

export class AwsChunkedDecoder extends Transform {
  /** Trailing headers (lower-case names), available once the stream has finished. */
  readonly trailers = new Map<string, string>();
  private state: State = 'size';
  private line: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private chunkSignature: string | undefined;
  private chunkHash: Hash | undefined;

  constructor(private readonly options: AwsChunkedOptions = {}) {
    super();
  }

  override _transform(input: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      let pos = 0;
      while (pos < input.length) {
        if (this.state === 'data') {
          const take = Math.min(this.remaining, input.length - pos);
          const slice = input.subarray(pos, pos + take);
          this.chunkHash?.update(slice);
          this.push(slice);
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'data-crlf';
          continue;
        }
        if (this.state === 'done') {
          throw new S3Error('IncompleteBody', 'unexpected bytes after the final aws-chunked chunk');
        }
        // Line-oriented states: collect up to CRLF.
        const nl = input.indexOf(0x0a, pos);
        const end = nl < 0 ? input.length : nl + 1;
        this.line = this.line.length ? Buffer.concat([this.line, input.subarray(pos, end)]) : input.subarray(pos, end);
        pos = end;
        if (nl < 0) {
          if (this.line.length > MAX_LINE) throw new S3Error('IncompleteBody', 'aws-chunked header line too long');
          this.line = Buffer.from(this.line); // detach from the input buffer
          continue;
        }
        const text = this.line.toString('latin1').replace(/\r?\n$/, '');
        this.line = Buffer.alloc(0);
        this.onLine(text);
      }
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state !== 'done') {
      callback(new S3Error('IncompleteBody', 'The request body terminated unexpectedly'));
      return;
    }
    callback();
  }

  private onLine(text: string): void {
    switch (this.state) {
      case 'size': {
        const [sizeText, ...extensions] = text.split(';');
        if (!/^[0-9a-fA-F]+$/.test(sizeText.trim())) {
          throw new S3Error('IncompleteBody', `malformed aws-chunked chunk header '${text.slice(0, 80)}'`);
        }
        this.remaining = parseInt(sizeText, 16);
        const sig = extensions.find((e) => e.startsWith('chunk-signature='));
        this.chunkSignature = sig?.slice('chunk-signature='.length);
        this.chunkHash = this.options.verifyChunk ? createHash('sha256') : undefined;
        if (this.remaining === 0) {
          this.checkChunk();
          this.state = 'trailer';
        } else {
          this.state = 'data';
        }
        return;
      }
      case 'data-crlf':
        if (text !== '') throw new S3Error('IncompleteBody', 'aws-chunked chunk data is not followed by CRLF');
        this.checkChunk();
        this.state = 'size';
        return;
      case 'trailer': {
        if (text === '') {
          this.state = 'done';
          return;
        }
        const colon = text.indexOf(':');
        if (colon <= 0) throw new S3Error('IncompleteBody', `malformed aws-chunked trailer '${text.slice(0, 80)}'`);
        this.trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
        return;
      }
      default:
        throw new S3Error('IncompleteBody', 'aws-chunked decoder in an unexpected state');
    }
  }

  private checkChunk(): void {
    if (!this.options.verifyChunk) return;
    const digest = this.chunkHash ? this.chunkHash.digest('hex') : '';
    this.chunkHash = undefined;
    if (!this.options.verifyChunk(digest, this.chunkSignature)) {
      throw new S3Error('SignatureDoesNotMatch', 'aws-chunked chunk signature does not match');
    }
  }
}
