// Media library against real ffmpeg: import + probe, HEVC proxy, thumbnails, missing + relink.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostEvent, MediaItem } from '../../shared/api';
import { createEventHub } from '../../electron/services/events';
import { createMediaLibrary, type MediaLibrary } from '../../electron/services/media/library';
import { previewPlan } from '../../electron/services/media/proxy';
import { probeMedia } from '../../node/media/probe';
import { FILMSTRIP_FRAMES, FILMSTRIP_HEIGHT, THUMBNAIL_WIDTH } from '../../electron/services/media/thumbnails';
import { decodeFrame, decodeStill, ffprobeJson, makeTestClip, type Rgb } from '../fixtures/media';
import { makeHdrClip, SATURATED_BLUE, SATURATED_RED } from '../fixtures/phone-media';
import { makeExif6Jpeg, makeHalfTransparentPng, makeRotatedHeic, QUADRANTS } from '../fixtures/photos';

const CLIPS = join(tmpdir(), 'hospup-test-clips');

describe('media library', () => {
  let dir: string;
  let library: MediaLibrary;
  const events: HostEvent[] = [];
  let h264: string;
  let hevc: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hospup-media-'));
    const hub = createEventHub();
    hub.subscribe((e) => events.push(e));
    library = createMediaLibrary({
      dirs: { proxies: join(dir, 'proxies'), thumbnails: join(dir, 'thumbs'), probes: join(dir, 'probes'), uploads: join(dir, 'uploads') },
      urls: { media: (id, kind) => `media://${id}/${kind}` },
      events: hub,
    });
    [h264, hevc] = await Promise.all([
      makeTestClip(CLIPS, { name: 'lib-h264', width: 160, height: 284, fps: 30, durationSec: 2, color: 'red' }),
      makeTestClip(CLIPS, { name: 'lib-hevc-rot', width: 320, height: 180, fps: 30, durationSec: 1.5, codec: 'hevc', rotation: 90, color: 'blue', bottomColor: 'yellow' }),
    ]);
  });
  after(async () => {
    await library.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports an H.264 clip: probed facts, plays directly, thumbnail and filmstrip made', async () => {
    const [item] = (await library.importPaths([h264])).imported;
    assert.equal(item.name, h264.split('/').pop());
    assert.equal(item.facts?.video_codec, 'h264');
    assert.ok(Math.abs(item.facts!.duration - 2) < 0.1);
    assert.equal(item.facts?.has_audio, true);
    assert.equal(item.usesProxy, false);
    assert.equal(item.previewStatus, 'ready');
    assert.equal(item.previewUrl, `media://${item.id}/preview`);
    const info = await stat(h264);
    // Served only while it is this very file (the web route and the Electron protocol check it).
    assert.deepEqual(library.mediaFileFor(item.id, 'preview'), { path: h264, mime: 'video/mp4', identity: { dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs } });

    await library.settled(item.id);
    const done = library.item(item.id)!;
    assert.equal(done.thumbnailUrl, `media://${item.id}/thumbnail`);
    assert.equal(done.filmstripUrl, `media://${item.id}/filmstrip`);
    const thumb = (await ffprobeJson(library.mediaFileFor(item.id, 'thumbnail')!.path)).streams[0];
    assert.equal(thumb.codec_name, 'mjpeg');
    assert.equal(thumb.width, THUMBNAIL_WIDTH);
    const strip = (await ffprobeJson(library.mediaFileFor(item.id, 'filmstrip')!.path)).streams[0];
    assert.equal(strip.height, FILMSTRIP_HEIGHT);
    assert.equal(strip.width, FILMSTRIP_FRAMES * 54); // 160x284 scaled to 96 high: 54 wide
    // Importing again gives the same media id.
    const [again] = (await library.importPaths([h264])).imported;
    assert.equal(again.id, item.id);
  });

  it('a rotated HEVC clip gets an upright H.264 proxy with progress events; the original stays for export', async () => {
    const [item] = (await library.importPaths([hevc])).imported;
    assert.equal(item.usesProxy, true);
    assert.equal(item.previewUrl, null);
    assert.ok(['queued', 'processing'].includes(item.previewStatus));
    assert.equal(library.mediaFileFor(item.id, 'preview'), undefined);
    assert.equal(library.mediaFileFor(item.id, 'original')?.path, hevc);
    await library.settled(item.id);
    const ready = library.item(item.id)!;
    assert.equal(ready.previewStatus, 'ready', ready.previewError);
    assert.equal(ready.previewUrl, `media://${item.id}/preview`);
    const proxyFile = library.mediaFileFor(item.id, 'preview')!.path;
    assert.notEqual(proxyFile, hevc);
    const json = await ffprobeJson(proxyFile);
    const video = json.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    assert.equal(video.codec_name, 'h264');
    const probe = await probeMedia(proxyFile);
    assert.equal(probe.rotation, 0);
    assert.deepEqual([probe.displayWidth, probe.displayHeight], [180, 320]); // upright portrait
    assert.equal(probe.hasAudio, true);
    assert.equal(probe.audioCodec, 'aac');
    const updates = events.filter((e): e is { type: 'media-updated'; media: MediaItem } => e.type === 'media-updated' && e.media.id === item.id);
    assert.ok(updates.some((e) => e.media.previewStatus === 'processing'));
    assert.equal(updates.at(-1)!.media.previewStatus === 'ready' || updates.some((e) => e.media.previewStatus === 'ready'), true);
  });

  it('a second library (app restart) reuses the cached proxy and stills', async () => {
    const [first] = (await library.importPaths([hevc])).imported;
    await library.settled(first.id);
    const proxyFile = library.mediaFileFor(first.id, 'preview')!.path;
    const madeAt = (await stat(proxyFile)).mtimeMs;
    const hub = createEventHub();
    const seen: HostEvent[] = [];
    hub.subscribe((e) => seen.push(e));
    const restarted = createMediaLibrary({
      dirs: { proxies: join(dir, 'proxies'), thumbnails: join(dir, 'thumbs'), probes: join(dir, 'probes'), uploads: join(dir, 'uploads') },
      urls: { media: (id, kind) => `media://${id}/${kind}` },
      events: hub,
    });
    const [item] = (await restarted.importPaths([hevc])).imported;
    assert.equal(item.previewStatus, 'ready');
    assert.equal(item.previewUrl, `media://${item.id}/preview`);
    await restarted.settled(item.id);
    assert.equal(restarted.mediaFileFor(item.id, 'preview')?.path, library.mediaFileFor(first.id, 'preview')?.path);
    assert.equal((await stat(proxyFile)).mtimeMs, madeAt, 'the proxy was not encoded again');
    // No encoding progress: the cached proxy was found at once.
    assert.ok(!seen.some((e) => e.type === 'media-updated' && e.media.previewPercent > 0 && e.media.previewPercent < 100));
    await restarted.close();
  });

  it('reports a missing file and relinks it to a moved copy', async () => {
    const moved = join(dir, 'moved.mp4');
    await copyFile(h264, moved);
    const [original] = (await library.importPaths([moved])).imported;
    const ref = { id: original.id, path: original.path, name: original.name, size_bytes: original.size_bytes, mtime_ms: original.mtime_ms, facts: original.facts };
    await library.settled();
    await rm(moved);
    const [missing] = await library.registerMedia([ref]);
    assert.equal(missing.previewStatus, 'missing');
    assert.match(missing.previewError!, /not found/);
    assert.equal(missing.previewUrl, null);
    assert.equal(library.mediaFileFor(original.id, 'original'), undefined);

    // A clip of a different length is refused.
    await assert.rejects(library.relinkMediaPath(original.id, hevc), /lasts 1\.5 s but the missing clip lasted 2\.0 s/);
    const relinked = await library.relinkMediaPath(original.id, h264);
    assert.equal(relinked.id, original.id);
    assert.equal(relinked.path, h264);
    assert.equal(relinked.previewStatus, 'ready');
    assert.equal(library.mediaFileFor(original.id, 'original')?.path, h264);
  });

  it('notices a file whose size changed since import', async () => {
    const copy = join(dir, 'changed.mp4');
    await copyFile(h264, copy);
    const [item] = (await library.importPaths([copy])).imported;
    await library.settled(item.id);
    await copyFile(hevc, copy);
    const [changed] = await library.registerMedia([{ ...item }]);
    assert.equal(changed.previewStatus, 'missing');
    assert.match(changed.previewError!, /changed since it was imported/);
  });

  it('accepts a same-size copy with a new modification time', async () => {
    const copy = join(dir, 'touched.mp4');
    await copyFile(h264, copy);
    const [item] = (await library.importPaths([copy])).imported;
    const info = await stat(copy);
    await utimes(copy, info.atime, new Date(info.mtimeMs + 60_000));
    const [again] = await library.registerMedia([{ id: item.id, path: item.path, name: item.name, size_bytes: item.size_bytes, mtime_ms: item.mtime_ms, facts: item.facts }]);
    assert.equal(again.previewStatus, 'ready');
  });

  it('an HLG phone clip is marked HDR and previewed in standard colour: proxy, thumbnail and filmstrip', async () => {
    const hlg = await makeHdrClip(resolve('.cache/test-media'), { name: 'phone-hlg-rot90', transfer: 'hlg', width: 96, height: 160, fps: 30, durationSec: 1.5, rotation: 90, extraTracks: true, audioChannels: 1 });
    const [item] = (await library.importPaths([hlg])).imported;
    assert.deepEqual(item.colour, { primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc', bitDepth: 10, dynamicRange: 'hlg' });
    assert.equal(item.usesProxy, true);
    await library.settled(item.id);
    const red = (p: Rgb) => Math.max(Math.abs(p.r - SATURATED_RED.r), Math.abs(p.g - SATURATED_RED.g), Math.abs(p.b - SATURATED_RED.b));
    const proxy = await decodeFrame(library.mediaFileFor(item.id, 'preview')!.path, 0.5);
    assert.deepEqual([proxy.width, proxy.height], [96, 160], 'upright');
    assert.ok(red(proxy.pixel(48, 40)) <= 14, `proxy ${JSON.stringify(proxy.pixel(48, 40))}`);
    const thumb = await decodeStill(library.mediaFileFor(item.id, 'thumbnail')!.path);
    assert.ok(red(thumb.pixel(thumb.width / 2, thumb.height * 0.25)) <= 16, `thumbnail ${JSON.stringify(thumb.pixel(thumb.width / 2, thumb.height * 0.25))}`);
    const strip = await decodeStill(library.mediaFileFor(item.id, 'filmstrip')!.path);
    assert.ok(red(strip.pixel(10, strip.height * 0.25)) <= 16, `filmstrip ${JSON.stringify(strip.pixel(10, strip.height * 0.25))}`);
  });

  it('a 10-bit SDR clip keeps its colour in the preview copy', async () => {
    const sdr10 = await makeHdrClip(resolve('.cache/test-media'), { name: 'phone-sdr10-rot180', transfer: 'sdr10', width: 96, height: 160, fps: 30, durationSec: 1, rotation: 180 });
    const [item] = (await library.importPaths([sdr10])).imported;
    assert.equal(item.colour?.dynamicRange, 'sdr');
    assert.equal(item.colour?.bitDepth, 10);
    await library.settled(item.id);
    const proxy = await decodeFrame(library.mediaFileFor(item.id, 'preview')!.path, 0.5);
    const p = proxy.pixel(48, 120);
    assert.ok(Math.max(Math.abs(p.r - SATURATED_BLUE.r), Math.abs(p.g - SATURATED_BLUE.g), Math.abs(p.b - SATURATED_BLUE.b)) <= 14, `bottom ${JSON.stringify(p)}`);
  });

  it('refuses a file that is not a video, naming it', async () => {
    const text = join(dir, 'notes.txt');
    await (await import('node:fs/promises')).writeFile(text, 'hello');
    const { imported, refused } = await library.importPaths([h264, text, hevc]);
    assert.equal(imported.length, 2, 'the good files before and after it are imported');
    assert.deepEqual(refused, [
      { name: 'notes.txt', code: 'not-media', message: 'Not a photo or video file we can read: notes.txt', key: 'Not a photo or video file we can read: {{name}}', params: { name: 'notes.txt' } },
    ]);
  });

  it('imports photos (JPEG with EXIF orientation, HEIC, PNG with transparency): upright facts, an upright preview image and a thumbnail', async () => {
    const [jpeg, heic, png] = await Promise.all([
      makeExif6Jpeg(dir, 'lib-exif6', { width: 300, height: 400 }),
      makeRotatedHeic(dir, 'lib-phone', { width: 48, height: 64 }),
      makeHalfTransparentPng(dir, 'lib-half', { width: 200, height: 100 }, [255, 0, 255]),
    ]);
    const { imported: items, refused } = await library.importPaths([jpeg, heic, png]);
    assert.deepEqual(refused, []);
    assert.deepEqual(items.map((i) => [i.facts?.kind, i.facts?.width, i.facts?.height, i.facts?.has_audio, i.facts?.video_codec]),
      [['photo', 300, 400, false, 'jpeg'], ['photo', 48, 64, false, 'heif'], ['photo', 200, 100, false, 'png']]);
    await library.settled();
    for (const item of items) {
      const ready = library.item(item.id)!;
      assert.equal(ready.previewStatus, 'ready', ready.previewError);
      assert.equal(ready.previewUrl, `media://${item.id}/preview`);
      assert.equal(ready.thumbnailUrl, `media://${item.id}/thumbnail`);
      assert.equal(ready.filmstripUrl, null);
    }
    const [jpegPreview, heicPreview] = await Promise.all(items.slice(0, 2).map((i) => decodeStill(library.mediaFileFor(i.id, 'preview')!.path)));
    for (const preview of [jpegPreview, heicPreview]) {
      const near = (p: Rgb, c: number[]) => Math.abs(p.r - c[0]) < 30 && Math.abs(p.g - c[1]) < 30 && Math.abs(p.b - c[2]) < 30;
      assert.ok(near(preview.pixel(3, 3), QUADRANTS.topLeft), `upright top-left ${JSON.stringify(preview.pixel(3, 3))}`);
      assert.ok(near(preview.pixel(preview.width - 4, preview.height - 4), QUADRANTS.bottomRight));
    }
    assert.equal(library.mediaFileFor(items[2].id, 'preview')?.mime, 'image/png', 'transparency kept in the preview');
    const thumb = await decodeStill(library.mediaFileFor(items[0].id, 'thumbnail')!.path);
    assert.deepEqual([thumb.width, thumb.height], [300, 400], 'upright, never enlarged');
  });

  it('a batch with an unreadable file keeps the good ones and names the bad one', async () => {
    const good = await makeExif6Jpeg(dir, 'batch-good', { width: 120, height: 160 });
    const bad = join(dir, 'batch-bad.jpg');
    await (await import('node:fs/promises')).writeFile(bad, 'not a jpeg at all');
    const { imported, refused } = await library.importPaths([good, bad]);
    assert.deepEqual(imported.map((i) => i.facts?.kind), ['photo']);
    assert.equal(refused.length, 1);
    assert.equal(refused[0].name, 'batch-bad.jpg');
    assert.match(refused[0].message, /^Not a photo we can read: batch-bad\.jpg \(not an image it can read/);
    assert.equal(refused[0].key, 'Not a photo we can read: {{name}} ({{reason}})');
  });

  it('imports an upload stream into the media cache', async () => {
    const { createReadStream } = await import('node:fs');
    const item = await library.importUpload('../../evil/clip one.mp4', createReadStream(h264));
    assert.equal(item.name, 'clip one.mp4');
    assert.ok(item.path.startsWith(join(dir, 'uploads')));
    assert.equal(item.facts?.video_codec, 'h264');
  });
});

describe('previewPlan', () => {
  const base = { videoCodec: 'h264', audioCodec: 'aac', hasAudio: true, containerFormat: 'mov,mp4,m4a,3gp,3g2,mj2', rotation: 0 as const };
  it('plays H.264/AAC MP4 (rotated too), VP9/Opus WebM', () => {
    assert.deepEqual(previewPlan(base), { playable: true });
    assert.deepEqual(previewPlan({ ...base, rotation: 90 }), { playable: true });
    assert.deepEqual(previewPlan({ ...base, videoCodec: 'vp9', audioCodec: 'opus', containerFormat: 'matroska,webm' }), { playable: true });
  });
  it('proxies HEVC, ProRes, PCM audio, H.264 in WebM/Matroska, AVI', () => {
    for (const probe of [
      { ...base, videoCodec: 'hevc' },
      { ...base, videoCodec: 'prores' },
      { ...base, audioCodec: 'pcm_s16le' },
      { ...base, containerFormat: 'matroska,webm' },
      { ...base, containerFormat: 'avi' },
      { ...base, videoCodec: 'vp9', audioCodec: 'opus', containerFormat: 'matroska,webm', rotation: 90 as const },
    ]) {
      assert.equal(previewPlan(probe).playable, false, JSON.stringify(probe));
    }
  });
  it('proxies HDR and 10-bit H.264, so the preview looks like the export', () => {
    assert.deepEqual(previewPlan({ ...base, colour: { dynamicRange: 'hlg', bitDepth: 10 } }), { playable: false, reason: 'HDR (HLG)' });
    assert.deepEqual(previewPlan({ ...base, colour: { dynamicRange: 'sdr', bitDepth: 10 } }), { playable: false, reason: '10-bit video' });
    assert.deepEqual(previewPlan({ ...base, colour: { dynamicRange: 'sdr', bitDepth: 8 } }), { playable: true });
  });
});
