// Variants end to end: one request with 3 formats x 2 languages exported through the embedded
// local cloud (exporter -> S3 store -> generation function -> local MediaConvert -> ffmpeg) with
// the real SDK clients. Checked on the files: 6 MP4s at their frame sizes and length, each
// language's caption (a yellow box, wider for the longer text) where that format places it, and a
// segment's focus point moving the crop (a red | green | blue clip shows red or green).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { createExporter, type ExportProgressEvent, type ExportResult } from '../../electron/services/export/exporter';
import { ffmpegPath } from '../../node/media/ffmpeg-paths';
import { probeMedia } from '../../node/media/probe';
import { decodeFrame, type DecodedFrame, type Rgb } from '../fixtures/media';
import type { GenerationRequestInput } from '../../shared/request';

const run = promisify(execFile);
const FPS = 15;

let dir: string;
let cloud: LocalCloud;

/** A 480x270 landscape clip: left third red, middle green, right third blue; 2 s, with sound. */
async function tricolourClip(): Promise<string> {
  const file = join(dir, 'tricolour.mp4');
  await run(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=0x00C800:s=480x270:r=${FPS}:d=2,drawbox=x=0:y=0:w=160:h=270:color=0xC80000:t=fill,drawbox=x=320:y=0:w=160:h=270:color=0x0000C8:t=fill,format=yuv420p`,
    '-f', 'lavfi', '-i', 'sine=f=440:sample_rate=48000:d=2',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', file]);
  return file;
}

const isYellow = ({ r, g, b }: Rgb) => r > 180 && g > 180 && b < 90;
const isRed = ({ r, g, b }: Rgb) => r > 150 && g < 70 && b < 70;
const isGreen = ({ r, g, b }: Rgb) => g > 150 && r < 70 && b < 70;

/** Bounding box of the yellow caption box in a frame (percent of the frame), sampling every 4 px. */
function yellowBox(frame: DecodedFrame): { left: number; right: number; top: number; bottom: number } | undefined {
  let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
  for (let y = 0; y < frame.height; y += 4) {
    for (let x = 0; x < frame.width; x += 4) {
      if (!isYellow(frame.pixel(x, y))) continue;
      left = Math.min(left, x); right = Math.max(right, x); top = Math.min(top, y); bottom = Math.max(bottom, y);
    }
  }
  if (left === Infinity) return undefined;
  const pct = (v: number, of: number) => (100 * v) / of;
  return { left: pct(left, frame.width), right: pct(right, frame.width), top: pct(top, frame.height), bottom: pct(bottom, frame.height) };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-variants-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
});
after(async () => {
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('3 formats x 2 languages through the local cloud', () => {
  let result: ExportResult;
  const events: ExportProgressEvent[] = [];
  const FRAMES: Record<string, [number, number]> = { '9x16': [1080, 1920], '1x1': [1080, 1080], '16x9': [1920, 1080] };

  before(async () => {
    const clip = await tricolourClip();
    const request: GenerationRequestInput = {
      property_id: 'hotel-1',
      template_id: 'summer',
      formats: ['9:16', '1:1', '16:9'],
      languages: ['fr', 'en'],
      output: { fps: FPS },
      segments: [
        // Focus on the red third; 1:1 keeps the centre (green) by its placement.
        { video_url: clip, start_time: 0, end_time: 1, duration: 1, order: 1, focus: { x: 10, y: 50 }, placements: { '1:1': { focus: { x: 50, y: 50 } } } },
        // No focus: FILL centres (green).
        { video_url: clip, start_time: 1, end_time: 1.6, duration: 0.6, order: 2 },
      ],
      text_overlays: [{
        content: 'BIENVENUE AU BORD DE LA PISCINE', translations: { en: 'POOL' }, start_time: 0, end_time: 1.6,
        position: { x: 50, y: 80 }, style: { color: '#000000', font_size: 60, background: '#FFFF00' },
        // Only 16:9 moves it: to the top.
        placements: { '16:9': { position: { x: 50, y: 15 } } },
      }],
    };
    const exporter = createExporter({ target: cloud.target(), hashCacheFile: join(dir, 'hashes.json') });
    result = await exporter.exportRequest(request, { outPath: join(dir, 'out', 'Summer.mp4'), baseDir: dir, onProgress: (e) => events.push(e) });
  });

  it('writes 6 files named by format and language, at their frame sizes and the video length', async () => {
    const names = (await readdir(join(dir, 'out'))).sort();
    assert.deepEqual(names, ['Summer-16x9-en.mp4', 'Summer-16x9-fr.mp4', 'Summer-1x1-en.mp4', 'Summer-1x1-fr.mp4', 'Summer-9x16-en.mp4', 'Summer-9x16-fr.mp4']);
    assert.deepEqual(result.variants!.map((v) => v.label), ['9x16-fr', '9x16-en', '1x1-fr', '1x1-en', '16x9-fr', '16x9-en']);
    assert.equal(new Set(result.variants!.map((v) => v.jobId)).size, 3, 'one job per format');
    for (const variant of result.variants!) {
      const probe = await probeMedia(variant.outputPath);
      assert.deepEqual([probe.displayWidth, probe.displayHeight], FRAMES[variant.label.split('-')[0]], variant.label);
      assert.ok(Math.abs(probe.durationSec - 1.6) <= 1.5 / FPS, `${variant.label}: ${probe.durationSec} s`);
      assert.ok(probe.hasAudio, `${variant.label} has sound`);
    }
  });

  it("shows each language's caption where its format places it", async () => {
    const boxes = new Map<string, NonNullable<ReturnType<typeof yellowBox>>>();
    for (const variant of result.variants!) {
      const box = yellowBox(await decodeFrame(variant.outputPath, 0.3));
      assert.ok(box, `${variant.label}: no caption box found`);
      boxes.set(variant.label, box);
    }
    for (const label of ['9x16-fr', '9x16-en', '1x1-fr', '1x1-en']) {
      const centre = (boxes.get(label)!.top + boxes.get(label)!.bottom) / 2;
      assert.ok(Math.abs(centre - 80) < 6, `${label}: caption centred at ${centre.toFixed(1)} % of the height, not 80 %`);
    }
    for (const label of ['16x9-fr', '16x9-en']) {
      const centre = (boxes.get(label)!.top + boxes.get(label)!.bottom) / 2;
      assert.ok(Math.abs(centre - 15) < 6, `${label}: caption centred at ${centre.toFixed(1)} % of the height, not 15 % (its placement)`);
    }
    // The French text is much longer than "POOL": its box is wider, in every format.
    for (const format of ['9x16', '1x1', '16x9']) {
      const width = (label: string) => boxes.get(label)!.right - boxes.get(label)!.left;
      assert.ok(width(`${format}-fr`) > width(`${format}-en`) + 10, `${format}: fr ${width(`${format}-fr`).toFixed(1)} % vs en ${width(`${format}-en`).toFixed(1)} %`);
    }
  });

  it("a segment's focus moves the crop: red (focus left) in 9:16, green where the format keeps the centre", async () => {
    const at = (label: string) => result.variants!.find((v) => v.label === label)!.outputPath;
    const sample = async (label: string, t: number) => {
      const frame = await decodeFrame(at(label), t);
      return frame.pixel(frame.width / 2, frame.height * 0.4);
    };
    assert.ok(isRed(await sample('9x16-fr', 0.5)), '9:16, first segment (focus 10 %): red');
    assert.ok(isGreen(await sample('9x16-fr', 1.3)), '9:16, second segment (no focus): green');
    assert.ok(isGreen(await sample('1x1-en', 0.5)), "1:1, first segment (its placement's focus 50 %): green");
    assert.ok(isGreen(await sample('16x9-fr', 0.5)), '16:9 of a 16:9 clip: the whole picture, green in the middle');
  });

  it('reports progress per variant', () => {
    const rendering = events.filter((e) => e.phase === 'rendering' && e.variants);
    assert.ok(rendering.some((e) => e.variants!.join() === '9x16-fr,9x16-en'), 'a format\'s render names its languages');
    const downloads = new Set(events.filter((e) => e.phase === 'downloading').map((e) => e.variants?.join()));
    assert.equal(downloads.size, 6, `one download per file: ${[...downloads].join(' ')}`);
  });
});
