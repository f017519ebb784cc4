// Minimal types for opentype.js v2 (the package ships none): only what shared/overlay uses.
declare module 'opentype.js' {
  export interface PathCommand {
    type: 'M' | 'L' | 'C' | 'Q' | 'Z';
    x?: number;
    y?: number;
    x1?: number;
    y1?: number;
    x2?: number;
    y2?: number;
  }

  export interface BoundingBox {
    x1: number;
    y1: number;
    x2: number;
    y2: number;
    isEmpty(): boolean;
  }

  export interface Path {
    commands: PathCommand[];
    getBoundingBox(): BoundingBox;
  }

  export interface Glyph {
    index: number;
    name: string | null;
    unicode?: number;
    advanceWidth?: number;
    /** Outline at pen position (x, y) scaled to fontSize px; y grows downwards. */
    getPath(x?: number, y?: number, fontSize?: number): Path;
  }

  export interface Font {
    unitsPerEm: number;
    /** hhea ascender / descender, font units (descender negative). */
    ascender: number;
    descender: number;
    names: Record<string, unknown>;
    tables: Record<string, unknown>;
    charToGlyph(char: string): Glyph;
    charToGlyphIndex(char: string): number;
  }

  export function parse(buffer: ArrayBuffer, options?: object): Font;

  const opentype: { parse: typeof parse };
  export default opentype;
}
