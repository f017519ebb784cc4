/**
 * The editor's document store: the open project, split into the parts undo tracks (name,
 * settings, segments, overlays) and the rest (identity, media references, selection).
 *
 * Every edit goes through an action here, which calls a pure function of `model/` and sets
 * the new arrays. zundo records one undo step per tracked change; gestures (drags) call
 * `beginGesture` / `endGesture` so a whole drag is a single undo step.
 */
import { create } from 'zustand';
import { temporal } from 'zundo';
import type { MediaRef, Draft, DraftLogo, DraftOverlay, DraftSegment, DraftSettings } from '../../../shared/draft';
import { PHOTO_DEFAULT_SECONDS } from '../../../shared/photo';
import type { MediaItem } from '../../../shared/api';
import { ASPECT_FRAMES, type Aspect } from '../../../shared/output-settings';
import { DRAFT_HISTORY_LIMIT, historySteps, type DraftDoc, type DraftHistory } from '../../../shared/draft';
import { encodeHistory } from '../../../shared/draft-history';
import {
  addOverlay,
  addSegment,
  moveOverlayTime,
  moveSegment,
  moveSegmentsBlock,
  removeOverlays,
  resizeOverlayTime,
  rippleDelete,
  segmentForMedia,
  splitAt,
  trimSegment,
  trimSegmentAt,
  updateOverlay,
  type Edge,
  type OverlayPatch,
} from '../model/timeline-ops';
import { timelineIndex } from '../model/timeline-index';
import { newId } from '../model/ids';
import { draftFormats, draftLanguages, overlayPlacement } from '../../../shared/draft-variants';
import type { CaptionImportPlan } from '../../../shared/caption-files';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** What undo/redo restores. */
export interface TrackedDoc {
  name: string;
  settings: DraftSettings;
  segments: DraftSegment[];
  overlays: DraftOverlay[];
  /** The logo over the whole video (null: none). */
  logo: DraftLogo | null;
  /** Variants: the frame shapes made (settings.aspect first) and the languages (the captions' own first); undefined: one video. */
  formats?: Aspect[];
  languages?: string[];
}

/** Which variant the preview and the caption box show (not saved: a way of looking, not an edit). */
export interface VariantView {
  format: Aspect;
  /** undefined: the captions' own language. */
  language?: string;
}

export type Selection =
  | { kind: 'none' }
  | { kind: 'logo' }
  | { kind: 'segments'; ids: string[] }
  | { kind: 'overlays'; ids: string[] };

/** Draft fields undo does not touch. */
type ProjectMeta = Omit<Draft, keyof TrackedDoc | 'media' | 'history'>;

export interface EditorState extends TrackedDoc {
  meta: ProjectMeta | null;
  /** Media references saved in the project (paths, facts). */
  media: MediaRef[];
  /** What the host serves for each media id (URLs, proxy status). */
  mediaItems: Record<string, MediaItem>;
  missingMedia: string[];
  selection: Selection;
  view: VariantView;
  /** Bumped on every change that should be autosaved. */
  revision: number;

  loadProject(project: Draft, missing?: string[]): void;
  closeProject(): void;
  /** The draft as the host needs it for exports and templates (no undo history). */
  getProject(): Draft | null;
  /** The draft as saved: with its undo history (bounded), so undo survives a reload. */
  getDraftForSave(): Draft | null;

  upsertMediaItems(items: MediaItem[]): void;
  setName(name: string): void;
  setSettings(patch: Partial<DraftSettings>): void;
  setAspect(aspect: Aspect): void;

  addMediaToTimeline(mediaId: string, index?: number): string | null;
  moveSegment(from: number, to: number): void;
  moveSelectedSegments(to: number): void;
  trimSegment(id: string, edge: Edge, sourceTime: number): void;
  trimSegmentAt(index: number, edge: Edge, sourceTime: number): void;
  setSegmentTimes(id: string, start: number, end: number): void;
  splitAtTime(t: number): string | null;
  deleteSelection(): void;

  /** Sound of a clip: its level in dB and/or muted. */
  setSegmentSound(id: string, patch: { volume_db?: number; muted?: boolean }): void;
  setLogo(logo: DraftLogo | null): void;
  updateLogo(patch: Partial<Pick<DraftLogo, 'position' | 'width' | 'opacity'>>): void;

  /** Add or remove a format (the first, settings.aspect, stays: change it with setAspect). */
  setFormatOn(format: Aspect, on: boolean): void;
  /** Add a language at the end, or remove one (the first only when it is the last one). */
  setLanguageOn(language: string, on: boolean): void;
  setView(view: Partial<VariantView>): void;
  /** A caption's place and/or size in one format: the first format edits its own, the others their placement. */
  placeOverlay(id: string, format: Aspect, patch: { position?: { x: number; y: number }; font_size?: number }): void;
  /** A caption's text in one language (the first: its content). */
  setOverlayText(id: string, language: string | undefined, text: string): void;
  /** A segment's focus point in one format (the first: its own focus). */
  setSegmentFocus(id: string, format: Aspect, focus: { x: number; y: number }): void;

  /** An imported caption file (caption-files.ts plan) in one language: one undo step. */
  applyCaptionImport(language: string | undefined, plan: CaptionImportPlan): void;

  addTextOverlay(at: number, content: string, fontFamily?: DraftOverlay['style']['font_family']): string;
  updateOverlay(id: string, patch: OverlayPatch): void;
  moveOverlay(id: string, start: number): void;
  resizeOverlay(id: string, edge: Edge, time: number): void;

  select(selection: Selection): void;
  toggleSelect(kind: 'segments' | 'overlays', id: string, additive: boolean): void;

  beginGesture(): void;
  endGesture(): void;
}

const EMPTY_SETTINGS: DraftSettings = { aspect: '9:16', width: 1080, height: 1920, fps: 30 };

let gestureStart: TrackedDoc | null = null;

function tracked(state: TrackedDoc): TrackedDoc {
  return { name: state.name, settings: state.settings, segments: state.segments, overlays: state.overlays, logo: state.logo, formats: state.formats, languages: state.languages };
}

export const useEditor = create<EditorState>()(
  temporal(
    (set, get) => {
      /** Apply a tracked change and mark it for autosave. */
      const edit = (patch: Partial<TrackedDoc> & Partial<Pick<EditorState, 'selection'>>) =>
        set((s) => ({ ...patch, revision: s.revision + 1 }));
      const mediaDuration = (mediaId: string) => {
        const s = get();
        return s.mediaItems[mediaId]?.facts?.duration ?? s.media.find((m) => m.id === mediaId)?.facts?.duration;
      };
      const fps = () => get().settings.fps;
      const duration = () => timelineIndex(get().segments).duration;

      return {
        meta: null,
        name: '',
        settings: EMPTY_SETTINGS,
        segments: [],
        overlays: [],
        logo: null,
        media: [],
        mediaItems: {},
        missingMedia: [],
        selection: { kind: 'none' },
        view: { format: EMPTY_SETTINGS.aspect },
        revision: 0,

        loadProject(project, missing = []) {
          const { name, settings, segments, overlays, media, logo, formats, languages, ...meta } = project;
          const { history, ...rest } = meta;
          set({
            meta: rest, name, settings, segments, overlays, logo: logo ?? null, formats, languages, media, missingMedia: missing,
            selection: { kind: 'none' }, view: { format: settings.aspect }, revision: 0,
          });
          resetHistory();
          if (history) restoreHistory(history);
        },
        closeProject() {
          set({
            meta: null, name: '', settings: EMPTY_SETTINGS, segments: [], overlays: [], logo: null, formats: undefined, languages: undefined,
            media: [], mediaItems: {}, missingMedia: [], selection: { kind: 'none' }, view: { format: EMPTY_SETTINGS.aspect },
          });
          resetHistory();
        },
        getProject() {
          const s = get();
          if (!s.meta) return null;
          return {
            ...s.meta,
            name: s.name,
            settings: s.settings,
            media: s.media,
            segments: s.segments,
            overlays: s.overlays,
            ...(s.logo && { logo: s.logo }),
            ...(s.formats && { formats: s.formats }),
            ...(s.languages && { languages: s.languages }),
            updated_at: new Date().toISOString(),
          } as Draft;
        },
        getDraftForSave() {
          const draft = get().getProject();
          if (!draft) return null;
          return { ...draft, history: savedHistory() };
        },

        upsertMediaItems(items) {
          if (items.length === 0) return;
          set((s) => {
            const mediaItems = { ...s.mediaItems };
            const media = s.media.slice();
            const known = new Map(media.map((m, i) => [m.id, i]));
            let mediaChanged = false;
            const missing = new Set(s.missingMedia);
            for (const item of items) {
              mediaItems[item.id] = item;
              const ref: MediaRef = { id: item.id, path: item.path, name: item.name, size_bytes: item.size_bytes, mtime_ms: item.mtime_ms, facts: item.facts };
              const at = known.get(item.id);
              if (at === undefined) {
                known.set(item.id, media.length);
                media.push(ref);
                mediaChanged = true;
              } else if (media[at].path !== ref.path || media[at].mtime_ms !== ref.mtime_ms || (!media[at].facts && ref.facts)) {
                media[at] = ref;
                mediaChanged = true;
              }
              if (item.previewStatus === 'missing') missing.add(item.id);
              else missing.delete(item.id);
            }
            return {
              mediaItems,
              media: mediaChanged ? media : s.media,
              missingMedia: [...missing],
              revision: mediaChanged ? s.revision + 1 : s.revision,
            };
          });
        },

        setName(name) {
          edit({ name });
        },
        setSettings(patch) {
          edit({ settings: { ...get().settings, ...patch } });
        },
        setAspect(aspect) {
          const s = get();
          const settings = { ...s.settings, aspect, ...ASPECT_FRAMES[aspect] };
          // The new main format leads the list; the one it replaces stays a format of the project.
          const formats = s.formats && draftFormats({ settings, formats: [...s.formats] });
          edit({ settings, formats });
          set({ view: { ...get().view, format: aspect } });
        },

        setFormatOn(format, on) {
          const s = get();
          const current = draftFormats(s);
          if (format === s.settings.aspect) return;
          const formats = on ? [...current.filter((f) => f !== format), format] : current.filter((f) => f !== format);
          edit({ formats: formats.length > 1 ? formats : undefined });
          if (!on && s.view.format === format) set({ view: { ...get().view, format: s.settings.aspect } });
        },
        setLanguageOn(language, on) {
          const current = draftLanguages(get());
          if (on === current.includes(language)) return;
          if (!on && language === current[0] && current.length > 1) return;
          const languages = on ? [...current, language] : current.filter((l) => l !== language);
          edit({ languages: languages.length ? languages : undefined });
          if (!on && get().view.language === language) set({ view: { ...get().view, language: undefined } });
        },
        setView(view) {
          set({ view: { ...get().view, ...view } });
        },
        placeOverlay(id, format, patch) {
          const s = get();
          // The main format edits the caption's own place, unless it has a placement of its own (it was another format's before).
          if (format === s.settings.aspect && !s.overlays.find((o) => o.id === id)?.placements?.[format]) {
            s.updateOverlay(id, { ...(patch.position && { position: patch.position }), ...(patch.font_size !== undefined && { style: { font_size: patch.font_size } }) });
            return;
          }
          const overlays = s.overlays.map((o) => {
            if (o.id !== id) return o;
            const now = overlayPlacement(o, format);
            const position = patch.position ? { x: clamp(patch.position.x, 0, 100), y: clamp(patch.position.y, 0, 100) } : now.position;
            const placement = { position, font_size: patch.font_size ?? now.font_size };
            return { ...o, placements: { ...o.placements, [format]: placement } };
          });
          edit({ overlays });
        },
        setOverlayText(id, language, text) {
          const s = get();
          const first = draftLanguages(s)[0];
          if (language === undefined || language === first) {
            s.updateOverlay(id, { content: text });
            return;
          }
          edit({ overlays: s.overlays.map((o) => (o.id === id ? { ...o, translations: { ...o.translations, [language]: text } } : o)) });
        },
        setSegmentFocus(id, format, focus) {
          const s = get();
          const point = { x: clamp(focus.x, 0, 100), y: clamp(focus.y, 0, 100) };
          const segments = s.segments.map((x) => {
            if (x.id !== id) return x;
            if (format === s.settings.aspect && !x.placements?.[format]) return { ...x, focus: point };
            return { ...x, placements: { ...x.placements, [format]: { ...x.placements?.[format], focus: point } } };
          });
          edit({ segments });
        },

        addMediaToTimeline(mediaId, index) {
          const length = mediaDuration(mediaId);
          if (length === undefined || length <= 0) return null;
          const id = newId('seg');
          // A photo shows for 3 s when it is dropped; its trim handles change that (up to its "duration", the longest allowed).
          const s = get();
          const photo = (s.mediaItems[mediaId]?.facts ?? s.media.find((m) => m.id === mediaId)?.facts)?.kind === 'photo';
          const segment = segmentForMedia(id, mediaId, length, fps(), photo ? PHOTO_DEFAULT_SECONDS : undefined);
          edit({ segments: addSegment(get().segments, segment, index), selection: { kind: 'segments', ids: [id] } });
          return id;
        },
        moveSegment(from, to) {
          const segments = moveSegment(get().segments, from, to);
          if (segments !== get().segments) edit({ segments });
        },
        moveSelectedSegments(to) {
          const sel = get().selection;
          if (sel.kind !== 'segments') return;
          edit({ segments: moveSegmentsBlock(get().segments, new Set(sel.ids), to) });
        },
        trimSegment(id, edge, sourceTime) {
          const s = get();
          const segment = s.segments.find((x) => x.id === id);
          if (!segment) return;
          const segments = trimSegment(s.segments, id, edge, sourceTime, s.settings.fps, mediaDuration(segment.media_id));
          if (segments !== s.segments) edit({ segments });
        },
        trimSegmentAt(index, edge, sourceTime) {
          const s = get();
          const segment = s.segments[index];
          if (!segment) return;
          const segments = trimSegmentAt(s.segments, index, edge, sourceTime, s.settings.fps, mediaDuration(segment.media_id));
          if (segments !== s.segments) edit({ segments });
        },
        setSegmentTimes(id, start, end) {
          const s = get();
          const segment = s.segments.find((x) => x.id === id);
          if (!segment) return;
          const md = mediaDuration(segment.media_id);
          // Order matters so a move to the right is not blocked by the old end.
          let segments = s.segments;
          if (start >= segment.end_time) {
            segments = trimSegment(segments, id, 'out', end, s.settings.fps, md);
            segments = trimSegment(segments, id, 'in', start, s.settings.fps, md);
          } else {
            segments = trimSegment(segments, id, 'in', start, s.settings.fps, md);
            segments = trimSegment(segments, id, 'out', end, s.settings.fps, md);
          }
          if (segments !== s.segments) edit({ segments });
        },
        splitAtTime(t) {
          const s = get();
          const result = splitAt(s.segments, t, s.settings.fps, newId('seg'));
          if (!result) return null;
          edit({ segments: result.segments, selection: { kind: 'segments', ids: [result.rightId] } });
          return result.rightId;
        },
        deleteSelection() {
          const s = get();
          const sel = s.selection;
          if (sel.kind === 'segments') edit({ segments: rippleDelete(s.segments, new Set(sel.ids)), selection: { kind: 'none' } });
          else if (sel.kind === 'overlays') edit({ overlays: removeOverlays(s.overlays, new Set(sel.ids)), selection: { kind: 'none' } });
          else if (sel.kind === 'logo') edit({ logo: null, selection: { kind: 'none' } });
        },

        setSegmentSound(id, patch) {
          const segments = get().segments.map((x) => {
            if (x.id !== id) return x;
            const next = { ...x, ...patch };
            if (next.volume_db === 0) delete next.volume_db;
            if (!next.muted) delete next.muted;
            return next;
          });
          edit({ segments });
        },
        setLogo(logo) {
          edit({ logo, selection: logo ? { kind: 'logo' } : { kind: 'none' } });
        },
        updateLogo(patch) {
          const logo = get().logo;
          if (!logo) return;
          edit({ logo: { ...logo, ...patch, ...(patch.position && { position: { ...patch.position } }) } });
        },

        applyCaptionImport(language, plan) {
          const s = get();
          const first = draftLanguages(s)[0];
          if (plan.kind === 'create') {
            const overlays = plan.cues.map((cue): DraftOverlay => ({
              id: newId('text'), content: cue.text, start_time: cue.start, end_time: cue.end, position: { x: 50, y: 80 },
              style: { color: '#FFFFFF', font_size: 56, font_family: 'Inter', font_weight: 'bold', background: '#000000B3', align: 'center' },
            }));
            edit({ overlays: [...s.overlays, ...overlays] });
            return;
          }
          const byId = new Map(plan.matches.map((m) => [m.overlayId, m.cue.text]));
          const own = language === undefined || language === first;
          edit({
            overlays: s.overlays.map((o) => {
              const text = byId.get(o.id);
              if (text === undefined) return o;
              return own ? { ...o, content: text } : { ...o, translations: { ...o.translations, [language]: text } };
            }),
          });
        },

        addTextOverlay(at, content, fontFamily = 'Inter') {
          const s = get();
          const total = duration();
          const length = Math.min(3, Math.max(1 / s.settings.fps, total > 0 ? total : 3));
          let start = Math.max(0, Math.min(at, total > 0 ? total - length : at));
          start = Math.round(start * s.settings.fps) / s.settings.fps;
          const id = newId('text');
          const overlay: DraftOverlay = {
            id,
            content,
            start_time: start,
            end_time: Math.round((start + length) * 1e6) / 1e6,
            position: { x: 50, y: 30 },
            style: { color: '#FFFFFF', font_size: 72, font_family: fontFamily, font_weight: 'bold', background: null, align: 'center' },
          };
          edit({ overlays: addOverlay(s.overlays, overlay), selection: { kind: 'overlays', ids: [id] } });
          return id;
        },
        updateOverlay(id, patch) {
          const overlays = updateOverlay(get().overlays, id, patch);
          if (overlays !== get().overlays) edit({ overlays });
        },
        moveOverlay(id, start) {
          edit({ overlays: moveOverlayTime(get().overlays, id, start, fps(), duration()) });
        },
        resizeOverlay(id, edge, time) {
          edit({ overlays: resizeOverlayTime(get().overlays, id, edge, time, fps(), duration()) });
        },

        select(selection) {
          set({ selection });
        },
        toggleSelect(kind, id, additive) {
          const sel = get().selection;
          if (!additive || sel.kind !== kind) {
            set({ selection: { kind, ids: [id] } });
            return;
          }
          const ids = sel.ids.includes(id) ? sel.ids.filter((x) => x !== id) : [...sel.ids, id];
          set({ selection: ids.length ? { kind, ids } : { kind: 'none' } });
        },

        beginGesture() {
          if (gestureStart) return;
          gestureStart = tracked(get());
          useEditor.temporal.getState().pause();
        },
        endGesture() {
          const before = gestureStart;
          gestureStart = null;
          const temporalState = useEditor.temporal.getState();
          if (!before) {
            temporalState.resume();
            return;
          }
          const after = tracked(get());
          const changed = (Object.keys(after) as (keyof TrackedDoc)[]).some((k) => after[k] !== before[k]);
          if (!changed) {
            temporalState.resume();
            return;
          }
          // Rewind silently to the state before the drag, then apply the result once: one undo step.
          set(before);
          temporalState.resume();
          set({ ...after });
        },
      };
    },
    {
      partialize: (state): TrackedDoc => tracked(state),
      equality: (a, b) =>
        a.name === b.name && a.settings === b.settings && a.segments === b.segments && a.overlays === b.overlays && a.logo === b.logo && a.formats === b.formats && a.languages === b.languages,
      limit: 200,
    },
  ),
);

/** The undo history as saved with the draft; the library keeps the next redo last: keep the nearest steps of each side. */
function savedHistory(): DraftHistory {
  const { pastStates, futureStates } = useEditor.temporal.getState();
  const keep = (states: Partial<TrackedDoc>[]) => states.slice(-DRAFT_HISTORY_LIMIT) as TrackedDoc[];
  // Compact: steps share their records (a 1,000-segment project's 50 steps stay about one project's size).
  return encodeHistory(keep(pastStates), keep(futureStates));
}

function restoreHistory(history: DraftHistory): void {
  const steps = historySteps(history);
  // Steps saved before logos existed have none: undo then shows the project without a logo.
  // Steps saved before variants have no formats/languages: the keys are set anyway, so undo really goes back to one video.
  const withLogo = (docs: DraftDoc[]) => docs.map((d) => ({ ...d, logo: d.logo ?? null, formats: d.formats, languages: d.languages }));
  if (steps) useEditor.temporal.setState({ pastStates: withLogo(steps.past), futureStates: withLogo(steps.future) });
}

/** A new document starts with an empty history and no gesture in flight. */
function resetHistory() {
  gestureStart = null;
  const temporalState = useEditor.temporal.getState();
  temporalState.clear();
  temporalState.resume();
}

export const undo = () => {
  useEditor.temporal.getState().undo();
  bumpRevision();
};
export const redo = () => {
  useEditor.temporal.getState().redo();
  bumpRevision();
};
function bumpRevision() {
  useEditor.setState((s) => ({ revision: s.revision + 1 }));
}
