/**
 * Parsed fonts for overlays, and text shaping.
 *
 * Shaping is deliberately simple and fully ours, so the preview and the export cannot differ:
 * text is NFC-normalised, each code point maps to one glyph through the font's cmap (a missing
 * character draws the font's .notdef box), pens advance by the glyph's advance width plus the
 * GPOS pair kerning (`kerning.ts`). No GSUB (no ligatures, no contextual forms): opentype.js
 * v2 throws on the bundled fonts' GSUB 'ccmp' lookups, and Latin overlay text does not need it.
 */
import * as opentypeModule from 'opentype.js';
import type { Font, Glyph } from 'opentype.js';
import {
  DEFAULT_FONT_FAMILY,
  DEFAULT_FONT_WEIGHT,
  FONT_FAMILIES,
  FONT_WEIGHTS,
  fontKey,
  isFontFamily,
  isFontWeight,
  type FontFamily,
  type FontWeight,
} from '../fonts/catalog';
import { OverlayError } from './errors';
import { readKerning, type Kerning } from './kerning';

/** One parsed face: the opentype.js font (outlines, metrics) plus our kerning table. */
export interface OverlayFont {
  family: FontFamily;
  weight: FontWeight;
  font: Font;
  kerning: Kerning;
}

/** The faces available to the renderer, keyed by `fontKey(family, weight)`. */
export interface FontSet {
  faces: ReadonlyMap<string, OverlayFont>;
}

// The package is UMD for node and bundlers, ESM for some resolvers: take `parse` from either shape.
const opentypeParse: typeof opentypeModule.parse =
  opentypeModule.parse ?? (opentypeModule as unknown as { default: { parse: typeof opentypeModule.parse } }).default.parse;

/** Parses one face from its TTF bytes (pure: the caller did the I/O). */
export function parseOverlayFont(
  bytes: ArrayBuffer | Uint8Array,
  family: FontFamily,
  weight: FontWeight,
): OverlayFont {
  const buffer =
    bytes instanceof Uint8Array
      ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
      : bytes;
  let font: Font;
  try {
    // lowMemory: glyphs are read when first drawn (a caption uses a few dozen of ~2,600), a third of the parse.
    font = opentypeParse(buffer, { lowMemory: true });
  } catch (error) {
    throw new Error(`font ${family} ${weight}: not a readable TTF/OTF (${(error as Error).message})`);
  }
  return { family, weight, font, kerning: readKerning(buffer) };
}

export interface FontBytes {
  family: FontFamily;
  weight: FontWeight;
  bytes: ArrayBuffer | Uint8Array;
}

/**
 * Builds a FontSet from loaded bytes (see `FONT_FACES` in the catalogue for the full list). Each
 * face is parsed the first time it is asked for: parsing one costs ~15 ms and a burst of garbage,
 * and most videos use one or two of the six (an export's start-up paid ~0.2 s for all of them).
 */
export function createFontSet(entries: readonly FontBytes[]): FontSet {
  return { faces: new LazyFaces(entries) };
}

class LazyFaces implements ReadonlyMap<string, OverlayFont> {
  private readonly bytes = new Map<string, FontBytes>();
  private readonly parsed = new Map<string, OverlayFont>();

  constructor(entries: readonly FontBytes[]) {
    for (const entry of entries) this.bytes.set(fontKey(entry.family, entry.weight), entry);
  }

  get size(): number {
    return this.bytes.size;
  }

  has(key: string): boolean {
    return this.bytes.has(key);
  }

  get(key: string): OverlayFont | undefined {
    let face = this.parsed.get(key);
    if (!face) {
      const entry = this.bytes.get(key);
      if (!entry) return undefined;
      face = parseOverlayFont(entry.bytes, entry.family, entry.weight);
      this.parsed.set(key, face);
    }
    return face;
  }

  *entries(): MapIterator<[string, OverlayFont]> {
    for (const key of this.bytes.keys()) yield [key, this.get(key)!];
  }

  keys(): MapIterator<string> {
    return this.bytes.keys();
  }

  *values(): MapIterator<OverlayFont> {
    for (const key of this.bytes.keys()) yield this.get(key)!;
  }

  [Symbol.iterator](): MapIterator<[string, OverlayFont]> {
    return this.entries();
  }

  forEach(callback: (value: OverlayFont, key: string, map: ReadonlyMap<string, OverlayFont>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}

/** The face a style asks for (defaults applied); a clear error names the bad field. */
export function fontForStyle(
  fonts: FontSet,
  style: { font_family?: unknown; font_weight?: unknown },
): OverlayFont {
  const family = style.font_family ?? DEFAULT_FONT_FAMILY;
  const weight = style.font_weight ?? DEFAULT_FONT_WEIGHT;
  if (!isFontFamily(family)) {
    throw new OverlayError(
      'style.font_family',
      `unknown font family ${JSON.stringify(family)} (available: ${FONT_FAMILIES.join(', ')})`,
    );
  }
  if (!isFontWeight(weight)) {
    throw new OverlayError(
      'style.font_weight',
      `unknown font weight ${JSON.stringify(weight)} (available: ${FONT_WEIGHTS.join(', ')})`,
    );
  }
  const face = fonts.faces.get(fontKey(family, weight));
  if (!face) {
    throw new OverlayError('style.font_family', `font ${family} ${weight} is not loaded in this renderer`);
  }
  return face;
}

export interface ShapedGlyph {
  char: string;
  glyph: Glyph;
  /** Pen position from the start of the run, px. */
  x: number;
}

export interface ShapedRun {
  glyphs: ShapedGlyph[];
  /** Advance width of the whole run, px. */
  width: number;
}

/** Positions the glyphs of one line of text (already NFC-normalised) at `fontPx`. */
/** Unicode default-ignorable code points (ranges, inclusive): never drawn, even as a missing-glyph box. */
const DEFAULT_IGNORABLE: readonly [number, number][] = [
  [0x00ad, 0x00ad], [0x034f, 0x034f], [0x061c, 0x061c], [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180b, 0x180f],
  [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x206f], [0x3164, 0x3164], [0xfe00, 0xfe0f], [0xfeff, 0xfeff],
  [0xffa0, 0xffa0], [0x1bca0, 0x1bca3], [0x1d173, 0x1d17a], [0xe0000, 0xe0fff],
];

/** Spaces some bundled fonts lack (Montserrat, Playfair have no U+202F): drawn with the nearest one they have. */
const SPACE_FALLBACKS: Record<string, string[]> = { '\u202f': ['\u2009', '\u00a0', ' '], '\u2007': ['\u00a0', ' '], '\u2009': [' '], '\u00a0': [' '] };

function glyphFor(face: OverlayFont, char: string): Glyph {
  const glyph = face.font.charToGlyph(char);
  if (glyph.index !== 0 || !SPACE_FALLBACKS[char]) return glyph;
  for (const other of SPACE_FALLBACKS[char]) {
    const fallback = face.font.charToGlyph(other);
    if (fallback.index !== 0) return fallback;
  }
  return glyph;
}

function isDefaultIgnorable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return DEFAULT_IGNORABLE.some(([from, to]) => code >= from && code <= to);
}

export function shapeText(face: OverlayFont, text: string, fontPx: number): ShapedRun {
  const scale = fontPx / face.font.unitsPerEm;
  const glyphs: ShapedGlyph[] = [];
  let pen = 0; // font units, scaled once per glyph so long lines do not accumulate rounding
  let previous: Glyph | undefined;
  for (const char of text) {
    const glyph = glyphFor(face, char);
    // Emoji variation selectors and joiners (❤️, 👨‍👩‍👧) are invisible by definition: no box for them.
    if (glyph.index === 0 && isDefaultIgnorable(char)) continue;
    if (previous) pen += face.kerning.get(previous.index, glyph.index);
    glyphs.push({ char, glyph, x: pen * scale });
    pen += glyph.advanceWidth ?? 0;
    previous = glyph;
  }
  return { glyphs, width: pen * scale };
}

/** A run's advance in font units with its first and last drawn glyphs: runs join in O(1). */
export interface RunMeasure {
  units: number;
  first?: Glyph;
  last?: Glyph;
}

/** The advance of `text` alone, in font units (shapeText's pen, without positions). */
export function measureUnits(face: OverlayFont, text: string): RunMeasure {
  let units = 0;
  let first: Glyph | undefined;
  let last: Glyph | undefined;
  for (const char of text) {
    const glyph = glyphFor(face, char);
    if (glyph.index === 0 && isDefaultIgnorable(char)) continue;
    if (last) units += face.kerning.get(last.index, glyph.index);
    first ??= glyph;
    units += glyph.advanceWidth ?? 0;
    last = glyph;
  }
  return { units, first, last };
}

/**
 * `a` followed by `b`: their advances plus the kerning across the join — exactly what shapeText
 * gives for the concatenated text (advances and kerning are whole font units, so sums are exact).
 */
export function joinRuns(face: OverlayFont, a: RunMeasure, b: RunMeasure): RunMeasure {
  if (!a.last || !b.first) return { units: a.units + b.units, first: a.first ?? b.first, last: b.last ?? a.last };
  return { units: a.units + face.kerning.get(a.last.index, b.first.index) + b.units, first: a.first, last: b.last };
}

/** Advance width of a line of text, px. */
export function measureText(face: OverlayFont, text: string, fontPx: number): number {
  return shapeText(face, text, fontPx).width;
}
