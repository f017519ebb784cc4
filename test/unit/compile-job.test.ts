import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCreateJob, JobCompileError, MAX_INPUTS, type CompileJobInput } from '../../cloud/lambda/compile-job';
import { assertGenerationRequest, type GenerationRequestInput } from '../../shared/request';
import { clipFrames, timecodeToFrames, framesToTimecode } from '../../shared/time';

const VALIDATOR = join(import.meta.dirname, '../../../shared/tools/mediaconvert-validate');

function request(overrides: Partial<GenerationRequestInput> = {}): GenerationRequestInput {
  return {
    property_id: '1',
    template_id: 't',
    segments: [
      { video_url: 's3://b/a.mp4', start_time: 1, end_time: 3, duration: 2, order: 2 },
      { video_url: 's3://b/c.mp4', start_time: 0, end_time: 1.5, duration: 1.5, order: 1 },
    ],
    text_overlays: [
      { content: 'Hi', start_time: 0.5, end_time: 3, position: { x: 50, y: 80 }, style: { color: '#FFFFFF', font_size: 24 } },
      { content: 'There', start_time: 2, end_time: 3.5, position: { x: 50, y: 20 }, style: { color: '#FFFFFF', font_size: 24 } },
    ],
    ...overrides,
  };
}

function compile(req = request(), extra: Partial<CompileJobInput> = {}) {
  const parsed = assertGenerationRequest(req);
  return compileCreateJob({
    parsed,
    sources: parsed.timeline.map((_, i) => (i === 0 ? { fps: 29.97, hasAudio: false } : { fps: 60, hasAudio: true })),
    inputUrls: parsed.timeline.map((s) => s.video_url),
    overlays: parsed.request.text_overlays.map((_, i) => ({ url: `s3://b/overlays/${i}.png`, x: 10, y: 20 + i, width: 300, height: 80 })),
    destination: 's3://b/generated-videos/k/video',
    roleArn: 'arn:aws:iam::123456789012:role/HospupMediaConvert',
    clientRequestToken: 'f'.repeat(64),
    ...extra,
  });
}

test('timecodes count frames of the source rate, end frame inclusive', () => {
  assert.deepEqual(clipFrames(1, 3, 30), { startFrame: 30, endFrame: 89, frameCount: 60, startTimecode: '00:00:01:00', endTimecode: '00:00:02:29' });
  assert.equal(clipFrames(0, 10, 25).endTimecode, '00:00:09:24');
  assert.equal(clipFrames(0, 2, 60).endTimecode, '00:00:01:59');
  // 29.97 counts with the nominal 30 per timecode second
  assert.equal(framesToTimecode(clipFrames(1, 3, 30000 / 1001).endFrame, 30000 / 1001), '00:00:02:29');
  assert.equal(timecodeToFrames('00:01:00:10', 25), 1510);
});

test('inputs follow `order`, clip in their own rate, rotate AUTO, ZEROBASED, audio only where present', () => {
  const job = compile();
  const inputs = job.Settings!.Inputs!;
  assert.equal(job.Settings!.TimecodeConfig!.Source, 'ZEROBASED');
  assert.deepEqual(inputs.map((i) => i.FileInput), ['s3://b/c.mp4', 's3://b/a.mp4']);
  assert.deepEqual(inputs[0].InputClippings, [{ StartTimecode: '00:00:00:00', EndTimecode: '00:00:01:14' }]); // 1.5 s at 29.97
  assert.deepEqual(inputs[1].InputClippings, [{ StartTimecode: '00:00:01:00', EndTimecode: '00:00:02:59' }]); // 1..3 s at 60
  assert.ok(inputs.every((i) => i.TimecodeSource === 'ZEROBASED' && i.VideoSelector?.Rotate === 'AUTO'));
  assert.equal(inputs[0].AudioSelectors, undefined, 'no selector for a source without audio: MediaConvert inserts silence');
  assert.deepEqual(Object.keys(inputs[1].AudioSelectors!), ['Audio Selector 1']);
});

test('output: FILL to the frame, specified frame rate, QVBR with a max bitrate, AAC', () => {
  const output = compile(request({ output: { fps: 29.97 } })).Settings!.OutputGroups![0].Outputs![0];
  const video = output.VideoDescription!;
  assert.equal(video.ScalingBehavior, 'FILL');
  assert.deepEqual([video.Width, video.Height], [1080, 1920]);
  const h264 = video.CodecSettings!.H264Settings!;
  assert.deepEqual([h264.FramerateControl, h264.FramerateNumerator, h264.FramerateDenominator], ['SPECIFIED', 30000, 1001]);
  assert.equal(h264.RateControlMode, 'QVBR');
  assert.ok(h264.MaxBitrate! > 1_000_000);
  assert.equal(output.AudioDescriptions![0].CodecSettings!.Codec, 'AAC');
});

test('overlays: one image each, unique layers, opacity 100, output timeline, ms durations', () => {
  const images = compile().Settings!.OutputGroups![0].Outputs![0].VideoDescription!.VideoPreprocessors!.ImageInserter!.InsertableImages!;
  assert.equal(images.length, 2);
  assert.deepEqual(images.map((i) => i.Layer), [0, 1]);
  assert.ok(images.every((i) => i.Opacity === 100));
  assert.deepEqual(images.map((i) => [i.StartTime, i.Duration]), [['00:00:00:15', 2500], ['00:00:02:00', 1500]]);
  assert.deepEqual([images[1].ImageX, images[1].ImageY, images[1].Width, images[1].Height], [10, 21, 300, 80]);
  const none = compile(request({ text_overlays: [] }));
  assert.equal(none.Settings!.OutputGroups![0].Outputs![0].VideoDescription!.VideoPreprocessors, undefined);
});

test('rules the service model lacks: at most 150 inputs, even sizes', () => {
  const many = Array.from({ length: MAX_INPUTS + 1 }, (_, i) => ({ video_url: 's3://b/a.mp4', start_time: 0, end_time: 1, duration: 1, order: i }));
  assert.throws(() => assertGenerationRequest(request({ segments: many, text_overlays: [] })), /segments: allows at most 150 segments/);
  const parsed = assertGenerationRequest(request({ text_overlays: [] }));
  parsed.output = { ...parsed.output, width: 1081 };
  assert.throws(
    () => compileCreateJob({ parsed, sources: [{ fps: 30, hasAudio: true }, { fps: 30, hasAudio: true }], inputUrls: ['s3://b/1', 's3://b/2'], overlays: [], destination: 's3://b/x', roleArn: 'r', clientRequestToken: 't' }),
    JobCompileError,
  );
});

test('every job shape the compiler emits passes the MediaConvert model validator', { skip: !existsSync(VALIDATOR) && 'mediaconvert-validate (../shared/tools) is only on the dev machines' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hospup-validate-'));
  const shapes = {
    'overlays-and-mixed-audio': compile(),
    'no-overlays': compile(request({ text_overlays: [] })),
    'square-25fps': compile(request({ output: { aspect: '1:1', fps: 25 } })),
    'landscape-ntsc': compile(request({ output: { aspect: '16:9', fps: 29.97 } })),
    'all-silent': (() => {
      const parsed = assertGenerationRequest(request());
      return compileCreateJob({ parsed, sources: parsed.timeline.map(() => ({ fps: 24, hasAudio: false })), inputUrls: parsed.timeline.map((s) => s.video_url), overlays: parsed.request.text_overlays.map(() => ({ url: 's3://b/overlays/o.png', x: 0, y: 0, width: 2, height: 2 })), destination: 's3://b/out/video', roleArn: 'arn:aws:iam::123456789012:role/R', clientRequestToken: 'a'.repeat(64), userMetadata: { property_id: '1' } });
    })(),
  };
  for (const [name, job] of Object.entries(shapes)) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(job));
    const out = execFileSync(VALIDATOR, [file], { encoding: 'utf8' });
    assert.match(out, /valid CreateJob request/, `${name}: ${out}`);
  }
});
