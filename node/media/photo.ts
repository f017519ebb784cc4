/**
 * Photos (JPEG, PNG, WebP, HEIC/HEIF) read the way a viewer shows them, and turned into what the
 * cloud renders: EXIF orientation applied (HEIC: its `irot`/`imir`), colour profiles converted to
 * sRGB, then scaled to cover the output frame and centre-cropped (what the preview shows), flat on
 * black, as an RGB PNG of exactly the frame (MediaConvert's video generator reads PNG).
 *
 * sharp (libvips + lcms) does the decoding, orientation, colour and scaling; HEIC is decoded by
 * libheif-js (LGPL-3.0, loaded from node_modules at run time and never bundled, so it stays a
 * separate, replaceable module) because neither the bundled ffmpeg nor sharp's libvips decode HEVC.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, extname } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Sharp } from 'sharp';
import { loadSharp } from './load-sharp';
import type { ImageSize } from '../../shared/logo';

export const PHOTO_FORMATS = ['jpeg', 'png', 'webp', 'heif'] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

/** Bumped when the conversion changes, so cached conversions are made again. */
export const PHOTO_CONVERTER_VERSION = 1;

export class PhotoError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`cannot read the photo ${basename(file)}: ${detail}`);
    this.name = 'PhotoError';
  }
}

export interface PhotoInfo {
  format: PhotoFormat;
  /** Size as shown (orientation applied). */
  width: number;
  height: number;
  /** EXIF orientation 1..8 as stored (HEIC: 1, its rotation is in the container). */
  orientation: number;
  hasAlpha: boolean;
  /** The file carries a colour profile (converted to sRGB when read). */
  hasProfile: boolean;
}

const EXTENSIONS: Record<string, PhotoFormat> = { '.jpg': 'jpeg', '.jpeg': 'jpeg', '.png': 'png', '.webp': 'webp', '.heic': 'heif', '.heif': 'heif' };

/** The photo format a file name says, if any. */
export function photoFormatOf(path: string): PhotoFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

/** HEIF's `ftyp` brands (iPhone: heic; others mif1, heix, ...). */
export function isHeif(bytes: Uint8Array): boolean {
  if (bytes.length < 12 || String.fromCharCode(...bytes.subarray(4, 8)) !== 'ftyp') return false;
  return ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(String.fromCharCode(...bytes.subarray(8, 12)));
}

/** Reads a photo, upright and in sRGB, ready for sharp operations. */
export async function openPhoto(path: string): Promise<{ image: Sharp; info: PhotoInfo }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new PhotoError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message);
  }
  if (isHeif(bytes)) return openHeif(path, bytes);
  const sharp = await loadSharp();
  try {
    const meta = await sharp(bytes, { failOn: 'error' }).metadata();
    const format = meta.format === 'jpeg' || meta.format === 'png' || meta.format === 'webp' ? meta.format : undefined;
    if (!format) throw new PhotoError(path, `${meta.format ?? 'this'} images are not supported (JPEG, PNG, WebP or HEIC)`);
    const orientation = meta.orientation ?? 1;
    const swap = orientation >= 5;
    const info: PhotoInfo = {
      format,
      width: swap ? meta.height! : meta.width!,
      height: swap ? meta.width! : meta.height!,
      orientation,
      hasAlpha: meta.hasAlpha === true,
      hasProfile: meta.hasProfile === true,
    };
    // autoOrient applies the EXIF orientation; the output is converted to sRGB (sharp's default,
    // using the embedded ICC profile) and carries no EXIF any more.
    return { image: sharp(bytes, { failOn: 'error' }).autoOrient(), info };
  } catch (err) {
    if (err instanceof PhotoError) throw err;
    throw new PhotoError(path, `not an image it can read (${(err as Error).message})`);
  }
}

/** Facts for the media library and the exporter. */
export async function probePhoto(path: string): Promise<PhotoInfo> {
  return (await openPhoto(path)).info;
}

/**
 * The photo as the cloud renders it: `frame`-sized RGB PNG, covering the frame and centre-cropped
 * (like a clip with MediaConvert's FILL scaling and the preview's object-fit: cover), transparency
 * flattened on black (the video generator's background). Deterministic bytes for the same input.
 */
export async function fitPhotoToFrame(path: string, frame: ImageSize): Promise<Buffer> {
  const { image } = await openPhoto(path);
  try {
    return await image
      .resize(frame.width, frame.height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
      .flatten({ background: '#000000' })
      .toColourspace('srgb')
      .png({ compressionLevel: 6, adaptiveFiltering: false })
      .toBuffer();
  } catch (err) {
    throw new PhotoError(path, (err as Error).message);
  }
}

/** A JPEG thumbnail of the photo as shown, `width` pixels wide. */
export async function photoThumbnail(path: string, width: number): Promise<Buffer> {
  const { image } = await openPhoto(path);
  try {
    return await image.resize({ width, withoutEnlargement: true }).flatten({ background: '#000000' }).jpeg({ quality: 82 }).toBuffer();
  } catch (err) {
    throw new PhotoError(path, (err as Error).message);
  }
}

/** A preview-sized PNG/JPEG of the photo for the editor (long side at most `maxSide`). */
export async function photoPreview(path: string, maxSide: number): Promise<Buffer> {
  const { image, info } = await openPhoto(path);
  try {
    const resized = image.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
    return await (info.hasAlpha ? resized.png() : resized.jpeg({ quality: 88 })).toBuffer();
  } catch (err) {
    throw new PhotoError(path, (err as Error).message);
  }
}

// ---------------------------------------------------------------------------------------------
// HEIC / HEIF

type LibHeif = {
  HeifDecoder: new () => {
    decode(buffer: Uint8Array): { get_width(): number; get_height(): number; has_alpha_channel(): boolean; display(target: { data: Uint8ClampedArray; width: number; height: number }, done: (result: unknown) => void): void; free(): void }[];
    decoder: { delete(): void };
  };
  ready?: Promise<unknown>;
};

let libheif: LibHeif | undefined;

/** libheif-js, required from node_modules when first needed (kept out of every bundle: LGPL-3.0). */
function loadLibheif(): LibHeif {
  if (!libheif) {
    const require = createRequire(import.meta.url);
    libheif = require(['libheif-js', 'wasm-bundle'].join('/')) as LibHeif;
  }
  return libheif;
}

async function openHeif(path: string, bytes: Buffer): Promise<{ image: Sharp; info: PhotoInfo }> {
  const sharp = await loadSharp();
  const lib = loadLibheif();
  await lib.ready;
  const decoder = new lib.HeifDecoder();
  let rgba: { width: number; height: number; data: Uint8ClampedArray; alpha: boolean };
  try {
    const images = decoder.decode(bytes);
    if (!images.length) throw new PhotoError(path, 'the HEIC file holds no image');
    const primary = images[0];
    try {
      // display() applies the container's rotation and mirroring (irot / imir) and converts to RGBA.
      const width = primary.get_width();
      const height = primary.get_height();
      const data = new Uint8ClampedArray(width * height * 4);
      await new Promise<void>((resolve, reject) => primary.display({ data, width, height }, (result) => (result ? resolve() : reject(new PhotoError(path, 'the HEIC image could not be decoded')))));
      rgba = { width, height, data, alpha: primary.has_alpha_channel() };
    } finally {
      for (const image of images) image.free();
    }
  } catch (err) {
    if (err instanceof PhotoError) throw err;
    throw new PhotoError(path, `not a HEIC image it can read (${(err as Error).message ?? String(err)})`);
  } finally {
    decoder.decoder.delete();
  }
  const colour = heifColour(bytes);
  const icc = colour.icc ?? (colour.primaries === NCLX_DISPLAY_P3 ? await displayP3Profile() : undefined);
  const raw = sharp(Buffer.from(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength), { raw: { width: rgba.width, height: rgba.height, channels: 4 } });
  // sharp takes no input profile for raw pixels: wrap them in a PNG that carries the profile, so
  // the same ICC conversion to sRGB as for JPEGs applies.
  const png = await raw.png({ compressionLevel: 1 }).toBuffer();
  const tagged = icc ? withIccChunk(png, icc) : png;
  return {
    image: sharp(tagged, { failOn: 'error' }),
    info: { format: 'heif', width: rgba.width, height: rgba.height, orientation: 1, hasAlpha: rgba.alpha, hasProfile: icc !== undefined },
  };
}

/** nclx colour primaries code of Display P3 (SMPTE EG 432-1), what iPhones use. */
const NCLX_DISPLAY_P3 = 12;

/** The HEIF's colour box (`colr`): an ICC profile, or nclx primaries. Parsed from the boxes directly. */
export function heifColour(bytes: Uint8Array): { icc?: Buffer; primaries?: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes = function* (start: number, end: number): Generator<{ type: string; body: number; end: number }> {
    let at = start;
    while (at + 8 <= end) {
      let size = view.getUint32(at);
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      let header = 8;
      if (size === 1 && at + 16 <= end) {
        size = Number(view.getBigUint64(at + 8));
        header = 16;
      } else if (size === 0) size = end - at;
      if (size < header || at + size > end) return;
      yield { type, body: at + header, end: at + size };
      at += size;
    }
  };
  const find = (type: string, start: number, end: number) => [...boxes(start, end)].find((b) => b.type === type);
  const meta = find('meta', 0, bytes.length);
  if (!meta) return {};
  const iprp = find('iprp', meta.body + 4, meta.end); // meta is a FullBox
  const ipco = iprp && find('ipco', iprp.body, iprp.end);
  if (!ipco) return {};
  const result: { icc?: Buffer; primaries?: number } = {};
  for (const b of boxes(ipco.body, ipco.end)) {
    if (b.type !== 'colr' || b.body + 4 > b.end) continue;
    const kind = String.fromCharCode(...bytes.subarray(b.body, b.body + 4));
    if ((kind === 'prof' || kind === 'rICC') && !result.icc) result.icc = Buffer.from(bytes.subarray(b.body + 4, b.end));
    if (kind === 'nclx' && b.body + 6 <= b.end) result.primaries = view.getUint16(b.body + 4);
  }
  return result;
}

let p3Profile: Promise<Buffer | undefined> | undefined;

/** lcms's Display P3 profile, as sharp embeds it (for nclx-tagged HEICs). */
function displayP3Profile(): Promise<Buffer | undefined> {
  p3Profile ??= loadSharp().then(async (sharp) => {
    const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).withIccProfile('p3').png().toBuffer();
    return (await sharp(png).metadata()).icc;
  });
  return p3Profile;
}

/** A PNG with an iCCP chunk (the profile, zlib-compressed) after its IHDR. */
export function withIccChunk(png: Buffer, icc: Buffer): Buffer {
  const ihdrEnd = 8 + 8 + 13 + 4;
  const data = Buffer.concat([Buffer.from('icc\0', 'latin1'), Buffer.from([0]), deflateSync(icc)]);
  const type = Buffer.from('iCCP', 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])) >>> 0);
  return Buffer.concat([png.subarray(0, ihdrEnd), length, type, data, crc, png.subarray(ihdrEnd)]);
}
