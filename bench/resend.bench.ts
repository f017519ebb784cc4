/**
 * Bytes re-sent when exporting an unchanged project twice (goal 0): sources are content-
 * addressed and skipped when already in the bucket, hashes cached by path + size + mtime.
 * Counted at the local S3 server: the object bytes it received from the app's keys (PutObject
 * and UploadPart bodies), not what the exporter believes it sent; the exporter's own count is
 * printed beside it as a cross-check.
 *
 *   npx tsx bench/resend.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalCloud } from '../cloud/local';
import type { S3RequestEvent } from '../cloud/local/s3';
import { createExporter } from '../electron/services/export/exporter';
import { makeTestClip } from '../test/fixtures/media';

export interface ResendBenchResult {
  firstBytes: number;
  secondBytes: number;
  secondHashMs: number;
  lines: string[];
}

export async function runResendBench(): Promise<ResendBenchResult> {
  const work = await mkdtemp(join(tmpdir(), 'hospup-bench-resend-'));
  const received: S3RequestEvent[] = [];
  const cloud = await startLocalCloud({ dataDir: join(work, 'cloud'), onS3Request: (event) => received.push(event) });
  // Bytes the app user's keys delivered to the server since `from` (the function's caption PNGs
  // and MediaConvert's renders are written with their own roles' keys).
  const appBytesSince = (from: number) => received.slice(from)
    .filter((e) => e.accessKeyId === cloud.config.accessKeyId && (e.operation === 'PutObject' || e.operation === 'UploadPart'))
    .reduce((sum, e) => sum + e.bodyBytes, 0);
  try {
    const clips = await Promise.all(
      ['red', 'blue', 'lime'].map((color) => makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: `resend-${color}`, color, width: 640, height: 360, fps: 30, durationSec: 2 })),
    );
    const request = {
      property_id: '1',
      template_id: 'bench',
      output: { width: 360, height: 640 },
      segments: clips.map((clip, i) => ({ video_url: clip, start_time: 0, end_time: 1, duration: 1, order: i + 1 })),
    };
    const exporter = createExporter({ target: cloud.target(), hashCacheFile: join(work, 'hashes.json') });
    const first = await exporter.exportRequest(request, { outPath: join(work, 'first.mp4') });
    const firstServerBytes = appBytesSince(0);
    const beforeSecond = received.length;
    let hashStart = 0;
    let hashMs = 0;
    const second = await exporter.exportRequest(request, {
      outPath: join(work, 'second.mp4'),
      onProgress: (e) => {
        if (e.phase === 'hashing' && !hashStart) hashStart = performance.now();
        if (e.phase === 'uploading' && hashStart && !hashMs) hashMs = performance.now() - hashStart;
      },
    });
    const secondServerBytes = appBytesSince(beforeSecond);
    if (firstServerBytes === 0) throw new Error('the S3 server saw no upload from the app in the first export: the count is broken');
    const lines = [
      `export.bytes_resent_unchanged: ${secondServerBytes} (goal 0; counted at the S3 server; the first export sent ${firstServerBytes})`,
      `export.bytes_resent_unchanged_exporter_count: ${second.bytesUploaded} (the exporter's own count, first ${first.bytesUploaded})`,
      'reproduce: npx tsx bench/resend.bench.ts',
    ];
    return { firstBytes: firstServerBytes, secondBytes: secondServerBytes, secondHashMs: hashMs, lines };
  } finally {
    await cloud.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of (await runResendBench()).lines) console.log(line);
}
