// Media facts the editor and the renderer need, read with ffprobe's JSON output.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { colourFromFfprobe, type ColourFacts } from './colour';
import { ffprobePath } from './ffmpeg-paths';
import { readHead, safeInputArgs, sniffInputFormat, UnsafeInputError } from './safe-input';

export interface MediaProbe {
  /** Length of the video stream (the container's when the stream has none). */
  durationSec: number;
  /** Coded (stored) size. */
  width: number;
  height: number;
  /** Size once the rotation metadata is applied (what a player shows). */
  displayWidth: number;
  displayHeight: number;
  /** Clockwise degrees a player rotates the stored picture by: 0, 90, 180 or 270. */
  rotation: 0 | 90 | 180 | 270;
  /** Frames per second: the average (avg_frame_rate) when the rate varies. */
  fps: number;
  /** Exact rate as ffprobe reports it, e.g. "30000/1001". */
  fpsFraction: string;
  /** Frames arrive at a varying rate (phones do this): avg_frame_rate differs from the stream's base rate. */
  variableFrameRate: boolean;
  /** Primaries, transfer, matrix, bit depth; HLG/PQ = HDR. */
  colour: ColourFacts;
  videoCodec: string;
  hasAudio: boolean;
  audioCodec?: string;
  /** Number of audio tracks (MediaConvert `Tracks: [1]` is the first). */
  audioTrackCount: number;
  /** Channels of the first audio track (1 mono, 2 stereo, 6 for 5.1). */
  audioChannels?: number;
  sizeBytes: number;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  containerFormat: string;
}

export class NotMediaError extends Error {
  constructor(readonly file: string, detail?: string) {
    super(`not a video file: ${basename(file)}${detail ? ` (${detail})` : ''}`);
    this.name = 'NotMediaError';
  }
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  channels?: number;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  color_primaries?: string;
  color_transfer?: string;
  color_space?: string;
  color_range?: string;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: { attached_pic?: number };
}
interface FfprobeJson {
  streams?: FfprobeStream[];
  format?: { duration?: string; format_name?: string; size?: string };
}

/** A file that makes ffprobe run longer than this is not one we can use (a hostile or broken file). */
const FFPROBE_TIMEOUT_MS = 60_000;

export function runFfprobeJson(file: string): Promise<FfprobeJson> {
  let input: string[];
  try {
    // Opened only as the container its bytes say, only through file: (safe-input.ts).
    input = safeInputArgs(file, sniffInputFormat(readHead(file)));
  } catch (err) {
    return Promise.reject(new NotMediaError(file, err instanceof UnsafeInputError ? 'not a container we read' : (err as Error).message));
  }
  return new Promise((resolve, reject) => {
    execFile(
      ffprobePath(),
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...input],
      { maxBuffer: 16 * 1024 * 1024, timeout: FFPROBE_TIMEOUT_MS, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) {
          // A crash or a hang is the file's fault as far as the person can tell: say so plainly.
          const signal = (err as { signal?: string }).signal;
          const killed = (err as { killed?: boolean }).killed;
          const detail = killed ? `ffprobe took longer than ${FFPROBE_TIMEOUT_MS / 1000} s on it` : signal ? `ffprobe stopped on it (${signal})` : firstLine(stderr);
          return reject(new NotMediaError(file, detail));
        }
        try {
          resolve(JSON.parse(stdout) as FfprobeJson);
        } catch {
          reject(new NotMediaError(file, 'unreadable ffprobe output'));
        }
      },
    );
  });
}

export async function probeMedia(file: string): Promise<MediaProbe> {
  let sizeBytes: number;
  try {
    sizeBytes = (await stat(file)).size;
  } catch {
    throw new Error(`file not found: ${file}`);
  }
  const json = await runFfprobeJson(file);
  return mediaProbeFromFfprobe(json, file, sizeBytes);
}

/** Pure part of probeMedia, exported for tests. */
export function mediaProbeFromFfprobe(json: FfprobeJson, file: string, sizeBytes: number): MediaProbe {
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video || !video.width || !video.height) throw new NotMediaError(file, 'no video stream');
  const audio = streams.filter((s) => s.codec_type === 'audio');
  const fpsFraction = pickFrameRate(video);
  const fps = fractionValue(fpsFraction);
  if (!(fps > 0)) throw new NotMediaError(file, 'no frame rate');
  // The picture's length, not the container's: audio that runs on past the last frame must not
  // let a segment (or the editor's trim) reach frames that do not exist.
  const durationSec = [video.duration, json.format?.duration].map(Number).find((d) => d > 0) ?? NaN;
  if (!(durationSec > 0)) throw new NotMediaError(file, 'no duration');
  const rotation = readRotation(video);
  const sideways = rotation === 90 || rotation === 270;
  return {
    durationSec,
    width: video.width,
    height: video.height,
    displayWidth: sideways ? video.height : video.width,
    displayHeight: sideways ? video.width : video.height,
    rotation,
    fps,
    fpsFraction,
    variableFrameRate: isVariableRate(video),
    colour: colourFromFfprobe(video),
    videoCodec: video.codec_name ?? 'unknown',
    hasAudio: audio.length > 0,
    audioCodec: audio[0]?.codec_name,
    audioTrackCount: audio.length,
    ...(audio[0]?.channels ? { audioChannels: audio[0].channels } : {}),
    sizeBytes,
    containerFormat: json.format?.format_name ?? 'unknown',
  };
}

/** avg_frame_rate is the real cadence; r_frame_rate is the fallback when avg is unknown (0/0). */
function pickFrameRate(s: FfprobeStream): string {
  for (const candidate of [s.avg_frame_rate, s.r_frame_rate]) {
    if (candidate && fractionValue(candidate) > 0) return reduceFraction(candidate);
  }
  return '0/1';
}

/**
 * r_frame_rate is the stream's base rate (the rate every timestamp fits), avg_frame_rate frames
 * over duration: a constant-rate clip has them equal (29.97 stays 30000/1001 for both); a phone
 * clip that drops to 15 fps in low light has an average well below its base rate.
 */
export function isVariableRate(s: Pick<FfprobeStream, 'avg_frame_rate' | 'r_frame_rate'>): boolean {
  const avg = fractionValue(s.avg_frame_rate ?? '');
  const base = fractionValue(s.r_frame_rate ?? '');
  if (!(avg > 0) || !(base > 0)) return false;
  return Math.abs(avg - base) / base > 0.002;
}

export function fractionValue(f: string): number {
  const [n, d = '1'] = f.split('/');
  const num = Number(n);
  const den = Number(d);
  return den ? num / den : NaN;
}

function reduceFraction(f: string): string {
  const [n, d = '1'] = f.split('/');
  let a = Math.abs(Number(n));
  let b = Math.abs(Number(d));
  const num = a;
  const den = b;
  while (b) [a, b] = [b, a % b];
  return `${num / a}/${den / a}`;
}

/**
 * Old ffprobe exposes the `rotate` tag (clockwise degrees); newer ones only the display
 * matrix, whose `rotation` is counter-clockwise (iPhone portrait: -90 = 90 clockwise).
 */
function readRotation(s: FfprobeStream): 0 | 90 | 180 | 270 {
  let clockwise = 0;
  const tag = s.tags?.rotate;
  const matrix = s.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && d.rotation !== undefined);
  if (tag !== undefined && tag !== '') clockwise = Number(tag);
  else if (matrix) clockwise = -Number(matrix.rotation);
  const normalised = (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
  return normalised as 0 | 90 | 180 | 270;
}

function firstLine(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.trim());
  return line?.trim().slice(0, 200);
}
