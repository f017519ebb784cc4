/**
 * The two custom schemes of the desktop app:
 *  - `app://hospup/...` serves the built renderer (dist/renderer) with the strict CSP, and
 *    `app://hospup/media/<id>/<kind>`: media on the page's own origin, exactly the URLs of web
 *    mode, so no CORS, no tainted canvas, and Playwright's web tests cover the same paths;
 *  - `hospup-media://media/<id>/<kind>`: the same media handler on its own scheme (for code
 *    that wants a scheme URL), answering CORS for the app origin only.
 * Range is answered by serveFileRange: net.fetch('file://') ignores Range (electron#38749), so
 * seeking a <video> would jump back to 0.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { contentSecurityPolicy, SECURITY_HEADERS } from './services/csp';
import { parseMediaPath, type HostRuntime } from './services/host-call';
import { serveFileRange } from './services/media-range';
import { resolveStaticFile } from './web/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'hospup';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;
export const MEDIA_SCHEME = 'hospup-media';

/** Must run before `app` is ready, once, with every privileged scheme (see TRAPS). */
export function registerPrivilegedSchemes(): void {
  const privileges = { standard: true, secure: true, supportFetchAPI: true, stream: true };
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { ...privileges, codeCache: true } },
    { scheme: MEDIA_SCHEME, privileges: { ...privileges, corsEnabled: true } },
  ]);
}

/** True for URLs of our own renderer (the only pages allowed to call the host). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

export function registerProtocolHandlers(opts: { rendererDir: string; runtime: HostRuntime }): void {
  const csp = contentSecurityPolicy([`${MEDIA_SCHEME}:`]);

  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return plain(404, 'Not found');
    if (url.pathname.startsWith('/media/')) return mediaResponse(opts.runtime, request, url.pathname, {});
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = await resolveStaticFile(opts.rendererDir, url.pathname);
    if (!file) return plain(404, 'Not found');
    const body = request.method === 'HEAD' ? null : await readFile(file.path);
    return new Response(body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': file.mime,
        'Cache-Control': file.cacheControl,
        'Content-Security-Policy': csp,
      },
    });
  });

  protocol.handle(MEDIA_SCHEME, (request) => {
    const url = new URL(request.url);
    // The <video> of an app:// page loads this cross-origin: allow our origin, nobody else.
    const cors = { 'Access-Control-Allow-Origin': APP_ORIGIN, Vary: 'Origin' };
    if (url.host !== 'media') return plain(404, 'Not found', cors);
    return mediaResponse(opts.runtime, request, `/media${url.pathname}`, cors);
  });
}

async function mediaResponse(
  runtime: HostRuntime,
  request: Request,
  pathname: string,
  extraHeaders: Record<string, string>,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed', extraHeaders);
  const media = parseMediaPath(pathname);
  const file = media && runtime.mediaFileFor(media.id, media.kind);
  if (!file) return plain(404, 'Not found', extraHeaders);
  const served = await serveFileRange(file.path, request.headers.get('range') ?? undefined, file.mime, {
    withBody: request.method !== 'HEAD',
    // Only while it is the file that was imported (no symlink followed, same inode, size, time).
    expect: file.identity,
  });
  if (served.status === 404) return plain(404, served.reason === 'changed' ? 'Media file changed since it was imported' : 'Media file missing', extraHeaders);
  const body = served.body ? (Readable.toWeb(served.body) as unknown as ReadableStream<Uint8Array>) : null;
  return new Response(body, {
    status: served.status,
    headers: { ...served.headers, ...extraHeaders, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' },
  });
}

function plain(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}
