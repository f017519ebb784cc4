// Still images for the media library and the timeline: a JPEG thumbnail (one frame at 10% of
// the clip, 320 px wide) and a filmstrip (10 frames spread over the clip, 96 px high, tiled in
// one row). Both are cached by the media's content key.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sdrFilters, type ColourFacts } from '../../../node/media/colour';
import { ffmpegPath } from '../../../node/media/ffmpeg-paths';
import type { BackgroundGate } from './background-gate';
import { lowerPriority, lowPriorityCommand, pauseWithGate } from './background-process';

/**
 * Scale, then (HDR clips) the same tone mapping as proxies and export, ending in the full-range
 * BT.601 YUV that JPEG decoders assume (a BT.709 picture stored as is would shift its colours).
 */
function stillFilter(scale: string, colour: Pick<ColourFacts, 'dynamicRange' | 'range'> | undefined, image: 'jpeg' | 'png'): string {
  const tone = colour ? sdrFilters(colour) : [];
  if (!tone.length) return scale;
  const out = image === 'jpeg'
    ? ['scale=in_color_matrix=bt709:out_color_matrix=bt601:in_range=tv:out_range=pc', 'format=yuvj420p']
    : ['scale=in_color_matrix=bt709:in_range=tv', 'format=rgb24'];
  return [scale, ...tone, ...out].join(',');
}

export const THUMBNAIL_WIDTH = 320;
export const FILMSTRIP_FRAMES = 10;
export const FILMSTRIP_HEIGHT = 96;

export interface RunFfmpegOptions {
  signal?: AbortSignal;
  /** Called with each `key=value` block of `-progress pipe:1` output. */
  onProgressBlock?: (fields: Record<string, string>) => void;
  /** Background work: starts only while this gate is open, and is stopped while it is closed. */
  gate?: BackgroundGate;
}

/**
 * Runs ffmpeg at the lowest CPU priority (it is background work: proxies and stills); rejects
 * with the end of its stderr. Abort kills the process, stopped or not.
 */
export async function runFfmpeg(args: string[], opts: RunFfmpegOptions = {}): Promise<void> {
  if (opts.gate) await opts.gate.opened(opts.signal).catch(() => Promise.reject(abortError()));
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError());
    const command = lowPriorityCommand(ffmpegPath(), ['-hide_banner', '-nostdin', ...args]);
    const child = spawn(command.command, command.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    lowerPriority(child.pid);
    const unfollowGate = opts.gate ? pauseWithGate(child, opts.gate) : () => {};
    let stderr = '';
    let pending = '';
    let block: Record<string, string> = {};
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (!opts.onProgressBlock) return;
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const eq = line.indexOf('=');
        if (eq < 0) continue;
        const key = line.slice(0, eq).trim();
        block[key] = line.slice(eq + 1).trim();
        if (key === 'progress') {
          opts.onProgressBlock(block);
          block = {};
        }
      }
    });
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      unfollowGate();
      opts.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('exit', unfollowGate);
    child.on('close', (code) => {
      unfollowGate();
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) reject(abortError());
      else if (code === 0) resolve();
      else reject(new Error(`ffmpeg failed (exit ${code}): ${lastLines(stderr)}`));
    });
  });
}

export function abortError(): Error {
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ').slice(0, 600);
}

export interface StillOptions {
  signal?: AbortSignal;
  /** The clip's colour: HDR is tone-mapped like the export. */
  colour?: Pick<ColourFacts, 'dynamicRange' | 'range'>;
  /** Waits (and stops) while an export renders: see background-gate.ts. */
  gate?: BackgroundGate;
}

/** A JPEG of the frame at 10% of the clip, THUMBNAIL_WIDTH wide (upright). Cached at `out`. */
export async function makeThumbnail(src: string, out: string, durationSec: number, { signal, colour, gate }: StillOptions = {}): Promise<string> {
  if (await nonEmpty(out)) return out;
  await mkdir(join(out, '..'), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp.jpg`;
  try {
    for (const at of [durationSec * 0.1, 0]) {
      await runFfmpeg(['-y', '-loglevel', 'error', '-ss', at.toFixed(3), '-i', src, '-frames:v', '1', '-an',
        '-vf', stillFilter(`scale=${THUMBNAIL_WIDTH}:-2`, colour, 'jpeg'), '-q:v', '5', tmp], { signal, gate });
      if (await nonEmpty(tmp)) break;
    }
    if (!(await nonEmpty(tmp))) throw new Error('no frame could be decoded');
    await rename(tmp, out);
    return out;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Where the filmstrip's frames are taken: the middle of N equal parts of the clip. */
export function filmstripTimes(durationSec: number, frames = FILMSTRIP_FRAMES): number[] {
  return Array.from({ length: frames }, (_, i) => ((i + 0.5) * durationSec) / frames);
}

/**
 * FILMSTRIP_FRAMES frames in one row, each FILMSTRIP_HEIGHT high. Frames are grabbed with one
 * short seek each (cheap even for long 4K clips), then tiled with ffmpeg's `tile` filter.
 */
export async function makeFilmstrip(src: string, out: string, durationSec: number, { signal, colour, gate }: StillOptions = {}): Promise<string> {
  if (await nonEmpty(out)) return out;
  await mkdir(join(out, '..'), { recursive: true });
  const work = await mkdtemp(`${out}.frames-`);
  try {
    const times = filmstripTimes(durationSec);
    let lastGood: string | undefined;
    for (let i = 0; i < times.length; i++) {
      const frame = join(work, `f${String(i).padStart(2, '0')}.png`);
      await runFfmpeg(['-y', '-loglevel', 'error', '-ss', times[i].toFixed(3), '-i', src, '-frames:v', '1', '-an',
        '-vf', stillFilter(`scale=-2:${FILMSTRIP_HEIGHT},setsar=1`, colour, 'png'), frame], { signal, gate }).catch((err) => {
        if (signal?.aborted) throw err;
      });
      // A seek past the last decodable frame yields nothing: repeat the previous frame.
      if (await nonEmpty(frame)) lastGood = frame;
      else if (lastGood) await copyFile(lastGood, frame);
    }
    if (!lastGood) throw new Error('no frame could be decoded');
    // Frames before the first good one (rare): fill with the first good frame.
    for (let i = 0; i < times.length; i++) {
      const frame = join(work, `f${String(i).padStart(2, '0')}.png`);
      if (!existsSync(frame)) await copyFile(lastGood, frame);
    }
    const tmp = join(work, 'strip.jpg');
    await runFfmpeg(['-y', '-loglevel', 'error', '-framerate', '1', '-i', join(work, 'f%02d.png'),
      '-vf', `tile=${times.length}x1`, '-frames:v', '1', '-q:v', '5', tmp], { signal, gate });
    await rename(tmp, out);
    return out;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function nonEmpty(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
