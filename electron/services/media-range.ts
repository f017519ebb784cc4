/**
 * Serving a local file with HTTP Range support, so a `<video>` can seek. Shared by Electron's
 * `hospup-media:` protocol (net.fetch of file:// ignores Range, see TRAPS) and the web host's
 * `/media/...` route, so the web tests exercise the exact code the desktop app runs.
 *
 * One range per request (what media elements send). Per RFC 9110 a header we cannot use
 * (other unit, several ranges, bad syntax) is ignored and the whole file is sent; a
 * well-formed range that starts past the end gets 416 with `Content-Range: bytes *\/size`.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

export interface FileRangeResponse {
  status: 200 | 206 | 404 | 416;
  headers: Record<string, string>;
  /** Absent for 404/416 and when `withBody` is false (HEAD). */
  body?: Readable;
  /** Why a 404: the file is gone, or it is not the file that was imported any more. */
  reason?: 'missing' | 'changed';
}

/** Which file a media item is: checked on the open descriptor, so a swap after the check cannot slip in. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

// No symlink is followed at the last step (a file swapped for a link to ~/.ssh is refused); a
// swapped directory above it lands on another inode and fails the identity check.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export type ParsedRange = { start: number; end: number } | 'unsatisfiable' | 'ignore';

/** Interprets a Range header against a file of `size` bytes; `end` is inclusive. */
export function parseRange(header: string | undefined, size: number): ParsedRange {
  if (header === undefined) return 'ignore';
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return 'ignore'; // other units, multiple ranges, garbage
  const [, first, last] = match;
  if (first === '' && last === '') return 'ignore';

  if (first === '') {
    // Suffix form `-n`: the last n bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const requestedEnd = last === '' ? Infinity : Number(last);
  if (requestedEnd < start) return 'ignore'; // invalid range-spec: ignore the header
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(requestedEnd, size - 1) };
}

/**
 * Serves `filePath` (Range as above), opened without following a symlink; with `expect`, only
 * while it is still that file (device, inode, size and modification time).
 */
export async function serveFileRange(
  filePath: string,
  rangeHeader: string | undefined,
  mime: string,
  options: { withBody?: boolean; expect?: FileIdentity } = {},
): Promise<FileRangeResponse> {
  const withBody = options.withBody ?? true;
  let handle: FileHandle;
  try {
    handle = await open(filePath, OPEN_FLAGS);
  } catch (err) {
    // ELOOP: the file is a symlink now (O_NOFOLLOW), which it was not when it was chosen.
    return notFound((err as NodeJS.ErrnoException).code === 'ELOOP' ? 'changed' : 'missing');
  }
  let size: number;
  try {
    const info = await handle.stat();
    const expect = options.expect;
    const changed = expect && (info.dev !== expect.dev || info.ino !== expect.ino || info.size !== expect.size || info.mtimeMs !== expect.mtimeMs);
    if (!info.isFile() || changed) {
      await handle.close();
      return notFound(changed ? 'changed' : 'missing');
    }
    size = info.size;
  } catch {
    await handle.close().catch(() => {});
    return notFound('missing');
  }
  // The body streams from the descriptor we checked (closed at its end); no body: close it now.
  const stream = (range?: { start: number; end: number }) => handle.createReadStream(range ?? {});
  if (!withBody) await handle.close();

  const base = { 'Accept-Ranges': 'bytes', 'Content-Type': mime };
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') {
    if (withBody) await handle.close();
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' } };
  }
  if (range === 'ignore') {
    return {
      status: 200,
      headers: { ...base, 'Content-Length': String(size) },
      body: withBody ? stream() : undefined,
    };
  }
  const { start, end } = range;
  return {
    status: 206,
    headers: {
      ...base,
      'Content-Length': String(end - start + 1),
      'Content-Range': `bytes ${start}-${end}/${size}`,
    },
    body: withBody ? stream({ start, end }) : undefined,
  };
}

function notFound(reason: 'missing' | 'changed'): FileRangeResponse {
  return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, reason };
}
