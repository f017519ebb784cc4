/** Output frame settings: the request's optional `output` block resolved to concrete numbers. */

/** Frame shapes: vertical reels, the 4:5 and square feed posts, landscape for websites. */
export const ASPECTS = ['9:16', '4:5', '1:1', '16:9'] as const;
export type Aspect = (typeof ASPECTS)[number];

export interface OutputSettings {
  aspect: Aspect;
  width: number;
  height: number;
  fps: number;
}

/** Default frame for each aspect: 1080 px on the short side. */
export const ASPECT_FRAMES: Record<Aspect, { width: number; height: number }> = {
  '9:16': { width: 1080, height: 1920 },
  '4:5': { width: 1080, height: 1350 },
  '1:1': { width: 1080, height: 1080 },
  '16:9': { width: 1920, height: 1080 },
};

export const DEFAULT_OUTPUT: OutputSettings = { aspect: '9:16', width: 1080, height: 1920, fps: 30 };

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** Fill in what the request left out: an aspect alone gives its default frame; a width alone keeps the aspect. */
export function resolveOutputSettings(output?: {
  aspect?: Aspect;
  width?: number;
  height?: number;
  fps?: number;
}): OutputSettings {
  const aspect = output?.aspect ?? inferAspect(output?.width, output?.height) ?? DEFAULT_OUTPUT.aspect;
  const frame = ASPECT_FRAMES[aspect];
  const ratio = frame.width / frame.height;
  let width = output?.width;
  let height = output?.height;
  if (width === undefined && height === undefined) ({ width, height } = frame);
  else if (width === undefined) width = even(height! * ratio);
  else if (height === undefined) height = even(width / ratio);
  return { aspect, width: width!, height: height!, fps: output?.fps ?? DEFAULT_OUTPUT.fps };
}

function inferAspect(width?: number, height?: number): Aspect | undefined {
  if (width === undefined || height === undefined) return undefined;
  if (width === height) return '1:1';
  if (width > height) return '16:9';
  // Nearer 4:5 (0.8) than 9:16 (0.5625): a feed post.
  return width / height > 0.68 ? '4:5' : '9:16';
}
