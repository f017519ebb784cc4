/**
 * Which IAM action, resource and condition keys each S3 request is authorised by, as the
 * Service Authorization Reference ("Actions, resources, and condition keys for Amazon S3") and
 * "Required permissions for Amazon S3 API operations" list them. Pure: the server evaluates the
 * checks with the account's policies before it performs the operation.
 */
import type { IncomingMessage } from 'node:http';
import type { ContextValue } from '../iam/evaluate';

export interface S3Check {
  action: string;
  resource: string;
  context: Record<string, ContextValue | undefined>;
}

export interface S3Operation {
  /** The API operation's name, as in the S3 API reference (UploadPart, ListObjectsV2, ...). */
  name: string;
  checks: S3Check[];
}

const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/**
 * The local servers listen on loopback only, where bytes never cross a network: a request that
 * arrives over loopback counts as secure transport (aws:SecureTransport "true"), anything else
 * does not, so the template's TLS-only bucket policy keeps its meaning.
 */
export function secureTransport(req: IncomingMessage): 'true' | 'false' {
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  return loopback || 'encrypted' in req.socket ? 'true' : 'false';
}

function copySource(header: string | undefined): { bucket: string; key: string } | undefined {
  if (!header) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header.split('?')[0]);
  } catch {
    return undefined;
  }
  const trimmed = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = trimmed.indexOf('/');
  return slash > 0 ? { bucket: trimmed.slice(0, slash), key: trimmed.slice(slash + 1) } : undefined;
}

/** The operation a request names and the permissions it needs (empty for unknown routes: the router refuses those). */
export function s3Operation(
  method: string,
  bucket: string,
  key: string,
  query: Map<string, string>,
  headers: IncomingMessage['headers'],
  secure: 'true' | 'false',
): S3Operation {
  const base = { 'aws:SecureTransport': secure };
  const check = (action: string, resource: string, extra: Record<string, string | undefined> = {}): S3Check =>
    ({ action, resource, context: { ...base, ...extra } });
  const op = (name: string, ...checks: S3Check[]): S3Operation => ({ name, checks });
  const has = (name: string) => query.has(name);
  if (!bucket) return op('ListBuckets', check('s3:ListAllMyBuckets', '*'));
  const b = bucketArn(bucket);
  if (!key) {
    switch (method) {
      case 'PUT': return op('CreateBucket', check('s3:CreateBucket', b));
      case 'HEAD': return op('HeadBucket', check('s3:ListBucket', b));
      case 'DELETE': return op('DeleteBucket', check('s3:DeleteBucket', b));
      case 'POST': return op('DeleteObjects'); // each key is checked as s3:DeleteObject by the handler
      case 'GET': {
        if (has('location')) return op('GetBucketLocation', check('s3:GetBucketLocation', b));
        if (has('uploads')) return op('ListMultipartUploads', check('s3:ListBucketMultipartUploads', b));
        // Listing condition keys are present only when the request carries the parameter.
        const listing = { 's3:prefix': query.get('prefix'), 's3:delimiter': query.get('delimiter'), 's3:max-keys': query.get('max-keys') };
        return op(query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects', check('s3:ListBucket', b, listing));
      }
    }
    return op('Unknown');
  }
  const o = objectArn(bucket, key);
  const source = copySource(headers['x-amz-copy-source'] as string | undefined);
  switch (method) {
    case 'PUT':
      if (has('uploadId')) return op('UploadPart', check('s3:PutObject', o));
      if (source) return op('CopyObject', check('s3:PutObject', o), check('s3:GetObject', objectArn(source.bucket, source.key)));
      return op('PutObject', check('s3:PutObject', o));
    case 'GET':
      if (has('uploadId')) return op('ListParts', check('s3:ListMultipartUploadParts', o));
      return op('GetObject', check('s3:GetObject', o));
    case 'HEAD':
      return op('HeadObject', check('s3:GetObject', o));
    case 'DELETE':
      if (has('uploadId')) return op('AbortMultipartUpload', check('s3:AbortMultipartUpload', o));
      return op('DeleteObject', check('s3:DeleteObject', o));
    case 'POST':
      if (has('uploads')) return op('CreateMultipartUpload', check('s3:PutObject', o));
      if (has('uploadId')) return op('CompleteMultipartUpload', check('s3:PutObject', o));
  }
  return op('Unknown');
}

/** What S3 checks before telling a caller a key does not exist: without it, the answer is 403. */
export function listBucketCheck(bucket: string, secure: 'true' | 'false'): S3Check {
  return { action: 's3:ListBucket', resource: bucketArn(bucket), context: { 'aws:SecureTransport': secure } };
}

export function deleteObjectCheck(bucket: string, key: string, secure: 'true' | 'false'): S3Check {
  return { action: 's3:DeleteObject', resource: objectArn(bucket, key), context: { 'aws:SecureTransport': secure } };
}
