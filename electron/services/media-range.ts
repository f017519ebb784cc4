/**
 * Serving a local file with HTTP Range support, so a `<video>` can seek. Shared by Electron's
 * `hospup-media:` protocol (net.fetch of file:// ignores Range, see TRAPS) and the web host's
 * `/media/...` route, so the web tests exercise the exact code the desktop app runs.
 *
 * One range per request (what media elements send). Per RFC 9110 a header we cannot use
 * (other unit, several ranges, bad syntax) is ignored and the whole file is sent; a
 * well-formed range that starts past the end gets 416 with `Content-Range: bytes *\/size`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

export interface FileRangeResponse {
  status: 200 | 206 | 404 | 416;
  headers: Record<string, string>;
  /** Absent for 404/416 and when `withBody` is false (HEAD). */
  body?: Readable;
}

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

export async function serveFileRange(
  filePath: string,
  rangeHeader: string | undefined,
  mime: string,
  options: { withBody?: boolean } = {},
): Promise<FileRangeResponse> {
  const withBody = options.withBody ?? true;
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) return notFound();
    size = info.size;
  } catch {
    return notFound();
  }

  const base = { 'Accept-Ranges': 'bytes', 'Content-Type': mime };
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' } };
  }
  if (range === 'ignore') {
    return {
      status: 200,
      headers: { ...base, 'Content-Length': String(size) },
      body: withBody ? createReadStream(filePath) : undefined,
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
    body: withBody ? createReadStream(filePath, { start, end }) : undefined,
  };
}

function notFound(): FileRangeResponse {
  return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } };
}
