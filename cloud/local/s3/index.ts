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
 * (Range), HeadObject, DeleteObject, Create/UploadPart/ListParts/Complete/AbortMultipartUpload.
 * Bodies stream to disk; SigV4 (header and presigned) is checked on every request, then the
 * account's IAM policies (authorization.ts names the permission each operation needs).
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RunCredentials } from '../credentials';
import { closeServer, listen, newRequestId, readBody } from '../http-util';
import { parseRawQuery, verifySigV4, type KeyLookup, type SigV4Auth } from '../sigv4';
import { deleteObjectCheck, listBucketCheck, s3Operation, secureTransport, type S3Check } from './authorization';
import { continued, declaredBodySize, receiveBody } from './body';
import { decodeContinuationToken, encodeContinuationToken, listKeys } from './listing';
import { parseRange } from './range';
import { MIN_PART_SIZE, S3Store, type ObjectHeaders, type ObjectMeta } from './store';
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
const PART_CHECKSUM_ELEMENTS = ['ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256'];

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
    for (const name of [...query.keys()]) if (name.startsWith('X-Amz-')) query.delete(name); // presign
    const secure = secureTransport(req);
    const accessKeyId = verdict.auth.accessKeyId;
    const denied = (check: S3Check) => {
      const answer = ctx.authorize?.(accessKeyId, check);
      return answer && !answer.allowed ? answer.message : undefined;
    };
    const operation = s3Operation(req.method ?? 'GET', bucket, key, query, req.headers, secure);
    if (ctx.onRequest) {
      const report = ctx.onRequest;
      res.on('finish', () => report({ operation: operation.name, bucket, key, accessKeyId, query: Object.fromEntries(query), status: res.statusCode }));
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
        if (!name.startsWith('response-')) notImplemented();
      }
      return getObject(ctx, r, false);
    case 'HEAD':
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
          NextMarker: page.isTruncated && page.last ? enc(page.last.value) : undefined,
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

/** Content headers and x-amz-meta-* taken from a PutObject/CreateMultipartUpload request. */
function objectHeaders(req: IncomingMessage): ObjectHeaders {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
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

function checkWritePreconditions(ctx: HandlerContext, r: S3Request): void {
  const ifNoneMatch = header(r.req, 'if-none-match');
  if (ifNoneMatch === '*' && ctx.store.getObject(r.bucket, r.key)) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
  }
}

function setChecksumHeader(res: ServerResponse, checksum: ObjectMeta['checksum']): void {
  if (checksum) res.setHeader(`x-amz-checksum-${checksum.algorithm.toLowerCase()}`, checksum.value);
}

async function putObject(ctx: HandlerContext, r: S3Request): Promise<void> {
  checkWritePreconditions(ctx, r);
  const headers = objectHeaders(r.req);
  const body = await receiveBody(r.req, r.res, r.auth, { file: ctx.store.tmpFile() });
  const meta = await ctx.store.commitObject(r.bucket, body.target.file, {
    ...headers,
    key: r.key,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    lastModified: new Date().toISOString(),
    checksum: body.checksum,
  });
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
  const replace = header(r.req, 'x-amz-metadata-directive') === 'REPLACE';
  const tmp = await ctx.store.copyToTmp(source.bucket, source.key);
  const { key: _k, lastModified: _l, ...kept } = sourceMeta;
  const meta = await ctx.store.commitObject(r.bucket, tmp, {
    ...(replace ? { ...objectHeaders(r.req), size: sourceMeta.size, etag: sourceMeta.etag, checksum: sourceMeta.checksum } : kept),
    key: r.key,
    lastModified: new Date().toISOString(),
  });
  sendXml(r.res, 'CopyObjectResult', { ETag: meta.etag, LastModified: meta.lastModified });
}

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/** If-Match / If-None-Match / If-(Un)Modified-Since; returns the status to answer, if any. */
function readPreconditionStatus(req: IncomingMessage, meta: ObjectMeta): 304 | 412 | undefined {
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  const ifModifiedSince = header(req, 'if-modified-since');
  const ifUnmodifiedSince = header(req, 'if-unmodified-since');
  const modified = Math.floor(new Date(meta.lastModified).getTime() / 1000) * 1000;
  const etagIn = (list: string) => list.split(',').map((s) => s.trim()).some((e) => e === '*' || e === meta.etag || `"${e}"` === meta.etag);
  if (ifMatch !== undefined && !etagIn(ifMatch)) return 412;
  if (ifMatch === undefined && ifUnmodifiedSince && modified > Date.parse(ifUnmodifiedSince)) return 412;
  if (ifNoneMatch !== undefined && etagIn(ifNoneMatch)) return 304;
  if (ifNoneMatch === undefined && ifModifiedSince && modified <= Date.parse(ifModifiedSince)) return 304;
  return undefined;
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
  const precondition = readPreconditionStatus(req, meta);
  if (precondition === 412) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  }
  if (precondition === 304) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const range = parseRange(header(req, 'range'), meta.size);
  if (range.kind === 'unsatisfiable') {
    throw new S3Error('InvalidRange', 'The requested range is not satisfiable', {
      RangeRequested: header(req, 'range') ?? '',
      ActualObjectSize: String(meta.size),
    });
  }
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
  for (const [name, value] of Object.entries(meta.metadata)) res.setHeader(`x-amz-meta-${name}`, value);
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
  const upload = await ctx.store.createUpload(r.bucket, r.key, objectHeaders(r.req));
  await readBody(r.req, MAX_SMALL_BODY);
  const algorithm = header(r.req, 'x-amz-checksum-algorithm');
  if (algorithm) r.res.setHeader('x-amz-checksum-algorithm', algorithm);
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

async function completeUpload(ctx: HandlerContext, r: S3Request): Promise<void> {
  const upload = await ctx.store.getUpload(r.bucket, r.key, r.query.get('uploadId') ?? '');
  const xml = (await readBody(r.req, MAX_SMALL_BODY)).toString('utf8');
  const requested = xmlTexts(xml, 'Part').map((p) => ({
    partNumber: Number(xmlTexts(p, 'PartNumber')[0]),
    etag: unescapeXml(xmlTexts(p, 'ETag')[0] ?? '').trim(),
    // e.g. <ChecksumCRC32>, which lib-storage echoes from each UploadPart answer
    checksums: PART_CHECKSUM_ELEMENTS.flatMap((el) => xmlTexts(p, el).map((v) => ({ algorithm: el.slice('Checksum'.length), value: v.trim() }))),
  }));
  if (requested.length === 0) throw new S3Error('MalformedXML', 'CompleteMultipartUpload needs at least one <Part>');
  const stored = new Map((await ctx.store.listParts(r.bucket, upload)).map((p) => [p.partNumber, p]));
  const chosen = requested.map((want, i) => {
    if (i > 0 && want.partNumber <= requested[i - 1].partNumber) {
      throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    }
    const part = stored.get(want.partNumber);
    const etag = want.etag.startsWith('"') ? want.etag : `"${want.etag}"`;
    const checksumsMatch = want.checksums.every((c) => part?.checksum?.algorithm === c.algorithm && part.checksum.value === c.value);
    if (!part || part.etag !== etag || !checksumsMatch) {
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
  const meta = await ctx.store.completeUpload(r.bucket, upload, chosen);
  sendXml(r.res, 'CompleteMultipartUploadResult', {
    Location: `/${r.bucket}/${r.key}`,
    Bucket: r.bucket,
    Key: r.key,
    ETag: meta.etag,
  });
}

export { S3Store } from './store';
export type { ObjectMeta } from './store';
