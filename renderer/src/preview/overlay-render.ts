/**
 * Overlay layouts for the preview, memoised per overlay object and frame size: the layout
 * (glyph outlines) is only recomputed when the overlay or the frame changes.
 */
import { layoutOverlay, overlayToSvg, type FontSet, type OverlayLayout } from '../../../shared/overlay';
import type { DraftOverlay } from '../../../shared/draft';

export interface RenderedOverlay {
  layout: OverlayLayout;
  svg: string;
}

type Entry = { key: string; value: RenderedOverlay | { error: string } };
const cache = new WeakMap<DraftOverlay, Entry>();
const fontSetIds = new WeakMap<FontSet, number>();
let nextFontSetId = 0;

function fontSetId(fonts: FontSet): number {
  let id = fontSetIds.get(fonts);
  if (id === undefined) fontSetIds.set(fonts, (id = ++nextFontSetId));
  return id;
}

export function renderOverlay(
  overlay: DraftOverlay,
  frame: { width: number; height: number },
  fonts: FontSet,
): RenderedOverlay | { error: string } {
  const key = `${frame.width}x${frame.height}/${fontSetId(fonts)}`;
  const hit = cache.get(overlay);
  if (hit && hit.key === key) return hit.value;
  let value: RenderedOverlay | { error: string };
  try {
    const layout = layoutOverlay({ content: overlay.content, position: overlay.position, style: overlay.style }, frame, fonts);
    value = { layout, svg: overlayToSvg(layout) };
  } catch (error) {
    value = { error: (error as Error).message };
  }
  cache.set(overlay, { key, value });
  return value;
}
