// Web mode end to end on the real host services: startWebHost with a temp data dir, the HTTP
// API, SSE, uploads through the renderer's web client, ranged media, and the Host guard.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppInfo, HostEvent, MediaItem } from '../../shared/api';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { createWebHostApi } from '../../renderer/src/host/web-client';
import { HostError } from '../../renderer/src/host/errors';
import { makeTestClip } from '../fixtures/media';

const CLIPS = join(import.meta.dirname, '..', '..', '.cache', 'test-media');
let dir: string;
let host: WebHost;
/** fetch with this run's access key, as the browser sends it (cookie) or a script (header). */
const fetch = (input: string | URL, init: RequestInit = {}) =>
  globalThis.fetch(input, { ...init, headers: { 'X-Hospup-Token': host.token, ...(init.headers as Record<string, string>) } });
let clip: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-web-'));
  [clip, host] = await Promise.all([
    makeTestClip(CLIPS, { name: 'web-host', width: 160, height: 90, fps: 10, durationSec: 1, color: 'green' }),
    startWebHost({ port: 0, dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), staticDir: join(dir, 'no-renderer') }),
  ]);
});
after(async () => {
  await host?.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (method: string, args: unknown[]) =>
  fetch(new URL(`/api/call/${method}`, host.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });

/** Reads `data:` events from the SSE stream until `match` accepts one. */
async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>, match: (e: HostEvent) => boolean): Promise<HostEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('event stream ended');
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (!data) continue;
      const event = JSON.parse(data.slice(6)) as HostEvent;
      if (match(event)) return event;
    }
  }
}

describe('web host on the real services', () => {
  test('getAppInfo reports web mode, the data and export folders', async () => {
    const res = await call('getAppInfo', []);
    assert.equal(res.status, 200);
    const { result } = (await res.json()) as { result: AppInfo };
    assert.equal(result.mode, 'web');
    assert.equal(result.dataDir, join(dir, 'data'));
    assert.equal(result.exportDir, join(dir, 'exports'));
    assert.equal(result.secureKeyStorage, false);
  });

  test('importPaths, an SSE media-updated event, then /media/<id>/preview with Range: exact bytes', async () => {
    const events = await fetch(new URL('/api/events', host.url));
    const reader = events.body!.getReader();
    try {
      const res = await call('importPaths', [[clip]]);
      assert.equal(res.status, 200);
      const [item] = ((await res.json()) as { result: { imported: MediaItem[] } }).result.imported;
      assert.equal(item.path, clip);
      assert.equal(item.previewUrl, `/media/${encodeURIComponent(item.id)}/preview`);

      const updated = await nextEvent(reader, (e) => e.type === 'media-updated' && e.media.id === item.id);
      assert.equal(updated.type, 'media-updated');

      const original = await readFile(clip);
      const ranged = await fetch(new URL(item.previewUrl!, host.url), { headers: { Range: 'bytes=0-99' } });
      assert.equal(ranged.status, 206);
      assert.equal(ranged.headers.get('content-range'), `bytes 0-99/${original.length}`);
      assert.equal(ranged.headers.get('content-type'), 'video/mp4');
      assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), original.subarray(0, 100));

      const tail = await fetch(new URL(item.previewUrl!, host.url), { headers: { Range: `bytes=${original.length - 10}-` } });
      assert.deepEqual(Buffer.from(await tail.arrayBuffer()), original.subarray(-10));
    } finally {
      await reader.cancel();
    }
  });

  test('bad arguments: 400 naming the argument', async () => {
    const res = await call('importPaths', ['not-a-list']);
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: { message: string; code: string; field?: string } };
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.field, 'paths');
    assert.match(error.message, /"paths".*importPaths: must be a list/);

    const unknown = await call('rm -rf', []);
    assert.equal(unknown.status, 404);
  });

  test('the renderer web client: upload a File, play it back by range, typed errors', async () => {
    const api = createWebHostApi(host.url, { token: host.token });
    const bytes = await readFile(clip);
    const {
      imported: [item],
    } = await api.importFiles([new File([bytes], 'Lobby tour.mp4', { type: 'video/mp4' })]);
    assert.equal(item.name, 'Lobby tour.mp4');
    assert.notEqual(item.path, clip, 'the upload is stored in the media cache');
    const res = await fetch(new URL(`/media/${encodeURIComponent(item.id)}/original`, host.url), { headers: { Range: 'bytes=100-199' } });
    assert.equal(res.status, 206);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes.subarray(100, 200));

    // A missing file is listed as refused, with its name and reason, next to the good one.
    const batch = await api.importPaths([join(dir, 'missing.mp4'), clip]);
    assert.equal(batch.imported.length, 1);
    assert.deepEqual(batch.refused.map((r) => [r.name, r.code]), [['missing.mp4', 'not-found']]);
    assert.match(batch.refused[0].message, /missing\.mp4/);
    await assert.rejects(api.openProject('zz'), (err: unknown) => err instanceof HostError && err.code === 'not-found');
  });

  test('/media serves a file only while it is the one imported: a swap for a symlink or for other bytes is refused', async () => {
    const secret = join(dir, 'secret.txt');
    await writeFile(secret, 'the hotel safe code');
    const victim = join(dir, 'swap-me.mp4');
    await copyFile(clip, victim);
    const chosenLink = join(dir, 'chosen-link.mp4');
    await symlink(victim, chosenLink);
    const api = createWebHostApi(host.url, { token: host.token });
    const { imported: [item, linked] } = await api.importPaths([victim, chosenLink]);
    const media = (id: string) => fetch(new URL(`/media/${encodeURIComponent(id)}/original`, host.url));
    assert.equal((await media(item.id)).status, 200);
    // A symlink the person chose is resolved once, at import: its target is served.
    assert.deepEqual(Buffer.from(await (await media(linked.id)).arrayBuffer()), await readFile(clip));

    // Swapped for a link to another file after the import: refused, and the secret never sent.
    await rm(victim);
    await symlink(secret, victim);
    const swapped = await media(item.id);
    assert.equal(swapped.status, 404);
    const { error } = (await swapped.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'missing-file');
    assert.match(error.message, /changed since it was imported/);
    assert.equal((await media(linked.id)).status, 404, 'the chosen link led to the swapped file too');

    // The same name with other bytes (same size even): another inode, refused.
    await rm(victim);
    const other = await readFile(clip);
    other[other.length - 1] ^= 0xff;
    await writeFile(victim, other);
    assert.equal((await media(item.id)).status, 404);
  });

  test('uploads: too large is refused by name before any byte is kept; refused and aborted uploads leave nothing on disk', async () => {
    const uploads = join(dir, 'data', 'media-cache', 'uploads');
    const leftovers = async () => (await readdir(uploads, { recursive: true }).catch(() => [] as string[])).filter((n) => !isImported(n));
    const before = await readdir(uploads).catch(() => [] as string[]);
    const isImported = (n: string) => before.some((b) => n.startsWith(b));
    // A small limit for this host only.
    const small = await startWebHost({ port: 0, dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), staticDir: join(dir, 'no-renderer'), maxUploadBytes: 1_000_000 });
    try {
      const post = (body: Buffer | ReadableStream, headers: Record<string, string> = {}) =>
        globalThis.fetch(new URL('/api/upload?name=Suite%20vue%20mer.mp4', small.url), { method: 'POST', headers: { 'X-Hospup-Token': small.token, ...headers }, body, duplex: 'half' } as RequestInit);
      const declared = await post(Buffer.alloc(2_000_000));
      assert.equal(declared.status, 413);
      const { error } = (await declared.json()) as { error: { code: string; message: string; key: string; field: string } };
      assert.deepEqual([error.code, error.field], ['payload-too-large', 'file']);
      assert.equal(error.message, 'Suite vue mer.mp4 is too large to import: a file can have at most 1 MB.');
      assert.equal(error.key, '{{name}} is too large to import: a file can have at most {{max}}.');
      // No declared size (streamed): cut as soon as it passes the limit.
      const streamed = new ReadableStream({ start(c) { for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(100_000)); c.close(); } });
      assert.equal((await post(streamed)).status, 413);
      assert.deepEqual(await leftovers(), []);

      // The client goes away halfway: the partial file is removed.
      await new Promise<void>((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port: small.port, method: 'POST', path: '/api/upload?name=half.mp4', headers: { 'X-Hospup-Token': small.token, 'Content-Length': '900000', Host: `127.0.0.1:${small.port}` } });
        req.on('error', () => resolve());
        req.write(Buffer.alloc(400_000), () => setTimeout(() => { req.destroy(); resolve(); }, 200));
      });
      for (let i = 0; i < 50 && (await leftovers()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(await leftovers(), []);
    } finally {
      await small.close();
    }
  });

  test('user mistakes answer 4xx with a code and a translatable message, never 500', async () => {
    const upload = await fetch(new URL('/api/upload?name=notes.mp4', host.url), { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: 'not a video' });
    assert.equal(upload.status, 422);
    const { error } = (await upload.json()) as { error: { code: string; message: string; key?: string; params?: Record<string, string> } };
    assert.equal(error.code, 'not-media');
    assert.equal(error.key, 'Not a photo or video file we can read: {{name}}');
    assert.deepEqual(error.params, { name: 'notes.mp4' });
    // A refused upload keeps no copy in the media cache.
    const kept = await readdir(join(dir, 'data', 'media-cache', 'uploads'), { recursive: true });
    assert.ok(!kept.some((n) => n.endsWith('notes.mp4')), kept.join(', '));
    const missing = await call('openProject', ['no-such-project']);
    assert.equal(missing.status, 404);
    const created = ((await (await call('createProject', ['T'])).json()) as { result: { project: unknown } }).result;
    const template = await call('applyTemplate', ['nope', created.project, ['x']]);
    assert.equal(template.status, 404);
    assert.equal(((await template.json()) as { error: { code: string } }).error.code, 'not-found');
  });

  test('projects: rename, duplicate, delete; media shared by every project; a finished export downloads', async () => {
    const created = ((await (await call('createProject', ['Spa'])).json()) as { result: { project: { id: string } & Record<string, unknown> } }).result;
    const imported = ((await (await call('importPaths', [[clip]])).json()) as { result: { imported: MediaItem[] } }).result.imported;
    const renamed = ((await (await call('renameProject', [created.project.id, 'Spa & wellness'])).json()) as { result: { name: string } }).result;
    assert.equal(renamed.name, 'Spa & wellness');
    const copy = ((await (await call('duplicateProject', [created.project.id])).json()) as { result: { id: string; name: string } }).result;
    assert.equal(copy.name, 'Spa & wellness (copy)');
    assert.notEqual(copy.id, created.project.id);
    // Another project sees the clip imported in the first.
    const library = ((await (await call('listLibrary', [])).json()) as { result: MediaItem[] }).result;
    assert.ok(library.some((m) => m.id === imported[0].id));
    assert.equal((await call('deleteProject', [copy.id])).status, 200);
    const list = ((await (await call('listProjects', [])).json()) as { result: { id: string }[] }).result;
    assert.ok(!list.some((p) => p.id === copy.id));

    // Export it, then download the file over HTTP: the same bytes, as an attachment.
    const draft = { ...created.project, name: 'Spa & wellness', media: imported, segments: [{ id: 's1', media_id: imported[0].id, start_time: 0, end_time: 1 }] };
    const events = await fetch(new URL('/api/events', host.url));
    const reader = events.body!.getReader();
    try {
      const started = ((await (await call('startExport', [draft])).json()) as { result: { exportId: string } }).result;
      const done = await nextEvent(reader, (e) => e.type === 'export-progress' && e.progress.exportId === started.exportId && ['done', 'failed'].includes(e.progress.phase));
      assert.equal(done.type === 'export-progress' && done.progress.phase, 'done', JSON.stringify(done));
      const progress = (done as Extract<HostEvent, { type: 'export-progress' }>).progress;
      assert.equal(progress.downloadUrl, `/api/exports/${started.exportId}/download`);
      const res = await fetch(new URL(progress.downloadUrl!, host.url));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="Spa & wellness .*\.mp4"; filename\*=UTF-8''Spa%20%26%20wellness/);
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), await readFile(progress.outputPath!));
      assert.equal((await fetch(new URL('/api/exports/nope/download', host.url))).status, 404);
    } finally {
      await reader.cancel();
    }
  });

  test('requests with a foreign Host header are refused', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: host.port, path: '/api/call/getAppInfo', method: 'POST', headers: { Host: 'rebind.attacker.test', 'Content-Type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('[]');
    });
    assert.equal(status, 403);
  });

  test('without a built renderer, / explains how to build it', async () => {
    const res = await fetch(host.url);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build:renderer/);
  });
});
