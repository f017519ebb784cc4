// Phone footage as phones record it, exported through the embedded local cloud (exporter ->
// S3 store -> generation Lambda -> local MediaConvert -> ffmpeg) and checked by decoded pixels
// and audio samples: HDR colour, variable-frame-rate sync, 120/240 fps slow motion, extra tracks,
// rotation, mono and 5.1 sound.
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
import { probeMedia } from '../../node/media/probe';
import { inputClip } from '../../shared/time';
import { decodeFrame, ffprobeJson, makeTestClip, meanVolumeDb, type Rgb } from '../fixtures/media';
import { makeHdrClip, makeSlowMotionClip, makeVfrClip, readSlowMotionCounter, SATURATED_BLUE, SATURATED_RED } from '../fixtures/phone-media';

const run = promisify(execFile);
const FIXTURES = resolve('.cache/test-media');
/** Per-channel tolerance of a colour after HDR -> SDR, 10-bit -> 8-bit and two lossy encodes. */
const COLOUR_TOLERANCE = 14;

let dir: string;
let cloud: LocalCloud;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-phone-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
});
after(async () => {
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

function exportRequest(name: string, segments: { file: string; start: number; end: number }[], output: { width: number; height: number; fps: number }) {
  const out = join(dir, `${name}.mp4`);
  const request = {
    property_id: '1', template_id: 'phone', output,
    segments: segments.map((s, i) => ({ video_url: s.file, start_time: s.start, end_time: s.end, duration: s.end - s.start, order: i + 1 })),
  };
  return createExporter({ target: cloud.target(), pollMinMs: 20, pollMaxMs: 100 }).exportRequest(request, { outPath: out, baseDir: dir }).then(() => out);
}

const distance = (a: Rgb, b: Rgb) => Math.max(Math.abs(a.r - b.r), Math.abs(a.g - b.g), Math.abs(a.b - b.b));

async function grayFrames(file: string, W: number, H: number): Promise<Buffer[]> {
  const { stdout } = await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  const frames: Buffer[] = [];
  for (let at = 0; at + W * H <= stdout.length; at += W * H) frames.push(stdout.subarray(at, at + W * H));
  return frames;
}

async function leftChannel(file: string): Promise<Float32Array> {
  const { stdout } = await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-i', file, '-map', '0:a:0', '-af', 'pan=mono|c0=c0',
    '-f', 'f32le', '-ar', '48000', 'pipe:1'], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  return new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 4));
}

describe('HDR phone clips (HLG, PQ; HEVC 10-bit, rotated, with timecode and text tracks)', () => {
  const W = 96;
  const H = 160;
  let hlg: string;
  let pq: string;
  let sdr10: string;
  let out: string;

  before(async () => {
    [hlg, pq, sdr10] = await Promise.all([
      makeHdrClip(FIXTURES, { name: 'phone-hlg-rot90', transfer: 'hlg', width: W, height: H, fps: 30, durationSec: 1.5, rotation: 90, extraTracks: true, audioChannels: 1 }),
      makeHdrClip(FIXTURES, { name: 'phone-pq-rot270', transfer: 'pq', width: W, height: H, fps: 30, durationSec: 1.5, rotation: 270, extraTracks: true, audioChannels: 6 }),
      makeHdrClip(FIXTURES, { name: 'phone-sdr10-rot180', transfer: 'sdr10', width: W, height: H, fps: 30, durationSec: 1, rotation: 180 }),
    ]);
    out = await exportRequest('hdr', [{ file: hlg, start: 0, end: 1.5 }, { file: pq, start: 0, end: 1.5 }, { file: sdr10, start: 0, end: 1 }], { width: W, height: H, fps: 30 });
  });

  it('the fixtures are what a phone writes: HDR tags, 10 bits, rotation, extra tracks', async () => {
    const probe = await probeMedia(hlg);
    assert.deepEqual([probe.colour.dynamicRange, probe.colour.primaries, probe.colour.bitDepth, probe.rotation, probe.audioChannels], ['hlg', 'bt2020', 10, 90, 1]);
    assert.equal((await probeMedia(pq)).colour.dynamicRange, 'pq');
    const streams = (await ffprobeJson(hlg)).streams.map((s: any) => s.codec_tag_string === 'tmcd' ? 'tmcd' : s.codec_name);
    assert.deepEqual(streams.sort(), ['aac', 'hevc', 'mov_text', 'tmcd']);
  });

  it('a saturated colour survives HDR -> SDR upright, in every clip, and the output is tagged BT.709', async () => {
    for (const [name, at] of [['HLG', 0.75], ['PQ', 2.25], ['10-bit SDR', 3.5]] as const) {
      const frame = await decodeFrame(out, at);
      const top = frame.pixel(W / 2, H * 0.25);
      const bottom = frame.pixel(W / 2, H * 0.75);
      assert.ok(distance(top, SATURATED_RED) <= COLOUR_TOLERANCE, `${name} top ${JSON.stringify(top)} vs ${JSON.stringify(SATURATED_RED)}`);
      assert.ok(distance(bottom, SATURATED_BLUE) <= COLOUR_TOLERANCE, `${name} bottom ${JSON.stringify(bottom)} vs ${JSON.stringify(SATURATED_BLUE)}`);
    }
    const { colour } = await probeMedia(out);
    assert.deepEqual([colour.primaries, colour.transfer, colour.matrix, colour.bitDepth], ['bt709', 'bt709', 'bt709', 8]);
  });

  it('untreated (BT.2020 HLG shown as BT.709) the same pixels fail the same check', async () => {
    const { stdout } = await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-i', hlg, '-frames:v', '1', '-vf', 'scale=out_color_matrix=bt709', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
    const i = (Math.floor(H * 0.25) * W + W / 2) * 3;
    const untreated = { r: stdout[i], g: stdout[i + 1], b: stdout[i + 2] };
    assert.ok(distance(untreated, SATURATED_RED) > 3 * COLOUR_TOLERANCE, `untreated ${JSON.stringify(untreated)} looks muddy`);
  });

  it('mono and 5.1 sound come out as stereo at a normal level', async () => {
    assert.ok((await meanVolumeDb(out, 0.2, 1)) > -35, 'mono clip is heard');
    assert.ok((await meanVolumeDb(out, 1.7, 1)) > -35, '5.1 clip is heard (front channels)');
    const { stderr } = await run(ffmpegPath(), ['-hide_banner', '-ss', '0.3', '-t', '1', '-i', out, '-af', 'pan=mono|c0=c0-c1,volumedetect', '-f', 'null', '-']);
    const diff = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr)![1];
    assert.ok(diff === '-inf' || Number(diff) < -50, `mono is the same on both sides (difference ${diff} dB)`);
  });
});

describe('a variable-frame-rate clip (30 fps, then 15 fps) stays in sync', () => {
  const W = 160;
  const H = 96;

  it('the flash and the beep land together, at the expected time', async () => {
    const [lead, vfr] = await Promise.all([
      makeTestClip(FIXTURES, { name: 'lead-black', color: 'black', width: W, height: H, fps: 30, durationSec: 1, audio: false }),
      makeVfrClip(FIXTURES, { name: 'phone-vfr-30-15', width: W, height: H, durationSec: 5, switchSec: 2, flashSec: 3 }),
    ]);
    assert.equal((await probeMedia(vfr)).variableFrameRate, true);
    // 1 s of lead-in, then the VFR clip from 1.0 s: its flash (3.0 s in the source) is at 3.0 s on the output.
    const out = await exportRequest('vfr', [{ file: lead, start: 0, end: 1 }, { file: vfr, start: 1, end: 4.5 }], { width: W, height: H, fps: 30 });
    const frames = await grayFrames(out, W, H);
    const flashFrame = frames.findIndex((f) => f[Math.floor(H * 0.2) * W + 10] > 220);
    const samples = await leftChannel(out);
    const beepSample = samples.findIndex((v) => Math.abs(v) > 0.05);
    const flashSec = flashFrame / 30;
    const beepSec = beepSample / 48000;
    assert.ok(Math.abs(flashSec - beepSec) <= 1 / 30, `flash at ${flashSec} s, beep at ${beepSec} s`);
    assert.ok(Math.abs(flashSec - 3) <= 1 / 30 + 1e-6, `flash at ${flashSec} s, expected 3.0 s`);
    assert.ok(Math.abs(beepSec - 3) <= 1 / 30, `beep at ${beepSec} s, expected 3.0 s`);
    assert.equal(frames.length, Math.round(4.5 * 30), 'the render lasts the sum of the segments');
  });
});

describe('slow motion at 120 and 240 fps', () => {
  const W = 64;
  const H = 64;

  it('each slow-motion segment shows its own frames, for exactly its duration, and no others', async () => {
    const [s120, s240] = await Promise.all([
      makeSlowMotionClip(FIXTURES, { name: 'slomo-120', width: W, height: H, fps: 120, durationSec: 3 }),
      makeSlowMotionClip(FIXTURES, { name: 'slomo-240', width: W, height: H, fps: 240, durationSec: 2 }),
    ]);
    const segments = [
      { file: s120, start: 1.9, end: 2.95, fps: 120 },
      { file: s240, start: 0.5, end: 1.5, fps: 240 },
      { file: s120, start: 0, end: 0.5, fps: 120 },
    ];
    const out = await exportRequest('slomo', segments, { width: W, height: H, fps: 30 });
    const frames = await grayFrames(out, W, H);
    const counters = frames.map((f) => readSlowMotionCounter(f, 0, W, H));
    let cursor = 0;
    let outputFrame = 0;
    for (const segment of segments) {
      const clip = inputClip(segment.start, segment.end, segment.fps, segment.fps * (segment.file === s120 ? 3 : 2) - 1)!;
      const seconds = clip.frameCount / segment.fps;
      const count = Math.round((cursor + seconds) * 30) - Math.round(cursor * 30);
      cursor += seconds;
      const shown = counters.slice(outputFrame, outputFrame + count);
      outputFrame += count;
      const step = segment.fps / 30;
      assert.equal(shown[0], clip.startFrame, `${segment.fps} fps segment starts on its first frame`);
      shown.forEach((frame, k) => {
        assert.ok(frame >= clip.startFrame && frame <= clip.endFrame, `${segment.fps} fps: frame ${frame} inside ${clip.startFrame}..${clip.endFrame}`);
        assert.ok(Math.abs(frame - (clip.startFrame + k * step)) <= step / 2, `${segment.fps} fps: output frame ${k} shows ${frame}`);
      });
    }
    assert.equal(frames.length, outputFrame, 'nothing after the last segment');
  });
});
