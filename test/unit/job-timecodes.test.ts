// Phone footage through the job compiler: every timecode it can emit matches the service model's
// patterns at every rate phones and cameras record, and the jobs pass both AWS's model and the
// local MediaConvert's validator (HDR colour, VFR grid, 120/240 fps clipping, mono and 5.1 audio).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CreateJobCommandInput } from '@aws-sdk/client-mediaconvert';
import { compileCreateJob, type SourceFacts } from '../../cloud/lambda/compile-job';
import { validateJobSettings } from '../../cloud/local/mediaconvert/validate-settings';
import { assertGenerationRequest, type GenerationRequestInput } from '../../shared/request';
import { addressable, inputClip, nominalRate, timecodeToFrames, vfrTimecodeRate } from '../../shared/time';

const VALIDATOR = join(import.meta.dirname, '../../../shared/tools/mediaconvert-validate');
const RATES = [23.976, 24, 25, 29.97, 30, 50, 59.94, 60, 100, 119.88, 120, 240];
// The service model's patterns (botocore mediaconvert, InputClipping / Input / InsertableImage).
const CLIPPING = /^([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9][:;][0-9]{2}(@[0-9]+(\.[0-9]+)?(:[0-9]+)?)?$/;
const START = /^((([0-1]\d)|(2[0-3]))(:[0-5]\d){2}([:;][0-5]\d))$/;

function job(segments: GenerationRequestInput['segments'], sources: SourceFacts[], opts: { fps?: number; overlay?: boolean } = {}): CreateJobCommandInput {
  const parsed = assertGenerationRequest({
    property_id: '1', template_id: 't', segments,
    text_overlays: opts.overlay === false ? [] : [{ content: 'Hi', start_time: 0.37, end_time: 0.9, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 40 } }],
    output: { fps: opts.fps ?? 30 },
  });
  return compileCreateJob({
    parsed, sources,
    inputUrls: parsed.timeline.map((s) => s.video_url),
    overlays: parsed.request.text_overlays.map(() => ({ url: 's3://b/overlays/o.png', x: 0, y: 0, width: 20, height: 20 })),
    destination: 's3://b/generated-videos/k/video', roleArn: 'arn:aws:iam::123456789012:role/R', clientRequestToken: 'a'.repeat(64),
  });
}

/** SDK shape -> the REST wire shape the local MediaConvert receives (lower-camel keys; map keys kept). */
function toWire(value: unknown, keepKeys = false): unknown {
  if (Array.isArray(value)) return value.map((v) => toWire(v));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [keepKeys ? k : k[0].toLowerCase() + k.slice(1), toWire(v, k === 'AudioSelectors')]));
}

describe('clipping timecodes', () => {
  it('every start/end the compiler can emit matches the model at every rate (sweep of cut points)', () => {
    for (const fps of RATES) {
      for (let i = 0; i < 400; i++) {
        const start = (i * 0.0371) % 7;
        const clip = inputClip(start, start + 0.5 + (i % 13) * 0.173, fps);
        assert.ok(clip, `${fps} fps at ${start}`);
        let next = clip.startFrame;
        for (const piece of clip.pieces) {
          assert.match(piece.startTimecode, CLIPPING, `${fps} fps start`);
          assert.match(piece.endTimecode, CLIPPING, `${fps} fps end`);
          if (piece.timecodeStart) assert.match(piece.timecodeStart, START, `${fps} fps TimecodeStart`);
          // The timecodes name exactly the frames the piece says, on its shifted timeline; pieces join without a gap.
          const rate = nominalRate(fps);
          assert.equal(timecodeToFrames(piece.startTimecode, fps) - piece.timecodeStartFrame, piece.startFrame);
          assert.equal(timecodeToFrames(piece.endTimecode, fps) - piece.timecodeStartFrame, piece.endFrame);
          assert.ok(addressable(piece.startFrame, piece.timecodeStartFrame, rate) && addressable(piece.endFrame, piece.timecodeStartFrame, rate));
          assert.equal(piece.startFrame, next);
          next = piece.endFrame + 1;
        }
        assert.equal(next, clip.endFrame + 1);
        if (fps <= 120) assert.equal(clip.pieces.length, 1, `${fps} fps: one input`);
      }
    }
  });

  it('overlay start times match the model at every output rate up to 60', () => {
    for (const fps of RATES.filter((r) => r <= 60)) {
      const images = job([{ video_url: 's3://b/a.mp4', start_time: 0, end_time: 61, duration: 61, order: 1 }], [{ fps: 30, hasAudio: false }], { fps })
        .Settings!.OutputGroups![0].Outputs![0].VideoDescription!.VideoPreprocessors!.ImageInserter!.InsertableImages!;
      assert.match(images[0].StartTime!, START, `${fps} fps`);
    }
  });

  it('up to 100 fps a cut is exact; at 120 fps the timeline shift keeps it exact', () => {
    assert.deepEqual(inputClip(1, 3, 30), { startFrame: 30, endFrame: 89, frameCount: 60,
      pieces: [{ startFrame: 30, endFrame: 89, startTimecode: '00:00:01:00', endTimecode: '00:00:02:29', timecodeStartFrame: 0 }] });
    // 1.9 s .. 2.95 s at 120 fps: frames 228..353; 228 is frame 108 of second 1, unnameable without a shift.
    const clip = inputClip(1.9, 2.95, 120)!;
    assert.deepEqual([clip.startFrame, clip.endFrame], [228, 353]);
    const [piece] = clip.pieces;
    assert.ok(piece.timecodeStartFrame > 0);
    assert.equal(piece.timecodeStart, `00:00:00:${String(piece.timecodeStartFrame).padStart(2, '0')}`);
    for (let i = 0; i < 600; i++) {
      const start = i / 120;
      const exact = inputClip(start, start + 0.75, 120)!;
      assert.equal(exact.frameCount, 90, `120 fps cut at frame ${i} keeps all 90 frames`);
    }
  });

  it('at 240 fps an unnameable end moves inward, never outward, by at most 81 frames (two inputs when that saves frames)', () => {
    let split = 0;
    for (let i = 0; i < 480; i++) {
      const first = i;
      const last = i + 239;
      const clip = inputClip(first / 240, (last + 1) / 240, 240)!;
      assert.ok(clip.startFrame >= first && clip.endFrame <= last, `frames ${clip.startFrame}..${clip.endFrame} inside ${first}..${last}`);
      assert.ok(clip.startFrame - first <= 81 && last - clip.endFrame <= 81, `frames ${clip.startFrame}..${clip.endFrame} for ${first}..${last}`);
      if (clip.pieces.length === 2) split++;
    }
    assert.ok(split > 0, 'some cuts need two inputs');
    // 0.5..1.5 s: frame 120 can never start a clip (121..180 neither): the nearest is 181.
    assert.deepEqual([inputClip(0.5, 1.5, 240)!.startFrame, inputClip(0.5, 1.5, 240)!.endFrame], [181, 339]);
    // A cut with no nameable frame under any shift cannot be placed.
    assert.equal(inputClip(150 / 240, 160 / 240, 240), null);
  });

  it('a variable-rate clip is clipped on the constant rate AWS documents for it', () => {
    assert.deepEqual(RATES.slice(0, 8).map(vfrTimecodeRate), [24, 24, 30, 30, 30, 50, 60, 60]);
    assert.equal(vfrTimecodeRate(21.14), 24);
    assert.equal(vfrTimecodeRate(12), 15);
    const input = job([{ video_url: 's3://b/vfr.mp4', start_time: 2.5, end_time: 4, duration: 1.5, order: 1 }], [{ fps: 21.14, vfr: true, hasAudio: true }])
      .Settings!.Inputs![0];
    // On the 24 fps grid: 2.5 s = frame 60 = 00:00:02:12; 4 s exclusive = frame 95 = 00:00:03:23.
    assert.deepEqual(input.InputClippings, [{ StartTimecode: '00:00:02:12', EndTimecode: '00:00:03:23' }]);
  });
});

describe('phone jobs', () => {
  const segments = [
    { video_url: 's3://b/hlg.mov', start_time: 0.25, end_time: 1.75, duration: 1.5, order: 1 },
    { video_url: 's3://b/pq.mp4', start_time: 0, end_time: 1, duration: 1, order: 2 },
    { video_url: 's3://b/vfr.mp4', start_time: 2.5, end_time: 4, duration: 1.5, order: 3 },
    { video_url: 's3://b/slomo120.mov', start_time: 1.9, end_time: 2.95, duration: 1.05, order: 4 },
    { video_url: 's3://b/slomo240.mov', start_time: 0.5, end_time: 1.5, duration: 1, order: 5 },
    { video_url: 's3://b/sdr10.mp4', start_time: 0, end_time: 1, duration: 1, order: 6 },
  ];
  const sources: SourceFacts[] = [
    { fps: 29.97, hasAudio: true, dynamicRange: 'hlg', audioChannels: 1 },
    { fps: 30, hasAudio: true, dynamicRange: 'pq', audioChannels: 6 },
    { fps: 21.14, vfr: true, hasAudio: true, audioChannels: 2 },
    { fps: 120, hasAudio: true, audioChannels: 2 },
    { fps: 240, hasAudio: false },
    { fps: 30, hasAudio: true, audioChannels: 3 },
  ];
  const created = job(segments, sources);
  const inputs = created.Settings!.Inputs!;
  const video = created.Settings!.OutputGroups![0].Outputs![0].VideoDescription!;

  it('HDR inputs are read as what they are and the output is converted to BT.709 SDR', () => {
    assert.deepEqual([inputs[0].VideoSelector, inputs[1].VideoSelector, inputs[6].VideoSelector], [
      { Rotate: 'AUTO', ColorSpace: 'HLG_2020', ColorSpaceUsage: 'FORCE' },
      { Rotate: 'AUTO', ColorSpace: 'HDR10', ColorSpaceUsage: 'FORCE' },
      { Rotate: 'AUTO' },
    ]);
    assert.deepEqual(video.VideoPreprocessors!.ColorCorrector, { ColorSpaceConversion: 'FORCE_709', HdrToSdrToneMapper: 'VIBRANT' });
    const sdrOnly = job(segments.slice(2, 3), sources.slice(2, 3));
    assert.equal(sdrOnly.Settings!.OutputGroups![0].Outputs![0].VideoDescription!.VideoPreprocessors!.ColorCorrector, undefined);
    const hlgOnly = job(segments.slice(0, 1), sources.slice(0, 1));
    assert.equal(hlgOnly.Settings!.OutputGroups![0].Outputs![0].VideoDescription!.VideoPreprocessors!.ColorCorrector!.HdrToSdrToneMapper, 'PRESERVE_DETAILS');
  });

  it('audio layouts: mono on both sides, 5.1 downmixed, other layouts by their first two channels', () => {
    const remix = (i: number) => inputs[i].AudioSelectors?.['Audio Selector 1']?.RemixSettings;
    assert.deepEqual(remix(0), { ChannelsIn: 1, ChannelsOut: 2, ChannelMapping: { OutputChannels: [{ InputChannels: [0] }, { InputChannels: [0] }] } });
    assert.deepEqual(remix(1)!.ChannelMapping!.OutputChannels!.map((c) => c.InputChannels), [[0, -60, -3, -60, -3, -60], [-60, 0, -3, -60, -60, -3]]);
    assert.equal(remix(2), undefined, 'stereo as it is');
    assert.deepEqual(remix(6)!.ChannelMapping!.OutputChannels!.map((c) => c.InputChannels), [[0, -60, -60], [-60, 0, -60]]);
    assert.equal(inputs[4].AudioSelectors, undefined);
  });

  it('high-rate inputs shift their timeline instead of writing 3-digit frames; a 240 fps cut may take two inputs', () => {
    assert.equal(inputs[3].TimecodeSource, 'SPECIFIEDSTART');
    assert.match(inputs[3].TimecodeStart!, START);
    assert.equal(inputs[0].TimecodeSource, 'ZEROBASED');
    assert.deepEqual(inputs.slice(4, 6).map((i) => i.FileInput), ['s3://b/slomo240.mov', 's3://b/slomo240.mov']);
    assert.deepEqual(inputs.slice(4, 6).map((i) => i.InputClippings![0]), [
      { StartTimecode: '00:00:01:00', EndTimecode: '00:00:01:58' }, // frames 181..239 shifted by 59
      { StartTimecode: '00:00:01:00', EndTimecode: '00:00:01:99' }, // frames 240..339
    ]);
  });

  it('passes the local MediaConvert\'s validator', () => {
    const checked = validateJobSettings(toWire(created.Settings));
    assert.deepEqual(checked.ok ? [] : checked.problems, []);
  });

  it('passes AWS\'s service model', { skip: !existsSync(VALIDATOR) && 'mediaconvert-validate (../shared/tools) is only on the dev machines' }, () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hospup-phone-job-')), 'job.json');
    writeFileSync(file, JSON.stringify(created));
    assert.match(execFileSync(VALIDATOR, [file], { encoding: 'utf8' }), /valid CreateJob request/);
  });

  it('refuses what MediaConvert cannot do, naming the field', () => {
    const base = { property_id: '1', template_id: 't', segments: segments.slice(0, 1) };
    const overlay = { content: 'Hi', start_time: 0, end_time: 1, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 40 } };
    assert.throws(() => assertGenerationRequest({ ...base, output: { width: 3840, height: 3840 } }),
      /: output\.height: 3840 is too large for a 3840x3840 H\.264 video on MediaConvert \(at most 4096x2160 or 2160x4096\)/);
    assert.throws(() => assertGenerationRequest({ ...base, output: { width: 2400, height: 4000 } }), /: output\.width: 2400 is too large/);
    assert.doesNotThrow(() => assertGenerationRequest({ ...base, output: { width: 2160, height: 3840 } }));
    assert.throws(() => assertGenerationRequest({ ...base, text_overlays: [overlay], output: { fps: 120 } }),
      /: output\.fps: must be at most 60 when the video has text overlays \(got 120\.0\)/);
    assert.doesNotThrow(() => assertGenerationRequest({ ...base, output: { fps: 120 } }));
  });
});
