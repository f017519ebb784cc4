// What ships is what is tested: builds dist's Lambda zip, unzips it outside the
// repo, loads index.handler in a SEPARATE node process with a Lambda-like
// environment (no access to this repo's node_modules), and drives a real
// export against the local cloud: generate -> status until COMPLETE -> the
// MP4 is in the bucket with the requested size and length.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { LambdaProcess } from '../fixtures/zipped-lambda';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LOCAL_CLOUD = join(ROOT, 'cloud/local/index.ts');
const MEDIA_FIXTURES = join(ROOT, 'test/fixtures/media.ts');
const missing = [LOCAL_CLOUD, MEDIA_FIXTURES].filter((f) => !existsSync(f));
const skip = missing.length ? `needs ${missing.map((f) => f.slice(ROOT.length + 1)).join(' and ')} (not written yet)` : false;

let work: string;
let unzipDir: string;
let zipInfo: { zipBytes: number; sha256: string; files: { path: string }[] };

before(async () => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), 'hospup-lambda-zip-'));
  const { buildLambdaZip } = await import('../../scripts/build-lambda');
  const built = await buildLambdaZip({ outDir: join(work, 'dist') });
  zipInfo = built;
  unzipDir = join(work, 'task'); // like /var/task
  for (const [path, bytes] of Object.entries(unzipSync(readFileSync(built.zipPath)))) {
    mkdirSync(dirname(join(unzipDir, path)), { recursive: true });
    writeFileSync(join(unzipDir, path), bytes);
  }
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the zip holds the handler, the resvg wasm and the overlay fonts, and is reproducible', { skip }, async () => {
  const paths = zipInfo.files.map((f) => f.path);
  for (const p of ['index.js', 'index_bg.wasm', 'package.json', 'fonts/Inter_400Regular.ttf', 'fonts/OFL.txt']) {
    assert.ok(paths.includes(p), `zip has ${p}`);
  }
  assert.ok(zipInfo.zipBytes < 10 * 1024 * 1024, `zip is small (${zipInfo.zipBytes} bytes)`);
  const { buildLambdaZip } = await import('../../scripts/build-lambda');
  const again = await buildLambdaZip({ outDir: join(work, 'dist-again') });
  assert.equal(again.sha256, zipInfo.sha256, 'same sources -> same zip bytes');
});

test('the unzipped handler, in its own process, exports a reel through the local cloud', { skip, timeout: 180_000 }, async () => {
  const { startLocalCloud } = await import('../../cloud/local/index');
  const { makeTestClip, ffprobeJson } = await import('../fixtures/media');
  const { loadCfnTemplate } = await import('../../cloud/local/iam/cfn-yaml');
  const { S3Client, PutObjectCommand, HeadObjectCommand, GetObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');

  const cloud = await startLocalCloud({ dataDir: join(work, 'cloud') });
  const { config } = cloud;
  const s3 = new S3Client({
    region: config.region,
    endpoint: config.endpoints.s3,
    forcePathStyle: true,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

  // The function's environment as cloud/template.yaml ships it, /var/task being the unzip folder.
  const shipped = loadCfnTemplate(join(ROOT, 'cloud/template.yaml')).Resources.GeneratorFunction.Properties as any;
  const templateEnv = shipped.Environment.Variables as Record<string, unknown>;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOSPUP_FONT_DIR: String(templateEnv.HOSPUP_FONT_DIR).replace('/var/task', unzipDir),
    HOSPUP_RESVG_WASM: String(templateEnv.HOSPUP_RESVG_WASM).replace('/var/task', unzipDir),
    S3_OUTPUT_PREFIX: String(templateEnv.S3_OUTPUT_PREFIX),
    S3_BUCKET: config.bucket,
    MEDIA_CONVERT_ROLE_ARN: cloud.account.stack.mediaConvertRoleArn,
    AWS_REGION: config.region,
    // The function's role session, with its session token, as Lambda gives it.
    AWS_ACCESS_KEY_ID: cloud.account.function.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: cloud.account.function.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: cloud.account.function.credentials.sessionToken!,
    AWS_ENDPOINT_URL_S3: config.endpoints.s3,
    AWS_ENDPOINT_URL_MEDIACONVERT: config.endpoints.mediaconvert,
  };
  const lambda = new LambdaProcess(unzipDir, env);
  try {
    const ready = await lambda.ready;
    assert.equal(ready.sdkResolvable, false, 'the bundle cannot fall back on the repo\'s node_modules');

    const clip = await makeTestClip(join(ROOT, '.cache/test-media'), {
      name: 'zip-orange', color: 'orange', width: 320, height: 568, fps: 30, durationSec: 2, audio: { freqHz: 440 },
    });
    const bytes = readFileSync(clip);
    const key = `sources/${createHash('sha256').update(bytes).digest('hex')}.mp4`;
    await s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: bytes, ContentType: 'video/mp4' }));

    const request = {
      property_id: 'zip-test',
      template_id: 'tpl',
      segments: [
        { video_url: `s3://${config.bucket}/${key}`, start_time: 1, end_time: 2, duration: 1, order: 2 },
        { video_url: `s3://${config.bucket}/${key}`, start_time: 0, end_time: 1, duration: 1, order: 1 },
      ],
      text_overlays: [{
        content: 'Bienvenue', start_time: 0.2, end_time: 1.6, position: { x: 50, y: 70 },
        style: { color: '#FFFFFF', font_size: 64, background: '#000000' },
      }],
      output: { width: 360, height: 640, fps: 30 },
    };
    // API Gateway form, as in the deployment guide.
    const created = await lambda.invoke({ body: JSON.stringify({ action: 'generate', ...request }) });
    assert.equal(created.statusCode, 200, created.body);
    const job = JSON.parse(created.body);
    assert.ok(job.job_id, 'job id returned');

    let status: any;
    const deadline = Date.now() + 150_000;
    do {
      await new Promise((r) => setTimeout(r, 500));
      status = await lambda.invoke({ action: 'status', job_id: job.job_id });
    } while (!['COMPLETE', 'ERROR', 'CANCELED'].includes(status.status) && Date.now() < deadline);
    assert.equal(status.status, 'COMPLETE', JSON.stringify(status));
    assert.equal(status.percent, 100);

    const out = /^s3:\/\/([^/]+)\/(.+)$/.exec(status.output_url);
    assert.ok(out, `output url ${status.output_url}`);
    assert.equal(out[1], config.bucket);
    assert.ok(out[2].startsWith('generated-videos/'), out[2]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: out[1], Key: out[2] }));
    assert.ok((head.ContentLength ?? 0) > 1000, 'the render is in the bucket');

    // Listing overlays is an administrator's view (the app user may list only sources/).
    const admin = new S3Client({ region: config.region, endpoint: config.endpoints.s3, forcePathStyle: true, credentials: config.admin });
    const overlays = await admin.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: 'overlays/' }));
    assert.ok((overlays.Contents ?? []).some((o) => o.Key?.endsWith('.png')), 'the zip rendered the overlay PNG (wasm + fonts)');

    const got = await s3.send(new GetObjectCommand({ Bucket: out[1], Key: out[2] }));
    const local = join(work, 'out.mp4');
    writeFileSync(local, await got.Body!.transformToByteArray());
    const probe = await ffprobeJson(local);
    const video = probe.streams.find((s: any) => s.codec_type === 'video');
    assert.equal(video.width, 360);
    assert.equal(video.height, 640);
    assert.ok(Math.abs(Number(probe.format.duration) - 2) <= 1 / 30 + 0.05, `duration ${probe.format.duration}`);
  } finally {
    lambda.stop();
    await cloud.close();
  }
});
