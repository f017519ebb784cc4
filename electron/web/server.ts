/**
 * Web mode: the same host services as the desktop app, behind HTTP on the loopback interface.
 *
 *   POST /api/call/<method>     JSON array of arguments -> {result} | {error:{message,code,field?}}
 *   GET  /api/events            Server-Sent Events, one HostEvent per `data:` line
 *   POST /api/upload?name=<f>   the file's bytes -> {result: MediaItem[]} (web importFiles)
 *   POST /api/upload?name=<f>&for=relink   the bytes saved only -> {result: {path}} (web relink: no new media item)
 *   GET  /media/<id>/<kind>     a media file, with HTTP Range (seeking)
 *   GET  /api/exports/<id>/download   a finished export as an attachment (web mode's Download)
 *   GET  /*                     the built renderer (SPA fallback to index.html)
 *
 * Only 127.0.0.1 is bound. Requests must carry our own Host (DNS-rebinding guard); API and media
 * requests coming from another site are refused (a page elsewhere could otherwise POST to us);
 * and every request needs this run's access key (access.ts: `?token=` once, then a cookie).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { guardServer } from '../../node/http-guard';
import { AppError } from '../../shared/errors';
import {
  callHostMethod,
  downloadUrlPath,
  mediaUrlPath,
  parseMediaPath,
  statusForCode,
  toPlainError,
  type HostRuntime,
  type PlainError,
} from '../services/host-call';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../services/csp';
import { serveFileRange } from '../services/media-range';
import { accessRefusedPage, newAccessToken, requestToken, sameToken, sessionCookie, TOKEN_QUERY, tokenProblem } from './access';
import { resolveStaticFile } from './static-files';
import { limitedBody, maxUploadBytes } from './upload-limit';

export const DEFAULT_WEB_PORT = 5190;
const MAX_JSON_BODY_BYTES = 64 * 1024 * 1024;
const SSE_HEARTBEAT_MS = 20_000;

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface WebHostOptions {
  /** 0 picks a free port. Default 5190. */
  port?: number;
  dataDir?: string;
  exportDir?: string;
  /** The built renderer. Default `<repo>/dist/renderer`. */
  staticDir?: string;
  /** Largest file /api/upload takes (upload-limit.ts); default 20 GB or HOSPUP_MAX_UPLOAD_MB. */
  maxUploadBytes?: number;
  /** The access key; by default a new random one per run (access.ts). */
  token?: string;
  /** Start the local cloud this long after start (host-services.ts); default: at the first local export. `npm run web` passes 2000. */
  prestartLocalCloudAfterMs?: number;
  /** Tests may inject services; by default `createHostServices` is called for web mode. */
  createRuntime?: (urls: { media(id: string, kind: 'preview' | 'thumbnail' | 'filmstrip'): string; download(exportId: string, label?: string): string }) => HostRuntime;
}

export interface WebHost {
  /** `http://127.0.0.1:<port>/`, without the key. */
  url: string;
  /** The address to open: `url` with `?token=<token>` (what web mode prints and npm start opens). */
  loginUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions = {}): Promise<WebHost> {
  const port = options.port ?? DEFAULT_WEB_PORT;
  const token = options.token ?? newAccessToken();
  const problem = tokenProblem(token);
  if (problem) throw new AppError('invalid-argument', `The web access token ${problem}`, { field: 'token' });
  const staticDir = options.staticDir ?? join(REPO_ROOT, 'dist', 'renderer');
  const urls = { media: mediaUrlPath, download: downloadUrlPath };
  const runtime: HostRuntime = options.createRuntime
    ? options.createRuntime(urls)
    : ((await import('../services/host-services')).createHostServices({
        dataDir: options.dataDir,
        exportDir: options.exportDir,
        mode: 'web',
        version: packageVersion(),
        systemLocale: hostLocale(),
        urls,
        prestartLocalCloudAfterMs: options.prestartLocalCloudAfterMs,
      }) as HostRuntime);

  const eventStreams = new Set<ServerResponse>();
  let allowedHosts = new Set<string>();
  let actualPort = 0;
  const handler = createRequestHandler({
    runtime, staticDir, eventStreams, allowedHosts: () => allowedHosts, token, port: () => actualPort,
    maxUploadBytes: options.maxUploadBytes ?? maxUploadBytes(),
  });
  const server = guardServer(createServer((req, res) => {
    handler(req, res).catch((err) => {
      const plain = toPlainError(err);
      if (statusForCode(plain.code) >= 500) console.error(`web host: ${req.method} ${req.url}:`, err);
      if (!res.headersSent) sendError(res, plain);
      else res.destroy();
    });
  }));

  await listen(server, port);
  actualPort = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${actualPort}`, `localhost:${actualPort}`]);

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    loginUrl: `http://127.0.0.1:${actualPort}/?${TOKEN_QUERY}=${token}`,
    token,
    port: actualPort,
    close() {
      closing ??= (async () => {
        for (const res of eventStreams) res.end();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await runtime.close();
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

interface HandlerContext {
  runtime: HostRuntime;
  staticDir: string;
  eventStreams: Set<ServerResponse>;
  allowedHosts(): Set<string>;
  token: string;
  port(): number;
  maxUploadBytes: number;
}

function createRequestHandler(ctx: HandlerContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (!ctx.allowedHosts().has((req.headers.host ?? '').toLowerCase())) {
      // Not "our" host name: a DNS-rebinding page or a stray proxy. Say nothing more.
      return sendError(res, { code: 'forbidden', message: 'Unknown Host header' });
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith('/api/') || path.startsWith('/media/')) {
      const refusal = crossSiteRefusal(req, ctx.allowedHosts());
      if (refusal) return sendError(res, { code: 'forbidden', message: refusal });
    }
    const apiOrMedia = path.startsWith('/api/') || path.startsWith('/media/');
    if (url.searchParams.has(TOKEN_QUERY) && !apiOrMedia && (method === 'GET' || method === 'HEAD')) {
      if (!sameToken(url.searchParams.get(TOKEN_QUERY), ctx.token)) return sendAccessPage(res, 'wrong');
      // The key becomes a cookie; the address bar, history and Referer keep no trace of it.
      url.searchParams.delete(TOKEN_QUERY);
      res.writeHead(303, { Location: `${url.pathname}${url.search}`, 'Set-Cookie': sessionCookie(ctx.port(), ctx.token), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      return void res.end();
    }
    const given = requestToken(req, ctx.port());
    if (!sameToken(given, ctx.token)) {
      if (apiOrMedia) return sendError(res, AppError.of('access-token', 'This window has no valid access key for Hospup Studio (it was probably restarted): open the address printed in its terminal again, the one that ends with ?token=…').toPlain());
      if (path === '/favicon.ico') return void res.writeHead(204).end();
      return sendAccessPage(res, given ? 'wrong' : 'missing');
    }

    if (path.startsWith('/api/call/')) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      return handleCall(ctx, req, res, path.slice('/api/call/'.length));
    }
    if (path === '/api/events') {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      return handleEvents(ctx, req, res);
    }
    if (path === '/api/upload') {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      return handleUpload(ctx, req, res, url.searchParams.get('name'), url.searchParams.get('for') === 'relink');
    }
    const download = /^\/api\/exports\/([^/]+)\/download$/.exec(path);
    if (download) {
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      return handleDownload(ctx, req, res, decodeURIComponent(download[1]), url.searchParams.get('file') ?? undefined);
    }
    if (path.startsWith('/api/')) {
      return sendError(res, { code: 'not-found', message: `No such API: ${path}` });
    }
    if (path.startsWith('/media/')) {
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      return handleMedia(ctx, req, res, path);
    }
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
    return handleStatic(ctx, req, res, path);
  };
}

/** Refuses API/media requests a browser made on behalf of another site. */
function crossSiteRefusal(req: IncomingMessage, allowedHosts: Set<string>): string | undefined {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Cross-site request refused (${site})`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string;
    try {
      const parsed = new URL(origin);
      host = parsed.protocol === 'http:' ? parsed.host : '';
    } catch {
      host = '';
    }
    if (!allowedHosts.has(host)) return 'Cross-origin request refused';
  }
  return undefined;
}

async function handleCall(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, method: string) {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    // Also forces a CORS preflight on any cross-origin caller, which we never answer.
    throw new AppError('unsupported-media-type', 'Send the arguments as application/json');
  }
  const text = await readBody(req, MAX_JSON_BODY_BYTES);
  let args: unknown;
  try {
    args = text.trim() === '' ? [] : JSON.parse(text);
  } catch {
    throw new AppError('invalid-json', `${method}: the request body is not valid JSON`);
  }
  const result = await callHostMethod(ctx.runtime, method, args);
  sendJson(res, 200, { result: result ?? null });
}

function handleEvents(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  ctx.eventStreams.add(res);
  const unsubscribe = ctx.runtime.events.subscribe((event) => {
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
    ctx.eventStreams.delete(res);
  };
  req.on('close', stop);
  res.on('close', stop);
}

async function handleUpload(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, name: string | null, forRelink: boolean) {
  if (!name || name.length > 255 || /[/\\\0]/.test(name) || name === '.' || name === '..') {
    throw new AppError('invalid-argument', 'upload: "name" must be a plain file name', { field: 'name' });
  }
  let body: Readable;
  try {
    body = limitedBody(req, name, ctx.maxUploadBytes) as Readable;
  } catch (err) {
    // Refused before reading: say so, and close the connection rather than read gigabytes.
    res.setHeader('Connection', 'close');
    res.once('finish', () => req.destroy());
    throw err;
  }
  // A relink only needs the file on disk: importing it would add a second library item.
  if (forRelink) return sendJson(res, 200, { result: { path: await ctx.runtime.saveUpload(name, body) } });
  const items = await ctx.runtime.importUpload(name, body);
  sendJson(res, 200, { result: items });
}

async function handleMedia(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, path: string) {
  const media = parseMediaPath(path);
  if (!media) throw new AppError('not-found', 'Not found');
  const { id, kind } = media;
  const file = ctx.runtime.mediaFileFor(id, kind);
  if (!file) throw new AppError('not-found', `No ${kind} for media ${id}`);
  const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
  const served = await serveFileRange(file.path, range, file.mime, { withBody: req.method !== 'HEAD', expect: file.identity });
  if (served.status === 404 && served.reason === 'changed') {
    throw AppError.of('missing-file', 'The file of {{id}} changed since it was imported: relink it to use it again', { id });
  }
  if (served.status === 404) throw new AppError('not-found', `The file of media ${id} is missing`);
  res.writeHead(served.status, { ...served.headers, 'Cache-Control': 'no-cache' });
  if (!served.body) return void res.end();
  pipeBody(served.body, res);
}

async function handleDownload(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, exportId: string, label?: string) {
  const file = await ctx.runtime.exportFileFor(exportId, label);
  if (!file) throw AppError.of('not-found', 'No finished export "{{id}}"', { id: exportId });
  const range = typeof req.headers.range === 'string' ? req.headers.range : undefined;
  const served = await serveFileRange(file.path, range, 'video/mp4', { withBody: req.method !== 'HEAD' });
  if (served.status === 404) throw AppError.of('not-found', 'The exported video {{name}} was moved or deleted', { name: file.name });
  // An attachment: the browser saves it under its own name (RFC 6266, UTF-8 for accents).
  const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(served.status, {
    ...served.headers,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'Cache-Control': 'no-store',
  });
  if (!served.body) return void res.end();
  pipeBody(served.body, res);
}

async function handleStatic(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, path: string) {
  const file = await resolveStaticFile(ctx.staticDir, path);
  if (!file) {
    if (path === '/favicon.ico') {
      // Browsers ask for it on every load; answering 204 keeps the console free of 404s.
      res.writeHead(204);
      return void res.end();
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end(`The renderer is not built (no index.html in ${ctx.staticDir}): run npm run build:renderer\n`);
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('Not found\n');
  }
  res.writeHead(200, {
    'Content-Type': file.mime,
    'Content-Length': String(file.size),
    'Cache-Control': file.cacheControl,
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Frame-Options': 'DENY',
  });
  if (req.method === 'HEAD') return void res.end();
  pipeBody(createReadStream(file.path), res);
}

function pipeBody(body: Readable, res: ServerResponse) {
  body.on('error', () => res.destroy());
  res.on('close', () => body.destroy());
  body.pipe(res);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new AppError('payload-too-large', `The request body is larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

function sendAccessPage(res: ServerResponse, reason: 'missing' | 'wrong') {
  const page = accessRefusedPage(reason);
  res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(page)), 'Cache-Control': 'no-store' });
  res.end(page);
}

function sendError(res: ServerResponse, error: PlainError) {
  sendJson(res, statusForCode(error.code), { error });
}

function methodNotAllowed(res: ServerResponse, allow: string) {
  res.setHeader('Allow', allow);
  sendJson(res, 405, { error: { code: 'method-not-allowed', message: `Use ${allow}` } });
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function hostLocale(): string {
  // LANG=fr_FR.UTF-8 -> fr-FR; C / POSIX say nothing about the language.
  const fromEnv = (process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '').split(/[.@]/)[0];
  if (fromEnv && fromEnv !== 'C' && fromEnv !== 'POSIX') return fromEnv.replace('_', '-');
  return Intl.DateTimeFormat().resolvedOptions().locale || 'en';
}
