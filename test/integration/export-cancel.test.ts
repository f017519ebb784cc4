// Cancelling works at every phase of an export and leaves nothing behind: no file on disk, no
// unfinished multipart upload in the bucket (ListMultipartUploads), no render still running or
// finished for nothing (the job's final status, asked of the MediaConvert API, is CANCELED).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetJobCommand, ListJobsCommand, MediaConvertClient, type Job } from '@aws-sdk/client-mediaconvert';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy';
import { createExporter } from '../../electron/services/export/exporter';
import { ExportFailure } from '../../electron/services/export/export-failure';
import type { ExportPhase } from '../../shared/api';
import { ffmpegPath } from '../../node/media/ffmpeg-paths';

let dir: string;
let cloud: LocalCloud;
const proxies: TcpProxy[] = [];

/** An administrator's view of the account, to check what the export left behind. */
const adminS3 = () => new S3Client({ region: cloud.config.region, endpoint: cloud.config.endpoints.s3, forcePathStyle: true, credentials: cloud.config.admin });
const adminMediaConvert = () => new MediaConvertClient({ region: cloud.config.region, endpoint: cloud.config.endpoints.mediaconvert, credentials: cloud.config.admin });

async function unfinishedUploads(): Promise<string[]> {
  const listed = await adminS3().send(new ListMultipartUploadsCommand({ Bucket: cloud.config.bucket }));
  return (listed.Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`);
}

async function newestJob(): Promise<Job | undefined> {
  return (await adminMediaConvert().send(new ListJobsCommand({ MaxResults: 1 }))).Jobs?.[0];
}

/** The job's status once it has settled, from the MediaConvert API (GetJob). */
async function settledStatus(id: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { Job: job } = await adminMediaConvert().send(new GetJobCommand({ Id: id }));
    if (!['SUBMITTED', 'PROGRESSING'].includes(job!.Status!) || Date.now() > deadline) return job!.Status!;
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-cancel-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
});
after(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A ~40 MB clip (lossless noise): hashing and uploading take long enough to be interrupted. */
async function bigClip(name: string, seed: number): Promise<string> {
  const file = join(dir, `${name}.mp4`);
  await promisify(execFile)(ffmpegPath(), [
    '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=s=640x360:r=30,noise=alls=60:allf=t:all_seed=${seed}`,
    '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', file,
  ]);
  return file;
}

const cases: { phase: ExportPhase; when: (e: { phase: ExportPhase; bytesDone?: number }) => boolean }[] = [
  { phase: 'hashing', when: (e) => e.phase === 'hashing' },
  { phase: 'uploading', when: (e) => e.phase === 'uploading' && (e.bytesDone ?? 0) > 0 },
  { phase: 'submitting', when: (e) => e.phase === 'submitting' },
  { phase: 'rendering', when: (e) => e.phase === 'rendering' },
  { phase: 'downloading', when: (e) => e.phase === 'downloading' },
];

for (const [index, { phase, when }] of cases.entries()) {
  test(`cancel while ${phase}`, async () => {
    const clip = await bigClip(`cancel-${phase}`, index + 1);
    const jobBefore = (await newestJob())?.Id;
    const out = join(dir, phase, 'video.mp4');
    const controller = new AbortController();
    const seen = new Set<string>();
    const exporting = createExporter({ target: cloud.target(), partSize: 5 * 1024 * 1024, queueSize: 1, pollMinMs: 100 }).exportRequest(
      { property_id: '1', template_id: 't', output: { width: 360, height: 640 }, segments: [{ video_url: clip, start_time: 0, end_time: 1, duration: 1, order: 1 }] },
      {
        outPath: out,
        signal: controller.signal,
        onProgress: (event) => {
          seen.add(event.phase);
          if (when(event)) controller.abort();
        },
      },
    );
    await assert.rejects(exporting, (err: unknown) => err instanceof ExportFailure && err.code === 'cancelled' && err.message === 'Export cancelled.');
    assert.ok(seen.has(phase), `reached ${phase}: ${[...seen].join(',')}`);
    assert.equal(seen.has('done'), false);
    assert.equal(existsSync(out), false, 'no video');
    assert.deepEqual(existsSync(join(dir, phase)) ? await readdir(join(dir, phase)) : [], [], 'no partial file');
    assert.deepEqual(await unfinishedUploads(), [], 'no multipart upload left in the bucket');
    const job = await newestJob();
    if (phase === 'submitting' || phase === 'rendering') {
      // Cancelled during submission or render: the job was created, and it ends CANCELED, not COMPLETE.
      assert.notEqual(job?.Id, jobBefore, 'a job was submitted');
      assert.equal(await settledStatus(job!.Id!), 'CANCELED');
    } else if (phase !== 'downloading') {
      assert.equal(job?.Id, jobBefore, 'no job was submitted');
    }
  });
}

test('cancel while a status poll is in flight still reaches CancelJob: the job ends CANCELED', async () => {
  const clip = await bigClip('cancel-in-flight', 11);
  const lambda = await startTcpProxy(cloud.config.endpoints.lambda);
  proxies.push(lambda);
  const target = { ...cloud.target(), endpoints: { ...cloud.config.endpoints, lambda: lambda.url } };
  const controller = new AbortController();
  let held = false;
  const exporting = createExporter({ target, pollMinMs: 50, pollMaxMs: 50 }).exportRequest(
    { property_id: '1', template_id: 't', output: { width: 360, height: 640 }, segments: [{ video_url: clip, start_time: 0, end_time: 3, duration: 3, order: 1 }] },
    {
      outPath: join(dir, 'in-flight', 'video.mp4'),
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase !== 'rendering' || held) return;
        held = true;
        // The next status call is held in the network for 1.5 s; cancel while it is on its way.
        lambda.hold(1500, () => setTimeout(() => {
          controller.abort();
          lambda.hold(0);
        }, 100));
      },
    },
  );
  await assert.rejects(exporting, (err: unknown) => err instanceof ExportFailure && err.code === 'cancelled');
  const job = await newestJob();
  assert.equal(await settledStatus(job!.Id!), 'CANCELED');
});

test('a failed upload (the clip vanished mid-upload) aborts its multipart upload', async () => {
  const clip = await bigClip('vanishing', 12);
  const { unlink } = await import('node:fs/promises');
  let removed = false;
  const exporting = createExporter({ target: cloud.target(), partSize: 5 * 1024 * 1024, queueSize: 1 }).exportRequest(
    { property_id: '1', template_id: 't', output: { width: 360, height: 640 }, segments: [{ video_url: clip, start_time: 0, end_time: 1, duration: 1, order: 1 }] },
    {
      outPath: join(dir, 'vanished', 'video.mp4'),
      onProgress: (event) => {
        if (event.phase === 'uploading' && (event.bytesDone ?? 0) > 0 && !removed) {
          removed = true;
          void unlink(clip);
        }
      },
    },
  );
  await assert.rejects(exporting, (err: unknown) => err instanceof ExportFailure && err.code !== 'cancelled');
  assert.ok(removed);
  assert.deepEqual(await unfinishedUploads(), [], 'the upload was aborted');
});
