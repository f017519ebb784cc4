/**
 * The generation request -> MediaConvert CreateJob request, as a pure function.
 * docs/job-shape.md describes the shape; the local renderer implements exactly it.
 */
import type { CreateJobCommandInput, InsertableImage, Input, OutputGroup } from '@aws-sdk/client-mediaconvert';
import type { OutputSettings } from '../../shared/output-settings';
import type { ParsedRequest } from '../../shared/request';
import { clipFrames, framesToTimecode, frameIndex } from '../../shared/time';

export const AUDIO_SELECTOR = 'Audio Selector 1';
export const MAX_INPUTS = 150;
export const MAX_IMAGES = 20;

/** What the compiler needs to know about a segment's source. */
export interface SourceFacts {
  fps: number;
  hasAudio: boolean;
  /** Seconds of video, when known: the clipping never asks for a frame past the last one. */
  duration?: number;
}

/** A rendered overlay image and where it goes, in output pixels. */
export interface PlacedOverlay {
  url: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CompileJobInput {
  parsed: ParsedRequest;
  /** One per `parsed.timeline` entry (play order). */
  sources: SourceFacts[];
  /** `s3://` URL of each timeline entry's source (play order). */
  inputUrls: string[];
  /** One per `parsed.request.text_overlays` entry. */
  overlays: PlacedOverlay[];
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

/** The one file output group: H.264 + AAC in MP4 at the output frame, overlays as output-level images. */
export function compileOutputGroup(output: OutputSettings, images: InsertableImage[], destination: string, quality = 8): OutputGroup {
  const rate = frameRateFraction(output.fps);
  return {
    Name: 'File Group',
    OutputGroupSettings: {
      Type: 'FILE_GROUP_SETTINGS',
      FileGroupSettings: { Destination: destination },
    },
    Outputs: [
      {
        ContainerSettings: { Container: 'MP4', Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' } },
        VideoDescription: {
          Width: output.width,
          Height: output.height,
          ScalingBehavior: 'FILL',
          AntiAlias: 'ENABLED',
          ...(images.length > 0 && {
            VideoPreprocessors: { ImageInserter: { InsertableImages: images } },
          }),
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
      },
    ],
  };
}

export function compileCreateJob(input: CompileJobInput): CreateJobCommandInput {
  const { parsed, sources, inputUrls, overlays } = input;
  const { output, timeline } = parsed;
  if (timeline.length === 0) throw new JobCompileError('segments', 'needs at least one segment');
  if (timeline.length > MAX_INPUTS) throw new JobCompileError('segments', `allows at most ${MAX_INPUTS} segments (got ${timeline.length})`);
  if (sources.length !== timeline.length || inputUrls.length !== timeline.length) {
    throw new Error('compileCreateJob: sources and inputUrls must match the timeline');
  }
  if (overlays.length !== parsed.request.text_overlays.length) throw new Error('compileCreateJob: one placed overlay per text overlay');
  if (overlays.length > MAX_IMAGES) throw new JobCompileError('text_overlays', `allows at most ${MAX_IMAGES} overlays (got ${overlays.length})`);
  if (output.width % 2 || output.height % 2) throw new JobCompileError('output', `width and height must be even (got ${output.width}x${output.height})`);

  const inputs: Input[] = timeline.map((segment, i) => {
    const source = sources[i];
    // The request may end a segment up to a frame past its source; that means "to the end".
    const lastFrame = source.duration !== undefined ? Math.max(0, Math.round(source.duration * source.fps) - 1) : Infinity;
    const full = clipFrames(segment.start_time, segment.end_time, source.fps);
    const clip = full.endFrame > lastFrame ? clipFrames(segment.start_time, (lastFrame + 1) / source.fps, source.fps) : full;
    return {
      FileInput: inputUrls[i],
      TimecodeSource: 'ZEROBASED',
      InputClippings: [{ StartTimecode: clip.startTimecode, EndTimecode: clip.endTimecode }],
      VideoSelector: { Rotate: 'AUTO' },
      ...(source.hasAudio && {
        AudioSelectors: {
          [AUDIO_SELECTOR]: { DefaultSelection: 'DEFAULT', SelectorType: 'TRACK', Tracks: [1] },
        },
      }),
    };
  });

  const images: InsertableImage[] = overlays.map((placed, i) => {
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
      StartTime: framesToTimecode(startFrame, output.fps),
      Duration: Math.max(1, Math.round((end - startFrame / output.fps) * 1000)),
    };
  });

  return {
    Role: input.roleArn,
    ClientRequestToken: input.clientRequestToken,
    ...(input.userMetadata && { UserMetadata: input.userMetadata }),
    Settings: {
      TimecodeConfig: { Source: 'ZEROBASED' },
      Inputs: inputs,
      OutputGroups: [compileOutputGroup(output, images, input.destination, input.quality)],
    },
  };
}
