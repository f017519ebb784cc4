/**
 * Checksums of multipart uploads, as the S3 User Guide's "Checking object integrity" describes:
 * - CreateMultipartUpload names an algorithm (`x-amz-checksum-algorithm`) and a type
 *   (`x-amz-checksum-type`): COMPOSITE (a checksum of the parts' checksums, shown as
 *   `<base64>-<parts>`) or FULL_OBJECT (the checksum of the whole object, as if uploaded in one
 *   piece). FULL_OBJECT exists for the CRCs only (CRC32, CRC32C, CRC64NVME); CRC64NVME is always
 *   FULL_OBJECT; the SHAs are always COMPOSITE. The default type is COMPOSITE, except CRC64NVME.
 * - Each UploadPart then carries that algorithm's checksum ("Checksum Type mismatch" otherwise).
 * - CompleteMultipartUpload of a COMPOSITE upload lists each part's checksum; a checksum header
 *   on it (`x-amz-checksum-sha256`, …) is compared with the object's and refused with BadDigest
 *   when it differs, as is a different `x-amz-checksum-type`; `x-amz-mp-object-size` must be the
 *   object's size (InvalidRequest).
 */
import { createReadStream } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { checksummer } from './checksums';
import type { ChecksumType, ObjectChecksum, StoredPart, UploadMeta } from './store';
import { S3Error } from './xml';

const FULL_OBJECT_CAPABLE = new Set(['CRC32', 'CRC32C', 'CRC64NVME']);
/** The algorithms a multipart upload may name (those checksums.ts can verify). */
export const MULTIPART_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256', 'SHA512', 'MD5'] as const;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The checksum settings of a CreateMultipartUpload request (undefined: none asked). */
export function uploadChecksumSettings(headers: IncomingHttpHeaders): UploadMeta['checksum'] {
  const algorithm = header(headers, 'x-amz-checksum-algorithm')?.trim().toUpperCase();
  const typeHeader = header(headers, 'x-amz-checksum-type')?.trim().toUpperCase();
  if (!algorithm) {
    if (typeHeader) throw new S3Error('InvalidRequest', 'x-amz-checksum-type needs x-amz-checksum-algorithm', { ArgumentName: 'x-amz-checksum-type' });
    return undefined;
  }
  if (!(MULTIPART_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new S3Error('InvalidRequest', `Checksum algorithm ${algorithm} is not supported (use ${MULTIPART_ALGORITHMS.join(', ')})`, { ArgumentName: 'x-amz-checksum-algorithm' });
  }
  if (typeHeader !== undefined && typeHeader !== 'COMPOSITE' && typeHeader !== 'FULL_OBJECT') {
    throw new S3Error('InvalidRequest', `x-amz-checksum-type must be COMPOSITE or FULL_OBJECT (got ${typeHeader})`, { ArgumentName: 'x-amz-checksum-type' });
  }
  const type: ChecksumType = (typeHeader as ChecksumType | undefined) ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (type === 'FULL_OBJECT' && !FULL_OBJECT_CAPABLE.has(algorithm)) {
    throw new S3Error('InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`, { ArgumentName: 'x-amz-checksum-type' });
  }
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') {
    throw new S3Error('InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.', { ArgumentName: 'x-amz-checksum-type' });
  }
  return { algorithm, type };
}

/** UploadPart of an upload with an algorithm: the part's checksum must be of that algorithm. */
export function checkPartChecksum(upload: UploadMeta, part: ObjectChecksum | undefined): void {
  if (!upload.checksum || !part) return;
  if (part.algorithm !== upload.checksum.algorithm) {
    throw new S3Error(
      'InvalidRequest',
      `Checksum Type mismatch occurred, expected checksum Type: ${upload.checksum.algorithm.toLowerCase()}, actual checksum Type: ${part.algorithm.toLowerCase()}`,
    );
  }
}

/** COMPOSITE: the algorithm over the concatenated raw part checksums, then `-<parts>`. */
export function compositeChecksum(algorithm: string, partChecksums: string[]): string {
  const sum = checksummer(algorithm)!;
  for (const value of partChecksums) sum.update(Buffer.from(value, 'base64'));
  return `${sum.digestBase64()}-${partChecksums.length}`;
}

/** FULL_OBJECT: the algorithm over the assembled object's bytes. */
export async function fileChecksum(algorithm: string, file: string): Promise<string> {
  const sum = checksummer(algorithm)!;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) sum.update(chunk as Buffer);
  return sum.digestBase64();
}

/** What a CompleteMultipartUpload request claims about the whole object. */
export interface CompleteClaims {
  /** `x-amz-checksum-<alg>` header: [algorithm, value]. */
  checksum?: { algorithm: string; value: string };
  type?: string;
  objectSize?: number;
}

export function completeClaims(headers: IncomingHttpHeaders): CompleteClaims {
  const claims: CompleteClaims = {};
  for (const name of Object.keys(headers)) {
    const m = /^x-amz-checksum-(?!algorithm$|type$|mode$)([a-z0-9]+)$/.exec(name);
    if (m) claims.checksum = { algorithm: m[1].toUpperCase(), value: header(headers, name)!.trim() };
  }
  const type = header(headers, 'x-amz-checksum-type');
  if (type !== undefined) claims.type = type.trim().toUpperCase();
  const size = header(headers, 'x-amz-mp-object-size');
  if (size !== undefined) {
    const n = Number(size);
    if (!Number.isSafeInteger(n) || n < 0) throw new S3Error('InvalidArgument', `x-amz-mp-object-size must be a whole number of bytes (got ${size})`, { ArgumentName: 'x-amz-mp-object-size' });
    claims.objectSize = n;
  }
  return claims;
}

/** Checks done before assembly: the claims against the upload's settings, every part's checksum present. */
export function checkCompleteRequest(
  upload: UploadMeta,
  claims: CompleteClaims,
  requested: Array<{ partNumber: number; checksums: Array<{ algorithm: string }> }>,
  chosen: StoredPart[],
): void {
  const settings = upload.checksum;
  if (claims.objectSize !== undefined) {
    const size = chosen.reduce((sum, p) => sum + p.size, 0);
    if (size !== claims.objectSize) {
      throw new S3Error('InvalidRequest', `The provided 'x-amz-mp-object-size' header value ${claims.objectSize} does not match what was computed: ${size}`);
    }
  }
  if (!settings) {
    if (claims.checksum) {
      throw new S3Error('InvalidRequest', `x-amz-checksum-${claims.checksum.algorithm.toLowerCase()} was given, but the upload was created without a checksum algorithm`);
    }
    return;
  }
  if (claims.type !== undefined && claims.type !== settings.type) {
    throw new S3Error('BadDigest', `The checksum type ${claims.type} you specified did not match the upload's checksum type ${settings.type}.`);
  }
  if (claims.checksum && claims.checksum.algorithm !== settings.algorithm) {
    throw new S3Error('BadDigest', `The upload was created using the ${settings.algorithm.toLowerCase()} checksum algorithm, not ${claims.checksum.algorithm.toLowerCase()}.`);
  }
  chosen.forEach((part, i) => {
    if (part.checksum?.algorithm !== settings.algorithm) {
      throw new S3Error('InvalidPart', `Part ${part.partNumber} was uploaded without its ${settings.algorithm.toLowerCase()} checksum.`, { PartNumber: String(part.partNumber) });
    }
    if (settings.type === 'COMPOSITE' && !requested[i].checksums.some((c) => c.algorithm === settings.algorithm)) {
      throw new S3Error(
        'InvalidRequest',
        `The upload was created using a ${settings.algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
      );
    }
  });
}

/** The object's checksum once assembled; a claimed value that differs is refused (BadDigest). */
export async function objectChecksum(upload: UploadMeta, claims: CompleteClaims, chosen: StoredPart[], file: string): Promise<ObjectChecksum | undefined> {
  const settings = upload.checksum;
  if (!settings) return undefined;
  const value =
    settings.type === 'COMPOSITE'
      ? compositeChecksum(settings.algorithm, chosen.map((p) => p.checksum!.value))
      : await fileChecksum(settings.algorithm, file);
  // A client may send a composite value with or without its `-<parts>` suffix.
  const bare = (v: string) => v.replace(/-\d+$/, '');
  if (claims.checksum && bare(claims.checksum.value) !== bare(value)) {
    throw new S3Error('BadDigest', `The ${settings.algorithm.toLowerCase()} you specified did not match the calculated checksum.`);
  }
  return { algorithm: settings.algorithm, value, type: settings.type };
}
