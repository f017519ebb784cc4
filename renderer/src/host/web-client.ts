/**
 * HostApi over HTTP, for web mode (`npm run web`): JSON calls to /api/call/<method>, file
 * uploads to /api/upload, and one shared EventSource on /api/events for host events.
 *
 * The host refuses every request without this run's access key. In the browser it travels as
 * the cookie set when the printed `?token=` address was opened (fetch, EventSource, <video>
 * all send it); other callers (tests, scripts) pass `token` and it goes in X-Hospup-Token. A
 * refused key comes back as the `access-token` error, said in plain words in the UI.
 */
import type { HostApi, HostEvent, ImportResult, MediaItem } from '../../../shared/api';
import { HostError, hostErrorFrom } from './errors';
import { jsonMethods } from './rpc-methods';

export interface WebHostApiOptions {
  /** The access key, sent as a header (outside a browser, where there is no cookie). */
  token?: string;
}

export function createWebHostApi(baseUrl = '', options: WebHostApiOptions = {}): HostApi {
  const root = baseUrl.replace(/\/+$/, '');
  const events = createEventStream(`${root}/api/events`);
  const auth: Record<string, string> = options.token ? { 'X-Hospup-Token': options.token } : {};

  async function request<T>(path: string, init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...auth }, credentials: 'same-origin' });
    } catch {
      throw HostError.of('network', 'The Hospup Studio server is not reachable. Is `npm run web` still running?');
    }
    let body: { result?: unknown; error?: unknown } | undefined;
    try {
      body = (await response.json()) as typeof body;
    } catch {
      body = undefined;
    }
    if (!response.ok || !body || body.error) {
      throw hostErrorFrom(body?.error ?? { message: `The server answered ${response.status} ${response.statusText}` }, response.status >= 500 ? 'internal' : 'invalid-input');
    }
    return body.result as T;
  }

  const call = (method: string, args: unknown[]) =>
    request<unknown>(`/api/call/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(args),
    });

  const upload = <T = MediaItem[]>(file: File, query = '') =>
    request<T>(`/api/upload?name=${encodeURIComponent(file.name)}${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
    });

  return {
    ...jsonMethods(call),
    async importFiles(files) {
      const result: ImportResult = { imported: [], refused: [] };
      // One at a time (big video files); a refused file is listed and the next one still goes.
      for (const file of files) {
        try {
          result.imported.push(...(await upload(file)));
        } catch (err) {
          const error = hostErrorFrom(err);
          // The server gone is not about this file: stop and say so.
          if (error.code === 'network') throw error;
          result.refused.push({ name: file.name, code: error.code, message: error.message });
        }
      }
      return result;
    },
    async stageFile(file) {
      // Saved only (like a relink), not imported into the media library.
      const uploaded = await upload<{ path: string }>(file, '&for=relink');
      if (!uploaded?.path) throw HostError.of('invalid-input', 'Could not read {{name}}', { name: file.name });
      return uploaded.path;
    },
    async relinkMedia(mediaId, file) {
      // Saved only, not imported: the relinked item keeps its id and no duplicate appears.
      const uploaded = await upload<{ path: string }>(file, '&for=relink');
      if (!uploaded?.path) throw HostError.of('invalid-input', 'Could not read {{name}}', { name: file.name });
      return (await call('relinkMediaPath', [mediaId, uploaded.path])) as MediaItem;
    },
    onEvent: (listener) => events.subscribe(listener),
  };
}

/**
 * One EventSource shared by all listeners, opened with the first and closed with the last.
 * The browser retries dropped connections itself; when it gives up (server restarted with an
 * error answer), we reopen with a growing delay.
 */
function createEventStream(url: string) {
  const listeners = new Set<(event: HostEvent) => void>();
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = 1000;

  function open() {
    retryTimer = null;
    if (listeners.size === 0 || source) return;
    const es = new EventSource(url);
    source = es;
    es.onopen = () => {
      retryDelay = 1000;
    };
    es.onmessage = (message) => {
      let event: HostEvent;
      try {
        event = JSON.parse(message.data as string) as HostEvent;
      } catch {
        return;
      }
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (err) {
          console.error('host event listener failed', err);
        }
      }
    };
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED) return; // the browser is reconnecting
      es.close();
      if (source === es) source = null;
      if (listeners.size > 0 && !retryTimer) {
        retryTimer = setTimeout(open, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30_000);
      }
    };
  }

  function close() {
    source?.close();
    source = null;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  return {
    subscribe(listener: (event: HostEvent) => void): () => void {
      listeners.add(listener);
      open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) close();
      };
    },
  };
}
