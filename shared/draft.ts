/**
 * The draft: what the editor holds and what a project file stores. It is deliberately NOT the
 * render request: a draft holds anything the editor can hold while someone is working — an
 * empty caption, a text past the end of the video, a clip whose file is missing or not probed
 * yet, a segment pointing at media that is gone — and saving it never fails for its content.
 * `compileDraft` (compile-draft.ts) turns a draft into a valid request, listing what it had to
 * change or leave out.
 *
 * The schema only checks shapes (a number is a number), never editing rules. Files of earlier
 * versions are migrated on read (draft-migrations.ts). Semantics match the request: a segment
 * shows [start_time, end_time) seconds of its media; segments play in array order; overlay
 * times are on the output timeline.
 */
import { z } from 'zod';
import { ASPECTS, resolveOutputSettings } from './output-settings';
import { FONT_FAMILIES, FONT_WEIGHTS, TEXT_ALIGNS, type GenerationRequest } from './request';
import { MediaRef } from './project';
import { issueToFieldError, type FieldError } from './validation';
import { compactHistorySchema, decodeHistory } from './draft-history';

export { MediaFacts, MediaRef } from './project';

export const DRAFT_FORMAT = 'hospup-project';
export const DRAFT_VERSION = 2;
/** Undo steps kept in the file (each way): enough to undo a session's work, small enough to autosave often. */
export const DRAFT_HISTORY_LIMIT = 50;

const Num = z.number().finite();
const FocusPointDraft = z.object({ x: Num, y: Num });

/** A project's frame shapes: the first is `settings.aspect`, the one the captions' own positions are for. */
export const DraftFormats = z.array(z.enum(ASPECTS));
/** Language codes (`fr`, `pt-BR`): the first is the one captions are written in (`content`). */
export const DraftLanguages = z.array(z.string());

export const DraftSegment = z.object({
  id: z.string().min(1),
  /** May name media the draft no longer has: compileDraft leaves such a segment out. */
  media_id: z.string(),
  start_time: Num,
  end_time: Num,
  /** Sound level in dB (0 = as recorded; the request allows -60..+6). */
  volume_db: Num.optional(),
  muted: z.boolean().optional(),
  /** The point of the picture the crop keeps in view, percent of the upright picture (absent: centre). */
  focus: FocusPointDraft.optional(),
  /** Per format: its own framing, over `focus`. */
  placements: z.partialRecord(z.enum(ASPECTS), z.object({ focus: FocusPointDraft.optional() })).optional(),
});
export type DraftSegment = z.infer<typeof DraftSegment>;

/**
 * The logo over the whole video (from the brand kit): its file on this computer, its own pixel
 * size (for its aspect in the preview), and where it goes (as the request's `logo`).
 */
export const DraftLogo = z.object({
  path: z.string(),
  name: z.string(),
  image: z.object({ width: z.number().positive(), height: z.number().positive() }),
  /** Centre, percent of the frame. */
  position: z.object({ x: Num, y: Num }),
  /** Percent of the frame width. */
  width: Num,
  /** 0..100. */
  opacity: Num,
});
export type DraftLogo = z.infer<typeof DraftLogo>;

export const DraftOverlayStyle = z.object({
  /** `#RRGGBB[AA]` when made by the editor; anything else is replaced at compile time. */
  color: z.string(),
  font_size: Num,
  font_family: z.enum(FONT_FAMILIES).optional(),
  font_weight: z.enum(FONT_WEIGHTS).optional(),
  background: z.string().nullable().optional(),
  align: z.enum(TEXT_ALIGNS).optional(),
});
export type DraftOverlayStyle = z.infer<typeof DraftOverlayStyle>;

export const DraftOverlay = z.object({
  id: z.string().min(1),
  /** May be empty or blank while being typed. */
  content: z.string(),
  start_time: Num,
  end_time: Num,
  position: z.object({ x: Num, y: Num }),
  style: DraftOverlayStyle,
  /** The text in each other language of the project (may be blank while typing: compileDraft blocks then). */
  translations: z.record(z.string(), z.string()).optional(),
  /** Per format other than the first: its own place and size, over `position` and `style.font_size`. */
  placements: z.partialRecord(z.enum(ASPECTS), z.object({ position: z.object({ x: Num, y: Num }).optional(), font_size: Num.optional() })).optional(),
});
export type DraftOverlay = z.infer<typeof DraftOverlay>;

export const DraftSettings = z.object({
  aspect: z.enum(ASPECTS),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fps: z.number().positive(),
});
export type DraftSettings = z.infer<typeof DraftSettings>;

/** What undo restores: the parts of a draft a person edits. */
export const DraftDoc = z.object({
  name: z.string(),
  settings: DraftSettings,
  segments: z.array(DraftSegment),
  overlays: z.array(DraftOverlay),
  logo: DraftLogo.nullable().optional(),
  formats: DraftFormats.optional(),
  languages: DraftLanguages.optional(),
});
export type DraftDoc = z.infer<typeof DraftDoc>;

/**
 * Undo history saved with the draft so it survives a reload: `past` oldest first; `future` with
 * the next redo last. Written in the compact form (draft-history.ts: each distinct segment and
 * overlay once); the first v2 files wrote whole documents, still read.
 */
export const FullDraftHistory = z.object({
  past: z.array(DraftDoc).max(DRAFT_HISTORY_LIMIT),
  future: z.array(DraftDoc).max(DRAFT_HISTORY_LIMIT),
});
export const CompactDraftHistory = compactHistorySchema({ segment: DraftSegment, overlay: DraftOverlay, settings: DraftSettings, logo: DraftLogo, formats: DraftFormats, languages: DraftLanguages }, DRAFT_HISTORY_LIMIT);
export const DraftHistory = z.union([CompactDraftHistory, FullDraftHistory]);
export type DraftHistory = z.infer<typeof DraftHistory>;

/** The history's steps as documents, whichever form was stored (undefined: unreadable, start without). */
export function historySteps(history: DraftHistory): { past: DraftDoc[]; future: DraftDoc[] } | undefined {
  return 'encoding' in history ? decodeHistory(history) : history;
}

export const DraftSchema = z.object({
  format: z.literal(DRAFT_FORMAT),
  version: z.literal(DRAFT_VERSION),
  id: z.string().min(1),
  name: z.string(),
  property_id: z.string().default('1'),
  template_id: z.string().default('custom'),
  created_at: z.string(),
  updated_at: z.string(),
  settings: DraftSettings,
  media: z.array(MediaRef),
  segments: z.array(DraftSegment),
  overlays: z.array(DraftOverlay),
  /** The logo drawn over the whole video; absent or null: none. */
  logo: DraftLogo.nullable().optional(),
  /** Variants (absent: one video of `settings`): the frame shapes made, `settings.aspect` first. */
  formats: DraftFormats.optional(),
  /** Variants: the languages made, the captions' own language first (absent: one, unnamed). */
  languages: DraftLanguages.optional(),
  history: DraftHistory.optional(),
});
export type Draft = z.output<typeof DraftSchema>;

export function isDraftDocument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === DRAFT_FORMAT;
}

export type DraftParseResult = { ok: true; draft: Draft } | { ok: false; errors: FieldError[] };

/** Parse a draft of the current version (use `readDraft` for files, which migrates old ones). */
export function parseDraft(input: unknown): DraftParseResult {
  const parsed = DraftSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map(issueToFieldError) };
  return { ok: true, draft: parsed.data };
}

export function newDraft(init: { id: string; name: string; now: string; aspect?: (typeof ASPECTS)[number] }): Draft {
  const output = resolveOutputSettings({ aspect: init.aspect ?? '9:16' });
  return {
    format: DRAFT_FORMAT,
    version: DRAFT_VERSION,
    id: init.id,
    name: init.name,
    property_id: '1',
    template_id: 'custom',
    created_at: init.now,
    updated_at: init.now,
    settings: output,
    media: [],
    segments: [],
    overlays: [],
  };
}

/** A draft for a request (to open an old request in the editor). */
export function requestToDraft(
  request: GenerationRequest,
  init: { id: string; name: string; now: string; mediaFor: (videoUrl: string, index: number) => MediaRef },
): Draft {
  const draft = newDraft({ id: init.id, name: init.name, now: init.now });
  draft.property_id = request.property_id;
  draft.template_id = request.template_id;
  draft.settings = resolveOutputSettings(request.output);
  const mediaByUrl = new Map<string, MediaRef>();
  const ordered = [...request.segments].map((s, i) => ({ s, i })).sort((a, b) => a.s.order - b.s.order || a.i - b.i);
  draft.segments = ordered.map(({ s, i }) => {
    let media = mediaByUrl.get(s.video_url);
    if (!media) {
      media = init.mediaFor(s.video_url, mediaByUrl.size);
      mediaByUrl.set(s.video_url, media);
    }
    return {
      id: s.id ?? `seg${i + 1}`, media_id: media.id, start_time: s.start_time, end_time: s.end_time,
      ...(s.volume_db !== undefined && { volume_db: s.volume_db }),
      ...(s.muted && { muted: true }),
    };
  });
  draft.media = [...mediaByUrl.values()];
  draft.overlays = request.text_overlays.map((o, i) => ({ ...o, id: o.id ?? `text${i + 1}` }));
  return draft;
}

/** Length of the video track in seconds, as the editor shows it. */
export function draftDuration(draft: Pick<Draft, 'segments'>): number {
  return draft.segments.reduce((sum, s) => sum + Math.max(0, s.end_time - s.start_time), 0);
}
