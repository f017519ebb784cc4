/**
 * Where the social apps' own interface covers a video, in percent of the frame (approximate,
 * from each app's published safe-zone guidance), and the logo placement that keeps clear of it.
 * The preview draws these zones; the logo is kept outside them by default.
 */
import type { Aspect } from './output-settings';
import { logoBox, type ImageSize, type LogoPlacement } from './logo';

export interface Zone {
  key: 'top' | 'bottom-reels' | 'bottom-tiktok' | 'bottom-shorts' | 'right';
  x: number;
  y: number;
  w: number;
  h: number;
}

/** 9:16: the top bar, the caption and account block at the bottom, the column of buttons on the right. */
export const VERTICAL_ZONES: readonly Zone[] = [
  { key: 'top', x: 0, y: 0, w: 100, h: 8 },
  { key: 'bottom-reels', x: 0, y: 65, w: 100, h: 35 },
  { key: 'bottom-tiktok', x: 0, y: 74, w: 100, h: 26 },
  { key: 'bottom-shorts', x: 0, y: 80, w: 100, h: 20 },
  { key: 'right', x: 84, y: 38, w: 16, h: 50 },
];

/** Edge margin kept free in every format (players' rounded corners and overscan), percent. */
export const SAFE_MARGIN = 4;

/** The area a logo may use, percent of the frame: inside the margins, and on 9:16 below the top bar and above the captions. */
function safeRect(aspect: Aspect) {
  if (aspect !== '9:16') return { left: SAFE_MARGIN, top: SAFE_MARGIN, right: 100 - SAFE_MARGIN, bottom: 100 - SAFE_MARGIN };
  return { left: SAFE_MARGIN, top: 8, right: 100 - SAFE_MARGIN, bottom: 65 };
}

/**
 * The placement moved (as little as needed) so the logo's box stays in the safe area: inside the
 * margins, and on 9:16 clear of the top bar, the captions and the button column. A logo too large
 * for the area stays centred on it.
 */
export function keepLogoSafe(placement: LogoPlacement, image: ImageSize, frame: ImageSize, aspect: Aspect): LogoPlacement {
  const box = logoBox(placement, image, frame);
  const w = (box.width / frame.width) * 100;
  const h = (box.height / frame.height) * 100;
  const area = safeRect(aspect);
  const fit = (centre: number, size: number, lo: number, hi: number) => (hi - lo < size ? (lo + hi) / 2 : Math.min(Math.max(centre, lo + size / 2), hi - size / 2));
  let x = fit(placement.position.x, w, area.left, area.right);
  const y = fit(placement.position.y, h, area.top, area.bottom);
  if (aspect === '9:16') {
    const buttons = VERTICAL_ZONES.find((z) => z.key === 'right')!;
    const overlapsButtons = y + h / 2 > buttons.y && x + w / 2 > buttons.x;
    if (overlapsButtons) x = Math.max(area.left + w / 2, buttons.x - w / 2);
  }
  return { ...placement, position: { x: round2(x), y: round2(y) } };
}

/** Where a new logo goes: the top right corner of the safe area, about a fifth of the width (less on wide frames). */
export function defaultLogoPlacement(image: ImageSize, frame: ImageSize, aspect: Aspect): LogoPlacement {
  const width = aspect === '16:9' ? 14 : aspect === '1:1' || aspect === '4:5' ? 18 : 22;
  return keepLogoSafe({ position: { x: 100, y: 0 }, width }, image, frame, aspect);
}

const round2 = (n: number) => Math.round(n * 100) / 100;
