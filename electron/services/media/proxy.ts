// Preview proxies: the editor previews in Chromium, which cannot decode every camera format
// (HEVC phone clips, ProRes, PCM audio...). Those clips get an H.264/AAC copy made in the
// background, at most 720 px on the short side (540 for HDR clips, which are also tone-mapped to
// standard colour), upright, with a keyframe every half second so the editor seeks at once.
// Export always uses the original. Proxies run as background work (background-gate.ts).
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BT709_OUTPUT_ARGS, sdrFilters, type ColourFacts } from '../../../node/media/colour';
import type { MediaProbe } from '../../../node/media/probe';
import type { BackgroundGate } from './background-gate';
import { runFfmpeg } from './thumbnails';

/** Codecs and containers Chromium's <video> decodes everywhere (no platform decoder needed). */
const PLAYABLE_VIDEO = new Set(['h264', 'vp8', 'vp9', 'av1']);
const PLAYABLE_AUDIO = new Set(['aac', 'mp3', 'opus', 'vorbis', 'flac']);
const WEBM_VIDEO = new Set(['vp8', 'vp9', 'av1']);
const WEBM_AUDIO = new Set(['opus', 'vorbis']);

export const PROXY_MAX_SHORT_SIDE = 720;
/** HDR proxies are tone-mapped per pixel: 540 px on the short side still exceeds the editor's preview. */
export const HDR_PROXY_MAX_SHORT_SIDE = 540;
/**
 * Seconds between keyframes. A seek decodes from the keyframe before the target: with x264's
 * default (one every 250 frames) the first frame after a seek took 160-190 ms median and up to
 * 800 ms p95 in Chromium on a loaded 2-core machine; every 0.5 s, 25 ms median and 35-80 ms p95
 * (1 s: 45 ms p95, 2 s: 105 ms), for about a third more bytes (bench/proxy-seek.bench.ts).
 */
export const PROXY_KEYFRAME_SECONDS = 0.5;

export type PreviewPlan = { playable: true } | { playable: false; reason: string };

/** Whether the preview can play the original, or why it needs a proxy. Pure. */
export function previewPlan(probe: Pick<MediaProbe, 'videoCodec' | 'audioCodec' | 'hasAudio' | 'containerFormat' | 'rotation'> & { colour?: Pick<ColourFacts, 'dynamicRange' | 'bitDepth'> }): PreviewPlan {
  const container = probe.containerFormat.split(',');
  const isMp4 = container.includes('mp4') || container.includes('mov');
  const isWebm = container.includes('webm');
  const video = probe.videoCodec.toLowerCase();
  const audio = probe.audioCodec?.toLowerCase();
  if (!isMp4 && !isWebm) return { playable: false, reason: `container ${probe.containerFormat}` };
  if (!PLAYABLE_VIDEO.has(video) || (isWebm && !isMp4 && !WEBM_VIDEO.has(video))) {
    return { playable: false, reason: `video codec ${probe.videoCodec}` };
  }
  if (probe.hasAudio && audio && (!PLAYABLE_AUDIO.has(audio) || (isWebm && !isMp4 && !WEBM_AUDIO.has(audio)))) {
    return { playable: false, reason: `audio codec ${probe.audioCodec}` };
  }
  // The preview shows what the export will look like: HDR as BT.709 SDR (Chromium would show it
  // its own way, or muddy), and 10-bit pictures Chromium may not decode at all.
  if (probe.colour && probe.colour.dynamicRange !== 'sdr') return { playable: false, reason: `HDR (${probe.colour.dynamicRange.toUpperCase()})` };
  if (probe.colour && probe.colour.bitDepth > 8) return { playable: false, reason: `${probe.colour.bitDepth}-bit video` };
  // Chromium applies the MP4/MOV rotation matrix; Matroska/WebM carry none it honours.
  if (probe.rotation !== 0 && !isMp4) return { playable: false, reason: `rotation ${probe.rotation}° in ${probe.containerFormat}` };
  return { playable: true };
}

/**
 * The ffmpeg arguments that make a proxy. ffmpeg auto-rotates the input; HDR is tone-mapped to
 * BT.709 SDR after the scale-down (the same filters as the export).
 */
export function proxyArgs(src: string, out: string, hasAudio: boolean, colour?: Pick<ColourFacts, 'dynamicRange' | 'range'>): string[] {
  const tone = colour ? sdrFilters(colour) : [];
  const S = tone.length ? HDR_PROXY_MAX_SHORT_SIDE : PROXY_MAX_SHORT_SIDE;
  // Scale the short side down to S (never up), keep the aspect, even sizes.
  // HDR proxies also tone-map, which costs: they are smaller, skip the decoder's loop filter and
  // scale bilinearly (invisible at a quarter of 4K) to stay faster than real time on 2 cores.
  const hdr = tone.length > 0;
  const flags = hdr ? ':flags=bilinear' : '';
  const scale = `scale='if(gte(iw,ih),-2,min(${S},trunc(iw/2)*2))':'if(gte(iw,ih),min(${S},trunc(ih/2)*2),-2)'${flags}`;
  return [
    '-y', '-loglevel', 'error', ...(hdr ? ['-skip_loop_filter', 'all'] : []), '-i', src,
    '-map', '0:v:0', ...(hasAudio ? ['-map', '0:a:0'] : []),
    '-vf', [scale, ...(tone.length ? tone : ['format=yuv420p'])].join(','),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-profile:v', 'high',
    // Keyframes by time, right for any frame rate (variable ones too); no B-frames: a seek decodes
    // fewer frames before showing one, and encoding costs less.
    '-force_key_frames', `expr:gte(t,n_forced*${PROXY_KEYFRAME_SECONDS})`, '-bf', '0',
    ...(tone.length ? BT709_OUTPUT_ARGS : []),
    '-metadata:s:v:0', 'rotate=0',
    ...(hasAudio ? ['-c:a', 'aac', '-b:a', '128k', '-ac', '2'] : []),
    '-movflags', '+faststart',
    '-progress', 'pipe:1', '-nostats',
    '-f', 'mp4', out,
  ];
}

export interface ProxyJob {
  src: string;
  out: string;
  durationSec: number;
  hasAudio: boolean;
  colour?: Pick<ColourFacts, 'dynamicRange' | 'range'>;
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
  /** Waits (and stops) while an export renders. */
  gate?: BackgroundGate;
}

/** Makes (or reuses) the proxy at `job.out`. Writes to a temporary file, renamed when complete. */
export async function makeProxy(job: ProxyJob): Promise<string> {
  if (await nonEmpty(job.out)) return job.out;
  await mkdir(join(job.out, '..'), { recursive: true });
  const tmp = `${job.out}.${process.pid}.part`;
  try {
    let lastPercent = -1;
    await runFfmpeg(proxyArgs(job.src, tmp, job.hasAudio, job.colour), {
      signal: job.signal,
      gate: job.gate,
      onProgressBlock(fields) {
        const micros = Number(fields.out_time_us ?? fields.out_time_ms);
        if (!Number.isFinite(micros) || !(job.durationSec > 0)) return;
        const percent = Math.max(0, Math.min(99, Math.floor((micros / 1e6 / job.durationSec) * 100)));
        if (percent !== lastPercent) {
          lastPercent = percent;
          job.onProgress?.(percent);
        }
      },
    });
    await rename(tmp, job.out);
    job.onProgress?.(100);
    return job.out;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function nonEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}

export interface LimiterOptions {
  /** No job starts while it is closed (running ones are the gate's business: see runFfmpeg). */
  gate?: BackgroundGate;
  /** Once aborted (closing) the gate no longer holds jobs back: they start, see the abort and end. */
  signal?: AbortSignal;
}

/** Runs async jobs with at most `concurrency` at a time, first come first served. */
export function createLimiter(concurrency: number, { gate, signal }: LimiterOptions = {}) {
  let active = 0;
  const waiting: (() => void)[] = [];
  const held = () => !!gate?.closed && !signal?.aborted;
  const next = () => {
    while (active < concurrency && waiting.length && !held()) {
      active++;
      waiting.shift()!();
    }
  };
  gate?.onChange((closed) => {
    if (!closed) next();
  });
  signal?.addEventListener('abort', next, { once: true });
  return function limit<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      waiting.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
  };
}
