/** Which font faces overlays need (light: no font parser, safe for the main bundle). */
import { DEFAULT_FONT_FAMILY, DEFAULT_FONT_WEIGHT, fontKey, type FontFamily, type FontWeight } from '../../../shared/fonts/catalog';

/** The faces a list of overlay styles needs (defaults applied). */
export function facesFor(styles: readonly { font_family?: FontFamily; font_weight?: FontWeight }[]): { family: FontFamily; weight: FontWeight }[] {
  const seen = new Map<string, { family: FontFamily; weight: FontWeight }>();
  for (const style of styles) {
    const family = style.font_family ?? DEFAULT_FONT_FAMILY;
    const weight = style.font_weight ?? DEFAULT_FONT_WEIGHT;
    seen.set(fontKey(family, weight), { family, weight });
  }
  return [...seen.values()];
}
