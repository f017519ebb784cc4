/**
 * The hotel's brand kit, kept once in the app: its logo (a PNG or SVG on this computer, with its
 * size), its colours and its fonts. `applyBrandKit` puts it on a draft: new projects and
 * templates get the logo (placed clear of the safe zones) and the brand's first font.
 */
import { z } from 'zod';
import { FONT_FAMILIES } from './request';
import type { Draft } from './draft';
import { defaultLogoPlacement } from './safe-zones';

export const BrandLogo = z.object({
  /** The copy the app keeps (in its data folder): projects point at it. */
  path: z.string(),
  name: z.string(),
  width: z.number().positive(),
  height: z.number().positive(),
  format: z.enum(['png', 'svg']),
  /** A small PNG of it (data: URL) for the brand kit panel and the preview. */
  previewDataUrl: z.string(),
});
export type BrandLogo = z.infer<typeof BrandLogo>;

export const BrandKit = z.object({
  logo: BrandLogo.nullable().default(null),
  /** `#RRGGBB`, offered first for texts. */
  colours: z.array(z.string().regex(/^#[0-9A-F]{6}$/)).max(8).default([]),
  /** Offered first for texts; the first is used by templates. */
  fonts: z.array(z.enum(FONT_FAMILIES)).max(3).default([]),
});
export type BrandKit = z.infer<typeof BrandKit>;

export const BrandKitPatch = z.object({
  colours: z.array(z.string().regex(/^#[0-9A-Fa-f]{6}$/)).max(8).optional(),
  fonts: z.array(z.enum(FONT_FAMILIES)).max(3).optional(),
});
export type BrandKitPatch = z.infer<typeof BrandKitPatch>;

/** The draft with the brand's logo (when it has none yet) and, with `fonts`, the brand's first font on its texts. */
export function applyBrandKit(draft: Draft, kit: BrandKit, opts: { fonts?: boolean } = {}): Draft {
  let next = draft;
  if (kit.logo && !draft.logo) {
    const image = { width: kit.logo.width, height: kit.logo.height };
    const frame = { width: draft.settings.width, height: draft.settings.height };
    const place = defaultLogoPlacement(image, frame, draft.settings.aspect);
    next = { ...next, logo: { path: kit.logo.path, name: kit.logo.name, image, position: place.position, width: place.width, opacity: 100 } };
  }
  const font = kit.fonts[0];
  if (opts.fonts && font) next = { ...next, overlays: next.overlays.map((o) => ({ ...o, style: { ...o.style, font_family: font } })) };
  return next;
}
