// Every request in examples/ exports as it is, through the `hospup` bin and the embedded local
// cloud, and the MP4 shows what the request says: its frame, its length, sound where the clips
// have sound, and each caption inside its layout box during its window (and not outside it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFontSet } from '../../cloud/lambda/fonts-node';
import { parseHexColour } from '../../shared/overlay/colour';
import { layoutOverlay } from '../../shared/overlay/layout';
import { assertGenerationRequest, isPhotoUrl, type ParsedRequest } from '../../shared/request';
import { logoBox } from '../../shared/logo';
import { probeLogo } from '../../node/media/logo-image';
import { decodeFrame, ffprobeJson, meanVolumeDb, type DecodedFrame } from '../fixtures/media';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLES = join(ROOT, 'examples');
const files = readdirSync(EXAMPLES).filter((name) => name.endsWith('.json')).sort();
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-examples-'));
});
after(() => rm(dir, { recursive: true, force: true }));

function hospup(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/hospup.mjs'), ...args], {
      cwd: dir,
      env: { ...process.env, HOSPUP_DATA_DIR: join(dir, 'data') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Share of the box's pixels within `tolerance` of the colour (per channel). */
function shareOfColour(frame: DecodedFrame, box: { x: number; y: number; width: number; height: number }, hex: string, tolerance = 48): number {
  const want = parseHexColour(hex, 'color');
  let hits = 0;
  let total = 0;
  for (let y = box.y; y < box.y + box.height; y += 2) {
    for (let x = box.x; x < box.x + box.width; x += 2) {
      const p = frame.pixel(x, y);
      total++;
      if (Math.abs(p.r - want.r) <= tolerance && Math.abs(p.g - want.g) <= tolerance && Math.abs(p.b - want.b) <= tolerance) hits++;
    }
  }
  return hits / total;
}

/** An output time outside every window of this overlay's box, or undefined when the video has none. */
function timeWithout(parsed: ParsedRequest, index: number): number | undefined {
  const overlay = parsed.request.text_overlays[index];
  const frame = 1 / parsed.output.fps;
  if (overlay.start_time >= 0.5) return overlay.start_time / 2;
  if (parsed.renderDuration - overlay.end_time >= 0.5) return (overlay.end_time + parsed.renderDuration) / 2;
  return overlay.start_time > 2 * frame ? frame : undefined;
}

test('examples/ holds requests to try', () => {
  assert.ok(files.includes('guide-request.json'), "the original guide's request, with a local clip");
  assert.ok(files.length >= 3, files.join(', '));
});

for (const name of files) {
  test(`examples/${name} exports as it is and shows what it asks for`, async () => {
    const requestFile = join(EXAMPLES, name);
    const body = JSON.parse(readFileSync(requestFile, 'utf8'));
    const out = join(dir, name.replace(/\.json$/, '.mp4'));
    const { code, stdout, stderr } = await hospup(['export', requestFile, '--out', out]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /Saved /);

    // What the request means, resolved against the example's own folder (its clips are local).
    // (Photos and logos become PNGs in the bucket.)
    const inBucket = (url: string) => `s3://hospup-videos/${isPhotoUrl(url) ? url.replace(/\.[a-z]+$/i, '.png') : url}`;
    const parsed = assertGenerationRequest({
      ...body,
      segments: body.segments.map((s: { video_url: string }) => ({ ...s, video_url: inBucket(s.video_url) })),
      ...(body.logo && { logo: { ...body.logo, url: `s3://hospup-videos/${body.logo.url.replace(/\.svg$/, '.png')}` } }),
    });
    const probe = await ffprobeJson(out);
    const video = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    assert.equal(video.width, parsed.output.width);
    assert.equal(video.height, parsed.output.height);
    assert.ok(Math.abs(Number(probe.format.duration) - parsed.renderDuration) < 2 / parsed.output.fps + 0.03, `lasts ${probe.format.duration} s`);

    // Sound where the first clip has sound (every example's first clip in play order does).
    assert.ok((await meanVolumeDb(out, 0, Math.min(1, parsed.renderDuration))) > -50, 'the opening clip is heard');

    // The logo: on every segment, at its box (its plate white, at its opacity over the picture).
    if (parsed.request.logo) {
      const own = await probeLogo(join(EXAMPLES, body.logo.url));
      const box = logoBox(parsed.request.logo, own, parsed.output);
      for (const segment of parsed.timeline) {
        const frame = await decodeFrame(out, (segment.outputStart + segment.outputEnd) / 2);
        const plate = frame.pixel(box.x + box.width * 0.12, box.y + box.height / 2);
        assert.ok(Math.min(plate.r, plate.g, plate.b) > 200, `logo plate during segment ${segment.index}: ${JSON.stringify(plate)}`);
        const outside = frame.pixel(Math.max(0, box.x - 6), box.y + box.height / 2);
        assert.ok(Math.min(outside.r, outside.g, outside.b) < 200, `left of the logo is the picture: ${JSON.stringify(outside)}`);
      }
    }

    const fonts = loadFontSet();
    for (const [i, overlay] of parsed.request.text_overlays.entries()) {
      const { box } = layoutOverlay(overlay, parsed.output, fonts);
      const during = await decodeFrame(out, (overlay.start_time + overlay.end_time) / 2);
      const shown = shareOfColour(during, box, overlay.style.color);
      assert.ok(shown > 0.05, `text_overlays[${i}] "${overlay.content}" drawn in its box (${(shown * 100).toFixed(1)} % of it in its colour)`);
      const outside = timeWithout(parsed, i);
      if (outside !== undefined) {
        const hidden = shareOfColour(await decodeFrame(out, outside), box, overlay.style.color);
        assert.ok(hidden < shown / 3, `text_overlays[${i}] absent at ${outside.toFixed(2)} s (${(hidden * 100).toFixed(1)} % vs ${(shown * 100).toFixed(1)} %)`);
      }
    }
  });
}
