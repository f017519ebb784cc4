// `hospup export` interrupted: killed half-way through an upload (kill -9), the next run resumes
// from the persisted upload id (ListParts, only the missing parts sent, counted at the server,
// the object byte-for-byte the clip, no multipart upload left); Ctrl-C during the render cancels
// it like the app's Cancel (the job ends CANCELED, asked of the MediaConvert API) and exits 130.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetJobCommand, ListJobsCommand, MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import type { S3RequestEvent } from '../../cloud/local/s3';
import { ffmpegPath } from '../../node/media/ffmpeg-paths';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy';
import { ffprobeJson } from '../fixtures/media';

const CLI = resolve('electron/cli/main.ts');
const MiB = 1024 * 1024;
let dir: string;
let cloud: LocalCloud;
let proxy: TcpProxy;
const events: S3RequestEvent[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-resume-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud'), onS3Request: (e) => events.push(e) });
  proxy = await startTcpProxy(cloud.config.endpoints.s3);
});
after(async () => {
  await proxy?.close();
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

const admin = () => new S3Client({ region: cloud.config.region, endpoint: cloud.config.endpoints.s3, forcePathStyle: true, credentials: cloud.config.admin });

function exportCommand(request: string, out: string) {
  const c = cloud.config;
  const args = ['--import', 'tsx', CLI, 'export', request, '--out', out, '--target', 'aws', '--region', c.region, '--bucket', c.bucket, '--function', c.functionName];
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
    HOSPUP_DATA_DIR: join(dir, 'data'),
    AWS_ACCESS_KEY_ID: c.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
    AWS_ENDPOINT_URL_S3: proxy.url,
    AWS_ENDPOINT_URL_LAMBDA: c.endpoints.lambda,
    AWS_ENDPOINT_URL_MEDIACONVERT: c.endpoints.mediaconvert,
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
  };
  return spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('kill -9 during an upload, then a rerun: only the missing parts are sent', { timeout: 300_000 }, async () => {
  // ~55 MB of lossless noise: four 16 MiB parts.
  const clip = join(dir, 'big.mp4');
  await promisify(execFile)(ffmpegPath(), [
    '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30,noise=alls=60:allf=t:all_seed=7',
    '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', clip,
  ]);
  const size = (await stat(clip)).size;
  const totalParts = Math.ceil(size / (16 * MiB));
  assert.ok(totalParts >= 3, `${totalParts} parts of ${size} bytes`);
  const request = join(dir, 'request.json');
  await writeFile(request, JSON.stringify({
    property_id: '1', template_id: 't', output: { width: 360, height: 640 },
    segments: [{ video_url: clip, start_time: 0, end_time: 1, duration: 1, order: 1 }],
  }));

  // First run, on a slow link: killed once S3 holds at least one part.
  proxy.throttle(4 * MiB);
  const first = exportCommand(request, join(dir, 'first.mp4'));
  const exited = new Promise<number | null>((done) => first.once('exit', (_code, signal) => done(signal === 'SIGKILL' ? -9 : _code)));
  const deadline = Date.now() + 120_000;
  while (!events.some((e) => e.operation === 'UploadPart' && e.status === 200)) {
    assert.ok(Date.now() < deadline, 'no part reached the server');
    await new Promise((r) => setTimeout(r, 20));
  }
  first.kill('SIGKILL');
  assert.equal(await exited, -9);

  const journal = JSON.parse(await readFile(join(dir, 'data', 'export-uploads.json'), 'utf8')) as Record<string, { uploadId: string; key: string }>;
  const [entry] = Object.values(journal);
  assert.ok(entry?.uploadId, 'the upload id was persisted before the parts were sent');
  const pending = await admin().send(new ListMultipartUploadsCommand({ Bucket: cloud.config.bucket }));
  assert.deepEqual(pending.Uploads?.map((u) => u.UploadId), [entry.uploadId]);
  const stored = (await admin().send(new ListPartsCommand({ Bucket: cloud.config.bucket, Key: entry.key, UploadId: entry.uploadId }))).Parts ?? [];
  assert.ok(stored.length >= 1 && stored.length < totalParts, `${stored.length} of ${totalParts} parts stored before the kill`);

  // Rerun at full speed: the same upload, only the parts S3 lacks.
  proxy.throttle(0);
  const rerunFrom = events.length;
  const rerun = exportCommand(request, join(dir, 'rerun.mp4'));
  let stderr = '';
  rerun.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => rerun.once('exit', done));
  assert.equal(code, 0, stderr);
  const second = events.slice(rerunFrom).filter((e) => e.key === entry.key);
  const count = (operation: string) => second.filter((e) => e.operation === operation).length;
  assert.equal(count('CreateMultipartUpload'), 0, 'no new upload was started');
  assert.ok(count('ListParts') >= 1, 'the stored parts were listed');
  assert.equal(count('UploadPart'), totalParts - stored.length, 'only the missing parts were sent');
  assert.deepEqual(second.filter((e) => e.operation === 'CompleteMultipartUpload').map((e) => e.query.uploadId), [entry.uploadId]);

  // The stored clip is byte for byte the local file; nothing is left unfinished.
  const object = await admin().send(new GetObjectCommand({ Bucket: cloud.config.bucket, Key: entry.key }));
  const sent = createHash('sha256').update(Buffer.from(await object.Body!.transformToByteArray())).digest('hex');
  assert.equal(sent, createHash('sha256').update(readFileSync(clip)).digest('hex'));
  assert.deepEqual((await admin().send(new ListMultipartUploadsCommand({ Bucket: cloud.config.bucket }))).Uploads ?? [], []);
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'data', 'export-uploads.json'), 'utf8')), {}, 'the journal forgot the finished upload');
  assert.ok(existsSync(join(dir, 'rerun.mp4')));
  const info = await ffprobeJson(join(dir, 'rerun.mp4'));
  assert.ok(Math.abs(Number(info.format.duration) - 1) < 0.05, `rendered ${info.format.duration} s`);
});

test('Ctrl-C during the render cancels the job (CANCELED at MediaConvert) and exits 130', { timeout: 180_000 }, async () => {
  const clip = join(dir, 'long.mp4');
  await promisify(execFile)(ffmpegPath(), ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30', '-t', '12', '-c:v', 'libx264', '-preset', 'ultrafast', clip]);
  const request = join(dir, 'long.json');
  await writeFile(request, JSON.stringify({
    property_id: '1', template_id: 't', output: { width: 1080, height: 1920 },
    segments: [{ video_url: clip, start_time: 0, end_time: 12, duration: 12, order: 1 }],
  }));
  const mediaconvert = new MediaConvertClient({ region: cloud.config.region, endpoint: cloud.config.endpoints.mediaconvert, credentials: cloud.config.admin });
  const before = (await mediaconvert.send(new ListJobsCommand({ MaxResults: 1 }))).Jobs?.[0]?.Id;
  const child = exportCommand(request, join(dir, 'interrupted.mp4'));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  let jobId: string | undefined;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const newest = (await mediaconvert.send(new ListJobsCommand({ MaxResults: 1 }))).Jobs?.[0];
    if (newest && newest.Id !== before && newest.Status === 'PROGRESSING') {
      jobId = newest.Id;
      break;
    }
    assert.ok(Date.now() < deadline, `the render never started: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.match(stderr, /Export cancelled\./);
  const { Job: job } = await mediaconvert.send(new GetJobCommand({ Id: jobId }));
  assert.equal(job!.Status, 'CANCELED');
  assert.equal(existsSync(join(dir, 'interrupted.mp4')), false);
});
