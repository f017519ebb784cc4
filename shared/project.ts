/**
 * What a project (draft) knows about each media file it uses: where it is, what it was when
 * imported, and what probing it told us. The draft itself is in draft.ts.
 */
import { z } from 'zod';

/** What probing a media file tells us (seconds, pixels as stored, rotation in degrees). */
export const MediaFacts = z.object({
  duration: z.number().nonnegative(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** Rotation to apply to display upright (phone clips): 0, 90, 180 or 270. */
  rotation: z.number().int().default(0),
  fps: z.number().positive(),
  has_audio: z.boolean(),
  video_codec: z.string(),
  size_bytes: z.number().int().nonnegative(),
  /** A photo (JPEG, PNG, WebP, HEIC) rather than a clip; absent: a clip. */
  kind: z.enum(['video', 'photo']).optional(),
});
export type MediaFacts = z.infer<typeof MediaFacts>;

export const MediaRef = z.object({
  id: z.string().min(1),
  /** Absolute path of the original on this computer (export always uses the original). */
  path: z.string().min(1),
  name: z.string(),
  /** File size and modification time when imported: a changed file is noticed. */
  size_bytes: z.number().int().nonnegative(),
  mtime_ms: z.number().nonnegative(),
  facts: MediaFacts.optional(),
});
export type MediaRef = z.infer<typeof MediaRef>;
