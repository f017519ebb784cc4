/**
 * The editor's project file (a draft): media references, the video track, the text track and
 * the output settings. Saved as JSON with a schema version; converts to and from the
 * generation request.
 *
 * Semantics match the request: a segment shows [start_time, end_time) seconds of its media;
 * the video track plays segments in array order; overlay times are on the output timeline.
 */
import { z } from 'zod';
import { ASPECTS, resolveOutputSettings } from './output-settings';
import {
  OverlayStyle,
  TextOverlay,
  type GenerationRequest,
  type GenerationRequestInput,
} from './request';
import { issueToFieldError, type FieldError } from './validation';

export const PROJECT_FORMAT = 'hospup-project';
export const PROJECT_VERSION = 1;

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

export const ProjectSegment = z.object({
  id: z.string().min(1),
  media_id: z.string().min(1),
  start_time: z.number().min(0),
  end_time: z.number().min(0),
});
export type ProjectSegment = z.infer<typeof ProjectSegment>;

export const ProjectOverlay = TextOverlay.extend({ id: z.string().min(1), style: OverlayStyle });
export type ProjectOverlay = z.infer<typeof ProjectOverlay>;

export const ProjectSettings = z.object({
  aspect: z.enum(ASPECTS),
  width: z.number().int().min(64).max(4096),
  height: z.number().int().min(64).max(4096),
  fps: z.number().min(1).max(120),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;

export const ProjectSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  id: z.string().min(1),
  name: z.string(),
  property_id: z.string().default('1'),
  template_id: z.string().default('custom'),
  created_at: z.string(),
  updated_at: z.string(),
  settings: ProjectSettings,
  media: z.array(MediaRef),
  segments: z.array(ProjectSegment),
  overlays: z.array(ProjectOverlay),
});
export type Project = z.output<typeof ProjectSchema>;

export function isProjectDocument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === PROJECT_FORMAT;
}

export type ProjectParseResult = { ok: true; project: Project } | { ok: false; errors: FieldError[] };

export function parseProject(input: unknown): ProjectParseResult {
  const parsed = ProjectSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map(issueToFieldError) };
  const errors: FieldError[] = [];
  const mediaIds = new Set(parsed.data.media.map((m) => m.id));
  parsed.data.segments.forEach((segment, i) => {
    if (!mediaIds.has(segment.media_id)) errors.push({ path: `segments[${i}].media_id`, message: `refers to unknown media "${segment.media_id}"` });
  });
  return errors.length ? { ok: false, errors } : { ok: true, project: parsed.data };
}

export function newProject(init: { id: string; name: string; now: string; aspect?: (typeof ASPECTS)[number] }): Project {
  const output = resolveOutputSettings({ aspect: init.aspect ?? '9:16' });
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    id: init.id,
    name: init.name,
    property_id: '1',
    template_id: 'custom',
    created_at: init.now,
    updated_at: init.now,
    settings: output,
    media: [],
    segments: [],
    overlays: [],
  };
}

/**
 * The request for a project. `videoUrlFor` decides how media are addressed (a local path
 * before upload, an `s3://` URL after).
 */
export function projectToRequest(project: Project, videoUrlFor: (media: MediaRef) => string = (m) => m.path): GenerationRequestInput {
  const mediaById = new Map(project.media.map((m) => [m.id, m]));
  const segments = project.segments.map((segment, index) => {
    const media = mediaById.get(segment.media_id);
    if (!media) throw new Error(`segments[${index}].media_id: refers to unknown media "${segment.media_id}"`);
    const facts = media.facts;
    return {
      id: segment.id,
      video_url: videoUrlFor(media),
      start_time: segment.start_time,
      end_time: segment.end_time,
      duration: segment.end_time - segment.start_time,
      order: index + 1,
      ...(facts && {
        source: {
          fps: facts.fps,
          has_audio: facts.has_audio,
          duration: facts.duration,
          width: facts.width,
          height: facts.height,
          rotation: facts.rotation,
          size_bytes: facts.size_bytes,
        },
      }),
    };
  });
  const total = segments.reduce((sum, s) => sum + s.duration, 0);
  return {
    property_id: project.property_id,
    template_id: project.template_id,
    segments,
    text_overlays: project.overlays.map((o) => ({ ...o, position: { ...o.position }, style: { ...o.style } })),
    total_duration: total,
    output: { ...project.settings },
  };
}

/** A project for a request (used by `hospup export request.json` and to open old requests in the editor). */
export function requestToProject(
  request: GenerationRequest,
  init: { id: string; name: string; now: string; mediaFor: (videoUrl: string, index: number) => MediaRef },
): Project {
  const project = newProject({ id: init.id, name: init.name, now: init.now });
  project.property_id = request.property_id;
  project.template_id = request.template_id;
  project.settings = resolveOutputSettings(request.output);
  const mediaByUrl = new Map<string, MediaRef>();
  const ordered = [...request.segments].map((s, i) => ({ s, i })).sort((a, b) => a.s.order - b.s.order || a.i - b.i);
  project.segments = ordered.map(({ s, i }) => {
    let media = mediaByUrl.get(s.video_url);
    if (!media) {
      media = init.mediaFor(s.video_url, mediaByUrl.size);
      mediaByUrl.set(s.video_url, media);
    }
    return { id: s.id ?? `seg${i + 1}`, media_id: media.id, start_time: s.start_time, end_time: s.end_time };
  });
  project.media = [...mediaByUrl.values()];
  project.overlays = request.text_overlays.map((o, i) => ({ ...o, id: o.id ?? `text${i + 1}` }));
  return project;
}

/** Length of the video track in seconds. */
export function projectDuration(project: Pick<Project, 'segments'>): number {
  return project.segments.reduce((sum, s) => sum + (s.end_time - s.start_time), 0);
}
