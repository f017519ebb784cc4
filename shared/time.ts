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

/** Source-clip frames for the half-open interval [start, end) seconds (display timecodes, any rate). */
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
 * MediaConvert's timecode patterns carry two frame digits: clipping timecodes `[:;][0-9]{2}` (so
 * at most frame 99 of a timecode second) and an input's TimecodeStart `[:;][0-5]\d` (at most 59).
 */
export const MAX_CLIPPING_FF = 99;
export const MAX_TIMECODE_START_FF = 59;

/** Frame `frames` as HH:MM:SS:FF for a MediaConvert field whose FF may not exceed `maxFf`. */
export function jobTimecode(frames: number, fps: number, maxFf: number): string {
  const rate = nominalRate(fps);
  if (!Number.isInteger(frames) || frames < 0) throw new RangeError(`frame ${frames} has no timecode`);
  if (frames % rate > maxFf) throw new RangeError(`frame ${frames} at ${rate} fps needs frame number ${frames % rate}, more than ${maxFf}`);
  return framesToTimecode(frames, fps);
}

/** Whether a clipping timecode can name source frame `frame` when the input timeline starts at `offset`. */
export function addressable(frame: number, offset: number, rate: number): boolean {
  return (frame + offset) % rate <= MAX_CLIPPING_FF;
}

/** One MediaConvert input's clipping: its frames, its timecodes, its timeline shift. */
export interface ClipPiece {
  startFrame: number;
  /** Inclusive, as MediaConvert's EndTimecode. */
  endFrame: number;
  startTimecode: string;
  endTimecode: string;
  /**
   * Frames the input timeline is shifted by (TimecodeSource SPECIFIEDSTART with TimecodeStart =
   * this frame): 0 means ZEROBASED. Only rates above 100 need it.
   */
  timecodeStartFrame: number;
  /** Set when timecodeStartFrame > 0: the TimecodeStart value. */
  timecodeStart?: string;
}

export interface InputClip {
  startFrame: number;
  /** Inclusive. */
  endFrame: number;
  frameCount: number;
  /** One input, or two inputs of the same file back to back when one timeline shift cannot name both ends. */
  pieces: ClipPiece[];
}

function piece(start: number, end: number, offset: number, fps: number): ClipPiece {
  return {
    startFrame: start,
    endFrame: end,
    startTimecode: jobTimecode(start + offset, fps, MAX_CLIPPING_FF),
    endTimecode: jobTimecode(end + offset, fps, MAX_CLIPPING_FF),
    timecodeStartFrame: offset,
    ...(offset > 0 && { timecodeStart: jobTimecode(offset, fps, MAX_TIMECODE_START_FF) }),
  };
}

/**
 * The InputClipping(s) MediaConvert can express for source seconds [start, end) of a clip counted
 * at `fps` (its frame grid). Up to 100 fps every frame has a two-digit timecode. Above that,
 * frames 100.. of each timecode second have none: the input timeline is shifted (TimecodeStart,
 * at most 59 frames) so both ends land on nameable frames (every 120 fps cut). Where one shift
 * cannot serve both ends (240 fps), the cut becomes two inputs of the same file, each with its own
 * shift; an end no shift can name moves INWARD to the nearest nameable frame, so no frame outside
 * the segment is ever shown. Null when no frame of the segment can be named at all.
 */
export function inputClip(startSec: number, endSec: number, fps: number, lastFrame = Infinity): InputClip | null {
  const rate = nominalRate(fps);
  const first = frameIndex(startSec, fps);
  const last = Math.min(lastFrame, Math.max(first, frameIndex(endSec, fps) - 1));
  if (last < first) return null;
  const offsets = rate - 1 <= MAX_CLIPPING_FF ? [0] : Array.from({ length: MAX_TIMECODE_START_FF + 1 }, (_, o) => o);
  const firstFrom = (from: number, offset: number) => {
    let f = from;
    while (f <= last && !addressable(f, offset, rate)) f++;
    return f;
  };
  const lastFrom = (from: number, offset: number, floor: number) => {
    let f = from;
    while (f >= floor && !addressable(f, offset, rate)) f--;
    return f;
  };

  // One input, one shift: the first shift that loses the fewest frames.
  let single: { start: number; end: number; offset: number; loss: number } | undefined;
  for (const offset of offsets) {
    const start = firstFrom(first, offset);
    const end = lastFrom(last, offset, start);
    if (end < start) continue;
    const loss = start - first + (last - end);
    if (!single || loss < single.loss) single = { start, end, offset, loss };
    if (loss === 0) break;
  }
  const whole = (pieces: ClipPiece[]): InputClip => {
    const startFrame = pieces[0].startFrame;
    const endFrame = pieces[pieces.length - 1].endFrame;
    return { startFrame, endFrame, frameCount: endFrame - startFrame + 1, pieces };
  };
  if (single?.loss === 0) return whole([piece(single.start, single.end, single.offset, fps)]);

  // Two inputs: the best shift for each end, joined where the first can end and the second begin.
  let best: InputClip | undefined = single && whole([piece(single.start, single.end, single.offset, fps)]);
  const starts = offsets.map((o) => ({ o, f: firstFrom(first, o) })).filter((c) => c.f <= last).sort((a, b) => a.f - b.f);
  const ends = offsets.map((o) => ({ o, f: lastFrom(last, o, first) })).filter((c) => c.f >= first).sort((a, b) => b.f - a.f);
  if (starts.length && ends.length) {
    const [head, tail] = [starts[0], ends[0]];
    for (let m = head.f; m < tail.f; m++) {
      if (addressable(m, head.o, rate) && addressable(m + 1, tail.o, rate)) {
        const split = whole([piece(head.f, m, head.o, fps), piece(m + 1, tail.f, tail.o, fps)]);
        if (!best || split.frameCount > best.frameCount) best = split;
        break;
      }
    }
  }
  return best ?? null;
}

/**
 * The frame grid MediaConvert counts a variable-frame-rate input's timecodes on. AWS documents
 * that a VFR input becomes constant-rate video at its average rate rounded UP to the nearest of
 * 1, 5, 10, 15, 24, 30, 50 or 60 fps ("Using variable frame rate inputs"); we take that as the
 * input timeline too (not documented for clipping: see docs/job-shape.md). Above 60 fps the page
 * names no rate: the average rounded up to a whole number.
 */
export const VFR_STANDARD_RATES = [1, 5, 10, 15, 24, 30, 50, 60] as const;
export function vfrTimecodeRate(averageFps: number): number {
  return VFR_STANDARD_RATES.find((rate) => rate >= averageFps - 1e-3) ?? Math.ceil(averageFps - 1e-3);
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
