// The local MediaConvert: the real REST API (2017-08-29, JSON, lower-camel keys) over loopback,
// executing each job as one ffmpeg pass. See docs/job-shape.md and error-codes.ts.
// Like AWS: CreateJob refuses invalid settings synchronously (BadRequestException, model-check.ts
// then validate-settings.ts), every call is authorised by IAM, and a job reads its inputs and
// writes its output as the role it was given (assumed through the role's trust policy).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath } from '../../../node/media/ffmpeg-paths';
import { NotMediaError, mediaProbeFromFfprobe, probeMedia } from '../../../node/media/probe';
import { guardServer } from '../../../node/http-guard';
import { readHead, sniffInputFormat, withSafeInputs } from '../../../node/media/safe-input';
import { planFfmpegRenderOutputs, type PlanInput } from './compile-ffmpeg';
import { PNG_HEADER_BYTES, pngSize } from '../../lambda/image-size';
import { ERROR_CODES, JobError } from './error-codes';
import { outputUrl, type WireJobSettings } from './job-settings';
import { probeResultFor } from './probe-api';
import { createProbeMemo } from './probe-memo';
import { unimplementedRequestKeys, validateJobSettings } from './validate-settings';
import { modelProblems } from './model-check';

export type JobStatus = 'SUBMITTED' | 'PROGRESSING' | 'COMPLETE' | 'ERROR' | 'CANCELED';
export type JobPhase = 'PROBING' | 'TRANSCODING' | 'UPLOADING';

export interface MediaConvertServerOptions {
  host?: string;
  port?: number;
  region: string;
  /** Only used to build ARNs (account id) today; request signatures are checked by verifyRequest. */
  credentials?: { accessKeyId: string; secretAccessKey: string; accountId?: string };
  /** s3://bucket/key -> a readable local file path (rejects when the object does not exist). */
  resolveS3: (s3Url: string) => Promise<string>;
  /** Stores a finished local file at s3://bucket/key, signed as the job's role session when there is one. */
  storeS3: (s3Url: string, localFile: string, session?: JobRoleSession) => Promise<void>;
  ffmpeg?: string;
  concurrency?: number;
  /** Called on every request before routing (SigV4 check); not ok -> 403 ForbiddenException. */
  verifyRequest?: (req: IncomingMessage, body: Buffer) => RequestVerdict | Promise<RequestVerdict>;
  /** IAM for callers and job roles; absent: every (verified) request is allowed and jobs read and write freely. */
  iam?: MediaConvertIam;
  /** ClientRequestToken dedupe window (MediaConvert: about a minute). */
  idempotencyWindowMs?: number;
  /** Called after every change of a job (status, phase, percent), like EventBridge job events. */
  onJobEvent?: (job: Record<string, unknown>) => void;
  /** Called once a job completes, with where its time went (benches weigh the emulator's own cost). */
  onJobTimed?: (timing: LocalJobTiming) => void;
}

/** A completed job's clock (milliseconds since the epoch, spans in milliseconds). Local only: AWS has no such record. */
export interface LocalJobTiming {
  id: string;
  submittedAtMs: number;
  startedAtMs: number;
  finishedAtMs: number;
  /** Assuming the role, resolving and probing inputs, reading images, planning. */
  preparingMs: number;
  /** The ffmpeg process, spawn to exit: the render itself. */
  ffmpegMs: number;
  /** Storing each output in S3 and probing it for outputGroupDetails. */
  storingMs: number;
}

export type RequestVerdict = { ok: true; accessKeyId?: string } | { ok: false; message?: string };

export type Authorization = { allowed: true } | { allowed: false; message: string };

export interface MediaConvertIam {
  /** May the holder of this key perform the action (mediaconvert:*, iam:PassRole, s3:GetObject for Probe)? */
  authorize(accessKeyId: string, check: { action: string; resource: string; context: Record<string, string> }): Authorization;
  /** MediaConvert assumes the job's role (its trust policy decides), for the job's reads and writes. */
  assumeJobRole(roleArn: string, jobArn: string):
    | { ok: true; session: JobRoleSession }
    | { ok: false; reason: 'no-such-role' | 'not-trusted'; message: string };
}

export interface JobRoleSession {
  /** Undefined when the role may read the object; else S3's access-denied message. */
  readDenied(s3Url: string): string | undefined;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  end(): void;
}

export interface MediaConvertServer {
  endpoint: string;
  /**
   * Probes a file a job is about to open (an input just stored) so the job finds the answer
   * ready instead of running ffprobe between CreateJob and its render. A failure is not kept:
   * the job probes again and reports it.
   */
  prefetchProbe(file: string): void;
  close(): Promise<void>;
}

interface JobRecord {
  id: string;
  arn: string;
  status: JobStatus;
  currentPhase?: JobPhase;
  jobPercentComplete?: number;
  createdAtMs: number;
  submitTimeMs: number;
  startTimeMs?: number;
  finishTimeMs?: number;
  errorCode?: number;
  errorMessage?: string;
  role: string;
  settings: WireJobSettings;
  request: Record<string, unknown>;
  userMetadata?: Record<string, string>;
  clientRequestToken?: string;
  queue: string;
  priority: number;
  statusUpdateInterval: string;
  outputGroupDetails?: unknown[];
  child?: ChildProcess;
  session?: JobRoleSession;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

const API = '/2017-08-29';
const MAX_BODY = 16 * 1024 * 1024;

export async function startMediaConvertServer(options: MediaConvertServerOptions): Promise<MediaConvertServer> {
  const host = options.host ?? '127.0.0.1';
  const accountId = options.credentials?.accountId ?? '000000000000';
  const concurrency = Math.max(1, options.concurrency ?? cpus().length);
  const windowMs = options.idempotencyWindowMs ?? 60_000;
  const ffmpeg = options.ffmpeg ?? ffmpegPath();
  const jobs = new Map<string, JobRecord>();
  const tokens = new Map<string, { jobId: string; atMs: number }>();
  const waiting: JobRecord[] = [];
  const runningJobs = new Set<Promise<void>>();
  const probes = createProbeMemo();
  let running = 0;
  let closed = false;

  const emit = (job: JobRecord) => {
    try {
      options.onJobEvent?.(toWire(job));
    } catch {
      // an observer's failure must not break the job
    }
  };

  function toWire(job: JobRecord): Record<string, unknown> {
    const wire: Record<string, unknown> = {
      id: job.id,
      arn: job.arn,
      status: job.status,
      createdAt: job.createdAtMs / 1000,
      role: job.role,
      settings: job.settings,
      queue: job.queue,
      priority: job.priority,
      statusUpdateInterval: job.statusUpdateInterval,
      timing: {
        submitTime: job.submitTimeMs / 1000,
        ...(job.startTimeMs !== undefined ? { startTime: job.startTimeMs / 1000 } : {}),
        ...(job.finishTimeMs !== undefined ? { finishTime: job.finishTimeMs / 1000 } : {}),
      },
    };
    if (job.currentPhase) wire.currentPhase = job.currentPhase;
    if (job.jobPercentComplete !== undefined) wire.jobPercentComplete = job.jobPercentComplete;
    if (job.errorCode !== undefined) wire.errorCode = job.errorCode;
    if (job.errorMessage !== undefined) wire.errorMessage = job.errorMessage;
    if (job.userMetadata) wire.userMetadata = job.userMetadata;
    if (job.clientRequestToken) wire.clientRequestToken = job.clientRequestToken;
    if (job.outputGroupDetails) wire.outputGroupDetails = job.outputGroupDetails;
    return wire;
  }

  function finish(job: JobRecord, status: JobStatus, error?: { code: number; message: string }) {
    if (job.status === 'CANCELED' || job.status === 'COMPLETE' || job.status === 'ERROR') return;
    job.status = status;
    job.currentPhase = undefined;
    job.finishTimeMs = Date.now();
    job.session?.end();
    if (status === 'COMPLETE') job.jobPercentComplete = 100;
    if (error) {
      job.errorCode = error.code;
      job.errorMessage = error.message;
    }
    emit(job);
  }

  function pump() {
    while (!closed && running < concurrency && waiting.length) {
      const job = waiting.shift()!;
      if (job.status !== 'SUBMITTED') continue;
      running++;
      const done = runJob(job)
        .catch((err: unknown) => {
          if (err instanceof JobError) finish(job, 'ERROR', { code: err.errorCode, message: err.message });
          else finish(job, 'ERROR', { code: ERROR_CODES.RENDER_FAILED, message: String((err as Error)?.message ?? err) });
        })
        .finally(() => {
          running--;
          runningJobs.delete(done);
          pump();
        });
      runningJobs.add(done);
    }
  }

  function reportTiming(job: JobRecord, preparingMs: number, ffmpegMs: number, storingMs: number) {
    try {
      options.onJobTimed?.({
        id: job.id, submittedAtMs: job.submitTimeMs, startedAtMs: job.startTimeMs!, finishedAtMs: job.finishTimeMs!, preparingMs, ffmpegMs, storingMs,
      });
    } catch {
      // an observer's failure must not break the server
    }
  }

  async function runJob(job: JobRecord): Promise<void> {
    const preparingFrom = performance.now();
    job.status = 'PROGRESSING';
    job.startTimeMs = Date.now();
    job.currentPhase = 'PROBING';
    job.jobPercentComplete = 0;
    emit(job);

    const settings = job.settings;
    if (options.iam) {
      const assumed = options.iam.assumeJobRole(job.role, job.arn);
      if (!assumed.ok) {
        throw new JobError(assumed.reason === 'no-such-role' ? ERROR_CODES.ROLE_NOT_FOUND : ERROR_CODES.ROLE_NOT_TRUSTED, assumed.message);
      }
      job.session = assumed.session;
    }
    // Inputs are read and probed all at once (one ffprobe each); awaited in order, so a job that
    // cannot open two inputs reports the first, as before.
    const opening = settings.inputs.map(async (input, i): Promise<PlanInput> => {
      if (input.videoGenerator) return generatedInputFiles(job, input.videoGenerator.imageInput, `settings.inputs[${i}].videoGenerator.imageInput`);
      const fileInput = input.fileInput!;
      const localPath = await resolveInput(job, fileInput, `settings.inputs[${i}].fileInput`);
      try {
        const probed = await probes.probe(localPath);
        return { localPath, probe: mediaProbeFromFfprobe(probed.json, localPath, probed.sizeBytes) };
      } catch (err) {
        throw new JobError(ERROR_CODES.INPUT_NOT_OPENED, `settings.inputs[${i}].fileInput: unable to open input file [${fileInput}]: ${err instanceof NotMediaError ? 'not a video file' : (err as Error).message}`);
      }
    });
    for (const pending of opening) pending.catch(() => undefined); // rethrown below, in order; never unhandled
    const inputs: PlanInput[] = [];
    for (const pending of opening) inputs.push(await pending);
    const outputs = settings.outputGroups[0].outputs;
    const images: { localPath: string }[][] = [];
    for (const [o, output] of outputs.entries()) {
      const list: { localPath: string }[] = [];
      for (const [i, image] of (output.videoDescription.videoPreprocessors?.imageInserter?.insertableImages ?? []).entries()) {
        list.push({ localPath: await resolveImage(job, image.imageInserterInput, `settings.outputGroups[0].outputs[${o}].videoDescription.videoPreprocessors.imageInserter.insertableImages[${i}].imageInserterInput`) });
      }
      images.push(list);
    }
    if (isOver(job)) return;

    const workDir = await mkdtemp(join(tmpdir(), 'hospup-mc-'));
    try {
      const outFiles = outputs.map((_, o) => join(workDir, `output-${o}.mp4`));
      const plan = planFfmpegRenderOutputs(settings, inputs, images, outFiles);
      job.currentPhase = 'TRANSCODING';
      emit(job);
      const ffmpegStartedAt = performance.now();
      await runFfmpeg(job, plan.args, plan.expectedDurationSec);
      const ffmpegEndedAt = performance.now();
      if (isOver(job)) return;

      job.currentPhase = 'UPLOADING';
      job.jobPercentComplete = 99;
      emit(job);
      const outputDetails = [];
      for (const [o, outFile] of outFiles.entries()) {
        const destination = outputUrl(settings, o);
        // The output's facts are read while it is stored (its bytes no longer change).
        const probing = probeMedia(outFile);
        probing.catch(() => undefined); // awaited below, after the store's own errors
        try {
          await options.storeS3(destination, outFile, job.session);
        } catch (err) {
          const denied = (err as Error).name === 'AccessDenied';
          throw new JobError(denied ? ERROR_CODES.S3_ACCESS_DENIED : ERROR_CODES.OUTPUT_NOT_OPENED,
            `unable to write output file [${destination}]: ${denied ? 'Access Denied: ' : ''}${(err as Error).message}`);
        }
        const result = await probing;
        outputDetails.push({
          durationInMs: Math.round(result.durationSec * 1000),
          videoDetails: { widthInPx: result.displayWidth, heightInPx: result.displayHeight },
        });
      }
      job.outputGroupDetails = [{ outputDetails }];
      const storingMs = performance.now() - ffmpegEndedAt;
      finish(job, 'COMPLETE');
      reportTiming(job, ffmpegStartedAt - preparingFrom, ffmpegEndedAt - ffmpegStartedAt, storingMs);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** A generator's image: its local copy and size (a PNG, read from its header). */
  async function generatedInputFiles(job: JobRecord, url: string | undefined, path: string): Promise<PlanInput> {
    if (!url) return { generated: true };
    const localPath = await resolveInput(job, url, path);
    try {
      const header = Buffer.alloc(PNG_HEADER_BYTES);
      const file = await open(localPath, 'r');
      try {
        await file.read(header, 0, PNG_HEADER_BYTES, 0);
      } finally {
        await file.close();
      }
      return { generated: true, image: { localPath, ...pngSize(header) } };
    } catch (err) {
      throw new JobError(ERROR_CODES.INPUT_NOT_OPENED, `${path}: unable to open input image [${url}]: ${(err as Error).message}`);
    }
  }

  async function resolveInput(job: JobRecord, url: string, path: string): Promise<string> {
    const denied = job.session?.readDenied(url);
    if (denied) throw new JobError(ERROR_CODES.S3_ACCESS_DENIED, `${path}: unable to open input file [${url}]: Access Denied: ${denied}`);
    try {
      return await options.resolveS3(url);
    } catch (err) {
      throw new JobError(ERROR_CODES.INPUT_NOT_FOUND, `${path}: unable to open input file [${url}]: ${(err as Error).message || 'not found'}`);
    }
  }

  /** An image inserter's file: refused by its field unless its bytes are a PNG or a JPEG. */
  async function resolveImage(job: JobRecord, url: string, path: string): Promise<string> {
    const localPath = await resolveInput(job, url, path);
    let format: ReturnType<typeof sniffInputFormat>;
    try {
      format = sniffInputFormat(readHead(localPath));
    } catch (err) {
      throw new JobError(ERROR_CODES.INPUT_NOT_OPENED, `${path}: unable to open input file [${url}]: ${(err as Error).message}`);
    }
    if (format?.kind !== 'image') throw new JobError(ERROR_CODES.INPUT_NOT_OPENED, `${path}: unable to open input file [${url}]: not a PNG or JPEG image`);
    return localPath;
  }

  function isOver(job: JobRecord): boolean {
    return job.status !== 'PROGRESSING' || closed;
  }

  function runFfmpeg(job: JobRecord, args: string[], expectedSec: number): Promise<void> {
    return new Promise((resolve, reject) => {
      // Every input opened only as the container its bytes say, through file: only (node/media/safe-input.ts).
      let safeArgs: string[];
      try {
        safeArgs = withSafeInputs(args);
      } catch (err) {
        return reject(new JobError(ERROR_CODES.INPUT_NOT_OPENED, `unable to open an input: ${(err as Error).message}`));
      }
      const child = spawn(ffmpeg, safeArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
      job.child = child;
      let stderr = '';
      let pending = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          // -progress reports microseconds (named out_time_ms in older builds).
          const m = /^out_time_(?:ms|us)=(\d+)/.exec(line);
          if (!m || job.status !== 'PROGRESSING') continue;
          const percent = Math.min(98, Math.floor((Number(m[1]) / 1e6 / expectedSec) * 100));
          if (percent > (job.jobPercentComplete ?? 0)) {
            job.jobPercentComplete = percent;
            emit(job);
          }
        }
      });
      child.on('error', (err) => reject(new JobError(ERROR_CODES.RENDER_FAILED, `cannot start ffmpeg: ${err.message}`)));
      child.on('close', (code, signal) => {
        job.child = undefined;
        if (job.status !== 'PROGRESSING') return resolve();
        if (code === 0) return resolve();
        reject(new JobError(ERROR_CODES.RENDER_FAILED, `ffmpeg failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      });
    });
  }

  // --- HTTP --------------------------------------------------------------------------------

  function createJob(body: Record<string, unknown>, caller: Caller): { status: number; payload: unknown } {
    const queueName = typeof body.queue === 'string' && body.queue ? body.queue : 'Default';
    const queue = queueName.startsWith('arn:') ? queueName : `arn:aws:mediaconvert:${options.region}:${accountId}:queues/${queueName}`;
    caller.authorize('mediaconvert:CreateJob', queue);
    // What AWS refuses, in its words; then what this renderer does not implement. Either way no job exists.
    const problems = modelProblems(body);
    if (problems.length === 0) {
      problems.push(...unimplementedRequestKeys(body));
      const checked = validateJobSettings(body.settings);
      if (!checked.ok) problems.push(...checked.problems);
    }
    if (problems.length) throw new HttpError(400, 'BadRequestException', badRequestMessage(problems));
    const role = body.role as string;
    caller.authorize('iam:PassRole', role, { 'iam:PassedToService': 'mediaconvert.amazonaws.com' });
    const token = typeof body.clientRequestToken === 'string' ? body.clientRequestToken : undefined;
    const now = Date.now();
    if (token) {
      const seen = tokens.get(token);
      if (seen && now - seen.atMs < windowMs) {
        const existing = jobs.get(seen.jobId);
        if (existing) return { status: 201, payload: { job: toWire(existing) } };
      }
    }
    const id = `${now}-${randomBytes(3).toString('hex')}`;
    const job: JobRecord = {
      id,
      arn: `arn:aws:mediaconvert:${options.region}:${accountId}:jobs/${id}`,
      status: 'SUBMITTED',
      createdAtMs: now,
      submitTimeMs: now,
      role,
      settings: body.settings as WireJobSettings,
      request: body,
      userMetadata: body.userMetadata as Record<string, string> | undefined,
      clientRequestToken: token,
      queue,
      priority: typeof body.priority === 'number' ? body.priority : 0,
      statusUpdateInterval: typeof body.statusUpdateInterval === 'string' ? body.statusUpdateInterval : 'SECONDS_60',
    };
    jobs.set(id, job);
    if (token) tokens.set(token, { jobId: id, atMs: now });
    emit(job);
    waiting.push(job);
    queueMicrotask(pump);
    return { status: 201, payload: { job: toWire(job) } };
  }

  function listJobs(query: URLSearchParams): unknown {
    const maxResults = query.has('maxResults') ? Number(query.get('maxResults')) : 20;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 20) {
      throw new HttpError(400, 'BadRequestException', 'maxResults: must be an integer between 1 and 20');
    }
    const order = query.get('order') ?? 'DESCENDING';
    if (order !== 'ASCENDING' && order !== 'DESCENDING') throw new HttpError(400, 'BadRequestException', `order: ${order} must be ASCENDING or DESCENDING`);
    const status = query.get('status');
    if (status && !['SUBMITTED', 'PROGRESSING', 'COMPLETE', 'CANCELED', 'ERROR'].includes(status)) {
      throw new HttpError(400, 'BadRequestException', `status: ${status} is not a job status`);
    }
    const queue = query.get('queue');
    let list = [...jobs.values()]
      .filter((job) => !status || job.status === status)
      .filter((job) => !queue || job.queue === queue || job.queue.endsWith(`/queues/${queue}`));
    list.sort((a, b) => a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
    if (order === 'DESCENDING') list.reverse();
    let offset = 0;
    const nextToken = query.get('nextToken');
    if (nextToken) {
      offset = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) throw new HttpError(400, 'BadRequestException', 'nextToken: is not valid');
    }
    list = list.slice(offset);
    const page = list.slice(0, maxResults);
    return {
      jobs: page.map(toWire),
      ...(list.length > maxResults ? { nextToken: Buffer.from(String(offset + maxResults)).toString('base64url') } : {}),
    };
  }

  function getJob(id: string): JobRecord {
    const job = jobs.get(id);
    if (!job) throw new HttpError(404, 'NotFoundException', `The job ${id} could not be found.`);
    return job;
  }

  function cancelJob(id: string): void {
    const job = getJob(id);
    if (job.status !== 'SUBMITTED' && job.status !== 'PROGRESSING') {
      throw new HttpError(409, 'ConflictException', `The job ${id} is ${job.status} and can no longer be canceled.`);
    }
    const child = job.child;
    finish(job, 'CANCELED');
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }

  async function probe(body: Record<string, unknown>, caller: Caller): Promise<unknown> {
    caller.authorize('mediaconvert:Probe', '*');
    const files = body.inputFiles;
    if (!Array.isArray(files) || files.length === 0) throw new HttpError(400, 'BadRequestException', 'inputFiles: is required');
    const probeResults = [];
    for (const [i, file] of files.entries()) {
      const url = (file as { fileUrl?: unknown })?.fileUrl;
      if (typeof url !== 'string') throw new HttpError(400, 'BadRequestException', `inputFiles[${i}].fileUrl: is required`);
      // Probe reads the file with the caller's own permissions.
      const object = /^s3:\/\/(.+)$/.exec(url);
      if (object) caller.authorize('s3:GetObject', `arn:aws:s3:::${object[1]}`, { 'aws:SecureTransport': 'true' });
      let local: string;
      try {
        local = await options.resolveS3(url);
      } catch (err) {
        throw new HttpError(400, 'BadRequestException', `inputFiles[${i}].fileUrl: unable to open [${url}]: ${(err as Error).message}`);
      }
      try {
        probeResults.push(await probeResultFor(local, probes));
      } catch (err) {
        throw new HttpError(400, 'BadRequestException', `inputFiles[${i}].fileUrl: [${url}] ${(err as Error).message}`);
      }
    }
    return { probeResults };
  }

  async function route(req: IncomingMessage, body: Buffer, caller: Caller): Promise<{ status: number; payload: unknown }> {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const parse = (): Record<string, unknown> => {
      if (body.length === 0) return {};
      try {
        const value = JSON.parse(body.toString('utf8'));
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        return value;
      } catch {
        throw new HttpError(400, 'BadRequestException', 'The request body is not a JSON object.');
      }
    };
    const jobArn = (id: string) => `arn:aws:mediaconvert:${options.region}:${accountId}:jobs/${id}`;
    if (path === `${API}/jobs`) {
      if (method === 'POST') return createJob(parse(), caller);
      if (method === 'GET') {
        caller.authorize('mediaconvert:ListJobs', '*');
        return { status: 200, payload: listJobs(url.searchParams) };
      }
    }
    const jobPath = new RegExp(`^${API}/jobs/([^/]+)$`).exec(path);
    if (jobPath) {
      const id = decodeURIComponent(jobPath[1]);
      if (method === 'GET') {
        caller.authorize('mediaconvert:GetJob', jobArn(id));
        return { status: 200, payload: { job: toWire(getJob(id)) } };
      }
      if (method === 'DELETE') {
        caller.authorize('mediaconvert:CancelJob', jobArn(id));
        cancelJob(id);
        return { status: 202, payload: {} };
      }
    }
    if (path === `${API}/probe` && method === 'POST') return { status: 200, payload: await probe(parse(), caller) };
    if (path === `${API}/endpoints` && method === 'POST') {
      caller.authorize('mediaconvert:DescribeEndpoints', '*');
      return { status: 200, payload: { endpoints: [{ url: endpoint }] } };
    }
    throw new HttpError(404, 'NotFoundException', `${method} ${path} is not implemented by the local MediaConvert`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, payload: unknown, errorType?: string) => {
      const text = JSON.stringify(payload);
      const headers: Record<string, string | number> = {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': randomBytes(16).toString('hex'),
      };
      if (errorType) headers['x-amzn-errortype'] = errorType;
      res.writeHead(status, headers);
      res.end(text);
    };
    try {
      const body = await readBody(req);
      let accessKeyId: string | undefined;
      if (options.verifyRequest) {
        const verdict = await options.verifyRequest(req, body);
        if (!verdict.ok) throw new HttpError(403, 'ForbiddenException', verdict.message ?? 'The request signature does not match.');
        accessKeyId = verdict.accessKeyId;
      }
      const caller: Caller = {
        authorize(action, resource, context = {}) {
          if (!options.iam) return;
          const answer = accessKeyId === undefined
            ? { allowed: false as const, message: `Anonymous requests may not perform ${action}` }
            : options.iam.authorize(accessKeyId, { action, resource, context });
          if (!answer.allowed) throw new HttpError(403, 'ForbiddenException', answer.message);
        },
      };
      const { status, payload } = await route(req, body, caller);
      send(status, payload);
    } catch (err) {
      if (err instanceof HttpError) send(err.status, { message: err.message }, err.type);
      else send(500, { message: String((err as Error)?.message ?? err) }, 'InternalServerErrorException');
    }
  }

  const server = guardServer(createServer((req, res) => void handle(req, res)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    endpoint,
    prefetchProbe(file) {
      if (!closed) probes.probe(file).catch(() => undefined);
    },
    async close() {
      closed = true;
      for (const job of jobs.values()) {
        if (job.status === 'SUBMITTED' || job.status === 'PROGRESSING') {
          const child = job.child;
          finish(job, 'CANCELED');
          if (child && child.exitCode === null) child.kill('SIGKILL');
        }
      }
      await Promise.allSettled([...runningJobs]);
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Who is calling: throws ForbiddenException when IAM does not allow the action. */
interface Caller {
  authorize(action: string, resource: string, context?: Record<string, string>): void;
}

/** AWS answers with the first problem; the count says whether fixing it is enough. */
function badRequestMessage(problems: string[]): string {
  return problems.length === 1 ? problems[0] : `${problems[0]} (and ${problems.length - 1} more: ${problems.slice(1, 6).join('; ')}${problems.length > 6 ? '; ...' : ''})`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'BadRequestException', 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
