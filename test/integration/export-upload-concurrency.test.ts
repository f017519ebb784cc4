// The exporter uploads several missing files at once (a project of short clips and photos
// waited for each request in turn): seen at the local S3 server, whose request events say when
// each PutObject arrived and was answered. The export still renders every clip, in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud } from '../../cloud/local';
import type { S3RequestEvent } from '../../cloud/local/s3';
import { createExporter } from '../../electron/services/export/exporter';
import { colorName, decodeFrame, makeTestClip } from '../fixtures/media';

test('missing sources are uploaded at once, not one after another', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-upload-concurrency-'));
  const events: S3RequestEvent[] = [];
  const cloud = await startLocalCloud({ dataDir: join(dir, 'cloud'), onS3Request: (e) => events.push(e) });
  t.after(async () => {
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  });
  const colors = ['red', 'lime', 'blue', 'yellow'];
  const clips = await Promise.all(colors.map((color) => makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: `upload-at-once-${color}`, color, width: 160, height: 284, fps: 25, durationSec: 1 })));
  const out = join(dir, 'reel.mp4');
  const result = await createExporter({ target: cloud.target() }).exportRequest({
    property_id: '1',
    template_id: 'upload-at-once',
    output: { width: 180, height: 320, fps: 25 },
    segments: clips.map((video_url, i) => ({ video_url, start_time: 0, end_time: 0.4, duration: 0.4, order: i + 1 })),
    text_overlays: [],
  }, { outPath: out });
  assert.ok(result.bytesUploaded > 0);

  const puts = events.filter((e) => e.operation === 'PutObject' && e.key.startsWith('sources/'));
  assert.equal(puts.length, 4, 'one PutObject per clip');
  const overlapping = puts.some((a) => puts.some((b) => a !== b && a.receivedAtMs < b.answeredAtMs && b.receivedAtMs < a.answeredAtMs));
  assert.ok(overlapping, `no two uploads were in flight together: ${puts.map((e) => `${e.receivedAtMs.toFixed(1)}-${e.answeredAtMs.toFixed(1)}`).join(', ')}`);
  for (const [i, color] of colors.entries()) {
    assert.equal(colorName((await decodeFrame(out, 0.2 + 0.4 * i)).pixel(90, 160)), color, `clip ${i + 1} in its place`);
  }
});
