// Photos, a logo and per-segment sound, exported through the embedded local cloud (exporter ->
// S3 store -> the SHIPPED generation Lambda zip -> local MediaConvert -> ffmpeg) and checked by decoded pixels and
// audio samples: photos upright and filling the frame for exactly their length, the logo at its
// place and opacity on every segment, a muted segment silent, a -12 dB segment 12 dB quieter.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { createExporter } from '../../electron/services/export/exporter';
import { ffmpegPath } from '../../node/media/ffmpeg-paths';
import { logoBox } from '../../shared/logo';
import { makeTestClip, meanVolumeDb } from '../fixtures/media';
import { buildAndUnzipLambda, zippedGenerator, type LambdaProcess } from '../fixtures/zipped-lambda';
import { makeExif6Jpeg, makeHalfTransparentPng, makeLogoPng, makeRotatedHeic, QUADRANTS, type Rgb3 } from '../fixtures/photos';

const run = promisify(execFile);
const FIXTURES = resolve('.cache/test-media');
const W = 144;
const H = 256;
const FPS = 30;
/** Per-channel tolerance after scaling, 4:2:0 chroma and H.264 (away from colour edges). */
const TOLERANCE = 24;

let dir: string;
let cloud: LocalCloud;
const zipped: LambdaProcess[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-photos-'));
  // What ships is what is tested: the generation function from `npm run build:lambda`'s zip.
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud'), generator: zippedGenerator(await buildAndUnzipLambda(join(dir, 'lambda')), zipped) });
});
after(async () => {
  for (const lambda of zipped) lambda.stop();
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every frame of the video as RGB24. */
async function rgbFrames(file: string): Promise<Buffer[]> {
  const { stdout } = await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 });
  const size = W * H * 3;
  const frames: Buffer[] = [];
  for (let at = 0; at + size <= stdout.length; at += size) frames.push(stdout.subarray(at, at + size));
  return frames;
}

const pixel = (frame: Buffer, x: number, y: number): Rgb3 => {
  const i = (Math.round(y) * W + Math.round(x)) * 3;
  return [frame[i], frame[i + 1], frame[i + 2]];
};
const near = (a: Rgb3, b: Rgb3, tolerance = TOLERANCE) => a.every((v, i) => Math.abs(v - b[i]) <= tolerance);
const mix = (over: Rgb3, under: Rgb3, opacity: number): Rgb3 => over.map((v, i) => Math.round(v * opacity + under[i] * (1 - opacity))) as Rgb3;

describe('photos, a logo and sound controls (local cloud)', () => {
  const LOGO = { position: { x: 75, y: 20 }, width: 25, opacity: 60 };
  const logoPx = logoBox(LOGO, { width: 60, height: 30 }, { width: W, height: H });
  const GRAY: Rgb3 = [128, 128, 128];
  let out: string;
  let frames: Buffer[];
  // Segment lengths in output frames, in play order.
  const plan = [
    { name: 'jpeg (EXIF 6)', seconds: 1, frames: 30 },
    { name: 'png with transparency', seconds: 0.5, frames: 15 },
    { name: 'heic (irot 90)', seconds: 0.7, frames: 21 },
    { name: 'clip at 0 dB', seconds: 1, frames: 30 },
    { name: 'clip at -12 dB', seconds: 1, frames: 30 },
    { name: 'clip muted', seconds: 1, frames: 30 },
  ];
  const startFrame = (k: number) => plan.slice(0, k).reduce((sum, p) => sum + p.frames, 0);

  before(async () => {
    const [jpeg, png, heic, clip, logo] = await Promise.all([
      makeExif6Jpeg(dir, 'exif6', { width: 300, height: 400 }),
      makeHalfTransparentPng(dir, 'half', { width: 200, height: 200 }, [255, 0, 255]),
      makeRotatedHeic(dir, 'phone', { width: 48, height: 64 }),
      makeTestClip(FIXTURES, { name: 'photo-tone', color: 'gray', width: W, height: H, fps: FPS, durationSec: 2, audio: { freqHz: 440 } }),
      makeLogoPng(dir, 'logo', { width: 60, height: 30 }, 5),
    ]);
    const segments = [
      { video_url: jpeg, start_time: 0, end_time: 1 },
      { video_url: png, start_time: 0, end_time: 0.5 },
      { video_url: heic, start_time: 0, end_time: 0.7 },
      { video_url: clip, start_time: 0.5, end_time: 1.5 },
      { video_url: clip, start_time: 0.5, end_time: 1.5, volume_db: -12 },
      { video_url: clip, start_time: 0.5, end_time: 1.5, muted: true },
    ].map((s, i) => ({ ...s, duration: s.end_time - s.start_time, order: i + 1 }));
    out = join(dir, 'photos.mp4');
    await createExporter({ target: cloud.target(), pollMinMs: 20, pollMaxMs: 100, convertedDir: join(dir, 'converted') })
      .exportRequest({ property_id: '1', template_id: 'photos', output: { width: W, height: H, fps: FPS }, segments, logo: { url: logo, ...LOGO } },
        { outPath: out, baseDir: dir });
    frames = await rgbFrames(out);
  });

  it('lasts exactly the sum of the segments, each photo exactly its length', () => {
    assert.ok(zipped.length > 0, 'the shipped zip answered the generate call');
    assert.equal(frames.length, startFrame(plan.length));
    // The JPEG's top-left is red, the PNG's left magenta, the HEIC's top-left red again, the clip gray:
    // the first and last frame of each segment show that segment's picture.
    const probe: [number, Rgb3][] = [[0, QUADRANTS.topLeft], [1, [255, 0, 255]], [2, QUADRANTS.topLeft], [3, GRAY]];
    for (const [k, colour] of probe) {
      for (const f of [startFrame(k), startFrame(k + 1) - 1]) {
        assert.ok(near(pixel(frames[f], 10, 30), colour), `${plan[k].name}, frame ${f}: ${pixel(frames[f], 10, 30)} is not ${colour}`);
      }
    }
  });

  it('photos are upright (EXIF orientation, HEIC irot) and fill the frame, centred, as the preview shows them', () => {
    // A 3:4 picture covering a 9:16 frame: scaled to the frame height, its sides cropped equally,
    // so the four quadrants meet in the middle of the frame and there are no bars.
    for (const k of [0, 2]) {
      const frame = frames[startFrame(k) + 5];
      const corners: [number, number, Rgb3][] = [
        [3, 3, QUADRANTS.topLeft], [W - 4, 3, QUADRANTS.topRight],
        [3, H - 4, QUADRANTS.bottomLeft], [W - 4, H - 4, QUADRANTS.bottomRight],
        [W / 2 - 8, H / 2 - 8, QUADRANTS.topLeft], [W / 2 + 8, H / 2 + 8, QUADRANTS.bottomRight],
      ];
      for (const [x, y, colour] of corners) {
        if (x >= logoPx.x - 2 && x <= logoPx.x + logoPx.width + 2 && y >= logoPx.y - 2 && y <= logoPx.y + logoPx.height + 2) continue;
        assert.ok(near(pixel(frame, x, y), colour), `${plan[k].name} at (${x}, ${y}): ${pixel(frame, x, y)} is not ${colour}`);
      }
    }
  });

  it('a PNG with transparency shows black where it is transparent (the generator draws over black)', () => {
    const frame = frames[startFrame(1) + 3];
    assert.ok(near(pixel(frame, W / 2 - 20, H - 20), [255, 0, 255]), `left: ${pixel(frame, W / 2 - 20, H - 20)}`);
    assert.ok(near(pixel(frame, W / 2 + 20, H - 20), [0, 0, 0]), `right: ${pixel(frame, W / 2 + 20, H - 20)}`);
  });

  it('the logo is on every segment at its box and opacity, its transparent margin shows the picture', () => {
    assert.deepEqual(logoPx, { x: 90, y: 42, width: 36, height: 18 });
    const cx = logoPx.x + logoPx.width / 2;
    const cy = logoPx.y + logoPx.height / 2;
    const under: Rgb3[] = [QUADRANTS.topRight, [0, 0, 0], QUADRANTS.topRight, GRAY, GRAY, GRAY];
    plan.forEach((segment, k) => {
      for (const f of [startFrame(k), startFrame(k + 1) - 1]) {
        const expected = mix([255, 255, 255], under[k], LOGO.opacity / 100);
        assert.ok(near(pixel(frames[f], cx, cy), expected, 16), `${segment.name}, frame ${f}: logo centre ${pixel(frames[f], cx, cy)}, expected ${expected}`);
        // Outside the box and in its transparent margin: the picture, untouched.
        assert.ok(near(pixel(frames[f], logoPx.x + 1, logoPx.y + 1), under[k]), `${segment.name}: margin ${pixel(frames[f], logoPx.x + 1, logoPx.y + 1)}`);
        assert.ok(near(pixel(frames[f], logoPx.x - 3, cy), under[k]), `${segment.name}: left of the logo ${pixel(frames[f], logoPx.x - 3, cy)}`);
      }
    });
  });

  it('photos and the muted segment are silent; the -12 dB segment is 12 dB quieter than the same clip at 0 dB', async () => {
    const at = (k: number) => startFrame(k) / FPS;
    const len = (k: number) => plan[k].seconds - 0.1;
    const full = await meanVolumeDb(out, at(3) + 0.05, len(3));
    const quiet = await meanVolumeDb(out, at(4) + 0.05, len(4));
    const muted = await meanVolumeDb(out, at(5) + 0.05, len(5));
    const photo = await meanVolumeDb(out, at(0) + 0.05, len(0));
    assert.ok(full > -30, `the 0 dB segment has sound (${full} dB)`);
    assert.ok(Math.abs(full - quiet - 12) <= 1, `0 dB ${full}, -12 dB ${quiet}: differ by ${full - quiet} dB`);
    assert.ok(muted < -85, `muted segment: ${muted} dB`);
    assert.ok(photo < -85, `photo segment: ${photo} dB`);
  });
});
