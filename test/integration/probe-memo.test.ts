// The local MediaConvert remembers ffprobe's answer per stored object: the function's Probe calls
// and the job's own reading of the same objects cost one ffprobe per source, and an object
// written again (the store renames a new file into place) is probed afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProbeMemo } from '../../cloud/local/mediaconvert/probe-memo';
import { makeTestClip } from '../fixtures/media';

test('a stored object is probed once; rewritten, it is probed again; a missing one is an error, not remembered', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-probe-memo-'));
  try {
    const clips = join(tmpdir(), 'hospup-test-clips');
    const short = await makeTestClip(clips, { name: 'memo-short', color: 'red', width: 64, height: 64, fps: 25, durationSec: 1 });
    const long = await makeTestClip(clips, { name: 'memo-long', color: 'blue', width: 64, height: 64, fps: 25, durationSec: 2 });
    const object = join(dir, 'object.bin');
    await copyFile(short, object);
    const memo = createProbeMemo();
    const first = await memo.probe(object);
    assert.equal(await memo.probe(object), first, 'the same answer, not a second ffprobe');
    assert.equal(Number(first.json.format?.duration).toFixed(0), '1');

    await copyFile(long, join(dir, 'next.bin'));
    await rename(join(dir, 'next.bin'), object); // as the store writes an object
    const second = await memo.probe(object);
    assert.notEqual(second, first);
    assert.equal(Number(second.json.format?.duration).toFixed(0), '2');

    await assert.rejects(memo.probe(join(dir, 'missing.bin')), /file not found/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
