/**
 * The fonts bundled with Hospup Studio for text overlays, and where their files are.
 *
 * The TTF files sit next to this module (`shared/fonts/*.ttf`, SIL OFL 1.1, see `OFL.txt`).
 * Shared code never reads them: the caller loads the bytes (node: `fs`, the Lambda: files
 * copied next to its bundle, the browser: `fetch` of a Vite asset URL) and hands them to
 * `createFontSet` in `shared/overlay/font.ts`.
 */

export const FONT_FAMILIES = ['Inter', 'Montserrat', 'Playfair Display'] as const;
export type FontFamily = (typeof FONT_FAMILIES)[number];

export const FONT_WEIGHTS = ['regular', 'bold'] as const;
export type FontWeight = (typeof FONT_WEIGHTS)[number];

export const DEFAULT_FONT_FAMILY: FontFamily = 'Inter';
/** Bold by default: overlays sit on moving video, where regular strokes get lost. */
export const DEFAULT_FONT_WEIGHT: FontWeight = 'bold';

/** File name (in `shared/fonts/`) of each family and weight. */
export const FONT_FILES: Readonly<Record<FontFamily, Readonly<Record<FontWeight, string>>>> = {
  Inter: { regular: 'Inter_400Regular.ttf', bold: 'Inter_700Bold.ttf' },
  Montserrat: { regular: 'Montserrat_400Regular.ttf', bold: 'Montserrat_700Bold.ttf' },
  'Playfair Display': { regular: 'PlayfairDisplay_400Regular.ttf', bold: 'PlayfairDisplay_700Bold.ttf' },
};

export interface FontFace {
  family: FontFamily;
  weight: FontWeight;
  file: string;
}

/** Every bundled face, in a stable order (what a loader must load for a complete FontSet). */
export const FONT_FACES: readonly FontFace[] = FONT_FAMILIES.flatMap((family) =>
  FONT_WEIGHTS.map((weight) => ({ family, weight, file: FONT_FILES[family][weight] })),
);

export function isFontFamily(value: unknown): value is FontFamily {
  return typeof value === 'string' && (FONT_FAMILIES as readonly string[]).includes(value);
}

export function isFontWeight(value: unknown): value is FontWeight {
  return typeof value === 'string' && (FONT_WEIGHTS as readonly string[]).includes(value);
}

/** Key of a face in a FontSet: `Inter/bold`. */
export function fontKey(family: FontFamily, weight: FontWeight): string {
  return `${family}/${weight}`;
}
