// The whole export through the embedded local cloud and the real SDK clients:
// local clips -> S3 store -> generation Lambda -> MediaConvert API -> ffmpeg -> MP4 on disk.
// The suite runs twice: with the generation function from the source tree (in-process) and
// with the shipped zip (unzipped, in its own Node process): what ships is what is tested.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { createExporter, type ExportProgressEvent } from '../../electron/services/export/exporter';
import { ExportFailure } from '../../electron/services/export/export-failure';
import { GUIDE_CURL_REQUEST } from '../fixtures/guide-requests';
import { buildAndUnzipLambda, zippedGenerator, type LambdaProcess } from '../fixtures/zipped-lambda';
import { colorName, decodeFrame, ffprobeJson, makeTestClip, meanVolumeDb, type DecodedFrame } from '../fixtures/media';

const clipsDir = join(tmpdir(), 'hospup-test-clips');

/** Near-white pixels in a box (the guide's overlay is white text). */
function whitePixels(frame: DecodedFrame, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let count = 0;
  for (let y = box.y0; y < box.y1; y += 2) {
    for (let x = box.x0; x < box.x1; x += 2) {
      const p = frame.pixel(x, y);
      if (p.r > 200 && p.g > 200 && p.b > 200) count++;
    }
  }
  return count;
}

async function durationOf(file: string): Promise<{ duration: number; width: number; height: number; fps: string; audio: boolean }> {
  const info = await ffprobeJson(file);
  const video = info.streams.find((s: any) => s.codec_type === 'video');
  return {
    duration: Number(info.format.duration),
    width: video.width,
    height: video.height,
    fps: video.r_frame_rate,
    audio: info.streams.some((s: any) => s.codec_type === 'audio'),
  };
}

for (const variant of ['source tree', 'shipped zip'] as const) {
  describe(`export pipeline (generation function from the ${variant})`, () => {
    let dir: string;
    let cloud: LocalCloud;
    const zipped: LambdaProcess[] = [];

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hospup-export-'));
      const generator = variant === 'shipped zip' ? zippedGenerator(await buildAndUnzipLambda(join(dir, 'lambda')), zipped) : undefined;
      cloud = await startLocalCloud({ dataDir: join(dir, 'cloud'), generator });
    });
    after(async () => {
      for (const lambda of zipped) lambda.stop();
      await cloud?.close();
      await rm(dir, { recursive: true, force: true });
    });

    test("the guide's sample request, with a real clip at s3://hospup-videos/video1.mp4, renders 1080x1920 with its overlay", async () => {
      const clip = await makeTestClip(clipsDir, { name: 'guide-video1', color: 'blue', width: 320, height: 568, fps: 30, durationSec: 10 });
      const { config } = cloud;
      // The guide's bucket already holds the hotel's videos at its root: an administrator put them there.
      const s3 = new S3Client({ region: config.region, endpoint: config.endpoints.s3, forcePathStyle: true, credentials: config.admin });
      await s3.send(new PutObjectCommand({ Bucket: 'hospup-videos', Key: 'video1.mp4', Body: createReadStream(clip), ContentLength: (await stat(clip)).size }));

      const guideRequest = GUIDE_CURL_REQUEST;
      const out = join(dir, 'guide.mp4');
      const phases = new Set<string>();
      const result = await createExporter({ target: cloud.target() }).exportRequest(guideRequest, { outPath: out, onProgress: (e) => phases.add(e.phase) });

      assert.deepEqual([...phases].filter((p) => ['submitting', 'rendering', 'downloading', 'done'].includes(p)), ['submitting', 'rendering', 'downloading', 'done']);
      assert.ok(result.warnings.some((w) => w.startsWith('total_duration: 30.0 s differs')), 'total_duration mismatch is a warning');
      const info = await durationOf(out);
      assert.deepEqual([info.width, info.height, info.fps], [1080, 1920, '30/1']);
      assert.ok(Math.abs(info.duration - 10) <= 1 / 30 + 1e-3, `duration ${info.duration}`);
      assert.ok(info.audio, 'an AAC track is always present');

      // Overlay: centred at (50 %, 80 %) = (540, 1536), only between 2 s and 8 s.
      const around = { x0: 300, y0: 1500, x1: 780, y1: 1572 };
      const elsewhere = { x0: 300, y0: 300, x1: 780, y1: 372 };
      const during = await decodeFrame(out, 5);
      assert.ok(whitePixels(during, around) > 30, 'overlay text visible at its position during its window');
      assert.equal(whitePixels(during, elsewhere), 0, 'nothing drawn elsewhere');
      assert.equal(colorName(during.pixel(540, 200)), 'blue', 'the clip shows under the overlay');
      for (const t of [1, 9]) assert.equal(whitePixels(await decodeFrame(out, t), around), 0, `no overlay at ${t} s`);
    });

    test('mixed sources: order by `order`, 25/30/60 fps, a rotated HEVC phone clip upright, silence for a clip without audio, 4K', async () => {
      const [red25, phoneHevc, green60NoAudio, magenta4k] = await Promise.all([
        makeTestClip(clipsDir, { name: 'red25', color: 'red', width: 640, height: 360, fps: 25, durationSec: 2 }),
        makeTestClip(clipsDir, { name: 'phone-hevc', color: 'blue', bottomColor: 'yellow', width: 640, height: 360, fps: 30, durationSec: 2, codec: 'hevc', rotation: 90 }),
        makeTestClip(clipsDir, { name: 'green60', color: 'lime', width: 360, height: 640, fps: 60, durationSec: 2, audio: false }),
        makeTestClip(clipsDir, { name: 'magenta4k', color: 'magenta', width: 3840, height: 2160, fps: 30, durationSec: 1 }),
      ]);
      const request = {
        property_id: 'hotel-7',
        template_id: 'mixed',
        output: { width: 360, height: 640, fps: 30 },
        segments: [
          { video_url: red25, start_time: 0.5, end_time: 1.5, duration: 1, order: 3 },
          { video_url: `file://${phoneHevc}`, start_time: 0, end_time: 1, duration: 1, order: 1 },
          { video_url: green60NoAudio, start_time: 0.5, end_time: 1.5, duration: 1, order: 2 },
          { video_url: magenta4k, start_time: 0, end_time: 1, duration: 1, order: 4 },
        ],
        text_overlays: [],
      };
      const exporter = createExporter({ target: cloud.target(), hashCacheFile: join(dir, 'hashes.json') });
      const out = join(dir, 'mixed.mp4');
      const first = await exporter.exportRequest(request, { outPath: out });
      assert.ok(first.bytesUploaded > 0);

      const info = await durationOf(out);
      assert.deepEqual([info.width, info.height, info.fps], [360, 640, '30/1']);
      assert.ok(Math.abs(info.duration - 4) <= 1 / 30 + 1e-3, `duration ${info.duration}`);

      const phone = await decodeFrame(out, 0.5);
      assert.equal(colorName(phone.pixel(180, 100)), 'blue', 'phone clip: top of the upright picture on top');
      assert.equal(colorName(phone.pixel(180, 540)), 'yellow', 'phone clip: bottom stays at the bottom');
      assert.equal(colorName((await decodeFrame(out, 1.5)).pixel(180, 320)), 'lime', 'second: the 60 fps clip');
      assert.equal(colorName((await decodeFrame(out, 2.5)).pixel(180, 320)), 'red', 'third: the 25 fps clip, cropped to fill');
      assert.equal(colorName((await decodeFrame(out, 3.5)).pixel(180, 320)), 'magenta', 'fourth: the 4K clip');

      assert.ok((await meanVolumeDb(out, 1.1, 0.8)) < -60, 'silence under the clip without audio');
      assert.ok((await meanVolumeDb(out, 2.1, 0.8)) > -40, 'the tone of the 25 fps clip is heard');

      // Exporting the unchanged project again sends no source bytes.
      const second = await exporter.exportRequest(request, { outPath: join(dir, 'mixed-again.mp4') });
      assert.equal(second.bytesUploaded, 0);
    });

    test('cancelling during the render stops the job and leaves no partial file', async () => {
      const clip = await makeTestClip(clipsDir, { name: 'cancel-me', color: 'gray', width: 640, height: 360, fps: 30, durationSec: 8 });
      const controller = new AbortController();
      const out = join(dir, 'cancelled', 'video.mp4');
      const seen: ExportProgressEvent[] = [];
      const exporting = createExporter({ target: cloud.target(), pollMinMs: 100 }).exportRequest(
        { property_id: '1', template_id: 't', segments: [{ video_url: clip, start_time: 0, end_time: 8, duration: 8, order: 1 }] },
        {
          outPath: out,
          signal: controller.signal,
          onProgress: (event) => {
            seen.push(event);
            if (event.phase === 'rendering') controller.abort();
          },
        },
      );
      await assert.rejects(exporting, (err: unknown) => err instanceof ExportFailure && err.code === 'cancelled');
      assert.ok(seen.some((e) => e.phase === 'rendering'));
      assert.equal(existsSync(out), false);
      assert.equal(existsSync(`${out}.part`), false);
      const leftovers = existsSync(join(dir, 'cancelled')) ? await readdir(join(dir, 'cancelled')) : [];
      assert.deepEqual(leftovers, []);
    });
  });
}
