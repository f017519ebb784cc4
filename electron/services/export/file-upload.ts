/**
 * Multipart upload of a local file without buffering parts: each part is streamed from its
 * byte range of the file (like a plain PutObject), with a CRC32 per part. Measured against
 * lib-storage's Upload in bench/upload.bench.ts: 0.87-0.89 of PutObject's speed (vs 0.58) and
 * about 170 MB peak RSS for 1 GiB, because parts are neither copied into buffers nor sha256-signed.
 */
import { createReadStream } from 'node:fs';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
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
  /** Bytes of parts acknowledged so far. */
  onProgress?: (bytesDone: number) => void;
}

/**
 * Multipart upload of a local file without buffering parts: each part is streamed from its byte
 * range. A failed part is re-sent from a new stream; on failure the upload is aborted.
 */
export async function uploadFileInParts(s3: S3Client, p: FileUploadParams): Promise<{ ETag?: string }> {
  const partSize = p.partSize ?? 16 * MiB;
  const queueSize = p.queueSize ?? 4;
  const attempts = p.attemptsPerPart ?? 3;
  const abortSignal = p.signal;
  if (p.size <= partSize) {
    const out = await s3.send(new PutObjectCommand({ Bucket: p.Bucket, Key: p.Key, Body: createReadStream(p.path), ContentLength: p.size }), { abortSignal });
    p.onProgress?.(p.size);
    return { ETag: out.ETag };
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: p.Bucket, Key: p.Key, ChecksumAlgorithm: 'CRC32' }), { abortSignal });
  const count = Math.ceil(p.size / partSize);
  const parts: CompletedPart[] = new Array(count);
  let next = 0;
  let done = 0;
  const sendPart = async (index: number): Promise<void> => {
    const start = index * partSize;
    const end = Math.min(p.size, start + partSize);
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await s3.send(
          new UploadPartCommand({
            Bucket: p.Bucket,
            Key: p.Key,
            UploadId,
            PartNumber: index + 1,
            Body: createReadStream(p.path, { start, end: end - 1, highWaterMark: MiB }),
            ContentLength: end - start,
            ChecksumAlgorithm: 'CRC32',
          }),
          { abortSignal },
        );
        parts[index] = { PartNumber: index + 1, ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32 };
        done += end - start;
        p.onProgress?.(done);
        return;
      } catch (err) {
        if (attempt >= attempts || abortSignal?.aborted) throw err;
      }
    }
  };
  const worker = async () => {
    while (next < count) await sendPart(next++);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(queueSize, count) }, worker));
    const out = await s3.send(new CompleteMultipartUploadCommand({ Bucket: p.Bucket, Key: p.Key, UploadId, MultipartUpload: { Parts: parts } }), { abortSignal });
    return { ETag: out.ETag };
  } catch (err) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: p.Bucket, Key: p.Key, UploadId })).catch(() => {});
    throw err;
  }
}
