// The generation function through the Lambda Invoke API of the local cloud (real LambdaClient).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { makeTestClip } from '../fixtures/media';
import { GUIDE_DIRECT_LAMBDA_BODY } from '../fixtures/guide-requests';

let dir: string;
let cloud: LocalCloud;
let lambda: LambdaClient;
const logLines: string[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-lambda-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud'), log: (line) => logLines.push(line) });
  const { config } = cloud;
  lambda = new LambdaClient({ region: config.region, endpoint: config.endpoints.lambda, credentials: config });
  // The hotel's clips are already in its bucket (the guide's situation): put there by an administrator.
  const s3 = new S3Client({ region: config.region, endpoint: config.endpoints.s3, forcePathStyle: true, credentials: config.admin });
  const clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'lambda-clip', color: 'green', width: 320, height: 568, fps: 30, durationSec: 6 });
  await s3.send(new PutObjectCommand({ Bucket: 'hospup-videos', Key: 'clips/lobby.mp4', Body: createReadStream(clip), ContentLength: (await stat(clip)).size }));
});
after(async () => {
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

async function invoke(payload: unknown): Promise<any> {
  const response = await lambda.send(new InvokeCommand({ FunctionName: cloud.config.functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
  assert.equal(response.FunctionError, undefined, 'no unhandled function error');
  return JSON.parse(Buffer.from(response.Payload!).toString());
}

const request = (end = 2) => ({
  property_id: '1',
  template_id: 't',
  segments: [{ id: 'seg1', video_url: 's3://hospup-videos/clips/lobby.mp4', start_time: 0, end_time: end, duration: end, order: 1 }],
  text_overlays: [{ content: 'Bienvenue', start_time: 0, end_time: 1, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 40 } }],
});

test("the guide's direct test payload (API Gateway form, no segments) gets a 400 naming `segments`", async () => {
  const reply = await invoke({ body: GUIDE_DIRECT_LAMBDA_BODY });
  assert.equal(reply.statusCode, 400);
  const body = JSON.parse(reply.body);
  assert.equal(body.status, 'INVALID');
  assert.equal(body.error.errors[0].path, 'segments');
});

test('generate (direct form) then status until COMPLETE; API Gateway form answers the same', async () => {
  const submitted = await invoke({ action: 'generate', ...request() });
  assert.match(submitted.job_id, /\S/);
  assert.match(submitted.output_url, /^s3:\/\/hospup-videos\/generated-videos\/[0-9a-f]{24}\/video\.mp4$/);
  let status: any;
  for (let i = 0; i < 100; i++) {
    status = await invoke({ action: 'status', job_id: submitted.job_id });
    if (status.status === 'COMPLETE' || status.status === 'ERROR') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(status.status, 'COMPLETE', JSON.stringify(status));
  assert.equal(status.percent, 100);
  assert.equal(status.output_url, submitted.output_url);
  assert.ok(Math.abs(status.duration_ms - 2000) <= 40);

  const viaApi = await invoke({ body: JSON.stringify({ action: 'status', job_id: submitted.job_id }) });
  assert.equal(viaApi.statusCode, 200);
  assert.equal(JSON.parse(viaApi.body).status, 'COMPLETE');

  const lines = logLines.map((l) => JSON.parse(l));
  const submittedLog = lines.find((l) => l.message === 'job submitted');
  assert.equal(submittedLog.job_id, submitted.job_id, 'structured log carries the job id');
  assert.match(submittedLog.request_id, /\S/);
  assert.equal(typeof submittedLog.submit_ms, 'number');
});

test('the same request submitted twice maps to the same job (deterministic ClientRequestToken)', async () => {
  const a = await invoke({ action: 'generate', ...request(3) });
  const b = await invoke({ action: 'generate', ...request(3) });
  assert.equal(a.job_id, b.job_id);
});

test('cancel stops a running job; bad actions and missing job ids are named', async () => {
  const submitted = await invoke({ action: 'generate', ...request(6) });
  const cancelled = await invoke({ action: 'cancel', job_id: submitted.job_id });
  assert.equal(cancelled.status, 'CANCELED');
  const status = await invoke({ action: 'status', job_id: submitted.job_id });
  assert.equal(status.status, 'CANCELED');

  const noId = await invoke({ action: 'status' });
  assert.equal(noId.status, 'INVALID');
  assert.equal(noId.error.message, 'job_id: is required (the id returned by generate)');
  const badAction = await invoke({ action: 'render' });
  assert.match(badAction.error.message, /^action: must be one of generate, status, cancel/);
});

test('a missing clip in our bucket is named, not a crash', async () => {
  const reply = await invoke({ ...request(), segments: [{ ...request().segments[0], video_url: 's3://hospup-videos/clips/nope.mp4' }] });
  assert.equal(reply.status, 'INVALID');
  assert.equal(reply.error.errors[0].path, 'segments[0].video_url');
  assert.match(reply.error.errors[0].message, /no such clip in bucket hospup-videos: clips\/nope\.mp4/);
});

test('photos and logos in the bucket: a wrong size, a file that is not a PNG and a missing logo are named', async () => {
  const { config } = cloud;
  const s3 = new S3Client({ region: config.region, endpoint: config.endpoints.s3, forcePathStyle: true, credentials: config });
  const png = await sharp({ create: { width: 201, height: 100, channels: 3, background: '#808080' } }).png().toBuffer();
  await s3.send(new PutObjectCommand({ Bucket: 'hospup-videos', Key: 'sources/wide.png', Body: png }));
  await s3.send(new PutObjectCommand({ Bucket: 'hospup-videos', Key: 'sources/text.png', Body: Buffer.from('hello, not an image at all, really not') }));
  const photo = (key: string, order: number) => ({ video_url: `s3://hospup-videos/sources/${key}`, start_time: 0, end_time: 2, duration: 2, order });
  const wrong = await invoke({ ...request(), text_overlays: [], segments: [photo('wide.png', 1), photo('text.png', 2)] });
  assert.equal(wrong.status, 'INVALID');
  assert.deepEqual(wrong.error.errors.map((e: { path: string }) => e.path), ['segments[1].video_url']);
  assert.match(wrong.error.errors[0].message, /^cannot read the photo: not a PNG image/);
  const sized = await invoke({ ...request(), text_overlays: [], segments: [photo('wide.png', 1)] });
  assert.equal(sized.error.errors[0].path, 'segments[0].video_url');
  assert.match(sized.error.errors[0].message, /the photo is 201x100 pixels; a photo in the bucket must have even sides of 32 to 4096 pixels/);
  const noLogo = await invoke({ ...request(), logo: { url: 's3://hospup-videos/sources/logo.png', position: { x: 50, y: 10 }, width: 20 } });
  assert.equal(noLogo.error.errors[0].path, 'logo.url');
  assert.match(noLogo.error.errors[0].message, /no such logo in bucket hospup-videos: sources\/logo\.png/);
});
