// The brand kit on disk (brand-kit.json) and its logo file, copied into the data folder so that
// projects keep working when the original is moved (brand/<sha256>.<png|svg>). A logo is checked
// (PNG or SVG, readable) and previewed as a small PNG when it is set.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { BrandKit, BrandKitPatch } from '../../shared/brand-kit';
import { AppError } from '../../shared/errors';
import { probeLogo } from '../../node/media/logo-image';
import { readTextIfExists, writeFileAtomic, writeJsonAtomic } from './fs-atomic';

export interface BrandKitStore {
  get(): Promise<BrandKit>;
  setLogo(path: string): Promise<BrandKit>;
  clearLogo(): Promise<BrandKit>;
  update(patch: BrandKitPatch): Promise<BrandKit>;
}

export class BrandKitError extends AppError {
  override name = 'BrandKitError';
}

/** Long side of the logo preview the panel and the editor show before export. */
const PREVIEW_SIDE = 512;

export function createBrandKitStore(file: string, logoDir: string): BrandKitStore {
  let cached: BrandKit | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<BrandKit> {
    if (cached) return cached;
    const text = await readTextIfExists(file);
    try {
      cached = BrandKit.parse(text === undefined ? {} : JSON.parse(text));
    } catch {
      cached = BrandKit.parse({});
    }
    return cached;
  }
  const change = (edit: (kit: BrandKit) => Promise<BrandKit>) => {
    const run = queue.then(async () => {
      const next = BrandKit.parse(await edit(await load()));
      await writeJsonAtomic(file, next);
      cached = next;
      return structuredClone(next);
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    get: () => load().then((kit) => structuredClone(kit)),
    setLogo: (path) => change(async (kit) => {
      const bytes = await readFile(path).catch(() => {
        throw BrandKitError.of('not-found', 'File not found: {{path}}', { path }, 'path');
      });
      let own: Awaited<ReturnType<typeof probeLogo>>;
      try {
        own = await probeLogo(path);
      } catch {
        throw BrandKitError.of('invalid-input', 'The logo must be a PNG or SVG image we can read: {{name}}', { name: basename(path) }, 'path');
      }
      if (own.format !== 'png' && own.format !== 'svg') {
        throw BrandKitError.of('invalid-input', 'The logo must be a PNG or SVG image we can read: {{name}}', { name: basename(path) }, 'path');
      }
      const sha = createHash('sha256').update(bytes).digest('hex');
      const copy = join(logoDir, `${sha}.${own.format}`);
      await writeFileAtomic(copy, bytes);
      const preview = await sharp(bytes, own.format === 'svg' ? { density: Math.min(600, Math.ceil((72 * PREVIEW_SIDE) / Math.max(own.width, own.height))) } : {})
        .resize({ width: PREVIEW_SIDE, height: PREVIEW_SIDE, fit: 'inside', withoutEnlargement: own.format !== 'svg' })
        .png().toBuffer();
      return { ...kit, logo: { path: copy, name: basename(path), width: own.width, height: own.height, format: own.format, previewDataUrl: `data:image/png;base64,${preview.toString('base64')}` } };
    }),
    clearLogo: () => change(async (kit) => ({ ...kit, logo: null })),
    update: (patch) => change(async (kit) => {
      const checked = BrandKitPatch.parse(patch);
      return {
        ...kit,
        ...(checked.colours && { colours: checked.colours.map((c) => c.toUpperCase()) }),
        ...(checked.fonts && { fonts: [...new Set(checked.fonts)] }),
      };
    }),
  };
}
