/**
 * Multipart upload of a local file without buffering parts: each part is streamed from its
 * byte range of the file (like a plain PutObject), with a CRC32 per part. Measured against
 * lib-storage's Upload in bench/upload.bench.ts: 0.87-0.89 of PutObject's speed (vs 0.58) and
 * about 170 MB peak RSS for 1 GiB, because parts are neither copied into buffers nor sha256-signed.
 *
 * Resumable: given the id of an upload started earlier (persisted by the caller), the parts S3
 * already holds (ListParts) are checked against the file (size and CRC32) and only the others
 * are sent. A lost connection keeps the upload for that resume; a cancel or any other failure
 * aborts it, so no parts are left behind to be billed.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type Part,
  type S3Client,
} from '@aws-sdk/client-s3';

const MiB = 1024 * 1024;

export interface FileUploadParams {
  Bucket: string;
  Key: string;
  /** Local file and its size in bytes. */
  path: string;
  size: number;
  partSize?: number;
  queueSize?: number;
  /** Attempts per part, each with a fresh stream of the part's range (default 3). */
  attemptsPerPart?: number;
  signal?: AbortSignal;
  /** Bytes of parts acknowledged so far (parts found already uploaded count too). */
  onProgress?: (bytesDone: number) => void;
  /** An upload of this file started before (a crash, a restart): its parts are reused. */
  resumeUploadId?: string;
  /** Called with the upload id as soon as S3 gives it, before any part is sent: persist it. */
  onUploadStarted?: (uploadId: string) => void | Promise<void>;
  /** True for failures after which the upload should stay, to be resumed (a lost connection). */
  keepForResume?: (err: unknown) => boolean;
}

export interface FileUploadResult {
  ETag?: string;
  /** Parts sent by this call, and parts S3 already had from an earlier attempt. */
  partsSent: number;
  partsReused: number;
}

export async function uploadFileInParts(s3: S3Client, p: FileUploadParams): Promise<FileUploadResult> {
  const partSize = p.partSize ?? 16 * MiB;
  const queueSize = p.queueSize ?? 4;
  const attempts = p.attemptsPerPart ?? 3;
  const abortSignal = p.signal;
  if (p.size <= partSize) {
    const out = await s3.send(new PutObjectCommand({ Bucket: p.Bucket, Key: p.Key, Body: createReadStream(p.path), ContentLength: p.size }), { abortSignal });
    p.onProgress?.(p.size);
    return { ETag: out.ETag, partsSent: 1, partsReused: 0 };
  }
  const count = Math.ceil(p.size / partSize);
  const range = (index: number) => ({ start: index * partSize, end: Math.min(p.size, (index + 1) * partSize) });
  const parts: CompletedPart[] = new Array(count);
  let done = 0;

  let uploadId = p.resumeUploadId;
  let reused = 0;
  if (uploadId) {
    const stored = await storedParts(s3, p.Bucket, p.Key, uploadId, abortSignal);
    if (stored) {
      for (const part of stored) {
        const index = (part.PartNumber ?? 0) - 1;
        if (index < 0 || index >= count || !(await samePart(p.path, range(index), part))) continue;
        parts[index] = { PartNumber: index + 1, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 };
        done += range(index).end - range(index).start;
        reused++;
      }
      if (done) p.onProgress?.(done);
    } else {
      uploadId = undefined; // gone (completed, aborted, or expired by the lifecycle rule): start over
    }
  }
  if (!uploadId) {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: p.Bucket, Key: p.Key, ChecksumAlgorithm: 'CRC32' }), { abortSignal });
    uploadId = created.UploadId!;
    await p.onUploadStarted?.(uploadId);
  }

  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !parts[i]);
  let next = 0;
  const sendPart = async (index: number): Promise<void> => {
    const { start, end } = range(index);
    for (let attempt = 1; ; attempt++) {
      try {
        // Opened first: a clip moved or deleted meanwhile fails this part (ENOENT), instead of
        // an error event on a stream the SDK is already sending.
        const file = await open(p.path, 'r');
        const body = file.createReadStream({ start, end: end - 1, highWaterMark: MiB });
        const out = await s3.send(
          new UploadPartCommand({
            Bucket: p.Bucket,
            Key: p.Key,
            UploadId: uploadId,
            PartNumber: index + 1,
            Body: body,
            ContentLength: end - start,
            ChecksumAlgorithm: 'CRC32',
          }),
          { abortSignal },
        ).finally(() => body.destroy()); // closes the file, also when the request failed before reading it
        parts[index] = { PartNumber: index + 1, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32 };
        done += end - start;
        p.onProgress?.(done);
        return;
      } catch (err) {
        if (attempt >= attempts || abortSignal?.aborted || (err as { code?: string }).code === 'ENOENT') throw err;
      }
    }
  };
  const worker = async () => {
    while (next < missing.length) await sendPart(missing[next++]);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(queueSize, missing.length) }, worker));
    const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: p.Bucket, Key: p.Key, UploadId: uploadId, MultipartUpload: { Parts: parts } }), { abortSignal });
    return { ETag: out.ETag, partsSent: missing.length, partsReused: reused };
  } catch (err) {
    if (abortSignal?.aborted || !p.keepForResume?.(err)) await abortUpload(s3, p.Bucket, p.Key, uploadId);
    throw err;
  }
}

/** Aborts an upload (without the export's abort signal: a cancel must still reach S3). Best effort. */
export async function abortUpload(s3: S3Client, bucket: string, key: string, uploadId: string): Promise<boolean> {
  try {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    return true;
  } catch (err) {
    return (err as Error).name === 'NoSuchUpload';
  }
}

/** Every part S3 holds for the upload, or undefined when the upload no longer exists. */
async function storedParts(s3: S3Client, bucket: string, key: string, uploadId: string, abortSignal?: AbortSignal): Promise<Part[] | undefined> {
  const all: Part[] = [];
  let marker: string | undefined;
  try {
    for (;;) {
      const page = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }), { abortSignal });
      all.push(...(page.Parts ?? []));
      if (!page.IsTruncated) return all;
      marker = page.NextPartNumberMarker;
    }
  } catch (err) {
    if ((err as Error).name === 'NoSuchUpload' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

/** A stored part is ours when its size and CRC32 match that range of the file. */
async function samePart(path: string, { start, end }: { start: number; end: number }, part: Part): Promise<boolean> {
  if (part.Size !== end - start) return false;
  if (!part.ChecksumCRC32) return false;
  let value = 0;
  for await (const chunk of createReadStream(path, { start, end: end - 1, highWaterMark: MiB })) value = crc32(chunk as Buffer, value);
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64') === part.ChecksumCRC32;
}
