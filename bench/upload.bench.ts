/**
 * Upload throughput to the local S3 store: one streamed PutObject of a file vs. the multipart
 * upload our exporter uses (`uploadFileInParts`, electron/services/export/file-upload.ts: each
 * 16 MiB part streamed from its byte range, 4 in flight), plus the process's peak RSS.
 *
 *   npx tsx bench/upload.bench.ts            # 1 GiB (file cached in os.tmpdir())
 *   npx tsx bench/upload.bench.ts 256        # size in MiB
 *   npx tsx bench/upload.bench.ts 256 --repeat=5        # 5 alternating rounds, medians (loaded machines)
 *   npx tsx bench/upload.bench.ts 256 --ceiling         # also: the client alone (a server that discards bytes)
 *   npx tsx bench/upload.bench.ts 256 --lib-storage     # lib-storage Upload instead (the former exporter)
 *   npx tsx bench/upload.bench.ts 256 --lib-storage --unsigned-parts  # ... with UNSIGNED-PAYLOAD parts
 *
 * Why not lib-storage: every part becomes a Buffer, so the SDK copies it and computes a sha256
 * payload hash on top of its CRC32, and the store must verify both (plus MD5 for the ETag).
 * Measured with a server that discards bytes, lib-storage alone reaches only ~0.43 of PutObject.
 * Parts streamed from the file are sent like the streamed PutObject (aws-chunked, CRC32
 * trailer): same cost per byte, no part buffers held. The store runs in this same process, so
 * the RSS figure covers client and server together.
 */
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { uploadFileInParts } from '../electron/services/export/file-upload';
import { createRunCredentials } from '../cloud/local/credentials';
import { startS3Server } from '../cloud/local/s3';
import { median } from './stats';

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
  /** With lib-storage: send parts as UNSIGNED-PAYLOAD (comparison only). */
  unsignedParts?: boolean;
  /** Multipart via the exporter's `uploadFileInParts` (default) or, when false, lib-storage's Upload. */
  fileParts?: boolean;
  /** Alternating PutObject/multipart rounds; figures are medians (default 1). */
  repeat?: number;
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
  /** Median over rounds of put time / multipart time; goal >= 0.9. */
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
  /** CPU seconds (user + system) of this process, client and store together: less load-sensitive. */
  putCpuSeconds: number;
  multipartCpuSeconds: number;
  peakRss: number;
}

const cpuSecondsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

/** One streamed PutObject, then one lib-storage Upload (configured as in the exporter). */
async function timeUploads(s3: S3Client, bucket: string, file: string, sizeBytes: number, partSizeBytes: number, queueSize: number, fileParts: boolean, log: (l: string) => void, checkStored?: () => Promise<void>): Promise<Timings> {
  log('  one streamed PutObject...');
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'put.bin', Body: createReadStream(file, { highWaterMark: MiB }), ContentLength: sizeBytes }));
  const putSeconds = (performance.now() - t0) / 1000;
  const putCpuSeconds = cpuSecondsSince(cpu0);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'put.bin' }));

  log(`  ${fileParts ? 'uploadFileInParts' : 'lib-storage Upload'}, ${partSizeBytes / MiB} MiB parts, queueSize ${queueSize}...`);
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 25);
  cpu0 = process.cpuUsage();
  t0 = performance.now();
  try {
    if (fileParts) await uploadFileInParts(s3, { Bucket: bucket, Key: 'multipart.bin', path: file, size: sizeBytes, partSize: partSizeBytes, queueSize });
    else await new Upload({
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
  const multipartCpuSeconds = cpuSecondsSince(cpu0);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await checkStored?.();
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'multipart.bin' }));
  return { putSeconds, multipartSeconds, putCpuSeconds, multipartCpuSeconds, peakRss };
}

/** `repeat` alternating rounds; medians of each figure, peak of the RSS. */
async function timeRounds(repeat: number, run: () => Promise<Timings>, log: (l: string) => void): Promise<Timings & { rounds: Timings[] }> {
  const rounds: Timings[] = [];
  for (let i = 0; i < repeat; i++) {
    if (repeat > 1) log(` round ${i + 1}/${repeat}`);
    rounds.push(await run());
  }
  const pick = (f: (t: Timings) => number) => median(rounds.map(f));
  return {
    putSeconds: pick((t) => t.putSeconds),
    multipartSeconds: pick((t) => t.multipartSeconds),
    putCpuSeconds: pick((t) => t.putCpuSeconds),
    multipartCpuSeconds: pick((t) => t.multipartCpuSeconds),
    peakRss: Math.max(...rounds.map((t) => t.peakRss)),
    rounds,
  };
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
  const repeat = Math.max(1, opts.repeat ?? 1);
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
      const t = await timeRounds(repeat, () => timeUploads(client, bucket, file, sizeBytes, partSizeBytes, queueSize, opts.fileParts ?? true, log), log);
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
    const checkStored = async () => {
      const stored = await fs.stat(await server.objectFilePath(bucket, 'multipart.bin'));
      if (stored.size !== sizeBytes) throw new Error(`multipart upload stored ${stored.size} bytes, expected ${sizeBytes}`);
    };
    const checkedRun = () => timeUploads(s3, bucket, file, sizeBytes, partSizeBytes, queueSize, opts.fileParts ?? true, log, checkStored);
    const { putSeconds, multipartSeconds, putCpuSeconds, multipartCpuSeconds, peakRss, rounds } = await timeRounds(repeat, checkedRun, log);

    const putMBps = sizeBytes / MB / putSeconds;
    const multipartMBps = sizeBytes / MB / multipartSeconds;
    // Median of per-round ratios: rounds run under different load, so pair each put with its multipart.
    const ratio = median(rounds.map((t) => t.putSeconds / t.multipartSeconds));
    const peakRssMB = peakRss / MB;
    const sizeMiB = Math.round(sizeBytes / MiB);
    const flags = `${repeat > 1 ? ` --repeat=${repeat}` : ''}${opts.ceiling ? ' --ceiling' : ''}${opts.unsignedParts ? ' --unsigned-parts' : ''}${opts.fileParts === false ? ' --lib-storage' : ''}`;
    const command = `npx tsx bench/upload.bench.ts${sizeMiB === 1024 && !flags ? '' : ` ${sizeMiB}`}${flags}`;
    const lines = [
      `upload.size: ${sizeMiB} MiB${opts.unsignedParts ? ' (parts UNSIGNED-PAYLOAD: proposed exporter change, not today\'s exporter)' : ''}${opts.fileParts === false ? ' (lib-storage Upload: the former exporter, for comparison)' : ' (uploadFileInParts: what the exporter does)'}`,
      `upload.load_average: ${loadAverage.map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores; figures are noisy when loaded)`,
      `upload.put_object_MBps: ${putMBps.toFixed(1)} (${putSeconds.toFixed(2)} s)`,
      `upload.multipart_MBps: ${multipartMBps.toFixed(1)} (${multipartSeconds.toFixed(2)} s, part ${partSizeBytes / MiB} MiB, queueSize ${queueSize})`,
      `upload.multipart_vs_put_ratio: ${ratio.toFixed(2)} (goal >= 0.9)${repeat > 1 ? `; per round ${rounds.map((t) => (t.putSeconds / t.multipartSeconds).toFixed(2)).join(' ')}` : ''}`,
      `upload.cpu_seconds_put_vs_multipart: ${putCpuSeconds.toFixed(2)} vs ${multipartCpuSeconds.toFixed(2)} (CPU ratio ${(putCpuSeconds / multipartCpuSeconds).toFixed(2)}; client + store, one process)`,
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
  const repeatFlag = [...flags].find((f) => f.startsWith('--repeat='));
  const repeat = repeatFlag ? Number(repeatFlag.slice('--repeat='.length)) : 1;
  const unknown = [...flags].filter((f) => !['--ceiling', '--unsigned-parts', '--lib-storage'].includes(f) && f !== repeatFlag);
  if (!Number.isFinite(mib) || mib < 6 || unknown.length || !(Number.isInteger(repeat) && repeat >= 1)) {
    console.error('usage: npx tsx bench/upload.bench.ts [size in MiB, >= 6] [--repeat=N] [--ceiling] [--unsigned-parts] [--lib-storage]');
    process.exit(2);
  }
  const result = await runUploadBench({
    sizeBytes: Math.round(mib * MiB),
    ceiling: flags.has('--ceiling'),
    unsignedParts: flags.has('--unsigned-parts'),
    fileParts: !flags.has('--lib-storage'),
    repeat,
    log: (l) => console.error(l),
  });
  for (const line of result.lines) console.log(line);
}
