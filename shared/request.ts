/**
 * The generation request: the contract between the editor and the generation Lambda.
 *
 * It is the JSON of the original deployment guide, accepted exactly as written there, plus
 * optional extensions (`output`, overlay `style` fields, per-segment `source` facts) that old
 * clients never send. Semantics:
 * - `order` decides the sequence of segments (not their position in the array).
 * - `start_time` / `end_time` are seconds in the SOURCE clip; the segment shows [start, end).
 * - `duration` must equal `end_time - start_time` within one output frame.
 * - The render lasts the sum of segment durations; a `total_duration` that differs is
 *   reported as a warning, not an error.
 * - Overlay `start_time` / `end_time` are seconds on the OUTPUT timeline.
 * - Overlay `position` is the CENTRE of the text box, in percent of the frame (0..100).
 * - `font_size` is in output pixels at a 1080 px wide frame, scaled for other widths.
 * - A segment whose `video_url` is an image is a photo: `start_time` is 0 and `end_time` says
 *   how long it shows; it fills the frame like a clip (scaled to cover, centred) and is silent.
 * - `logo` is drawn over the whole video: `position` its centre, `width` in percent of the frame.
 * - `volume_db` / `muted` change a segment's sound (MediaConvert remix gain; muted = no sound).
 * - Variants (variants.ts): `formats` and `languages` make one video per format x language from
 *   one edit; an overlay's `content` is in the first language and `translations` hold the
 *   others; `placements` move an overlay (or reframe a segment) in one format only; a segment's
 *   `focus` is the point of its picture the crop keeps in view. Without them: one video.
 */
import { z } from 'zod';
import { MAX_CAPTION_LENGTH, MAX_ID_LENGTH, MAX_URL_LENGTH } from './limits';
import { ASPECTS, resolveOutputSettings, type Aspect, type OutputSettings } from './output-settings';
import { fieldErrorToString, issueToFieldError, type FieldError } from './validation';
import { formatSeconds, nominalRate } from './time';

export const FONT_FAMILIES = ['Inter', 'Montserrat', 'Playfair Display'] as const;
export const FONT_WEIGHTS = ['regular', 'bold'] as const;
export const TEXT_ALIGNS = ['left', 'center', 'right'] as const;
/** Most overlays one render can carry: MediaConvert's image inserter takes 20 images per output. */
export const MAX_OVERLAYS = 20;
/** Most segments one render can carry: MediaConvert stitches at most 150 inputs per job. */
export const MAX_SEGMENTS = 150;
/** H.264's largest frame on MediaConvert ("Supported output resolution maximums by codec"): 4096x2160 or 2160x4096. */
export const H264_MAX_LONG_SIDE = 4096;
export const H264_MAX_SHORT_SIDE = 2160;
/** Overlay StartTime is HH:MM:SS:FF with FF at most 59: videos with text overlays run at most 60 fps. */
export const MAX_FPS_WITH_OVERLAYS = 60;
export const DYNAMIC_RANGES = ['sdr', 'hlg', 'pq'] as const;

// No /i flag: the pattern is also published in the request's JSON Schema, which has no flags.
/** Photos the app and the CLI read (converted to PNG before upload); the extension decides. */
export const PHOTO_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'heic', 'heif'] as const;
/** What MediaConvert's video generator (ImageInput) and image inserter read from S3: PNG, TGA or BMP. */
export const CLOUD_IMAGE_EXTENSIONS = ['png', 'tga', 'bmp'] as const;
/** Logos the app and the CLI read (SVG is rasterised to PNG before upload). */
export const LOGO_EXTENSIONS = ['png', 'svg', 'jpg', 'jpeg', 'webp'] as const;
/** A photo shows at least this long: MediaConvert's video generator takes 50 ms or more (its user guide). */
export const MIN_PHOTO_SECONDS = 0.05;
/** Largest side of a photo PNG in the bucket: the video generator's frame is the photo's own size. */
export const MAX_PHOTO_SIDE = 4096;
/** Sound gain of a segment in dB: MediaConvert's remix range (-60 = mute) up to +6. */
export const MIN_VOLUME_DB = -60;
export const MAX_VOLUME_DB = 6;
/** Languages one export carries: each is an output of every format's job. */
export const MAX_LANGUAGES = 10;
/** `fr`, `en`, `pt-BR`, `zh-Hant`: a BCP 47 language with an optional region or script. */
export const LANGUAGE_CODE = /^[a-z]{2,3}(-([A-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}))?$/;

/** Extension of a path or URL, lower-case, without the dot ('' when none). */
export function urlExtension(url: string): string {
  const path = url.split(/[?#]/)[0];
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(path);
  return match ? match[1].toLowerCase() : '';
}

/** A `video_url` that names an image (a photo segment) rather than a clip. */
export function isPhotoUrl(url: string): boolean {
  const ext = urlExtension(url);
  return (PHOTO_EXTENSIONS as readonly string[]).includes(ext) || (CLOUD_IMAGE_EXTENSIONS as readonly string[]).includes(ext);
}

const HEX_COLOUR = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

/** `#RGB`, `#RRGGBB` or `#RRGGBBAA`, normalised to upper-case `#RRGGBB[AA]`. */
export const Colour = z
  .string()
  .regex(HEX_COLOUR, { message: 'must be a hex colour like #FFFFFF or #00000080' })
  .transform((value) => {
    const hex = value.slice(1).toUpperCase();
    return hex.length === 3 ? `#${[...hex].map((c) => c + c).join('')}` : `#${hex}`;
  });

const Seconds = z.number().finite().min(0);
const Id = z.union([z.string().max(MAX_ID_LENGTH), z.number()]).transform(String);

/** Facts about a segment's source, probed by the client (extension; the Lambda probes when absent). */
export const SourceInfo = z.object({
  fps: z.number().positive().max(240).meta({ description: "The clip's frame rate, frames per second (29.97 for NTSC-style phone video)." }),
  has_audio: z.boolean().meta({ description: 'Whether the clip has a sound track; without one the segment is silent in the video.' }),
  duration: z.number().positive().optional().meta({ description: "Seconds of video in the clip (its video track's length); end_time may not pass it." }),
  width: z.number().int().positive().optional().meta({ description: 'Picture width in pixels, as stored (before rotation).' }),
  height: z.number().int().positive().optional().meta({ description: 'Picture height in pixels, as stored (before rotation).' }),
  rotation: z.number().int().optional().meta({ description: 'Rotation the player applies, degrees (phones: 90, 180, 270); the render makes the picture upright.' }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().meta({ description: "sha256 of the file's bytes, lower-case hex (the clip's S3 key is derived from it)." }),
  size_bytes: z.number().int().nonnegative().optional().meta({ description: 'File size in bytes.' }),
  /** Frames arrive at a varying rate (phones): `fps` is then the average, clipped on MediaConvert's VFR grid. */
  variable_frame_rate: z.boolean().optional().meta({ description: "Frames arrive at a varying rate (phones): `fps` is then the average, and cuts follow MediaConvert's VFR frame grid." }),
  /** HDR transfer of the picture (HLG or PQ/HDR10, converted to SDR BT.709); absent = SDR. */
  dynamic_range: z.enum(DYNAMIC_RANGES).optional().meta({ description: 'HDR transfer of the picture: `hlg` or `pq` (HDR10, Dolby Vision base layer), converted to standard BT.709 colour; absent: `sdr`.' }),
  /** Channels of the first audio track (1 = mono, 6 = 5.1): how it is mixed to stereo. */
  audio_channels: z.number().int().min(1).max(64).optional().meta({ description: 'Channels of the first sound track (1 mono, 2 stereo, 6 for 5.1): how it is mixed to stereo.' }),
}).meta({ description: 'Facts about the clip, measured by the app (extension). The generation function probes clips that come without them.' });
export type SourceInfo = z.infer<typeof SourceInfo>;

const Percent = z.number().min(0).max(100);

/** A point of a clip's picture, as it is shown (upright), in percent of its width and height. */
export const FocusPoint = z.object({
  x: Percent.meta({ description: 'Percent of the picture width from the left.' }),
  y: Percent.meta({ description: 'Percent of the picture height from the top.' }),
}).meta({ description: 'The point of the picture the crop keeps in view (and centred when it can): the subject of a landscape clip in a 9:16 video.' });
export type FocusPoint = z.infer<typeof FocusPoint>;

const Format = z.enum(ASPECTS);

export const LanguageCode = z.string().regex(LANGUAGE_CODE, { message: 'must be a language code like "fr", "en" or "pt-BR"' });

export const SegmentPlacement = z.object({
  focus: FocusPoint.optional(),
}).meta({ description: 'How the segment is framed in one format, over its own `focus`.' });

export const Segment = z.object({
  id: Id.optional().meta({ description: 'Your name for the segment, echoed in messages.' }),
  /** `s3://<bucket>/<key>` in the configured bucket; clients may also give a local path or `file://` URL, uploaded first. */
  video_url: z.string().min(1).max(MAX_URL_LENGTH).meta({
    description: '`s3://<bucket>/<key>` in the configured bucket; for the app and the CLI also a local path or `file://` URL (relative to the JSON file), uploaded first.',
  }),
  start_time: Seconds.meta({ description: 'Seconds into the SOURCE clip where the segment starts.' }),
  end_time: Seconds.meta({ description: 'Seconds into the source clip where the segment ends (that instant is not shown); greater than start_time.' }),
  duration: z.number().finite().positive().meta({ description: 'Seconds the segment lasts: end_time − start_time (within one output frame).' }),
  order: z.number().int().meta({ description: 'Place in the video: segments play by increasing order, not by their place in the list; each order once.' }),
  volume_db: z.number().finite().min(MIN_VOLUME_DB).max(MAX_VOLUME_DB).optional().meta({
    description: `Sound level of the segment in dB (extension): 0 as recorded, −12 about a quarter as loud, ${MIN_VOLUME_DB} silent, at most +${MAX_VOLUME_DB}. Default 0.`,
  }),
  muted: z.boolean().optional().meta({ description: 'Silence the segment (extension). Default false. Photos are always silent.' }),
  focus: FocusPoint.optional(),
  placements: z.partialRecord(Format, SegmentPlacement).optional().meta({ description: 'Per format (a key of `formats`): its own framing of this segment.' }),
  source: SourceInfo.optional(),
});
export type Segment = z.infer<typeof Segment>;

export const OverlayStyle = z.object({
  color: Colour.meta({ description: 'Text colour, `#RGB`, `#RRGGBB` or `#RRGGBBAA` (alpha: 00 transparent … FF opaque).' }),
  font_size: z.number().finite().positive().max(600).meta({ description: 'Text height in output pixels for a 1080 px wide video, scaled for other widths.' }),
  font_family: z.enum(FONT_FAMILIES).optional().meta({ description: 'Typeface (bundled with the app and the function). Default Inter.' }),
  font_weight: z.enum(FONT_WEIGHTS).optional().meta({ description: 'Default regular.' }),
  /** Box colour behind the text; absent or null: no box. */
  background: Colour.nullable().optional().meta({ description: 'Colour of a box behind the text, like `color`; absent or null: no box.' }),
  align: z.enum(TEXT_ALIGNS).optional().meta({ description: 'Alignment of the lines inside the text box. Default center.' }),
}).meta({ description: 'How the text looks.' });
export type OverlayStyle = z.infer<typeof OverlayStyle>;

const CaptionText = z.string().max(MAX_CAPTION_LENGTH).trim().min(1);

export const OverlayPlacement = z.object({
  position: z.object({ x: Percent, y: Percent }).optional().meta({ description: 'Centre of the text box in this format, percent of its frame.' }),
  font_size: z.number().finite().positive().max(600).optional().meta({ description: 'Text height in this format (pixels at a 1080 px wide frame).' }),
}).meta({ description: "The overlay's place and size in one format, over its own `position` and `style.font_size`." });

export const TextOverlay = z.object({
  id: Id.optional().meta({ description: 'Your name for the overlay, echoed in messages.' }),
  content: z.string().max(MAX_CAPTION_LENGTH).trim().min(1).meta({ description: `The text (not \`text\`); line breaks with \`\\n\`; long lines wrap at 90 % of the frame width; at most ${MAX_CAPTION_LENGTH} characters.` }),
  start_time: Seconds.meta({ description: 'Seconds on the OUTPUT video when the text appears.' }),
  end_time: Seconds.meta({ description: 'Seconds on the output video when it disappears; greater than start_time, at most the video length.' }),
  position: z
    .object({
      x: z.number().min(0).max(100).meta({ description: 'Centre of the text box, percent of the frame width from the left.' }),
      y: z.number().min(0).max(100).meta({ description: 'Centre of the text box, percent of the frame height from the top.' }),
    })
    .meta({ description: 'Where the text box is centred; the box is kept inside the frame.' }),
  style: OverlayStyle,
  translations: z.record(LanguageCode, CaptionText).optional().meta({
    description: 'The text in each other language of `languages` (the `content` is in the first one), e.g. {"en": "Welcome"}.',
  }),
  placements: z.partialRecord(Format, OverlayPlacement).optional().meta({ description: 'Per format (a key of `formats`): where the text goes and how large, when that format needs it elsewhere (its safe zones).' }),
});
export type TextOverlay = z.infer<typeof TextOverlay>;

export const Logo = z.object({
  url: z.string().min(1).meta({
    description: 'The logo image, like `video_url`: `s3://<bucket>/<key>` of a PNG in the configured bucket, or for the app and the CLI a local PNG, SVG, JPEG or WebP (path or `file://` URL), converted to PNG and uploaded first. Transparency is kept.',
  }),
  position: z
    .object({
      x: z.number().min(0).max(100).meta({ description: 'Centre of the logo, percent of the frame width from the left.' }),
      y: z.number().min(0).max(100).meta({ description: 'Centre of the logo, percent of the frame height from the top.' }),
    })
    .meta({ description: 'Where the logo is centred; it is kept inside the frame.' }),
  width: z.number().gt(0).max(100).meta({ description: 'Logo width in percent of the frame width; its height follows the image.' }),
  opacity: z.number().min(0).max(100).default(100).meta({ description: 'How opaque the logo is, 0 (invisible) to 100 (as drawn). Default 100.' }),
}).meta({ description: 'A logo drawn over the whole video, on every segment (extension).' });
export type Logo = z.output<typeof Logo>;

export const OutputOptions = z.object({
  aspect: z.enum(ASPECTS).optional().meta({ description: 'Frame shape. Alone it gives 1080 px on the short side; default 9:16 (1080x1920).' }),
  width: z.number().int().min(64).max(4096).optional().meta({ description: 'Frame width in pixels, even; with only one of width/height the other follows the aspect.' }),
  height: z.number().int().min(64).max(4096).optional().meta({ description: 'Frame height in pixels, even.' }),
  fps: z.number().min(1).max(120).optional().meta({ description: 'Output frame rate, frames per second. Default 30.' }),
}).meta({ description: 'The video to make (extension): H.264 + AAC stereo 48 kHz in MP4.' });

export const GenerationRequestSchema = z.object({
  property_id: Id.meta({ description: "The hotel's id (string or number); kept in the job's metadata." }),
  template_id: Id.meta({ description: 'The template the video was made from (string or number); kept in the job metadata.' }),
  segments: z.array(Segment).meta({ description: `The clips, played by \`order\`; 1 to ${MAX_SEGMENTS}.` }),
  text_overlays: z.array(TextOverlay).default([]).meta({ description: `Captions drawn over the video; 0 to ${MAX_OVERLAYS}.` }),
  total_duration: z.number().finite().min(0).optional().meta({
    description: 'Seconds the client expects the video to last; the video lasts the sum of the segments, and a difference is a warning.',
  }),
  output: OutputOptions.optional(),
  formats: z.array(Format).min(1).max(ASPECTS.length).optional().meta({
    description: 'Make one video per frame shape (extension), e.g. ["9:16", "4:5", "16:9"]: each at 1080 px on its short side. Absent: one video of `output`.',
  }),
  languages: z.array(LanguageCode).min(1).max(MAX_LANGUAGES).optional().meta({
    description: `Make one video per language (extension), e.g. ["fr", "en"]: the first is the language of the overlays' \`content\`, the others come from their \`translations\`; at most ${MAX_LANGUAGES}.`,
  }),
  logo: Logo.optional(),
  /**
   * Idempotency key of one export attempt (extension): retries of the same attempt map to the
   * same MediaConvert job; a new attempt (after a cancel) gets a new one.
   */
  client_token: z.string().min(1).max(64).optional().meta({ description: 'Idempotency key of one export attempt (extension): a retry with the same token reuses the same render.' }),
});
export type GenerationRequestInput = z.input<typeof GenerationRequestSchema>;
export type GenerationRequest = z.output<typeof GenerationRequestSchema>;

export interface ParsedRequest {
  request: GenerationRequest;
  output: OutputSettings;
  /** Segments in play order, each with its place on the output timeline. */
  timeline: TimelineSegment[];
  /** Seconds the render lasts: the sum of segment durations. */
  renderDuration: number;
  warnings: string[];
}

export interface TimelineSegment extends Segment {
  /** Index in `request.segments`, for messages. */
  index: number;
  outputStart: number;
  outputEnd: number;
}

export type ParseResult = ({ ok: true } & ParsedRequest) | { ok: false; errors: FieldError[] };

/** Validate a generation request (object or JSON text). Never throws for bad input. */
export function parseGenerationRequest(input: unknown): ParseResult {
  let data = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (err) {
      return { ok: false, errors: [{ path: '', message: `not valid JSON: ${(err as Error).message}` }] };
    }
  }
  const parsed = GenerationRequestSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => withMisnamedFieldHint(issueToFieldError(issue), issue, data)) };
  const request = parsed.data;
  const output = resolveOutputSettings(request.output);
  const errors = checkRequestRules(request, output);
  if (errors.length) return { ok: false, errors };
  const timeline = buildTimeline(request.segments);
  const renderDuration = timeline.length ? timeline[timeline.length - 1].outputEnd : 0;
  const warnings: string[] = [];
  if (request.total_duration !== undefined && Math.abs(request.total_duration - renderDuration) > 1 / output.fps) {
    warnings.push(
      `total_duration: ${formatSeconds(request.total_duration)} s differs from the sum of the segments ` +
        `(${formatSeconds(renderDuration)} s); the video will last ${formatSeconds(renderDuration)} s`,
    );
  }
  return { ok: true, request, output, timeline, renderDuration, warnings };
}

/** Names people write by hand for a field (camelCase forms are recognised too). */
const FIELD_ALIASES: Record<string, string[]> = {
  content: ['text', 'caption', 'title', 'label'],
  video_url: ['url', 'video', 'file', 'path', 'src', 'source_url'],
  start_time: ['start'],
  end_time: ['end'],
  font_size: ['size'],
  color: ['colour'],
};

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** "content: is required" becomes "... (found "text": the text goes in "content")" when a near name is there. */
function withMisnamedFieldHint(error: FieldError, issue: z.core.$ZodIssue, data: unknown): FieldError {
  const field = issue.path[issue.path.length - 1];
  if (issue.code !== 'invalid_type' || (issue as { input?: unknown }).input !== undefined || typeof field !== 'string') return error;
  let parent: unknown = data;
  for (const key of issue.path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown> | undefined)?.[key];
  if (!parent || typeof parent !== 'object') return error;
  const candidates = [camelCase(field), ...(FIELD_ALIASES[field] ?? []).flatMap((alias) => [alias, camelCase(alias)])];
  const found = candidates.find((name) => name !== field && Object.hasOwn(parent, name));
  return found ? { ...error, message: `${error.message} (found "${found}": this field is called "${field}")` } : error;
}

/** Like parseGenerationRequest, throwing a RequestValidationError listing every problem. */
export function assertGenerationRequest(input: unknown): ParsedRequest {
  const result = parseGenerationRequest(input);
  if (!result.ok) throw new RequestValidationError(result.errors);
  return result;
}

export class RequestValidationError extends Error {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(errors.map(fieldErrorToString).join('\n'));
    this.name = 'RequestValidationError';
    this.errors = errors;
  }
}

/** Segments sorted by `order` (stable), laid end to end on the output timeline. */
export function buildTimeline(segments: readonly Segment[]): TimelineSegment[] {
  const sorted = segments.map((segment, index) => ({ segment, index })).sort((a, b) => a.segment.order - b.segment.order || a.index - b.index);
  let cursor = 0;
  return sorted.map(({ segment, index }) => {
    const length = segment.end_time - segment.start_time;
    const item = { ...segment, index, outputStart: cursor, outputEnd: cursor + length };
    cursor += length;
    return item;
  });
}

/** Rules that span fields: times in order, durations consistent, overlays inside the video. */
function checkRequestRules(request: GenerationRequest, output: OutputSettings): FieldError[] {
  const errors: FieldError[] = [];
  const frame = 1 / output.fps;
  if (request.segments.length === 0) {
    errors.push({ path: 'segments', message: 'needs at least one segment (the list is empty): add a clip to the timeline' });
  }
  if (request.segments.length > MAX_SEGMENTS) {
    errors.push({ path: 'segments', message: `allows at most ${MAX_SEGMENTS} segments per video (got ${request.segments.length})` });
  }
  const firstWithOrder = new Map<number, number>();
  request.segments.forEach((segment, i) => {
    const at = `segments[${i}]`;
    const photo = isPhotoUrl(segment.video_url);
    if (photo && segment.start_time !== 0) {
      errors.push({
        path: `${at}.start_time`,
        message: `must be 0 for a photo (got ${formatSeconds(segment.start_time)}): end_time says how long the photo shows`,
      });
    }
    if (photo && segment.video_url.startsWith('s3://') && urlExtension(segment.video_url) !== 'png') {
      errors.push({
        path: `${at}.video_url`,
        message: `a photo in the bucket must be a PNG (got .${urlExtension(segment.video_url)}): give the local file and the app converts it`,
      });
    }
    if (photo && segment.end_time > segment.start_time && segment.end_time - segment.start_time < MIN_PHOTO_SECONDS) {
      errors.push({ path: `${at}.end_time`, message: `a photo shows at least ${MIN_PHOTO_SECONDS} s (got ${formatSeconds(segment.end_time - segment.start_time)} s)` });
    }
    if (segment.end_time <= segment.start_time) {
      errors.push({
        path: `${at}.end_time`,
        message: `must be greater than start_time (${formatSeconds(segment.end_time)} ≤ ${formatSeconds(segment.start_time)})`,
      });
    } else {
      const expected = segment.end_time - segment.start_time;
      if (Math.abs(segment.duration - expected) > frame + 1e-9) {
        errors.push({
          path: `${at}.duration`,
          message: `must equal end_time - start_time (${formatSeconds(expected)}), got ${formatSeconds(segment.duration)}`,
        });
      }
    }
    if (!photo && segment.source?.duration !== undefined && segment.end_time > segment.source.duration + frame) {
      errors.push({
        path: `${at}.end_time`,
        message: `is after the end of the source clip (${formatSeconds(segment.end_time)} > ${formatSeconds(segment.source.duration)} s)`,
      });
    }
    const previous = firstWithOrder.get(segment.order);
    if (previous !== undefined) {
      errors.push({ path: `${at}.order`, message: `repeats the order of segments[${previous}] (${segment.order}); each segment needs its own place` });
    } else firstWithOrder.set(segment.order, i);
  });
  if (output.width % 2 || output.height % 2) {
    errors.push({ path: 'output', message: `width and height must be even numbers (got ${output.width}x${output.height})` });
  }
  errors.push(...frameSizeErrors(output));
  if (request.text_overlays.length > 0 && nominalRate(output.fps) > MAX_FPS_WITH_OVERLAYS) {
    errors.push({
      path: 'output.fps',
      message: `must be at most ${MAX_FPS_WITH_OVERLAYS} when the video has text overlays (got ${formatSeconds(output.fps)}): MediaConvert places overlays on frames 00..59 of each second`,
    });
  }
  const maxTexts = request.logo ? MAX_OVERLAYS - 1 : MAX_OVERLAYS;
  if (request.text_overlays.length > maxTexts) {
    errors.push({
      path: 'text_overlays',
      message: `allows at most ${maxTexts} text overlays per video${request.logo ? ' with a logo (the logo takes one of MediaConvert\'s 20 images)' : ''} (got ${request.text_overlays.length})`,
    });
  }
  if (request.logo && nominalRate(output.fps) > MAX_FPS_WITH_OVERLAYS && request.text_overlays.length === 0) {
    errors.push({
      path: 'output.fps',
      message: `must be at most ${MAX_FPS_WITH_OVERLAYS} when the video has a logo (got ${formatSeconds(output.fps)}): MediaConvert places images on frames 00..59 of each second`,
    });
  }
  if (request.logo) {
    const ext = urlExtension(request.logo.url);
    const cloud = request.logo.url.startsWith('s3://');
    const allowed: readonly string[] = cloud ? CLOUD_IMAGE_EXTENSIONS.slice(0, 1) : LOGO_EXTENSIONS;
    if (!allowed.includes(ext)) {
      errors.push({
        path: 'logo.url',
        message: cloud
          ? `must be a PNG in the bucket (got ${ext ? `.${ext}` : 'no extension'}): MediaConvert inserts PNG images; give the local file and the app converts it`
          : `must be a PNG, SVG, JPEG or WebP image (got ${ext ? `.${ext}` : 'no extension'})`,
      });
    }
  }
  errors.push(...variantRuleErrors(request, output));
  const renderDuration = request.segments.reduce((sum, s) => sum + Math.max(0, s.end_time - s.start_time), 0);
  request.text_overlays.forEach((overlay, i) => {
    const at = `text_overlays[${i}]`;
    if (overlay.end_time <= overlay.start_time) {
      errors.push({
        path: `${at}.end_time`,
        message: `must be greater than start_time (${formatSeconds(overlay.end_time)} ≤ ${formatSeconds(overlay.start_time)})`,
      });
    } else if (renderDuration > 0 && overlay.start_time >= renderDuration) {
      errors.push({
        path: `${at}.start_time`,
        message: `is outside the video, which lasts ${formatSeconds(renderDuration)} s (starts at ${formatSeconds(overlay.start_time)} s)`,
      });
    } else if (renderDuration > 0 && overlay.end_time > renderDuration + frame) {
      errors.push({
        path: `${at}.end_time`,
        message: `is after the end of the video (${formatSeconds(overlay.end_time)} > ${formatSeconds(renderDuration)} s)`,
      });
    }
  });
  return errors;
}

/** The formats a request renders: its `formats`, or the one frame of `output`. */
export function requestFormats(request: Pick<GenerationRequest, 'formats'>, output: Pick<OutputSettings, 'aspect'>): Aspect[] {
  return request.formats ?? [output.aspect];
}

/**
 * Variants must be asked for consistently: each format and language once, every caption in every
 * language, placements only for formats that are made, and no fixed frame size beside `formats`.
 */
function variantRuleErrors(request: GenerationRequest, output: OutputSettings): FieldError[] {
  const errors: FieldError[] = [];
  const repeated = (list: readonly string[] | undefined, path: string) => list?.forEach((value, i) => {
    const first = list.indexOf(value);
    if (first !== i) errors.push({ path: `${path}[${i}]`, message: `repeats ${path}[${first}] ("${value}"); list each once` });
  });
  repeated(request.formats, 'formats');
  repeated(request.languages, 'languages');
  if (request.formats) {
    for (const field of ['aspect', 'width', 'height'] as const) {
      if (request.output?.[field] !== undefined) {
        errors.push({ path: `output.${field}`, message: `cannot be combined with formats (each format has its own frame, 1080 px on its short side): remove output.${field}` });
      }
    }
  }
  const formats = requestFormats(request, output);
  const formatList = formats.join(', ');
  const [written, ...others] = request.languages ?? [];
  request.text_overlays.forEach((overlay, i) => {
    const at = `text_overlays[${i}]`;
    for (const language of Object.keys(overlay.translations ?? {})) {
      if (!request.languages) {
        errors.push({ path: `${at}.translations.${language}`, message: 'needs the request\'s languages (e.g. "languages": ["fr", "en"]) to say which videos to make' });
      } else if (language === written) {
        errors.push({ path: `${at}.translations.${language}`, message: `"${language}" is the first language: its text is the overlay's content` });
      } else if (!others.includes(language)) {
        errors.push({ path: `${at}.translations.${language}`, message: `"${language}" is not in languages (${request.languages.join(', ')})` });
      }
    }
    for (const language of others) {
      if (overlay.translations?.[language] === undefined) {
        errors.push({ path: `${at}.translations.${language}`, message: `is missing: the caption "${overlay.content.slice(0, 40)}" needs its ${language} text (languages lists "${language}")` });
      }
    }
    for (const format of Object.keys(overlay.placements ?? {})) {
      if (!(formats as string[]).includes(format)) errors.push({ path: `${at}.placements.${format}`, message: `"${format}" is not a format of this request (${formatList})` });
    }
  });
  request.segments.forEach((segment, i) => {
    for (const format of Object.keys(segment.placements ?? {})) {
      if (!(formats as string[]).includes(format)) errors.push({ path: `segments[${i}].placements.${format}`, message: `"${format}" is not a format of this request (${formatList})` });
    }
  });
  return errors;
}

/** The output frame must fit H.264's box on MediaConvert in one orientation or the other. */
export function frameSizeErrors({ width, height }: { width: number; height: number }): FieldError[] {
  const fits = (long: number, short: number) => long <= H264_MAX_LONG_SIDE && short <= H264_MAX_SHORT_SIDE;
  if (fits(width, height) || fits(height, width)) return [];
  const box = `${H264_MAX_LONG_SIDE}x${H264_MAX_SHORT_SIDE} or ${H264_MAX_SHORT_SIDE}x${H264_MAX_LONG_SIDE}`;
  // Name the side that breaks the box of the frame's own orientation.
  const field = width >= height ? 'height' : 'width';
  const value = field === 'height' ? height : width;
  return [{
    path: `output.${field}`,
    message: `${value} is too large for a ${width}x${height} H.264 video on MediaConvert (at most ${box}): use at most ${H264_MAX_SHORT_SIDE}`,
  }];
}
