/**
 * sharp (libvips), loaded when the first photo or logo is handled: most exports have neither,
 * and its native module cost every CLI export ~30 ms of start-up.
 */
import type sharpModule from 'sharp';

let loading: Promise<typeof sharpModule> | undefined;

export function loadSharp(): Promise<typeof sharpModule> {
  loading ??= import('sharp').then((m) => (m as unknown as { default: typeof sharpModule }).default ?? (m as unknown as typeof sharpModule));
  return loading;
}
