/**
 * Pure edits of the video track (segments) and the text track (overlays). Every function
 * returns new arrays and leaves its inputs untouched, so the store can keep them for undo and
 * share unchanged items between states. Times are snapped to frames of the project rate and
 * clamped so a segment always shows at least one frame of its media.
 */
import type { ProjectOverlay, ProjectSegment } from '../../../shared/project';
import { snapToFrame } from '../../../shared/time';
import { segmentIndexAt, timelineIndex } from './timeline-index';

export interface MediaLengths {
  /** Duration in seconds of a media, or undefined when unknown (no clamping then). */
  (mediaId: string): number | undefined;
}

const EPS = 1e-6;

function frame(fps: number): number {
  return 1 / fps;
}

/** A segment showing the whole media, or its first `maxSeconds`. */
export function segmentForMedia(id: string, mediaId: string, mediaDuration: number, fps: number, maxSeconds?: number): ProjectSegment {
  const length = maxSeconds === undefined ? mediaDuration : Math.min(maxSeconds, mediaDuration);
  let end = snapToFrame(length, fps);
  if (end > mediaDuration + EPS) end = mediaDuration;
  if (end < frame(fps)) end = Math.min(frame(fps), mediaDuration || frame(fps));
  return { id, media_id: mediaId, start_time: 0, end_time: end };
}

/** Insert `segment` at `index` (default: the end). */
export function addSegment(segments: readonly ProjectSegment[], segment: ProjectSegment, index = segments.length): ProjectSegment[] {
  const at = Math.max(0, Math.min(index, segments.length));
  return [...segments.slice(0, at), segment, ...segments.slice(at)];
}

/** Move the segment at `from` so that it ends up at index `to` of the result. */
export function moveSegment(segments: readonly ProjectSegment[], from: number, to: number): ProjectSegment[] {
  if (from < 0 || from >= segments.length) return segments as ProjectSegment[];
  const target = Math.max(0, Math.min(to, segments.length - 1));
  if (target === from) return segments as ProjectSegment[];
  const result = segments.slice();
  const [moved] = result.splice(from, 1);
  result.splice(target, 0, moved);
  return result;
}

/**
 * Move the segments with `ids` (kept in their current order) so the block starts at index
 * `to` of the remaining segments. Used for multi-select drags.
 */
export function moveSegmentsBlock(segments: readonly ProjectSegment[], ids: ReadonlySet<string>, to: number): ProjectSegment[] {
  const moving = segments.filter((s) => ids.has(s.id));
  if (moving.length === 0) return segments as ProjectSegment[];
  const rest = segments.filter((s) => !ids.has(s.id));
  const at = Math.max(0, Math.min(to, rest.length));
  return [...rest.slice(0, at), ...moving, ...rest.slice(at)];
}

/**
 * Drop index for a drag: the index in the list WITHOUT the dragged segment at which it should
 * be inserted, given the pointer's output time. Uses segment midpoints (O(log n)).
 */
export function dropIndexAt(segments: readonly ProjectSegment[], draggedIndex: number, t: number): number {
  const index = timelineIndex(segments);
  if (index.count === 0) return 0;
  const i = segmentIndexAt(index, t);
  const mid = (index.starts[i] + index.starts[i + 1]) / 2;
  let insertBefore = t < mid ? i : i + 1;
  if (insertBefore > draggedIndex) insertBefore -= 1;
  return Math.max(0, Math.min(insertBefore, segments.length - 1));
}

export type Edge = 'in' | 'out';

/**
 * Set the in (start) or out (end) point of a segment, in source seconds: snapped to frames,
 * kept inside the media and at least one frame long.
 */
export function trimSegment(
  segments: readonly ProjectSegment[],
  id: string,
  edge: Edge,
  sourceTime: number,
  fps: number,
  mediaDuration: number | undefined,
): ProjectSegment[] {
  const i = segments.findIndex((s) => s.id === id);
  if (i < 0) return segments as ProjectSegment[];
  const updated = trimmed(segments[i], edge, sourceTime, fps, mediaDuration);
  if (updated === segments[i]) return segments as ProjectSegment[];
  const result = segments.slice();
  result[i] = updated;
  return result;
}

/** Like trimSegment for the segment at a known index (the fast path for drags). */
export function trimSegmentAt(
  segments: readonly ProjectSegment[],
  i: number,
  edge: Edge,
  sourceTime: number,
  fps: number,
  mediaDuration: number | undefined,
): ProjectSegment[] {
  if (i < 0 || i >= segments.length) return segments as ProjectSegment[];
  const updated = trimmed(segments[i], edge, sourceTime, fps, mediaDuration);
  if (updated === segments[i]) return segments as ProjectSegment[];
  const result = segments.slice();
  result[i] = updated;
  return result;
}

function trimmed(segment: ProjectSegment, edge: Edge, sourceTime: number, fps: number, mediaDuration: number | undefined): ProjectSegment {
  const oneFrame = frame(fps);
  const maxEnd = mediaDuration ?? Number.POSITIVE_INFINITY;
  let start = segment.start_time;
  let end = segment.end_time;
  if (edge === 'in') {
    start = snapToFrame(Math.max(0, sourceTime), fps);
    start = Math.min(start, end - oneFrame);
    start = Math.max(0, start);
  } else {
    end = snapToFrame(sourceTime, fps);
    end = Math.max(end, start + oneFrame);
    if (end > maxEnd + EPS) end = Math.max(start + Math.min(oneFrame, maxEnd - start), maxEnd);
  }
  if (Math.abs(start - segment.start_time) < EPS && Math.abs(end - segment.end_time) < EPS) return segment;
  return { ...segment, start_time: round6(start), end_time: round6(end) };
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Split the segment under output time `t` into two at the nearest frame. Nothing happens when
 * `t` is within one frame of a cut (a split there would make an empty piece).
 */
export function splitAt(
  segments: readonly ProjectSegment[],
  t: number,
  fps: number,
  newId: string,
): { segments: ProjectSegment[]; leftId: string; rightId: string } | null {
  const index = timelineIndex(segments);
  const i = segmentIndexAt(index, t);
  if (i < 0) return null;
  const segment = segments[i];
  const cut = snapToFrame(segment.start_time + (t - index.starts[i]), fps);
  const oneFrame = frame(fps);
  if (cut < segment.start_time + oneFrame - EPS || cut > segment.end_time - oneFrame + EPS) return null;
  const left = { ...segment, end_time: round6(cut) };
  const right = { ...segment, id: newId, start_time: round6(cut) };
  const result = segments.slice();
  result.splice(i, 1, left, right);
  return { segments: result, leftId: left.id, rightId: newId };
}

/** Remove segments; later segments close the gap (the track is magnetic). */
export function rippleDelete(segments: readonly ProjectSegment[], ids: ReadonlySet<string>): ProjectSegment[] {
  if (ids.size === 0) return segments as ProjectSegment[];
  return segments.filter((s) => !ids.has(s.id));
}

/* ---------------------------------------------------------------- overlays */

export type OverlayPatch = Partial<Omit<ProjectOverlay, 'id' | 'style' | 'position'>> & {
  style?: Partial<ProjectOverlay['style']>;
  position?: Partial<ProjectOverlay['position']>;
};

export function addOverlay(overlays: readonly ProjectOverlay[], overlay: ProjectOverlay): ProjectOverlay[] {
  return [...overlays, overlay];
}

export function updateOverlay(overlays: readonly ProjectOverlay[], id: string, patch: OverlayPatch): ProjectOverlay[] {
  const i = overlays.findIndex((o) => o.id === id);
  if (i < 0) return overlays as ProjectOverlay[];
  const current = overlays[i];
  const next: ProjectOverlay = {
    ...current,
    ...patch,
    position: patch.position ? clampPosition({ ...current.position, ...patch.position }) : current.position,
    style: patch.style ? { ...current.style, ...patch.style } : current.style,
  } as ProjectOverlay;
  const result = overlays.slice();
  result[i] = next;
  return result;
}

function clampPosition(p: { x: number; y: number }): { x: number; y: number } {
  const c = (v: number) => Math.round(Math.max(0, Math.min(100, v)) * 100) / 100;
  return { x: c(p.x), y: c(p.y) };
}

/** Move an overlay in time keeping its length; it stays inside [0, timelineEnd]. */
export function moveOverlayTime(
  overlays: readonly ProjectOverlay[],
  id: string,
  start: number,
  fps: number,
  timelineEnd: number,
): ProjectOverlay[] {
  const o = overlays.find((x) => x.id === id);
  if (!o) return overlays as ProjectOverlay[];
  const length = o.end_time - o.start_time;
  let s = snapToFrame(Math.max(0, start), fps);
  if (timelineEnd > 0 && s + length > timelineEnd + EPS) s = Math.max(0, snapToFrame(timelineEnd - length, fps));
  return updateOverlay(overlays, id, { start_time: round6(s), end_time: round6(s + length) });
}

/** Move one edge of an overlay in time (at least one frame long, never before 0). */
export function resizeOverlayTime(
  overlays: readonly ProjectOverlay[],
  id: string,
  edge: Edge,
  time: number,
  fps: number,
  timelineEnd: number,
): ProjectOverlay[] {
  const o = overlays.find((x) => x.id === id);
  if (!o) return overlays as ProjectOverlay[];
  const oneFrame = frame(fps);
  const t = snapToFrame(time, fps);
  if (edge === 'in') {
    const start = Math.max(0, Math.min(t, o.end_time - oneFrame));
    return updateOverlay(overlays, id, { start_time: round6(start) });
  }
  let end = Math.max(t, o.start_time + oneFrame);
  if (timelineEnd > 0) end = Math.min(end, Math.max(timelineEnd, o.start_time + oneFrame));
  return updateOverlay(overlays, id, { end_time: round6(end) });
}

export function removeOverlays(overlays: readonly ProjectOverlay[], ids: ReadonlySet<string>): ProjectOverlay[] {
  if (ids.size === 0) return overlays as ProjectOverlay[];
  return overlays.filter((o) => !ids.has(o.id));
}

/**
 * Rows for the text track: overlapping overlays go on separate lanes (greedy by start time,
 * O(n log n)). Returns lane per overlay id and the number of lanes.
 */
export function overlayLanes(overlays: readonly ProjectOverlay[]): { lane: Map<string, number>; count: number } {
  const sorted = overlays.slice().sort((a, b) => a.start_time - b.start_time);
  const laneEnds: number[] = [];
  const lane = new Map<string, number>();
  for (const o of sorted) {
    let l = laneEnds.findIndex((end) => end <= o.start_time + EPS);
    if (l < 0) {
      l = laneEnds.length;
      laneEnds.push(o.end_time);
    } else laneEnds[l] = o.end_time;
    lane.set(o.id, l);
  }
  return { lane, count: Math.max(1, laneEnds.length) };
}

/** Overlay edges (start and end times), sorted, for snapping. */
export function overlayEdges(overlays: readonly ProjectOverlay[], exceptId?: string): Float64Array {
  const values: number[] = [];
  for (const o of overlays) {
    if (o.id === exceptId) continue;
    values.push(o.start_time, o.end_time);
  }
  return Float64Array.from(values.sort((a, b) => a - b));
}

/**
 * Overlays as the export needs them: inside the video (those starting after the end are left
 * out, ends past it are pulled back), with non-empty text. The editor keeps them as the user
 * left them; only the exported copy is adjusted.
 */
export function overlaysForExport(overlays: readonly ProjectOverlay[], duration: number): ProjectOverlay[] {
  return overlays
    .filter((o) => o.content.trim().length > 0 && o.start_time < duration - EPS)
    .map((o) => (o.end_time > duration ? { ...o, end_time: round6(duration) } : o));
}
