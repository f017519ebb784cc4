/**
 * Pair kerning read straight from a font's GPOS table.
 *
 * Why not opentype.js: v2 cannot read GPOS extension lookups (type 9), and all three bundled
 * fonts keep their kerning there, so `font.getKerningValue` returns 0 for every pair. This
 * reader follows the 'kern' feature's lookups (type 2, or type 9 wrapping type 2), both
 * PairPos formats, and returns the first glyph's XAdvance adjustment, summed over lookups in
 * lookup-list order (within a lookup the first subtable that applies wins, as in HarfBuzz).
 * Pure: works on bytes, no I/O.
 */

export interface Kerning {
  /** Advance adjustment between two glyphs, font units (negative = closer). */
  get(leftGlyph: number, rightGlyph: number): number;
}

export const NO_KERNING: Kerning = { get: () => 0 };

type Subtable = (left: number, right: number) => number | undefined; // undefined = does not apply

export function readKerning(fontBytes: ArrayBuffer | Uint8Array): Kerning {
  const bytes = fontBytes instanceof Uint8Array ? fontBytes : new Uint8Array(fontBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const gpos = findTable(view, 'GPOS');
  if (gpos === undefined) return NO_KERNING;
  const lookups = kernLookups(view, gpos);
  if (lookups.length === 0) return NO_KERNING;

  const cache = new Map<number, number>();
  return {
    get(left, right) {
      const key = left * 65536 + right;
      let value = cache.get(key);
      if (value === undefined) {
        value = 0;
        for (const subtables of lookups) {
          for (const subtable of subtables) {
            const v = subtable(left, right);
            if (v !== undefined) {
              value += v;
              break;
            }
          }
        }
        cache.set(key, value);
      }
      return value;
    },
  };
}

function findTable(view: DataView, tag: string): number | undefined {
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + i * 16;
    const name = String.fromCharCode(
      view.getUint8(record), view.getUint8(record + 1), view.getUint8(record + 2), view.getUint8(record + 3),
    );
    if (name === tag) return view.getUint32(record + 8);
  }
  return undefined;
}

/** Subtable readers of every lookup referenced by a 'kern' feature, in lookup-list order. */
function kernLookups(view: DataView, gpos: number): Subtable[][] {
  const featureList = gpos + view.getUint16(gpos + 6);
  const lookupList = gpos + view.getUint16(gpos + 8);
  const indices = new Set<number>();
  const featureCount = view.getUint16(featureList);
  for (let i = 0; i < featureCount; i++) {
    const record = featureList + 2 + i * 6;
    const tag = String.fromCharCode(
      view.getUint8(record), view.getUint8(record + 1), view.getUint8(record + 2), view.getUint8(record + 3),
    );
    if (tag !== 'kern') continue;
    const feature = featureList + view.getUint16(record + 4);
    const count = view.getUint16(feature + 2);
    for (let j = 0; j < count; j++) indices.add(view.getUint16(feature + 4 + j * 2));
  }
  const lookupCount = view.getUint16(lookupList);
  return [...indices]
    .filter((index) => index < lookupCount)
    .sort((a, b) => a - b)
    .map((index) => readLookup(view, lookupList + view.getUint16(lookupList + 2 + index * 2)))
    .filter((subtables) => subtables.length > 0);
}

function readLookup(view: DataView, lookup: number): Subtable[] {
  const type = view.getUint16(lookup);
  const count = view.getUint16(lookup + 4);
  const subtables: Subtable[] = [];
  for (let i = 0; i < count; i++) {
    let offset = lookup + view.getUint16(lookup + 6 + i * 2);
    let subtableType = type;
    if (type === 9) {
      subtableType = view.getUint16(offset + 2);
      offset += view.getUint32(offset + 4);
    }
    if (subtableType !== 2) continue;
    const format = view.getUint16(offset);
    if (format === 1) subtables.push(pairPosFormat1(view, offset));
    else if (format === 2) subtables.push(pairPosFormat2(view, offset));
  }
  return subtables;
}

/** Bytes of a ValueRecord with this ValueFormat (each set bit is one 16-bit field). */
function valueRecordSize(format: number): number {
  let bits = 0;
  for (let f = format & 0xff; f; f >>= 1) bits += f & 1;
  return bits * 2;
}

/** The XAdvance field of a ValueRecord, 0 when the format has none. */
function xAdvance(view: DataView, record: number, format: number): number {
  if (!(format & 0x0004)) return 0;
  const before = valueRecordSize(format & 0x0003);
  return view.getInt16(record + before);
}

function pairPosFormat1(view: DataView, table: number): Subtable {
  const coverage = table + view.getUint16(table + 2);
  const format1 = view.getUint16(table + 4);
  const format2 = view.getUint16(table + 6);
  const size1 = valueRecordSize(format1);
  const pairSize = 2 + size1 + valueRecordSize(format2);
  return (left, right) => {
    const index = coverageIndex(view, coverage, left);
    if (index < 0) return undefined;
    const pairSet = table + view.getUint16(table + 10 + index * 2);
    // Pairs are sorted by second glyph: binary search.
    let low = 0;
    let high = view.getUint16(pairSet) - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const record = pairSet + 2 + mid * pairSize;
      const second = view.getUint16(record);
      if (second === right) return xAdvance(view, record + 2, format1);
      if (second < right) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  };
}

function pairPosFormat2(view: DataView, table: number): Subtable {
  const coverage = table + view.getUint16(table + 2);
  const format1 = view.getUint16(table + 4);
  const format2 = view.getUint16(table + 6);
  const classDef1 = table + view.getUint16(table + 8);
  const classDef2 = table + view.getUint16(table + 10);
  const class1Count = view.getUint16(table + 12);
  const class2Count = view.getUint16(table + 14);
  const class2Size = valueRecordSize(format1) + valueRecordSize(format2);
  return (left, right) => {
    if (coverageIndex(view, coverage, left) < 0) return undefined;
    const class1 = glyphClass(view, classDef1, left);
    const class2 = glyphClass(view, classDef2, right);
    if (class1 >= class1Count || class2 >= class2Count) return undefined;
    const record = table + 16 + (class1 * class2Count + class2) * class2Size;
    return xAdvance(view, record, format1);
  };
}

function coverageIndex(view: DataView, coverage: number, glyph: number): number {
  const format = view.getUint16(coverage);
  const count = view.getUint16(coverage + 2);
  let low = 0;
  let high = count - 1;
  if (format === 1) {
    while (low <= high) {
      const mid = (low + high) >> 1;
      const g = view.getUint16(coverage + 4 + mid * 2);
      if (g === glyph) return mid;
      if (g < glyph) low = mid + 1;
      else high = mid - 1;
    }
  } else if (format === 2) {
    while (low <= high) {
      const mid = (low + high) >> 1;
      const range = coverage + 4 + mid * 6;
      const start = view.getUint16(range);
      const end = view.getUint16(range + 2);
      if (glyph < start) high = mid - 1;
      else if (glyph > end) low = mid + 1;
      else return view.getUint16(range + 4) + glyph - start;
    }
  }
  return -1;
}

function glyphClass(view: DataView, classDef: number, glyph: number): number {
  const format = view.getUint16(classDef);
  if (format === 1) {
    const start = view.getUint16(classDef + 2);
    const count = view.getUint16(classDef + 4);
    const i = glyph - start;
    return i >= 0 && i < count ? view.getUint16(classDef + 6 + i * 2) : 0;
  }
  if (format === 2) {
    let low = 0;
    let high = view.getUint16(classDef + 2) - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const range = classDef + 4 + mid * 6;
      const start = view.getUint16(range);
      const end = view.getUint16(range + 2);
      if (glyph < start) high = mid - 1;
      else if (glyph > end) low = mid + 1;
      else return view.getUint16(range + 4);
    }
  }
  return 0;
}
