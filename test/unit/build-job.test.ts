// Segments that end at (or up to a frame past) their source's end, as hand-written requests and
// containers with a longer audio track produce: clipped to the last frame, never past it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildJob, type BuildJobDeps } from '../../cloud/lambda/build-job';
import { assertGenerationRequest, RequestValidationError } from '../../shared/request';

const deps: BuildJobDeps = {
  bucket: 'b',
  outputPrefix: 'generated-videos/',
  overlaysPrefix: 'overlays/',
  roleArn: 'arn:aws:iam::123456789012:role/HospupMediaConvert',
  probe: async () => ({ fps: 30000 / 1001, hasAudio: true, duration: 2.002 }), // 60 frames
  renderOverlay: async () => {
    throw new Error('no overlays here');
  },
  imageSize: async () => {
    throw new Error('no images here');
  },
};

const request = (start: number, end: number) => assertGenerationRequest({
  property_id: '1',
  template_id: 't',
  segments: [{ video_url: 's3://b/a.mp4', start_time: start, end_time: end, duration: end - start, order: 1 }],
});

test('a segment ending within a frame past its source stops at the last frame (29.97 fps)', async () => {
  const built = await buildJob(request(1.5, 2.03), deps);
  assert.deepEqual(built.createJob.Settings?.Inputs?.[0].InputClippings, [{ StartTimecode: '00:00:01:15', EndTimecode: '00:00:01:29' }]);
  const exact = await buildJob(request(1.5, 2.002), deps);
  assert.deepEqual(exact.createJob.Settings?.Inputs?.[0].InputClippings, [{ StartTimecode: '00:00:01:15', EndTimecode: '00:00:01:29' }]);
});

test('a segment starting at the end of its source is refused, naming start_time', async () => {
  await assert.rejects(buildJob(request(2.002, 2.03), deps), (err: RequestValidationError) => {
    assert.equal(err.errors[0].path, 'segments[0].start_time');
    assert.match(err.message, /segments\[0\]\.start_time: is at or after the end of the source clip \(2\.002 ≥ 2\.002 s\)/);
    return true;
  });
});

test('a 240 fps cut with no frame MediaConvert can name is refused as a field error, not a crash', async () => {
  const slomo = { ...deps, probe: async () => ({ fps: 240, hasAudio: false, duration: 2 }) };
  await assert.rejects(buildJob(request(150 / 240, 160 / 240), slomo), (err: RequestValidationError) => {
    assert.ok(err instanceof RequestValidationError);
    assert.equal(err.errors[0].path, 'segments[0].end_time');
    assert.match(err.errors[0].message, /too short for MediaConvert to place/);
    return true;
  });
});

test('a volume change on a clip whose facts lack its channel count probes for it (projects do not store it)', async () => {
  const probed: string[] = [];
  const mono = { ...deps, probe: async (url: string) => (probed.push(url), { fps: 30, hasAudio: true, duration: 5, audioChannels: 1 }) };
  const parsed = assertGenerationRequest({
    property_id: '1', template_id: 't',
    segments: [{ video_url: 's3://b/a.mp4', start_time: 0, end_time: 1, duration: 1, order: 1, volume_db: -6, source: { fps: 30, has_audio: true, duration: 5 } }],
  });
  const built = await buildJob(parsed, mono);
  assert.deepEqual(probed, ['s3://b/a.mp4']);
  assert.deepEqual(built.createJob.Settings?.Inputs?.[0].AudioSelectors?.['Audio Selector 1'].RemixSettings?.ChannelMapping?.OutputChannels,
    [{ InputChannels: [-6] }, { InputChannels: [-6] }]);
});

const withCaption = (start: number, end: number) => assertGenerationRequest({
  property_id: '1',
  template_id: 't',
  segments: [{ video_url: 's3://b/a.mp4', start_time: start, end_time: end, duration: end - start, order: 1 }],
  text_overlays: [{ content: 'Hello', start_time: 0, end_time: 0.5, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 48 } }],
});
const png = Buffer.from('not really a png');

test('captions are drawn while the sources are being probed (the probe is a round trip, drawing is local work)', async () => {
  const events: string[] = [];
  const overlapping: BuildJobDeps = {
    ...deps,
    probe: async (url) => {
      events.push('probe sent');
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('probe answered');
      return deps.probe(url);
    },
    renderOverlay: async () => (events.push('caption drawn'), { png, x: 0, y: 0, width: 10, height: 10 }),
  };
  await buildJob(withCaption(0, 1), overlapping);
  assert.deepEqual(events, ['probe sent', 'caption drawn', 'probe answered']);
});

test('a source that cannot be probed is reported before a caption that cannot be drawn, as when they ran in turn', async () => {
  const both: BuildJobDeps = {
    ...deps,
    probe: async () => {
      throw new Error('unable to open s3://b/a.mp4');
    },
    renderOverlay: async () => {
      throw new Error('caption failed');
    },
  };
  await assert.rejects(buildJob(withCaption(0, 1), both), /unable to open s3:\/\/b\/a\.mp4/);
  // and a caption's own failure still surfaces when the sources are fine
  await assert.rejects(buildJob(withCaption(0, 1), { ...both, probe: deps.probe }), /caption failed/);
});
