/**
 * Time math shared by the editor, the job compiler and the local renderer.
 *
 * Frame timecodes (`HH:MM:SS:FF`) follow MediaConvert: frames are counted with the
 * nominal integer rate of the stream (29.97 -> 30, 23.976 -> 24), a frame index is
 * `round(seconds * fps)`, and the timecode of index n is n split by the nominal rate.
 */

/** Parse "30000/1001", "30" or a number into frames per second. */
export function parseFrameRate(rate: string | number): number {
  if (typeof rate === 'number') return rate;
  const [num, den] = rate.split('/').map(Number);
  const value = den === undefined ? num : num / den;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`not a frame rate: "${rate}"`);
  return value;
}

/** The integer frame count per timecode second for a stream of `fps`. */
export function nominalRate(fps: number): number {
  return Math.max(1, Math.ceil(fps - 1e-3));
}

/** Index of the frame that shows at `seconds` (nearest frame start). */
export function frameIndex(seconds: number, fps: number): number {
  return Math.round(seconds * fps + 1e-9);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function framesToTimecode(frames: number, fps: number): string {
  const rate = nominalRate(fps);
  const ff = frames % rate;
  const totalSeconds = Math.floor(frames / rate);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  return `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}:${pad2(ff)}`;
}

const TIMECODE = /^(\d{2}):(\d{2}):(\d{2})[:;](\d{2})$/;

export function timecodeToFrames(timecode: string, fps: number): number {
  const match = TIMECODE.exec(timecode);
  if (!match) throw new Error(`not a HH:MM:SS:FF timecode: "${timecode}"`);
  const [hh, mm, ss, ff] = match.slice(1).map(Number);
  const rate = nominalRate(fps);
  if (ff >= rate) throw new Error(`frame ${ff} out of range for ${rate} fps in "${timecode}"`);
  return ((hh * 60 + mm) * 60 + ss) * rate + ff;
}

export function secondsToTimecode(seconds: number, fps: number): string {
  return framesToTimecode(frameIndex(seconds, fps), fps);
}

export interface ClipFrames {
  startFrame: number;
  /** Inclusive, as MediaConvert's EndTimecode. */
  endFrame: number;
  frameCount: number;
  startTimecode: string;
  endTimecode: string;
}

/** Source-clip frames for the half-open interval [start, end) seconds. */
export function clipFrames(startSec: number, endSec: number, fps: number): ClipFrames {
  const startFrame = frameIndex(startSec, fps);
  const endFrame = Math.max(startFrame, frameIndex(endSec, fps) - 1);
  return {
    startFrame,
    endFrame,
    frameCount: endFrame - startFrame + 1,
    startTimecode: framesToTimecode(startFrame, fps),
    endTimecode: framesToTimecode(endFrame, fps),
  };
}

/**
 * Time as people read it, the same everywhere in the app: minutes, seconds and the frame within
 * the second — "0:30.16" is 30 s and 16 frames (never "00:30:16", which reads as thirty
 * minutes); "1:02:05.00" past an hour. `frames: false` drops the frames ("0:30", for a zoomed-
 * out ruler or a whole-seconds length).
 */
export function formatTime(seconds: number, fps: number, opts: { frames?: boolean } = {}): string {
  const rate = nominalRate(fps);
  const frames = frameIndex(Math.max(0, seconds), fps);
  const totalSeconds = Math.floor(frames / rate);
  const ss = pad2(totalSeconds % 60);
  const minutes = Math.floor(totalSeconds / 60);
  const clock = minutes >= 60 ? `${Math.floor(minutes / 60)}:${pad2(minutes % 60)}:${ss}` : `${minutes}:${ss}`;
  return opts.frames === false ? clock : `${clock}.${pad2(frames % rate)}`;
}

/** Snap seconds to the nearest frame boundary of `fps`. */
export function snapToFrame(seconds: number, fps: number): number {
  return frameIndex(seconds, fps) / fps;
}

/** Numbers in messages: at least one decimal, at most three. */
export function formatSeconds(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}
