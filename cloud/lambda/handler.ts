/**
 * The generation function: validates a generation request, renders its text overlays to PNG,
 * submits a MediaConvert job, and reports or cancels jobs. Deployed to Node.js Lambda (see
 * scripts/build-lambda.ts) and hosted in-process by the local cloud.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import {
  CancelJobCommand,
  CreateJobCommand,
  type CreateJobCommandOutput,
  GetJobCommand,
  MediaConvertClient,
  ProbeCommand,
  type MediaConvertClientConfig,
} from '@aws-sdk/client-mediaconvert';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { FONT_FAMILIES, isPhotoUrl, RequestValidationError, parseGenerationRequest, type TextOverlay } from '../../shared/request';
import { fieldErrorToString, issueToFieldError, type FieldError } from '../../shared/validation';
import { configFromEnv, type GeneratorConfig } from './config';
import { EventError, parseEvent, type ParsedEvent } from './event';
import { buildJobs, type ProbedSource, type RenderedOverlay } from './build-job';
import { describeJob } from './media-convert-status';
import { isVariantRequest } from '../../shared/variants';
import { GENERATOR_CONTRACT, type GeneratorAction, type GeneratorFailure, type GeneratorReply } from '../../shared/generator-contract';
import { factsFromProbe } from './probe-facts';
import { createLogger, type Logger } from './log';
import { parseS3Url } from './s3-url';
import { renderOverlayPng } from './overlay-png';
import { loadFontSet } from './fonts-node';
import { ImageReadError, PNG_HEADER_BYTES, pngSize } from './image-size';

export interface LambdaContext {
  awsRequestId?: string;
  functionName?: string;
  getRemainingTimeInMillis?(): number;
}

export interface HandlerOptions {
  credentials?: AwsCredentialIdentity;
  logger?: Logger;
}

type Result = Record<string, unknown>;
/** Each action's handler returns exactly its reply of the generator contract. */
type Handlers = { [A in GeneratorAction]: (payload: Record<string, unknown>, log: Logger, requestId: string) => Promise<GeneratorReply<A>> };

export type GeneratorHandler = (event: unknown, context?: LambdaContext) => Promise<unknown>;

export function createHandler(config: GeneratorConfig, options: HandlerOptions = {}): GeneratorHandler {
  const common = { region: config.region, ...(options.credentials && { credentials: options.credentials }) };
  const s3Config: S3ClientConfig = { ...common, ...(config.endpoints.s3 && { endpoint: config.endpoints.s3, forcePathStyle: true }) };
  const s3 = new S3Client(s3Config);
  const mcConfig: MediaConvertClientConfig = { ...common, ...(config.endpoints.mediaconvert && { endpoint: config.endpoints.mediaconvert }) };
  const mediaConvert = new MediaConvertClient(mcConfig);
  const baseLogger = options.logger ?? createLogger({ service: 'hospup-generator' });
  let fonts: ReturnType<typeof loadFontSet> | undefined;

  const renderOverlay = async (overlay: TextOverlay, frame: { width: number; height: number }): Promise<RenderedOverlay> => {
    fonts ??= loadFontSet(config.fontDir);
    const image = await renderOverlayPng(overlay, frame, await fonts);
    return { png: image.png, x: image.x, y: image.y, width: image.width, height: image.height };
  };

  const probe = async (url: string): Promise<ProbedSource> => {
    const result = await mediaConvert.send(new ProbeCommand({ InputFiles: [{ FileUrl: url }] }));
    return factsFromProbe(result.ProbeResults?.[0], url);
  };

  /** A PNG's size from its header, read with a ranged GetObject (the role may read sources/). */
  const imageSize = async (url: string): Promise<{ width: number; height: number }> => {
    const location = parseS3Url(url);
    if (!location) throw new ImageReadError(`not an s3:// URL: ${url}`);
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key, Range: `bytes=0-${PNG_HEADER_BYTES - 1}` }));
    const bytes = await object.Body!.transformToByteArray();
    return pngSize(bytes);
  };

  async function generate(payload: Record<string, unknown>, log: Logger, requestId: string): Promise<GeneratorReply<'generate'>> {
    const parsed = parseGenerationRequest(payload);
    if (!parsed.ok) throw new RequestValidationError(parsed.errors);
    if (!config.roleArn) throw new Error('MEDIA_CONVERT_ROLE_ARN is not configured for this function');
    const sources = [
      ...parsed.timeline.map((s) => ({ url: s.video_url, path: `segments[${s.index}].video_url`, what: isPhotoUrl(s.video_url) ? 'photo' : 'clip' })),
      ...(parsed.request.logo ? [{ url: parsed.request.logo.url, path: 'logo.url', what: 'logo' }] : []),
    ];
    // The sources' HEADs and the job's compilation (probes, captions) run together when every
    // source is one this function may use (its bucket, outside its own folders): a missing one
    // is still reported as such, not as the probe's failure to open it. Otherwise the check
    // refuses the request before anything is probed.
    const checking = checkSources(sources);
    if (!sources.every(({ url }) => isUsableLocation(parseS3Url(url)))) await checking;
    const building = buildJobs(parsed, {
      bucket: config.bucket,
      outputPrefix: config.outputPrefix,
      overlaysPrefix: config.overlaysPrefix,
      roleArn: config.roleArn,
      probe,
      renderOverlay,
      imageSize,
    }, { hospup_request_id: requestId });
    building.catch(() => undefined); // awaited after the check
    await checking;
    const jobs = await building;
    // Caption images are content-addressed: store each one not already there, all at once.
    const unique = new Map(jobs.flatMap((job) => job.overlayObjects).map((object) => [object.key, object]));
    await Promise.all([...unique.values()].map(async (object) => {
      if (await objectExists(object.key)) return;
      await s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: object.key, Body: object.png, ContentType: 'image/png' }));
    }));
    const started = Date.now();
    // One job per format, submitted together; if one is refused, those already made are
    // cancelled so nothing renders (and bills) for an export that failed.
    const submitted = await Promise.allSettled(jobs.map((job) => mediaConvert.send(new CreateJobCommand(job.createJob))));
    const refused = submitted.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (refused) {
      const made = submitted.flatMap((r) => (r.status === 'fulfilled' && r.value.Job?.Id ? [r.value.Job.Id] : []));
      await Promise.allSettled(made.map((id) => mediaConvert.send(new CancelJobCommand({ Id: id }))));
      if (made.length) log.warn('cancelled the other formats\' jobs', { job_ids: made });
      throw refused.reason;
    }
    const created = submitted.map((r) => (r as PromiseFulfilledResult<CreateJobCommandOutput>).value.Job);
    const jobIds = created.map((job) => job?.Id ?? '');
    log.info('job submitted', { job_id: jobIds[0], job_ids: jobIds, inputs: parsed.timeline.length, overlays: unique.size, submit_ms: Date.now() - started });
    const warnings = [...parsed.warnings, ...jobs.flatMap((job) => job.warnings)].filter((w, i, all) => all.indexOf(w) === i);
    return {
      job_id: jobIds[0],
      status: created[0]?.Status ?? 'SUBMITTED',
      output_url: jobs[0].outputUrl,
      duration: parsed.renderDuration,
      warnings,
      ...(isVariantRequest(parsed.request) && {
        variants: jobs.flatMap((job, j) => job.outputs.map(({ variant, url }) => ({
          label: variant.label,
          format: variant.format,
          ...(variant.language !== undefined && { language: variant.language }),
          job_id: jobIds[j],
          output_url: url,
        }))),
      }),
    };
  }

  /**
   * Sources must be objects of our bucket that exist: no reading other people's objects through
   * our role. Any key is a clip (the guide's bucket keeps them at its root) except the app's own
   * renders and overlays, which the roles are not allowed to read as inputs.
   */
  function isUsableLocation(location: ReturnType<typeof parseS3Url>): boolean {
    return location?.bucket === config.bucket && !location.key.startsWith(config.outputPrefix) && !location.key.startsWith(config.overlaysPrefix);
  }

  async function checkSources(sources: { url: string; path: string; what: string }[]): Promise<void> {
    const errors: FieldError[] = [];
    const checked = new Map<string, Promise<boolean>>();
    // Every HEAD is sent at once (awaited in order below, so the errors keep the request's order).
    for (const { url } of sources) {
      const location = parseS3Url(url);
      if (!location || !isUsableLocation(location) || checked.has(location.key)) continue;
      const exists = objectExists(location.key);
      exists.catch(() => undefined); // rethrown where it is awaited, in order; never unhandled
      checked.set(location.key, exists);
    }
    for (const { url, path, what } of sources) {
      const location = parseS3Url(url);
      if (!location) {
        errors.push({ path, message: `must be an s3:// URL in bucket ${config.bucket} (got "${url}"); upload the ${what} first` });
      } else if (location.bucket !== config.bucket) {
        errors.push({ path, message: `is in bucket "${location.bucket}", but this function only reads bucket "${config.bucket}"` });
      } else if (location.key.startsWith(config.outputPrefix) || location.key.startsWith(config.overlaysPrefix)) {
        const prefix = location.key.startsWith(config.outputPrefix) ? config.outputPrefix : config.overlaysPrefix;
        errors.push({ path, message: `${prefix} holds this app's ${prefix === config.outputPrefix ? 'rendered videos' : 'text overlays'}, not ${what}s: use a ${what} elsewhere in bucket ${config.bucket}` });
      } else {
        const exists = checked.get(location.key) ?? objectExists(location.key);
        if (!(await exists)) errors.push({ path, message: `no such ${what} in bucket ${config.bucket}: ${location.key}` });
      }
    }
    if (errors.length) throw new RequestValidationError(errors);
  }

  async function objectExists(key: string): Promise<boolean> {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
      return true;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (err as Error).name === 'NotFound' || (err as Error).name === 'NoSuchKey') return false;
      throw err;
    }
  }

  /** The job id of a status / cancel event, checked with the contract's event schema. */
  function jobIdOf(payload: Record<string, unknown>): string {
    const parsed = GENERATOR_CONTRACT.status.event.safeParse(payload, { reportInput: true });
    if (!parsed.success) {
      const problem = issueToFieldError(parsed.error.issues[0]);
      throw new EventError(problem.message === 'is required' ? 'is required (the id returned by generate)' : problem.message, 'job_id');
    }
    return parsed.data.job_id;
  }

  async function status(payload: Record<string, unknown>): Promise<GeneratorReply<'status'>> {
    const job = await mediaConvert.send(new GetJobCommand({ Id: jobIdOf(payload) }));
    if (!job.Job) throw new Error('MediaConvert returned no job');
    return describeJob(job.Job);
  }

  async function cancel(payload: Record<string, unknown>): Promise<GeneratorReply<'cancel'>> {
    const id = jobIdOf(payload);
    await mediaConvert.send(new CancelJobCommand({ Id: id }));
    return { job_id: id, status: 'CANCELED' };
  }

  const handlers: Handlers = { generate, status, cancel };

  const handle: GeneratorHandler = async (event, context = {}) => {
    const requestId = context.awsRequestId ?? randomUUID();
    const log = baseLogger.child({ request_id: requestId });
    const started = Date.now();
    let parsedEvent: ParsedEvent | undefined;
    try {
      parsedEvent = parseEvent(event);
      const result: Result = await handlers[parsedEvent.action](parsedEvent.payload, log, requestId);
      log.info('done', { action: parsedEvent.action, job_id: result.job_id, ms: Date.now() - started });
      return respond(parsedEvent.form, 200, result);
    } catch (err) {
      const form = parsedEvent?.form ?? (isApiEvent(event) ? 'api' : 'direct');
      const invalid = toFieldErrors(err);
      if (invalid) {
        log.warn('invalid request', { action: parsedEvent?.action, errors: invalid, ms: Date.now() - started });
        const failure: GeneratorFailure = {
          status: 'INVALID',
          error: { code: 'invalid_request', message: invalid.map(fieldErrorToString).join('\n'), errors: invalid },
        };
        return respond(form, 400, failure);
      }
      const { code, statusCode } = failureCode(err);
      log.error('failed', { action: parsedEvent?.action, error: (err as Error).message, name: (err as Error).name, ms: Date.now() - started });
      const failure: GeneratorFailure = { status: 'FAILED', error: { code, message: (err as Error).message } };
      return respond(form, statusCode, failure);
    }
  };
  return handle;
}

/**
 * What kind of failure, for the caller to explain: a missing job, a permission the function's
 * role lacks (AWS's message names it), a job MediaConvert refused, or anything else.
 */
function failureCode(err: unknown): { code: GeneratorFailure['error']['code']; statusCode: number } {
  const name = (err as Error).name;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (name === 'NotFoundException') return { code: 'not_found', statusCode: 404 };
  if (name === 'ForbiddenException' || name === 'AccessDenied' || name === 'AccessDeniedException' || status === 403) {
    return { code: 'access_denied', statusCode: 403 };
  }
  if (name === 'BadRequestException') return { code: 'job_refused', statusCode: 502 };
  return { code: 'internal', statusCode: 500 };
}

function toFieldErrors(err: unknown): FieldError[] | undefined {
  if (err instanceof RequestValidationError) return err.errors;
  if (err instanceof EventError) return [{ path: err.field, message: err.message }];
  return undefined;
}

function isApiEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'body' in event;
}

function respond(form: 'api' | 'direct', statusCode: number, body: Result): unknown {
  if (form === 'direct') return body;
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * A cold start's first caption costs ~100 ms more than the next (resvg's WebAssembly compiled and
 * tiered up, the PNG encoder's first run) and each typeface's first use its parsing: one short
 * word per typeface, drawn and thrown away, does that before any request (an init phase). The
 * fonts are the ones `createHandler` uses for the same folder (loadFontSet caches per folder).
 * `stop` is asked between typefaces, after the event loop has had its turn: once a request has
 * come, its own captions warm the renderer as well, and must not queue behind these.
 */
export async function warmUp(options: { fontDir?: string; stop?: () => boolean } = {}): Promise<{ typefacesDrawn: number }> {
  const fonts = loadFontSet(options.fontDir);
  let typefacesDrawn = 0;
  for (const font_family of FONT_FAMILIES) {
    await new Promise((resolve) => setImmediate(resolve));
    if (options.stop?.()) break;
    const overlay: TextOverlay = { content: 'Aa', start_time: 0, end_time: 1, position: { x: 50, y: 50 }, style: { color: '#FFFFFF', font_size: 48, font_family } };
    await renderOverlayPng(overlay, { width: 1080, height: 1920 }, fonts);
    typefacesDrawn++;
  }
  return { typefacesDrawn };
}

let defaultHandler: GeneratorHandler | undefined;

/** The Lambda entry point: configured from the environment at cold start. */
export const handler: GeneratorHandler = (event, context) => {
  defaultHandler ??= createHandler(configFromEnv(process.env));
  return defaultHandler(event, context);
};
