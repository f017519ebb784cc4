/**
 * The render's crop (shared/framing.ts focusCrop) as CSS for an `object-fit: cover` picture:
 * cover shows a rectangle of the frame's shape (full height or full width, like the crop), and
 * `object-position: p%` puts it at p % of the free travel, so p = crop offset / travel.
 */
import { focusCrop, uprightSize, type Size } from '../../../shared/framing';

export function objectPositionFor(stored: Size & { rotation?: number }, frame: Size, focus: { x: number; y: number }): string {
  const picture = uprightSize(stored, stored.rotation ?? 0);
  if (!(picture.width > 0 && picture.height > 0)) return '50% 50%';
  const crop = focusCrop(picture, frame, focus);
  const travelX = picture.width - crop.width;
  const travelY = picture.height - crop.height;
  const px = travelX > 0 ? (crop.x / travelX) * 100 : 50;
  const py = travelY > 0 ? (crop.y / travelY) * 100 : 50;
  return `${round(px)}% ${round(py)}%`;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
