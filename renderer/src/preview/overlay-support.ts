/**
 * The overlay drawing code (font parsing, layout, SVG), loaded on demand: opentype.js is the
 * largest part of the renderer and a project without text never needs it.
 */
export { loadOverlayFonts } from './fonts';
export { renderOverlay, type RenderedOverlay } from './overlay-render';
