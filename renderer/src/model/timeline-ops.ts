/**
 * Pure edits of the video track (segments) and the text track (overlays). Every function
 * returns new arrays and leaves its inputs untouched, so the store can keep them for undo and
 * share unchanged items between states. Times are snapped to frames of the project rate and
 * clamped so a segment always shows at least one frame of its media.
 */
import type { DraftOverlay, DraftSegment } from '../../../shared/draft';
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
export function segmentForMedia(id: string, mediaId: string, mediaDuration: number, fps: number, maxSeconds?: number): DraftSegment {
  const length = maxSeconds === undefined ? mediaDuration : Math.min(maxSeconds, mediaDuration);
  let end = snapToFrame(length, fps);
  if (end > mediaDuration + EPS) end = mediaDuration;
  if (end < frame(fps)) end = Math.min(frame(fps), mediaDuration || frame(fps));
  return { id, media_id: mediaId, start_time: 0, end_time: end };
}

/** Insert `segment` at `index` (default: the end). */
export function addSegment(segments: readonly DraftSegment[], segment: DraftSegment, index = segments.length): DraftSegment[] {
  const at = Math.max(0, Math.min(index, segments.length));
  return [...segments.slice(0, at), segment, ...segments.slice(at)];
}

/** Move the segment at `from` so that it ends up at index `to` of the result. */
export function moveSegment(segments: readonly DraftSegment[], from: number, to: number): DraftSegment[] {
  if (from < 0 || from >= segments.length) return segments as DraftSegment[];
  const target = Math.max(0, Math.min(to, segments.length - 1));
  if (target === from) return segments as DraftSegment[];
  const result = segments.slice();
  const [moved] = result.splice(from, 1);
  result.splice(target, 0, moved);
  return result;
}

/**
 * Move the segments with `ids` (kept in their current order) so the block starts at index
 * `to` of the remaining segments. Used for multi-select drags.
 */
export function moveSegmentsBlock(segments: readonly DraftSegment[], ids: ReadonlySet<string>, to: number): DraftSegment[] {
  const moving = segments.filter((s) => ids.has(s.id));
  if (moving.length === 0) return segments as DraftSegment[];
  const rest = segments.filter((s) => !ids.has(s.id));
  const at = Math.max(0, Math.min(to, rest.length));
  return [...rest.slice(0, at), ...moving, ...rest.slice(at)];
}

/**
 * Drop index for a drag: the index in the list WITHOUT the dragged segment at which it should
 * be inserted, given the pointer's output time. Uses segment midpoints (O(log n)).
 */
export function dropIndexAt(segments: readonly DraftSegment[], draggedIndex: number, t: number): number {
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
  segments: readonly DraftSegment[],
  id: string,
  edge: Edge,
  sourceTime: number,
  fps: number,
  mediaDuration: number | undefined,
): DraftSegment[] {
  const i = segments.findIndex((s) => s.id === id);
  if (i < 0) return segments as DraftSegment[];
  const updated = trimmed(segments[i], edge, sourceTime, fps, mediaDuration);
  if (updated === segments[i]) return segments as DraftSegment[];
  const result = segments.slice();
  result[i] = updated;
  return result;
}

/** Like trimSegment for the segment at a known index (the fast path for drags). */
export function trimSegmentAt(
  segments: readonly DraftSegment[],
  i: number,
  edge: Edge,
  sourceTime: number,
  fps: number,
  mediaDuration: number | undefined,
): DraftSegment[] {
  if (i < 0 || i >= segments.length) return segments as DraftSegment[];
  const updated = trimmed(segments[i], edge, sourceTime, fps, mediaDuration);
  if (updated === segments[i]) return segments as DraftSegment[];
  const result = segments.slice();
  result[i] = updated;
  return result;
}

function trimmed(segment: DraftSegment, edge: Edge, sourceTime: number, fps: number, mediaDuration: number | undefined): DraftSegment {
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
  segments: readonly DraftSegment[],
  t: number,
  fps: number,
  newId: string,
): { segments: DraftSegment[]; leftId: string; rightId: string } | null {
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
export function rippleDelete(segments: readonly DraftSegment[], ids: ReadonlySet<string>): DraftSegment[] {
  if (ids.size === 0) return segments as DraftSegment[];
  return segments.filter((s) => !ids.has(s.id));
}

/* ---------------------------------------------------------------- overlays */

export type OverlayPatch = Partial<Omit<DraftOverlay, 'id' | 'style' | 'position'>> & {
  style?: Partial<DraftOverlay['style']>;
  position?: Partial<DraftOverlay['position']>;
};

export function addOverlay(overlays: readonly DraftOverlay[], overlay: DraftOverlay): DraftOverlay[] {
  return [...overlays, overlay];
}

export function updateOverlay(overlays: readonly DraftOverlay[], id: string, patch: OverlayPatch): DraftOverlay[] {
  const i = overlays.findIndex((o) => o.id === id);
  if (i < 0) return overlays as DraftOverlay[];
  const current = overlays[i];
  const next: DraftOverlay = {
    ...current,
    ...patch,
    position: patch.position ? clampPosition({ ...current.position, ...patch.position }) : current.position,
    style: patch.style ? { ...current.style, ...patch.style } : current.style,
  } as DraftOverlay;
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
  overlays: readonly DraftOverlay[],
  id: string,
  start: number,
  fps: number,
  timelineEnd: number,
): DraftOverlay[] {
  const o = overlays.find((x) => x.id === id);
  if (!o) return overlays as DraftOverlay[];
  const length = o.end_time - o.start_time;
  let s = snapToFrame(Math.max(0, start), fps);
  if (timelineEnd > 0 && s + length > timelineEnd + EPS) s = Math.max(0, snapToFrame(timelineEnd - length, fps));
  return updateOverlay(overlays, id, { start_time: round6(s), end_time: round6(s + length) });
}

/** Move one edge of an overlay in time (at least one frame long, never before 0). */
export function resizeOverlayTime(
  overlays: readonly DraftOverlay[],
  id: string,
  edge: Edge,
  time: number,
  fps: number,
  timelineEnd: number,
): DraftOverlay[] {
  const o = overlays.find((x) => x.id === id);
  if (!o) return overlays as DraftOverlay[];
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

export function removeOverlays(overlays: readonly DraftOverlay[], ids: ReadonlySet<string>): DraftOverlay[] {
  if (ids.size === 0) return overlays as DraftOverlay[];
  return overlays.filter((o) => !ids.has(o.id));
}

/**
 * Rows for the text track: overlapping overlays go on separate lanes (greedy by start time,
 * O(n log n)). Returns lane per overlay id and the number of lanes.
 */
export function overlayLanes(overlays: readonly DraftOverlay[]): { lane: Map<string, number>; count: number } {
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
export function overlayEdges(overlays: readonly DraftOverlay[], exceptId?: string): Float64Array {
  const values: number[] = [];
  for (const o of overlays) {
    if (o.id === exceptId) continue;
    values.push(o.start_time, o.end_time);
  }
  return Float64Array.from(values.sort((a, b) => a - b));
}
