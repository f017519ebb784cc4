/**
 * The pixel size of a PNG from its first bytes (signature + IHDR), so the generation function
 * can check photos and place logos without downloading or decoding them: 33 bytes by a ranged
 * GetObject.
 */

export const PNG_HEADER_BYTES = 33;
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export class ImageReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageReadError';
  }
}

/** Width and height of a PNG from its header; throws ImageReadError for anything that is not one. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 24 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new ImageReadError('not a PNG image');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk !== 'IHDR') throw new ImageReadError('a PNG without its IHDR header');
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (!width || !height) throw new ImageReadError('a PNG of zero pixels');
  return { width, height };
}
