/**
 * Derived timeline facts: where each segment starts on the output timeline (prefix sums),
 * which segment plays at a time, and the total length. Memoised by the segments array
 * identity, so every reader of one store state shares one O(n) computation and lookups are
 * O(log n): the editor stays fast with thousands of segments.
 */
import type { DraftSegment } from '../../../shared/draft';

export interface TimelineIndex {
  /** starts[i] = output time where segment i begins; starts[n] = total duration. */
  readonly starts: Float64Array;
  readonly duration: number;
  readonly count: number;
}

const cache = new WeakMap<readonly DraftSegment[], TimelineIndex>();

export function timelineIndex(segments: readonly DraftSegment[]): TimelineIndex {
  let index = cache.get(segments);
  if (!index) {
    const starts = new Float64Array(segments.length + 1);
    for (let i = 0; i < segments.length; i++) {
      starts[i + 1] = starts[i] + Math.max(0, segments[i].end_time - segments[i].start_time);
    }
    index = { starts, duration: starts[segments.length], count: segments.length };
    cache.set(segments, index);
  }
  return index;
}

/** Largest i with starts[i] <= t (clamped to 0..n-1); -1 when there are no segments. */
export function segmentIndexAt(index: TimelineIndex, t: number): number {
  if (index.count === 0) return -1;
  let lo = 0;
  let hi = index.count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.starts[mid] <= t + 1e-9) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index range [first, last] of segments that intersect the output interval [from, to]. */
export function segmentsInRange(index: TimelineIndex, from: number, to: number): [number, number] {
  if (index.count === 0) return [0, -1];
  return [segmentIndexAt(index, from), segmentIndexAt(index, to)];
}

export interface PlayPosition {
  segmentIndex: number;
  /** Seconds in the segment's source clip. */
  sourceTime: number;
  /** Output time where that segment starts. */
  segmentStart: number;
}

/** The segment and source time shown at output time `t` (clamped into the timeline). */
export function locate(segments: readonly DraftSegment[], t: number): PlayPosition | null {
  const index = timelineIndex(segments);
  const i = segmentIndexAt(index, t);
  if (i < 0) return null;
  const segment = segments[i];
  const offset = Math.min(Math.max(0, t - index.starts[i]), segment.end_time - segment.start_time);
  return { segmentIndex: i, sourceTime: segment.start_time + offset, segmentStart: index.starts[i] };
}

/** Cut points (segment edges) as a sorted array, for snapping. */
export function cutPoints(segments: readonly DraftSegment[]): Float64Array {
  return timelineIndex(segments).starts;
}
