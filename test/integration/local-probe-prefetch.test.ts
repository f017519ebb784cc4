// The local cloud probes a video as soon as a client has stored it, so the MediaConvert job that
// opens it (after the exporter's Invoke and the function's CreateJob) finds ffprobe's answer
// ready; other objects, and the renders MediaConvert stores itself, are not probed. Counted
// with an ffprobe that writes down each file it is run on, through the real SDK clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateJobCommand, MediaConvertClient, ProbeCommand } from '@aws-sdk/client-mediaconvert';
import { startLocalCloud, LOCAL_BUCKET } from '../../cloud/local';
import { compileOutputGroup } from '../../cloud/lambda/compile-job';
import { ffprobePath } from '../../node/media/ffmpeg-paths';
import { makeTestClip } from '../fixtures/media';
import { waitForJobEnd } from '../fixtures/mc-wait';

test('a stored video is probed at once, before any job asks, the job-side probe reuses that answer, and a stored render is not probed again', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-probe-prefetch-'));
  const log = join(dir, 'ffprobe.log');
  const realFfprobe = ffprobePath();
  const counting = join(dir, 'ffprobe');
  // The last argument of our ffprobe calls is the file.
  await writeFile(counting, `#!/bin/sh\nfor last; do :; done\necho "$last" >> '${log}'\nexec '${realFfprobe}' "$@"\n`);
  await chmod(counting, 0o755);
  await writeFile(log, '');
  const before = process.env.HOSPUP_FFPROBE;
  process.env.HOSPUP_FFPROBE = counting;
  const cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
  t.after(async () => {
    if (before === undefined) delete process.env.HOSPUP_FFPROBE;
    else process.env.HOSPUP_FFPROBE = before;
    await cloud.close();
    await rm(dir, { recursive: true, force: true });
  });
  const { config } = cloud;
  const s3 = new S3Client({ region: config.region, endpoint: config.endpoints.s3, forcePathStyle: true, credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } });
  const clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'prefetch', color: 'red', width: 64, height: 64, fps: 25, durationSec: 1 });
  const probed = async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean);

  await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: 'sources/clip.mp4', Body: await readFile(clip) }));
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: 'sources/logo.png', Body: Buffer.from('not probed') }));
  for (let i = 0; i < 200 && (await probed()).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  const early = await probed();
  assert.equal(early.length, 1, `one ffprobe, of the video only: ${early.join(', ')}`);
  assert.match(early[0], /objects\/[0-9a-f]+\.mp4$/, 'the stored video (its object file) was probed without anyone asking');

  // MediaConvert's Probe (as the function calls it) and a job read the object through the same memo.
  const mediaConvert = new MediaConvertClient({ region: config.region, endpoint: config.endpoints.mediaconvert, credentials: cloud.account.function.credentials, maxAttempts: 1 });
  const answer = await mediaConvert.send(new ProbeCommand({ InputFiles: [{ FileUrl: `s3://${LOCAL_BUCKET}/sources/clip.mp4` }] }));
  assert.ok(answer.ProbeResults?.[0]?.Container, 'Probe answered');
  assert.deepEqual(await probed(), early, 'no second ffprobe: the prefetched answer was used');

  // A job's render is probed once, before MediaConvert stores it; storing it is not a client's
  // upload, so the prefetch leaves it alone (it would cost an ffprobe beside the next render).
  const { Job: created } = await mediaConvert.send(new CreateJobCommand({
    Role: cloud.account.stack.mediaConvertRoleArn,
    Settings: {
      TimecodeConfig: { Source: 'ZEROBASED' },
      Inputs: [{ FileInput: `s3://${LOCAL_BUCKET}/sources/clip.mp4`, TimecodeSource: 'ZEROBASED', InputClippings: [{ StartTimecode: '00:00:00:00', EndTimecode: '00:00:00:09' }] }],
      OutputGroups: [compileOutputGroup({ width: 64, height: 64, fps: 25, aspect: '1:1' } as never, [{ nameModifier: '', images: [] }], `s3://${LOCAL_BUCKET}/generated-videos/prefetch/video`)],
    },
  }));
  const done = await waitForJobEnd(mediaConvert, created!.Id!);
  assert.equal(done.Status, 'COMPLETE', done.ErrorMessage);
  await new Promise((r) => setTimeout(r, 750)); // time for a prefetch of the stored render to start
  const afterJob = (await probed()).slice(early.length);
  assert.equal(afterJob.length, 1, `one ffprobe for the job, of its render before it was stored: ${afterJob.join(', ')}`);
  assert.doesNotMatch(afterJob[0], /objects\//, 'the render was probed as a local file, not as a stored object');
  s3.destroy();
  mediaConvert.destroy();
});
