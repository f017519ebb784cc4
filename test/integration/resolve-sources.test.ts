/**
 * Local clips with the names hotel staff give them (spaces, accents, quotes, `#`, odd or no
 * extension) become clean content-addressed keys; a clip used twice is uploaded once.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { keyExtension, resolveSources } from '../../electron/services/export/resolve-sources';
import { createHashCache } from '../../electron/services/export/hash-cache';
import { GenerationRequestSchema } from '../../shared/request';
import { makeTestClip } from '../fixtures/media';

let work: string;
let clip: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'hospup-resolve-'));
  clip = await makeTestClip(resolve('.cache/test-media'), { name: 'resolve', width: 64, height: 36, fps: 25, durationSec: 1, audio: false });
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('resolveSources', () => {
  it('keeps a plain extension and falls back to .mp4 otherwise', () => {
    assert.equal(keyExtension('/a/Suite #1.MOV'), '.mov');
    assert.equal(keyExtension('/a/clip.mp4'), '.mp4');
    assert.equal(keyExtension('/a/clip.é'), '.mp4');
    assert.equal(keyExtension('/a/clip.'), '.mp4');
    assert.equal(keyExtension('/a/noext'), '.mp4');
    assert.equal(keyExtension('/a/.hidden'), '.mp4');
  });

  it('turns odd local names into clean keys and uploads a clip used twice once', async () => {
    const dir = join(work, 'Vidéos de l\'été #2');
    await mkdir(dir);
    const names = ['Suite #1 l\'été "vue".MOV', 'clip.é', 'sans extension'];
    for (const name of names) await copyFile(clip, join(dir, name));
    const request = GenerationRequestSchema.parse({
      property_id: '1',
      template_id: 't',
      segments: [
        { video_url: `Vidéos de l'été #2/${names[0]}`, start_time: 0, end_time: 0.4, duration: 0.4, order: 3 },
        { video_url: join(dir, names[1]), start_time: 0, end_time: 0.4, duration: 0.4, order: 1 },
        { video_url: pathToFileURL(join(dir, names[2])).href, start_time: 0, end_time: 0.4, duration: 0.4, order: 2 },
        { video_url: join(dir, names[1]), start_time: 0.4, end_time: 0.8, duration: 0.4, order: 0 },
      ],
    });
    const resolved = await resolveSources(request, { bucket: 'hospup-videos', sourcesPrefix: 'sources/', baseDir: work, hashCache: createHashCache(), convertedDir: join(work, 'converted') });
    const keys = resolved.request.segments.map((s) => s.video_url.replace('s3://hospup-videos/', ''));
    for (const key of keys) assert.match(key, /^sources\/[0-9a-f]{64}\.(mov|mp4)$/);
    assert.ok(keys[0].endsWith('.mov'));
    assert.equal(keys[1], keys[3]);
    assert.equal(resolved.locals.length, 3);
    assert.deepEqual(resolved.request.segments.map((s) => s.source?.fps), [25, 25, 25, 25]);
  });
});
