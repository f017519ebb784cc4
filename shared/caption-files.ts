/**
 * Captions in and out of SRT/WebVTT files, one file per language (subtitles.ts reads and
 * writes the files): the cues of a language are the captions' times with that language's text;
 * an imported file fills a language's text of the captions its cues meet in time, or, for the
 * captions' own language in a project without captions, becomes the captions.
 *
 * Pure: the editor applies the plan (one undo step) and shows what was and was not matched.
 */
import type { DraftOverlay } from './draft';
import type { Cue } from './subtitles';
import { overlayText } from './draft-variants';

/** The cues of one language: each caption with words in it, by start time. */
export function captionCues(overlays: readonly DraftOverlay[], language: string | undefined, firstLanguage: string | undefined): Cue[] {
  return overlays
    .map((o) => ({ start: o.start_time, end: o.end_time, text: overlayText(o, language, firstLanguage).trim() }))
    .filter((c) => c.text !== '' && c.end > c.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

export type CaptionImportPlan =
  | {
      kind: 'fill';
      /** Each matched caption and the text it gets. */
      matches: { overlayId: string; cue: Cue }[];
      /** Cues that meet no caption (their words are not used). */
      unmatchedCues: Cue[];
      /** Captions no cue met (their text in that language is left as it was). */
      unmatchedOverlays: string[];
    }
  | { kind: 'create'; cues: Cue[] };

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/**
 * How a file's cues go into the captions. Same number of cues as captions: by order (a
 * translator's file keeps the captions' rhythm, even if its times drifted). Otherwise each cue
 * goes to the caption it overlaps most in time, each caption taking at most one cue (the
 * largest overlaps first). The captions' own language in a project without captions: new ones.
 */
export function planCaptionImport(overlays: readonly DraftOverlay[], cues: readonly Cue[], isFirstLanguage: boolean): CaptionImportPlan {
  if (overlays.length === 0 && isFirstLanguage) return { kind: 'create', cues: [...cues] };
  const ordered = [...overlays].sort((a, b) => a.start_time - b.start_time || a.end_time - b.end_time);
  const timed = (o: DraftOverlay) => ({ start: o.start_time, end: o.end_time });
  if (ordered.length === cues.length) {
    return { kind: 'fill', matches: ordered.map((o, i) => ({ overlayId: o.id, cue: cues[i] })), unmatchedCues: [], unmatchedOverlays: [] };
  }
  const pairs = ordered
    .flatMap((o) => cues.map((cue, c) => ({ o, c, cue, amount: overlap(timed(o), cue) })))
    .filter((p) => p.amount > 0)
    .sort((a, b) => b.amount - a.amount);
  const usedOverlays = new Set<string>();
  const usedCues = new Set<number>();
  const matches: { overlayId: string; cue: Cue; at: number }[] = [];
  for (const p of pairs) {
    if (usedOverlays.has(p.o.id) || usedCues.has(p.c)) continue;
    usedOverlays.add(p.o.id);
    usedCues.add(p.c);
    matches.push({ overlayId: p.o.id, cue: p.cue, at: p.o.start_time });
  }
  return {
    kind: 'fill',
    matches: matches.sort((a, b) => a.at - b.at).map(({ overlayId, cue }) => ({ overlayId, cue })),
    unmatchedCues: cues.filter((_, i) => !usedCues.has(i)),
    unmatchedOverlays: ordered.filter((o) => !usedOverlays.has(o.id)).map((o) => o.id),
  };
}
