/**
 * The headers stored with an object (Content-*, Cache-Control, Expires, `x-amz-meta-*`) and how
 * user metadata travels.
 *
 * AWS, "Working with object metadata" (S3 User Guide, UsingMetadata.html#UserMetadata): user
 * metadata is limited to 2 KB (names and values, UTF-8) — larger is refused with
 * MetadataTooLarge — and non-US-ASCII values are stored as the Unicode text and "encoded as per
 * RFC 2047 to make them mail-safe before returning": `café` comes back as
 * `=?UTF-8?B?Y2Fmw6k=?=` (the SDK for JavaScript hands that string to the caller as it is).
 */
import type { IncomingMessage } from 'node:http';
import { headerText } from '../wire-text';
import type { ObjectHeaders } from './store';
import { S3Error } from './xml';

const META_PREFIX = 'x-amz-meta-';
export const MAX_USER_METADATA_BYTES = 2048;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Content headers and x-amz-meta-* taken from a PutObject/CopyObject/CreateMultipartUpload request. */
export function objectHeaders(req: IncomingMessage): ObjectHeaders {
  const metadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith(META_PREFIX) || value === undefined) continue;
    const text = headerText(Array.isArray(value) ? value.join(',') : value);
    const key = name.slice(META_PREFIX.length);
    metadata[key] = text;
    metadataBytes += Buffer.byteLength(key) + Buffer.byteLength(text);
  }
  if (metadataBytes > MAX_USER_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', `Your metadata headers exceed the maximum allowed metadata size (${metadataBytes} of ${MAX_USER_METADATA_BYTES} bytes).`, {
      Size: String(metadataBytes),
      MaxSizeAllowed: String(MAX_USER_METADATA_BYTES),
    });
  }
  // aws-chunked is transport framing, not a property of the stored object.
  const encoding = (header(req, 'content-encoding') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'aws-chunked')
    .join(',');
  return {
    contentType: header(req, 'content-type'),
    contentEncoding: encoding || undefined,
    contentDisposition: header(req, 'content-disposition'),
    contentLanguage: header(req, 'content-language'),
    cacheControl: header(req, 'cache-control'),
    expires: header(req, 'expires'),
    metadata,
  };
}

/** A stored metadata value as S3 returns it: as is when printable ASCII, else one RFC 2047 B-encoded word. */
export function metadataHeaderValue(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
