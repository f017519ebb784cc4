/**
 * Conditional requests as S3 applies them (pure: headers + the object's ETag and date in, a
 * verdict out). Sources: the S3 API reference for GetObject/HeadObject (If-Match,
 * If-None-Match, If-Modified-Since, If-Unmodified-Since and how pairs combine), PutObject and
 * CompleteMultipartUpload (`If-None-Match: *`, `If-Match: <etag>`: "Uploads the object only if
 * ... Otherwise, Amazon S3 returns a 412 Precondition Failed error"), CopyObject
 * (`x-amz-copy-source-if-*` on the source, If-Match / If-None-Match on the destination), and the
 * user guide's "How to prevent object overwrites with conditional writes" (a conditional write
 * on a key that does not exist with If-Match answers 404 NoSuchKey).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './xml';

export interface Entity {
  /** Quoted, as S3 returns it. */
  etag: string;
  lastModified: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Does a comma-separated ETag list (quoted or not, or `*`) name this entity? */
function etagListMatches(list: string, etag: string): boolean {
  return list
    .split(',')
    .map((s) => s.trim())
    .some((e) => e === '*' || e === etag || `"${e}"` === etag || e === `W/${etag}`);
}

/** HTTP dates have whole seconds; S3 compares at that precision. */
function modifiedSeconds(entity: Entity): number {
  return Math.floor(new Date(entity.lastModified).getTime() / 1000) * 1000;
}

/** An unparseable date is ignored, as RFC 7232 says for If-(Un)Modified-Since. */
function parseDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: condition });
}

/**
 * GetObject / HeadObject. If-Match wins over If-Unmodified-Since (true + false = 200) and
 * If-None-Match over If-Modified-Since (false + true = 304).
 */
export function readPrecondition(headers: IncomingHttpHeaders, entity: Entity): 'proceed' | 'not-modified' | S3Error {
  const ifMatch = header(headers, 'if-match');
  const ifNoneMatch = header(headers, 'if-none-match');
  const modifiedSince = parseDate(header(headers, 'if-modified-since'));
  const unmodifiedSince = parseDate(header(headers, 'if-unmodified-since'));
  const modified = modifiedSeconds(entity);
  if (ifMatch !== undefined && !etagListMatches(ifMatch, entity.etag)) return preconditionFailed('If-Match');
  if (ifMatch === undefined && unmodifiedSince !== undefined && modified > unmodifiedSince) return preconditionFailed('If-Unmodified-Since');
  if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, entity.etag)) return 'not-modified';
  if (ifNoneMatch === undefined && modifiedSince !== undefined && modified <= modifiedSince) return 'not-modified';
  return 'proceed';
}

/**
 * CopyObject's conditions on its SOURCE (`x-amz-copy-source-if-*`): every failure is a 412
 * (never 304). If-Match true + If-Unmodified-Since false copies; If-None-Match false +
 * If-Modified-Since true fails.
 */
export function copySourcePrecondition(headers: IncomingHttpHeaders, source: Entity): S3Error | undefined {
  const ifMatch = header(headers, 'x-amz-copy-source-if-match');
  const ifNoneMatch = header(headers, 'x-amz-copy-source-if-none-match');
  const modifiedSince = parseDate(header(headers, 'x-amz-copy-source-if-modified-since'));
  const unmodifiedSince = parseDate(header(headers, 'x-amz-copy-source-if-unmodified-since'));
  const modified = modifiedSeconds(source);
  if (ifMatch !== undefined && !etagListMatches(ifMatch, source.etag)) return preconditionFailed('x-amz-copy-source-If-Match');
  if (ifMatch === undefined && unmodifiedSince !== undefined && modified > unmodifiedSince) {
    return preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, source.etag)) return preconditionFailed('x-amz-copy-source-If-None-Match');
  if (ifNoneMatch === undefined && modifiedSince !== undefined && modified <= modifiedSince) {
    return preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
  return undefined;
}

/** What a conditional write asks of the key's current object. */
export interface WriteCondition {
  /** `If-None-Match: *`: only if no object has this key. */
  mustNotExist: boolean;
  /** `If-Match`: only if the current object has one of these ETags. */
  ifMatch?: string;
}

/**
 * Reads If-None-Match / If-Match of a write (PutObject, CompleteMultipartUpload, CopyObject's
 * destination). S3 supports only `*` for If-None-Match on writes.
 */
export function parseWriteCondition(headers: IncomingHttpHeaders): WriteCondition | undefined {
  const ifNoneMatch = header(headers, 'if-none-match')?.trim();
  const ifMatch = header(headers, 'if-match')?.trim();
  if (ifNoneMatch === undefined && ifMatch === undefined) return undefined;
  if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
    throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented: If-None-Match on a write accepts only "*"', { Header: 'If-None-Match' });
  }
  if (ifMatch === '') throw new S3Error('InvalidArgument', 'If-Match must name an ETag', { ArgumentName: 'If-Match' });
  return { mustNotExist: ifNoneMatch === '*', ifMatch };
}

/** Throws S3's answer when the write may not replace `current` (undefined: no object). */
export function checkWriteCondition(condition: WriteCondition | undefined, current: Entity | undefined, key: string): void {
  if (!condition) return;
  if (condition.mustNotExist && current) throw preconditionFailed('If-None-Match');
  if (condition.ifMatch !== undefined) {
    if (!current) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
    if (!etagListMatches(condition.ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}
