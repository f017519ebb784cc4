/**
 * The size limit of `/api/upload` (web mode's file import): a declared size over the limit is
 * refused before a byte is read, and a body without a declared size is cut as soon as it passes
 * it. The media library removes whatever a refused or aborted upload left on disk.
 */
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { AppError } from '../../shared/errors';

/** 20 GB: a long 4K phone video is a few GB; more is a mistake (or an attack on the disk). HOSPUP_MAX_UPLOAD_MB changes it. */
export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1000 ** 3;

export function maxUploadBytes(raw = process.env.HOSPUP_MAX_UPLOAD_MB): number {
  const mb = Number(raw);
  return raw && Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1000 ** 2) : DEFAULT_MAX_UPLOAD_BYTES;
}

/** "1.5 GB", "320 MB": sizes as a file manager shows them. */
export function formatSize(bytes: number): string {
  if (bytes >= 1000 ** 3) return `${(bytes / 1000 ** 3).toFixed(1).replace(/\.0$/, '')} GB`;
  return `${Math.max(1, Math.round(bytes / 1000 ** 2))} MB`;
}

export function tooLarge(name: string, max: number): AppError {
  return AppError.of('payload-too-large', '{{name}} is too large to import: a file can have at most {{max}}.', { name, max: formatSize(max) }, 'file');
}

/** Refuses a declared Content-Length over `max` (throws); otherwise the body, cut with the same error past `max`. */
export function limitedBody(req: IncomingMessage, name: string, max: number): NodeJS.ReadableStream {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw tooLarge(name, max);
  let seen = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      seen += chunk.length;
      if (seen > max) return cb(tooLarge(name, max));
      cb(null, chunk);
    },
  });
  // An aborted upload (tab closed, network lost) ends the import with an error, not a short file.
  req.once('aborted', () => meter.destroy(new AppError('interrupted', 'The upload was interrupted')));
  return req.pipe(meter);
}
