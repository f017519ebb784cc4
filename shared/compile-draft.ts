/**
 * Draft → render request: the one place that decides what a draft renders. The export button,
 * the CLI (for project files), the cost estimate and the "what will render" notice all call it,
 * so the app and the command line can never compile the same draft differently.
 *
 * Pure. Whatever the editor can hold compiles either to a request that passes
 * `parseGenerationRequest`, or to `blocking` issues saying why nothing can render. Every change
 * made on the way is listed: `leftOut` (a clip or text that will not be in the video) and
 * `warnings` (kept, but changed: a text cut at the end of the video, a clip cut at the end of
 * its file). Each issue has a code and parameters for translation and an English sentence.
 */
import { MAX_CAPTION_LENGTH } from './limits';
import { frameIndex, formatTime, nominalRate } from './time';
import {
  Colour,
  H264_MAX_LONG_SIDE,
  H264_MAX_SHORT_SIDE,
  MAX_FPS_WITH_OVERLAYS,
  MAX_OVERLAYS,
  MAX_SEGMENTS,
  MAX_VOLUME_DB,
  MIN_PHOTO_SECONDS,
  MIN_VOLUME_DB,
  SourceInfo,
  parseGenerationRequest,
  type GenerationRequestInput,
} from './request';
import type { Draft, DraftLogo, DraftOverlay, DraftSegment, MediaRef } from './draft';
import type { Aspect } from './output-settings';
import { draftFormats, draftLanguages } from './draft-variants';
import { PHOTO_MAX_SECONDS } from './photo';
import { fieldErrorToString } from './validation';

/** English sentence for each issue code, `{{name}}` filled from the issue's params (also the i18n key). */
export const DRAFT_ISSUE_TEXT = {
  'no-segments': 'Add at least one clip to the timeline: there is nothing to render yet.',
  'segment-unknown-media': 'Clip {{n}} is left out: its media is no longer in the project.',
  'segment-missing-file': 'Clip {{n}} ({{name}}) is left out: its file was moved or deleted. Use Relink to find it.',
  'segment-empty': 'Clip {{n}} ({{name}}) is left out: it is shorter than one frame.',
  'segment-after-media-end': 'Clip {{n}} ({{name}}) is left out: it starts after the end of its file.',
  'segment-trimmed': 'Clip {{n}} ({{name}}) stops at the end of its file, {{end}}.',
  'segment-too-many': 'Clip {{n}} ({{name}}) is left out: a video can have at most {{max}} clips.',
  'overlay-empty': 'Text {{n}} is left out: it has no words.',
  'overlay-no-length': 'Text {{n}} "{{text}}" is left out: it is on screen for no time.',
  'overlay-after-end': 'Text {{n}} "{{text}}" is left out: it starts at {{start}}, after the video ends ({{duration}}).',
  'overlay-trimmed': 'Text {{n}} "{{text}}" now ends with the video, at {{duration}}.',
  'overlay-too-many': 'Text {{n}} "{{text}}" is left out: a video can have at most {{max}} texts.',
  'overlay-too-long': 'Text {{n}} "{{text}}" is left out: it has {{length}} characters, more than the {{max}} a text can have. Shorten it.',
  'overlay-translation-missing': 'Text {{n}} "{{text}}" has no {{language}} text yet: write it, or leave {{language}} out of the export.',
  'overlay-translation-too-long': 'Text {{n}} "{{text}}": its {{language}} text has {{length}} characters, more than the {{max}} a text can have. Shorten it.',
  'overlay-style-fixed': 'Text {{n}} "{{text}}": its colour, size or position was out of range and was corrected.',
  'settings-fixed': 'The video size was corrected to {{width}}×{{height}} at {{fps}} fps.',
  invalid: 'The video cannot be rendered: {{detail}}',
} as const;
export type DraftIssueCode = keyof typeof DRAFT_ISSUE_TEXT;

export interface DraftIssue {
  code: DraftIssueCode;
  /** Where in the draft: `segments[2]`, `overlays[0].end_time`, `settings`; '' for the whole draft. */
  path: string;
  /** The segment's or overlay's id, for the editor to point at it. */
  id?: string;
  params: Record<string, string | number>;
  /** The English sentence (DRAFT_ISSUE_TEXT filled in). */
  message: string;
}

export interface CompiledDraft {
  /** The request to render; null when `blocking` is not empty. */
  request: GenerationRequestInput | null;
  /** Kept but changed. */
  warnings: DraftIssue[];
  /** Not in the video. */
  leftOut: DraftIssue[];
  /** Why nothing can render. */
  blocking: DraftIssue[];
  /** Seconds the render lasts. */
  duration: number;
}

export interface CompileOptions {
  /** How media are addressed in the request (a local path before upload by default). */
  videoUrlFor?: (media: MediaRef) => string;
  /** Media whose file is gone (the host knows): their segments are left out. */
  missingMedia?: Iterable<string>;
}

const EPS = 1e-6;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const even = (n: number) => Math.round(n / 2) * 2;
/** Shown in messages: a caption is named by its first words. */
const excerpt = (text: string) => {
  const flat = text.trim().replace(/\s+/g, ' ');
  return flat.length > 30 ? `${flat.slice(0, 29)}…` : flat;
};

function issue(code: DraftIssueCode, path: string, params: Record<string, string | number>, id?: string): DraftIssue {
  const message = DRAFT_ISSUE_TEXT[code].replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(params[key] ?? ''));
  return { code, path, params, message, ...(id !== undefined && { id }) };
}

export function compileDraft(draft: Draft, options: CompileOptions = {}): CompiledDraft {
  const videoUrlFor = options.videoUrlFor ?? ((m: MediaRef) => m.path);
  const missing = new Set(options.missingMedia ?? []);
  const warnings: DraftIssue[] = [];
  const leftOut: DraftIssue[] = [];

  const settings = compileSettings(draft.settings);
  const { fps } = settings;
  const time = (s: number) => formatTime(s, fps);
  const oneFrame = 1 / fps;

  const mediaById = new Map(draft.media.map((m) => [m.id, m]));
  // Variants: the formats the project makes (its settings' first), for framing and placements.
  const formats = draftFormats(draft);
  const segments: NonNullable<GenerationRequestInput['segments']> = [];
  draft.segments.forEach((segment, index) => {
    const path = `segments[${index}]`;
    const n = index + 1;
    const media = mediaById.get(segment.media_id);
    if (!media) return leftOut.push(issue('segment-unknown-media', path, { n }, segment.id));
    const name = media.name;
    if (missing.has(media.id)) return leftOut.push(issue('segment-missing-file', path, { n, name }, segment.id));
    if (media.facts?.kind === 'photo') {
      // A photo shows from its start for the segment's length, however its edges were trimmed.
      const length = round6(clamp(segment.end_time - segment.start_time, 0, PHOTO_MAX_SECONDS));
      if (frameIndex(length, fps) < 1 || length < MIN_PHOTO_SECONDS) return leftOut.push(issue('segment-empty', path, { n, name }, segment.id));
      if (segments.length >= MAX_SEGMENTS) return leftOut.push(issue('segment-too-many', path, { n, name, max: MAX_SEGMENTS }, segment.id));
      segments.push({ id: segment.id, video_url: videoUrlFor(media), start_time: 0, end_time: length, duration: length, order: segments.length + 1, ...framingOf(segment, formats) });
      return;
    }
    const start = round6(Math.max(0, segment.start_time));
    let end = round6(segment.end_time);
    const sourceDuration = media.facts?.duration;
    if (sourceDuration !== undefined && sourceDuration > 0) {
      if (start >= sourceDuration - EPS) return leftOut.push(issue('segment-after-media-end', path, { n, name }, segment.id));
      if (end > sourceDuration + EPS) {
        end = round6(sourceDuration);
        warnings.push(issue('segment-trimmed', `${path}.end_time`, { n, name, end: time(end) }, segment.id));
      }
    }
    // Shorter than one output frame renders nothing: MediaConvert would refuse or drop it.
    if (frameIndex(end - start, fps) < 1) return leftOut.push(issue('segment-empty', path, { n, name }, segment.id));
    if (segments.length >= MAX_SEGMENTS) return leftOut.push(issue('segment-too-many', path, { n, name, max: MAX_SEGMENTS }, segment.id));
    const source = media.facts && sourceFacts(media);
    segments.push({
      id: segment.id,
      video_url: videoUrlFor(media),
      start_time: start,
      end_time: end,
      duration: round6(end - start),
      order: segments.length + 1,
      ...soundOf(segment),
      ...framingOf(segment, formats),
      ...(source && { source }),
    });
  });

  const duration = round6(segments.reduce((sum, s) => sum + s.duration, 0));
  if (segments.length === 0) {
    return { request: null, warnings, leftOut, blocking: [issue('no-segments', 'segments', {})], duration: 0 };
  }

  // A project of several formats names them all; languages only when it has some.
  const variantFormats = formats.length > 1 ? formats : undefined;
  const languages = draftLanguages(draft).length ? draftLanguages(draft) : undefined;
  const blocking: DraftIssue[] = [];

  const overlays: NonNullable<GenerationRequestInput['text_overlays']> = [];
  draft.overlays.forEach((overlay, index) => {
    const path = `overlays[${index}]`;
    const n = index + 1;
    const text = excerpt(overlay.content);
    if (!text) {
      // Words in another language only: the caption is meant to be there, its first language's text is what is missing.
      const other = languages && Object.entries(overlay.translations ?? {}).find(([l, t]) => languages.includes(l) && t.trim());
      if (other && languages) return blocking.push(issue('overlay-translation-missing', `${path}.content`, { n, text: excerpt(other[1]), language: languages[0] }, overlay.id));
      return leftOut.push(issue('overlay-empty', path, { n }, overlay.id));
    }
    if (overlay.content.length > MAX_CAPTION_LENGTH) {
      return leftOut.push(issue('overlay-too-long', `${path}.content`, { n, text, length: overlay.content.length, max: MAX_CAPTION_LENGTH }, overlay.id));
    }
    const start = round6(Math.max(0, overlay.start_time));
    let end = round6(overlay.end_time);
    if (end - start < EPS) return leftOut.push(issue('overlay-no-length', path, { n, text }, overlay.id));
    if (start > duration - oneFrame + EPS) {
      return leftOut.push(issue('overlay-after-end', path, { n, text, start: time(start), duration: time(duration) }, overlay.id));
    }
    if (end > duration + EPS) {
      end = duration;
      warnings.push(issue('overlay-trimmed', `${path}.end_time`, { n, text, duration: time(duration) }, overlay.id));
    }
    // The logo takes one of MediaConvert's 20 images.
    const maxTexts = draft.logo ? MAX_OVERLAYS - 1 : MAX_OVERLAYS;
    if (overlays.length >= maxTexts) return leftOut.push(issue('overlay-too-many', path, { n, text, max: maxTexts }, overlay.id));
    const { style, changed } = compileStyle(overlay);
    if (changed) warnings.push(issue('overlay-style-fixed', `${path}.style`, { n, text }, overlay.id));
    const translations = compileTranslations(overlay, languages, path, { n, text }, blocking);
    const placements = compileOverlayPlacements(overlay, variantFormats);
    overlays.push({
      id: overlay.id, content: overlay.content, start_time: start, end_time: end, position: style.position, style: style.style,
      ...(translations && { translations }),
      ...(placements && { placements }),
    });
  });

  // MediaConvert places images on frames 00..59 of a second: texts and a logo need at most 60 fps.
  const logo = draft.logo ? compileLogo(draft.logo) : undefined;
  const outputFps = (overlays.length > 0 || logo) && nominalRate(fps) > MAX_FPS_WITH_OVERLAYS ? MAX_FPS_WITH_OVERLAYS : fps;
  if (settings.changed || outputFps !== fps) {
    warnings.unshift(issue('settings-fixed', 'settings', { width: settings.width, height: settings.height, fps: outputFps }));
  }
  if (blocking.length > 0) return { request: null, warnings, leftOut, blocking, duration };
  const request: GenerationRequestInput = {
    property_id: draft.property_id,
    template_id: draft.template_id,
    segments,
    text_overlays: overlays,
    total_duration: duration,
    // With formats each has its own frame (1080 px on its short side): only the frame rate is the project's.
    output: variantFormats ? { fps: outputFps } : { aspect: draft.settings.aspect, width: settings.width, height: settings.height, fps: outputFps },
    ...(variantFormats && { formats: variantFormats }),
    ...(languages && { languages }),
    ...(logo && { logo }),
  };
  // The request rules have the last word: anything they still refuse is a bug here, reported rather than thrown.
  const checked = parseGenerationRequest(request);
  if (!checked.ok) {
    const blocking = checked.errors.map((e) => issue('invalid', e.path, { detail: fieldErrorToString(e) }));
    return { request: null, warnings, leftOut, blocking, duration };
  }
  return { request, warnings, leftOut, blocking: [], duration };
}

/** The other languages' texts of a caption; a blank or too long one blocks the export (a video without it would be wrong). */
function compileTranslations(
  overlay: DraftOverlay,
  languages: string[] | undefined,
  path: string,
  named: { n: number; text: string },
  blocking: DraftIssue[],
): Record<string, string> | undefined {
  if (!languages || languages.length < 2) return undefined;
  const out: Record<string, string> = {};
  for (const language of languages.slice(1)) {
    const words = overlay.translations?.[language] ?? '';
    const at = `${path}.translations.${language}`;
    if (!words.trim()) blocking.push(issue('overlay-translation-missing', at, { ...named, language }, overlay.id));
    else if (words.length > MAX_CAPTION_LENGTH) blocking.push(issue('overlay-translation-too-long', at, { ...named, language, length: words.length, max: MAX_CAPTION_LENGTH }, overlay.id));
    else out[language] = words;
  }
  return out;
}

/** A caption's place and size per format, kept inside the frame; only for formats the request makes. */
function compileOverlayPlacements(overlay: DraftOverlay, formats: Aspect[] | undefined) {
  if (!formats || !overlay.placements) return undefined;
  const out: Partial<Record<Aspect, { position?: { x: number; y: number }; font_size?: number }>> = {};
  for (const format of formats) {
    const p = overlay.placements[format];
    if (!p) continue;
    const position = p.position && { x: clamp(p.position.x, 0, 100), y: clamp(p.position.y, 0, 100) };
    const fontSize = p.font_size !== undefined && Number.isFinite(p.font_size) ? clamp(p.font_size, 8, 600) : undefined;
    if (position || fontSize !== undefined) out[format] = { ...(position && { position }), ...(fontSize !== undefined && { font_size: fontSize }) };
  }
  return Object.keys(out).length ? out : undefined;
}

/** A segment's focus point and per-format framing (formats of the request only), in 0..100. */
function framingOf(segment: DraftSegment, formats: Aspect[]): Pick<NonNullable<GenerationRequestInput['segments']>[number], 'focus' | 'placements'> {
  const point = (p: { x: number; y: number }) => ({ x: clamp(Number.isFinite(p.x) ? p.x : 50, 0, 100), y: clamp(Number.isFinite(p.y) ? p.y : 50, 0, 100) });
  const placements: Partial<Record<Aspect, { focus: { x: number; y: number } }>> = {};
  if (formats.length > 1) {
    for (const format of formats) {
      const focus = segment.placements?.[format]?.focus;
      if (focus) placements[format] = { focus: point(focus) };
    }
  }
  return {
    ...(segment.focus && { focus: point(segment.focus) }),
    ...(Object.keys(placements).length > 0 && { placements }),
  };
}

/** A segment's sound settings for the request: only what differs from "as recorded". */
function soundOf(segment: Draft['segments'][number]): { volume_db?: number; muted?: boolean } {
  const volume = Number.isFinite(segment.volume_db) ? round6(clamp(segment.volume_db!, MIN_VOLUME_DB, MAX_VOLUME_DB)) : 0;
  return { ...(volume !== 0 && { volume_db: volume }), ...(segment.muted && { muted: true }) };
}

/** The draft's logo as the request's: its file, placement kept inside the frame, opacity 0..100. */
function compileLogo(logo: DraftLogo) {
  return {
    url: logo.path,
    position: { x: clamp(logo.position.x, 0, 100), y: clamp(logo.position.y, 0, 100) },
    width: clamp(Number.isFinite(logo.width) ? logo.width : 20, 0.5, 100),
    opacity: clamp(Number.isFinite(logo.opacity) ? logo.opacity : 100, 0, 100),
  };
}

function compileSettings(settings: Draft['settings']) {
  let width = clamp(even(settings.width), 64, H264_MAX_LONG_SIDE);
  let height = clamp(even(settings.height), 64, H264_MAX_LONG_SIDE);
  // H.264 on MediaConvert: the short side at most 2160 (4096x2160 or 2160x4096).
  if (width >= height) height = Math.min(height, H264_MAX_SHORT_SIDE);
  else width = Math.min(width, H264_MAX_SHORT_SIDE);
  const fps = clamp(settings.fps, 1, 120);
  return { width, height, fps, changed: width !== settings.width || height !== settings.height || fps !== settings.fps };
}

/** Probed facts as the request's `source`, when they are usable (else the renderer probes itself). */
function sourceFacts(media: MediaRef) {
  const f = media.facts!;
  const parsed = SourceInfo.safeParse({
    fps: f.fps,
    has_audio: f.has_audio,
    duration: f.duration,
    width: f.width,
    height: f.height,
    rotation: f.rotation,
    size_bytes: f.size_bytes,
  });
  return parsed.success ? parsed.data : undefined;
}

function compileStyle(overlay: DraftOverlay) {
  const s = overlay.style;
  const colour = Colour.safeParse(s.color);
  const background = s.background == null ? s.background : Colour.safeParse(s.background);
  const fontSize = Number.isFinite(s.font_size) && s.font_size > 0 && s.font_size <= 600 ? s.font_size : clamp(s.font_size || 72, 8, 600);
  const position = { x: clamp(overlay.position.x, 0, 100), y: clamp(overlay.position.y, 0, 100) };
  const style = {
    color: colour.success ? colour.data : '#FFFFFF',
    font_size: fontSize,
    ...(s.font_family && { font_family: s.font_family }),
    ...(s.font_weight && { font_weight: s.font_weight }),
    ...(s.background !== undefined && { background: background && typeof background === 'object' ? (background.success ? background.data : null) : background }),
    ...(s.align && { align: s.align }),
  };
  const changed =
    !colour.success ||
    (background !== null && background !== undefined && !background.success) ||
    fontSize !== s.font_size ||
    position.x !== overlay.position.x ||
    position.y !== overlay.position.y;
  return { style: { position, style }, changed };
}
