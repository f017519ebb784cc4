/**
 * What both transports (Electron IPC and the web host's HTTP API) do with one call from the
 * renderer: check the method exists, validate its arguments with the contract's zod tuple,
 * (from the one contract, shared/api.ts) run the service, and turn any failure into the one
 * PlainError (shared/errors.ts) the UI can show, in its language when the error has a key.
 * Plain Node, no Electron, so it is tested through the web host.
 */
import type { Readable } from 'node:stream';
import { HOST_CONTRACT, type HostEvent, type HostMethod, type HostServices, type MediaItem } from '../../shared/api';
import { formatPath, issueToFieldError } from '../../shared/validation';
import { AppError, isErrorCode, type ErrorCode, type PlainError } from '../../shared/errors';
import type { FileIdentity } from './media-range';

export type MediaKind = 'original' | 'preview' | 'thumbnail' | 'filmstrip';
export const MEDIA_KINDS: readonly MediaKind[] = ['original', 'preview', 'thumbnail', 'filmstrip'];

/** The services object both transports wrap (what `createHostServices` returns). */
export type HostRuntime = HostServices & {
  events: { subscribe(listener: (event: HostEvent) => void): () => void };
  mediaFileFor(id: string, kind: MediaKind): { path: string; mime: string; identity?: FileIdentity } | undefined;
  importUpload(name: string, body: Readable): Promise<MediaItem[]>;
  /** A finished export's file (web mode's Download). */
  exportFileFor(exportId: string, label?: string): Promise<{ path: string; name: string } | undefined>;
  /** Saves an uploaded file without importing it (web relink); returns its path. */
  saveUpload(name: string, body: Readable): Promise<string>;
  close(): Promise<void>;
};

export { statusForCode, type PlainError } from '../../shared/errors';

/** `/media/<id>/<kind>` -> its parts, or undefined for anything else. */
export function parseMediaPath(pathname: string): { id: string; kind: MediaKind } | undefined {
  const parts = pathname.split('/'); // ['', 'media', id, kind]
  if (parts.length !== 4 || parts[0] !== '' || parts[1] !== 'media') return undefined;
  let id: string;
  try {
    id = decodeURIComponent(parts[2]);
  } catch {
    return undefined;
  }
  const kind = parts[3] as MediaKind;
  if (!id || !MEDIA_KINDS.includes(kind)) return undefined;
  return { id, kind };
}

/** The URL path the browser downloads a finished export from (web mode); `label`: one video of a variant export. */
export function downloadUrlPath(exportId: string, label?: string): string {
  return `/api/exports/${encodeURIComponent(exportId)}/download${label ? `?file=${encodeURIComponent(label)}` : ''}`;
}

/** The URL path the renderer uses for a media file, in web mode and in Electron (app://hospup/media/...). */
export function mediaUrlPath(id: string, kind: MediaKind): string {
  return `/media/${encodeURIComponent(id)}/${kind}`;
}

export function isHostMethod(name: string): name is HostMethod {
  return Object.hasOwn(HOST_CONTRACT, name);
}

/** Validates `args` for `method`; returns the parsed tuple or throws a CallError naming the argument. */
export function validateArgs(method: HostMethod, args: unknown): unknown[] {
  if (!Array.isArray(args)) {
    throw new AppError('invalid-argument', `${method}: the arguments must be a JSON array`);
  }
  const { args: schema, params } = HOST_CONTRACT[method];
  const result = schema.safeParse(args, { reportInput: true });
  if (result.success) return result.data as unknown[];

  const issue = result.error.issues[0];
  if (issue.path.length === 0) {
    const count = params.length === 0 ? 'no arguments' : `${params.length} argument(s): ${params.join(', ')}`;
    throw new AppError('invalid-argument', `${method} takes ${count} (got ${args.length})`);
  }
  const [index, ...rest] = issue.path;
  const name = typeof index === 'number' ? params[index] ?? `argument ${index + 1}` : String(index);
  const field = formatPath([name, ...rest]);
  const { message } = issueToFieldError(issue);
  throw new AppError('invalid-argument', `Invalid argument "${field}" of ${method}: ${message}`, { field });
}

/** Validates then runs one call. Errors are left to the transport (see toPlainError). */
export async function callHostMethod(services: HostServices, method: string, args: unknown): Promise<unknown> {
  if (!isHostMethod(method)) throw new AppError('unknown-method', `Unknown method "${method}"`);
  const parsed = validateArgs(method, args);
  const fn = services[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(services, parsed);
}

const NODE_ERROR_CODES: Record<string, { code: ErrorCode; template: string }> = {
  ENOENT: { code: 'not-found', template: 'File not found: {{path}}' },
  EACCES: { code: 'permission-denied', template: 'Permission denied: {{path}}' },
  EPERM: { code: 'permission-denied', template: 'Permission denied: {{path}}' },
  ENOSPC: { code: 'disk-full', template: 'The disk is full' },
};

/** Any thrown value -> the one PlainError sent to the renderer (never a stack trace). */
export function toPlainError(err: unknown): PlainError {
  if (err instanceof AppError) return err.toPlain();
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; code?: unknown; field?: unknown; path?: unknown; issues?: unknown; key?: unknown; params?: unknown };
    const field = typeof e.field === 'string' ? e.field : undefined;
    if (typeof e.code === 'string' && NODE_ERROR_CODES[e.code]) {
      const known = NODE_ERROR_CODES[e.code];
      return AppError.of(known.code, known.template, { path: typeof e.path === 'string' ? e.path : '' }).toPlain();
    }
    if (Array.isArray(e.issues) && e.issues.length > 0) {
      // A zod error from inside a service: name the field like argument errors do.
      const fe = issueToFieldError(e.issues[0] as Parameters<typeof issueToFieldError>[0]);
      return { code: 'invalid-input', message: fe.path ? `${fe.path}: ${fe.message}` : fe.message, ...(fe.path && { field: fe.path }) };
    }
    const message = typeof e.message === 'string' && e.message ? e.message : 'Something went wrong';
    // Codes outside the one set are a bug somewhere: reported as internal, never passed on.
    const code: ErrorCode = isErrorCode(e.code) ? e.code : 'internal';
    return { message, code, ...(field && { field }) };
  }
  return { message: typeof err === 'string' ? err : 'Something went wrong', code: 'internal' };
}
