/**
 * Preload (sandboxed, bundled to CommonJS): exposes `window.hospup`, a HostBridge, to the
 * renderer. Nothing of Node or ipcRenderer leaks: every method answers with an outcome
 * envelope, and the main process validates arguments and checks the sender again.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { HostEvent, ImportRefusal, ImportResult } from '../shared/api';
import {
  HOST_BRIDGE_KEY,
  IPC_EVENT_CHANNEL,
  ipcChannelFor,
  type BridgeOutcome,
  type HostBridge,
} from '../shared/host-bridge';

const METHOD_NAME = /^[a-zA-Z]{1,64}$/;

async function invoke(method: string, args: unknown[]): Promise<BridgeOutcome> {
  if (typeof method !== 'string' || !METHOD_NAME.test(method)) {
    return { ok: false, error: { code: 'unknown-method', message: `Unknown method "${String(method)}"` } };
  }
  try {
    return (await ipcRenderer.invoke(ipcChannelFor(method), ...args)) as BridgeOutcome;
  } catch (err) {
    // Only when no handler exists or the arguments could not be cloned.
    const message = (err as Error)?.message ?? String(err);
    const code = /No handler registered/.test(message) ? 'unknown-method' : 'internal';
    return { ok: false, error: { code, message: code === 'unknown-method' ? `Unknown method "${method}"` : message } };
  }
}

/** A dropped or chosen File's path on disk; '' for files that are not on disk. */
function pathOf(file: File): string {
  try {
    return webUtils.getPathForFile(file);
  } catch {
    return '';
  }
}

function notOnDisk(file: File): BridgeOutcome {
  return { ok: false, error: { code: 'invalid-input', message: `"${file?.name ?? '?'}" is not a file on this computer`, field: 'files' } };
}

const listeners = new Set<(event: HostEvent) => void>();
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, hostEvent: HostEvent) => {
  for (const listener of [...listeners]) {
    try {
      listener(hostEvent);
    } catch (err) {
      console.error('host event listener failed', err);
    }
  }
});

const bridge: HostBridge = {
  call: (method, args) => invoke(method, Array.isArray(args) ? args : []),
  async importFiles(files) {
    // Files that are not on this computer are listed as refused; the others are still imported.
    const list = Array.from(files ?? []);
    const paths: string[] = [];
    const refused: ImportRefusal[] = [];
    for (const file of list) {
      const path = pathOf(file);
      if (path) paths.push(path);
      else refused.push({ name: file?.name ?? '?', code: 'invalid-input', message: `"${file?.name ?? '?'}" is not a file on this computer` });
    }
    if (paths.length === 0) return { ok: true, result: { imported: [], refused } };
    const outcome = await invoke('importPaths', [paths]);
    if (!outcome.ok) return outcome;
    const result = outcome.result as ImportResult;
    return { ok: true, result: { imported: result.imported, refused: [...refused, ...result.refused] } };
  },
  async stageFile(file) {
    const path = pathOf(file);
    return path ? { ok: true, result: path } : notOnDisk(file);
  },
  async relinkMedia(mediaId, file) {
    const path = pathOf(file);
    if (!path) return notOnDisk(file);
    return invoke('relinkMediaPath', [mediaId, path]);
  },
  onEvent(listener) {
    if (typeof listener !== 'function') return () => {};
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
};

contextBridge.exposeInMainWorld(HOST_BRIDGE_KEY, bridge);
