/**
 * The overlay fonts in the browser: the same TTF files the export uses (shared/fonts), bundled
 * by Vite as separate assets, fetched once and parsed by the shared overlay code.
 */
import { createFontSet, type FontSet } from '../../../shared/overlay';
import { FONT_FACES, type FontFamily, type FontWeight } from '../../../shared/fonts/catalog';
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

let loading: Promise<FontSet> | null = null;

export function loadOverlayFonts(): Promise<FontSet> {
  loading ??= Promise.all(
    FONT_FACES.map(async (face): Promise<{ family: FontFamily; weight: FontWeight; bytes: ArrayBuffer }> => {
      const url = URLS[face.file];
      const response = await fetch(url);
      if (!response.ok) throw new Error(`font ${face.file}: HTTP ${response.status}`);
      return { family: face.family, weight: face.weight, bytes: await response.arrayBuffer() };
    }),
  ).then(createFontSet);
  return loading;
}
