/**
 * The overlay as SVG: the one drawing both the editor preview and the export PNG use.
 * Text is glyph outlines (path data from the layout), so no font is needed to draw it.
 */
import { svgFill } from './colour';
import type { OverlayLayout } from './types';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * An SVG of exactly the overlay box (`layout.box.width` x `height`, image-local coordinates):
 * the background rectangle (if any) filling the box, then all text as one filled path (one
 * path, so overlapping glyphs under a translucent colour are not painted twice).
 */
export function overlayToSvg(layout: OverlayLayout): string {
  const { width, height } = layout.box;
  const parts = [`<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`];
  if (layout.background) {
    parts.push(`<rect x="0" y="0" width="${width}" height="${height}" ${svgFill(layout.background)}/>`);
  }
  const d = layout.lines.map((line) => line.pathData).join('');
  if (d !== '') parts.push(`<path ${svgFill(layout.color)} d="${d}"/>`);
  parts.push('</svg>');
  return parts.join('');
}

/**
 * A full-frame SVG (frame width x height, transparent) with each overlay's `overlayToSvg`
 * string embedded verbatim at its box position, later overlays on top. For the preview:
 * stretch it over the video; it scales with the player.
 */
export function overlayFrameSvg(layouts: OverlayLayout | readonly OverlayLayout[]): string {
  const list = Array.isArray(layouts) ? layouts : [layouts as OverlayLayout];
  if (list.length === 0) throw new Error('overlayFrameSvg: needs at least one layout');
  const { width, height } = list[0].frame;
  for (const layout of list) {
    if (layout.frame.width !== width || layout.frame.height !== height) {
      throw new Error(`overlayFrameSvg: layouts are for different frames (${width}x${height} and ${layout.frame.width}x${layout.frame.height})`);
    }
  }
  const parts = [`<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`];
  for (const layout of list) {
    parts.push(`<g transform="translate(${layout.box.x} ${layout.box.y})">${overlayToSvg(layout)}</g>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** `data:` URL of an SVG string, for an `<img src>` in the preview. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
