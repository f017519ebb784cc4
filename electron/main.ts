/**
 * The desktop app's main process: one window showing the renderer from app://hospup, the host
 * services behind IPC, and the embedded local cloud as the default export target (started by
 * the services; nothing to configure on first run).
 *
 * Hardening: contextIsolation + sandbox, no Node in the renderer, a strict CSP (set by the
 * app:// protocol), navigation and new windows refused (https links open in the browser),
 * every permission denied except fullscreen and writing to the clipboard.
 *
 * HOSPUP_DATA_DIR (drafts, media cache, local cloud; also Chromium's profile) defaults to the OS
 * app-data folder; HOSPUP_EXPORT_DIR defaults to the OS Videos folder.
 */
import { join, sep } from 'node:path';
import { app, BrowserWindow, dialog, Menu, session, shell, type WebContents } from 'electron';
import { ffmpegPath, ffprobePath } from '../node/media/ffmpeg-paths';
import { createHostServices } from './services/host-services';
import type { HostRuntime } from './services/host-call';
import { mediaUrlPath } from './services/host-call';
import { APP_FOLDER_NAME } from './services/paths';
import { registerIpcHandlers } from './ipc';
import { APP_INDEX_URL, isAppUrl, registerPrivilegedSchemes, registerProtocolHandlers } from './protocol';
import { createSafeStorageSecretStore } from './safe-storage';
import { allowedExternalUrl } from './services/external-links';

const ALLOWED_PERMISSIONS = new Set(['fullscreen', 'clipboard-sanitized-write']);

// Before `ready`: privileged schemes, and the data folder (Chromium's profile lives there too).
registerPrivilegedSchemes();
app.setName(APP_FOLDER_NAME);
const dataDir = process.env.HOSPUP_DATA_DIR || join(app.getPath('appData'), APP_FOLDER_NAME);
app.setPath('userData', dataDir);

let mainWindow: BrowserWindow | null = null;
let runtime: HostRuntime | null = null;

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data folder: it gets focused (second-instance) and we leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.whenReady().then(start).catch((err) => {
    console.error('Hospup Studio could not start:', err);
    app.exit(1);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && runtime && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting || !runtime) return;
    // Let the services stop the local cloud and flush drafts before the process ends.
    event.preventDefault();
    quitting = true;
    const giveUp = new Promise((resolve) => setTimeout(resolve, 5000));
    Promise.race([runtime.close(), giveUp])
      .catch((err) => console.error('while closing the services:', err))
      .finally(() => app.quit());
  });
}

async function start(): Promise<void> {
  useUnpackedBinaries();

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission));
  ses.setDevicePermissionHandler(() => false);

  runtime = createHostServices({
    dataDir,
    exportDir: process.env.HOSPUP_EXPORT_DIR || app.getPath('videos'),
    mode: 'electron',
    version: app.getVersion(),
    systemLocale: app.getSystemLocale() || app.getLocale(),
    // Same-origin URLs, as in web mode: app://hospup/media/<id>/<kind>.
    urls: { media: mediaUrlPath },
    revealInFolder: async (path: string) => shell.showItemInFolder(path),
    secretStore: createSafeStorageSecretStore(),
    // The first export finds the local cloud ready (host-services.ts).
    prestartLocalCloudAfterMs: 2000,
  }) as HostRuntime;

  registerProtocolHandlers({ rendererDir: join(app.getAppPath(), 'dist', 'renderer'), runtime });
  registerIpcHandlers(runtime);
  if (process.platform !== 'darwin') Menu.setApplicationMenu(null);
  createWindow();
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Hospup Studio',
    backgroundColor: '#16171a',
    show: false,
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click opens links through another path than window.open (Electronegativity AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  // The editor refuses to unload while changes are not on disk (a failed save): Electron shows no
  // prompt of its own, so ask here. Leaving keeps them in the window's recovery journal.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['Keep editing', 'Close anyway'],
      defaultId: 0,
      cancelId: 0,
      message: 'Your last changes are not saved.',
      detail: 'If you close now, they stay in the recovery journal and come back when you open the project again.',
    });
    if (choice === 1) event.preventDefault(); // preventDefault here lets the window close
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_INDEX_URL);
}

/** Every web contents (windows, and anything they might try to open) gets the same rules. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Help links on the allow-list open in the user's browser; nothing opens inside the app.
    const external = allowedExternalUrl(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
}

/**
 * In a packaged app the ffmpeg/ffprobe binaries are unpacked next to app.asar (asarUnpack in
 * electron-builder.yml); the installer packages report the path inside the archive, which
 * cannot be executed.
 */
function useUnpackedBinaries(): void {
  if (!app.isPackaged) return;
  const unpacked = (path: string) => path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
  process.env.HOSPUP_FFMPEG ||= unpacked(ffmpegPath());
  process.env.HOSPUP_FFPROBE ||= unpacked(ffprobePath());
}
