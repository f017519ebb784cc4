/** Shared timeline geometry: left padding and the visible window of the scroller. */
export const TIMELINE_PAD = 16;

export interface Viewport {
  /** scrollLeft of the timeline, px. */
  left: number;
  /** Visible width, px. */
  width: number;
}

export function timeToX(t: number, pxPerSecond: number): number {
  return TIMELINE_PAD + t * pxPerSecond;
}

export function xToTime(x: number, pxPerSecond: number): number {
  return Math.max(0, (x - TIMELINE_PAD) / pxPerSecond);
}

/** Ruler label spacing: the smallest "nice" step giving at least `minPx` between labels. */
export function rulerStep(pxPerSecond: number, fps: number, minPx = 90): number {
  const steps = [1 / fps, 2 / fps, 5 / fps, 10 / fps, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
  return steps.find((s) => s * pxPerSecond >= minPx) ?? 1200;
}

/** Drag-and-drop type of a media card dragged from the media panel onto the video track. */
export const MEDIA_DRAG_TYPE = 'application/x-hospup-media';
