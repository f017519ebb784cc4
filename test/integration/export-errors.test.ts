// Why an export stopped, in plain words and with what the UI needs to say it in French:
// wrong keys (not "UnknownError"), a refused permission named in words, a local cloud that
// stopped mid-render (at once, not "paused" for 15 minutes), `hospup plan` with a clip in
// another bucket (named by field, like export).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { createExporter } from '../../electron/services/export/exporter';
import { ExportFailure } from '../../electron/services/export/export-failure';
import { makeTestClip } from '../fixtures/media';

let dir: string;
let clip: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-errors-'));
  clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'errors-clip', color: 'purple', width: 320, height: 568, fps: 30, durationSec: 3 });
});
after(() => rm(dir, { recursive: true, force: true }));

const request = (end = 1) => ({ property_id: '1', template_id: 't', output: { width: 360, height: 640 }, segments: [{ video_url: clip, start_time: 0, end_time: end, duration: end, order: 1 }] });

async function failure(run: Promise<unknown>): Promise<ExportFailure> {
  let caught: unknown;
  await run.catch((err) => (caught = err));
  assert.ok(caught instanceof ExportFailure, `expected an ExportFailure, got ${String(caught)}`);
  return caught as ExportFailure;
}

describe('against the local cloud', () => {
  let cloud: LocalCloud;
  before(async () => {
    cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
  });
  after(() => cloud?.close());

  it('a wrong secret says so (the first call is a HEAD, whose 403 has no body)', async () => {
    const target = { ...cloud.target(), credentials: { accessKeyId: cloud.config.accessKeyId, secretAccessKey: 'x'.repeat(40) } };
    const err = await failure(createExporter({ target }).exportRequest(request(), { outPath: join(dir, 'a.mp4') }));
    assert.equal(err.code, 'aws-auth');
    assert.match(err.message, /^The secret access key does not match the access key:/);
    assert.equal(err.key, err.message, 'said from its translation key');
  });

  it('an unknown key id says so', async () => {
    const target = { ...cloud.target(), credentials: { accessKeyId: 'AKIAHOSPUPUNKNOWN001', secretAccessKey: cloud.config.secretAccessKey } };
    const err = await failure(createExporter({ target }).exportRequest(request(), { outPath: join(dir, 'b.mp4') }));
    assert.equal(err.code, 'aws-auth');
    assert.match(err.message, /^AWS does not know this access key:/);
  });

  it('a refused permission is named, in words and as the IAM action', async () => {
    // The function role's keys: they may read clips but not upload them.
    const target = { ...cloud.target(), credentials: cloud.account.function.credentials };
    const err = await failure(createExporter({ target }).exportRequest(request(), { outPath: join(dir, 'c.mp4') }));
    assert.equal(err.code, 'aws-permission');
    assert.equal(err.permission, 's3:PutObject');
    assert.match(err.message, /^The cloud side may not upload clips to the bucket \(the role hospup-video-GeneratorRole lacks s3:PutObject on arn:aws:s3:::hospup-videos\/sources\//);
    assert.deepEqual({ ...err.params, resource: '' }, { what: 'upload clips to the bucket', permission: 's3:PutObject', role: 'hospup-video-GeneratorRole', resource: '' });
  });
});

describe('a local cloud that stops during the render', () => {
  for (const kind of ['local', 'aws'] as const) {
    it(`fails at once, saying the service stopped (${kind === 'local' ? 'embedded' : '`hospup cloud` reached as --target aws'})`, async () => {
      const cloud = await startLocalCloud({ dataDir: join(dir, `dying-${kind}`) });
      const phases: string[] = [];
      const started = Date.now();
      let stoppedAt = 0;
      const err = await failure(createExporter({ target: { ...cloud.target(), kind }, pollMinMs: 100 }).exportRequest(request(3), {
        outPath: join(dir, `dying-${kind}.mp4`),
        onProgress: (event) => {
          phases.push(event.phase);
          if (event.phase === 'rendering' && !stoppedAt) {
            stoppedAt = Date.now();
            void cloud.close();
          }
        },
      }));
      assert.equal(err.code, 'local-cloud-stopped', err.message);
      assert.match(err.message, /^The built-in export service stopped during the export/);
      assert.equal(phases.includes('paused'), false, 'no pause: nothing will come back');
      assert.ok(Date.now() - stoppedAt < 20_000, `failed ${Date.now() - started} ms after start`);
    });
  }
});

describe('hospup plan', () => {
  it('names segments[N].video_url and the export bucket for a clip in another bucket', async () => {
    const file = join(dir, 'other-bucket.json');
    await writeFile(file, JSON.stringify({
      property_id: '1', template_id: 't',
      segments: [
        { video_url: 's3://hospup-videos/video1.mp4', start_time: 0, end_time: 1, duration: 1, order: 1, source: { fps: 30, has_audio: true } },
        { video_url: 's3://someone-else/video2.mp4', start_time: 0, end_time: 1, duration: 1, order: 2, source: { fps: 30, has_audio: true } },
      ],
    }));
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), 'plan', file], {
      env: { ...process.env, HOSPUP_DATA_DIR: join(dir, 'plan-data') },
    }).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => err);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /segments\[1\]\.video_url: is in bucket "someone-else", but the export bucket is "hospup-videos"/);
    assert.doesNotMatch(run.stderr, /cannot probe/);
  });
});
