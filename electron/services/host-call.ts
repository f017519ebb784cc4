/**
 * What both transports (Electron IPC and the web host's HTTP API) do with one call from the
 * renderer: check the method exists, validate its arguments with the contract's zod tuple,
 * run the service, and turn any failure into a plain `{message, code, field}` the UI can show.
 * Plain Node, no Electron, so it is tested through the web host.
 */
import type { Readable } from 'node:stream';
import { HOST_METHOD_ARGS, type HostEvent, type HostMethod, type HostServices, type MediaItem } from '../../shared/api';
import { formatPath, issueToFieldError } from '../../shared/validation';

export type MediaKind = 'original' | 'preview' | 'thumbnail' | 'filmstrip';
export const MEDIA_KINDS: readonly MediaKind[] = ['original', 'preview', 'thumbnail', 'filmstrip'];

/** The services object both transports wrap (what `createHostServices` returns). */
export type HostRuntime = HostServices & {
  events: { subscribe(listener: (event: HostEvent) => void): () => void };
  mediaFileFor(id: string, kind: MediaKind): { path: string; mime: string } | undefined;
  importUpload(name: string, body: Readable): Promise<MediaItem[]>;
  /** Saves an uploaded file without importing it (web relink); returns its path. */
  saveUpload(name: string, body: Readable): Promise<string>;
  close(): Promise<void>;
};

/** The error shape that crosses a transport: no stack, no class, JSON-serialisable. */
export interface PlainError {
  message: string;
  /** 'invalid-argument', 'unknown-method', 'not-found', 'forbidden', ... or the service's own code. */
  code: string;
  field?: string;
}

/** Thrown (and caught by the transports) for anything the caller got wrong. */
export class CallError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** Parameter names of each method, so validation messages name the argument, not "[0]". */
export const HOST_METHOD_PARAMS: { readonly [K in HostMethod]: readonly string[] } = {
  getAppInfo: [],
  getSettings: [],
  updateSettings: ['patch'],
  importPaths: ['paths'],
  registerMedia: ['media'],
  relinkMediaPath: ['mediaId', 'path'],
  listProjects: [],
  createProject: ['name', 'aspect'],
  openProject: ['id'],
  saveProject: ['project'],
  autosaveProject: ['project'],
  deleteProject: ['id'],
  listTemplates: [],
  applyTemplate: ['templateId', 'project', 'mediaIds', 'mode'],
  saveAsTemplate: ['project', 'name'],
  startExport: ['project'],
  cancelExport: ['exportId'],
  listExports: [],
  showInFolder: ['path'],
  estimateCost: ['project'],
  listAwsProfiles: [],
  testConnection: [],
  setAwsKeys: ['keys'],
  clearAwsKeys: [],
};

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

/** The URL path the renderer uses for a media file, in web mode and in Electron (app://hospup/media/...). */
export function mediaUrlPath(id: string, kind: MediaKind): string {
  return `/media/${encodeURIComponent(id)}/${kind}`;
}

export function isHostMethod(name: string): name is HostMethod {
  return Object.hasOwn(HOST_METHOD_ARGS, name);
}

/** Validates `args` for `method`; returns the parsed tuple or throws a CallError naming the argument. */
export function validateArgs(method: HostMethod, args: unknown): unknown[] {
  if (!Array.isArray(args)) {
    throw new CallError(`${method}: the arguments must be a JSON array`, 'invalid-argument');
  }
  const schema = HOST_METHOD_ARGS[method];
  const result = schema.safeParse(args, { reportInput: true });
  if (result.success) return result.data as unknown[];

  const issue = result.error.issues[0];
  const params = HOST_METHOD_PARAMS[method];
  if (issue.path.length === 0) {
    const count = params.length === 0 ? 'no arguments' : `${params.length} argument(s): ${params.join(', ')}`;
    throw new CallError(`${method} takes ${count} (got ${args.length})`, 'invalid-argument');
  }
  const [index, ...rest] = issue.path;
  const name = typeof index === 'number' ? params[index] ?? `argument ${index + 1}` : String(index);
  const field = formatPath([name, ...rest]);
  const { message } = issueToFieldError(issue);
  throw new CallError(`Invalid argument "${field}" of ${method}: ${message}`, 'invalid-argument', field);
}

/** Validates then runs one call. Errors are left to the transport (see toPlainError). */
export async function callHostMethod(services: HostServices, method: string, args: unknown): Promise<unknown> {
  if (!isHostMethod(method)) throw new CallError(`Unknown method "${method}"`, 'unknown-method');
  const parsed = validateArgs(method, args);
  const fn = services[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(services, parsed);
}

const NODE_ERROR_CODES: Record<string, { code: string; message: (path: string) => string }> = {
  ENOENT: { code: 'not-found', message: (p) => `File not found: ${p}` },
  EACCES: { code: 'permission-denied', message: (p) => `Permission denied: ${p}` },
  EPERM: { code: 'permission-denied', message: (p) => `Permission denied: ${p}` },
  ENOSPC: { code: 'disk-full', message: () => 'The disk is full' },
};

/** Any thrown value -> the plain shape sent to the renderer (never a stack trace). */
export function toPlainError(err: unknown): PlainError {
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; code?: unknown; field?: unknown; path?: unknown; issues?: unknown };
    const field = typeof e.field === 'string' ? e.field : undefined;
    if (typeof e.code === 'string' && NODE_ERROR_CODES[e.code]) {
      const known = NODE_ERROR_CODES[e.code];
      return { code: known.code, message: known.message(typeof e.path === 'string' ? e.path : '') };
    }
    if (Array.isArray(e.issues) && e.issues.length > 0) {
      // A zod error from inside a service: name the field like argument errors do.
      const fe = issueToFieldError(e.issues[0] as Parameters<typeof issueToFieldError>[0]);
      return { code: 'invalid-input', message: fe.path ? `${fe.path}: ${fe.message}` : fe.message, field: fe.path || undefined };
    }
    const message = typeof e.message === 'string' && e.message ? e.message : 'Something went wrong';
    const code = typeof e.code === 'string' && /^[a-z][a-z0-9-]*$/.test(e.code) ? e.code : 'internal';
    return field ? { message, code, field } : { message, code };
  }
  return { message: typeof err === 'string' ? err : 'Something went wrong', code: 'internal' };
}

/** HTTP status for a plain error code (web host). */
export function statusForCode(code: string): number {
  switch (code) {
    case 'invalid-argument':
    case 'invalid-input':
    case 'invalid-json':
      return 400;
    case 'forbidden':
      return 403;
    case 'not-found':
    case 'unknown-method':
      return 404;
    case 'payload-too-large':
      return 413;
    case 'unsupported-media-type':
      return 415;
    default:
      return 500;
  }
}
