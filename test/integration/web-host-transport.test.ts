// The web host's HTTP transport with stand-in services: routing, argument validation, error
// shapes, SSE, uploads, Range on /media, the static renderer and the Host / cross-site guards.
// (web-host.test.ts runs the same server on the real services.)
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { HostEvent, MediaItem } from '../../shared/api';
import { createEventHub } from '../../electron/services/events';
import type { HostRuntime } from '../../electron/services/host-call';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { createWebHostApi } from '../../renderer/src/host/web-client';
import { HostError } from '../../renderer/src/host/errors';

let dir: string;
let host: WebHost;
/** fetch with this run's access key, as the browser sends it (cookie) or a script (header). */
const fetch = (input: string | URL, init: RequestInit = {}) =>
  globalThis.fetch(input, { ...init, headers: { 'X-Hospup-Token': host.token, ...(init.headers as Record<string, string>) } });
const hub = createEventHub();
const calls: { method: string; args: unknown[] }[] = [];
const uploads: { name: string; bytes: Buffer }[] = [];
const saved: { name: string; bytes: Buffer }[] = [];
let closed = false;
const MEDIA_BYTES = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 13 + 5) % 256));

function fakeItem(id: string, path: string): MediaItem {
  return {
    id,
    path,
    name: id,
    size_bytes: 1,
    mtime_ms: 0,
    previewUrl: `/media/${id}/preview`,
    previewStatus: 'ready',
    previewPercent: 100,
    usesProxy: false,
    thumbnailUrl: null,
    filmstripUrl: null,
    filmstripFrames: 0,
  };
}

function fakeRuntime(): HostRuntime {
  const record =
    (method: string, result: unknown = null) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      return result;
    };
  const services = {
    getAppInfo: record('getAppInfo', { mode: 'web', version: 'test' }),
    createProject: record('createProject', { ok: true }),
    openProject: async (id: string) => {
      throw Object.assign(new Error(`No project with id ${id}`), { code: 'not-found' });
    },
    listExports: async () => {
      throw new Error('disk on fire');
    },
    relinkMediaPath: async (id: string, path: string) => fakeItem(id, path),
    clearAwsKeys: record('clearAwsKeys', undefined),
    events: hub,
    mediaFileFor: (id: string, kind: string) =>
      id === 'clip 1' && kind === 'preview' ? { path: join(dir, 'clip.mp4'), mime: 'video/mp4' } : undefined,
    importUpload: async (name: string, body: Readable) => {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      uploads.push({ name, bytes: Buffer.concat(chunks) });
      return [fakeItem(`up-${uploads.length}`, join(dir, name))];
    },
    saveUpload: async (name: string, body: Readable) => {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      saved.push({ name, bytes: Buffer.concat(chunks) });
      return join(dir, 'saved', name);
    },
    close: async () => {
      closed = true;
    },
  };
  return services as unknown as HostRuntime;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-webhost-'));
  await writeFile(join(dir, 'clip.mp4'), MEDIA_BYTES);
  await mkdir(join(dir, 'static', 'assets'), { recursive: true });
  await writeFile(join(dir, 'static', 'index.html'), '<!doctype html><title>Hospup test</title>');
  await writeFile(join(dir, 'static', 'assets', 'app-1234.js'), 'console.log(1)');
  host = await startWebHost({ port: 0, staticDir: join(dir, 'static'), createRuntime: fakeRuntime });
});
after(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

const url = (path: string) => new URL(path, host.url).href;

function postJson(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url(path), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

/** A raw request, so headers fetch() won't let us set (Host) can be sent. */
function rawRequest(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, method, headers: { 'X-Hospup-Token': host.token, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host transport', () => {
  test('binds loopback and prints a 127.0.0.1 URL', () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  test('a call validates arguments and returns {result}', async () => {
    const res = await postJson('/api/call/createProject', JSON.stringify(['Summer reel', '9:16']));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { result: { ok: true } });
    assert.deepEqual(calls.at(-1), { method: 'createProject', args: ['Summer reel', '9:16'] });
  });

  test('bad arguments: 400 with a message naming the argument, the service is not called', async () => {
    const before = calls.length;
    const res = await postJson('/api/call/createProject', JSON.stringify(['Reel', '4:3']));
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: { message: string; code: string; field: string } };
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.field, 'aspect');
    assert.match(error.message, /"aspect"/);
    assert.match(error.message, /createProject/);
    assert.equal(calls.length, before);

    const nested = await postJson('/api/call/importPaths', JSON.stringify([['/ok.mp4', 42]]));
    assert.equal(nested.status, 400);
    const body = (await nested.json()) as { error: { field: string; message: string } };
    assert.equal(body.error.field, 'paths[1]');
    assert.match(body.error.message, /paths\[1\].*text string/);

    const arity = await postJson('/api/call/getAppInfo', JSON.stringify([1]));
    assert.equal(arity.status, 400);
    assert.match(((await arity.json()) as { error: { message: string } }).error.message, /getAppInfo takes no arguments/);

    const notArray = await postJson('/api/call/openProject', JSON.stringify({ id: 'x' }));
    assert.equal(notArray.status, 400);
    const badJson = await postJson('/api/call/openProject', '[oops');
    assert.equal(badJson.status, 400);
    assert.equal(((await badJson.json()) as { error: { code: string } }).error.code, 'invalid-json');
  });

  test('unknown methods are 404, including prototype names', async () => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString']) {
      const res = await postJson(`/api/call/${name}`, '[]');
      assert.equal(res.status, 404, name);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'unknown-method');
    }
  });

  test('calls must be JSON POSTs', async () => {
    const text = await fetch(url('/api/call/getAppInfo'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '[]' });
    assert.equal(text.status, 415);
    const get = await fetch(url('/api/call/getAppInfo'));
    assert.equal(get.status, 405);
  });

  test('service errors keep their code; unexpected ones are 500 without a stack', async () => {
    const notFound = await postJson('/api/call/openProject', JSON.stringify(['p1']));
    assert.equal(notFound.status, 404);
    assert.deepEqual(await notFound.json(), { error: { code: 'not-found', message: 'No project with id p1' } });
    const broken = await postJson('/api/call/listExports', '[]');
    assert.equal(broken.status, 500);
    const body = (await broken.json()) as { error: { message: string; code: string } };
    assert.deepEqual(body, { error: { code: 'internal', message: 'disk on fire' } });
  });

  test('Host header guard refuses other names (DNS rebinding) and accepts localhost', async () => {
    const evil = await rawRequest('/api/call/getAppInfo', { Host: 'evil.example:80' });
    assert.equal(evil.status, 403);
    assert.equal((JSON.parse(evil.body) as { error: { code: string } }).error.code, 'forbidden');
    const otherPort = await rawRequest('/', { Host: `127.0.0.1:${host.port + 1}` });
    assert.equal(otherPort.status, 403);
    const media = await rawRequest('/media/clip%201/preview', { Host: 'attacker.test' });
    assert.equal(media.status, 403);
    const ok = await rawRequest('/', { Host: `localhost:${host.port}` });
    assert.equal(ok.status, 200);
  });

  test('cross-site browser requests to the API are refused', async () => {
    const fromSite = await postJson('/api/call/getAppInfo', '[]', { Origin: 'http://evil.example' });
    assert.equal(fromSite.status, 403);
    const fetchSite = await postJson('/api/call/getAppInfo', '[]', { 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(fetchSite.status, 403);
    const sameOrigin = await postJson('/api/call/getAppInfo', '[]', {
      Origin: host.url.replace(/\/$/, ''),
      'Sec-Fetch-Site': 'same-origin',
    });
    assert.equal(sameOrigin.status, 200);
  });

  test('/media answers Range with exact bytes', async () => {
    const partial = await fetch(url('/media/clip%201/preview'), { headers: { Range: 'bytes=0-99' } });
    assert.equal(partial.status, 206);
    assert.equal(partial.headers.get('content-range'), `bytes 0-99/${MEDIA_BYTES.length}`);
    assert.equal(partial.headers.get('accept-ranges'), 'bytes');
    assert.equal(partial.headers.get('content-type'), 'video/mp4');
    assert.deepEqual(Buffer.from(await partial.arrayBuffer()), MEDIA_BYTES.subarray(0, 100));

    const suffix = await fetch(url('/media/clip%201/preview'), { headers: { Range: 'bytes=-10' } });
    assert.deepEqual(Buffer.from(await suffix.arrayBuffer()), MEDIA_BYTES.subarray(-10));

    const full = await fetch(url('/media/clip%201/preview'));
    assert.equal(full.status, 200);
    assert.deepEqual(Buffer.from(await full.arrayBuffer()), MEDIA_BYTES);

    const tooFar = await fetch(url('/media/clip%201/preview'), { headers: { Range: 'bytes=999999-' } });
    assert.equal(tooFar.status, 416);
    assert.equal(tooFar.headers.get('content-range'), `bytes */${MEDIA_BYTES.length}`);
    await tooFar.arrayBuffer();

    assert.equal((await fetch(url('/media/clip%201/thumbnail'))).status, 404);
    assert.equal((await fetch(url('/media/unknown/preview'))).status, 404);
    assert.equal((await fetch(url('/media/clip%201/secrets'))).status, 404);
  });

  test('SSE delivers host events to connected clients', async () => {
    const controller = new AbortController();
    const res = await fetch(url('/api/events'), { signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Wait until the server has subscribed (first bytes written), then emit.
    text += decoder.decode((await reader.read()).value);
    const event: HostEvent = { type: 'exports-changed' };
    hub.emit(event);
    while (!text.includes('data: ')) text += decoder.decode((await reader.read()).value);
    while (!text.slice(text.indexOf('data: ')).includes('\n\n')) text += decoder.decode((await reader.read()).value);
    const line = text.split('\n').find((l) => l.startsWith('data: '))!;
    assert.deepEqual(JSON.parse(line.slice(6)), event);
    controller.abort();
    await reader.cancel().catch(() => {});
    // The server unsubscribes when the client goes away.
    for (let i = 0; i < 50 && hub.listenerCount() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(hub.listenerCount(), 0);
  });

  test('uploads stream the body to importUpload under its file name; bad names are refused', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    const res = await fetch(url('/api/upload?name=' + encodeURIComponent('Plage été.mp4')), {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: bytes,
    });
    assert.equal(res.status, 200);
    const { result } = (await res.json()) as { result: MediaItem[] };
    assert.equal(result[0].id, 'up-1');
    assert.equal(uploads[0].name, 'Plage été.mp4');
    assert.deepEqual(uploads[0].bytes, bytes);

    // A relink upload is only saved (no import, so no second library item).
    const relink = await fetch(url('/api/upload?for=relink&name=' + encodeURIComponent('moved.mp4')), { method: 'POST', body: bytes });
    assert.equal(relink.status, 200);
    assert.deepEqual(((await relink.json()) as { result: { path: string } }).result, { path: join(dir, 'saved', 'moved.mp4') });
    assert.equal(uploads.length, 1);
    assert.deepEqual(saved.map((s) => s.name), ['moved.mp4']);

    for (const name of ['../../etc/passwd', 'a/b.mp4', '']) {
      const bad = await fetch(url('/api/upload?name=' + encodeURIComponent(name)), { method: 'POST', body: 'x' });
      assert.equal(bad.status, 400, name);
      assert.equal(((await bad.json()) as { error: { field: string } }).error.field, 'name');
    }
  });

  test('the renderer: index with a strict CSP, assets with MIME types, SPA fallback, no traversal', async () => {
    const index = await fetch(url('/'));
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    const csp = index.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /object-src 'none'/);
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await index.text(), /Hospup test/);

    const asset = await fetch(url('/assets/app-1234.js'));
    assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    await asset.text();

    const deepLink = await fetch(url('/projects/abc'));
    assert.equal(deepLink.status, 200);
    assert.match(await deepLink.text(), /Hospup test/);

    assert.equal((await fetch(url('/assets/missing.js'))).status, 404);
    const traversal = await rawRequest('/..%2f..%2fetc%2fpasswd', { Host: `127.0.0.1:${host.port}` });
    assert.notEqual(traversal.status, 200);
    const traversal2 = await rawRequest('/../../../../etc/passwd.txt', { Host: `127.0.0.1:${host.port}` });
    assert.equal(traversal2.status, 404);
  });
});

describe('web HostApi client against the web host', () => {
  test('calls, HostError with code and field, uploads, relink', async () => {
    const api = createWebHostApi(host.url, { token: host.token });
    assert.deepEqual(await api.getAppInfo(), { mode: 'web', version: 'test' });
    // Trailing undefined optional argument is dropped, not sent as null.
    await api.createProject('No aspect', undefined);
    assert.deepEqual(calls.at(-1), { method: 'createProject', args: ['No aspect'] });
    assert.equal(await api.clearAwsKeys(), null);

    await assert.rejects(
      api.createProject('x', '2:1' as '1:1'),
      (err: unknown) => err instanceof HostError && err.code === 'invalid-argument' && err.field === 'aspect',
    );
    await assert.rejects(api.openProject('zz'), (err: unknown) => err instanceof HostError && err.code === 'not-found');

    const file = new File([Buffer.from('hello video')], 'hello.mp4', { type: 'video/mp4' });
    const items = await api.importFiles([file, new File([Buffer.from('two')], 'two.mov')]);
    assert.equal(items.imported.length, 2);
    assert.equal(uploads.at(-2)!.name, 'hello.mp4');
    assert.equal(uploads.at(-2)!.bytes.toString(), 'hello video');

    const uploadsBefore = uploads.length;
    const relinked = await api.relinkMedia('m-old', new File([Buffer.from('again')], 'again.mp4'));
    assert.equal(relinked.id, 'm-old');
    assert.equal(relinked.path, join(dir, 'saved', 'again.mp4'));
    assert.equal(uploads.length, uploadsBefore, 'a relink must not import the file as new media');
  });

  test('an unreachable server is a HostError with code network', async () => {
    const api = createWebHostApi('http://127.0.0.1:1');
    await assert.rejects(api.listProjects(), (err: unknown) => err instanceof HostError && err.code === 'network');
  });
});

describe('access key (per run, like Jupyter)', () => {
  const bare = (path: string, init: RequestInit = {}) => globalThis.fetch(url(path), { redirect: 'manual', ...init });

  test('the printed address carries the key; without it every route is refused in plain words', async () => {
    assert.equal(host.loginUrl, `${host.url}?token=${host.token}`);
    assert.match(host.token, /^[\w-]{43}$/);
    const call = await bare('/api/call/getAppInfo', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' });
    assert.equal(call.status, 401);
    const { error } = (await call.json()) as { error: { code: string; message: string; key: string } };
    assert.equal(error.code, 'access-token');
    assert.match(error.message, /open the address printed in its terminal again/);
    assert.equal(error.key, error.message, 'a translatable template');
    for (const path of ['/media/clip%201/preview', '/api/events', '/api/exports/x/download']) assert.equal((await bare(path)).status, 401, path);
    assert.equal((await bare('/api/upload?name=a.mp4', { method: 'POST', body: 'x' })).status, 401);
    const page = await bare('/');
    assert.equal(page.status, 401);
    const html = await page.text();
    assert.match(html, /lang="en">This address needs its access key/);
    assert.match(html, /lang="fr">Cette adresse a besoin de sa clé d’accès/);
    assert.doesNotMatch(html, /Hospup test/, 'no part of the app is served');
    assert.equal((await bare('/', { headers: { 'X-Hospup-Token': 'x'.repeat(43) } })).status, 401);
  });

  test('opening ?token= sets an HttpOnly SameSite=Strict cookie for this port and drops the key from the address', async () => {
    const wrong = await bare(`/projects/abc?token=${'y'.repeat(43)}`);
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /not \(or no longer\) valid/);
    const login = await bare(`/projects/abc?tab=2&token=${host.token}`);
    assert.equal(login.status, 303);
    assert.equal(login.headers.get('location'), '/projects/abc?tab=2');
    const cookie = login.headers.get('set-cookie')!;
    assert.equal(cookie, `hospup_token_${host.port}=${host.token}; HttpOnly; SameSite=Strict; Path=/`);
    const session = { cookie: cookie.split(';')[0] };
    assert.equal((await bare('/projects/abc', { headers: session })).status, 200);
    const call = await bare('/api/call/createProject', { method: 'POST', headers: { ...session, 'Content-Type': 'application/json' }, body: JSON.stringify(['Reel', '9:16']) });
    assert.equal(call.status, 200);
    // Cookies ignore ports: another run's (another port's) cookie is not this one's.
    assert.equal((await bare('/', { headers: { cookie: `hospup_token_${host.port + 1}=${host.token}` } })).status, 401);
  });

  test('the web client without the key gets the access-token error, with its template to translate', async () => {
    const api = createWebHostApi(host.url);
    await assert.rejects(api.getAppInfo(), (err: unknown) => err instanceof HostError && err.code === 'access-token' && err.key !== undefined);
  });

  test('a token given to the host must be strong', async () => {
    await assert.rejects(startWebHost({ port: 0, staticDir: join(dir, 'static'), createRuntime: fakeRuntime, token: 'short' }), /must be 32 to 128 letters/);
  });
});

describe('close', () => {
  test('close() ends open event streams and closes the services', async () => {
    const extra = await startWebHost({ port: 0, staticDir: join(dir, 'static'), createRuntime: fakeRuntime });
    const res = await globalThis.fetch(new URL('/api/events', extra.url), { headers: { 'X-Hospup-Token': extra.token } });
    const reader = res.body!.getReader();
    await reader.read();
    closed = false;
    await extra.close();
    assert.equal(closed, true);
    // The stream ends instead of hanging.
    let done = false;
    for (let i = 0; i < 5 && !done; i++) done = (await reader.read().catch(() => ({ done: true }))).done;
    assert.equal(done, true);
  });
});
