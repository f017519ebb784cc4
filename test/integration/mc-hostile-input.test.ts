/**
 * The local MediaConvert opens inputs only as what their bytes are: an HLS playlist stored in
 * the bucket (as a clip or as an overlay image) that lists a private file on this machine is
 * refused with MediaConvert's "unable to open input" code and its JSON path, and no output is
 * written. Without the guard the 2018 ffmpeg renders the private file into the video.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateJobCommand, MediaConvertClient, type CreateJobCommandInput, type InsertableImage, type Job } from '@aws-sdk/client-mediaconvert';
import { compileOutputGroup } from '../../cloud/lambda/compile-job';
import { startMediaConvertServer, type MediaConvertServer } from '../../cloud/local/mediaconvert/server';
import { makeTestClip } from '../fixtures/media';
import { waitForJobEnd } from '../fixtures/mc-wait';

const FIXTURES = resolve('.cache/test-media');
const BUCKET = 'hospup-test';
let dir: string;
let server: MediaConvertServer;
let client: MediaConvertClient;
let clipUrl: string;
let secretClip: string;

const local = (url: string) => join(dir, 'bucket', url.replace(/^s3:\/\//, ''));

async function put(key: string, content: string | { file: string }): Promise<string> {
  const url = `s3://${BUCKET}/${key}`;
  await mkdir(dirname(local(url)), { recursive: true });
  if (typeof content === 'string') await writeFile(local(url), content);
  else await copyFile(content.file, local(url));
  return url;
}

const playlistOf = (file: string) => `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${file}\n#EXT-X-ENDLIST\n`;

function job(input: string, images: InsertableImage[] = []): CreateJobCommandInput {
  return {
    Role: 'arn:aws:iam::123456789012:role/HospupMediaConvert',
    Settings: {
      TimecodeConfig: { Source: 'ZEROBASED' },
      Inputs: [{ FileInput: input, TimecodeSource: 'ZEROBASED', InputClippings: [{ StartTimecode: '00:00:00:00', EndTimecode: '00:00:00:29' }], VideoSelector: { Rotate: 'AUTO' } }],
      OutputGroups: [compileOutputGroup({ aspect: '9:16', width: 180, height: 320, fps: 30 }, [{ nameModifier: '', images }], `s3://${BUCKET}/generated-videos/x/video`)],
    },
  } as CreateJobCommandInput;
}

async function run(request: CreateJobCommandInput): Promise<Job> {
  const { Job: created } = await client.send(new CreateJobCommand(request));
  return waitForJobEnd(client, created!.Id!);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-mc-hostile-'));
  const [clip, secret] = await Promise.all([
    makeTestClip(FIXTURES, { name: 'hostile-plain', color: 'green', width: 180, height: 320, fps: 30, durationSec: 1, audio: false }),
    makeTestClip(FIXTURES, { name: 'hostile-secret', color: 'red', width: 180, height: 320, fps: 30, durationSec: 2, audio: false }),
  ]);
  // The "private" file lives outside the bucket, as a user's file would.
  secretClip = join(dir, 'private', 'holiday.mp4');
  await mkdir(dirname(secretClip), { recursive: true });
  await copyFile(secret, secretClip);
  clipUrl = await put('sources/plain.mp4', { file: clip });
  server = await startMediaConvertServer({
    region: 'eu-west-1',
    concurrency: 1,
    resolveS3: async (url) => {
      if (!existsSync(local(url))) throw new Error('NoSuchKey');
      return local(url);
    },
    storeS3: async (url, file) => {
      await mkdir(dirname(local(url)), { recursive: true });
      await copyFile(file, local(url));
    },
  });
  client = new MediaConvertClient({ endpoint: server.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' } });
});

after(async () => {
  client?.destroy();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('local MediaConvert with hostile inputs', () => {
  it('refuses a clip that is a playlist of a private file, whatever its name', async () => {
    for (const key of ['sources/list.m3u8', 'sources/looks-like.mp4']) {
      const done = await run(job(await put(key, playlistOf(secretClip))));
      assert.equal(done.Status, 'ERROR', key);
      assert.equal(done.ErrorCode, 1010, `${key}: ${done.ErrorMessage}`);
      assert.match(done.ErrorMessage ?? '', /^settings\.inputs\[0\]\.fileInput: unable to open input file/);
    }
    assert.equal(existsSync(local(`s3://${BUCKET}/generated-videos/x/video.mp4`)), false);
  });

  it('refuses an overlay image that is a playlist of a private video (ffmpeg would draw it into the render)', async () => {
    const image = await put('overlays/evil.png', playlistOf(secretClip));
    const overlay = { ImageInserterInput: image, ImageX: 0, ImageY: 0, Layer: 1, Opacity: 100, StartTime: '00:00:00:00', Duration: 1000 } as InsertableImage;
    const done = await run(job(clipUrl, [overlay]));
    assert.equal(done.Status, 'ERROR', done.ErrorMessage);
    assert.equal(done.ErrorCode, 1010, done.ErrorMessage);
    assert.match(done.ErrorMessage ?? '', /insertableImages\[0\]\.imageInserterInput: unable to open input file \[.*evil\.png\]: not a PNG or JPEG image/);
    assert.equal(existsSync(local(`s3://${BUCKET}/generated-videos/x/video.mp4`)), false);
  });

  it('still renders an ordinary clip', async () => {
    const done = await run(job(clipUrl));
    assert.equal(done.Status, 'COMPLETE', done.ErrorMessage);
  });
});
