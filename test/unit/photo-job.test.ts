// Photos, the logo and sound settings through the pure parts: the request schema's rules, the
// logo's box, the remix gains, the job compiler's VideoGenerator input, the local MediaConvert's
// validation and ffmpeg plan of a generated input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCreateJob, type SourceFacts } from '../../cloud/lambda/compile-job';
import { stereoRemix } from '../../cloud/lambda/audio-remix';
import { pngSize } from '../../cloud/lambda/image-size';
import { planFfmpegRender } from '../../cloud/local/mediaconvert/compile-ffmpeg';
import { JobError } from '../../cloud/local/mediaconvert/error-codes';
import { validateJobSettings } from '../../cloud/local/mediaconvert/validate-settings';
import type { WireInput } from '../../cloud/local/mediaconvert/job-settings';
import { logoBox } from '../../shared/logo';
import { assertGenerationRequest, isPhotoUrl, parseGenerationRequest } from '../../shared/request';
import { fakeProbe, wireImage, wireInput, wireSettings } from '../fixtures/mc-job';

const photoSegment = (over: Record<string, unknown> = {}) => ({ video_url: 's3://b/sources/p.png', start_time: 0, end_time: 3, duration: 3, order: 1, ...over });
const clipSegment = (over: Record<string, unknown> = {}) => ({ video_url: 's3://b/sources/c.mp4', start_time: 0, end_time: 1, duration: 1, order: 2, source: { fps: 30, has_audio: true, audio_channels: 2 }, ...over });
const request = (segments: unknown[], extra: Record<string, unknown> = {}) => ({ property_id: 1, template_id: 't', segments, ...extra });
const errorsOf = (input: unknown) => {
  const result = parseGenerationRequest(input);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('the request: photos, logo, sound', () => {
  it('knows a photo by its extension', () => {
    assert.ok(isPhotoUrl('IMG_0001.HEIC') && isPhotoUrl('file:///a/b.jpeg') && isPhotoUrl('s3://b/sources/x.png'));
    assert.ok(!isPhotoUrl('clip.mov') && !isPhotoUrl('s3://b/sources/x.mp4'));
  });

  it('a photo starts at 0, shows at least 50 ms, and in the bucket is a PNG', () => {
    assert.deepEqual(errorsOf(request([photoSegment({ start_time: 1, end_time: 4 })])), ['segments[0].start_time: must be 0 for a photo (got 1.0): end_time says how long the photo shows']);
    assert.deepEqual(errorsOf(request([photoSegment({ end_time: 0.02, duration: 0.02 })])), ['segments[0].end_time: a photo shows at least 0.05 s (got 0.02 s)']);
    assert.deepEqual(errorsOf(request([photoSegment({ video_url: 's3://b/sources/p.jpg' })])),
      ['segments[0].video_url: a photo in the bucket must be a PNG (got .jpg): give the local file and the app converts it']);
    assert.deepEqual(errorsOf(request([photoSegment({ video_url: 'IMG_1.HEIC' })])), []);
  });

  it('the logo: opacity 0..100 (default 100), width in (0, 100], PNG in the bucket, one of the 20 images', () => {
    const logo = (over: Record<string, unknown> = {}) => ({ url: 's3://b/sources/l.png', position: { x: 90, y: 8 }, width: 20, ...over });
    assert.equal(assertGenerationRequest(request([photoSegment()], { logo: logo() })).request.logo?.opacity, 100);
    assert.deepEqual(errorsOf(request([photoSegment()], { logo: logo({ opacity: -1 }) })), ['logo.opacity: must be at least 0 (got -1)']);
    assert.deepEqual(errorsOf(request([photoSegment()], { logo: logo({ width: 0 }) })), ['logo.width: must be greater than 0 (got 0)']);
    assert.deepEqual(errorsOf(request([photoSegment()], { logo: logo({ position: { x: 120, y: 8 } }) })), ['logo.position.x: must be at most 100 (got 120)']);
    assert.deepEqual(errorsOf(request([photoSegment()], { logo: logo({ url: 's3://b/sources/l.svg' }) })),
      ['logo.url: must be a PNG in the bucket (got .svg): MediaConvert inserts PNG images; give the local file and the app converts it']);
    const overlay = { content: 'x', start_time: 0, end_time: 1, position: { x: 50, y: 50 }, style: { color: '#fff', font_size: 40 } };
    assert.match(errorsOf(request([photoSegment()], { logo: logo(), text_overlays: Array(20).fill(overlay) }))[0], /^text_overlays: allows at most 19 text overlays per video with a logo/);
  });

  it('volume_db is -60..+6 dB', () => {
    assert.deepEqual(errorsOf(request([clipSegment({ volume_db: -61 })])), ['segments[0].volume_db: must be at least -60 (got -61)']);
    assert.deepEqual(errorsOf(request([clipSegment({ volume_db: -12, muted: true })])), []);
  });
});

describe('logoBox: the one placement for preview, exporter and job', () => {
  it('is width percent of the frame wide, as tall as the image says, centred on its position', () => {
    assert.deepEqual(logoBox({ position: { x: 50, y: 50 }, width: 20 }, { width: 400, height: 200 }, { width: 1080, height: 1920 }), { x: 432, y: 906, width: 216, height: 108 });
  });
  it('stays inside the frame', () => {
    assert.deepEqual(logoBox({ position: { x: 100, y: 0 }, width: 20 }, { width: 400, height: 200 }, { width: 1080, height: 1920 }), { x: 864, y: 0, width: 216, height: 108 });
    assert.deepEqual(logoBox({ position: { x: 50, y: 50 }, width: 100 }, { width: 100, height: 400 }, { width: 160, height: 90 }), { x: 69, y: 0, width: 23, height: 90 });
  });
});

describe('remix gains', () => {
  it('stereo at -12 dB maps L->L, R->R at -12; mono and 5.1 add the gain to every used channel', () => {
    assert.deepEqual(stereoRemix(2, -12)?.ChannelMapping?.OutputChannels, [{ InputChannels: [-12, -60] }, { InputChannels: [-60, -12] }]);
    assert.deepEqual(stereoRemix(1, 6)?.ChannelMapping?.OutputChannels, [{ InputChannels: [6] }, { InputChannels: [6] }]);
    assert.deepEqual(stereoRemix(6, -6)?.ChannelMapping?.OutputChannels?.[0], { InputChannels: [-6, -60, -9, -60, -9, -60] });
    assert.deepEqual(stereoRemix(6, 6)?.ChannelMapping?.OutputChannels?.[0], { InputChannels: [6, -60, 3, -60, 3, -60] });
  });
  it('fractions of a dB go in InputChannelsFineTune; no gain on stereo is no remix', () => {
    assert.deepEqual(stereoRemix(2, -3.5)?.ChannelMapping?.OutputChannels, [{ InputChannelsFineTune: [-3.5, -60] }, { InputChannelsFineTune: [-60, -3.5] }]);
    assert.equal(stereoRemix(2, 0), undefined);
  });
});

describe('compileCreateJob: photos, logo, sound', () => {
  const compile = (segments: unknown[], sources: SourceFacts[], extra: Record<string, unknown> = {}, logo?: { x: number; y: number; width: number; height: number; opacity: number }) => {
    const parsed = assertGenerationRequest(request(segments, { output: { width: 1080, height: 1920, fps: 30000 / 1001 }, ...extra }));
    return compileCreateJob({
      parsed, sources, inputUrls: parsed.timeline.map((s) => s.video_url), overlays: [],
      ...(logo && { logo: { url: 's3://b/sources/l.png', ...logo } }),
      destination: 's3://b/out/x/video', roleArn: 'arn:aws:iam::1:role/r', clientRequestToken: 't',
    });
  };

  it('a photo is a VideoGenerator input of the output frame, rate and its length; silent', () => {
    const job = compile([photoSegment({ end_time: 2.5, duration: 2.5 })], [{ fps: 29.97, hasAudio: false, photo: { width: 1080, height: 1920 } }]);
    assert.deepEqual(job.Settings!.Inputs![0], {
      TimecodeSource: 'ZEROBASED',
      VideoGenerator: { ImageInput: 's3://b/sources/p.png', Duration: 2500, Width: 1080, Height: 1920, FramerateNumerator: 30000, FramerateDenominator: 1001, Channels: 2, SampleRate: 48000 },
    });
  });

  it('a photo of another size is a generator of its own size (the output scaling frames it); odd or huge sizes are refused', () => {
    const job = compile([photoSegment()], [{ fps: 30, hasAudio: false, photo: { width: 4032, height: 3024 } }]);
    assert.deepEqual([job.Settings!.Inputs![0].VideoGenerator!.Width, job.Settings!.Inputs![0].VideoGenerator!.Height], [4032, 3024]);
    assert.throws(() => compile([photoSegment()], [{ fps: 30, hasAudio: false, photo: { width: 4033, height: 3024 } }]),
      /^JobCompileError: segments\[0\]\.video_url: the photo is 4033x3024 pixels; a photo in the bucket must have even sides of 32 to 4096 pixels/);
    assert.throws(() => compile([photoSegment()], [{ fps: 30, hasAudio: false, photo: { width: 8064, height: 6048 } }]), /even sides of 32 to 4096/);
  });

  it('muted and -60 dB segments have no audio selector; a gain is a remix; the logo is an image over the whole video', () => {
    const stereo: SourceFacts = { fps: 30, hasAudio: true, audioChannels: 2 };
    const job = compile([clipSegment({ order: 1, muted: true }), clipSegment({ order: 2, volume_db: -60 }), clipSegment({ order: 3, volume_db: -12 })], [stereo, stereo, stereo],
      { logo: { url: 's3://b/sources/l.png', position: { x: 50, y: 50 }, width: 20, opacity: 55.4 } }, { x: 432, y: 906, width: 216, height: 108, opacity: 55.4 });
    const inputs = job.Settings!.Inputs!;
    assert.equal(inputs[0].AudioSelectors, undefined);
    assert.equal(inputs[1].AudioSelectors, undefined);
    assert.deepEqual(inputs[2].AudioSelectors!['Audio Selector 1'].RemixSettings, stereoRemix(2, -12));
    const images = job.Settings!.OutputGroups![0].Outputs![0].VideoDescription!.VideoPreprocessors!.ImageInserter!.InsertableImages!;
    assert.deepEqual(images, [{ ImageInserterInput: 's3://b/sources/l.png', ImageX: 432, ImageY: 906, Width: 216, Height: 108, Layer: 0, Opacity: 55, StartTime: '00:00:00:00', Duration: 3000 }]);
  });

  it('a gain on a clip whose channels are unknown is refused naming volume_db', () => {
    assert.throws(() => compile([clipSegment({ order: 1, volume_db: -6, source: { fps: 30, has_audio: true } })], [{ fps: 30, hasAudio: true }]), /segments\[0\]\.volume_db: cannot be applied/);
  });
});

describe('the local MediaConvert: generated inputs', () => {
  const generator = (over: Record<string, unknown> = {}): WireInput => ({
    timecodeSource: 'ZEROBASED',
    videoGenerator: { imageInput: 's3://bucket/sources/p.png', duration: 1000, width: 1080, height: 1920, framerateNumerator: 30, framerateDenominator: 1, channels: 2, sampleRate: 48000, ...over },
  });
  const problems = (inputs: WireInput[]) => {
    const result = validateJobSettings(wireSettings(inputs, { images: [wireImage({ imageInserterInput: 's3://bucket/sources/logo.png' })] }));
    return result.ok ? [] : result.problems;
  };

  it('accepts the compiler\'s VideoGenerator and logo, refuses what it does not implement', () => {
    assert.deepEqual(problems([generator(), wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')]), []);
    assert.match(problems([{ ...generator(), fileInput: 's3://b/a.mp4' }])[0], /^\/inputs\/0: needs fileInput or videoGenerator \(exactly one/);
    assert.match(problems([generator({ imageInput: 's3://bucket/p.tga' })])[0], /videoGenerator\/imageInput: .* must be an s3:\/\/ URL of a \.png image/);
    assert.match(problems([{ ...generator(), audioSelectors: wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29').audioSelectors }])[0],
      /^\/inputs\/0\/audioSelectors: is not implemented by the local MediaConvert for a videoGenerator input/);
    assert.match(problems([generator({ width: undefined })])[0], /videoGenerator: width and height go together/);
  });

  it('plans the image over black for whole frames of its rate, then the usual rate conversion and fill; silence', () => {
    const settings = wireSettings([generator({ duration: 1500, framerateNumerator: 25 }), wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')], { width: 1080, height: 1920 });
    const plan = planFfmpegRender(settings, [{ generated: true, image: { localPath: '/p.png', width: 1080, height: 1920 } }, { localPath: '/a.mp4', probe: fakeProbe() }], [], '/o.mp4');
    const filter = plan.args[plan.args.indexOf('-filter_complex') + 1];
    assert.deepEqual(plan.args.slice(plan.args.indexOf('-i'), plan.args.indexOf('-i') + 2), ['-i', '/p.png']);
    assert.match(filter, /color=c=black:s=1080x1920:r=25\/1:d=[\d.]+\[bg0\];\[bg0\]\[0:v:0\]overlay=x=0:y=0:eof_action=repeat,trim=end_frame=38,/);
    assert.match(filter, /\[1:v:0\]trim=end_frame=30/, 'the clip after it is ffmpeg input 1');
    assert.match(filter, /anullsrc=channel_layout=stereo:sample_rate=48000,atrim=end_sample=72960,/);
    assert.deepEqual(plan.segments[0], { startSec: 0, endSec: 1.52, sourceStartFrame: 0, frameCount: 38 });
  });

  it('refuses an image that is not exactly the generator\'s frame (AWS does not document the fitting)', () => {
    const settings = wireSettings([generator()]);
    assert.throws(() => planFfmpegRender(settings, [{ generated: true, image: { localPath: '/p.png', width: 4032, height: 3024 } }], [], '/o.mp4'),
      (err: JobError) => err.errorCode === 1040 && /settings\.inputs\[0\]\.videoGenerator\.imageInput: the image is 4032x3024, the generator's frame 1080x1920/.test(err.message));
  });
});

describe('pngSize', () => {
  it('reads the size from the IHDR and refuses what is not a PNG', () => {
    const header = Buffer.from('89504e470d0a1a0a0000000d4948445200000438000007800806000000', 'hex');
    assert.deepEqual(pngSize(header), { width: 1080, height: 1920 });
    assert.throws(() => pngSize(Buffer.from('GIF89a________________________')), /not a PNG image/);
  });
});
