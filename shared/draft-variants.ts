/**
 * The variants of a draft as the editor and the export see them: its formats (the settings'
 * aspect first: the captions' own positions and the segments' own focus are for it), its
 * languages (the captions' own text is in the first), what a caption or a segment looks like in
 * one of them, and the draft restricted to the variants ticked for one export.
 *
 * Pure; compileDraft (compile-draft.ts) turns the result into the request's `formats`,
 * `languages`, `translations`, `placements` and `focus`.
 */
import { ASPECTS, ASPECT_FRAMES, type Aspect } from './output-settings';
import type { Draft, DraftOverlay, DraftSegment } from './draft';

type Point = { x: number; y: number };

/** The formats a draft makes, each once, its settings' aspect first. */
export function draftFormats(draft: Pick<Draft, 'settings' | 'formats'>): Aspect[] {
  const known = new Set<string>(ASPECTS);
  const rest = (draft.formats ?? []).filter((f) => known.has(f) && f !== draft.settings.aspect);
  return [draft.settings.aspect, ...new Set(rest)];
}

/** True when the draft makes several videos (then they are named by label, `9x16-fr`, even one). */
export function isVariantDraft(draft: Pick<Draft, 'settings' | 'formats' | 'languages'>): boolean {
  return draftFormats(draft).length > 1 || draftLanguages(draft).length > 0;
}

/** The languages a draft makes, each once (empty: captions in one unnamed language). */
export function draftLanguages(draft: Pick<Draft, 'languages'>): string[] {
  return [...new Set(draft.languages ?? [])];
}

/** A caption's text in a language: the first (or none) is its `content`. */
export function overlayText(overlay: DraftOverlay, language: string | undefined, firstLanguage: string | undefined): string {
  if (language === undefined || language === firstLanguage) return overlay.content;
  return overlay.translations?.[language] ?? '';
}

/** A caption's centre and size in a format: that format's placement, else its own. */
export function overlayPlacement(overlay: DraftOverlay, format: Aspect): { position: Point; font_size: number } {
  const p = overlay.placements?.[format];
  return { position: p?.position ?? overlay.position, font_size: p?.font_size ?? overlay.style.font_size };
}

/** A segment's focus point in a format (percent of the upright picture; centre by default). */
export function segmentFocus(segment: DraftSegment, format: Aspect): Point {
  return segment.placements?.[format]?.focus ?? segment.focus ?? { x: 50, y: 50 };
}

/** Captions (with words in the first language) that lack their text in `language`. */
export function missingTranslations(draft: Pick<Draft, 'overlays' | 'languages'>, language: string): DraftOverlay[] {
  const first = draftLanguages(draft)[0];
  return draft.overlays.filter((o) => o.content.trim() !== '' && !overlayText(o, language, first).trim());
}

/**
 * The draft as one export makes it: only the ticked formats and languages (a request is the
 * full product of both). When the first format or language is not ticked, the first ticked one
 * takes its place: captions and segments take that format's placement as their own, captions
 * that language's text as their content.
 */
export function pickVariants(draft: Draft, pick: { formats: readonly Aspect[]; languages: readonly string[] }): Draft {
  const formats = draftFormats(draft).filter((f) => pick.formats.includes(f));
  const languages = draftLanguages(draft).filter((l) => pick.languages.includes(l));
  const lead = formats[0] ?? draft.settings.aspect;
  const moved = lead !== draft.settings.aspect;
  const firstLanguage = draftLanguages(draft)[0];
  const written = languages[0];
  const rewritten = written !== undefined && written !== firstLanguage;

  const overlays = draft.overlays.map((o) => {
    if (!moved && !rewritten) return o;
    const { position, font_size } = overlayPlacement(o, lead);
    const translations = { ...o.translations, ...(firstLanguage !== undefined && { [firstLanguage]: o.content }) };
    const content = rewritten ? overlayText(o, written, firstLanguage) : o.content;
    if (rewritten) delete translations[written];
    return { ...o, content, position, style: { ...o.style, font_size }, translations };
  });
  const segments = moved ? draft.segments.map((s) => ({ ...s, focus: segmentFocus(s, lead) })) : draft.segments;
  return {
    ...draft,
    settings: moved ? { ...draft.settings, aspect: lead, ...ASPECT_FRAMES[lead] } : draft.settings,
    formats,
    ...(draft.languages !== undefined && { languages }),
    overlays,
    segments,
  };
}
