// A stand-in for the electron module (the binary cannot run in CI): records what the bundled
// main process registers (protocols, IPC handlers, windows) so web-host-electron-shell.test.ts can drive it.
const { EventEmitter } = require('node:events');
const state = (globalThis.__fakeElectron = {
  schemes: null, protocolHandlers: {}, ipcHandlers: {}, windows: [], sent: [], appEvents: new EventEmitter(),
  paths: {}, permissionRequest: null, permissionCheck: null, shown: [], opened: [], readyResolve: null,
  appPath: process.env.FAKE_ELECTRON_APP_PATH, backend: 'gnome_libsecret', quitCalls: 0,
});
const readyPromise = new Promise((r) => (state.readyResolve = r));
const app = {
  isPackaged: false,
  setName() {}, getVersion: () => '9.9.9', getSystemLocale: () => 'fr-FR', getLocale: () => 'fr',
  getAppPath: () => state.appPath,
  getPath: (name) => state.paths[name] ?? `/tmp/fake-electron/paths/${name}`,
  setPath: (name, value) => { state.paths[name] = value; },
  requestSingleInstanceLock: () => true,
  on: (name, fn) => { state.appEvents.on(name, fn); return app; },
  whenReady: () => readyPromise,
  isReady: () => true,
  quit: () => { state.quitCalls++; }, exit: () => {},
};
class WebContents extends EventEmitter {
  constructor() { super(); this.url = ''; this.windowOpenHandler = null; }
  getURL() { return this.url; } isDestroyed() { return false; }
  send(channel, payload) { state.sent.push({ channel, payload }); }
  setWindowOpenHandler(fn) { this.windowOpenHandler = fn; }
}
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super(); this.options = options; this.webContents = new WebContents(); state.windows.push(this);
    state.appEvents.emit('web-contents-created', {}, this.webContents);
  }
  static getAllWindows() { return state.windows; }
  loadURL(url) { this.webContents.url = url; return Promise.resolve(); }
  isDestroyed() { return false; } isMinimized() { return false; } restore() {} focus() {} show() {}
}
module.exports = {
  app, BrowserWindow,
  protocol: {
    registerSchemesAsPrivileged(list) { if (state.schemes) throw new Error('registered twice'); state.schemes = list; },
    handle(scheme, fn) { state.protocolHandlers[scheme] = fn; },
  },
  session: { defaultSession: {
    setPermissionRequestHandler(fn) { state.permissionRequest = fn; },
    setPermissionCheckHandler(fn) { state.permissionCheck = fn; },
    setDevicePermissionHandler() {},
  } },
  ipcMain: { handle(channel, fn) { state.ipcHandlers[channel] = fn; }, removeHandler(channel) { delete state.ipcHandlers[channel]; } },
  shell: { showItemInFolder(p) { state.shown.push(p); }, openExternal(url) { state.opened.push(url); return Promise.resolve(); } },
  Menu: { setApplicationMenu() {} },
  safeStorage: {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => state.backend,
    encryptString: (s) => Buffer.from('enc:' + s), decryptString: (b) => b.toString().slice(4),
  },
};
