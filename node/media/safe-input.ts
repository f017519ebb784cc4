/**
 * How ffmpeg and ffprobe may open a file we did not make (a clip a person chose, an object in the
 * bucket): only as the container its first bytes say it is, and only through the `file:`
 * protocol. Left to itself, ffmpeg picks a demuxer from the bytes and the name, so a "clip" that
 * is an HLS playlist (`#EXTM3U`) makes it read whatever local files the playlist lists (the 2018
 * ffmpeg does; the bundled ffprobe crashes on it with SIGSEGV), and a `concat` script or a
 * QuickTime reference movie can do the same. So every input gets
 * `-protocol_whitelist file -f <demuxer>` and a `file:` URL, and a file whose bytes match no
 * container we accept is refused before any ffmpeg runs.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Demuxers for videos (ffmpeg names) and the signature that selects each. */
const VIDEO_SIGNATURES: Array<{ demuxer: string; matches(head: Buffer): boolean }> = [
  // ISO BMFF / QuickTime (mp4, mov, m4v, 3gp): a box type at offset 4. (mov's external data
  // references stay off: enable_drefs defaults to 0.)
  { demuxer: 'mov', matches: (h) => ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot'].includes(h.toString('latin1', 4, 8)) },
  { demuxer: 'matroska', matches: (h) => h.readUInt32BE(0) === 0x1a45dfa3 },
  // MPEG-TS: sync bytes every 188 bytes (or 192 for M2TS, after a 4-byte timestamp).
  { demuxer: 'mpegts', matches: (h) => (h[0] === 0x47 && h[188] === 0x47 && h[376] === 0x47) || (h[4] === 0x47 && h[196] === 0x47 && h[388] === 0x47) },
  { demuxer: 'avi', matches: (h) => h.toString('latin1', 0, 4) === 'RIFF' && h.toString('latin1', 8, 12) === 'AVI ' },
  { demuxer: 'mxf', matches: (h) => h.readUInt32BE(0) === 0x060e2b34 },
  { demuxer: 'mpeg', matches: (h) => h.readUInt32BE(0) === 0x000001ba },
  { demuxer: 'flv', matches: (h) => h.toString('latin1', 0, 3) === 'FLV' },
  { demuxer: 'asf', matches: (h) => h.readUInt32BE(0) === 0x3026b275 },
];

/** Still images (overlays, photos): the image2 demuxer on exactly this file, with its decoder named. */
const IMAGE_SIGNATURES: Array<{ codec: string; matches(head: Buffer): boolean }> = [
  { codec: 'png', matches: (h) => h.readUInt32BE(0) === 0x89504e47 && h.readUInt32BE(4) === 0x0d0a1a0a },
  { codec: 'mjpeg', matches: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff },
];

export const HEAD_BYTES = 512;

export type InputFormat = { kind: 'video'; demuxer: string } | { kind: 'image'; codec: string };

/** What a file's first bytes say it is (pure); undefined: nothing we open. */
export function sniffInputFormat(head: Buffer): InputFormat | undefined {
  const padded = head.length >= HEAD_BYTES ? head : Buffer.concat([head, Buffer.alloc(HEAD_BYTES - head.length)]);
  const video = VIDEO_SIGNATURES.find((s) => s.matches(padded));
  if (video) return { kind: 'video', demuxer: video.demuxer };
  const image = IMAGE_SIGNATURES.find((s) => s.matches(padded));
  if (image) return { kind: 'image', codec: image.codec };
  return undefined;
}

export function readHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, head, 0, HEAD_BYTES, 0);
    return head.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export class UnsafeInputError extends Error {
  constructor(readonly file: string) {
    super(`not a video or image file we open (its content is not MP4/MOV, MKV/WebM, MPEG-TS, AVI, MXF, MPEG-PS, FLV, ASF, PNG or JPEG)`);
    this.name = 'UnsafeInputError';
  }
}

/** The input options and URL that open `file` only as what it is. Throws UnsafeInputError. */
export function safeInputArgs(file: string, format: InputFormat | undefined): string[] {
  if (!format) throw new UnsafeInputError(file);
  const open = format.kind === 'video' ? ['-f', format.demuxer] : ['-f', 'image2', '-pattern_type', 'none', '-c:v', format.codec];
  return ['-protocol_whitelist', 'file', ...open, '-i', `file:${file}`];
}

/**
 * Rewrites an ffmpeg command so every `-i <path>` opens safely (the options placed right
 * before it, after the input's own options such as `-ss`, `-loop`). Throws UnsafeInputError.
 */
export function withSafeInputs(args: readonly string[], formatOf: (file: string) => InputFormat | undefined = (f) => sniffInputFormat(readHead(f))): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-i' && i + 1 < args.length) {
      out.push(...safeInputArgs(args[i + 1], formatOf(args[i + 1])));
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}
