/**
 * Upload throughput to the local S3 store: one streamed PutObject of a file vs. the lib-storage
 * multipart Upload our exporter uses, plus the process's peak RSS during the multipart upload.
 *
 *   npx tsx bench/upload.bench.ts            # 1 GiB (file cached in os.tmpdir())
 *   npx tsx bench/upload.bench.ts 256        # size in MiB
 *
 * Part size 16 MiB, queueSize 4: lib-storage holds about queueSize + 1 part buffers, so memory
 * stays near 80 MiB of buffers, while a 1 GiB file still needs only 64 requests (per-request
 * overhead is negligible); 5-8 MiB parts mean 2-3x the requests and files for no speed gain.
 * The store runs in this same process, so the RSS figure covers client and server together.
 */
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createRunCredentials } from '../cloud/local/credentials';
import { startS3Server } from '../cloud/local/s3';

export interface UploadBenchOptions {
  /** Bytes to upload; default 1 GiB. */
  sizeBytes?: number;
  partSizeBytes?: number;
  queueSize?: number;
  /** Progress/diagnostic lines (not the result lines). */
  log?: (line: string) => void;
}

export interface UploadBenchResult {
  sizeBytes: number;
  partSizeBytes: number;
  queueSize: number;
  putSeconds: number;
  putMBps: number;
  multipartSeconds: number;
  multipartMBps: number;
  /** multipartMBps / putMBps; goal >= 0.9. */
  ratio: number;
  /** Peak resident set size of this process during the multipart upload, MB; goal < 300. */
  peakRssMB: number;
  command: string;
  /** Plain result lines, `name: value (goal)`. */
  lines: string[];
}

const MiB = 1024 * 1024;
const MB = 1e6;

async function ensureSourceFile(sizeBytes: number, log: (l: string) => void): Promise<string> {
  const file = path.join(os.tmpdir(), `hospup-bench-upload-${sizeBytes}.bin`);
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat?.size === sizeBytes) return file;
  log(`creating ${file} (${(sizeBytes / MiB).toFixed(0)} MiB)...`);
  const handle = await fs.open(`${file}.tmp`, 'w');
  try {
    for (let written = 0; written < sizeBytes; ) {
      const chunk = randomBytes(Math.min(8 * MiB, sizeBytes - written));
      await handle.write(chunk);
      written += chunk.length;
    }
  } finally {
    await handle.close();
  }
  await fs.rename(`${file}.tmp`, file);
  return file;
}

export async function runUploadBench(opts: UploadBenchOptions = {}): Promise<UploadBenchResult> {
  const sizeBytes = opts.sizeBytes ?? 1024 * MiB;
  const partSizeBytes = opts.partSizeBytes ?? 16 * MiB;
  const queueSize = opts.queueSize ?? 4;
  const log = opts.log ?? (() => {});
  const file = await ensureSourceFile(sizeBytes, log);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-bench-s3-'));
  const credentials = createRunCredentials();
  const region = 'us-east-1';
  const bucket = 'hospup-bench';
  const server = await startS3Server({ dataDir, credentials, region, buckets: [bucket] });
  const s3 = new S3Client({ endpoint: server.endpoint, region, forcePathStyle: true, credentials });
  try {
    // Warm the page cache so neither run pays for reading the source from disk.
    for await (const _ of createReadStream(file, { highWaterMark: 8 * MiB })) void _;

    log('(a) one streamed PutObject...');
    let t0 = performance.now();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'put.bin', Body: createReadStream(file, { highWaterMark: MiB }), ContentLength: sizeBytes }));
    const putSeconds = (performance.now() - t0) / 1000;
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'put.bin' }));

    log(`(b) lib-storage Upload, ${partSizeBytes / MiB} MiB parts, queueSize ${queueSize}...`);
    global.gc?.();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 25);
    t0 = performance.now();
    try {
      await new Upload({
        client: s3,
        params: { Bucket: bucket, Key: 'multipart.bin', Body: createReadStream(file, { highWaterMark: MiB }) },
        partSize: partSizeBytes,
        queueSize,
      }).done();
    } finally {
      clearInterval(sampler);
    }
    const multipartSeconds = (performance.now() - t0) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const stored = await fs.stat(await server.objectFilePath(bucket, 'multipart.bin'));
    if (stored.size !== sizeBytes) throw new Error(`multipart upload stored ${stored.size} bytes, expected ${sizeBytes}`);

    const putMBps = sizeBytes / MB / putSeconds;
    const multipartMBps = sizeBytes / MB / multipartSeconds;
    const ratio = multipartMBps / putMBps;
    const peakRssMB = peakRss / MB;
    const sizeMiB = Math.round(sizeBytes / MiB);
    const command = `npx tsx bench/upload.bench.ts${sizeMiB === 1024 ? '' : ` ${sizeMiB}`}`;
    const lines = [
      `upload.size: ${sizeMiB} MiB`,
      `upload.put_object_MBps: ${putMBps.toFixed(1)} (${putSeconds.toFixed(2)} s)`,
      `upload.multipart_MBps: ${multipartMBps.toFixed(1)} (${multipartSeconds.toFixed(2)} s, part ${partSizeBytes / MiB} MiB, queueSize ${queueSize})`,
      `upload.multipart_vs_put_ratio: ${ratio.toFixed(2)} (goal >= 0.9)`,
      `upload.multipart_peak_rss_MB: ${peakRssMB.toFixed(0)} (goal < 300)`,
      `upload.reproduce: ${command}`,
    ];
    return { sizeBytes, partSizeBytes, queueSize, putSeconds, putMBps, multipartSeconds, multipartMBps, ratio, peakRssMB, command, lines };
  } finally {
    s3.destroy();
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const mib = process.argv[2] ? Number(process.argv[2]) : 1024;
  if (!Number.isFinite(mib) || mib < 6) {
    console.error('usage: npx tsx bench/upload.bench.ts [size in MiB, >= 6]');
    process.exit(2);
  }
  const result = await runUploadBench({ sizeBytes: Math.round(mib * MiB), log: (l) => console.error(l) });
  for (const line of result.lines) console.log(line);
}
