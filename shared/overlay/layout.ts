/**
 * # Text overlay layout rules
 *
 * One set of rules, one implementation, used by the editor preview and by the export (the
 * Lambda rasterises the same SVG to the PNG that MediaConvert's image inserter places at
 * output pixels). All sizes below are output pixels of a frame `W` x `H`.
 *
 * - **Font size**: `fontPx = style.font_size * W / 1080` (font_size is defined at a 1080 px wide
 *   frame; the same overlay on a 720 px wide frame is 2/3 the size).
 * - **Font**: `style.font_family` (Inter, Montserrat, Playfair Display; default Inter) and
 *   `style.font_weight` (regular, bold; default **bold**), from the TTFs bundled in
 *   `shared/fonts/`. Glyph outlines become SVG paths: no system font is ever used.
 * - **Shaping**: NFC-normalised text, one glyph per character from the font's cmap, GPOS pair
 *   kerning; no ligatures. A character the font lacks draws the font's .notdef box, except
 *   default-ignorable ones (variation selectors, zero-width joiners), which draw nothing.
 * - **Lines**: `\n` (or `\r\n`) is a hard break; blank lines in the middle are kept, leading
 *   and trailing blank lines are dropped. Spaces and tabs separate words; runs of them collapse
 *   to one space and lines never start or end with one (a no-break space U+00A0 is kept and
 *   does not break). Words wrap greedily at a maximum line width of `0.9 * W`; a single word
 *   wider than that is broken between characters.
 * - **Line height**: `1.25 * fontPx`. Within a line the font's ascent+descent (hhea) is centred
 *   vertically (CSS half-leading), which places the baseline.
 * - **Text block**: as wide as the widest line (advance widths, kerning included) and
 *   `lines * lineHeight` tall. Each line is aligned inside the block by `style.align`
 *   (left, center, right; default center).
 * - **Padding**: around the block, `0.3 * fontPx` when `style.background` is set, else 2 px so
 *   antialiasing is not clipped. The padding grows (equally on both sides, so the text stays
 *   centred) until the glyph outlines that stick out of the block (accents, swashes) are
 *   inside with a 2 px margin. If the padded box would be larger than the frame, the padding
 *   shrinks to fit; a text block larger than the frame itself is an error.
 * - **Box**: `ceil(block + 2 * padding)` in each dimension, whole pixels (odd sizes allowed).
 *   Its centre is at `position.x% * W`, `position.y% * H`; its top-left is rounded to whole
 *   pixels (`Math.round`) and then clamped so the box lies fully inside the frame. The
 *   background, when set, fills the whole box (square corners).
 *
 * - **Length**: at most `MAX_CAPTION_LENGTH` (2,000) characters (shared/limits.ts); the wrap is
 *   linear in the length.
 *
 * Everything here is pure and deterministic: the same spec, frame and font bytes give the
 * same layout (and the same SVG string) in node and in the browser.
 */
import type { Path, PathCommand } from 'opentype.js';
import { MAX_CAPTION_LENGTH } from '../limits';
import { parseHexColour, formatNumber } from './colour';
import { OverlayError } from './errors';
import { fontForStyle, joinRuns, measureUnits, shapeText, type FontSet, type OverlayFont, type RunMeasure } from './font';
import type { FrameSize, LaidOutLine, OverlayAlign, OverlayLayout, OverlaySpec } from './types';

/** Frame width at which `font_size` is expressed. */
export const REFERENCE_FRAME_WIDTH = 1080;
export const MAX_LINE_WIDTH_RATIO = 0.9;
export const LINE_HEIGHT_RATIO = 1.25;
export const BACKGROUND_PADDING_RATIO = 0.3;
/** Clear space kept around glyph outlines so antialiased edges are not cut. */
export const ANTIALIAS_MARGIN_PX = 2;

const ALIGNS: readonly OverlayAlign[] = ['left', 'center', 'right'];
const EPSILON = 1e-6;

/** Lays out one overlay in a frame (see the rules above). Throws OverlayError on a bad spec. */
export function layoutOverlay(spec: OverlaySpec, frame: FrameSize, fonts: FontSet): OverlayLayout {
  checkFrame(frame);
  const style = spec.style;
  if (typeof style?.font_size !== 'number' || !Number.isFinite(style.font_size) || style.font_size <= 0) {
    throw new OverlayError('style.font_size', `must be a positive number (got ${JSON.stringify(style?.font_size)})`);
  }
  const align = style.align ?? 'center';
  if (!ALIGNS.includes(align)) {
    throw new OverlayError('style.align', `must be one of ${ALIGNS.join(', ')} (got ${JSON.stringify(align)})`);
  }
  for (const axis of ['x', 'y'] as const) {
    const value = spec.position?.[axis];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new OverlayError(`position.${axis}`, `must be a number, percent of the frame (got ${JSON.stringify(value)})`);
    }
  }
  const color = parseHexColour(style.color, 'style.color');
  const background =
    style.background === null || style.background === undefined
      ? null
      : parseHexColour(style.background, 'style.background');
  const face = fontForStyle(fonts, style);

  const fontPx = (style.font_size * frame.width) / REFERENCE_FRAME_WIDTH;
  const lineHeight = LINE_HEIGHT_RATIO * fontPx;
  const texts = wrapText(face, splitLines(spec.content), fontPx, MAX_LINE_WIDTH_RATIO * frame.width);

  // Shape each line and place it in block coordinates (block top-left = 0,0).
  const scale = fontPx / face.font.unitsPerEm;
  const ascent = face.font.ascender * scale;
  const descent = -face.font.descender * scale;
  const baselineInLine = (lineHeight - (ascent + descent)) / 2 + ascent;
  const shaped = texts.map((text) => ({ text, run: shapeText(face, text, fontPx) }));
  const blockWidth = Math.max(...shaped.map((s) => s.run.width));
  const blockHeight = shaped.length * lineHeight;
  if (blockWidth > frame.width + EPSILON || blockHeight > frame.height + EPSILON) {
    throw new OverlayError(
      'style.font_size',
      `the text needs ${Math.ceil(blockWidth)}x${Math.ceil(blockHeight)} px, more than the ` +
        `${frame.width}x${frame.height} frame; use a smaller font_size or shorter content`,
    );
  }

  const ink = new InkBounds();
  const placed = shaped.map(({ text, run }, i) => {
    const x = align === 'left' ? 0 : align === 'right' ? blockWidth - run.width : (blockWidth - run.width) / 2;
    const baseline = i * lineHeight + baselineInLine;
    const paths = run.glyphs.map((g) => g.glyph.getPath(x + g.x, baseline, fontPx));
    paths.forEach((path) => ink.add(path));
    return { text, run, x, baseline, paths };
  });

  const basePadding = background ? BACKGROUND_PADDING_RATIO * fontPx : ANTIALIAS_MARGIN_PX;
  const padX = fitPadding(
    Math.max(basePadding, ink.overflowX(blockWidth) + ANTIALIAS_MARGIN_PX),
    blockWidth,
    frame.width,
  );
  const padY = fitPadding(
    Math.max(basePadding, ink.overflowY(blockHeight) + ANTIALIAS_MARGIN_PX),
    blockHeight,
    frame.height,
  );
  const width = Math.min(frame.width, Math.ceil(blockWidth + 2 * padX - EPSILON));
  const height = Math.min(frame.height, Math.ceil(blockHeight + 2 * padY - EPSILON));
  const originX = (width - blockWidth) / 2;
  const originY = (height - blockHeight) / 2;
  const centreX = (spec.position.x / 100) * frame.width;
  const centreY = (spec.position.y / 100) * frame.height;
  const box = {
    x: clamp(Math.round(centreX - width / 2), 0, frame.width - width),
    y: clamp(Math.round(centreY - height / 2), 0, frame.height - height),
    width,
    height,
  };

  const lines: LaidOutLine[] = placed.map(({ text, run, x, baseline, paths }) => ({
    text,
    x: originX + x,
    baseline: originY + baseline,
    width: run.width,
    glyphs: run.glyphs.map((g) => ({ char: g.char, glyphIndex: g.glyph.index, x: originX + x + g.x })),
    pathData: paths.map((path) => pathToSvgData(path, originX, originY)).join(''),
  }));

  return {
    frame: { width: frame.width, height: frame.height },
    box,
    family: face.family,
    weight: face.weight,
    align,
    fontPx,
    lineHeight,
    padding: { x: originX, y: originY },
    lines,
    color,
    background,
  };
}

/** The box in percent of the frame: handy to position the overlay image over a scaled preview. */
export function overlayBoxPercent(layout: OverlayLayout): { left: number; top: number; width: number; height: number } {
  const { box, frame } = layout;
  return {
    left: (box.x / frame.width) * 100,
    top: (box.y / frame.height) * 100,
    width: (box.width / frame.width) * 100,
    height: (box.height / frame.height) * 100,
  };
}

function checkFrame(frame: FrameSize): void {
  for (const side of ['width', 'height'] as const) {
    const value = frame?.[side];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new Error(`frame.${side}: must be a positive whole number of pixels (got ${JSON.stringify(value)})`);
    }
  }
}

/** Hard lines of the content: NFC, `\r\n` -> `\n`, whitespace collapsed, outer blank lines dropped. */
export function splitLines(content: unknown): string[][] {
  if (typeof content !== 'string') {
    throw new OverlayError('content', `must be a string (got ${JSON.stringify(content)})`);
  }
  // Bounds the work for any caller (the preview lays out whatever a draft holds).
  if (content.length > MAX_CAPTION_LENGTH) {
    throw new OverlayError('content', `is too long: at most ${MAX_CAPTION_LENGTH} characters (got ${content.length})`);
  }
  const lines = content
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    // Any whitespace but the no-break spaces (U+00A0, narrow U+202F, figure U+2007) separates words.
    .map((line) => keepFrenchPunctuation(line.split(/[^\S\u00a0\u202f\u2007]+/).filter((word) => word !== '')));
  while (lines.length > 0 && lines[0].length === 0) lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].length === 0) lines.pop();
  if (lines.length === 0) throw new OverlayError('content', 'must contain some visible text');
  return lines;
}

/** Punctuation that never starts a line in French typography (`–20 %`, `Bienvenue !`), and the opening guillemet that never ends one. */
const NO_BREAK_BEFORE = /^[%:;!?»‰]/u;
const NO_BREAK_AFTER = '«';

/**
 * Joins a word to the one before it with a no-break space when French typography forbids a
 * break there ("–20 %" typed with a plain space never wraps before the "%").
 */
function keepFrenchPunctuation(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const last = out.length - 1;
    // endsWith, not /«$/: a regex anchored at the end scans the whole (possibly joined, long) word.
    if (last >= 0 && (NO_BREAK_BEFORE.test(word) || out[last].endsWith(NO_BREAK_AFTER))) out[last] = `${out[last]}\u00a0${word}`;
    else out.push(word);
  }
  return out;
}

/**
 * Greedy word wrap of each hard line at `maxWidth` px; over-long words break between characters.
 * Linear in the text's length: each word and character is measured once and lines grow by
 * joining measured runs (measuring every candidate line anew made a 100 KB caption take
 * minutes; test/unit/overlay-layout.test.ts checks both give the same lines).
 */
function wrapText(face: OverlayFont, hardLines: string[][], fontPx: number, maxWidth: number): string[] {
  const scale = fontPx / face.font.unitsPerEm;
  const fits = (run: RunMeasure) => run.units * scale <= maxWidth + EPSILON;
  const space = measureUnits(face, ' ');
  const out: string[] = [];
  for (const words of hardLines) {
    let parts: string[] = [];
    let line: RunMeasure | undefined;
    const flush = () => {
      if (line) out.push(parts.join(''));
      parts = [];
      line = undefined;
    };
    for (const word of words) {
      const measured = measureUnits(face, word);
      if (line) {
        const candidate = joinRuns(face, joinRuns(face, line, space), measured);
        if (fits(candidate)) {
          parts.push(' ', word);
          line = candidate;
          continue;
        }
        flush();
      }
      if (fits(measured)) {
        parts = [word];
        line = measured;
        continue;
      }
      for (const char of word) {
        const glyph = measureUnits(face, char);
        const candidate: RunMeasure | undefined = line && joinRuns(face, line, glyph);
        if (candidate && !fits(candidate)) flush();
        // A lone character always stays, even if wider than the line.
        line = line ? candidate : glyph;
        parts.push(char);
      }
    }
    if (line) flush();
    else out.push(''); // a blank line in the middle: it keeps its height
  }
  return out;
}

/** Union of glyph outline bounds, block coordinates. */
class InkBounds {
  x1 = Infinity;
  y1 = Infinity;
  x2 = -Infinity;
  y2 = -Infinity;

  add(path: Path): void {
    if (path.commands.length === 0) return;
    const b = path.getBoundingBox();
    if (b.isEmpty()) return;
    this.x1 = Math.min(this.x1, b.x1);
    this.y1 = Math.min(this.y1, b.y1);
    this.x2 = Math.max(this.x2, b.x2);
    this.y2 = Math.max(this.y2, b.y2);
  }

  /** How far the ink sticks out of [0, width] on its worse side (0 if inside). */
  overflowX(width: number): number {
    return this.x1 > this.x2 ? 0 : Math.max(0, -this.x1, this.x2 - width);
  }

  overflowY(height: number): number {
    return this.y1 > this.y2 ? 0 : Math.max(0, -this.y1, this.y2 - height);
  }
}

function fitPadding(wanted: number, block: number, frame: number): number {
  return Math.max(0, Math.min(wanted, (frame - block) / 2));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** SVG path data of an opentype.js path, translated by (dx, dy), 2 decimals. */
function pathToSvgData(path: Path, dx: number, dy: number): string {
  const x = (v: number | undefined) => formatNumber((v ?? 0) + dx);
  const y = (v: number | undefined) => formatNumber((v ?? 0) + dy);
  return path.commands.map((c: PathCommand) => {
    switch (c.type) {
      case 'M':
      case 'L':
        return `${c.type}${x(c.x)} ${y(c.y)}`;
      case 'Q':
        return `Q${x(c.x1)} ${y(c.y1)} ${x(c.x)} ${y(c.y)}`;
      case 'C':
        return `C${x(c.x1)} ${y(c.y1)} ${x(c.x2)} ${y(c.y2)} ${x(c.x)} ${y(c.y)}`;
      case 'Z':
        return 'Z';
    }
  }).join('');
}
