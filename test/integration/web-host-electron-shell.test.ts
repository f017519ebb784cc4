// The bundled Electron main process (dist-electron/main.cjs as built by scripts/build-electron),
// loaded under plain Node with a stand-in `electron` module (the Electron binary cannot run
// here). Checks what the shell wires: privileged schemes, the hardened window, the app://
// protocol (renderer + CSP, media with Range), IPC validation and sender checks, permission
// and navigation refusals, and the preload bundle's shape.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildElectron } from '../../scripts/build-electron';
import { makeTestClip } from '../fixtures/media';

type Handler = (...args: unknown[]) => unknown;
interface FakeElectronState {
  schemes: { scheme: string; privileges: Record<string, boolean> }[] | null;
  protocolHandlers: Record<string, (req: Request) => Promise<Response> | Response>;
  ipcHandlers: Record<string, Handler>;
  windows: { options: { webPreferences: Record<string, unknown> }; webContents: FakeContents }[];
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null;
  permissionCheck: ((wc: unknown, permission: string) => boolean) | null;
  readyResolve: () => void;
  opened: string[];
}
interface FakeContents {
  url: string;
  emit(name: string, ...args: unknown[]): boolean;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null;
}

const FAKE = join(import.meta.dirname, 'web-host-electron-fake.cjs');
let dir: string;
let fake: FakeElectronState;
const CLIPS = join(import.meta.dirname, '..', '..', '.cache', 'test-media');
let originalResolve: Handler;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-shell-'));
  const out = join(dir, 'app', 'dist-electron');
  await buildElectron({ outDir: out });
  // Like a packaged app: node_modules beside dist-electron (ffmpeg/ffprobe installers are external).
  await symlink(join(import.meta.dirname, '..', '..', 'node_modules'), join(dir, 'app', 'node_modules'), 'dir');
  await mkdir(join(dir, 'app', 'dist', 'renderer', 'assets'), { recursive: true });
  await writeFile(join(dir, 'app', 'dist', 'renderer', 'index.html'), '<!doctype html><title>shell</title>');
  await writeFile(join(dir, 'app', 'dist', 'renderer', 'assets', 'a.js'), 'export {}');

  process.env.FAKE_ELECTRON_APP_PATH = join(dir, 'app');
  process.env.HOSPUP_DATA_DIR = join(dir, 'data');
  process.env.HOSPUP_EXPORT_DIR = join(dir, 'exports');
  const mod = Module as unknown as { _resolveFilename: Handler };
  originalResolve = mod._resolveFilename;
  mod._resolveFilename = function (request: unknown, ...rest: unknown[]) {
    return request === 'electron' ? FAKE : originalResolve.call(this, request, ...rest);
  };
  createRequire(import.meta.url)(join(out, 'main.cjs'));
  fake = (globalThis as unknown as { __fakeElectron: FakeElectronState }).__fakeElectron;
  fake.readyResolve();
  for (let i = 0; i < 200 && fake.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
});

after(async () => {
  (Module as unknown as { _resolveFilename: Handler })._resolveFilename = originalResolve;
  await rm(dir, { recursive: true, force: true });
});

const appFetch = (url: string, headers: Record<string, string> = {}) =>
  Promise.resolve(fake.protocolHandlers.app(new Request(url, { headers })));

function ipc(channel: string, senderUrl: string | null, ...args: unknown[]) {
  const senderFrame = senderUrl === null ? null : { url: senderUrl, parent: null };
  return fake.ipcHandlers[channel]({ senderFrame }, ...args) as Promise<{ ok: boolean; result?: unknown; error?: { code: string; field?: string; message: string } }>;
}

describe('Electron shell (bundled main under a stand-in electron)', () => {
  test('one registerSchemesAsPrivileged call with app and hospup-media, streaming', () => {
    assert.ok(fake.schemes);
    assert.deepEqual(fake.schemes.map((s) => s.scheme).sort(), ['app', 'hospup-media']);
    for (const s of fake.schemes) {
      for (const key of ['standard', 'secure', 'supportFetchAPI', 'stream']) assert.equal(s.privileges[key], true, `${s.scheme}.${key}`);
    }
  });

  test('the window is isolated, sandboxed, without Node, with the bundled preload, on app://hospup', async () => {
    const [win] = fake.windows;
    const prefs = win.options.webPreferences;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.disableBlinkFeatures, 'Auxclick');
    assert.match(String(prefs.preload), /dist-electron[/\\]preload\.cjs$/);
    await readFile(String(prefs.preload)); // exists beside main.cjs
    assert.equal(win.webContents.url, 'app://hospup/index.html');
  });

  test('app:// serves the renderer with the strict CSP; unknown hosts and traversal are 404', async () => {
    const res = await appFetch('app://hospup/index.html');
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /object-src 'none'/);
    assert.match(await res.text(), /shell/);
    assert.match((await appFetch('app://hospup/assets/a.js')).headers.get('content-type') ?? '', /javascript/);
    assert.equal((await appFetch('app://evil/index.html')).status, 404);
    assert.equal((await appFetch('app://hospup/..%2f..%2fpackage.json')).status, 404);
  });

  test('IPC: validated calls from our page; other senders refused; errors keep code and field', async () => {
    const info = await ipc('hospup:getAppInfo', 'app://hospup/index.html');
    assert.equal(info.ok, true);
    const appInfo = info.result as { mode: string; version: string; dataDir: string; systemLocale: string };
    assert.equal(appInfo.mode, 'electron');
    assert.equal(appInfo.version, '9.9.9');
    assert.equal(appInfo.dataDir, join(dir, 'data'));

    for (const sender of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', null]) {
      const refused = await ipc('hospup:getAppInfo', sender);
      assert.deepEqual(refused.ok, false, String(sender));
      assert.equal(refused.error?.code, 'forbidden');
    }
    const iframe = await fake.ipcHandlers['hospup:getAppInfo']({ senderFrame: { url: 'app://hospup/x', parent: {} } });
    assert.equal((iframe as { ok: boolean }).ok, false);

    const bad = await ipc('hospup:createProject', 'app://hospup/index.html', 'Reel', '4:3');
    assert.equal(bad.ok, false);
    assert.equal(bad.error?.code, 'invalid-argument');
    assert.equal(bad.error?.field, 'aspect');

    const notFound = await ipc('hospup:openProject', 'app://hospup/index.html', 'does-not-exist');
    assert.equal(notFound.ok, false);
    assert.notEqual(notFound.error?.code, 'internal');
  });

  test('media on app://hospup/media and hospup-media:// answer Range with exact bytes', async () => {
    const clip = await makeTestClip(CLIPS, { name: 'shell-range', width: 160, height: 90, fps: 10, durationSec: 1, audio: false });
    const bytes = await readFile(clip);
    const imported = await ipc('hospup:importPaths', 'app://hospup/index.html', [clip]);
    assert.equal(imported.ok, true, JSON.stringify(imported.error));
    const [item] = (imported.result as { imported: { id: string }[] }).imported;
    const res = await appFetch(`app://hospup/media/${encodeURIComponent(item.id)}/original`, { Range: 'bytes=10-109' });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes 10-109/${bytes.length}`);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes.subarray(10, 110));

    const viaScheme = await fake.protocolHandlers['hospup-media'](
      new Request(`hospup-media://media/${encodeURIComponent(item.id)}/original`, { headers: { Range: 'bytes=-50' } }),
    );
    assert.equal(viaScheme.status, 206);
    assert.equal(viaScheme.headers.get('access-control-allow-origin'), 'app://hospup');
    assert.deepEqual(Buffer.from(await viaScheme.arrayBuffer()), bytes.subarray(-50));

    assert.equal((await appFetch('app://hospup/media/nope/preview')).status, 404);
    assert.equal((await fake.protocolHandlers['hospup-media'](new Request('hospup-media://media/nope/preview'))).status, 404);
  });

  test('permissions: only fullscreen and clipboard writes', async () => {
    const ask = (permission: string) => new Promise<boolean>((resolve) => fake.permissionRequest!({}, permission, resolve));
    assert.equal(await ask('media'), false);
    assert.equal(await ask('geolocation'), false);
    assert.equal(await ask('notifications'), false);
    assert.equal(await ask('fullscreen'), true);
    assert.equal(fake.permissionCheck!({}, 'media'), false);
  });

  test('navigation away and new windows are refused', () => {
    const contents = fake.windows[0].webContents;
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    assert.equal(prevented, true);
    prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'app://hospup/index.html');
    assert.equal(prevented, false);
    assert.deepEqual(contents.windowOpenHandler!({ url: 'https://example.com/' }), { action: 'deny' });
    assert.deepEqual(contents.windowOpenHandler!({ url: 'app://hospup/index.html' }), { action: 'deny' });
    // Only allow-listed https pages reach the system browser (openExternal runs any scheme's handler).
    for (const url of ['https://docs.aws.amazon.com/mediaconvert/latest/ug/what-is.html', 'file:///etc/passwd', 'smb://evil/share', 'https://evil.example/', 'https://docs.aws.amazon.com.evil.example/', 'https://user@aws.amazon.com/', 'javascript:alert(1)']) {
      contents.windowOpenHandler!({ url });
    }
    assert.deepEqual(fake.opened, ['https://docs.aws.amazon.com/mediaconvert/latest/ug/what-is.html']);
  });

  test('quitting closes the services first, then quits', async () => {
    const state = fake as unknown as { appEvents: { emit(name: string, ...a: unknown[]): boolean }; quitCalls: number };
    let prevented = false;
    state.appEvents.emit('will-quit', { preventDefault: () => (prevented = true) });
    assert.equal(prevented, true);
    for (let i = 0; i < 200 && state.quitCalls === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(state.quitCalls, 1);
  });

  test('the preload bundle is self-contained (a sandboxed preload can only require electron)', async () => {
    const preload = await readFile(join(dir, 'app', 'dist-electron', 'preload.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], ['electron']);
    assert.match(preload, /exposeInMainWorld/);
  });
});
