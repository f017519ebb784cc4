// Pure template operations: fill a project from a template, and turn a project into a template.
import { randomUUID } from 'node:crypto';
import type { TemplateSummary } from '../../../shared/api';
import { AppError } from '../../../shared/errors';
import { resolveOutputSettings } from '../../../shared/output-settings';
import type { MediaRef, Draft, DraftOverlay, DraftSegment } from '../../../shared/draft';
import type { TemplateDefinition, TemplateOverlay } from './model';

/** Replace the timeline and texts, or add the template's after them. */
export type ApplyMode = 'replace' | 'append';

/** What the user asked of a template cannot be done: the one AppError (invalid input, field named). */
export class TemplateError extends AppError {
  override name = 'TemplateError';
}

export function summarise(template: TemplateDefinition, builtIn: boolean): TemplateSummary {
  return { id: template.id, name: template.name, builtIn, description: template.description, aspect: template.aspect, slots: template.slots.map((s) => ({ ...s })) };
}

/**
 * Slots filled with `media` in order (cycling when there are fewer clips than slots). Each slot
 * takes the start of its clip, for the slot's duration or the whole clip when it is shorter.
 * The template's overlays replace the project's; `{project}` becomes the project name.
 */
export function applyTemplateToProject(
  template: TemplateDefinition,
  project: Draft,
  media: MediaRef[],
  opts: { now: string; newId?: () => string; mode?: ApplyMode },
): Draft {
  if (!media.length) throw TemplateError.of('invalid-input', 'Choose at least one clip to fill the template', {}, 'mediaIds');
  const newId = opts.newId ?? (() => randomUUID().slice(0, 8));
  const segments: DraftSegment[] = template.slots.map((slot, i) => {
    const clip = media[i % media.length];
    const clipLength = clip.facts?.duration ?? slot.duration;
    return { id: `seg-${newId()}`, media_id: clip.id, start_time: 0, end_time: round(Math.min(slot.duration, clipLength)) };
  });
  const slotStarts: number[] = [];
  let cursor = 0;
  for (const s of segments) {
    slotStarts.push(cursor);
    cursor += s.end_time - s.start_time;
  }
  const total = cursor;
  const overlays: DraftOverlay[] = [];
  for (const overlay of template.overlays) {
    const timing = overlayTiming(overlay, segments, slotStarts, total);
    if (!timing) continue;
    overlays.push({
      id: `text-${newId()}`,
      content: overlay.content.replaceAll('{project}', project.name.trim() || 'our hotel'),
      start_time: timing.start,
      end_time: timing.end,
      position: { ...overlay.position },
      style: { ...overlay.style },
    });
  }
  const byId = new Map(project.media.map((m) => [m.id, m]));
  for (const m of media) if (!byId.has(m.id)) byId.set(m.id, m);
  if (opts.mode === 'append') {
    // After what is there: the template's clips follow the timeline, its texts keep their place on them.
    const offset = project.segments.reduce((sum, s) => sum + Math.max(0, s.end_time - s.start_time), 0);
    const shifted = overlays.map((o) => ({ ...o, start_time: round(o.start_time + offset), end_time: round(o.end_time + offset) }));
    return {
      ...project,
      media: [...byId.values()],
      segments: [...project.segments, ...segments],
      overlays: [...project.overlays, ...shifted],
      updated_at: opts.now,
    };
  }
  const settings =
    project.settings.aspect === template.aspect ? project.settings : { ...resolveOutputSettings({ aspect: template.aspect }), fps: project.settings.fps };
  return { ...project, template_id: template.id, settings, media: [...byId.values()], segments, overlays, updated_at: opts.now };
}

function overlayTiming(overlay: TemplateOverlay, segments: DraftSegment[], slotStarts: number[], total: number) {
  if (overlay.slot >= segments.length) return undefined;
  const slotStart = slotStarts[overlay.slot];
  const slotEnd = slotStart + (segments[overlay.slot].end_time - segments[overlay.slot].start_time);
  const start = Math.min(slotStart + overlay.offset, slotEnd);
  const end = Math.min(overlay.duration === undefined ? slotEnd : start + overlay.duration, total);
  // Too short to read once the slot shrank: leave it out rather than flash it.
  if (end - start < 0.3) return undefined;
  return { start: round(start), end: round(end) };
}

/** A user template from a project: one slot per segment, overlays anchored to the slot they start in. */
export function templateFromProject(project: Draft, name: string, id: string): TemplateDefinition {
  if (!project.segments.length) throw TemplateError.of('invalid-input', 'Add clips to the timeline before saving it as a template', {}, 'segments');
  const slots = project.segments.map((s) => ({ duration: round(s.end_time - s.start_time) }));
  const starts: number[] = [];
  let cursor = 0;
  for (const s of slots) {
    starts.push(cursor);
    cursor += s.duration;
  }
  const overlays = project.overlays.map((o) => {
    let slot = 0;
    while (slot + 1 < starts.length && starts[slot + 1] <= o.start_time + 1e-6) slot++;
    const content = project.name.trim() ? o.content.replaceAll(project.name.trim(), '{project}') : o.content;
    return { slot, offset: round(o.start_time - starts[slot]), duration: round(o.end_time - o.start_time), content, position: { ...o.position }, style: { ...o.style } };
  });
  const seconds = Math.round(cursor * 10) / 10;
  return {
    id,
    name: name.trim(),
    description: `${slots.length} clip${slots.length > 1 ? 's' : ''}, ${seconds} s, ${overlays.length} text${overlays.length === 1 ? '' : 's'}`,
    aspect: project.settings.aspect,
    slots,
    overlays,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
