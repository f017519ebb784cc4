/**
 * Everything between a validated request and the CreateJob call: source facts, source-length
 * checks, overlay images, the deterministic token and output location. Used by the Lambda
 * (`generate`) and by the CLI (`plan`), which supply their own way to probe and to store.
 */
import { createHash } from 'node:crypto';
import type { CreateJobCommandInput } from '@aws-sdk/client-mediaconvert';
import { isPhotoUrl, RequestValidationError, type ParsedRequest, type SourceInfo, type TextOverlay } from '../../shared/request';
import { logoBox, type ImageSize } from '../../shared/logo';
import type { FieldError } from '../../shared/validation';
import { formatSeconds, frameIndex } from '../../shared/time';
import { OverlayError } from '../../shared/overlay/errors';
import { compileCreateJob, JobCompileError, shortenedCutWarnings, type CompiledOutput, type PlacedLogo, type PlacedOverlay, type SourceFacts } from './compile-job';
import { s3Url } from './s3-url';
import type { Aspect } from '../../shared/output-settings';
import { uprightSize } from '../../shared/framing';
import { isVariantRequest, planFormats, type FormatPlan, type Variant } from '../../shared/variants';

export type ProbedSource = SourceFacts;

export interface RenderedOverlay {
  png: Uint8Array;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BuildJobDeps {
  bucket: string;
  outputPrefix: string;
  overlaysPrefix: string;
  roleArn: string;
  /** Facts of a source the request did not describe (MediaConvert Probe on AWS). */
  probe(url: string): Promise<ProbedSource>;
  renderOverlay(overlay: TextOverlay, frame: { width: number; height: number }): Promise<RenderedOverlay>;
  /** Pixel size of a PNG in the bucket (photos, the logo); rejects when it cannot be read as one. */
  imageSize(url: string): Promise<ImageSize>;
}

export interface BuiltJob {
  /** The frame shape this job makes (a variant request has one job per format). */
  format: Aspect;
  createJob: CreateJobCommandInput;
  /** Overlay PNGs to store before submitting (content-addressed keys). */
  overlayObjects: { key: string; png: Uint8Array }[];
  /** The first output's file (a single video's only one). */
  outputUrl: string;
  /** Each output's file and the variant it is (a single video: one, labelled ''). */
  outputs: { variant: Variant; url: string }[];
  token: string;
  /** What the video will differ in from the request (besides the request's own warnings). */
  warnings: string[];
}

/**
 * The jobs of a request: one per format (a request without variants: one job, as always),
 * each with one output per language. Sources are probed once for all formats.
 */
export async function buildJobs(parsed: ParsedRequest, deps: BuildJobDeps, metadata: Record<string, string> = {}): Promise<BuiltJob[]> {
  const shared: BuildJobDeps = { ...deps, probe: memoize(deps.probe), imageSize: memoize(deps.imageSize) };
  const labelled = isVariantRequest(parsed.request);
  const jobs = await Promise.all(planFormats(parsed).map((plan) => buildFormatJob(plan, shared, metadata, labelled)));
  // A format's job is keyed by its content; two identical jobs could only come from a bug.
  if (new Set(jobs.map((j) => j.token)).size !== jobs.length) throw new Error('buildJobs: two formats compiled to the same job');
  return jobs;
}

/** The one job of a request without variants (the CLI's `plan` and tests). */
export async function buildJob(parsed: ParsedRequest, deps: BuildJobDeps, metadata: Record<string, string> = {}): Promise<BuiltJob> {
  const jobs = await buildJobs(parsed, deps, metadata);
  if (jobs.length !== 1) throw new Error(`buildJob: the request makes ${jobs.length} jobs (one per format): use buildJobs`);
  return jobs[0];
}

/** Each output's caption images, drawn in order (an overlay's error names its field and video). */
async function drawCaptions(plan: FormatPlan, deps: BuildJobDeps, labelled: boolean): Promise<{ overlayObjects: BuiltJob['overlayObjects']; outputs: CompiledOutput[] }> {
  const frame = { width: plan.parsed.output.width, height: plan.parsed.output.height };
  const overlayObjects: BuiltJob['overlayObjects'] = [];
  const outputs: CompiledOutput[] = [];
  for (const { variant, overlays } of plan.outputs) {
    const placed: PlacedOverlay[] = [];
    for (const [index, overlay] of overlays.entries()) {
      const image = await deps.renderOverlay(overlay, frame).catch((err: unknown) => {
        if (err instanceof OverlayError) {
          const where = labelled ? ` (in the ${variant.label} video)` : '';
          throw new RequestValidationError([{ path: `text_overlays[${index}].${err.field}`, message: err.message.slice(err.field.length + 2) + where }]);
        }
        throw err;
      });
      const key = `${deps.overlaysPrefix}${sha256(image.png)}.png`;
      if (!overlayObjects.some((o) => o.key === key)) overlayObjects.push({ key, png: image.png });
      placed.push({ url: s3Url(deps.bucket, key), x: image.x, y: image.y, width: image.width, height: image.height });
    }
    outputs.push({ nameModifier: labelled ? `-${variant.label}` : '', overlays: placed });
  }
  return { overlayObjects, outputs };
}

async function buildFormatJob(plan: FormatPlan, deps: BuildJobDeps, metadata: Record<string, string>, labelled: boolean): Promise<BuiltJob> {
  const { parsed } = plan;
  // The probes and the logo's size are waited for while the captions are drawn (which needs
  // neither); their errors still come first, in that order, as when each was awaited in turn.
  const sourcesPending = sourceFactsFor(parsed, deps);
  const logoPending = placeLogo(parsed, deps);
  for (const pending of [sourcesPending, logoPending]) pending.catch(() => undefined); // awaited below
  const drawn = await drawCaptions(plan, deps, labelled).catch((err: unknown) => ({ failed: err }));
  const sources = await sourcesPending;
  if ('failed' in drawn) throw drawn.failed;
  const { overlayObjects, outputs } = drawn;
  const logo = await logoPending;
  const inputUrls = parsed.timeline.map((segment) => segment.video_url);
  // What changes the job: a source's rate, audio, frame grid, colour, channel layout, photo size
  // (its picture size comes from the request's own `source`, already in the key).
  const identity = sources.map(({ fps, hasAudio, vfr, dynamicRange, audioChannels, photo }) => withoutUndefined({ fps, hasAudio, vfr, dynamicRange, audioChannels, photo }));
  // A single video keeps the key it always had (renders already made are found again).
  const variantPart = labelled ? { outputs } : { overlays: outputs[0].overlays };
  const token = sha256(JSON.stringify({ v: 1, request: parsed.request, output: parsed.output, sources: identity, ...variantPart, ...(logo && { logo }) }));
  const destination = s3Url(deps.bucket, `${deps.outputPrefix}${token.slice(0, 24)}/video`);
  const createJob = compileOrFieldError({
    parsed,
    sources,
    inputUrls,
    overlays: outputs[0].overlays,
    outputs,
    ...(logo && { logo }),
    destination,
    roleArn: deps.roleArn,
    clientRequestToken: token,
    userMetadata: {
      property_id: parsed.request.property_id.slice(0, 200),
      template_id: parsed.request.template_id.slice(0, 200),
      ...(labelled && { format: plan.format }),
      ...metadata,
    },
  });
  const files = plan.outputs.map(({ variant }, i) => ({ variant, url: `${destination}${outputs[i].nameModifier}.mp4` }));
  return { format: plan.format, createJob, overlayObjects, outputUrl: files[0].url, outputs: files, token, warnings: shortenedCutWarnings(parsed, sources) };
}

function memoize<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let pending = cache.get(key);
    if (!pending) cache.set(key, (pending = load(key)));
    return pending;
  };
}

/** Facts per timeline entry; fails with field errors when a source is shorter than its segment. */
/** A job the compiler refuses for what the request asks (a cut MediaConvert cannot place) is a field error, like the schema's. */
function compileOrFieldError(input: Parameters<typeof compileCreateJob>[0]): CreateJobCommandInput {
  try {
    return compileCreateJob(input);
  } catch (err) {
    if (err instanceof JobCompileError) throw new RequestValidationError([{ path: err.field, message: err.message.slice(err.field.length + 2) }]);
    throw err;
  }
}

/** The logo's box from its PNG's size (read from the bucket) and the request's placement. */
async function placeLogo(parsed: ParsedRequest, deps: BuildJobDeps): Promise<PlacedLogo | undefined> {
  const logo = parsed.request.logo;
  if (!logo) return undefined;
  const size = await deps.imageSize(logo.url).catch((err: unknown) => {
    throw new RequestValidationError([{ path: 'logo.url', message: `cannot read the logo image: ${(err as Error).message}` }]);
  });
  const box = logoBox(logo, size, parsed.output);
  return { url: logo.url, ...box, opacity: logo.opacity };
}

async function sourceFactsFor(parsed: ParsedRequest, deps: BuildJobDeps): Promise<ProbedSource[]> {
  const probed = new Map<string, Promise<ProbedSource>>();
  const photoErrors: FieldError[] = [];
  const facts = await Promise.all(
    parsed.timeline.map((segment) => {
      if (isPhotoUrl(segment.video_url)) {
        // A photo: no probe (MediaConvert's Probe reads media files); its PNG header gives its size.
        return deps.imageSize(segment.video_url).then(
          (photo): ProbedSource => ({ fps: parsed.output.fps, hasAudio: false, photo }),
          (err: unknown): ProbedSource => {
            photoErrors.push({ path: `segments[${segment.index}].video_url`, message: `cannot read the photo: ${(err as Error).message}` });
            return { fps: parsed.output.fps, hasAudio: false };
          },
        );
      }
      // A volume change needs the channel count: probe when the request's facts lack it.
      const needsChannels = (segment.volume_db ?? 0) !== 0 && !segment.muted && segment.source?.has_audio && segment.source.audio_channels === undefined;
      if (segment.source && !needsChannels) return sourceFactsOf(segment.source);
      if (segment.source && needsChannels) {
        const given = sourceFactsOf(segment.source);
        return deps.probe(segment.video_url).then((p) => ({ ...given, ...(p.audioChannels !== undefined && { audioChannels: p.audioChannels }) }));
      }
      let pending = probed.get(segment.video_url);
      if (!pending) probed.set(segment.video_url, (pending = deps.probe(segment.video_url)));
      return pending;
    }),
  );
  const errors: FieldError[] = [...photoErrors];
  parsed.timeline.forEach((segment, i) => {
    if (facts[i].photo || isPhotoUrl(segment.video_url)) return;
    const duration = facts[i].duration;
    const frame = 1 / facts[i].fps;
    if (duration !== undefined && segment.end_time > duration + frame) {
      errors.push({
        path: `segments[${segment.index}].end_time`,
        message: `is after the end of the source clip (${formatSeconds(segment.end_time)} > ${formatSeconds(duration)} s)`,
      });
    } else if (duration !== undefined && frameIndex(segment.start_time, facts[i].fps) >= Math.round(duration * facts[i].fps)) {
      errors.push({
        path: `segments[${segment.index}].start_time`,
        message: `is at or after the end of the source clip (${formatSeconds(segment.start_time)} ≥ ${formatSeconds(duration)} s)`,
      });
    }
  });
  if (errors.length) throw new RequestValidationError(errors);
  return facts.map(withoutUndefined);
}

/** The compiler's facts from a request's `source` block (probed by the client). */
export function sourceFactsOf(source: SourceInfo): ProbedSource {
  return withoutUndefined({
    fps: source.fps,
    hasAudio: source.has_audio,
    duration: source.duration,
    vfr: source.variable_frame_rate,
    dynamicRange: source.dynamic_range,
    audioChannels: source.audio_channels,
    picture: source.width !== undefined && source.height !== undefined ? uprightSize({ width: source.width, height: source.height }, source.rotation) : undefined,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
