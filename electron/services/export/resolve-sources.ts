/**
 * Turn the request's `video_url`s into objects of the bucket: local paths and `file://` URLs
 * are hashed (content-addressed keys), probed (facts for the Lambda, early length checks) and
 * listed for upload; `s3://` URLs are kept as they are.
 */
import { stat } from 'node:fs/promises';
import { extname, isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenerationRequest, Segment } from '../../../shared/request';
import { probeMedia, NotMediaError, type MediaProbe } from '../../../node/media/probe';
import type { HashCache } from './hash-cache';
import { ExportFailure } from './export-failure';

export interface LocalSource {
  path: string;
  size: number;
  sha256: string;
  key: string;
  probe: MediaProbe;
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

export async function resolveSources(request: GenerationRequest, options: ResolveOptions): Promise<ResolvedSources> {
  const byPath = new Map<string, { firstIndex: number; size: number }>();
  for (const [index, segment] of request.segments.entries()) {
    if (isS3Url(segment.video_url)) continue;
    const path = localPathOf(segment.video_url, options.baseDir);
    if (byPath.has(path)) continue;
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) {
      throw new ExportFailure('missing-file', `segments[${index}].video_url: file not found: ${path}`, { field: `segments[${index}].video_url` });
    }
    byPath.set(path, { firstIndex: index, size: info.size });
  }

  const total = [...byPath.values()].reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  const locals = new Map<string, LocalSource>();
  for (const [path, { firstIndex, size }] of byPath) {
    options.signal?.throwIfAborted();
    const field = `segments[${firstIndex}].video_url`;
    let probe: MediaProbe;
    try {
      probe = await probeMedia(path);
    } catch (err) {
      if (err instanceof NotMediaError) throw new ExportFailure('invalid-input', `${field}: ${err.message}`, { field });
      throw err;
    }
    const before = done;
    const sha256 = await options.hashCache.hash(path, {
      signal: options.signal,
      onBytes: (bytes) => options.onHashProgress?.(before + bytes, total),
    });
    done += size;
    locals.set(path, { path, size, sha256, key: `${options.sourcesPrefix}${sha256}${keyExtension(path)}`, probe });
  }

  const segments: Segment[] = request.segments.map((segment) => {
    if (isS3Url(segment.video_url)) return segment;
    const local = locals.get(localPathOf(segment.video_url, options.baseDir))!;
    return {
      ...segment,
      video_url: `s3://${options.bucket}/${local.key}`,
      source: segment.source ?? {
        fps: local.probe.fps,
        has_audio: local.probe.hasAudio,
        duration: local.probe.durationSec,
        width: local.probe.width,
        height: local.probe.height,
        rotation: local.probe.rotation,
        sha256: local.sha256,
        size_bytes: local.size,
        ...(local.probe.variableFrameRate && { variable_frame_rate: true }),
        ...(local.probe.colour.dynamicRange !== 'sdr' && { dynamic_range: local.probe.colour.dynamicRange }),
        ...(local.probe.audioChannels !== undefined && { audio_channels: local.probe.audioChannels }),
      },
    };
  });
  return { request: { ...request, segments }, locals: [...locals.values()] };
}
