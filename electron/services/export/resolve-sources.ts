/**
 * Turn the request's `video_url`s (and its logo) into objects of the bucket: local paths and
 * `file://` URLs are hashed (content-addressed keys), probed (facts for the Lambda, early length
 * checks) and listed for upload; `s3://` URLs are kept as they are. Local photos and logos are
 * first converted to the PNG the cloud renders (photo.ts, logo-image.ts), cached by content.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPhotoUrl, MAX_PHOTO_SIDE, type GenerationRequest, type Segment } from '../../../shared/request';
import { resolveOutputSettings } from '../../../shared/output-settings';
import { logoSize, type ImageSize } from '../../../shared/logo';
import { createLimiter } from '../media/proxy';
import { probeMedia, NotMediaError, type MediaProbe } from '../../../node/media/probe';
import { fitPhotoToFrame, PHOTO_CONVERTER_VERSION, PhotoError, probePhoto } from '../../../node/media/photo';
import { isVariantRequest } from '../../../shared/variants';
import { LOGO_CONVERTER_VERSION, LogoError, probeLogo, renderLogoPng } from '../../../node/media/logo-image';
import type { HashCache } from './hash-cache';
import { ExportFailure } from './export-failure';

export interface LocalSource {
  /** The file uploaded: the clip itself, or the PNG a photo or logo was converted to. */
  path: string;
  size: number;
  sha256: string;
  key: string;
  kind: 'clip' | 'photo' | 'logo';
  /** Clips only. */
  probe?: MediaProbe;
  /** Photos and logos: the PNG's pixel size. */
  image?: ImageSize;
}

export interface ResolvedSources {
  /** The request with every `video_url` in the bucket and `source` facts for local clips. */
  request: GenerationRequest;
  locals: LocalSource[];
}

export interface ResolveOptions {
  bucket: string;
  sourcesPrefix: string;
  baseDir: string;
  hashCache: HashCache;
  signal?: AbortSignal;
  onHashProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Where converted photos and logos are kept (content-addressed file names). */
  convertedDir: string;
}

export function isS3Url(url: string): boolean {
  return url.startsWith('s3://');
}

export function localPathOf(url: string, baseDir: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return isAbsolute(url) ? url : resolvePath(baseDir, url);
}

/** The file's extension when it is a plain one (".mov"), else ".mp4": keys never end in "." or carry odd characters. */
export function keyExtension(path: string): string {
  const ext = extname(path).toLowerCase();
  return /^\.[a-z0-9]{1,8}$/.test(ext) ? ext : '.mp4';
}

/** Short side of a photo sent for variants: the long side of the largest format (1920). */
const VARIANT_PHOTO_SHORT_SIDE = 1920;

/** The photo's own shape at 1920 px on its short side (at most 4096 on its long side), even sides. */
export function variantPhotoFrame(photo: { width: number; height: number }): { width: number; height: number } {
  const short = Math.min(photo.width, photo.height);
  const long = Math.max(photo.width, photo.height);
  const scale = Math.min(VARIANT_PHOTO_SHORT_SIDE / short, MAX_PHOTO_SIDE / long);
  const even = (n: number) => Math.max(32, Math.round((n * scale) / 2) * 2);
  return { width: Math.min(MAX_PHOTO_SIDE, even(photo.width)), height: Math.min(MAX_PHOTO_SIDE, even(photo.height)) };
}

async function probePhotoOrFail(path: string, field: string): Promise<{ width: number; height: number }> {
  try {
    return await probePhoto(path);
  } catch (err) {
    if (err instanceof PhotoError) throw new ExportFailure('invalid-input', `${field}: ${err.message}`, { field });
    throw err;
  }
}

/** Probes the clips a few at a time, started at once: ffprobe runs while the loop hashes, not after each hash. */
function probeAhead(paths: string[], concurrency = 4): Map<string, Promise<MediaProbe>> {
  // No background gate: an export's own probes must never wait behind the one it closes.
  const limit = createLimiter(concurrency);
  return new Map(paths.map((path) => {
    const probe = limit(() => probeMedia(path));
    probe.catch(() => undefined); // awaited (and rethrown) by the loop, in order; never unhandled
    return [path, probe] as const;
  }));
}

export async function resolveSources(request: GenerationRequest, options: ResolveOptions): Promise<ResolvedSources> {
  const byPath = new Map<string, { firstIndex: number; size: number; photo: boolean }>();
  for (const [index, segment] of request.segments.entries()) {
    if (isS3Url(segment.video_url)) continue;
    const path = localPathOf(segment.video_url, options.baseDir);
    if (byPath.has(path)) continue;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) {
      throw new ExportFailure('missing-file', `segments[${index}].video_url: file not found: ${path}`, { field: `segments[${index}].video_url` });
    }
    byPath.set(path, { firstIndex: index, size: info.size, photo: isPhotoUrl(segment.video_url) });
  }

  const frame = resolveOutputSettings(request.output);
  const total = [...byPath.values()].reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  const locals = new Map<string, LocalSource>();
  const probes = probeAhead([...byPath].filter(([, f]) => !f.photo).map(([path]) => path));
  for (const [path, { firstIndex, size, photo }] of byPath) {
    options.signal?.throwIfAborted();
    const field = `segments[${firstIndex}].video_url`;
    const before = done;
    const sha256 = await options.hashCache.hash(path, {
      signal: options.signal,
      onBytes: (bytes) => options.onHashProgress?.(before + bytes, total),
    });
    done += size;
    if (photo) {
      // One video: the photo is fitted to its frame. Variants: one PNG of the photo's own shape
      // serves every format (each job frames it with the output scaling and its focus crop).
      const fit = isVariantRequest(request) ? variantPhotoFrame(await probePhotoOrFail(path, field)) : frame;
      const png = await converted(options, `${sha256}-${fit.width}x${fit.height}-p${PHOTO_CONVERTER_VERSION}`, () => fitPhotoToFrame(path, fit), field);
      locals.set(path, { ...png, kind: 'photo', image: { width: fit.width, height: fit.height } });
      continue;
    }
    let probe: MediaProbe;
    try {
      probe = await probes.get(path)!;
    } catch (err) {
      if (err instanceof NotMediaError) throw new ExportFailure('invalid-input', `${field}: ${err.message}`, { field });
      throw err;
    }
    locals.set(path, { path, size, sha256, key: `${options.sourcesPrefix}${sha256}${keyExtension(path)}`, kind: 'clip', probe });
  }

  const segments: Segment[] = request.segments.map((segment) => {
    if (isS3Url(segment.video_url)) return segment;
    const local = locals.get(localPathOf(segment.video_url, options.baseDir))!;
    const url = `s3://${options.bucket}/${local.key}`;
    // A photo carries no `source`: the generation function reads its PNG's size itself.
    if (local.kind === 'photo') return { ...segment, video_url: url };
    const probe = local.probe!;
    // What the local probe measured fills in what the request did not say (a project's facts
    // have no channel count, which a volume change needs).
    const probed = {
      fps: probe.fps,
      has_audio: probe.hasAudio,
      duration: probe.durationSec,
      width: probe.width,
      height: probe.height,
      rotation: probe.rotation,
      sha256: local.sha256,
      size_bytes: local.size,
      ...(probe.variableFrameRate && { variable_frame_rate: true }),
      ...(probe.colour.dynamicRange !== 'sdr' && { dynamic_range: probe.colour.dynamicRange }),
      ...(probe.audioChannels !== undefined && { audio_channels: probe.audioChannels }),
    };
    return { ...segment, video_url: url, source: { ...probed, ...segment.source } };
  });

  let logo = request.logo;
  if (logo && !isS3Url(logo.url)) {
    const path = localPathOf(logo.url, options.baseDir);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ExportFailure('missing-file', `logo.url: file not found: ${path}`, { field: 'logo.url' });
    const sha256 = await options.hashCache.hash(path, { signal: options.signal });
    const own = await probeLogo(path).catch((err: unknown) => { throw logoFailure(err); });
    const size = logoSize(logo, own, frame);
    const png = await converted(options, `${sha256}-${size.width}x${size.height}-l${LOGO_CONVERTER_VERSION}`, () => renderLogoPng(path, size), 'logo.url');
    locals.set(`logo:${path}`, { ...png, kind: 'logo', image: size });
    logo = { ...logo, url: `s3://${options.bucket}/${png.key}` };
  }
  return { request: { ...request, segments, ...(logo && { logo }) }, locals: [...locals.values()] };
}

function logoFailure(err: unknown): unknown {
  return err instanceof LogoError ? new ExportFailure('invalid-input', `logo.url: ${err.message}`, { field: 'logo.url' }) : err;
}

/**
 * A converted PNG, made once per input content and target size: `name` carries the source's
 * sha256, the size and the converter version. Written to a temporary name, then renamed.
 */
async function converted(options: ResolveOptions, name: string, make: () => Promise<Buffer>, field: string): Promise<Omit<LocalSource, 'kind'>> {
  await mkdir(options.convertedDir, { recursive: true });
  const path = join(options.convertedDir, `${name}.png`);
  if (!existsSync(path)) {
    let png: Buffer;
    try {
      png = await make();
    } catch (err) {
      if (err instanceof PhotoError || err instanceof LogoError) throw new ExportFailure('invalid-input', `${field}: ${err.message}`, { field });
      throw err;
    }
    const partial = `${path}.${process.pid}.part`;
    await writeFile(partial, png);
    await rename(partial, path);
  }
  const size = (await stat(path)).size;
  const sha256 = await options.hashCache.hash(path, { signal: options.signal });
  return { path, size, sha256, key: `${options.sourcesPrefix}${sha256}.png` };
}

