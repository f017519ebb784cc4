/**
 * The overlay fonts in the browser: the same TTF files the export uses (shared/fonts), bundled
 * by Vite as separate assets, fetched once and parsed by the shared overlay code.
 */
import { parseOverlayFont, type FontSet, type OverlayFont } from '../../../shared/overlay';
import { FONT_FACES, fontKey, type FontFamily, type FontWeight } from '../../../shared/fonts/catalog';
import interRegular from '../../../shared/fonts/Inter_400Regular.ttf?url';
import interBold from '../../../shared/fonts/Inter_700Bold.ttf?url';
import montserratRegular from '../../../shared/fonts/Montserrat_400Regular.ttf?url';
import montserratBold from '../../../shared/fonts/Montserrat_700Bold.ttf?url';
import playfairRegular from '../../../shared/fonts/PlayfairDisplay_400Regular.ttf?url';
import playfairBold from '../../../shared/fonts/PlayfairDisplay_700Bold.ttf?url';

const URLS: Record<string, string> = {
  'Inter_400Regular.ttf': interRegular,
  'Inter_700Bold.ttf': interBold,
  'Montserrat_400Regular.ttf': montserratRegular,
  'Montserrat_700Bold.ttf': montserratBold,
  'PlayfairDisplay_400Regular.ttf': playfairRegular,
  'PlayfairDisplay_700Bold.ttf': playfairBold,
};

const parsed = new Map<string, Promise<OverlayFont>>();

/** One face, fetched and parsed once per session. */
function loadFace(family: FontFamily, weight: FontWeight): Promise<OverlayFont> {
  const key = fontKey(family, weight);
  let pending = parsed.get(key);
  if (!pending) {
    const file = FONT_FACES.find((f) => f.family === family && f.weight === weight)!.file;
    pending = fetch(URLS[file]).then(async (response) => {
      if (!response.ok) throw new Error(`font ${file}: HTTP ${response.status}`);
      return parseOverlayFont(await response.arrayBuffer(), family, weight);
    });
    parsed.set(key, pending);
  }
  return pending;
}

const sets = new Map<string, Promise<FontSet>>();

/**
 * A FontSet holding (at least) the given faces. Only the faces overlays use are fetched and
 * parsed, so opening a project does not pay for six fonts.
 */
export function loadOverlayFonts(faces: readonly { family: FontFamily; weight: FontWeight }[]): Promise<FontSet> {
  const keys = [...new Set(faces.map((f) => fontKey(f.family, f.weight)))].sort();
  const setKey = keys.join('|');
  let pending = sets.get(setKey);
  if (!pending) {
    pending = Promise.all(faces.map((f) => loadFace(f.family, f.weight))).then((loaded) => ({
      faces: new Map(loaded.map((face) => [fontKey(face.family, face.weight), face])),
    }));
    sets.set(setKey, pending);
  }
  return pending;
}
