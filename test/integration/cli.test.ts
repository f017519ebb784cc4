// The `hospup` command as people run it: exit codes and messages that name the field.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
// @ts-expect-error plain JavaScript module without types
import { builtIsFresh } from '../../bin/built.mjs';
import { makeTestClip } from '../fixtures/media';
import { makeHdrClip, makeSlowMotionClip, makeVfrClip } from '../fixtures/phone-media';
import { makeExif6Jpeg, makeHalfTransparentPng, makeLogoSvg, makeRotatedHeic } from '../fixtures/photos';

const ROOT = join(import.meta.dirname, '../..');
const VALIDATOR = join(ROOT, '../shared/tools/mediaconvert-validate');
let dir: string;
let clip: string;
let silentClip: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-cli-'));
  clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'cli-clip', color: 'red', width: 320, height: 568, fps: 30, durationSec: 2 });
  silentClip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'cli-silent', color: 'blue', width: 320, height: 568, fps: 25, durationSec: 2, audio: false });
});
after(() => rm(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/hospup.mjs'), ...args], {
      cwd: dir,
      env: { ...process.env, HOSPUP_DATA_DIR: join(dir, 'data'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function hasAwsCli(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const base = (segments: unknown[], extra: Record<string, unknown> = {}) => ({ property_id: '1', template_id: 't', segments, text_overlays: [], ...extra });
const segment = (over: Record<string, unknown> = {}) => ({ video_url: clip, start_time: 0, end_time: 1, duration: 1, order: 1, ...over });
const overlay = (over: Record<string, unknown> = {}) => ({ content: 'Hi', start_time: 0, end_time: 1, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 40 }, ...over });

async function exportJson(name: string, body: unknown | string) {
  const file = join(dir, `${name}.json`);
  await writeFile(file, typeof body === 'string' ? body : JSON.stringify(body));
  return run(['export', file, '--out', join(dir, `${name}.mp4`)]);
}

const invalid: [string, () => unknown | string, RegExp][] = [
  ['bad-times', () => base([segment({ start_time: 3, end_time: 1, duration: 2 })]), /segments\[0\]\.end_time: must be greater than start_time \(1\.0 ≤ 3\.0\)/],
  ['missing-file', () => base([segment({ video_url: 'nowhere/clip.mp4' })]), /segments\[0\]\.video_url: file not found: .*nowhere\/clip\.mp4/],
  ['source-too-short', () => base([segment({ end_time: 5, duration: 5 })]), /segments\[0\]\.end_time: is after the end of the source clip \(5\.0 > 2\.0 s\)/],
  ['bucket-not-allowed', () => base([segment({ video_url: 's3://someone-elses-bucket/clip.mp4' })]), /segments\[0\]\.video_url: is in bucket "someone-elses-bucket", but this function only reads bucket "hospup-videos"/],
  ['bad-colour', () => base([segment()], { text_overlays: [overlay({ style: { color: 'blanc', font_size: 40 } })] }), /text_overlays\[0\]\.style\.color: must be a hex colour/],
  ['overlay-outside', () => base([segment()], { text_overlays: [overlay({ start_time: 0.5, end_time: 4 })] }), /text_overlays\[0\]\.end_time: is after the end of the video \(4\.0 > 1\.0 s\)/],
  ['no-segments', () => '{"property_id":"1","template_id":"test","segments":[],"text_overlays":[],"total_duration":30}', /segments: needs at least one segment/],
  ['text-not-content', () => base([segment()], { text_overlays: [{ ...overlay(), content: undefined, text: 'Hi' }] }), /text_overlays\[0\]\.content: is required \(found "text": this field is called "content"\)/],
  ['json-syntax', () => '{"property_id": "1", segments: [', /json-syntax\.json: not valid JSON/],
  ['too-large-for-h264', () => base([segment()], { output: { width: 3000, height: 3000 } }), /output\.height: 3000 is too large for a 3000x3000 H\.264 video on MediaConvert \(at most 4096x2160 or 2160x4096\)/],
  ['overlay-at-120fps', () => base([segment()], { output: { fps: 120 }, text_overlays: [overlay()] }), /output\.fps: must be at most 60 when the video has text overlays \(got 120\.0\)/],
];

for (const [name, body, message] of invalid) {
  test(`export exits 2 and names the problem: ${name}`, async () => {
    const { code, stderr } = await exportJson(name, body());
    assert.equal(code, 2, stderr);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace for user errors');
  });
}

test('export of a good request exits 0 and saves the MP4; plan prints the CreateJob request', async () => {
  const request = base([segment({ order: 2 }), segment({ video_url: silentClip, order: 1 })], { text_overlays: [overlay()] });
  const { code, stdout, stderr } = await exportJson('good', request);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Saved .*good\.mp4/);

  const planned = await run(['plan', join(dir, 'good.json')]);
  assert.equal(planned.code, 0, planned.stderr);
  const job = JSON.parse(planned.stdout);
  const inputs = job.Settings.Inputs;
  assert.equal(inputs.length, 2);
  assert.match(inputs[0].FileInput, /^s3:\/\/hospup-videos\/sources\/[0-9a-f]{64}\.mp4$/);
  assert.equal(inputs[0].AudioSelectors, undefined, 'the silent clip plays first (order 1) and has no audio selector');
  assert.deepEqual(inputs[0].InputClippings, [{ StartTimecode: '00:00:00:00', EndTimecode: '00:00:00:24' }]);
  assert.equal(job.Settings.OutputGroups[0].Outputs[0].VideoDescription.VideoPreprocessors.ImageInserter.InsertableImages[0].Opacity, 100);
});

test('variants: plan prints one CreateJob per format (an array), export --out-dir writes one file per format and language', async () => {
  const request = base([segment({ focus: { x: 50, y: 30 } })], {
    formats: ['9:16', '16:9'],
    languages: ['fr', 'en'],
    output: { fps: 15 },
    text_overlays: [overlay({ content: 'Bonjour', translations: { en: 'Hello' }, placements: { '16:9': { position: { x: 50, y: 20 } } } })],
  });
  const file = join(dir, 'Summer.json');
  await writeFile(file, JSON.stringify(request));
  const planned = await run(['plan', file]);
  assert.equal(planned.code, 0, planned.stderr);
  const jobs = JSON.parse(planned.stdout);
  assert.ok(Array.isArray(jobs) && jobs.length === 2, 'one job per format');
  assert.deepEqual(jobs.map((job: { Settings: { OutputGroups: { Outputs: { NameModifier: string }[] }[] } }) => job.Settings.OutputGroups[0].Outputs.map((o) => o.NameModifier)),
    [['-9x16-fr', '-9x16-en'], ['-16x9-fr', '-16x9-en']]);
  if (existsSync(VALIDATOR)) {
    for (const [i, job] of jobs.entries()) {
      const jobFile = join(dir, `variant-job-${i}.json`);
      await writeFile(jobFile, JSON.stringify(job));
      assert.match(execFileSync(VALIDATOR, [jobFile], { encoding: 'utf8' }), /valid CreateJob request/);
    }
  }
  const outDir = join(dir, 'variants-out');
  const exported = await run(['export', file, '--out-dir', outDir]);
  assert.equal(exported.code, 0, exported.stderr);
  for (const label of ['9x16-fr', '9x16-en', '16x9-fr', '16x9-en']) {
    assert.match(exported.stdout, new RegExp(`Saved .*Summer-${label}\\.mp4`));
    assert.ok(existsSync(join(outDir, `Summer-${label}.mp4`)), label);
  }
  const both = await run(['export', file, '--out', join(dir, 'x.mp4'), '--out-dir', outDir]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--out-dir: give --out \(one file\) or --out-dir \(a folder\), not both/);
});

test('the built CLI (dist/node) and the TypeScript sources print the same job', async (t) => {
  // npm test builds dist/node first (scripts/test.ts); a run of test:node alone after an edit skips.
  if (!builtIsFresh()) return t.skip('dist/node is older than the sources: npm run build:node');
  const request = base([segment()], { text_overlays: [overlay({ content: 'Built' })] });
  const file = join(dir, 'built-vs-sources.json');
  await writeFile(file, JSON.stringify(request));
  const [built, sources] = await Promise.all([run(['plan', file]), run(['plan', file], { HOSPUP_FROM_SOURCES: '1' })]);
  assert.equal(built.code, 0, built.stderr);
  assert.equal(sources.code, 0, sources.stderr);
  assert.equal(built.stdout, sources.stdout);
  assert.ok(JSON.parse(built.stdout).Settings.Inputs.length === 1);
});

test('the built CLI and its local function thread write their code caches, and run from them', async (t) => {
  if (!builtIsFresh()) return t.skip('dist/node is older than the sources: npm run build:node');
  const cacheDir = join(ROOT, 'dist/node/.code-cache');
  await rm(cacheDir, { recursive: true, force: true }); // other files' CLI runs may write there too: harmless
  // A photo too: its preparation import()s sharp, which a script compiled from a cache cannot do
  // unless the bundle turned import() into require() (scripts/build-node.ts).
  const jpeg = await makeExif6Jpeg(dir, 'code-cache-photo', { width: 120, height: 160 });
  const request = base([segment(), { video_url: jpeg, start_time: 0, end_time: 1, duration: 1, order: 2 }], { text_overlays: [overlay({ content: 'Cached' })] });
  const first = await exportJson('code-cache-1', request);
  assert.equal(first.code, 0, first.stderr);
  const written = existsSync(cacheDir) ? readdirSync(cacheDir) : [];
  assert.ok(written.some((f) => /^hospup\.cjs-\d+-\d+-export\.v8$/.test(f)), `the export's cache: ${written.join(', ')}`);
  assert.ok(written.some((f) => /^local-function\.cjs-\d+-\d+-function\.v8$/.test(f)), `the function thread's cache, after its first reply: ${written.join(', ')}`);
  // A data folder of its own: nothing of the first export's (the converted photo) is reused.
  const second = await run(['export', join(dir, 'code-cache-1.json'), '--out', join(dir, 'code-cache-2.mp4')], { HOSPUP_DATA_DIR: join(dir, 'data-code-cache') });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /Saved .*code-cache-2\.mp4/);
});

test('a project file compiles like the editor compiles it: empty caption left out, text past the end cut, both said', async () => {
  const draft = {
    format: 'hospup-project',
    version: 1,
    id: 'p1',
    name: 'From the app',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    settings: { aspect: '9:16', width: 1080, height: 1920, fps: 30 },
    media: [{ id: 'm1', path: clip, name: 'cli-clip.mp4', size_bytes: 1, mtime_ms: 1 }],
    segments: [{ id: 's1', media_id: 'm1', start_time: 0, end_time: 2 }],
    overlays: [overlay({ id: 'o1', start_time: 1, end_time: 8 }), overlay({ id: 'o2', content: '' })],
  };
  const file = join(dir, 'draft.hospup.json');
  // A version-2 draft: what the editor saves now (an empty caption is allowed in it).
  await writeFile(file, JSON.stringify({ ...draft, version: 2 }));
  const { code, stdout, stderr } = await run(['plan', file]);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /Warning: Text 2 is left out: it has no words\./);
  assert.match(stderr, /Warning: Text 1 "Hi" now ends with the video, at 0:02\.00\./);
  const images = JSON.parse(stdout).Settings.OutputGroups[0].Outputs[0].VideoDescription.VideoPreprocessors.ImageInserter.InsertableImages;
  assert.equal(images.length, 1);
  assert.equal(images[0].StartTime, '00:00:01:00');
  assert.equal(images[0].Duration, 1000, 'on screen from 1 s to the end of the 2 s video');
});

test('plan of phone footage (HDR, rotated, VFR, 120/240 fps, mono and 5.1) is a valid MediaConvert job', async () => {
  const media = join(ROOT, '.cache/test-media');
  const [hlg, pq, vfr, s120, s240] = await Promise.all([
    makeHdrClip(media, { name: 'phone-hlg-rot90', transfer: 'hlg', width: 96, height: 160, fps: 30, durationSec: 1.5, rotation: 90, extraTracks: true, audioChannels: 1 }),
    makeHdrClip(media, { name: 'phone-pq-rot270', transfer: 'pq', width: 96, height: 160, fps: 30, durationSec: 1.5, rotation: 270, extraTracks: true, audioChannels: 6 }),
    makeVfrClip(media, { name: 'phone-vfr-30-15', width: 160, height: 96, durationSec: 5, switchSec: 2, flashSec: 3 }),
    makeSlowMotionClip(media, { name: 'slomo-120', width: 64, height: 64, fps: 120, durationSec: 3 }),
    makeSlowMotionClip(media, { name: 'slomo-240', width: 64, height: 64, fps: 240, durationSec: 2 }),
  ]);
  const file = join(dir, 'phone.json');
  const cut = (video_url: string, start: number, end: number, order: number) => ({ video_url, start_time: start, end_time: end, duration: end - start, order });
  await writeFile(file, JSON.stringify(base([cut(hlg, 0, 1.5, 1), cut(pq, 0, 1.5, 2), cut(vfr, 1, 4.5, 3), cut(s120, 1.9, 2.95, 4), cut(s240, 0.5, 1.5, 5)],
    { output: { width: 1080, height: 1920, fps: 30 }, text_overlays: [overlay({ start_time: 2.37, end_time: 6 })] })));
  const { code, stdout, stderr } = await run(['plan', file]);
  assert.equal(code, 0, stderr);
  const job = JSON.parse(stdout);
  const inputs = job.Settings.Inputs;
  assert.deepEqual(inputs.map((i: any) => i.VideoSelector.ColorSpace ?? 'FOLLOW'), ['HLG_2020', 'HDR10', 'FOLLOW', 'FOLLOW', 'FOLLOW', 'FOLLOW'], 'the 240 fps cut takes two inputs');
  assert.equal(job.Settings.OutputGroups[0].Outputs[0].VideoDescription.VideoPreprocessors.ColorCorrector.ColorSpaceConversion, 'FORCE_709');
  assert.deepEqual(inputs[2].InputClippings, [{ StartTimecode: '00:00:01:00', EndTimecode: '00:00:04:11' }], 'VFR clip on its 24 fps grid');
  assert.equal(inputs[3].TimecodeSource, 'SPECIFIEDSTART');
  // The 240 fps cut from 0.5 s starts on a frame no timecode names: it plays shorter, and says so.
  assert.match(stderr, /Warning: segments\[4\]: plays 0\.\d\d s shorter \(.* of the clip\): MediaConvert cannot cut a 240 fps clip on every frame/);
  assert.doesNotMatch(stderr, /segments\[3\]: plays/, 'the 120 fps cut is exact');
  if (existsSync(VALIDATOR)) {
    const jobFile = join(dir, 'phone-job.json');
    await writeFile(jobFile, stdout);
    assert.match(execFileSync(VALIDATOR, [jobFile], { encoding: 'utf8' }), /valid CreateJob request/);
  }
});

test('plan of photos (JPEG EXIF 6, PNG with transparency, HEIC) with a logo and sound settings is a valid MediaConvert job', async () => {
  const [jpeg, png, heic, logo] = await Promise.all([
    makeExif6Jpeg(dir, 'plan-exif6', { width: 300, height: 400 }),
    makeHalfTransparentPng(dir, 'plan-half', { width: 200, height: 200 }, [255, 0, 255]),
    makeRotatedHeic(dir, 'plan-phone', { width: 48, height: 64 }),
    makeLogoSvg(dir, 'plan-logo', { width: 60, height: 30 }, 5),
  ]);
  const file = join(dir, 'photos.json');
  const photo = (video_url: string, seconds: number, order: number) => ({ video_url, start_time: 0, end_time: seconds, duration: seconds, order });
  await writeFile(file, JSON.stringify(base([
    photo(jpeg, 3, 1), photo(png, 2, 2), photo(heic, 2.5, 3),
    segment({ order: 4, volume_db: -12.5 }), segment({ order: 5, muted: true }),
  ], { output: { width: 1080, height: 1920, fps: 30 }, logo: { url: logo, position: { x: 80, y: 10 }, width: 20, opacity: 70 }, text_overlays: [overlay()] })));
  const { code, stdout, stderr } = await run(['plan', file]);
  assert.equal(code, 0, stderr);
  const job = JSON.parse(stdout);
  const inputs = job.Settings.Inputs;
  assert.deepEqual(inputs.slice(0, 3).map((i: any) => i.VideoGenerator.Duration), [3000, 2000, 2500]);
  assert.deepEqual(inputs.slice(0, 3).map((i: any) => [i.VideoGenerator.Width, i.VideoGenerator.Height]), [[1080, 1920], [1080, 1920], [1080, 1920]]);
  assert.match(inputs[0].VideoGenerator.ImageInput, /^s3:\/\/hospup-videos\/sources\/[0-9a-f]{64}\.png$/);
  assert.equal(inputs[0].FileInput, undefined);
  assert.deepEqual(inputs[3].AudioSelectors['Audio Selector 1'].RemixSettings.ChannelMapping.OutputChannels,
    [{ InputChannelsFineTune: [-12.5, -60] }, { InputChannelsFineTune: [-60, -12.5] }]);
  assert.equal(inputs[4].AudioSelectors, undefined, 'muted: no selector, MediaConvert inserts silence');
  const images = job.Settings.OutputGroups[0].Outputs[0].VideoDescription.VideoPreprocessors.ImageInserter.InsertableImages;
  assert.equal(images.length, 2);
  assert.deepEqual({ ...images[1], ImageInserterInput: undefined }, {
    ImageInserterInput: undefined, ImageX: 756, ImageY: 138, Width: 216, Height: 108, Layer: 1, Opacity: 70, StartTime: '00:00:00:00', Duration: 9500,
  });
  if (existsSync(VALIDATOR)) {
    const jobFile = join(dir, 'photos-job.json');
    await writeFile(jobFile, stdout);
    assert.match(execFileSync(VALIDATOR, [jobFile], { encoding: 'utf8' }), /valid CreateJob request/);
  }
});

test('bad photos and logos are refused naming the field and the file', async () => {
  const notPhoto = join(dir, 'broken.jpg');
  await writeFile(notPhoto, 'this is not a JPEG');
  const cases: [string, unknown, RegExp][] = [
    ['logo-opacity', base([segment()], { logo: { url: clip, position: { x: 50, y: 50 }, width: 20, opacity: 150 } }), /logo\.opacity: must be at most 100 \(got 150\)/],
    ['logo-gif', base([segment()], { logo: { url: join(dir, 'logo.gif'), position: { x: 50, y: 50 }, width: 20 } }), /logo\.url: must be a PNG, SVG, JPEG or WebP image \(got \.gif\)/],
    ['photo-start', base([{ video_url: notPhoto, start_time: 1, end_time: 3, duration: 2, order: 1 }]), /segments\[0\]\.start_time: must be 0 for a photo \(got 1\.0\)/],
    ['photo-unreadable', base([{ video_url: notPhoto, start_time: 0, end_time: 3, duration: 3, order: 1 }]), /segments\[0\]\.video_url: cannot read the photo broken\.jpg: not an image it can read/],
    ['volume', base([segment({ volume_db: 12 })]), /segments\[0\]\.volume_db: must be at most 6 \(got 12\)/],
  ];
  for (const [name, body, expected] of cases) {
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify(body));
    const { code, stderr } = await run(['plan', file]);
    assert.equal(code, 2, `${name}: ${stderr}`);
    assert.match(stderr, expected, name);
  }
});

test('plan exits 2 and names the field when an overlay cannot be laid out', async () => {
  const file = join(dir, 'plan-big-text.json');
  const big = overlay({ content: 'Bienvenue\nà l\'hôtel\nce soir', style: { color: '#FFFFFF', font_size: 600 } });
  await writeFile(file, JSON.stringify(base([segment()], { output: { width: 160, height: 90 }, text_overlays: [big] })));
  const { code, stderr } = await run(['plan', file]);
  assert.equal(code, 2, stderr);
  assert.match(stderr, /text_overlays\[0\]\.style\.font_size: the text needs \d+x\d+ px, more than the 160x90 frame/);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace for user errors');
});

test('`cloud` prints its connection JSON first, and the SDK can use it', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'bin/hospup.mjs'), 'cloud'], {
    env: { ...process.env, HOSPUP_DATA_DIR: join(dir, 'cloud-data') },
  });
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`cloud exited with ${code}`)));
    });
    const config = JSON.parse(firstLine);
    assert.equal(config.bucket, 'hospup-videos');
    assert.equal(config.functionName, 'hospup-video-generator');
    for (const key of ['s3', 'lambda', 'mediaconvert']) assert.match(config.endpoints[key], /^http:\/\/127\.0\.0\.1:\d+/);
    const { S3Client, ListBucketsCommand } = await import('@aws-sdk/client-s3');
    // The first line's keys are the app user's (no ListAllMyBuckets); `admin` may do anything.
    assert.match(config.admin.accessKeyId, /^HSPLOCAL[A-Z2-7]{12}$/);
    const s3 = new S3Client({ region: config.region, endpoint: config.endpoints.s3, forcePathStyle: true, credentials: config.admin });
    const buckets = await s3.send(new ListBucketsCommand({}));
    assert.ok(buckets.Buckets?.some((b) => b.Name === 'hospup-videos'));

    // `export --target aws` talks to it through the standard AWS variables.
    const request = join(dir, 'aws-target.json');
    await writeFile(request, JSON.stringify(base([segment()])));
    const exported = await run(['export', request, '--out', join(dir, 'aws-target.mp4'), '--target', 'aws', '--region', config.region, '--bucket', config.bucket, '--function', config.functionName], {
      AWS_ACCESS_KEY_ID: config.accessKeyId,
      AWS_SECRET_ACCESS_KEY: config.secretAccessKey,
      AWS_ENDPOINT_URL_S3: config.endpoints.s3,
      AWS_ENDPOINT_URL_LAMBDA: config.endpoints.lambda,
      AWS_ENDPOINT_URL_MEDIACONVERT: config.endpoints.mediaconvert,
      AWS_PROFILE: '',
    });
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /Saved .*aws-target\.mp4/);
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const outputs = await s3.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: 'generated-videos/' }));
    const render = outputs.Contents!.find((o) => o.Key?.endsWith('/video.mp4'))!;
    assert.ok(render, 'the render is in the cloud\'s bucket');

    // The aws CLI (on the dev machines, not on users') lists and fetches it too.
    if (hasAwsCli()) {
      const { AWS_PROFILE: _profile, ...inherited } = process.env;
      const as = (keys: { accessKeyId: string; secretAccessKey: string }) => (...args: string[]) => execFileSync('aws', ['--endpoint-url', config.endpoints.s3, ...args], {
        env: { ...inherited, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey, AWS_DEFAULT_REGION: config.region }, encoding: 'utf8',
      });
      // Listing renders is setup work (admin keys); the app user may download them.
      assert.match(as(config.admin)('s3', 'ls', 's3://hospup-videos/generated-videos/', '--recursive'), /video\.mp4/);
      const fetched = join(dir, 'fetched-by-aws-cli.mp4');
      as(config)('s3', 'cp', `s3://hospup-videos/${render.Key}`, fetched);
      assert.deepEqual(readFileSync(fetched), readFileSync(join(dir, 'aws-target.mp4')));
    }
  } finally {
    child.kill('SIGINT');
  }
});

test('help is per command: arguments, options, exit codes and an example that runs', async () => {
  const overview = await run(['--help']);
  assert.equal(overview.code, 0);
  assert.match(overview.stdout, /hospup help <command>/);
  assert.match(overview.stdout, /docs\/request\.md/);
  const texts = new Map<string, string>();
  for (const command of ['export', 'plan', 'cloud']) {
    const viaFlag = await run([command, '--help']);
    const viaHelp = await run(['help', command]);
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
    assert.equal(viaFlag.stdout, viaHelp.stdout, `hospup ${command} --help = hospup help ${command}`);
    assert.match(viaFlag.stdout, new RegExp(`^hospup ${command} — `));
    assert.match(viaFlag.stdout, /Usage:\n {2}hospup /);
    assert.match(viaFlag.stdout, /Exit codes:/);
    assert.match(viaFlag.stdout, /Examples?:\n {2}hospup /);
    texts.set(command, viaFlag.stdout);
  }
  assert.equal(new Set(texts.values()).size, 3, 'each command has its own text');
  for (const option of ['--out', '--target', '--profile', '--region', '--bucket', '--function']) assert.match(texts.get('export')!, new RegExp(option));
  assert.match(texts.get('plan')!, /--role/);

  // The example in the export help names a file that exists.
  const example = /Examples:\n {2}hospup export (\S+\.json)/.exec(texts.get('export')!)![1];
  assert.ok(existsSync(isAbsolute(example) ? example : join(dir, example)), example);

  const unknown = await run(['export', '--bogus']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^hospup export: unknown option --bogus\n\nhospup export — /);
  const nope = await run(['help', 'render']);
  assert.equal(nope.code, 2);
  assert.match(nope.stderr, /Unknown command "render"/);
});
