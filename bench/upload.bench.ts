/**
 * Upload throughput to the local S3 store: one streamed PutObject of a file vs. the lib-storage
 * multipart Upload our exporter uses, plus the process's peak RSS during the multipart upload.
 *
 *   npx tsx bench/upload.bench.ts            # 1 GiB (file cached in os.tmpdir())
 *   npx tsx bench/upload.bench.ts 256        # size in MiB
 *   npx tsx bench/upload.bench.ts 256 --ceiling         # also: the client alone (a server that discards bytes)
 *   npx tsx bench/upload.bench.ts 256 --unsigned-parts  # parts sent with UNSIGNED-PAYLOAD (see below)
 *
 * The client is configured like the exporter's (electron/services/export/exporter.ts): SDK
 * default checksums, Upload with ContentLength. With those defaults every UploadPart body is a
 * Buffer, so the SDK computes a CRC32 header AND a sha256 payload hash of it, and the store must
 * verify both (plus MD5 for the ETag); a streamed PutObject is aws-chunked with a CRC32 trailer
 * and costs only CRC32 + MD5. `--unsigned-parts` measures the proposed exporter change
 * (`unsignedPartPayloads` below): parts keep their CRC32 but skip the sha256 on both sides.
 *
 * Part size 16 MiB, queueSize 4: lib-storage holds about queueSize + 1 part buffers, so memory
 * stays near 80 MiB of buffers, while a 1 GiB file still needs only 64 requests (per-request
 * overhead is negligible); 5-8 MiB parts mean 2-3x the requests and files for no speed gain.
 * The store runs in this same process, so the RSS figure covers client and server together.
 */
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createRunCredentials } from '../cloud/local/credentials';
import { startS3Server } from '../cloud/local/s3';

/**
 * Sends UploadPart bodies as `UNSIGNED-PAYLOAD` (the CRC32 checksum header the SDK adds still
 * protects each part; real S3 accepts this on UploadPart). Saves a sha256 of every part on the
 * client and on the local store. Proposed for the exporter's S3 client; bench-only until then.
 */
export function unsignedPartPayloads(s3: S3Client): void {
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (context.commandName === 'UploadPartCommand' && request?.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'unsignedPartPayloads' },
  );
}

export interface UploadBenchOptions {
  /** Bytes to upload; default 1 GiB. */
  sizeBytes?: number;
  partSizeBytes?: number;
  queueSize?: number;
  /** Also time both uploads against a server that discards the bytes (the client's own cost). */
  ceiling?: boolean;
  /** Apply `unsignedPartPayloads` to the client (not what the exporter does today). */
  unsignedParts?: boolean;
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
  /** With `ceiling`: the same two uploads against a server that discards bytes. */
  ceiling?: { putMBps: number; multipartMBps: number };
  /** os.loadavg() at the start, as the machine may be shared. */
  loadAverage: number[];
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

interface Timings {
  putSeconds: number;
  multipartSeconds: number;
  peakRss: number;
}

/** One streamed PutObject, then one lib-storage Upload (configured as in the exporter). */
async function timeUploads(s3: S3Client, bucket: string, file: string, sizeBytes: number, partSizeBytes: number, queueSize: number, log: (l: string) => void): Promise<Timings> {
  log('  one streamed PutObject...');
  let t0 = performance.now();
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'put.bin', Body: createReadStream(file, { highWaterMark: MiB }), ContentLength: sizeBytes }));
  const putSeconds = (performance.now() - t0) / 1000;
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'put.bin' }));

  log(`  lib-storage Upload, ${partSizeBytes / MiB} MiB parts, queueSize ${queueSize}...`);
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 25);
  t0 = performance.now();
  try {
    await new Upload({
      client: s3,
      params: { Bucket: bucket, Key: 'multipart.bin', Body: createReadStream(file, { highWaterMark: MiB }), ContentLength: sizeBytes },
      partSize: partSizeBytes,
      queueSize,
      leavePartsOnError: false,
    }).done();
  } finally {
    clearInterval(sampler);
  }
  const multipartSeconds = (performance.now() - t0) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { putSeconds, multipartSeconds, peakRss };
}

/**
 * Answers just enough S3 (PutObject, Create/UploadPart/Complete) to let the SDK finish, reading
 * and dropping every body byte without hashing or disk: what remains is the client's own cost.
 */
async function startDiscardServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      res.setHeader('ETag', '"00000000000000000000000000000000"');
      if (req.method === 'POST' && url.searchParams.has('uploads')) {
        res.setHeader('Content-Type', 'application/xml');
        res.end('<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>discard</UploadId></InitiateMultipartUploadResult>');
      } else if (req.method === 'POST') {
        res.setHeader('Content-Type', 'application/xml');
        res.end('<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>"0-1"</ETag></CompleteMultipartUploadResult>');
      } else {
        res.statusCode = req.method === 'DELETE' ? 204 : 200;
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export async function runUploadBench(opts: UploadBenchOptions = {}): Promise<UploadBenchResult> {
  const sizeBytes = opts.sizeBytes ?? 1024 * MiB;
  const partSizeBytes = opts.partSizeBytes ?? 16 * MiB;
  const queueSize = opts.queueSize ?? 4;
  const log = opts.log ?? (() => {});
  const loadAverage = os.loadavg();
  const file = await ensureSourceFile(sizeBytes, log);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-bench-s3-'));
  const credentials = createRunCredentials();
  const region = 'us-east-1';
  const bucket = 'hospup-bench';
  const newClient = (endpoint: string) => {
    const client = new S3Client({ endpoint, region, forcePathStyle: true, credentials });
    if (opts.unsignedParts) unsignedPartPayloads(client);
    return client;
  };
  // Warm the page cache so no run pays for reading the source from disk.
  for await (const _ of createReadStream(file, { highWaterMark: 8 * MiB })) void _;

  let ceiling: UploadBenchResult['ceiling'];
  if (opts.ceiling) {
    log('(ceiling) client alone, against a server that discards bytes:');
    const discard = await startDiscardServer();
    const client = newClient(discard.endpoint);
    try {
      const t = await timeUploads(client, bucket, file, sizeBytes, partSizeBytes, queueSize, log);
      ceiling = { putMBps: sizeBytes / MB / t.putSeconds, multipartMBps: sizeBytes / MB / t.multipartSeconds };
    } finally {
      client.destroy();
      await discard.close();
    }
  }

  const server = await startS3Server({ dataDir, credentials, region, buckets: [bucket] });
  const s3 = newClient(server.endpoint);
  try {
    log('local S3 store:');
    const { putSeconds, multipartSeconds, peakRss } = await timeUploads(s3, bucket, file, sizeBytes, partSizeBytes, queueSize, log);
    const stored = await fs.stat(await server.objectFilePath(bucket, 'multipart.bin'));
    if (stored.size !== sizeBytes) throw new Error(`multipart upload stored ${stored.size} bytes, expected ${sizeBytes}`);

    const putMBps = sizeBytes / MB / putSeconds;
    const multipartMBps = sizeBytes / MB / multipartSeconds;
    const ratio = multipartMBps / putMBps;
    const peakRssMB = peakRss / MB;
    const sizeMiB = Math.round(sizeBytes / MiB);
    const flags = `${opts.ceiling ? ' --ceiling' : ''}${opts.unsignedParts ? ' --unsigned-parts' : ''}`;
    const command = `npx tsx bench/upload.bench.ts${sizeMiB === 1024 && !flags ? '' : ` ${sizeMiB}`}${flags}`;
    const lines = [
      `upload.size: ${sizeMiB} MiB${opts.unsignedParts ? ' (parts UNSIGNED-PAYLOAD: proposed exporter change, not today\'s exporter)' : ''}`,
      `upload.load_average: ${loadAverage.map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores; figures are noisy when loaded)`,
      `upload.put_object_MBps: ${putMBps.toFixed(1)} (${putSeconds.toFixed(2)} s)`,
      `upload.multipart_MBps: ${multipartMBps.toFixed(1)} (${multipartSeconds.toFixed(2)} s, part ${partSizeBytes / MiB} MiB, queueSize ${queueSize})`,
      `upload.multipart_vs_put_ratio: ${ratio.toFixed(2)} (goal >= 0.9)`,
      `upload.multipart_peak_rss_MB: ${peakRssMB.toFixed(0)} (goal < 300)`,
      ...(ceiling
        ? [
            `upload.client_only_put_MBps: ${ceiling.putMBps.toFixed(1)} (server discards bytes)`,
            `upload.client_only_multipart_MBps: ${ceiling.multipartMBps.toFixed(1)} (server discards bytes; ratio ${(ceiling.multipartMBps / ceiling.putMBps).toFixed(2)})`,
          ]
        : []),
      `upload.reproduce: ${command}`,
    ];
    return { sizeBytes, partSizeBytes, queueSize, putSeconds, putMBps, multipartSeconds, multipartMBps, ratio, peakRssMB, ceiling, loadAverage, command, lines };
  } finally {
    s3.destroy();
    await server.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const sizeArg = args.find((a) => !a.startsWith('--'));
  const mib = sizeArg ? Number(sizeArg) : 1024;
  const unknown = [...flags].filter((f) => f !== '--ceiling' && f !== '--unsigned-parts');
  if (!Number.isFinite(mib) || mib < 6 || unknown.length) {
    console.error('usage: npx tsx bench/upload.bench.ts [size in MiB, >= 6] [--ceiling] [--unsigned-parts]');
    process.exit(2);
  }
  const result = await runUploadBench({
    sizeBytes: Math.round(mib * MiB),
    ceiling: flags.has('--ceiling'),
    unsignedParts: flags.has('--unsigned-parts'),
    log: (l) => console.error(l),
  });
  for (const line of result.lines) console.log(line);
}
