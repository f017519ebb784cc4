/**
 * One export, end to end, through the real AWS SDK clients: sources hashed and uploaded
 * (skipping content already in the bucket), the generation function invoked, the job polled
 * with backoff, the MP4 downloaded to `<out>.part` then renamed. Used by the CLI and the app.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { Aspect } from '../../../shared/output-settings';
import { createHash, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ExportPhase } from '../../../shared/api';
import { parseGenerationRequest, type GenerationRequest } from '../../../shared/request';
import { isDraftDocument } from '../../../shared/draft';
import { readDraft } from '../../../shared/draft-migrations';
import { compileDraft } from '../../../shared/compile-draft';
import { fieldErrorToString, type FieldError } from '../../../shared/validation';
import { createCloudClients, type CloudTarget } from '../../../node/cloud-target';
import { parseGeneratorReply, type GeneratorAction, type GeneratorEvent, type GeneratorReply, type VariantReply } from '../../../shared/generator-contract';
import { ExportFailure, LOCAL_CLOUD_STOPPED, permissionFailure, toExportFailure } from './export-failure';
import { createHashCache, type HashCache } from './hash-cache';
import { resolveSources, type LocalSource } from './resolve-sources';
import { createJobJournal, createUploadJournal, type JournalEntry, type UploadJournal } from './job-journal';
import { abortUpload, uploadFileInParts } from './file-upload';

export interface ExportProgressEvent {
  phase: ExportPhase;
  /** Progress within the phase, 0..100. */
  percent: number;
  bytesDone?: number;
  bytesTotal?: number;
  message?: string;
  /** A variant export: the videos (labels like `9x16-fr`) this event is about; `percent` is theirs. */
  variants?: string[];
}

export interface ExportOptions {
  /** The video's file; a variant request writes `<dir>/<name>-<label>.mp4` beside it, one per variant. */
  outPath: string;
  signal?: AbortSignal;
  onProgress?: (event: ExportProgressEvent) => void;
  /** Folder that relative `video_url` paths are relative to (the request file's folder). */
  baseDir?: string;
  /** For a project file: media whose file is gone (their clips are left out, as the editor shows). */
  missingMedia?: string[];
}

export interface ExportResult {
  outputPath: string;
  outputUrl: string;
  sizeBytes: number;
  durationSec: number;
  jobId: string;
  warnings: string[];
  /** Source bytes sent to the bucket by this export (0 when everything was already there). */
  bytesUploaded: number;
  /** Output length MediaConvert reports (what it bills by; all variants together). */
  billedSeconds?: number;
  /** A variant request: each video written (outputPath etc. above are the first one's). */
  variants?: VariantFile[];
}

export interface VariantFile {
  label: string;
  format: Aspect;
  language?: string;
  outputPath: string;
  outputUrl: string;
  sizeBytes: number;
  jobId: string;
  durationSec: number;
}

/** Where a variant's file goes: beside `outPath`, its name + `-9x16-fr`. */
export function variantPath(outPath: string, label: string): string {
  return join(dirname(outPath), `${basename(outPath, extname(outPath))}-${label}.mp4`);
}

export interface PreparedExport {
  request: GenerationRequest;
  uploads: LocalSource[];
  warnings: string[];
}

export interface Exporter {
  /** Validate, hash and probe without touching the cloud. */
  prepare(input: unknown, options?: Pick<ExportOptions, 'baseDir' | 'signal' | 'onProgress' | 'missingMedia'>): Promise<PreparedExport>;
  exportRequest(input: unknown, options: ExportOptions): Promise<ExportResult>;
}

export interface ExporterOptions {
  target: CloudTarget;
  /** Where source hashes are cached between runs. */
  hashCacheFile?: string;
  /** Where photos and logos converted for the cloud are kept (default: a folder in the OS temp dir). */
  convertedDir?: string;
  /** Upload part size (bytes, >= 5 MiB) and parallel parts; see bench/upload.bench.ts. */
  partSize?: number;
  queueSize?: number;
  /** Status polling: first delay and ceiling (ms). */
  pollMinMs?: number;
  pollMaxMs?: number;
  /** Where submitted-but-unfinished jobs are remembered, to resume them after a restart. */
  jobJournalFile?: string;
  /** Where multipart uploads in progress are remembered, to send only their missing parts after a restart. */
  uploadJournalFile?: string;
  /** Waiting out a lost connection: first delay, ceiling, and when to give up (ms). */
  reconnect?: Partial<ReconnectOptions>;
}

export interface ReconnectOptions {
  firstDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

export function createExporter(options: ExporterOptions): Exporter {
  const { target } = options;
  const clients = createCloudClients(target);
  const hashCache: HashCache = createHashCache(options.hashCacheFile);
  const sourcesPrefix = target.sourcesPrefix ?? 'sources/';
  const journal = createJobJournal(options.jobJournalFile);
  const uploads = createUploadJournal(options.uploadJournalFile);
  const reconnectOptions = { firstDelayMs: 1000, maxDelayMs: 30_000, giveUpAfterMs: 15 * 60_000, ...options.reconnect };
  // A local cloud (embedded, or `hospup cloud` on this machine) does not come back by itself:
  // a refused connection on loopback means nothing listens any more, not a network hiccup.
  const stoppedIsFinal = target.kind === 'local' || onThisMachine(target);

  async function prepare(input: unknown, opts: Pick<ExportOptions, 'baseDir' | 'signal' | 'onProgress' | 'missingMedia'> = {}): Promise<PreparedExport> {
    opts.onProgress?.({ phase: 'preparing', percent: 0 });
    const { request, warnings: draftWarnings } = toRequest(input, opts.missingMedia);
    const resolved = await resolveSources(request, {
      bucket: target.bucket,
      sourcesPrefix,
      baseDir: opts.baseDir ?? process.cwd(),
      hashCache,
      convertedDir: options.convertedDir ?? join(tmpdir(), 'hospup-converted'),
      signal: opts.signal,
      onHashProgress: (done, total) =>
        opts.onProgress?.({ phase: 'hashing', percent: total ? (100 * done) / total : 100, bytesDone: done, bytesTotal: total }),
    });
    // Checked again with the probed facts: catches a source shorter than its segment.
    const parsed = parseGenerationRequest(resolved.request);
    if (!parsed.ok) throw invalidInput(parsed.errors);
    return { request: parsed.request, uploads: resolved.locals, warnings: [...draftWarnings, ...parsed.warnings] };
  }

  async function exportRequest(input: unknown, opts: ExportOptions): Promise<ExportResult> {
    const { signal } = opts;
    const report = (event: ExportProgressEvent) => opts.onProgress?.(event);
    const reconnect = <T>(during: string, step: () => Promise<T>) =>
      withReconnect(during, step, { ...reconnectOptions, signal, report, stoppedIsFinal });
    let phase = 'preparing the export';
    let prepared: PreparedExport | undefined;
    let job: JournalEntry | undefined;
    let journalKey: string | undefined;
    let rendered = false;
    try {
      prepared = await prepare(input, opts);
      phase = 'uploading the clips';
      const sources = prepared.uploads;
      const bytesUploaded = await reconnect(phase, () =>
        uploadSources(clients.s3, target.bucket, sources, { ...options, signal, report, journal: uploads }),
      );
      phase = 'submitting the render';
      signal?.throwIfAborted();
      report({ phase: 'submitting', percent: 0 });
      const key = createHash('sha256').update(JSON.stringify([target.bucket, target.functionName, prepared.request])).digest('hex');
      journalKey = key;
      job = await resumableJob(key, signal);
      if (!job) {
        // One token per attempt: retries of this attempt dedupe, a later attempt renders anew.
        const clientToken = randomUUID();
        const request = prepared.request;
        // Not abortable once sent: the function may create the job anyway, and a job we do not
        // know the id of cannot be cancelled. A cancel meanwhile cancels the job right after.
        const submitted = await reconnect(phase, () =>
          invokeGenerator(clients.lambda, target.functionName, { action: 'generate', ...request, client_token: clientToken }),
        );
        job = {
          jobId: submitted.job_id!, outputUrl: submitted.output_url!, duration: submitted.duration, warnings: submitted.warnings,
          ...(submitted.variants && { variants: submitted.variants }), submittedAt: Date.now(),
        };
        await journal.set(key, job);
      }
      const warnings = [...prepared.warnings, ...(job.warnings ?? [])].filter((w, i, all) => all.indexOf(w) === i);
      if (job.variants) {
        const files = await finishVariants(job, job.variants, opts, reconnect, (step) => { phase = step; }, () => { rendered = true; });
        await journal.delete(key);
        report({ phase: 'done', percent: 100 });
        const billed = files.billedMs.every((ms) => ms !== undefined) ? files.billedMs.reduce<number>((sum, ms) => sum + (ms ?? 0), 0) / 1000 : undefined;
        return {
          outputPath: files.written[0].outputPath,
          outputUrl: files.written[0].outputUrl,
          sizeBytes: files.written.reduce((sum, f) => sum + f.sizeBytes, 0),
          durationSec: job.duration ?? 0,
          jobId: job.jobId,
          warnings,
          bytesUploaded,
          billedSeconds: billed,
          variants: files.written,
        };
      }
      phase = 'rendering';
      const finished = await pollUntilDone(job.jobId, signal, report, reconnect);
      rendered = true;
      phase = 'downloading the video';
      const outputUrl = finished.output_url ?? job.outputUrl;
      const sizeBytes = await reconnect(phase, () => download(clients.s3, outputUrl, opts.outPath, { signal, report }));
      await journal.delete(key);
      report({ phase: 'done', percent: 100 });
      return {
        outputPath: opts.outPath,
        outputUrl,
        sizeBytes,
        durationSec: job.duration ?? 0,
        jobId: job.jobId,
        warnings,
        bytesUploaded,
        billedSeconds: finished.duration_ms !== undefined ? finished.duration_ms / 1000 : undefined,
      };
    } catch (err) {
      const failure = toExportFailure(signal?.aborted ? signal.reason ?? err : err, phase);
      // Nothing keeps costing money after a cancel or a failure: the render is cancelled (a
      // crash, which never gets here, leaves it to be resumed), unfinished uploads are aborted.
      if (signal?.aborted && job && !rendered) {
        const jobIds = job.variants ? [...new Set(job.variants.map((v) => v.job_id))] : [job.jobId];
        await Promise.all(jobIds.map(cancelJob));
        if (journalKey) await journal.delete(journalKey);
      }
      if (prepared) await abortUnfinishedUploads(prepared.uploads);
      throw failure;
    }
  }

  /**
   * A variant export after submitting: every format's job followed at once (they render in
   * parallel), then each file downloaded beside `outPath` with its label. Progress names the
   * variants it is about.
   */
  async function finishVariants(
    job: JournalEntry,
    variants: VariantReply[],
    opts: ExportOptions,
    reconnect: <T>(during: string, step: () => Promise<T>) => Promise<T>,
    setPhase: (phase: string) => void,
    markRendered: () => void,
  ): Promise<{ written: VariantFile[]; billedMs: (number | undefined)[] }> {
    const { signal } = opts;
    const report = (event: ExportProgressEvent) => opts.onProgress?.(event);
    const jobIds = [...new Set(variants.map((v) => v.job_id))];
    const labelsOf = (jobId: string) => variants.filter((v) => v.job_id === jobId).map((v) => v.label);
    setPhase('rendering');
    const finished = await Promise.all(jobIds.map((jobId) =>
      pollUntilDone(jobId, signal, (event) => report({ ...event, variants: labelsOf(jobId) }), reconnect)));
    markRendered();
    const written: VariantFile[] = [];
    for (const variant of variants) {
      setPhase(`downloading the ${variant.label} video`);
      const outputPath = variantPath(opts.outPath, variant.label);
      const sizeBytes = await reconnect('downloading the video', () =>
        download(clients.s3, variant.output_url, outputPath, { signal, report: (event) => report({ ...event, variants: [variant.label] }) }));
      written.push({
        label: variant.label,
        format: variant.format,
        ...(variant.language !== undefined && { language: variant.language }),
        outputPath,
        outputUrl: variant.output_url,
        sizeBytes,
        jobId: variant.job_id,
        durationSec: job.duration ?? 0,
      });
    }
    // MediaConvert bills each output's minutes: a job's duration counts once per language.
    const billedMs = finished.map((status, j) => (status.duration_ms !== undefined ? status.duration_ms * labelsOf(jobIds[j]).length : undefined));
    return { written, billedMs };
  }

  /** CancelJob through the function, retried a few times: the user asked to stop paying. */
  async function cancelJob(jobId: string): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await invokeGenerator(clients.lambda, target.functionName, { action: 'cancel', job_id: jobId });
        return;
      } catch {
        await sleep(250 * attempt);
      }
    }
  }

  /** Uploads this export left unfinished (kept for a resume after a lost connection): aborted now. */
  async function abortUnfinishedUploads(sources: LocalSource[]): Promise<void> {
    for (const source of sources) {
      const entry = await uploads.get(uploadKey(target.bucket, source.key));
      if (!entry) continue;
      if (await abortUpload(clients.s3, entry.bucket, entry.key, entry.uploadId)) await uploads.delete(uploadKey(target.bucket, source.key));
    }
  }

  /** A job this request already has in flight (after a crash or restart), if it can still finish. */
  async function resumableJob(key: string, signal?: AbortSignal): Promise<JournalEntry | undefined> {
    const entry = await journal.get(key);
    if (!entry) return undefined;
    const status = await invokeGenerator(clients.lambda, target.functionName, { action: 'status', job_id: entry.jobId }, signal).catch(() => undefined);
    if (status && ['SUBMITTED', 'PROGRESSING', 'COMPLETE'].includes(status.status ?? '')) return entry;
    await journal.delete(key);
    return undefined;
  }

  async function pollUntilDone(
    jobId: string,
    signal: AbortSignal | undefined,
    report: (e: ExportProgressEvent) => void,
    reconnect: <T>(during: string, step: () => Promise<T>) => Promise<T>,
  ): Promise<GeneratorReply<'status'>> {
    // AWS: one status call (a Lambda invocation and a GetJob) 1 s after submitting, then every
    // 1.5x longer up to 5 s: at most one call a second per export (docs/aws.md, "Status cadence").
    // The local cloud says when the job changed, and the poll follows at once.
    let delay = options.pollMinMs ?? 1000;
    const ceiling = options.pollMaxMs ?? 5000;
    report({ phase: 'rendering', percent: 0 });
    // Registered before each status call, so a change during the call is not missed. With change
    // events the first call is made at once: a job that changed (even finished) between its
    // submission and this registration has no later change to wake us.
    let changed = target.jobChanged?.(jobId, signal);
    let askNow = changed !== undefined;
    for (;;) {
      if (askNow) {
        askNow = false;
      } else {
        await sleep(delay, signal, changed); // a cancel here or during the poll below cancels the job (exportRequest)
        changed = target.jobChanged?.(jobId, signal);
      }
      const status = await reconnect('rendering', () =>
        invokeGenerator(clients.lambda, target.functionName, { action: 'status', job_id: jobId }, signal),
      );
      if (status.status === 'COMPLETE') return status;
      if (status.status === 'ERROR') {
        // The plain sentence, then MediaConvert's own words: they say which input and why.
        const { message = 'The render failed.', detail, code } = status.error ?? {};
        const full = detail ? `${message} (MediaConvert${code ? ` error ${code}` : ''}: ${detail})` : message;
        throw new ExportFailure('render', full, { retryable: true, details: detail ? [detail] : [] });
      }
      if (status.status === 'CANCELED') throw new ExportFailure('cancelled', 'The render was cancelled.', { retryable: true });
      report({ phase: 'rendering', percent: status.percent ?? 0, message: status.phase });
      delay = Math.min(ceiling, Math.round(delay * 1.5));
    }
  }

  return { prepare, exportRequest };
}

/**
 * A request as it is, or a project file (any version) compiled with compileDraft: the same
 * function the editor's Export button uses, so both render the same video. What compiling left
 * out or changed comes back as warnings.
 */
function toRequest(input: unknown, missingMedia: string[] = []): { request: GenerationRequest; warnings: string[] } {
  if (!isDraftDocument(input)) {
    const parsed = parseGenerationRequest(input);
    if (!parsed.ok) throw invalidInput(parsed.errors);
    return { request: parsed.request, warnings: [] };
  }
  const read = readDraft(input);
  if (!read.ok) throw invalidInput(read.errors);
  const compiled = compileDraft(read.draft, { missingMedia });
  if (!compiled.request) throw invalidInput(compiled.blocking.map((b) => ({ path: b.path, message: b.message })));
  const parsed = parseGenerationRequest(compiled.request);
  if (!parsed.ok) throw invalidInput(parsed.errors);
  return { request: parsed.request, warnings: [...compiled.leftOut, ...compiled.warnings].map((w) => w.message) };
}

function invalidInput(errors: FieldError[]): ExportFailure {
  const details = errors.map(fieldErrorToString);
  return new ExportFailure('invalid-input', details.join('\n'), { field: errors[0]?.path, details, retryable: false });
}

/**
 * One call of the generation function: the event typed by the generator contract, the reply
 * parsed with the same contract (shared/generator-contract.ts). A failure reply becomes an
 * ExportFailure naming the fields; a reply the contract does not know is reported, not trusted.
 */
async function invokeGenerator<A extends GeneratorAction>(
  lambda: LambdaClient,
  functionName: string,
  event: GeneratorEvent<A>,
  signal?: AbortSignal,
): Promise<GeneratorReply<A>> {
  const response = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(event)) }),
    { abortSignal: signal },
  );
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '{}';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ExportFailure('internal', `The generation function answered something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (response.FunctionError) {
    const crash = body as { errorMessage?: string };
    throw new ExportFailure('internal', `The generation function failed: ${crash?.errorMessage ?? response.FunctionError}`);
  }
  const parsed = parseGeneratorReply(event.action, body);
  if (parsed.ok) return parsed.reply;
  if ('mismatch' in parsed) {
    throw new ExportFailure('internal', `The generation function answered "${event.action}" in a form this app does not know (${parsed.mismatch}): update the deployed function`);
  }
  const { failure } = parsed;
  if (failure.status === 'INVALID') throw invalidInput(failure.error.errors ?? [{ path: '', message: failure.error.message }]);
  // The function's role (or MediaConvert's) lacks a permission: AWS's message names it.
  if (failure.error.code === 'access_denied') throw permissionFailure(failure.error.message);
  if (failure.error.code === 'job_refused') {
    throw new ExportFailure('render', `MediaConvert refused the render settings: ${failure.error.message}`, { retryable: false, details: [failure.error.message] });
  }
  throw new ExportFailure('internal', `The generation function failed: ${failure.error.message}`);
}

interface TransferOptions {
  signal?: AbortSignal;
  report: (event: ExportProgressEvent) => void;
  partSize?: number;
  queueSize?: number;
  journal?: UploadJournal;
}

const uploadKey = (bucket: string, key: string) => `${bucket}/${key}`;

/** Files uploaded at once: a project of short clips and photos waited for each request in turn (~50 ms each locally). */
const FILES_AT_ONCE = 3;

/** Upload what the bucket lacks, resuming uploads a crash or a lost connection interrupted; returns the bytes sent. */
async function uploadSources(s3: S3Client, bucket: string, sources: LocalSource[], options: TransferOptions): Promise<number> {
  options.signal?.throwIfAborted();
  // One HEAD per source, all at once (a project of many clips waited for each in turn).
  const present = await Promise.all(sources.map((source) => hasObject(s3, bucket, source.key, source.size, options.signal)));
  const missing = sources.filter((_, i) => !present[i]);
  const total = missing.reduce((sum, s) => sum + s.size, 0);
  const sentBySource = new Map<LocalSource, number>();
  const reportSent = () => {
    let done = 0;
    for (const bytes of sentBySource.values()) done += bytes;
    options.report({ phase: 'uploading', percent: total ? (100 * done) / total : 100, bytesDone: done, bytesTotal: total });
  };
  reportSent();
  const partSize = options.partSize ?? 16 * 1024 * 1024;
  // A failure other than the network's stops the other files (their uploads are aborted); a
  // lost connection lets them end on their own, so their stored parts stay for the resume.
  const siblings = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, siblings.signal]) : siblings.signal;
  const uploadOne = async (source: LocalSource) => {
    const journalKey = uploadKey(bucket, source.key);
    const earlier = await options.journal?.get(journalKey);
    // Same content (the key is its hash), same cut into parts: the earlier parts are ours.
    const resumeUploadId = earlier && earlier.size === source.size && earlier.partSize === partSize ? earlier.uploadId : undefined;
    if (earlier && !resumeUploadId) {
      await abortUpload(s3, bucket, source.key, earlier.uploadId);
      await options.journal?.delete(journalKey);
    }
    try {
      await uploadFileInParts(s3, {
        Bucket: bucket,
        Key: source.key,
        path: source.path,
        size: source.size,
        partSize,
        queueSize: options.queueSize ?? 4,
        signal,
        resumeUploadId,
        onUploadStarted: (uploadId) => options.journal?.set(journalKey, { bucket, key: source.key, uploadId, size: source.size, partSize, startedAt: Date.now() }),
        // A lost connection keeps the upload for the retry (or the next run); anything else aborts it.
        keepForResume: (err) => toExportFailure(err, 'uploading').code === 'network',
        onProgress: (bytes) => {
          sentBySource.set(source, bytes);
          reportSent();
        },
      });
    } catch (err) {
      if (signal.aborted || toExportFailure(err, 'uploading').code !== 'network') await options.journal?.delete(journalKey);
      throw err;
    }
    await options.journal?.delete(journalKey);
    sentBySource.set(source, source.size);
  };
  let next = 0;
  let firstError: { err: unknown } | undefined;
  const worker = async () => {
    while (next < missing.length && !firstError) {
      const source = missing[next++];
      try {
        await uploadOne(source);
      } catch (err) {
        if (!firstError) {
          firstError = { err };
          if (toExportFailure(err, 'uploading').code !== 'network') siblings.abort(err);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILES_AT_ONCE, missing.length) }, worker));
  if (firstError) throw firstError.err;
  return total;
}

async function hasObject(s3: S3Client, bucket: string, key: string, size: number, signal?: AbortSignal): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return head.ContentLength === size;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return false;
    // A HEAD answer has no body: a 403 says neither "wrong keys" nor which permission. Ask
    // again with a one-byte GET, whose error document names the real cause.
    if (status === 403) throw await whyHeadRefused(s3, bucket, key, err, signal);
    throw err;
  }
}

async function whyHeadRefused(s3: S3Client, bucket: string, key: string, headError: unknown, signal?: AbortSignal): Promise<unknown> {
  try {
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=0-0' }), { abortSignal: signal });
    return headError;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return status === 403 || status === 400 ? err : headError;
  }
}

async function download(s3: S3Client, url: string, outPath: string, options: TransferOptions): Promise<number> {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) throw new ExportFailure('internal', `The render finished at an unexpected place: ${url}`);
  const partPath = `${outPath}.part`;
  await mkdir(dirname(outPath), { recursive: true });
  const response = await s3.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }), { abortSignal: options.signal });
  const total = response.ContentLength ?? 0;
  let received = 0;
  let lastReport = 0;
  options.report({ phase: 'downloading', percent: 0, bytesDone: 0, bytesTotal: total });
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      const now = Date.now();
      if (now - lastReport > 100 || received === total) {
        lastReport = now;
        options.report({ phase: 'downloading', percent: total ? (100 * received) / total : 0, bytesDone: received, bytesTotal: total });
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.Body as NodeJS.ReadableStream, counter, createWriteStream(partPath), { signal: options.signal });
    const written = (await stat(partPath)).size;
    if (total && written !== total) {
      throw new ExportFailure('network', `The download was cut short (${written} of ${total} bytes). Retry the export.`);
    }
    await rename(partPath, outPath);
    return written;
  } catch (err) {
    await rm(partPath, { force: true });
    throw err;
  }
}

/**
 * Run a cloud step; when the connection is lost (after the SDK's own retries), report a
 * 'paused' phase and try again with growing delays until it comes back, the user cancels, or
 * `giveUpAfterMs` passes. Steps are safe to repeat: uploads skip what is stored, submissions
 * reuse the attempt's token, polls and downloads start over.
 */
async function withReconnect<T>(
  during: string,
  step: () => Promise<T>,
  context: ReconnectOptions & { signal?: AbortSignal; report: (event: ExportProgressEvent) => void; stoppedIsFinal?: boolean },
): Promise<T> {
  let delay = context.firstDelayMs;
  let pausedSince: number | undefined;
  for (;;) {
    try {
      return await step();
    } catch (err) {
      const failure = toExportFailure(err, during);
      if (failure.code !== 'network' || context.signal?.aborted) throw err;
      if (context.stoppedIsFinal && refused(err)) {
        throw ExportFailure.say('local-cloud-stopped', LOCAL_CLOUD_STOPPED, {}, { cause: err });
      }
      pausedSince ??= Date.now();
      if (Date.now() - pausedSince > context.giveUpAfterMs) throw failure;
      context.report({
        phase: 'paused',
        percent: 0,
        message: `Connection lost while ${during}. Trying again in ${Math.max(1, Math.round(delay / 1000))} s…`,
      });
      await sleep(delay, context.signal);
      delay = Math.min(context.maxDelayMs, delay * 2);
    }
  }
}

/** Every endpoint of the target is a loopback address (the local cloud run by `hospup cloud`). */
function onThisMachine(target: CloudTarget): boolean {
  const urls = [target.endpoints?.s3, target.endpoints?.lambda];
  return urls.every((url) => {
    if (!url) return false;
    try {
      const host = new URL(url).hostname;
      return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
    } catch {
      return false;
    }
  });
}

/** A refused connection: nothing listens there any more. */
function refused(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string }; errors?: { code?: string }[] };
  return e?.code === 'ECONNREFUSED' || e?.cause?.code === 'ECONNREFUSED' || (e?.errors ?? []).some((x) => x.code === 'ECONNREFUSED');
}

/** Waits `ms`, or less if `wake` resolves first; rejects when the signal aborts. Leaves no timer behind. */
function sleep(ms: number, signal?: AbortSignal, wake?: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void wake?.then(() => (signal?.aborted ? onAbort() : done()));
  });
}
