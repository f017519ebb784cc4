import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crfForQvbr, planFfmpegRender, timecodeToFrame } from '../../cloud/local/mediaconvert/compile-ffmpeg';
import { JobError } from '../../cloud/local/mediaconvert/error-codes';
import { fakeProbe, wireImage, wireInput, wireSettings } from '../fixtures/mc-job';

const filterOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1];
const inputArgs = (args: string[]) => args.slice(0, args.indexOf('-filter_complex'));

describe('timecodeToFrame', () => {
  it('counts frames at the nominal integer rate', () => {
    assert.equal(timecodeToFrame('00:00:02:29', 30, 'p'), 89);
    assert.equal(timecodeToFrame('00:00:01:00', 30000 / 1001, 'p'), 30);
    assert.equal(timecodeToFrame('00:00:01:30', 60, 'p'), 90);
    assert.equal(timecodeToFrame('00:01:00:00', 25, 'p'), 1500);
    assert.equal(timecodeToFrame('01:00:00:01', 24, 'p'), 86401);
  });
  it('refuses a frame number the rate does not have, naming the path', () => {
    assert.throws(() => timecodeToFrame('00:00:00:25', 25, 'settings.inputs[1].inputClippings[0].endTimecode'),
      (err: JobError) => err.errorCode === 1060 && /^settings\.inputs\[1\]\.inputClippings\[0\]\.endTimecode: frame 25/.test(err.message));
  });
});

describe('planFfmpegRender', () => {
  it('seeks half a frame before the start frame and keeps exactly end-start+1 frames (29.97 source)', () => {
    const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:01:00', '00:00:02:29')]);
    const plan = planFfmpegRender(settings, [{ localPath: '/a.mp4', probe: fakeProbe({ fps: 30000 / 1001, fpsFraction: '30000/1001' }) }], [], '/out.mp4');
    const inputs = inputArgs(plan.args);
    // frame 30 at 30000/1001 fps = 1.001 s; minus half a frame (0.016683 s)
    assert.equal(inputs[inputs.indexOf('-ss') + 1], '0.984317');
    assert.match(filterOf(plan.args), /\[0:v:0\]trim=end_frame=60,/);
    assert.match(filterOf(plan.args), /settb=expr=1001\/30000,setpts=N,fps=fps=30\/1:round=up,trim=end_frame=60,/);
    assert.deepEqual(plan.segments, [{ startSec: 0, endSec: 2.002, sourceStartFrame: 30, frameCount: 60 }]);
    assert.equal(plan.expectedFrames, 60);
    assert.equal(plan.args.at(-1), '/out.mp4');
  });

  it('does not seek a clip that starts at frame 0 and stops reading right after the clip', () => {
    const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:24')]);
    const plan = planFfmpegRender(settings, [{ localPath: '/a.mp4', probe: fakeProbe({ fps: 25, fpsFraction: '25/1' }) }], [], '/o.mp4');
    assert.equal(inputArgs(plan.args).includes('-ss'), false);
    assert.deepEqual(inputArgs(plan.args).slice(-4), ['-t', '1.040000', '-i', '/a.mp4']);
  });

  it('rounds segment lengths on the cumulative timeline so the total stays within half a frame', () => {
    const clip = () => wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:01:11'); // 37 frames at 25 fps = 1.48 s
    const probe = fakeProbe({ fps: 25, fpsFraction: '25/1' });
    const plan = planFfmpegRender(wireSettings([clip(), clip(), clip()]), [0, 1, 2].map(() => ({ localPath: '/a.mp4', probe })), [], '/o.mp4');
    const outFrames = [...filterOf(plan.args).matchAll(/fps=fps=30\/1:round=up,trim=end_frame=(\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(outFrames, [44, 45, 44]);
    assert.equal(plan.expectedFrames, 133); // 4.44 s * 30
    const samples = [...filterOf(plan.args).matchAll(/atrim=end_sample=(\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(samples, [71040, 71040, 71040]);
  });

  it('uses the selected track for audio and exact-length silence without a selector', () => {
    const settings = wireSettings([
      wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29', true),
      wireInput('s3://b/b.mp4', '00:00:00:00', '00:00:00:14', false),
    ]);
    const plan = planFfmpegRender(settings, [
      { localPath: '/a.mp4', probe: fakeProbe() },
      { localPath: '/b.mp4', probe: fakeProbe({ hasAudio: false, audioTrackCount: 0, audioCodec: undefined }) },
    ], [], '/o.mp4');
    const filter = filterOf(plan.args);
    assert.match(filter, /\[0:a:0\]atrim=start=0\.000000,asetpts=PTS-STARTPTS,aresample=48000,.*apad,atrim=end_sample=48000,asetpts=N\/SR\/TB\[a0\]/);
    assert.match(filter, /anullsrc=channel_layout=stereo:sample_rate=48000,atrim=end_sample=24000,[^;]*\[a1\]/);
    assert.equal(filter.includes('[1:a'), false);
    assert.match(filter, /\[v0\]\[v1\]concat=n=2:v=1:a=0,settb=expr=1\/30,setpts=N\[vcat\];\[a0\]\[a1\]concat=n=2:v=0:a=1\[aout\]/);
    const i = plan.args.indexOf('-c:a');
    assert.deepEqual(plan.args.slice(i, i + 8), ['-c:a', 'aac', '-b:a', '128000', '-ar', '48000', '-ac', '2']);
  });

  it('refuses a selected audio track the source does not have, and a clipping past the end', () => {
    const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29', true)]);
    assert.throws(() => planFfmpegRender(settings, [{ localPath: '/a.mp4', probe: fakeProbe({ hasAudio: false, audioTrackCount: 0 }) }], [], '/o.mp4'),
      (err: JobError) => err.errorCode === 1040 && /settings\.inputs\[0\]\.audioSelectors: track 1 does not exist/.test(err.message));
    const late = wireSettings([wireInput('s3://b/a.mp4', '00:00:09:00', '00:00:10:00', true)]);
    assert.throws(() => planFfmpegRender(late, [{ localPath: '/a.mp4', probe: fakeProbe({ durationSec: 10 }) }], [], '/o.mp4'),
      (err: JobError) => err.errorCode === 1060 && /endTimecode: 00:00:10:00 \(frame 300\) is past the end of a\.mp4 \(10 s, 300 frames/.test(err.message));
  });

  it('applies rotation only with Rotate AUTO', () => {
    const auto = wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29');
    const none = { ...wireInput('s3://b/b.mp4', '00:00:00:00', '00:00:00:29'), videoSelector: undefined };
    const plan = planFfmpegRender(wireSettings([auto, none]), [{ localPath: '/a.mp4', probe: fakeProbe() }, { localPath: '/b.mp4', probe: fakeProbe() }], [], '/o.mp4');
    const inputs = inputArgs(plan.args);
    assert.equal(inputs.filter((a) => a === '-noautorotate').length, 1);
    assert.ok(inputs.indexOf('-noautorotate') > inputs.indexOf('/a.mp4'));
    assert.match(filterOf(plan.args), /scale=w=1080:h=1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,format=yuv420p/);
  });

  it('draws images by layer, in their output window, with opacity and fades (Duration excludes the fade-out)', () => {
    const images = [
      wireImage({ imageInserterInput: 's3://b/top.png', layer: 5, opacity: undefined, imageX: 10, imageY: 20 }),
      wireImage({ imageInserterInput: 's3://b/bottom.png', layer: 1, startTime: '00:00:01:15', duration: 1500, fadeIn: 500, fadeOut: 250 }),
    ];
    const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:09:29')], { images });
    const plan = planFfmpegRender(settings, [{ localPath: '/a.mp4', probe: fakeProbe() }], [{ localPath: '/top.png' }, { localPath: '/bottom.png' }], '/o.mp4');
    const inputs = inputArgs(plan.args);
    // 1.5 s + Duration 1.5 s: full until 3.0 s, then fades out over 0.25 s (AWS: Duration includes
    // the fade-in but not the fade-out). Layer 1 is input 1 (drawn first), layer 5 is input 2 (on top); the fading one loops at the output rate.
    assert.deepEqual(inputs.slice(inputs.indexOf('/a.mp4') + 1), ['-loop', '1', '-framerate', '30/1', '-t', '3.283333', '-i', '/bottom.png', '-i', '/top.png']);
    const filter = filterOf(plan.args);
    assert.match(filter, /\[1:v:0\]scale=840:160,format=rgba,fade=t=in:st=1\.500000:d=0\.500000:alpha=1,fade=t=out:st=3\.000000:d=0\.250000:alpha=1\[img0\]/);
    assert.match(filter, /\[vcat\]\[img0\]overlay=x=120:y=1400:eof_action=repeat:enable='gte\(t,1\.483333\)\*lt\(t,3\.233333\)'\[ov0\]/);
    // Opacity defaults to 50 like MediaConvert.
    assert.match(filter, /\[2:v:0\]scale=840:160,format=rgba,colorchannelmixer=aa=0\.5\[img1\]/);
    assert.match(filter, /\[ov0\]\[img1\]overlay=x=10:y=20:eof_action=repeat:enable='gte\(t,1\.983333\)\*lt\(t,7\.983333\)'\[ov1\];\[ov1\]null\[vout\]/);
  });

  it('maps the H.264 settings to the encoder', () => {
    const plan = planFfmpegRender(wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')], { fps: [30000, 1001] }),
      [{ localPath: '/a.mp4', probe: fakeProbe() }], [], '/o.mp4');
    const arg = (name: string) => plan.args[plan.args.indexOf(name) + 1];
    assert.equal(arg('-c:v'), 'libx264');
    assert.equal(arg('-crf'), String(crfForQvbr(8)));
    assert.equal(arg('-maxrate'), '12000000');
    assert.equal(arg('-g'), '60');
    assert.equal(arg('-r'), '30000/1001');
    assert.equal(arg('-profile:v'), 'high');
    assert.equal(arg('-movflags'), '+faststart');
    assert.equal(arg('-progress'), 'pipe:1');
    assert.ok(crfForQvbr(10) < crfForQvbr(8) && crfForQvbr(8) < crfForQvbr(1));
  });

  it('mixes by RemixSettings (gains in dB, -60 mute) and refuses more channels than the track has', () => {
    const input = wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29');
    input.audioSelectors!['Audio Selector 1'].remixSettings = {
      channelsIn: 6, channelsOut: 2,
      channelMapping: { outputChannels: [{ inputChannels: [0, -60, -3, -60, -3, -60] }, { inputChannels: [-60, 0, -3, -60, -60, -3] }] },
    };
    const plan = planFfmpegRender(wireSettings([input]), [{ localPath: '/a.mp4', probe: fakeProbe({ audioChannels: 6 }) }], [], '/o.mp4');
    assert.match(filterOf(plan.args), /asetpts=PTS-STARTPTS,pan=stereo\|c0=1\*c0\+0\.708\*c2\+0\.708\*c4\|c1=1\*c1\+0\.708\*c2\+0\.708\*c5,aresample=48000/);
    assert.throws(() => planFfmpegRender(wireSettings([input]), [{ localPath: '/a.mp4', probe: fakeProbe({ audioChannels: 2 }) }], [], '/o.mp4'),
      (err: JobError) => err.errorCode === 1040 && /remixSettings\.channelsIn: 6 channels, but track 1 of a\.mp4 has 2/.test(err.message));
  });

  it('tone-maps HDR inputs to BT.709 after scaling when the output converts to 709, and only then', () => {
    const hlg = fakeProbe({ colour: { primaries: 'bt2020', transfer: 'arib-std-b67', matrix: 'bt2020nc', range: 'tv', bitDepth: 10, dynamicRange: 'hlg' } });
    const settings = wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29'), wireInput('s3://b/b.mp4', '00:00:00:00', '00:00:00:29')]);
    settings.outputGroups[0].outputs[0].videoDescription.videoPreprocessors = { colorCorrector: { colorSpaceConversion: 'FORCE_709', hdrToSdrToneMapper: 'VIBRANT' } };
    const plan = planFfmpegRender(settings, [{ localPath: '/a.mp4', probe: hlg }, { localPath: '/b.mp4', probe: fakeProbe() }], [], '/o.mp4');
    const [v0, v1] = filterOf(plan.args).split(';');
    assert.match(v0, /crop=1080:1920,setsar=1,zscale=tin=arib-std-b67:pin=bt2020:min=bt2020nc:rin=tv:t=linear:p=bt709:npl=203,format=gbrpf32le,tonemap=tonemap=mobius:param=0\.6:/,
      'HLG always gets PRESERVE_DETAILS');
    assert.doesNotMatch(v1, /zscale|tonemap/, 'the SDR input is left as it is');
    assert.equal(plan.args[plan.args.indexOf('-color_primaries') + 1], 'bt709');
    const untreated = planFfmpegRender(wireSettings([wireInput('s3://b/a.mp4', '00:00:00:00', '00:00:00:29')]), [{ localPath: '/a.mp4', probe: hlg }], [], '/o.mp4');
    assert.doesNotMatch(filterOf(untreated.args), /tonemap/, 'no ColorCorrector: MediaConvert follows the source');
  });

  it('a SPECIFIEDSTART timeline shifts the clipping; a variable-rate input is cut by time on its grid', () => {
    const shifted = { ...wireInput('s3://b/a.mp4', '00:00:02:00', '00:00:03:05', false), timecodeSource: 'SPECIFIEDSTART' as const, timecodeStart: '00:00:00:12' };
    const plan = planFfmpegRender(wireSettings([shifted]), [{ localPath: '/a.mp4', probe: fakeProbe({ fps: 120, fpsFraction: '120/1', hasAudio: false, audioTrackCount: 0 }) }], [], '/o.mp4');
    assert.deepEqual(plan.segments[0], { startSec: 0, endSec: 1.05, sourceStartFrame: 228, frameCount: 126 });
    const vfr = fakeProbe({ fps: 3150 / 149, fpsFraction: '3150/149', variableFrameRate: true, durationSec: 4.966667 });
    const cut = planFfmpegRender(wireSettings([wireInput('s3://b/v.mp4', '00:00:02:12', '00:00:03:23')]), [{ localPath: '/v.mp4', probe: vfr }], [], '/o.mp4');
    assert.deepEqual(cut.segments[0], { startSec: 0, endSec: 1.5, sourceStartFrame: 60, frameCount: 36 }, '24 fps grid: 2.5 s .. 4 s');
    const inputs = inputArgs(cut.args);
    assert.equal(inputs[inputs.indexOf('-ss') + 1], '1.500000', 'a second of pre-roll for the frame on screen at 2.5 s');
    assert.match(filterOf(cut.args), /\[0:v:0\]setpts=PTS-1\.000100\/TB,fps=fps=30\/1:start_time=0:round=up,/);
    assert.match(filterOf(cut.args), /\[0:a:0\]atrim=start=1\.000000,/);
  });
});

