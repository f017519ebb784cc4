/**
 * Loads the bundled overlay fonts from disk into a FontSet (node only: the Lambda, the CLI,
 * tests). Where the TTFs are, first that applies:
 *  1. the `fontDir` argument,
 *  2. env `HOSPUP_FONT_DIR`,
 *  3. next to this module: `../../shared/fonts` (source tree), `./fonts` or `.` (a bundle with
 *     the fonts copied beside it),
 *  4. `<cwd>/shared/fonts`.
 * An explicit directory (1 or 2) that lacks the files is an error, never silently skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FONT_FACES } from '../../shared/fonts/catalog';
import { createFontSet, type FontSet } from '../../shared/overlay/font';

const cache = new Map<string, FontSet>();

/** The directory holding the bundled TTFs (see the module comment for the search order). */
export function resolveFontDir(fontDir?: string): string {
  const explicit = fontDir ?? process.env.HOSPUP_FONT_DIR;
  if (explicit) {
    const dir = resolve(explicit);
    const missing = FONT_FACES.filter((face) => !existsSync(join(dir, face.file)));
    if (missing.length > 0) {
      const source = fontDir ? 'fontDir' : 'HOSPUP_FONT_DIR';
      throw new Error(`${source} ${dir} lacks the overlay fonts: ${missing.map((face) => face.file).join(', ')}`);
    }
    return dir;
  }
  const here = moduleDir();
  const candidates = [
    ...(here ? [join(here, '../../shared/fonts'), join(here, 'fonts'), here] : []),
    join(process.cwd(), 'shared/fonts'),
  ];
  const found = candidates.find((dir) => FONT_FACES.every((face) => existsSync(join(dir, face.file))));
  if (!found) {
    throw new Error(
      `overlay fonts not found (looked in ${candidates.join(', ')}); set HOSPUP_FONT_DIR to the folder with ${FONT_FACES[0].file}`,
    );
  }
  return resolve(found);
}

/** Every bundled face, parsed; cached per directory (parsing six fonts takes ~100 ms). */
export function loadFontSet(fontDir?: string): FontSet {
  const dir = resolveFontDir(fontDir);
  let fonts = cache.get(dir);
  if (!fonts) {
    fonts = createFontSet(
      FONT_FACES.map((face) => ({ family: face.family, weight: face.weight, bytes: readFileSync(join(dir, face.file)) })),
    );
    cache.set(dir, fonts);
  }
  return fonts;
}

/**
 * Directory of the running module: this file under tsx/ESM, the bundle's own directory after
 * esbuild (an ESM bundle keeps `import.meta.url`; a CJS bundle has `__dirname` instead).
 */
export function moduleDir(): string | undefined {
  try {
    const url = import.meta.url;
    if (typeof url === 'string' && url.startsWith('file:')) return dirname(fileURLToPath(url));
  } catch {
    // import.meta is unavailable in a CJS bundle: fall through.
  }
  return typeof __dirname === 'string' ? __dirname : undefined;
}
