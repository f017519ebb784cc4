/**
 * The local cloud's S3-compatible store: a focused server on node:http, path-style only.
 *
 * Why not a library: the issue suggests "a maintained library such as s3rver". We measured the
 * installed maintained fork, @20minutes/s3rver 4.0.4, with @aws-sdk/client-s3 3.11xx (probe in
 * the commit history of this file): a streamed PutObject with the SDK's default checksums is
 * refused (`x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD...`:
 * it does not know `STREAMING-UNSIGNED-PAYLOAD-TRAILER`), ListObjectsV2 fails with
 * SignatureDoesNotMatch (its query canonicalisation), a suffix range `bytes=-100` returns 101
 * wrong bytes, and ListParts answers 405 MethodNotAllowed (4 of the 6 operations we need).
 * s3rver 3.7.1 is unmaintained, checks no signature, stores aws-chunked framing inside objects
 * and also lacks ListParts (TRAPS.md). Fixing the fork from the outside needs a front layer that
 * verifies SigV4, decodes aws-chunked, answers Range and ListParts itself and re-signs requests
 * for the library: that layer is most of a server, with the library reduced to writing files
 * behind an opaque layout we would then read around for `objectFilePath`. So this is a small
 * server doing only what our SDK/CLI clients use, with tests that prove byte-for-byte round
 * trips through the real @aws-sdk clients and the aws CLI.
 *
 * Supported: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation,
 * ListObjects(V1/V2), ListMultipartUploads, DeleteObjects, PutObject, CopyObject, GetObject
 * (Range, partNumber), HeadObject, DeleteObject, Create/UploadPart/ListParts/Complete/
 * AbortMultipartUpload; conditional reads and writes (conditions.ts), multipart checksums
 * (multipart-checksum.ts), a retried Complete answered again. Bodies stream to disk; SigV4
 * (header and presigned) is checked on every request, then the account's IAM policies
 * (authorization.ts names the permission each operation needs).
 * test/integration/s3-conformance.test.ts checks each of these through the SDK (and against
 * moto_server where installed).
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RunCredentials } from '../credentials';
import { closeServer, listen, newRequestId, readBody } from '../http-util';
import { parseRawQuery, verifySigV4, type KeyLookup, type SigV4Auth } from '../sigv4';
import { deleteObjectCheck, listBucketCheck, s3Operation, secureTransport, type S3Check } from './authorization';
import { bodyBytesReceived, continued, declaredBodySize, receiveBody } from './body';
import { checkWriteCondition, copySourcePrecondition, parseWriteCondition, readPrecondition } from './conditions';
import { decodeContinuationToken, encodeContinuationToken, listKeys } from './listing';
import { checkCompleteRequest, checkPartChecksum, completeClaims, objectChecksum, uploadChecksumSettings } from './multipart-checksum';
import { metadataHeaderValue, objectHeaders } from './object-headers';
import { parseRange } from './range';
import { MIN_PART_SIZE, S3Store, type CompletedUpload, type ObjectMeta } from './store';
import { errorXml, S3Error, unescapeXml, xmlDocument, xmlTexts, type XmlNode } from './xml';

export interface S3ServerOptions {
  /** Where buckets and objects live; reused across restarts. */
  dataDir: string;
  host?: string;
  port?: number;
  /** One key pair (every signed request allowed), or the account's keys with `authorize`. */
  credentials: RunCredentials | KeyLookup;
  /** IAM: may the holder of this key do this? Absent: every correctly signed request may. */
  authorize?: (accessKeyId: string, check: S3Check) => { allowed: true } | { allowed: false; message: string };
  /** Sees every request once answered (tests count UploadPart requests at the server this way). */
  onRequest?: (event: S3RequestEvent) => void;
  region: string;
  /** Buckets created at start if missing. */
  buckets: string[];
}

export interface S3RequestEvent {
  operation: string;
  bucket: string;
  key: string;
  accessKeyId?: string;
  query: Record<string, string>;
  status: number;
  /** Object bytes received in the body (PutObject, UploadPart): what a client really sent. */
  bodyBytes: number;
  /** When the request was routed and when its answer was sent (epoch ms, sub-ms precision): which requests overlapped. */
  receivedAtMs: number;
  answeredAtMs: number;
}

export interface S3ServerHandle {
  endpoint: string;
  close(): Promise<void>;
  /** Path of the file holding the object's bytes (read-only use). Throws NoSuchKey/NoSuchBucket. */
  objectFilePath(bucket: string, key: string): Promise<string>;
}

const OWNER = { ID: 'hospup-local', DisplayName: 'hospup-local' };
const MAX_SMALL_BODY = 10 * 1024 * 1024;
const MAX_PARTS = 10000;
const PART_CHECKSUM_ELEMENTS = ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256', 'ChecksumSHA512', 'ChecksumMD5'];

export async function startS3Server(options: S3ServerOptions): Promise<S3ServerHandle> {
  const store = new S3Store(options.dataDir);
  await store.init(options.buckets);
  const ctx: HandlerContext = { store, credentials: options.credentials, region: options.region, authorize: options.authorize, onRequest: options.onRequest };
  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 30_000 }, (req, res) => void handle(ctx, req, res));
  // Verify the signature before telling a client to send a large body.
  server.on('checkContinue', (req, res) => void handle(ctx, req, res));
  const endpoint = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return {
    endpoint,
    close: () => closeServer(server),
    objectFilePath: async (bucket, key) => {
      store.requireObject(bucket, key);
      return store.dataFile(bucket, key);
    },
  };
}

interface HandlerContext {
  store: S3Store;
  credentials: RunCredentials | KeyLookup;
  region: string;
  authorize?: S3ServerOptions['authorize'];
  onRequest?: S3ServerOptions['onRequest'];
}

interface S3Request {
  req: IncomingMessage;
  res: ServerResponse;
  auth: SigV4Auth;
  bucket: string;
  key: string;
  query: Map<string, string>;
  requestId: string;
  /** aws:SecureTransport of this request. */
  secure: 'true' | 'false';
  /** Undefined when allowed; else AWS's access-denied message. */
  denied(check: S3Check): string | undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

async function handle(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  res.setHeader('x-amz-request-id', requestId);
  res.setHeader('x-amz-id-2', requestId);
  res.setHeader('Server', 'HospupLocalS3');
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  try {
    const verdict = verifySigV4(
      { method: req.method ?? 'GET', path: rawUrl, headers: req.headers },
      ctx.credentials,
      { region: ctx.region, service: 's3' },
    );
    if (!verdict.ok) throw new S3Error(verdict.code, verdict.message, {}, verdict.status);
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(rawPath);
    } catch {
      throw new S3Error('InvalidURI', 'Couldn\'t parse the specified URI.', {}, 400);
    }
    const slash = decodedPath.indexOf('/', 1);
    const bucket = slash < 0 ? decodedPath.slice(1) : decodedPath.slice(1, slash);
    const key = slash < 0 ? '' : decodedPath.slice(slash + 1);
    const query = new Map(parseRawQuery(q < 0 ? '' : rawUrl.slice(q + 1)) ?? []);
    query.delete('x-id'); // the SDK v3 names the operation here; S3 ignores it
    for (const name of [...query.keys()]) if (/^x-amz-/i.test(name)) query.delete(name); // presign (smithy hoists x-amz-content-sha256 lower-case)
    const secure = secureTransport(req);
    const accessKeyId = verdict.auth.accessKeyId;
    const denied = (check: S3Check) => {
      const answer = ctx.authorize?.(accessKeyId, check);
      return answer && !answer.allowed ? answer.message : undefined;
    };
    const operation = s3Operation(req.method ?? 'GET', bucket, key, query, req.headers, secure);
    if (ctx.onRequest) {
      const report = ctx.onRequest;
      const receivedAtMs = performance.timeOrigin + performance.now();
      res.on('finish', () => report({
        operation: operation.name, bucket, key, accessKeyId, query: Object.fromEntries(query), status: res.statusCode, bodyBytes: bodyBytesReceived(req), receivedAtMs, answeredAtMs: performance.timeOrigin + performance.now(),
      }));
    }
    // Bucket names are global: S3 says a bucket does not exist before it asks IAM.
    if (bucket && operation.name !== 'CreateBucket') requireBucket(ctx, bucket);
    for (const check of operation.checks) {
      const message = denied(check);
      if (message) throw new S3Error('AccessDenied', message, {}, 403);
    }
    await route(ctx, { req, res, auth: verdict.auth, bucket, key, query, requestId, secure, denied });
  } catch (err) {
    // Refused before its body was read (a denied PutObject/UploadPart): read a moderate body
    // first, so the client gets the answer instead of a broken pipe it would retry as a network error.
    // A client waiting for 100-continue has sent no body yet: answer it right away.
    const waitsForContinue = /100-continue/i.test(String(req.headers.expect ?? '')) && !continued.has(req);
    if (!req.complete && !res.headersSent && !waitsForContinue) await drainBody(req, MAX_DRAIN_BYTES, 10_000);
    sendError(req, res, err, rawPath, requestId);
  }
}

const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

function drainBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? req.headers['x-amz-decoded-content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    req.on('data', onData);
    req.once('end', done);
    req.once('error', done);
    req.resume();
  });
}

function sendError(req: IncomingMessage, res: ServerResponse, err: unknown, resource: string, requestId: string): void {
  const s3err = err instanceof S3Error ? err : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
  // A client that hung up mid-body (a killed upload) is not a server fault.
  const hungUp = (err as { code?: string })?.code === 'ECONNRESET' || req.destroyed;
  if (!(err instanceof S3Error) && !hungUp) console.error('[local-s3] internal error', err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A body we did not read would otherwise be parsed as the next request.
  if (!req.complete) res.setHeader('Connection', 'close');
  res.statusCode = s3err.status;
  if (s3err.code === 'InvalidRange' && s3err.extra.ActualObjectSize) {
    res.setHeader('Content-Range', `bytes */${s3err.extra.ActualObjectSize}`);
  }
  if (req.method === 'HEAD') {
    res.end();
  } else {
    res.setHeader('Content-Type', 'application/xml');
    res.end(errorXml(s3err, resource, requestId));
  }
  if (!req.complete) req.resume();
}

function sendXml(res: ServerResponse, root: string, body: XmlNode, status = 200): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/xml');
  res.end(xmlDocument(root, body));
}

function requireBucket(ctx: HandlerContext, bucket: string): void {
  if (!ctx.store.hasBucket(bucket)) {
    throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
  }
}

function notImplemented(): never {
  throw new S3Error('NotImplemented', 'A header or query you provided implies functionality that is not implemented by the local store');
}

async function route(ctx: HandlerContext, r: S3Request): Promise<void> {
  const method = r.req.method ?? 'GET';
  const has = (name: string) => r.query.has(name);
  if (!r.bucket) {
    if (method === 'GET') return listBuckets(ctx, r);
    throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
  if (!r.key) {
    switch (method) {
      case 'PUT':
        if (r.query.size > 0) notImplemented();
        await readBody(r.req, MAX_SMALL_BODY); // optional CreateBucketConfiguration; region is ours
        await ctx.store.createBucket(r.bucket);
        r.res.setHeader('Location', `/${r.bucket}`);
        r.res.end();
        return;
      case 'HEAD':
        requireBucket(ctx, r.bucket);
        r.res.setHeader('x-amz-bucket-region', ctx.region);
        r.res.end();
        return;
      case 'DELETE':
        await ctx.store.deleteBucket(r.bucket);
        r.res.statusCode = 204;
        r.res.end();
        return;
      case 'GET':
        requireBucket(ctx, r.bucket);
        if (has('location')) return sendXml(r.res, 'LocationConstraint', {});
        if (has('uploads')) return listUploads(ctx, r);
        if (r.query.get('list-type') === '2') return listObjects(ctx, r, 2);
        for (const name of r.query.keys()) {
          if (!['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type'].includes(name)) notImplemented();
        }
        return listObjects(ctx, r, 1);
      case 'POST':
        if (has('delete')) return deleteObjects(ctx, r);
        notImplemented();
    }
    throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
  requireBucket(ctx, r.bucket);
  switch (method) {
    case 'PUT':
      if (has('uploadId')) {
        if (header(r.req, 'x-amz-copy-source')) notImplemented();
        return uploadPart(ctx, r);
      }
      if (r.query.size > 0) notImplemented();
      if (header(r.req, 'x-amz-copy-source')) return copyObject(ctx, r);
      return putObject(ctx, r);
    case 'GET':
      if (has('uploadId')) return listParts(ctx, r);
      for (const name of r.query.keys()) {
        if (!name.startsWith('response-') && name !== 'partNumber') notImplemented();
      }
      return getObject(ctx, r, false);
    case 'HEAD':
      for (const name of r.query.keys()) {
        if (!name.startsWith('response-') && name !== 'partNumber') notImplemented();
      }
      return getObject(ctx, r, true);
    case 'DELETE':
      if (has('uploadId')) {
        const upload = await ctx.store.getUpload(r.bucket, r.key, r.query.get('uploadId') ?? '');
        await ctx.store.abortUpload(r.bucket, upload);
      } else {
        await ctx.store.deleteObject(r.bucket, r.key);
      }
      r.res.statusCode = 204;
      r.res.end();
      return;
    case 'POST':
      if (has('uploads')) return createUpload(ctx, r);
      if (has('uploadId')) return completeUpload(ctx, r);
      notImplemented();
  }
  throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.');
}

// ---- service / bucket operations ----

function listBuckets(ctx: HandlerContext, r: S3Request): void {
  sendXml(r.res, 'ListAllMyBucketsResult', {
    Owner: OWNER,
    Buckets: { Bucket: ctx.store.listBuckets().map((b) => ({ Name: b.name, CreationDate: b.creationDate })) },
  });
}

function parseMaxKeys(value: string | undefined, name: string, fallback = 1000): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new S3Error('InvalidArgument', `${name} must be a non-negative integer`);
  return Math.min(n, 1000);
}

function listObjects(ctx: HandlerContext, r: S3Request, version: 1 | 2): void {
  const prefix = r.query.get('prefix') ?? '';
  const delimiter = r.query.get('delimiter') ?? '';
  const maxKeys = parseMaxKeys(r.query.get('max-keys'), 'max-keys');
  const urlEncode = r.query.get('encoding-type') === 'url';
  const enc = (s: string) => (urlEncode ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  let after: string;
  let skipPrefix: string | undefined;
  const token = r.query.get('continuation-token');
  if (version === 2 && token !== undefined) {
    const last = decodeContinuationToken(token);
    if (!last) throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect');
    after = last.value;
    if (last.isPrefix) skipPrefix = last.value;
  } else if (version === 2) {
    after = r.query.get('start-after') ?? '';
  } else {
    after = r.query.get('marker') ?? '';
  }
  const page = listKeys(ctx.store.sortedKeys(r.bucket), { prefix, delimiter, maxKeys, after, skipPrefix });
  const contents = page.keys.map((key) => {
    const meta = ctx.store.getObject(r.bucket, key)!;
    return {
      Key: enc(key),
      LastModified: meta.lastModified,
      ETag: meta.etag,
      Size: meta.size,
      StorageClass: 'STANDARD',
      Owner: version === 1 ? OWNER : undefined,
    };
  });
  const common: XmlNode = {
    Name: r.bucket,
    Prefix: enc(prefix),
    Delimiter: delimiter ? enc(delimiter) : undefined,
    MaxKeys: maxKeys,
    EncodingType: urlEncode ? 'url' : undefined,
    IsTruncated: page.isTruncated,
  };
  // V1 echoes Prefix as sent even with encoding-type=url (botocore, which always asks for url,
  // decodes Marker, NextMarker, Delimiter, Key and CommonPrefixes but not V1's Prefix); V2 encodes it.
  if (version === 1) common.Prefix = prefix;
  const body: XmlNode =
    version === 2
      ? {
          ...common,
          KeyCount: page.keys.length + page.commonPrefixes.length,
          ContinuationToken: token,
          NextContinuationToken: page.isTruncated && page.last ? encodeContinuationToken(page.last) : undefined,
          StartAfter: r.query.has('start-after') ? enc(r.query.get('start-after')!) : undefined,
        }
      : {
          Marker: enc(r.query.get('marker') ?? ''),
          ...common,
          // "This element is returned only if you have the delimiter request parameter specified."
          NextMarker: delimiter && page.isTruncated && page.last ? enc(page.last.value) : undefined,
        };
  body.Contents = contents;
  body.CommonPrefixes = page.commonPrefixes.map((p) => ({ Prefix: enc(p) }));
  sendXml(r.res, 'ListBucketResult', body);
}

async function listUploads(ctx: HandlerContext, r: S3Request): Promise<void> {
  const prefix = r.query.get('prefix') ?? '';
  const uploads = (await ctx.store.listUploads(r.bucket)).filter((u) => u.key.startsWith(prefix));
  sendXml(r.res, 'ListMultipartUploadsResult', {
    Bucket: r.bucket,
    KeyMarker: '',
    UploadIdMarker: '',
    Prefix: prefix,
    MaxUploads: 1000,
    IsTruncated: false,
    Upload: uploads.map((u) => ({
      Key: u.key,
      UploadId: u.uploadId,
      Initiator: OWNER,
      Owner: OWNER,
      StorageClass: 'STANDARD',
      Initiated: u.initiated,
    })),
  });
}

async function deleteObjects(ctx: HandlerContext, r: S3Request): Promise<void> {
  requireBucket(ctx, r.bucket);
  const xml = (await readBody(r.req, MAX_SMALL_BODY)).toString('utf8');
  const quiet = xmlTexts(xml, 'Quiet')[0]?.trim() === 'true';
  const keys = xmlTexts(xml, 'Object').map((o) => unescapeXml(xmlTexts(o, 'Key')[0] ?? ''));
  if (keys.length === 0 || keys.length > 1000) throw new S3Error('MalformedXML', 'Delete needs 1 to 1000 <Object><Key> entries');
  // Each key is authorised on its own; refused keys are reported, the others deleted.
  const refused: { Key: string; Code: string; Message: string }[] = [];
  const deleted: { Key: string }[] = [];
  for (const key of keys) {
    const message = r.denied(deleteObjectCheck(r.bucket, key, r.secure));
    if (message) {
      refused.push({ Key: key, Code: 'AccessDenied', Message: message });
      continue;
    }
    await ctx.store.deleteObject(r.bucket, key);
    deleted.push({ Key: key });
  }
  sendXml(r.res, 'DeleteResult', { Deleted: quiet ? [] : deleted, Error: refused });
}

// ---- object operations ----

function setChecksumHeader(res: ServerResponse, checksum: ObjectMeta['checksum']): void {
  if (!checksum) return;
  res.setHeader(`x-amz-checksum-${checksum.algorithm.toLowerCase()}`, checksum.value);
  if (checksum.type) res.setHeader('x-amz-checksum-type', checksum.type);
}

async function putObject(ctx: HandlerContext, r: S3Request): Promise<void> {
  // Checked before the body is read (fail fast) and again at commit, under the key's lock.
  const condition = parseWriteCondition(r.req.headers);
  checkWriteCondition(condition, ctx.store.getObject(r.bucket, r.key), r.key);
  const headers = objectHeaders(r.req);
  const body = await receiveBody(r.req, r.res, r.auth, { file: ctx.store.tmpFile() });
  const meta = await ctx.store.commitObject(r.bucket, body.target.file, {
    ...headers,
    key: r.key,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    lastModified: new Date().toISOString(),
    checksum: body.checksum && { ...body.checksum, type: 'FULL_OBJECT' },
  }, (current) => checkWriteCondition(condition, current, r.key));
  r.res.setHeader('ETag', meta.etag);
  setChecksumHeader(r.res, meta.checksum);
  r.res.end();
}

function parseCopySource(value: string): { bucket: string; key: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.split('?')[0]);
  } catch {
    throw new S3Error('InvalidArgument', 'x-amz-copy-source is not valid percent-encoding');
  }
  const trimmed = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = trimmed.indexOf('/');
  if (slash <= 0 || slash === trimmed.length - 1) {
    throw new S3Error('InvalidArgument', 'x-amz-copy-source must be "<bucket>/<key>"');
  }
  return { bucket: trimmed.slice(0, slash), key: trimmed.slice(slash + 1) };
}

async function copyObject(ctx: HandlerContext, r: S3Request): Promise<void> {
  const source = parseCopySource(header(r.req, 'x-amz-copy-source')!);
  const sourceMeta = ctx.store.requireObject(source.bucket, source.key);
  await readBody(r.req, MAX_SMALL_BODY);
  const failed = copySourcePrecondition(r.req.headers, sourceMeta);
  if (failed) throw failed;
  const condition = parseWriteCondition(r.req.headers);
  checkWriteCondition(condition, ctx.store.getObject(r.bucket, r.key), r.key);
  const replace = header(r.req, 'x-amz-metadata-directive') === 'REPLACE';
  if (!replace && source.bucket === r.bucket && source.key === r.key) {
    throw new S3Error('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const headers = replace ? objectHeaders(r.req) : undefined;
  const tmp = await ctx.store.copyToTmp(source.bucket, source.key);
  const { key: _k, lastModified: _l, ...kept } = sourceMeta;
  const meta = await ctx.store.commitObject(r.bucket, tmp, {
    ...(headers ? { ...headers, size: sourceMeta.size, etag: sourceMeta.etag, checksum: sourceMeta.checksum, parts: sourceMeta.parts } : kept),
    key: r.key,
    lastModified: new Date().toISOString(),
  }, (current) => checkWriteCondition(condition, current, r.key));
  sendXml(r.res, 'CopyObjectResult', { ETag: meta.etag, LastModified: meta.lastModified });
}

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/**
 * GetObject/HeadObject `partNumber`: "Effectively performs a 'ranged' GET request for the part
 * specified" (206 with Content-Range and x-amz-mp-parts-count). An object uploaded in one piece
 * has one part, the whole object; another number is InvalidPartNumber (416). A Range header
 * with it is refused.
 */
function partRange(meta: ObjectMeta, value: string, rangeHeader: string | undefined): ReturnType<typeof parseRange> {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_PARTS) {
    throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: value });
  }
  if (rangeHeader !== undefined) throw new S3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
  const parts = meta.parts ?? [{ partNumber: 1, size: meta.size }];
  let start = 0;
  for (const part of parts) {
    if (part.partNumber === n) {
      if (part.size === 0) return { kind: 'full' };
      return { kind: 'partial', start, end: start + part.size - 1 };
    }
    start += part.size;
  }
  throw new S3Error('InvalidPartNumber', 'The requested partnumber is not satisfiable', { PartNumberRequested: value, ActualPartCount: String(parts.length) });
}

/** The object, or S3's answer for a missing one: 404 to callers allowed to list the bucket, 403 to others. */
function requireReadableObject(ctx: HandlerContext, r: S3Request): ObjectMeta {
  try {
    return ctx.store.requireObject(r.bucket, r.key);
  } catch (err) {
    const listDenied = err instanceof S3Error && err.code === 'NoSuchKey' ? r.denied(listBucketCheck(r.bucket, r.secure)) : undefined;
    if (listDenied) throw new S3Error('AccessDenied', listDenied, {}, 403);
    throw err;
  }
}

async function getObject(ctx: HandlerContext, r: S3Request, headOnly: boolean): Promise<void> {
  const meta = requireReadableObject(ctx, r);
  const { res, req } = r;
  res.setHeader('ETag', meta.etag);
  res.setHeader('Last-Modified', httpDate(meta.lastModified));
  const precondition = readPrecondition(req.headers, meta);
  if (precondition instanceof S3Error) throw precondition;
  if (precondition === 'not-modified') {
    res.statusCode = 304;
    res.end();
    return;
  }
  const partNumber = r.query.get('partNumber');
  const range = partNumber === undefined ? parseRange(header(req, 'range'), meta.size) : partRange(meta, partNumber, header(req, 'range'));
  if (range.kind === 'unsatisfiable') {
    throw new S3Error('InvalidRange', 'The requested range is not satisfiable', {
      RangeRequested: header(req, 'range') ?? '',
      ActualObjectSize: String(meta.size),
    });
  }
  if (partNumber !== undefined && meta.parts) res.setHeader('x-amz-mp-parts-count', String(meta.parts.length));
  const overrides = (name: string, fallback: string | undefined) => r.query.get(`response-${name}`) ?? fallback;
  const contentType = overrides('content-type', meta.contentType ?? 'binary/octet-stream');
  res.setHeader('Content-Type', contentType!);
  const optional: Array<[string, string | undefined]> = [
    ['Content-Encoding', overrides('content-encoding', meta.contentEncoding)],
    ['Content-Disposition', overrides('content-disposition', meta.contentDisposition)],
    ['Content-Language', overrides('content-language', meta.contentLanguage)],
    ['Cache-Control', overrides('cache-control', meta.cacheControl)],
    ['Expires', overrides('expires', meta.expires)],
  ];
  for (const [name, value] of optional) if (value !== undefined) res.setHeader(name, value);
  for (const [name, value] of Object.entries(meta.metadata)) res.setHeader(`x-amz-meta-${name}`, metadataHeaderValue(value));
  res.setHeader('Accept-Ranges', 'bytes');
  const wantsChecksum = header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
  if (wantsChecksum && range.kind === 'full') setChecksumHeader(res, meta.checksum);
  let start = 0;
  let end = meta.size - 1;
  if (range.kind === 'partial') {
    ({ start, end } = range);
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${meta.size}`);
  }
  res.setHeader('Content-Length', String(meta.size === 0 ? 0 : end - start + 1));
  if (headOnly || meta.size === 0) {
    res.end();
    return;
  }
  const file = ctx.store.dataFile(r.bucket, r.key);
  const stream = createReadStream(file, { start, end, highWaterMark: 1 << 20 });
  await new Promise<void>((resolve) => {
    stream.on('error', (err) => {
      console.error('[local-s3] read failed', file, err);
      res.destroy(err);
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

// ---- multipart ----

async function createUpload(ctx: HandlerContext, r: S3Request): Promise<void> {
  const checksum = uploadChecksumSettings(r.req.headers);
  const upload = await ctx.store.createUpload(r.bucket, r.key, objectHeaders(r.req), checksum);
  await readBody(r.req, MAX_SMALL_BODY);
  if (checksum) {
    r.res.setHeader('x-amz-checksum-algorithm', checksum.algorithm);
    r.res.setHeader('x-amz-checksum-type', checksum.type);
  }
  sendXml(r.res, 'InitiateMultipartUploadResult', { Bucket: r.bucket, Key: r.key, UploadId: upload.uploadId });
}

function parsePartNumber(value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) {
    throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
  }
  return n;
}

async function uploadPart(ctx: HandlerContext, r: S3Request): Promise<void> {
  const partNumber = parsePartNumber(r.query.get('partNumber'));
  const upload = await ctx.store.getUpload(r.bucket, r.key, r.query.get('uploadId') ?? '');
  // Written straight to its final place in the object when we can guess it (see store.ts).
  const placement = await ctx.store.placePart(r.bucket, upload, partNumber, declaredBodySize(r.req, r.auth));
  let body: Awaited<ReturnType<typeof receiveBody>>;
  try {
    body = await receiveBody(r.req, r.res, r.auth, placement.target);
  } finally {
    placement.release();
  }
  checkPartChecksum(upload, body.checksum);
  const etag = `"${body.md5Hex}"`;
  await ctx.store.commitPart(r.bucket, upload, body.target, {
    partNumber,
    size: body.size,
    etag,
    lastModified: new Date().toISOString(),
    md5Hex: body.md5Hex,
    checksum: body.checksum,
  });
  r.res.setHeader('ETag', etag);
  setChecksumHeader(r.res, body.checksum);
  r.res.end();
}

async function listParts(ctx: HandlerContext, r: S3Request): Promise<void> {
  const upload = await ctx.store.getUpload(r.bucket, r.key, r.query.get('uploadId') ?? '');
  const marker = Number(r.query.get('part-number-marker') ?? '0');
  const maxParts = parseMaxKeys(r.query.get('max-parts'), 'max-parts');
  const after = (await ctx.store.listParts(r.bucket, upload)).filter((p) => p.partNumber > marker);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  sendXml(r.res, 'ListPartsResult', {
    Bucket: r.bucket,
    Key: r.key,
    UploadId: upload.uploadId,
    Initiator: OWNER,
    Owner: OWNER,
    StorageClass: 'STANDARD',
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : marker,
    MaxParts: maxParts,
    IsTruncated: truncated,
    // Each part's checksum, as S3 lists it, so a client resuming an upload can check its parts.
    Part: page.map((p) => ({
      PartNumber: p.partNumber, LastModified: p.lastModified, ETag: p.etag, Size: p.size,
      ...(p.checksum && { [`Checksum${p.checksum.algorithm}`]: p.checksum.value }),
    })),
  });
}

/**
 * CompleteMultipartUpload. A retry of a Complete that succeeded (its answer was lost) gets the
 * same answer, not NoSuchUpload: AWS says to retry failed Completes, so the first one may well
 * have worked. If-None-Match / If-Match are checked under the key's lock, like PutObject's.
 */
async function completeUpload(ctx: HandlerContext, r: S3Request): Promise<void> {
  const uploadId = r.query.get('uploadId') ?? '';
  const xml = (await readBody(r.req, MAX_SMALL_BODY)).toString('utf8');
  const requested = xmlTexts(xml, 'Part').map((p) => ({
    partNumber: Number(xmlTexts(p, 'PartNumber')[0]),
    etag: unescapeXml(xmlTexts(p, 'ETag')[0] ?? '').trim(),
    // e.g. <ChecksumCRC32>, which lib-storage echoes from each UploadPart answer
    checksums: PART_CHECKSUM_ELEMENTS.flatMap((el) => xmlTexts(p, el).map((v) => ({ algorithm: el.slice('Checksum'.length), value: v.trim() }))),
  }));
  if (requested.length === 0) throw new S3Error('MalformedXML', 'CompleteMultipartUpload needs at least one <Part>');
  const quoted = (etag: string) => (etag.startsWith('"') ? etag : `"${etag}"`);
  const condition = parseWriteCondition(r.req.headers);
  const claims = completeClaims(r.req.headers);
  const result = await ctx.store.withUploadLock(r.bucket, uploadId, async (): Promise<CompletedUpload> => {
    const done = await ctx.store.completedUpload(r.bucket, r.key, uploadId);
    if (done) {
      const sameParts = done.parts.length === requested.length && done.parts.every((p, i) => p.partNumber === requested[i].partNumber && p.etag === quoted(requested[i].etag));
      if (sameParts) return done;
    }
    const upload = await ctx.store.getUpload(r.bucket, r.key, uploadId);
    checkWriteCondition(condition, ctx.store.getObject(r.bucket, r.key), r.key);
    const stored = new Map((await ctx.store.listParts(r.bucket, upload)).map((p) => [p.partNumber, p]));
    const chosen = requested.map((want, i) => {
      if (i > 0 && want.partNumber <= requested[i - 1].partNumber) {
        throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
      }
      const part = stored.get(want.partNumber);
      const checksumsMatch = want.checksums.every((c) => part?.checksum?.algorithm === c.algorithm && part.checksum.value === c.value);
      if (!part || part.etag !== quoted(want.etag) || !checksumsMatch) {
        throw new S3Error('InvalidPart', 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part\'s entity tag.', {
          PartNumber: String(want.partNumber),
          ETag: want.etag,
        });
      }
      return part;
    });
    chosen.slice(0, -1).forEach((p) => {
      if (p.size < MIN_PART_SIZE) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
          PartNumber: String(p.partNumber),
          ProposedSize: String(p.size),
          MinSizeAllowed: String(MIN_PART_SIZE),
        });
      }
    });
    checkCompleteRequest(upload, claims, requested, chosen);
    const meta = await ctx.store.completeUpload(r.bucket, upload, chosen, {
      finish: (file) => objectChecksum(upload, claims, chosen, file),
      check: (current) => checkWriteCondition(condition, current, r.key),
    });
    return { uploadId, key: r.key, completed: meta.lastModified, parts: [], etag: meta.etag, checksum: meta.checksum };
  });
  sendXml(r.res, 'CompleteMultipartUploadResult', {
    Location: `/${r.bucket}/${r.key}`,
    Bucket: r.bucket,
    Key: r.key,
    ETag: result.etag,
    ...(result.checksum && { [`Checksum${result.checksum.algorithm}`]: result.checksum.value, ChecksumType: result.checksum.type }),
  });
}

export { S3Store } from './store';
export type { ObjectMeta } from './store';
