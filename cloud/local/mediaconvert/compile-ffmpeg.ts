// Pure planner: one validated MediaConvert job (docs/job-shape.md) -> ONE ffmpeg command line.
// Timeline math is done here (not left to ffmpeg) so clip lengths and overlay windows are exact.
import { BT709_OUTPUT_ARGS, sdrFilters, type ColourFacts } from '../../../node/media/colour';
import type { MediaProbe } from '../../../node/media/probe';
import { nominalRate, timecodeToFrames, vfrTimecodeRate } from '../../../shared/time';
import { ERROR_CODES, JobError } from './error-codes';
import type { WireInput, WireInsertableImage, WireJobSettings, WireRemixSettings } from './job-settings';

/** A file input: the local copy and its probe. */
export interface PlanFileInput { localPath: string; probe: MediaProbe }
/** A generated input (videoGenerator): its image's local copy and pixel size, if it has one. */
export interface PlanGeneratedInput { generated: true; image?: { localPath: string; width: number; height: number } }
export type PlanInput = PlanFileInput | PlanGeneratedInput;
export interface PlanImage { localPath: string }
export interface FfmpegPlan {
  args: string[];
  expectedDurationSec: number;
  /** Output frames and audio samples the command produces (for tests and progress). */
  expectedFrames: number;
  /** Per input: the output timeline window it occupies, in seconds. */
  segments: { startSec: number; endSec: number; sourceStartFrame: number; frameCount: number }[];
}

export const AUDIO_RATE = 48000;

export interface Rate { num: number; den: number }

export function rateValue(rate: Rate): number {
  return rate.num / rate.den;
}

/** "30000/1001" -> {num, den}. */
export function parseRate(fraction: string): Rate {
  const [n, d = '1'] = fraction.split('/');
  const num = Number(n);
  const den = Number(d);
  if (!(num > 0 && den > 0)) throw new Error(`bad frame rate ${fraction}`);
  return { num, den };
}

/**
 * HH:MM:SS:FF -> frame index with the timecode math the compiler uses (shared/time.ts), refusing
 * with MediaConvert's error codes what that math would not accept.
 */
export function timecodeToFrame(timecode: string, fps: number, path: string): number {
  if (!/^\d{2}:\d{2}:\d{2}:\d{2}$/.test(timecode)) throw new JobError(ERROR_CODES.SETTINGS_ERROR, `${path}: ${JSON.stringify(timecode)} is not a timecode HH:MM:SS:FF`);
  const nominal = nominalRate(fps);
  const ff = Number(timecode.slice(9));
  if (ff >= nominal) {
    throw new JobError(ERROR_CODES.CLIPPING_ERROR, `${path}: frame ${ff} in ${timecode} does not exist at ${round3(fps)} fps (frames 00..${nominal - 1})`);
  }
  return timecodeToFrames(timecode, fps);
}

/** QVBR quality 1..10 -> x264 CRF (10 ~ visually lossless, 7 ~ broadcast, 1 ~ rough). */
export function crfForQvbr(level: number | undefined): number {
  const q = level ?? 7;
  return Math.round(35 - (q - 1) * 1.7);
}

/** A job with one output (its images, its file). */
export function planFfmpegRender(
  settings: WireJobSettings,
  inputs: PlanInput[],
  images: PlanImage[],
  outputPath: string,
): FfmpegPlan {
  if (settings.outputGroups[0].outputs.length !== 1) throw new Error('planFfmpegRender: the job has several outputs; use planFfmpegRenderOutputs');
  return planFfmpegRenderOutputs(settings, inputs, [images], [outputPath]);
}

/**
 * Every output of the job's group in one ffmpeg pass: the inputs are decoded, cut, framed and
 * joined once, then split, each copy getting its output's images and its own encoder and file
 * (validate-settings.ts ensures outputs differ in nothing else).
 */
export function planFfmpegRenderOutputs(
  settings: WireJobSettings,
  inputs: PlanInput[],
  imagesPerOutput: PlanImage[][],
  outputPaths: string[],
): FfmpegPlan {
  const outputs = settings.outputGroups[0].outputs;
  const output = outputs[0];
  const video = output.videoDescription;
  const h264 = video.codecSettings.h264Settings;
  const outRate: Rate = { num: h264.framerateNumerator, den: h264.framerateDenominator };
  const outFps = rateValue(outRate);
  const { width: W, height: H } = video;
  if (inputs.length !== settings.inputs.length) throw new Error('planFfmpegRender: one local file per input is needed');
  if (outputPaths.length !== outputs.length || imagesPerOutput.length !== outputs.length) throw new Error('planFfmpegRender: one file and one image list per output is needed');
  outputs.forEach((out, o) => {
    const insertable = out.videoDescription.videoPreprocessors?.imageInserter?.insertableImages ?? [];
    if (imagesPerOutput[o].length !== insertable.length) throw new Error('planFfmpegRender: one local file per insertable image is needed');
  });

  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  const filters: string[] = [];
  const segments: FfmpegPlan['segments'] = [];
  let timelineSec = 0;

  const corrector = video.videoPreprocessors?.colorCorrector;

  let ffIndex = 0; // ffmpeg input number: generators without an image take none
  settings.inputs.forEach((input, i) => {
    const path = `settings.inputs[${i}]`;
    const planned = inputs[i];
    if ('generated' in planned) {
      const generated = generatedInput(input, planned, path, { ffIndex, outRate, timelineSec, frame: { width: W, height: H } });
      if (input.crop) {
        const generator = input.videoGenerator!;
        checkCrop(input.crop, { width: generator.width ?? GENERATOR_DEFAULT.width, height: generator.height ?? GENERATOR_DEFAULT.height }, path);
        generated.video = generated.video.replace('scale=w=', `${cropFilter(input.crop)},scale=w=`);
      }
      if (planned.image) {
        args.push('-i', planned.image.localPath);
        ffIndex++;
      }
      filters.push(`${generated.video}[v${i}]`, `${generated.audio}[a${i}]`);
      segments.push(generated.segment);
      timelineSec = generated.segment.endSec;
      return;
    }
    const { probe, localPath } = planned;
    const inputNo = ffIndex++;
    const clip = clippedFrames(input, probe, path);
    const { grid, startFrame, frameCount } = clip;
    const clipSec = (frameCount * grid.den) / grid.num;
    // Output frames/samples of this segment come from the rounded cumulative timeline, so the
    // total is within half a frame of the exact sum and segments never drift.
    const outFrames = Math.round((timelineSec + clipSec) * outFps) - Math.round(timelineSec * outFps);
    const samples = Math.round((timelineSec + clipSec) * AUDIO_RATE) - Math.round(timelineSec * AUDIO_RATE);
    segments.push({ startSec: timelineSec, endSec: timelineSec + clipSec, sourceStartFrame: startFrame, frameCount });
    timelineSec += clipSec;

    const startSec = (startFrame * grid.den) / grid.num;
    // Constant rate: seek half a frame before the start frame, so frame `startFrame` is kept and
    // the one before is not, whatever the rounding of the source timestamps. Variable rate: seek
    // up to a second early, so the frame ON SCREEN at the start (which may begin before it) is there.
    const preRollSec = startFrame === 0 ? 0 : clip.vfr ? Math.min(startSec, VFR_PRE_ROLL_SEC) : grid.den / (2 * grid.num);
    if (input.videoSelector?.rotate !== 'AUTO') args.push('-noautorotate');
    if (startFrame > 0) args.push('-ss', seconds(startSec - preRollSec));
    const readSec = clip.vfr ? preRollSec + clipSec + 1 : ((frameCount + 1) * grid.den) / grid.num + preRollSec;
    args.push('-t', seconds(readSec), '-i', localPath);

    // Rate conversion (DUPLICATE_DROP) by time: each output frame shows the source frame on
    // screen at its time, i.e. the last one starting at or before it (round=up assigns each
    // source frame to the first output frame at or after its start; the last one assigned wins).
    const timing = clip.vfr
      ? [
        // Real timestamps: the segment starts at 0, earlier frames go negative; fps picks, for each
        // output frame, the source frame on screen at that time (duplicating or dropping by time).
        // A tenth of a millisecond earlier, so a frame exactly on an output frame's time is not
        // pushed to the next one by timestamp rounding.
        `setpts=PTS-${seconds(preRollSec + 0.0001)}/TB`,
        `fps=fps=${outRate.num}/${outRate.den}:start_time=0:round=up`,
        'tpad=stop_mode=clone:stop=2',
      ]
      : [
        `trim=end_frame=${frameCount}`,
        // One spare copy of the last frame so the rate conversion can fill the final output frames.
        'tpad=stop_mode=clone:stop=2',
        frameNumberPts(grid),
        `fps=fps=${outRate.num}/${outRate.den}:round=up`,
      ];
    const tone = corrector ? sdrFilters(inputColour(input, probe), corrector.hdrToSdrToneMapper) : [];
    // ffmpeg rotates before the filters (unless -noautorotate): the crop is in the picture the filters see.
    const turned = input.videoSelector?.rotate !== 'AUTO' && (probe.rotation === 90 || probe.rotation === 270);
    const picture = turned ? { width: probe.displayHeight, height: probe.displayWidth } : { width: probe.displayWidth, height: probe.displayHeight };
    if (input.crop) checkCrop(input.crop, picture, path);
    filters.push(`[${inputNo}:v:0]` + [
      ...timing,
      `trim=end_frame=${outFrames}`,
      ...(input.crop ? [cropFilter(input.crop)] : []),
      `scale=w=${W}:h=${H}:force_original_aspect_ratio=increase`,
      `crop=${W}:${H}`,
      'setsar=1',
      // HDR to BT.709 SDR after scaling down: tone mapping works per pixel (it ends in yuv420p).
      ...(tone.length ? tone : ['format=yuv420p']),
      frameNumberPts(outRate),
    ].join(',') + `[v${i}]`);

    const selector = Object.values(input.audioSelectors ?? {})[0];
    const stereo = `aformat=sample_fmts=fltp:sample_rates=${AUDIO_RATE}:channel_layouts=stereo`;
    if (selector) {
      const track = selector.tracks[0];
      if (track > probe.audioTrackCount) {
        throw new JobError(ERROR_CODES.SETTINGS_ERROR, `${path}.audioSelectors: track ${track} does not exist in ${basename(input.fileInput!)} (${probe.audioTrackCount} audio track(s))`);
      }
      const remix = selector.remixSettings;
      if (remix && track === 1 && probe.audioChannels !== undefined && remix.channelsIn > probe.audioChannels) {
        throw new JobError(ERROR_CODES.SETTINGS_ERROR, `${path}.audioSelectors.remixSettings.channelsIn: ${remix.channelsIn} channels, but track ${track} of ${basename(input.fileInput!)} has ${probe.audioChannels}`);
      }
      filters.push(`[${inputNo}:a:${track - 1}]` + [
        `atrim=start=${seconds(preRollSec)}`,
        'asetpts=PTS-STARTPTS',
        ...(remix ? [panFilter(remix)] : []),
        `aresample=${AUDIO_RATE}`,
        stereo,
        'apad',
        `atrim=end_sample=${samples}`,
        `asetpts=N/SR/TB`,
      ].join(',') + `[a${i}]`);
    } else {
      filters.push(`anullsrc=channel_layout=stereo:sample_rate=${AUDIO_RATE},atrim=end_sample=${samples},${stereo}[a${i}]`);
    }
  });

  const n = settings.inputs.length;
  const vLabels = settings.inputs.map((_, i) => `[v${i}]`).join('');
  const aLabels = settings.inputs.map((_, i) => `[a${i}]`).join('');
  // concat guesses where a segment ends from its last two frames (a 1-frame segment gets no
  // length), so number the joined frames again: every segment is already at the output rate.
  filters.push(`${vLabels}concat=n=${n}:v=1:a=0,${frameNumberPts(outRate)}[vcat]`);
  filters.push(`${aLabels}concat=n=${n}:v=0:a=1[aout]`);

  const expectedFrames = Math.round(timelineSec * outFps);
  const expectedDurationSec = expectedFrames / outFps;

  // One copy of the joined picture and sound per output.
  const copies = outputs.length;
  const videoOf = (o: number) => (copies > 1 ? `vsplit${o}` : 'vcat');
  const audioOf = (o: number) => (copies > 1 ? `asplit${o}` : 'aout');
  if (copies > 1) {
    filters.push(`[vcat]split=${copies}${outputs.map((_, o) => `[vsplit${o}]`).join('')}`);
    filters.push(`[aout]asplit=${copies}${outputs.map((_, o) => `[asplit${o}]`).join('')}`);
  }
  let nextInput = ffIndex;
  outputs.forEach((out, o) => {
    const insertable = out.videoDescription.videoPreprocessors?.imageInserter?.insertableImages ?? [];
    // Higher layers are drawn later, i.e. on top.
    const order = insertable.map((image, index) => ({ image, index })).sort((a, b) => (a.image.layer ?? 0) - (b.image.layer ?? 0));
    let current = videoOf(o);
    order.forEach(({ image, index }, k) => {
      const inputIndex = nextInput++;
      const window = overlayWindow(image, outFps, expectedDurationSec, index, o);
      const fades = (image.fadeIn ?? 0) > 0 || (image.fadeOut ?? 0) > 0;
      // A fading image needs one frame per output frame; a steady one is a single frame that
      // overlay repeats, which is much cheaper.
      if (fades) args.push('-loop', '1', '-framerate', `${outRate.num}/${outRate.den}`, '-t', seconds(window.endSec + 1 / outFps));
      args.push('-i', imagesPerOutput[o][index].localPath);
      const chain: string[] = [];
      if (image.width !== undefined && image.height !== undefined) chain.push(`scale=${image.width}:${image.height}`);
      chain.push('format=rgba');
      const opacity = image.opacity ?? 50;
      if (opacity < 100) chain.push(`colorchannelmixer=aa=${round3(opacity / 100)}`);
      if (image.fadeIn) chain.push(`fade=t=in:st=${seconds(window.startSec)}:d=${seconds(image.fadeIn / 1000)}:alpha=1`);
      if (image.fadeOut) chain.push(`fade=t=out:st=${seconds(window.fadeOutSec)}:d=${seconds(image.fadeOut / 1000)}:alpha=1`);
      const label = copies > 1 ? `${o}_${k}` : `${k}`;
      filters.push(`[${inputIndex}:v:0]${chain.join(',')}[img${label}]`);
      // Half a frame of tolerance so a frame exactly on a boundary is decided by the rule, not by float noise.
      const half = 0.5 / outFps;
      const next = `ov${label}`;
      filters.push(`[${current}][img${label}]overlay=x=${image.imageX ?? 0}:y=${image.imageY ?? 0}:eof_action=repeat:` +
        `enable='gte(t,${seconds(window.startSec - half)})*lt(t,${seconds(window.endSec - half)})'[${next}]`);
      current = next;
    });
    filters.push(`[${current}]null[vout${copies > 1 ? o : ''}]`);
  });

  const gopFrames = gopSizeFrames(h264.gopSize, h264.gopSizeUnits, outFps);
  const audio = output.audioDescriptions[0].codecSettings.aacSettings;
  args.push('-filter_complex', filters.join(';'), '-progress', 'pipe:1', '-nostats');
  outputs.forEach((_, o) => {
    args.push(
      '-map', `[vout${copies > 1 ? o : ''}]`, '-map', `[${audioOf(o)}]`,
      '-map_metadata', '-1',
      '-c:v', 'libx264', '-preset', 'veryfast',
      '-crf', String(crfForQvbr(h264.qvbrSettings?.qvbrQualityLevel)),
      '-maxrate', String(h264.maxBitrate), '-bufsize', String(h264.maxBitrate * 2),
      '-profile:v', (h264.codecProfile ?? 'HIGH').toLowerCase(),
      '-g', String(gopFrames), '-keyint_min', String(Math.min(gopFrames, Math.max(1, Math.round(outFps)))),
      '-sc_threshold', h264.sceneChangeDetect === 'DISABLED' ? '0' : '40',
      '-pix_fmt', 'yuv420p',
      ...(corrector ? BT709_OUTPUT_ARGS : []),
      '-r', `${outRate.num}/${outRate.den}`,
      '-c:a', 'aac', '-b:a', String(audio.bitrate), '-ar', String(audio.sampleRate), '-ac', '2',
      '-movflags', '+faststart',
      '-f', 'mp4',
      outputPaths[o],
    );
  });
  return { args, expectedDurationSec, expectedFrames, segments };
}

/** MediaConvert's video generator defaults: 540x360 at 29.97 fps (the API reference). */
const GENERATOR_DEFAULT = { width: 540, height: 360, rate: { num: 30000, den: 1001 } };

/**
 * A videoGenerator input: `duration` ms of black frames at its rate (rounded to whole frames),
 * its PNG drawn over them at the top-left, then the same rate conversion and FILL scaling as a
 * file input; silence for the sound. The image must be exactly the generator's frame: AWS does
 * not document how another size is fitted, so the local MediaConvert refuses to guess.
 */
export function generatedInput(
  input: WireInput,
  planned: PlanGeneratedInput,
  path: string,
  at: { ffIndex: number; outRate: Rate; timelineSec: number; frame: { width: number; height: number } },
): { video: string; audio: string; segment: FfmpegPlan['segments'][number] } {
  const { ffIndex, outRate, timelineSec, frame } = at;
  const generator = input.videoGenerator!;
  const width = generator.width ?? GENERATOR_DEFAULT.width;
  const height = generator.height ?? GENERATOR_DEFAULT.height;
  const rate: Rate = generator.framerateNumerator && generator.framerateDenominator
    ? { num: generator.framerateNumerator, den: generator.framerateDenominator } : GENERATOR_DEFAULT.rate;
  const image = planned.image;
  if (image && (image.width !== width || image.height !== height)) {
    throw new JobError(ERROR_CODES.SETTINGS_ERROR, `${path}.videoGenerator.imageInput: the image is ${image.width}x${image.height}, the generator's frame ${width}x${height}; the local MediaConvert implements only images of exactly the generator's frame (AWS does not document how another size is fitted)`);
  }
  const frameCount = Math.max(1, Math.round((generator.duration * rate.num) / (1000 * rate.den)));
  const clipSec = (frameCount * rate.den) / rate.num;
  const outFps = rateValue(outRate);
  const outFrames = Math.round((timelineSec + clipSec) * outFps) - Math.round(timelineSec * outFps);
  const samples = Math.round((timelineSec + clipSec) * AUDIO_RATE) - Math.round(timelineSec * AUDIO_RATE);
  const background = `color=c=black:s=${width}x${height}:r=${rate.num}/${rate.den}:d=${seconds(clipSec + 1)}`;
  const picture = image ? `${background}[bg${ffIndex}];[bg${ffIndex}][${ffIndex}:v:0]overlay=x=0:y=0:eof_action=repeat` : background;
  return {
    segment: { startSec: timelineSec, endSec: timelineSec + clipSec, sourceStartFrame: 0, frameCount },
    video: picture + ',' + [
        `trim=end_frame=${frameCount}`,
        'tpad=stop_mode=clone:stop=2',
        frameNumberPts(rate),
        `fps=fps=${outRate.num}/${outRate.den}:round=up`,
        `trim=end_frame=${outFrames}`,
        `scale=w=${frame.width}:h=${frame.height}:force_original_aspect_ratio=increase`,
        `crop=${frame.width}:${frame.height}`,
        'setsar=1',
        'format=yuv420p',
        frameNumberPts(outRate),
      ].join(','),
    audio: `anullsrc=channel_layout=stereo:sample_rate=${AUDIO_RATE},atrim=end_sample=${samples},aformat=sample_fmts=fltp:sample_rates=${AUDIO_RATE}:channel_layouts=stereo`,
  };
}

function cropFilter(crop: NonNullable<WireInput['crop']>): string {
  return `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y}`;
}

/** A crop rectangle must lie inside the picture it cuts. */
function checkCrop(crop: NonNullable<WireInput['crop']>, picture: { width: number; height: number }, path: string): void {
  if (crop.x + crop.width > picture.width || crop.y + crop.height > picture.height) {
    throw new JobError(ERROR_CODES.SETTINGS_ERROR, `${path}.crop: the rectangle ${crop.width}x${crop.height} at ${crop.x},${crop.y} is outside the ${picture.width}x${picture.height} picture`);
  }
}

/** Seconds read before a variable-rate segment's start: longer than any frame a phone holds. */
const VFR_PRE_ROLL_SEC = 1;

interface ClippedFrames {
  /** The frame grid the timecodes count on: the stream's rate, or the VFR grid. */
  grid: Rate;
  vfr: boolean;
  startFrame: number;
  frameCount: number;
}

/**
 * An input's clipping as frames of its grid. A constant-rate input counts its own frames; a
 * variable-rate one counts frames of the constant rate MediaConvert conforms it to
 * (vfrTimecodeRate, see docs/job-shape.md). SPECIFIEDSTART shifts the timeline by TimecodeStart.
 */
export function clippedFrames(input: WireInput, probe: MediaProbe, path: string): ClippedFrames {
  const vfr = probe.variableFrameRate;
  const grid: Rate = vfr ? { num: vfrTimecodeRate(probe.fps), den: 1 } : parseRate(probe.fpsFraction);
  const fps = rateValue(grid);
  const sourceFrames = Math.round(probe.durationSec * fps);
  const offset = input.timecodeSource === 'SPECIFIEDSTART' && input.timecodeStart
    ? timecodeToFrame(input.timecodeStart, fps, `${path}.timecodeStart`) : 0;
  const clipping = input.inputClippings?.[0];
  const at = (which: 'startTimecode' | 'endTimecode') => {
    const frame = timecodeToFrame(clipping![which]!, fps, `${path}.inputClippings[0].${which}`) - offset;
    if (frame < 0) {
      throw new JobError(ERROR_CODES.CLIPPING_ERROR, `${path}.inputClippings[0].${which}: ${clipping![which]} is before the first frame (timecodeStart ${input.timecodeStart})`);
    }
    return frame;
  };
  const startFrame = clipping?.startTimecode ? at('startTimecode') : 0;
  const endFrame = clipping?.endTimecode ? at('endTimecode') : sourceFrames - 1;
  if (endFrame < startFrame) {
    throw new JobError(ERROR_CODES.CLIPPING_ERROR, `${path}.inputClippings[0]: end ${clipping?.endTimecode} is before start ${clipping?.startTimecode}`);
  }
  if (endFrame >= sourceFrames) {
    throw new JobError(ERROR_CODES.CLIPPING_ERROR, `${path}.inputClippings[0].endTimecode: ${clipping?.endTimecode} (frame ${endFrame}) is past the end of ${basename(input.fileInput!)} (${round3(probe.durationSec)} s, ${sourceFrames} frames at ${round3(fps)} fps${vfr ? ', variable rate' : ''})`);
  }
  return { grid, vfr, startFrame, frameCount: endFrame - startFrame + 1 };
}

const JOB_COLOUR: Record<string, ColourFacts['dynamicRange']> = { HLG_2020: 'hlg', HDR10: 'pq', REC_709: 'sdr' };

/** The input's colour as MediaConvert would take it: the file's, or the job's ColorSpace (FORCE, or FALLBACK when the file says nothing). */
export function inputColour(input: WireInput, probe: MediaProbe): Pick<ColourFacts, 'dynamicRange' | 'range'> {
  const stated = input.videoSelector?.colorSpace;
  const fromJob = stated ? JOB_COLOUR[stated] : undefined;
  const fileKnows = probe.colour.transfer !== 'unknown';
  const useJob = fromJob !== undefined && (input.videoSelector?.colorSpaceUsage === 'FORCE' || !fileKnows);
  return { dynamicRange: useJob ? fromJob : probe.colour.dynamicRange, range: probe.colour.range };
}

/** RemixSettings as ffmpeg's pan: output channel k = sum of input channels j at their gain (dB; -60 = mute). */
export function panFilter(remix: WireRemixSettings): string {
  const outputs = remix.channelMapping.outputChannels.map((out, k) => {
    const terms = (out.inputChannels ?? out.inputChannelsFineTune ?? [])
      .map((db, j) => (db <= -60 ? undefined : `${round3(10 ** (db / 20))}*c${j}`))
      .filter((term): term is string => term !== undefined);
    return `c${k}=${terms.length ? terms.join('+') : '0*c0'}`;
  });
  return `pan=stereo|${outputs.join('|')}`;
}

/**
 * Output-timeline window [start, end) of an insertable image, clamped to the render, and when its
 * fade-out begins. AWS: "This duration includes fade-in time but not fade-out time": the image
 * fades out over FadeOut ms after Duration ends. Without Duration it stays to the end, fading
 * out over the last FadeOut ms.
 */
export function overlayWindow(image: WireInsertableImage, outFps: number, renderSec: number, index: number, output = 0): { startSec: number; endSec: number; fadeOutSec: number } {
  const startSec = image.startTime
    ? timecodeToFrame(image.startTime, outFps, `settings.outputGroups[0].outputs[${output}].videoDescription.videoPreprocessors.imageInserter.insertableImages[${index}].startTime`) / outFps
    : 0;
  const fadeOut = (image.fadeOut ?? 0) / 1000;
  if (image.duration === undefined) return { startSec, endSec: renderSec, fadeOutSec: renderSec - fadeOut };
  const fadeOutSec = startSec + image.duration / 1000;
  return { startSec, endSec: Math.min(fadeOutSec + fadeOut, renderSec), fadeOutSec };
}

/**
 * Timestamps = frame number in a time base of one frame. Exact, unlike `setpts=N*den/num/TB`,
 * which this ffmpeg evaluates in floating point and truncates (frame 3 at 30000/1001 gets pts 2),
 * moving overlay windows and the cuts by a frame.
 */
function frameNumberPts(rate: Rate): string {
  return `settb=expr=${rate.den}/${rate.num},setpts=N`;
}

function gopSizeFrames(size: number | undefined, units: string | undefined, fps: number): number {
  if (size === undefined) return Math.max(1, Math.round(2 * fps));
  return Math.max(1, Math.round(units === 'FRAMES' ? size : size * fps));
}

function seconds(value: number): string {
  return Math.max(0, value).toFixed(6);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function basename(url: string): string {
  return url.split('/').pop() ?? url;
}
