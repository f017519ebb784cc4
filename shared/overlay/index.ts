/** Text overlays: layout rules, SVG drawing and fonts shared by the editor preview and the export. */
import { layoutOverlay } from './layout';
import { overlayToSvg } from './svg';
import type { FontSet } from './font';
import type { FrameSize, OverlayLayout, OverlaySpec } from './types';

export * from './types';
export { OverlayError } from './errors';
export { parseHexColour } from './colour';
export {
  createFontSet,
  parseOverlayFont,
  fontForStyle,
  shapeText,
  measureText,
  type FontSet,
  type FontBytes,
  type OverlayFont,
} from './font';
export {
  layoutOverlay,
  overlayBoxPercent,
  splitLines,
  REFERENCE_FRAME_WIDTH,
  MAX_LINE_WIDTH_RATIO,
  LINE_HEIGHT_RATIO,
  BACKGROUND_PADDING_RATIO,
  ANTIALIAS_MARGIN_PX,
} from './layout';
export { overlayToSvg, overlayFrameSvg, svgDataUrl } from './svg';

/** Layout plus the SVG string: what the preview shows and what the Lambda rasterises. */
export function renderOverlaySvg(
  spec: OverlaySpec,
  frame: FrameSize,
  fonts: FontSet,
): { layout: OverlayLayout; svg: string } {
  const layout = layoutOverlay(spec, frame, fonts);
  return { layout, svg: overlayToSvg(layout) };
}
