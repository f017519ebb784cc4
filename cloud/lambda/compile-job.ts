/**
 * The generation request -> MediaConvert CreateJob request, as a pure function.
 * docs/job-shape.md describes the shape; the local renderer implements exactly it.
 */
import type { AudioSelector, ColorCorrector, CreateJobCommandInput, InsertableImage, Input, Output, OutputGroup, Rectangle, VideoSelector } from '@aws-sdk/client-mediaconvert';
import type { OutputSettings } from '../../shared/output-settings';
import { frameSizeErrors, MAX_FPS_WITH_OVERLAYS, MAX_PHOTO_SIDE, type ParsedRequest, type TimelineSegment } from '../../shared/request';
import { focusCrop, type Size } from '../../shared/framing';
import { segmentFor } from '../../shared/variants';
import { formatSeconds, frameIndex, inputClip, jobTimecode, MAX_TIMECODE_START_FF, nominalRate, vfrTimecodeRate } from '../../shared/time';
import { MUTE_DB, stereoRemix } from './audio-remix';

export const AUDIO_SELECTOR = 'Audio Selector 1';
export const MAX_INPUTS = 150;
export const MAX_IMAGES = 20;

/** What the compiler needs to know about a segment's source. */
export interface SourceFacts {
  /** Frame rate (the average one when `vfr`). */
  fps: number;
  hasAudio: boolean;
  /** Seconds of video, when known: the clipping never asks for a frame past the last one. */
  duration?: number;
  /** Variable frame rate: clipped on MediaConvert's VFR grid (vfrTimecodeRate). */
  vfr?: boolean;
  /** HDR transfer (HLG, PQ): converted to SDR BT.709. Absent = SDR. */
  dynamicRange?: 'sdr' | 'hlg' | 'pq';
  /** Channels of the audio track, when known: mono and 5.1 get an explicit stereo remix. */
  audioChannels?: number;
  /**
   * A photo (the segment's `video_url` is a PNG): its pixel size. It becomes a VideoGenerator
   * input and must be exactly the output frame (the app fits photos before upload).
   */
  photo?: { width: number; height: number };
  /** The picture as shown (upright pixels), when known: needed to frame a segment's focus. */
  picture?: Size;
}

/** The frame grid an input's clipping timecodes count on. */
export function timecodeRate(source: Pick<SourceFacts, 'fps' | 'vfr'>): number {
  return source.vfr ? vfrTimecodeRate(source.fps) : source.fps;
}

/**
 * HDR inputs: their colour space, forced from what we probed (a Dolby Vision 8.4 clip is read by
 * its HLG base layer). SDR inputs keep MediaConvert's default (Follow the file's metadata).
 */
const INPUT_COLOUR: Record<'hlg' | 'pq', Pick<VideoSelector, 'ColorSpace' | 'ColorSpaceUsage'>> = {
  hlg: { ColorSpace: 'HLG_2020', ColorSpaceUsage: 'FORCE' },
  pq: { ColorSpace: 'HDR10', ColorSpaceUsage: 'FORCE' },
};

/**
 * The output's colour corrector when any input is HDR: convert to BT.709 SDR with tone mapping.
 * VIBRANT is AWS's advice when a source is HDR10 (PQ); HLG sources always get PRESERVE_DETAILS.
 */
export function sdrColorCorrector(sources: readonly Pick<SourceFacts, 'dynamicRange'>[]): ColorCorrector | undefined {
  const ranges = new Set(sources.map((s) => s.dynamicRange ?? 'sdr'));
  if (!ranges.has('hlg') && !ranges.has('pq')) return undefined;
  return { ColorSpaceConversion: 'FORCE_709', HdrToSdrToneMapper: ranges.has('pq') ? 'VIBRANT' : 'PRESERVE_DETAILS' };
}

/** A rendered overlay image and where it goes, in output pixels. */
export interface PlacedOverlay {
  url: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The logo as placed by `logoBox` (output pixels), with its opacity in percent. */
export interface PlacedLogo extends PlacedOverlay {
  opacity: number;
}

/** One file of the job: its name suffix and its own overlay images (a language's captions). */
export interface CompiledOutput {
  /** Appended to the destination's file name (`-9x16-fr`); '' for a single video. */
  nameModifier: string;
  /** One per `parsed.request.text_overlays` entry: same times, this output's images. */
  overlays: PlacedOverlay[];
}

export interface CompileJobInput {
  parsed: ParsedRequest;
  /** One per `parsed.timeline` entry (play order). */
  sources: SourceFacts[];
  /** `s3://` URL of each timeline entry's source (play order). */
  inputUrls: string[];
  /** One per `parsed.request.text_overlays` entry (a single output; see `outputs`). */
  overlays: PlacedOverlay[];
  /** Several outputs from the same inputs (one per language), each with its own overlays; replaces `overlays`. */
  outputs?: CompiledOutput[];
  /** The request's logo, placed; drawn over the whole video above the text overlays. */
  logo?: PlacedLogo;
  /** `s3://bucket/prefix/name` without extension: MediaConvert appends `.mp4`. */
  destination: string;
  roleArn: string;
  clientRequestToken: string;
  userMetadata?: Record<string, string>;
  /** QVBR quality 1..10 (default 8). */
  quality?: number;
}

export class JobCompileError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'JobCompileError';
  }
}

/** Peak bitrate for QVBR, roughly 0.2 bit per pixel per frame, within H.264 sane bounds. */
export function maxBitrateFor(width: number, height: number, fps: number): number {
  const bits = width * height * fps * 0.2;
  return Math.min(40_000_000, Math.max(1_000_000, Math.round(bits / 100_000) * 100_000));
}

/** Output frame rate as a fraction: 29.97 -> 30000/1001, 30 -> 30/1. */
export function frameRateFraction(fps: number): { numerator: number; denominator: number } {
  if (Number.isInteger(fps)) return { numerator: fps, denominator: 1 };
  const ntsc = Math.round(fps * 1.001);
  if (Math.abs(ntsc / 1.001 - fps) < 0.005) return { numerator: ntsc * 1000, denominator: 1001 };
  return { numerator: Math.round(fps * 1000), denominator: 1000 };
}

/**
 * The one file output group: H.264 + AAC in MP4 at the output frame, overlays as output-level
 * images. Several outputs (languages) share every setting but their images and name suffix:
 * MediaConvert decodes the inputs once and encodes each output.
 */
export function compileOutputGroup(
  output: OutputSettings,
  files: { nameModifier: string; images: InsertableImage[] }[],
  destination: string,
  quality = 8,
  colorCorrector?: ColorCorrector,
): OutputGroup {
  return {
    Name: 'File Group',
    OutputGroupSettings: {
      Type: 'FILE_GROUP_SETTINGS',
      FileGroupSettings: { Destination: destination },
    },
    Outputs: files.map((file) => compileOutput(output, file, quality, colorCorrector)),
  };
}

function compileOutput(output: OutputSettings, file: { nameModifier: string; images: InsertableImage[] }, quality: number, colorCorrector?: ColorCorrector): Output {
  const rate = frameRateFraction(output.fps);
  const { images } = file;
  const preprocessors = {
    ...(colorCorrector && { ColorCorrector: structuredClone(colorCorrector) }),
    ...(images.length > 0 && { ImageInserter: { InsertableImages: images } }),
  };
  return {
    ...(file.nameModifier && { NameModifier: file.nameModifier }),
    ContainerSettings: { Container: 'MP4', Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' } },
    VideoDescription: {
      Width: output.width,
      Height: output.height,
      ScalingBehavior: 'FILL',
      AntiAlias: 'ENABLED',
      ...(Object.keys(preprocessors).length > 0 && { VideoPreprocessors: preprocessors }),
      CodecSettings: {
        Codec: 'H_264',
        H264Settings: {
          RateControlMode: 'QVBR',
          QvbrSettings: { QvbrQualityLevel: quality },
          MaxBitrate: maxBitrateFor(output.width, output.height, output.fps),
          FramerateControl: 'SPECIFIED',
          FramerateNumerator: rate.numerator,
          FramerateDenominator: rate.denominator,
          FramerateConversionAlgorithm: 'DUPLICATE_DROP',
          GopSize: 2,
          GopSizeUnits: 'SECONDS',
          CodecProfile: 'HIGH',
          CodecLevel: 'AUTO',
          SceneChangeDetect: 'TRANSITION_DETECTION',
        },
      },
    },
    AudioDescriptions: [
      {
        AudioSourceName: AUDIO_SELECTOR,
        CodecSettings: {
          Codec: 'AAC',
          AacSettings: { Bitrate: 128000, CodingMode: 'CODING_MODE_2_0', SampleRate: 48000 },
        },
      },
    ],
  };
}

/**
 * Segments MediaConvert will show shorter than asked (cuts of 240 fps clips whose ends have no
 * two-digit timecode move inward), said in words for the request's warnings.
 */
export function shortenedCutWarnings(parsed: ParsedRequest, sources: readonly SourceFacts[]): string[] {
  return parsed.timeline.flatMap((segment, i) => {
    if (sources[i].photo) return [];
    const grid = timecodeRate(sources[i]);
    const clip = inputClip(segment.start_time, segment.end_time, grid);
    const asked = Math.max(1, frameIndex(segment.end_time, grid) - frameIndex(segment.start_time, grid));
    if (!clip || clip.frameCount === asked) return [];
    const lost = (asked - clip.frameCount) / grid;
    if (lost < 0.5 / parsed.output.fps) return [];
    return [`segments[${segment.index}]: plays ${lost.toFixed(2)} s shorter (${formatSeconds(clip.startFrame / grid)} to ${formatSeconds((clip.endFrame + 1) / grid)} s of the clip): MediaConvert cannot cut a ${Math.round(sources[i].fps)} fps clip on every frame`];
  });
}

export function compileCreateJob(input: CompileJobInput): CreateJobCommandInput {
  const { parsed, sources, inputUrls, overlays } = input;
  const { output, timeline } = parsed;
  if (timeline.length === 0) throw new JobCompileError('segments', 'needs at least one segment');
  if (timeline.length > MAX_INPUTS) throw new JobCompileError('segments', `allows at most ${MAX_INPUTS} segments (got ${timeline.length})`);
  if (sources.length !== timeline.length || inputUrls.length !== timeline.length) {
    throw new Error('compileCreateJob: sources and inputUrls must match the timeline');
  }
  const files: CompiledOutput[] = input.outputs ?? [{ nameModifier: '', overlays }];
  if (files.some((f) => f.overlays.length !== parsed.request.text_overlays.length)) throw new Error('compileCreateJob: one placed overlay per text overlay in each output');
  if (new Set(files.map((f) => f.nameModifier)).size !== files.length) throw new Error('compileCreateJob: each output needs its own name modifier');
  if (overlays.length + (input.logo ? 1 : 0) > MAX_IMAGES) {
    throw new JobCompileError('text_overlays', `allows at most ${MAX_IMAGES - (input.logo ? 1 : 0)} overlays${input.logo ? ' with a logo' : ''} (got ${overlays.length})`);
  }
  if (parsed.request.logo && !input.logo) throw new Error('compileCreateJob: the request has a logo but no placed logo was given');
  if (output.width % 2 || output.height % 2) throw new JobCompileError('output', `width and height must be even (got ${output.width}x${output.height})`);
  const tooLarge = frameSizeErrors(output)[0];
  if (tooLarge) throw new JobCompileError(tooLarge.path, tooLarge.message);
  if ((overlays.length > 0 || input.logo) && nominalRate(output.fps) > MAX_FPS_WITH_OVERLAYS) {
    throw new JobCompileError('output.fps', `must be at most ${MAX_FPS_WITH_OVERLAYS} with text overlays or a logo (got ${output.fps})`);
  }

  const inputs: Input[] = timeline.flatMap((segment, i) => {
    const source = sources[i];
    const crop = inputCrop(segment, source, output);
    if (source.photo) return [{ ...photoInput(segment, source.photo, inputUrls[i], output), ...(crop && { Crop: crop }) }];
    const grid = timecodeRate(source);
    // The request may end a segment up to a frame past its source; that means "to the end".
    const lastFrame = source.duration !== undefined ? Math.max(0, Math.round(source.duration * grid) - 1) : Infinity;
    const clip = inputClip(segment.start_time, segment.end_time, grid, lastFrame);
    if (!clip) {
      throw new JobCompileError(`segments[${segment.index}].end_time`,
        `this cut of a ${Math.round(source.fps)} fps clip is too short for MediaConvert to place (it names frames 00..99 of each second only): make it longer`);
    }
    // Muted (or turned all the way down): no selector, so MediaConvert inserts silence.
    const gain = segment.volume_db ?? 0;
    const audible = source.hasAudio && !segment.muted && gain > MUTE_DB;
    if (audible && gain !== 0 && source.audioChannels === undefined) {
      throw new JobCompileError(`segments[${segment.index}].volume_db`, 'cannot be applied: how many sound channels the clip has is unknown (give source.audio_channels)');
    }
    const remix = audible ? stereoRemix(source.audioChannels, gain) : undefined;
    const selector: AudioSelector = { DefaultSelection: 'DEFAULT', SelectorType: 'TRACK', Tracks: [1], ...(remix && { RemixSettings: remix }) };
    const colour = source.dynamicRange === 'hlg' || source.dynamicRange === 'pq' ? INPUT_COLOUR[source.dynamicRange] : undefined;
    // Usually one input; a 240 fps cut may need two of the same file back to back (see inputClip).
    return clip.pieces.map((piece): Input => ({
      FileInput: inputUrls[i],
      ...(piece.timecodeStart
        ? { TimecodeSource: 'SPECIFIEDSTART', TimecodeStart: piece.timecodeStart }
        : { TimecodeSource: 'ZEROBASED' }),
      InputClippings: [{ StartTimecode: piece.startTimecode, EndTimecode: piece.endTimecode }],
      ...(crop && { Crop: { ...crop } }),
      VideoSelector: { Rotate: 'AUTO', ...colour },
      ...(audible && { AudioSelectors: { [AUDIO_SELECTOR]: structuredClone(selector) } }),
    }));
  });
  if (inputs.length > MAX_INPUTS) {
    throw new JobCompileError('segments', `need ${inputs.length} MediaConvert inputs, more than its ${MAX_INPUTS} (240 fps cuts can take two each): use fewer segments`);
  }

  const imagesOf = (placedOverlays: PlacedOverlay[]): InsertableImage[] => {
    const images = placedOverlays.map((placed, i) => overlayImage(placed, i));
    if (input.logo) images.push(logoImage(input.logo, images.length, parsed.renderDuration));
    return images;
  };
  const overlayImage = (placed: PlacedOverlay, i: number): InsertableImage => {
    const overlay = parsed.request.text_overlays[i];
    const startFrame = frameIndex(overlay.start_time, output.fps);
    const end = Math.min(overlay.end_time, parsed.renderDuration);
    return {
      ImageInserterInput: placed.url,
      ImageX: Math.round(placed.x),
      ImageY: Math.round(placed.y),
      Width: Math.round(placed.width),
      Height: Math.round(placed.height),
      Layer: i,
      Opacity: 100,
      StartTime: jobTimecode(startFrame, output.fps, MAX_TIMECODE_START_FF),
      Duration: Math.max(1, Math.round((end - startFrame / output.fps) * 1000)),
    };
  };

  return {
    Role: input.roleArn,
    ClientRequestToken: input.clientRequestToken,
    ...(input.userMetadata && { UserMetadata: input.userMetadata }),
    Settings: {
      TimecodeConfig: { Source: 'ZEROBASED' },
      Inputs: inputs,
      OutputGroups: [compileOutputGroup(
        output,
        files.map((file) => ({ nameModifier: file.nameModifier, images: imagesOf(file.overlays) })),
        input.destination,
        input.quality,
        sdrColorCorrector(sources),
      )],
    },
  };
}

/**
 * A photo as MediaConvert's video generator: the PNG over black frames of the PNG's own size, at
 * the output frame rate, for the segment's length, with silent stereo; the output's FILL scaling
 * (and a focus crop) then frames it like any clip. AWS does not document how an ImageInput of
 * another size than the generator's frame is fitted, so the generator's frame IS the image's
 * size: the only fitting is the output scaling every input gets. (The app fits photos to the
 * frame of a single video before upload, so there that scaling is the identity.)
 */
function photoInput(segment: TimelineSegment, photo: { width: number; height: number }, url: string, output: OutputSettings): Input {
  if (photo.width % 2 || photo.height % 2 || Math.max(photo.width, photo.height) > MAX_PHOTO_SIDE || Math.min(photo.width, photo.height) < 32) {
    throw new JobCompileError(`segments[${segment.index}].video_url`,
      `the photo is ${photo.width}x${photo.height} pixels; a photo in the bucket must have even sides of 32 to ${MAX_PHOTO_SIDE} pixels: give the local file and the app converts it`);
  }
  const rate = frameRateFraction(output.fps);
  return {
    TimecodeSource: 'ZEROBASED',
    VideoGenerator: {
      ImageInput: url,
      Duration: photoDurationMs(segment.end_time - segment.start_time),
      Width: photo.width,
      Height: photo.height,
      FramerateNumerator: rate.numerator,
      FramerateDenominator: rate.denominator,
      Channels: 2,
      SampleRate: 48000,
    },
  };
}

/**
 * The input Crop that frames a segment's focus for this output (none without a focus: FILL then
 * centres). In upright pixels of the picture (see docs/job-shape.md, "Framing").
 */
function inputCrop(segment: TimelineSegment, source: SourceFacts, output: OutputSettings): Rectangle | undefined {
  const focus = segmentFor(segment, output.aspect).focus;
  if (!focus) return undefined;
  const picture = source.photo ?? source.picture;
  if (!picture) {
    throw new JobCompileError(`segments[${segment.index}].focus`, "needs the clip's size (source.width and source.height) to frame it");
  }
  const rect = focusCrop(picture, output, focus);
  // The whole picture already has the frame's shape: no crop to move.
  if (rect.width >= picture.width && rect.height >= picture.height) return undefined;
  return { X: rect.x, Y: rect.y, Width: rect.width, Height: rect.height };
}

/** A photo's VideoGenerator Duration: its length in whole milliseconds. */
export function photoDurationMs(seconds: number): number {
  return Math.max(1, Math.round(seconds * 1000));
}

/** The logo: from the first frame to the end of the video, above the text overlays. */
function logoImage(logo: PlacedLogo, layer: number, renderDuration: number): InsertableImage {
  return {
    ImageInserterInput: logo.url,
    ImageX: Math.round(logo.x),
    ImageY: Math.round(logo.y),
    Width: Math.round(logo.width),
    Height: Math.round(logo.height),
    Layer: layer,
    Opacity: Math.round(logo.opacity),
    StartTime: '00:00:00:00',
    Duration: Math.max(1, Math.ceil(renderDuration * 1000)),
  };
}
