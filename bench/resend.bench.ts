/**
 * Bytes re-sent when exporting an unchanged project twice (goal 0): sources are content-
 * addressed and skipped when already in the bucket, hashes cached by path + size + mtime.
 *
 *   npx tsx bench/resend.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalCloud } from '../cloud/local';
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
  const cloud = await startLocalCloud({ dataDir: join(work, 'cloud') });
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
    let hashStart = 0;
    let hashMs = 0;
    const second = await exporter.exportRequest(request, {
      outPath: join(work, 'second.mp4'),
      onProgress: (e) => {
        if (e.phase === 'hashing' && !hashStart) hashStart = performance.now();
        if (e.phase === 'uploading' && hashStart && !hashMs) hashMs = performance.now() - hashStart;
      },
    });
    const lines = [
      `export.bytes_resent_unchanged: ${second.bytesUploaded} (goal 0; first export sent ${first.bytesUploaded})`,
      'reproduce: npx tsx bench/resend.bench.ts',
    ];
    return { firstBytes: first.bytesUploaded, secondBytes: second.bytesUploaded, secondHashMs: hashMs, lines };
  } finally {
    await cloud.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of (await runResendBench()).lines) console.log(line);
}
