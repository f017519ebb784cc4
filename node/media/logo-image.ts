/**
 * Logos (PNG, SVG, JPEG, WebP; transparency kept) as the PNG the image inserter draws: rasterised
 * (SVG) or resampled to exactly the pixel size `logoBox` gives, so MediaConvert does not scale it
 * and the render is the preview's.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { loadSharp } from './load-sharp';
import type { ImageSize } from '../../shared/logo';

export class LogoError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`cannot read the logo ${basename(file)}: ${detail}`);
    this.name = 'LogoError';
  }
}

/** Bumped when the conversion changes, so cached conversions are made again. */
export const LOGO_CONVERTER_VERSION = 1;

const FORMATS = ['png', 'svg', 'jpeg', 'webp'];

async function read(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new LogoError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message);
  }
}

/** The logo's own size (an SVG's at 72 dpi) and whether it has transparency. */
export async function probeLogo(path: string): Promise<ImageSize & { format: string; hasAlpha: boolean }> {
  const bytes = await read(path);
  const sharp = await loadSharp();
  try {
    const meta = await sharp(bytes, { failOn: 'error' }).metadata();
    if (!meta.format || !FORMATS.includes(meta.format)) throw new LogoError(path, `${meta.format ?? 'this'} images are not supported (PNG, SVG, JPEG or WebP)`);
    const swap = (meta.orientation ?? 1) >= 5;
    return { width: swap ? meta.height! : meta.width!, height: swap ? meta.width! : meta.height!, format: meta.format, hasAlpha: meta.hasAlpha === true || meta.format === 'svg' };
  } catch (err) {
    if (err instanceof LogoError) throw err;
    throw new LogoError(path, `not an image it can read (${(err as Error).message})`);
  }
}

/** The logo as an RGBA PNG of exactly `size` pixels, upright, in sRGB. */
export async function renderLogoPng(path: string, size: ImageSize): Promise<Buffer> {
  const bytes = await read(path);
  const own = await probeLogo(path);
  const sharp = await loadSharp();
  // An SVG is rasterised at a density that gives at least the target size, then resampled.
  const density = extname(path).toLowerCase() === '.svg' || own.format === 'svg'
    ? Math.min(2400, Math.max(72, Math.ceil((72 * size.width) / Math.max(1, own.width)) * 2)) : undefined;
  try {
    return await sharp(bytes, { failOn: 'error', ...(density && { density }) })
      .autoOrient()
      .resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' })
      .ensureAlpha()
      .toColourspace('srgb')
      .png({ compressionLevel: 6, adaptiveFiltering: false })
      .toBuffer();
  } catch (err) {
    throw new LogoError(path, (err as Error).message);
  }
}
