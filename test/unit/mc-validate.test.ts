import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unimplementedRequestKeys, validateJobSettings } from '../../cloud/local/mediaconvert/validate-settings';
import { outputUrl } from '../../cloud/local/mediaconvert/job-settings';
import { wireImage, wireInput, wireSettings } from '../fixtures/mc-job';

const VIDEO = '/outputGroups/0/outputs/0/videoDescription';

function problemsOf(settings: unknown): string[] {
  const result = validateJobSettings(settings);
  return result.ok ? [] : result.problems;
}

describe('validateJobSettings', () => {
  it('accepts the documented job shape, with and without audio selectors, fades and images', () => {
    const settings = wireSettings([
      wireInput('s3://b/a.mp4', '00:00:01:00', '00:00:02:29', true),
      wireInput('s3://b/b.mp4', '00:00:00:00', '00:00:00:29', false),
    ], { images: [wireImage(), wireImage({ layer: 1, fadeIn: undefined, fadeOut: undefined })], fps: [30000, 1001], width: 720, height: 1280 });
    assert.deepEqual(problemsOf(settings), []);
    assert.equal(outputUrl(settings), 's3://bucket/generated-videos/k/video.mp4');
  });

  it('refuses an unimplemented codec naming its JSON path', () => {
    const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')]) as any;
    settings.outputGroups[0].outputs[0].videoDescription.codecSettings.codec = 'H_265';
    assert.deepEqual(problemsOf(settings), [`${VIDEO}/codecSettings/codec: "H_265" is not implemented by the local MediaConvert`]);
  });

  it('refuses unknown keys instead of ignoring them', () => {
    const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')]) as any;
    settings.inputs[0].deblockFilter = 'ENABLED';
    settings.outputGroups[0].outputs[0].videoDescription.videoPreprocessors = { colorCorrector: { colorSpaceConversion: 'FORCE_709', brightness: 60 } };
    assert.deepEqual(problemsOf(settings), [
      '/inputs/0/deblockFilter: is not implemented by the local MediaConvert',
      `${VIDEO}/videoPreprocessors/colorCorrector/brightness: is not implemented by the local MediaConvert`,
    ]);
  });

  it('refuses values outside what the renderer implements', () => {
    const cases: [(s: any) => void, RegExp][] = [
      [(s) => { s.outputGroups[0].outputs[0].videoDescription.width = 1081; }, /videoDescription\/width: 1081 must be even/],
      [(s) => { s.outputGroups[0].outputs[0].videoDescription.scalingBehavior = 'STRETCH_TO_OUTPUT'; }, /scalingBehavior: "STRETCH_TO_OUTPUT" is not implemented/],
      [(s) => { s.inputs[0].videoSelector.rotate = 'DEGREE_90'; }, /\/inputs\/0\/videoSelector\/rotate: "DEGREE_90" is not implemented/],
      [(s) => { s.inputs[0].inputClippings.push({ startTimecode: '00:00:03:00' }); }, /\/inputs\/0\/inputClippings: 2 items is not implemented .*one clipping per input/],
      [(s) => { s.inputs[0].inputClippings[0].endTimecode = '00:00:02;29'; }, /endTimecode: "00:00:02;29" must be a non-drop-frame timecode/],
      [(s) => { delete s.inputs[0].timecodeSource; }, /\/inputs\/0\/timecodeSource: must be "ZEROBASED" or "SPECIFIEDSTART" when inputClippings are used/],
      [(s) => { s.inputs[0].timecodeSource = 'SPECIFIEDSTART'; }, /\/inputs\/0\/timecodeStart: is required with timecodeSource SPECIFIEDSTART/],
      [(s) => { s.inputs[0].videoSelector.colorSpace = 'P3D65_HDR'; }, /videoSelector\/colorSpace: "P3D65_HDR" is not implemented/],
      [(s) => { s.outputGroups[0].outputs[0].videoDescription.videoPreprocessors = { colorCorrector: { colorSpaceConversion: 'FORCE_HDR10' } }; }, /colorCorrector\/colorSpaceConversion: "FORCE_HDR10" is not implemented/],
      [(s) => { s.inputs[0].audioSelectors['Audio Selector 1'].remixSettings = { channelsIn: 6, channelsOut: 2, channelMapping: { outputChannels: [{ inputChannels: [0] }, { inputChannels: [0] }] } }; },
        /remixSettings\/channelMapping\/outputChannels\/0\/inputChannels: 1 gains for channelsIn 6/],
      [(s) => { s.inputs[0].audioSelectors['Audio Selector 1'].remixSettings = { channelsIn: 1, channelsOut: 6, channelMapping: { outputChannels: [{ inputChannels: [0] }, { inputChannels: [0] }] } }; },
        /remixSettings\/channelsOut: 6 is outside 2\.\.2|remixSettings\/channelsOut: 6 is not implemented/],
      [(s) => { Object.assign(s.outputGroups[0].outputs[0].videoDescription, { width: 3840, height: 3840 }); }, /videoDescription\/height: 3840 is too large for a 3840x3840 H\.264 video on MediaConvert \(at most 4096x2160 or 2160x4096\)/],
      [(s) => { Object.assign(s.outputGroups[0].outputs[0].videoDescription, { width: 2400, height: 4096 }); }, /videoDescription\/width: 2400 is too large/],
      [(s) => {
        s.outputGroups[0].outputs[0].videoDescription.videoPreprocessors = { imageInserter: { insertableImages: [wireImage({ startTime: '00:00:00:00' })] } };
        Object.assign(s.outputGroups[0].outputs[0].videoDescription.codecSettings.h264Settings, { framerateNumerator: 120, framerateDenominator: 1 });
      }, /h264Settings\/framerateNumerator: 120 fps is more than image StartTime timecodes can name/],
      [(s) => { s.inputs[0].audioSelectors['Audio Selector 1'].tracks = [1, 2]; }, /tracks: 2 items is not implemented/],
      [(s) => { s.inputs[0].audioSelectors = { 'Audio Selector 2': { tracks: [1] } }; }, /selector "Audio Selector 2" is not the audio description's source "Audio Selector 1"/],
      [(s) => { s.outputGroups[0].outputs[0].audioDescriptions[0].codecSettings.aacSettings.sampleRate = 44100; }, /aacSettings\/sampleRate: 44100 is not implemented/],
      [(s) => { delete s.outputGroups[0].outputs[0].videoDescription.codecSettings.h264Settings.maxBitrate; }, /h264Settings\/maxBitrate: is required \(QVBR needs MaxBitrate\)/],
      [(s) => { s.outputGroups[0].outputs[0].videoDescription.codecSettings.h264Settings.rateControlMode = 'CBR'; }, /rateControlMode: "CBR" is not implemented/],
      [(s) => { s.outputGroups[0].outputs[0].containerSettings.container = 'MOV'; }, /containerSettings\/container: "MOV" is not implemented/],
      [(s) => { s.outputGroups[0].outputGroupSettings.type = 'HLS_GROUP_SETTINGS'; }, /outputGroupSettings\/type: "HLS_GROUP_SETTINGS" is not implemented/],
      [(s) => { s.outputGroups.push(structuredClone(s.outputGroups[0])); }, /\/outputGroups: 2 items is not implemented .*one output group/],
      [(s) => { s.inputs[0].fileInput = 'https://example.com/a.mp4'; }, /\/inputs\/0\/fileInput: "https:\/\/example\.com\/a\.mp4" must be an s3:\/\/bucket\/key URL/],
      [(s) => { s.inputs = []; }, /\/inputs: needs at least 1/],
    ];
    for (const [mutate, expected] of cases) {
      const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')]);
      mutate(settings);
      const problems = problemsOf(settings);
      assert.ok(problems.some((p) => expected.test(p)), `${expected} not in ${JSON.stringify(problems)}`);
    }
  });

  it('refuses more than 150 inputs and duplicate overlay layers', () => {
    const many = wireSettings(Array.from({ length: 151 }, () => wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')));
    assert.match(problemsOf(many)[0], /^\/inputs: 151 items is not implemented/);
    const dup = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')], { images: [wireImage({ layer: 3 }), wireImage({ layer: 3 })] });
    assert.deepEqual(problemsOf(dup), [`${VIDEO}/videoPreprocessors/imageInserter/insertableImages/1/layer: 3 is already used by image 0; layers must be unique`]);
  });

  it('refuses request-level features it does not implement', () => {
    assert.deepEqual(unimplementedRequestKeys({ role: 'r', settings: {}, clientRequestToken: 't', userMetadata: {} }), []);
    assert.deepEqual(unimplementedRequestKeys({ role: 'r', settings: {}, jobTemplate: 'x', accelerationSettings: { mode: 'ENABLED' } }), [
      'jobTemplate: is not implemented by the local MediaConvert',
      'accelerationSettings: is not implemented by the local MediaConvert',
    ]);
  });
});
