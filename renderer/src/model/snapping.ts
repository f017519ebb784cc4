/**
 * Magnetic snapping: a dragged time sticks to the nearest cut, overlay edge or the playhead
 * when it comes within a few pixels of it. Candidates arrive sorted so lookups are O(log n).
 */

/** Nearest value of the sorted `sorted` to `t`, or undefined when the array is empty. */
export function nearestSorted(sorted: ArrayLike<number>, t: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  const after = sorted[lo];
  const before = lo > 0 ? sorted[lo - 1] : after;
  return Math.abs(before - t) <= Math.abs(after - t) ? before : after;
}

export interface SnapTargets {
  /** Sorted times (segment edges, overlay edges...). */
  sorted: ArrayLike<number>[];
  /** Unsorted extra times (playhead). */
  extra?: number[];
}

/**
 * `t` moved onto the closest target within `thresholdSec`, or `t` unchanged.
 * Returns the snapped time and the target it snapped to (for drawing a guide).
 */
export function snapTime(t: number, targets: SnapTargets, thresholdSec: number): { time: number; snappedTo: number | null } {
  let best: number | null = null;
  let bestDistance = thresholdSec;
  const consider = (candidate: number | undefined) => {
    if (candidate === undefined) return;
    const distance = Math.abs(candidate - t);
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  };
  for (const list of targets.sorted) consider(nearestSorted(list, t));
  for (const value of targets.extra ?? []) consider(value);
  return best === null ? { time: t, snappedTo: null } : { time: best, snappedTo: best };
}

/** Snap threshold in seconds for a pixel distance at a zoom level (px per second). */
export function snapThreshold(pixels: number, pxPerSecond: number): number {
  return pixels / Math.max(1e-6, pxPerSecond);
}
