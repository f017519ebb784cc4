/**
 * The local renderer's ffmpeg command, run for real: frame-exact cuts and overlay windows at
 * NTSC rates and with 1-frame segments (each output frame read back by its frame counter).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { planFfmpegRender } from '../../cloud/local/mediaconvert/compile-ffmpeg';
import { ffmpegPath } from '../../node/media/ffmpeg-paths';
import { probeMedia } from '../../node/media/probe';
import { makeTestClip } from '../fixtures/media';
import { wireImage, wireInput, wireSettings } from '../fixtures/mc-job';

const run = promisify(execFile);
const FIXTURES = resolve('.cache/test-media');
const W = 160;
const H = 96;
let work: string;
let png: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'hospup-mc-timing-'));
  png = join(work, 'white.png');
  await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=white:s=16x16', '-frames:v', '1', png]);
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

interface OutFrame { counter: number; overlaid: boolean }

/** Every output frame: its frame counter, and whether the white overlay covers the top-left corner. */
async function readFrames(file: string): Promise<OutFrame[]> {
  const { stdout } = await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  const size = W * H * 3;
  const frames: OutFrame[] = [];
  for (let base = 0; base + size <= stdout.length; base += size) {
    const lum = (x: number, y: number) => {
      const i = base + (Math.floor(y) * W + Math.floor(x)) * 3;
      return (stdout[i] + stdout[i + 1] + stdout[i + 2]) / 3;
    };
    let counter = 0;
    for (let bit = 0; bit < 8; bit++) if (lum((bit + 0.5) * (W / 8), H * 0.45) > 128) counter |= 1 << bit;
    frames.push({ counter, overlaid: lum(4, 4) > 200 });
  }
  return frames;
}

describe('local renderer timing (real ffmpeg)', () => {
  it('keeps 1-frame segments and places the overlay on its exact frames at 29.97 fps', async () => {
    const clip = await makeTestClip(FIXTURES, { name: 'counter-2997', width: W, height: H, fps: '30000/1001', durationSec: 2, frameCounter: true, audio: false });
    const probe = await probeMedia(clip);
    // Three 1-frame segments, then frames 30..59; the overlay covers output frames 3..9.
    const settings = wireSettings([
      wireInput('s3://b/c.mp4', '00:00:00:05', '00:00:00:05', false),
      wireInput('s3://b/c.mp4', '00:00:00:10', '00:00:00:10', false),
      wireInput('s3://b/c.mp4', '00:00:00:15', '00:00:00:15', false),
      wireInput('s3://b/c.mp4', '00:00:01:00', '00:00:01:29', false),
    ], {
      fps: [30000, 1001], width: W, height: H,
      images: [wireImage({ imageX: 0, imageY: 0, width: 16, height: 16, startTime: '00:00:00:03', duration: Math.round((7 * 1001) / 30) })],
    });
    const out = join(work, 'ones.mp4');
    const plan = planFfmpegRender(settings, settings.inputs.map(() => ({ localPath: clip, probe })), [{ localPath: png }], out);
    await run(ffmpegPath(), plan.args);

    const frames = await readFrames(out);
    const expected = [5, 10, 15, ...Array.from({ length: 30 }, (_, i) => 30 + i)];
    assert.deepEqual(frames.map((f) => f.counter), expected);
    assert.deepEqual(frames.map((f, i) => (f.overlaid ? i : -1)).filter((i) => i >= 0), [3, 4, 5, 6, 7, 8, 9]);
  });

  it('starts an overlay on its frame wherever float timestamps would round down (25 and 29.97 fps)', async () => {
    const clip = await makeTestClip(FIXTURES, { name: 'counter-25', width: W, height: H, fps: 25, durationSec: 2.4, frameCounter: true, audio: false });
    const probe = await probeMedia(clip);
    // Frame 29 at 25 fps and frame 3 at 29.97 fps are where N*den/num/TB truncates one frame down.
    for (const [fps, startTime, first] of [[[25, 1], '00:00:01:04', 29], [[30000, 1001], '00:00:00:03', 3]] as const) {
      const settings = wireSettings([wireInput('s3://b/c.mp4', '00:00:00:00', '00:00:01:09', false)], {
        fps: [fps[0], fps[1]], width: W, height: H,
        images: [wireImage({ imageX: 0, imageY: 0, width: 16, height: 16, startTime, duration: 5000 })],
      });
      const out = join(work, `start-${fps[0]}.mp4`);
      const plan = planFfmpegRender(settings, [{ localPath: clip, probe }], [{ localPath: png }], out);
      await run(ffmpegPath(), plan.args);
      const frames = await readFrames(out);
      assert.equal(frames.length, plan.expectedFrames);
      assert.equal(frames.findIndex((f) => f.overlaid), first, `overlay start at ${fps.join('/')} fps`);
      assert.ok(frames.slice(first).every((f) => f.overlaid));
    }
  });
});
