/**
 * The embedded local cloud: an S3-compatible store, the Lambda Invoke API hosting the real
 * generation handler, and the MediaConvert job API rendering with ffmpeg — three loopback
 * servers on free ports with per-run credentials, so the same SDK code runs unchanged.
 */
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHandler } from '../lambda/handler';
import { createLogger, silentLogger } from '../lambda/log';
import { parseS3Url } from '../lambda/s3-url';
import { createRunCredentials, type RunCredentials } from './credentials';
import { startS3Server } from './s3';
import { startLambdaServer, LOCAL_ACCOUNT_ID, type LocalLambdaHandler } from './lambda-server';
import { startMediaConvertServer } from './mediaconvert/server';
import { verifySigV4 } from './sigv4';
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
}

export interface LocalCloud {
  config: LocalCloudConfig;
  target(): CloudTarget;
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
  credentials?: RunCredentials;
  /** Hosts another build of the generation function (tests run the shipped zip this way). */
  generator?: GeneratorHost;
}

/** What a hosted generation function is given: its configuration, as the stack would set it. */
export interface GeneratorEnvironment {
  region: string;
  bucket: string;
  roleArn: string;
  credentials: RunCredentials;
  endpoints: { s3: string; mediaconvert: string };
}
export type GeneratorHost = (env: GeneratorEnvironment) => LocalLambdaHandler;

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const credentials = options.credentials ?? createRunCredentials();
  const region = LOCAL_REGION;
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dataDir, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  try {
    const s3Server = await startS3Server({ dataDir: join(options.dataDir, 's3'), host, credentials, region, buckets: [LOCAL_BUCKET] });
    closers.push(() => s3Server.close());

    const storeClient = new S3Client({ region, endpoint: s3Server.endpoint, forcePathStyle: true, credentials });
    const mediaConvert = await startMediaConvertServer({
      host,
      region,
      credentials,
      concurrency: options.concurrency,
      resolveS3: async (url) => {
        const location = parseS3Url(url);
        if (!location) throw new Error(`not an s3:// URL: ${url}`);
        return s3Server.objectFilePath(location.bucket, location.key);
      },
      storeS3: async (url, localFile) => {
        const location = parseS3Url(url);
        if (!location) throw new Error(`not an s3:// URL: ${url}`);
        await new Upload({
          client: storeClient,
          params: { Bucket: location.bucket, Key: location.key, Body: createReadStream(localFile), ContentType: 'video/mp4' },
        }).done();
      },
      verifyRequest: (req, body) => {
        const request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
        const result = verifySigV4(request, credentials, { region, service: 'mediaconvert' });
        return result.ok ? { ok: true } : { ok: false, message: result.message };
      },
    });
    closers.push(() => mediaConvert.close());

    const roleArn = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/HospupMediaConvertLocal`;
    const endpoints = { s3: s3Server.endpoint, mediaconvert: mediaConvert.endpoint };
    const generator: LocalLambdaHandler = options.generator
      ? options.generator({ region, bucket: LOCAL_BUCKET, roleArn, credentials, endpoints })
      : createHandler(
          { bucket: LOCAL_BUCKET, outputPrefix: 'generated-videos/', overlaysPrefix: 'overlays/', roleArn, region, endpoints },
          { credentials, logger: options.log ? createLogger({ service: 'hospup-generator' }, options.log) : silentLogger },
        );
    const lambda = await startLambdaServer({ host, credentials, region, functions: { [LOCAL_FUNCTION]: generator } });
    closers.push(() => lambda.close());

    const config: LocalCloudConfig = {
      region,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      bucket: LOCAL_BUCKET,
      functionName: LOCAL_FUNCTION,
      endpoints: { s3: s3Server.endpoint, lambda: lambda.endpoint, mediaconvert: mediaConvert.endpoint },
    };
    return {
      config,
      target: () => ({
        kind: 'local',
        region,
        bucket: LOCAL_BUCKET,
        functionName: LOCAL_FUNCTION,
        credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
        endpoints: { ...config.endpoints },
      }),
      close: () => closeAll(closers),
    };
  } catch (err) {
    await closeAll(closers);
    throw err;
  }
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
}
