/**
 * The `hospup` commands themselves (export, plan, cloud), loaded only when one runs: the SDK,
 * the local cloud and the job compiler take a moment to load, which `hospup --help` should not
 * pay (main.ts parses the arguments and prints help on its own).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { startLocalCloud } from '../../cloud/local';
import { parseS3Url } from '../../cloud/lambda/s3-url';
import { assertGenerationRequest, RequestValidationError } from '../../shared/request';
import { isVariantRequest } from '../../shared/variants';
import { createExporter } from '../services/export/exporter';
import { pngSize } from '../../cloud/lambda/image-size';
import { endpointsFromEnv, type CloudTarget } from '../../node/cloud-target';
import { ExportFailure } from '../services/export/export-failure';
import { resolvePaths } from '../services/paths';
import { createProgressView } from './progress-view';
import type { CliValues } from './main';

/** Runs one command; every failure becomes its message on stderr and the documented exit code. */
export async function runCommand(command: 'export' | 'plan' | 'cloud', file: string | undefined, values: CliValues): Promise<number> {
  try {
    switch (command) {
      case 'export':
        return await exportCommand(file, values);
      case 'plan':
        return await planCommand(file, values);
      case 'cloud':
        return await cloudCommand();
    }
  } catch (err) {
    if (err instanceof ExportFailure) {
      process.stderr.write(`Error: ${err.message}\n`);
      return err.exitCode;
    }
    // `plan` builds the job in-process: its field errors are input to fix too.
    if (err instanceof RequestValidationError) {
      process.stderr.write(`Error: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`Error: ${(err as Error).message}\n`);
    return 1;
  }
}

/** A file name as typed, quoted when blanks at its ends would otherwise be invisible. */
function shown(file: string): string {
  return /^\S(.*\S)?$/.test(file) ? file : JSON.stringify(file);
}

async function readJsonFile(file: string | undefined): Promise<unknown> {
  if (!file) throw new ExportFailure('invalid-input', 'Give the request or project JSON file: hospup export <file.json> --out <file.mp4>');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ExportFailure('missing-file', `${shown(file)}: file not found`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ExportFailure('invalid-input', `${shown(file)}: not valid JSON: ${(err as Error).message}`);
  }
  // Named here: the request's own checks would say "must be an object" without saying which file.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
    throw new ExportFailure('invalid-input', `${shown(file)}: must be a JSON object, a request or a project (got ${got})`);
  }
  return value;
}

async function exportCommand(file: string | undefined, values: CliValues): Promise<number> {
  const input = await readJsonFile(file);
  const outDir = values['out-dir'];
  if (!values.out && !outDir) throw new ExportFailure('invalid-input', '--out: is required (where to save the MP4), or --out-dir for a request with formats or languages');
  if (values.out && outDir) throw new ExportFailure('invalid-input', '--out-dir: give --out (one file) or --out-dir (a folder), not both');
  // --out-dir: files named after the JSON file (Summer.json -> Summer-9x16-fr.mp4).
  const outPath = values.out ? resolve(values.out) : join(resolve(outDir!), `${basename(file!).replace(/(\.hospup)?\.json$/i, '') || 'video'}.mp4`);
  if (values.target !== 'local' && values.target !== 'aws') {
    throw new ExportFailure('invalid-input', `--target: must be "local" or "aws" (got "${values.target}")`);
  }
  const paths = resolvePaths();
  const cloud = values.target === 'local' ? await startLocalCloud({ dataDir: paths.localCloud }) : undefined;
  const target: CloudTarget = cloud ? cloud.target() : await awsTarget(values);
  const exporter = createExporter({ target, hashCacheFile: paths.exporterHashCache, jobJournalFile: paths.exporterJobJournal, uploadJournalFile: paths.exporterUploadJournal, convertedDir: paths.converted });
  // Ctrl-C cancels like the app's Cancel button (the render is cancelled, unfinished uploads
  // aborted, exit 130); a second Ctrl-C stops at once.
  const controller = new AbortController();
  const view = createProgressView(process.stderr);
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    view.finish();
    process.stderr.write('Cancelling (Ctrl-C again to quit at once)…\n');
    controller.abort(new ExportFailure('cancelled', 'Export cancelled.'));
  };
  process.on('SIGINT', onSignal);
  try {
    const result = await exporter.exportRequest(input, {
      outPath,
      baseDir: dirname(resolve(file!)),
      signal: controller.signal,
      onProgress: (event) => view.update(event),
    });
    view.finish();
    for (const warning of result.warnings) process.stderr.write(`Warning: ${warning}\n`);
    for (const saved of result.variants ?? [result]) {
      process.stdout.write(`Saved ${saved.outputPath} (${(saved.sizeBytes / 1e6).toFixed(1)} MB, ${saved.durationSec.toFixed(2)} s, job ${saved.jobId})\n`);
    }
    return 0;
  } finally {
    view.finish();
    process.off('SIGINT', onSignal);
    await cloud?.close();
  }
}

async function awsTarget(values: CliValues): Promise<CloudTarget> {
  // Loaded only for --target aws: the provider chain (SSO, STS, ...) slows every local export's start.
  const { fromNodeProviderChain } = values.profile ? await import('@aws-sdk/credential-providers') : { fromNodeProviderChain: undefined };
  return {
    kind: 'aws',
    region: values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'eu-west-1',
    bucket: values.bucket ?? process.env.HOSPUP_BUCKET ?? 'hospup-videos',
    functionName: values.function ?? process.env.HOSPUP_FUNCTION ?? 'hospup-video-generator',
    credentials: values.profile && fromNodeProviderChain ? fromNodeProviderChain({ profile: values.profile }) : undefined,
    endpoints: endpointsFromEnv(),
  };
}

async function planCommand(file: string | undefined, values: CliValues): Promise<number> {
  const input = await readJsonFile(file);
  const bucket = values.bucket ?? process.env.HOSPUP_BUCKET ?? 'hospup-videos';
  const exporter = createExporter({
    target: { kind: 'local', region: 'eu-west-1', bucket, functionName: 'plan-only' },
    hashCacheFile: resolvePaths().exporterHashCache,
    convertedDir: resolvePaths().converted,
  });
  const prepared = await exporter.prepare(input, { baseDir: dirname(resolve(file!)) });
  const parsed = assertGenerationRequest(prepared.request);
  // The function reads only its own bucket: say so by field, as `export` does (not "cannot probe").
  const foreign = parsed.timeline
    .map((segment) => ({ segment, location: parseS3Url(segment.video_url) }))
    .filter(({ location }) => location && location.bucket !== bucket)
    .map(({ segment, location }) => ({ path: `segments[${segment.index}].video_url`, message: `is in bucket "${location!.bucket}", but the export bucket is "${bucket}" (the function reads only that bucket; --bucket to plan for another)` }));
  if (foreign.length) throw new RequestValidationError(foreign);
  // The job compiler, fonts and rasteriser are loaded for plan only: export does not need them in this process's start.
  const [{ buildJobs }, { renderOverlayPng }, { loadFontSet }] = await Promise.all([
    import('../../cloud/lambda/build-job'), import('../../cloud/lambda/overlay-png'), import('../../cloud/lambda/fonts-node'),
  ]);
  const fonts = loadFontSet();
  const jobs = await buildJobs(parsed, {
    bucket,
    outputPrefix: 'generated-videos/',
    overlaysPrefix: 'overlays/',
    roleArn: values.role ?? process.env.MEDIA_CONVERT_ROLE_ARN ?? 'arn:aws:iam::000000000000:role/HospupMediaConvert',
    probe: async (url) => {
      throw new ExportFailure('invalid-input', `plan cannot probe ${url}: give a local file, or the segment's "source" facts (fps, has_audio)`);
    },
    renderOverlay: async (overlay, frame) => renderOverlayPng(overlay, frame, await fonts),
    // Photos and logos are converted locally and not uploaded by plan: read the converted PNGs.
    imageSize: async (url) => {
      const local = prepared.uploads.find((u) => url === `s3://${bucket}/${u.key}`);
      if (!local) throw new ExportFailure('invalid-input', `plan cannot read ${url}: give a local file`);
      return pngSize(await readFile(local.path));
    },
  });
  const warnings = [...prepared.warnings, ...jobs.flatMap((job) => job.warnings)].filter((w, i, all) => all.indexOf(w) === i);
  for (const warning of warnings) process.stderr.write(`Warning: ${warning}\n`);
  // Variants: one CreateJob per format, as a JSON array; a single video: the one object.
  const printed = isVariantRequest(parsed.request) ? jobs.map((job) => job.createJob) : jobs[0].createJob;
  process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
  return 0;
}

async function cloudCommand(): Promise<number> {
  const { localCloud } = resolvePaths();
  const cloud = await startLocalCloud({
    dataDir: localCloud,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(cloud.config)}\n`);
  process.stderr.write(`Local cloud running (data in ${localCloud}). Ctrl+C to stop.\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await cloud.close();
  return 0;
}

