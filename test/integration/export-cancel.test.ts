// Cancelling works at every phase of an export and leaves nothing behind on disk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { createExporter } from '../../electron/services/export/exporter';
import { ExportFailure } from '../../electron/services/export/export-failure';
import type { ExportPhase } from '../../shared/api';
import { ffmpegPath } from '../../node/media/ffmpeg-paths';

let dir: string;
let cloud: LocalCloud;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-cancel-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
});
after(async () => {
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A ~40 MB clip (lossless noise): hashing and uploading take long enough to be interrupted. */
async function bigClip(name: string, seed: number): Promise<string> {
  const file = join(dir, `${name}.mp4`);
  await promisify(execFile)(ffmpegPath(), [
    '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=s=640x360:r=30,noise=alls=60:allf=t:all_seed=${seed}`,
    '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', file,
  ]);
  return file;
}

const cases: { phase: ExportPhase; when: (e: { phase: ExportPhase; bytesDone?: number }) => boolean }[] = [
  { phase: 'hashing', when: (e) => e.phase === 'hashing' },
  { phase: 'uploading', when: (e) => e.phase === 'uploading' && (e.bytesDone ?? 0) > 0 },
  { phase: 'submitting', when: (e) => e.phase === 'submitting' },
  { phase: 'downloading', when: (e) => e.phase === 'downloading' },
];

for (const [index, { phase, when }] of cases.entries()) {
  test(`cancel while ${phase}`, async () => {
    const clip = await bigClip(`cancel-${phase}`, index + 1);
    const out = join(dir, phase, 'video.mp4');
    const controller = new AbortController();
    const seen = new Set<string>();
    const exporting = createExporter({ target: cloud.target(), partSize: 5 * 1024 * 1024, queueSize: 1, pollMinMs: 100 }).exportRequest(
      { property_id: '1', template_id: 't', output: { width: 360, height: 640 }, segments: [{ video_url: clip, start_time: 0, end_time: 1, duration: 1, order: 1 }] },
      {
        outPath: out,
        signal: controller.signal,
        onProgress: (event) => {
          seen.add(event.phase);
          if (when(event)) controller.abort();
        },
      },
    );
    await assert.rejects(exporting, (err: unknown) => err instanceof ExportFailure && err.code === 'cancelled' && err.message === 'Export cancelled.');
    assert.ok(seen.has(phase), `reached ${phase}: ${[...seen].join(',')}`);
    assert.equal(seen.has('done'), false);
    assert.equal(existsSync(out), false, 'no video');
    assert.deepEqual(existsSync(join(dir, phase)) ? await readdir(join(dir, phase)) : [], [], 'no partial file');
  });
}
