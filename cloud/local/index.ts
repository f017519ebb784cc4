/**
 * The embedded local cloud: an S3-compatible store, the Lambda Invoke API hosting the real
 * generation handler, and the MediaConvert job API rendering with ffmpeg — three loopback
 * servers on free ports with per-run credentials, so the same SDK code runs unchanged.
 * It is cloud/template.yaml deployed: every call is authorised by the stack's IAM policies
 * (iam/), as the app user, the function's role, MediaConvert's role or an administrator.
 */
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { parseS3Url } from '../lambda/s3-url';
import type { RunCredentials } from './credentials';
import { createJobEvents } from './job-events';
import { startFunctionSandbox } from './function-sandbox';
import { startS3Server, type S3RequestEvent } from './s3';
import { startLambdaServer, type LocalLambdaHandler } from './lambda-server';
import { startMediaConvertServer, type JobRoleSession, type LocalJobTiming, type MediaConvertServer } from './mediaconvert/server';
import { verifySigV4 } from './sigv4';
import { LocalAccount, type LocalPrincipal } from './iam/account';
import { loadLocalStack } from './iam/local-stack';
import type { CloudTarget } from '../../node/cloud-target';

export const LOCAL_BUCKET = 'hospup-videos';
export const LOCAL_FUNCTION = 'hospup-video-generator';
export const LOCAL_REGION = 'eu-west-1';

/** What `hospup cloud` prints: enough for the aws CLI and `export --target aws` to talk to it. */
export interface LocalCloudConfig {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  functionName: string;
  endpoints: { s3: string; lambda: string; mediaconvert: string };
  /** An account administrator's keys (AdministratorAccess), for setup work with the aws CLI. */
  admin: { accessKeyId: string; secretAccessKey: string };
}

export interface LocalCloud {
  /** accessKeyId/secretAccessKey are the app user's: what the template's UserPolicyArn allows. */
  config: LocalCloudConfig;
  target(): CloudTarget;
  /** Principals and policies (tests and tools reach the function's and MediaConvert's roles here). */
  account: LocalAccount;
  close(): Promise<void>;
}

export interface LocalCloudOptions {
  /** Where the store keeps objects (persisted across runs). */
  dataDir: string;
  host?: string;
  /** Receives the generator's JSON log lines; silent by default. */
  log?: (line: string) => void;
  /** Parallel renders; default the core count. */
  concurrency?: number;
  /** The app user's keys (default: fresh for this run). */
  credentials?: RunCredentials;
  /** Hosts another build of the generation function (tests run the shipped zip this way). */
  generator?: GeneratorHost;
  /** Sees every S3 request once answered (tests count parts sent to the server). */
  onS3Request?: (event: S3RequestEvent) => void;
  /** Where each completed MediaConvert job's time went (the render bench's emulator overhead). */
  onJobTimed?: (timing: LocalJobTiming) => void;
}

/** What a hosted generation function is given: its configuration, as the stack would set it. */
export interface GeneratorEnvironment {
  region: string;
  bucket: string;
  roleArn: string;
  /** The function role's temporary credentials, as Lambda gives them (with a session token). */
  credentials: RunCredentials & { sessionToken?: string };
  endpoints: { s3: string; mediaconvert: string };
}
export type GeneratorHost = (env: GeneratorEnvironment) => LocalLambdaHandler;

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const region = LOCAL_REGION;
  const host = options.host ?? '127.0.0.1';
  const stack = loadLocalStack({ region, bucket: LOCAL_BUCKET });
  if (stack.functionName !== LOCAL_FUNCTION) throw new Error(`the template names the function ${stack.functionName}, expected ${LOCAL_FUNCTION}`);
  const account = new LocalAccount(stack, { appCredentials: options.credentials });
  const keys = (id: string) => account.signingKey(id);
  const authorize = (accessKeyId: string, check: { action: string; resource: string; context: Record<string, string | string[] | undefined> }) => {
    const principal = account.principal(accessKeyId);
    if (!principal) return { allowed: false as const, message: 'The AWS Access Key Id you provided does not exist in our records.' };
    return account.authorize(principal, check);
  };
  await mkdir(options.dataDir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  try {
    // A video just stored is probed at once, while the exporter submits and the function
    // compiles: the job that opens it then starts its render without waiting for ffprobe.
    // Not the renders MediaConvert stores itself (probed before they are stored).
    const started: { mediaConvert?: MediaConvertServer } = {}; // set once it has started, below
    const storing = new Set<string>();
    const s3Server = await startS3Server({
      dataDir: join(options.dataDir, 's3'), host, credentials: keys, authorize, region, buckets: [LOCAL_BUCKET],
      onRequest: (event) => {
        options.onS3Request?.(event);
        const { mediaConvert } = started;
        if (!mediaConvert || !storedVideo(event) || storing.has(`${event.bucket}/${event.key}`)) return;
        s3Server.objectFilePath(event.bucket, event.key).then((file) => mediaConvert.prefetchProbe(file), () => undefined);
      },
    });
    closers.push(() => s3Server.close());

    const s3For = (credentials: RunCredentials & { sessionToken?: string }) =>
      new S3Client({ region, endpoint: s3Server.endpoint, forcePathStyle: true, credentials });
    const jobEvents = createJobEvents();
    const mediaConvert = await startMediaConvertServer({
      onJobEvent: (job) => jobEvents.publish(String(job.id)),
      onJobTimed: options.onJobTimed,
      host,
      region,
      credentials: { ...account.admin.credentials, accountId: stack.accountId },
      concurrency: options.concurrency,
      resolveS3: async (url) => {
        const location = parseS3Url(url);
        if (!location) throw new Error(`not an s3:// URL: ${url}`);
        return s3Server.objectFilePath(location.bucket, location.key);
      },
      // The render is stored as the job's role: the store's own IAM check decides.
      storeS3: async (url, localFile, session) => {
        const location = parseS3Url(url);
        if (!location) throw new Error(`not an s3:// URL: ${url}`);
        const stored = `${location.bucket}/${location.key}`;
        storing.add(stored);
        try {
          await new Upload({
            client: s3For(session?.credentials ?? account.admin.credentials),
            params: { Bucket: location.bucket, Key: location.key, Body: createReadStream(localFile), ContentType: 'video/mp4' },
          }).done();
        } finally {
          storing.delete(stored);
        }
      },
      verifyRequest: (req, body) => {
        const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
        const result = verifySigV4(request, keys, { region, service: 'mediaconvert' });
        return result.ok ? { ok: true, accessKeyId: result.auth.accessKeyId } : { ok: false, message: result.message };
      },
      iam: {
        authorize: (accessKeyId, check) => authorize(accessKeyId, check),
        assumeJobRole: (roleArn, jobArn) => {
          const assumed = account.assumeRoleForService(roleArn, 'mediaconvert.amazonaws.com', {
            'aws:SourceAccount': stack.accountId,
            'aws:SourceArn': jobArn,
          });
          return assumed.ok ? { ok: true, session: jobSession(account, assumed.session) } : assumed;
        },
      },
    });
    closers.push(() => mediaConvert.close());
    started.mediaConvert = mediaConvert;

    const roleArn = stack.mediaConvertRoleArn;
    const endpoints = { s3: s3Server.endpoint, mediaconvert: mediaConvert.endpoint };
    const functionCredentials = account.function.credentials;
    let generator: LocalLambdaHandler;
    if (options.generator) {
      generator = options.generator({ region, bucket: LOCAL_BUCKET, roleArn, credentials: functionCredentials, endpoints });
    } else {
      const sandbox = startFunctionSandbox({
        config: { bucket: LOCAL_BUCKET, outputPrefix: 'generated-videos/', overlaysPrefix: 'overlays/', roleArn, region, endpoints },
        credentials: functionCredentials,
      }, options.log);
      closers.push(() => sandbox.close());
      generator = sandbox.invoke;
    }
    const lambda = await startLambdaServer({ host, credentials: keys, authorize, region, functions: { [LOCAL_FUNCTION]: generator } });
    closers.push(() => lambda.close());

    const app = account.app.credentials;
    const config: LocalCloudConfig = {
      region,
      accessKeyId: app.accessKeyId,
      secretAccessKey: app.secretAccessKey,
      bucket: LOCAL_BUCKET,
      functionName: LOCAL_FUNCTION,
      endpoints: { s3: s3Server.endpoint, lambda: lambda.endpoint, mediaconvert: mediaConvert.endpoint },
      admin: { accessKeyId: account.admin.credentials.accessKeyId, secretAccessKey: account.admin.credentials.secretAccessKey },
    };
    return {
      config,
      account,
      target: () => ({
        kind: 'local',
        region,
        bucket: LOCAL_BUCKET,
        functionName: LOCAL_FUNCTION,
        credentials: { accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey },
        endpoints: { ...config.endpoints },
        jobChanged: jobEvents.nextChange,
      }),
      close: () => closeAll(closers),
    };
  } catch (err) {
    await closeAll(closers);
    throw err;
  }
}

/** A MediaConvert job's role session: what the job may read, and the keys it writes with. */
function jobSession(account: LocalAccount, session: LocalPrincipal): JobRoleSession {
  return {
    credentials: session.credentials,
    readDenied: (url) => {
      const location = parseS3Url(url);
      if (!location) return undefined;
      const answer = account.authorize(session, {
        action: 's3:GetObject',
        resource: `arn:aws:s3:::${location.bucket}/${location.key}`,
        context: { 'aws:SecureTransport': 'true' },
      });
      return answer.allowed ? undefined : answer.message;
    },
    end: () => account.endSession(session),
  };
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
}

/** A video object just written by a client (PutObject, or a multipart upload completed). */
function storedVideo(event: S3RequestEvent): boolean {
  return (event.operation === 'PutObject' || event.operation === 'CompleteMultipartUpload') && event.status === 200 && VIDEO_KEY.test(event.key);
}

const VIDEO_KEY = /\.(mp4|m4v|mov|qt|mkv|webm|avi|mts|m2ts|3gp|hevc)$/i;
