// Reel templates: slot durations plus preset text overlays anchored to slots, so the overlays
// follow when a short clip makes its slot shorter.
import { z } from 'zod';
import { DraftOverlay } from '../../../shared/draft';
import { ASPECTS } from '../../../shared/output-settings';

export const TemplateOverlay = z.object({
  /** Index of the slot the overlay starts in. */
  slot: z.number().int().min(0),
  /** Seconds after the slot's start. */
  offset: z.number().min(0),
  /** Seconds on screen; absent: until the end of its slot. Always clipped to the video. */
  duration: z.number().positive().optional(),
  /** Text; `{project}` becomes the project name. */
  content: z.string().min(1),
  position: DraftOverlay.shape.position,
  style: DraftOverlay.shape.style,
});
export type TemplateOverlay = z.infer<typeof TemplateOverlay>;

export const TemplateDefinition = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  aspect: z.enum(ASPECTS),
  slots: z.array(z.object({ duration: z.number().positive() })).min(1).max(150),
  overlays: z.array(TemplateOverlay).max(20),
});
export type TemplateDefinition = z.infer<typeof TemplateDefinition>;
