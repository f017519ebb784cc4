/**
 * Types of the text-overlay renderer shared by the editor preview and the export Lambda.
 * `OverlaySpec` mirrors one `text_overlays[i]` of the generation request (snake_case), minus
 * its timing, which the renderer does not need.
 */
import type { FontFamily, FontWeight } from '../fonts/catalog';

export type OverlayAlign = 'left' | 'center' | 'right';

export interface OverlayStyle {
  /** Text colour `#RRGGBB` or `#RRGGBBAA` (`#RGB` also accepted). */
  color: string;
  /** Output pixels at a 1080 px wide frame; scaled by frameWidth / 1080. */
  font_size: number;
  /** Default 'Inter'. */
  font_family?: FontFamily;
  /** Default 'bold'. */
  font_weight?: FontWeight;
  /** Box colour behind the text, padded; null or absent = no box. */
  background?: string | null;
  /** Alignment of the lines inside the text block. Default 'center'. */
  align?: OverlayAlign;
}

export interface OverlaySpec {
  /** The text; '\n' forces a line break. */
  content: string;
  /** CENTRE of the text box, percent of the frame (0..100). */
  position: { x: number; y: number };
  style: OverlayStyle;
}

export interface FrameSize {
  width: number;
  height: number;
}

/** A rectangle in whole output pixels. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A straight (not premultiplied) colour, channels 0..255. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export interface PositionedGlyph {
  /** The character this glyph draws (one code point). */
  char: string;
  /** Glyph index in the font (0 = .notdef: the font lacks the character). */
  glyphIndex: number;
  /** Pen position (left of the glyph's advance), box-local px. */
  x: number;
}

export interface LaidOutLine {
  text: string;
  /** Left of the line's advance, box-local px. */
  x: number;
  /** Baseline, box-local px (y grows downwards). */
  baseline: number;
  /** Advance width of the line (kerning included), px. */
  width: number;
  glyphs: PositionedGlyph[];
  /** The line's glyph outlines as SVG path data, box-local px. */
  pathData: string;
}

export interface OverlayLayout {
  frame: FrameSize;
  /** Where the overlay image goes in the frame (top-left and size), whole px, inside the frame. */
  box: PixelBox;
  family: FontFamily;
  weight: FontWeight;
  align: OverlayAlign;
  fontPx: number;
  lineHeight: number;
  /** Space between the text block and the box edges, px (left/right, top/bottom). */
  padding: { x: number; y: number };
  lines: LaidOutLine[];
  color: Rgba;
  background: Rgba | null;
}
