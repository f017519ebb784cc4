/** Shared timeline geometry: left padding and the visible window of the scroller. */
export const TIMELINE_PAD = 16;

export interface Viewport {
  /** scrollLeft of the timeline, px. */
  left: number;
  /** Visible width, px. */
  width: number;
}

/** Room to scroll past the end of the video, px (to drop a clip after the last one). */
export const TIMELINE_END_ROOM = 400;
/** The scrollable width grows and shrinks in steps of this many px. */
export const TIMELINE_WIDTH_STEP = 256;

/**
 * Width of the timeline's scrollable content for a video that ends at `end` seconds: at least
 * TIMELINE_END_ROOM past the end, rounded up to a step. A trim moves the end by a frame or two:
 * a width that followed it exactly changed the scroller's size on every trim, which made Chromium
 * lay out and layerize the whole scroller again on every frame of a drag (~3 ms, issue 13).
 */
export function timelineContentWidth(end: number, pxPerSecond: number): number {
  const exact = TIMELINE_PAD * 2 + end * pxPerSecond + TIMELINE_END_ROOM;
  return Math.ceil(exact / TIMELINE_WIDTH_STEP) * TIMELINE_WIDTH_STEP;
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
