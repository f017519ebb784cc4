/**
 * IPC handlers: one `hospup:<method>` channel per HostApi method. Each handler checks that the
 * sender is the top frame of our own renderer (app://hospup), validates the arguments with the
 * contract's zod tuple (services/host-call), and answers an outcome envelope with a plain error
 * (contextBridge would drop an Error's code and field). Host events go to our windows.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { HOST_METHODS } from '../shared/api';
import { IPC_EVENT_CHANNEL, ipcChannelFor, type BridgeOutcome } from '../shared/host-bridge';
import { callHostMethod, toPlainError, type HostRuntime } from './services/host-call';
import { isAppUrl } from './protocol';

function isTrustedFrame(frame: WebFrameMain | null): boolean {
  // A detached frame, an iframe, or any page not served by app://hospup is refused.
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

export function registerIpcHandlers(runtime: HostRuntime): () => void {
  const channels: string[] = [];
  for (const method of HOST_METHODS) {
    const channel = ipcChannelFor(method);
    channels.push(channel);
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<BridgeOutcome> => {
      if (!isTrustedFrame(event.senderFrame)) {
        return { ok: false, error: { code: 'forbidden', message: 'This page may not call Hospup Studio' } };
      }
      try {
        return { ok: true, result: await callHostMethod(runtime, method, args) };
      } catch (err) {
        const error = toPlainError(err);
        if (error.code === 'internal') console.error(`ipc ${method}:`, err);
        return { ok: false, error };
      }
    });
  }

  const unsubscribe = runtime.events.subscribe((event) => {
    for (const win of BrowserWindow.getAllWindows()) {
      const contents = win.webContents;
      if (!win.isDestroyed() && !contents.isDestroyed() && isAppUrl(contents.getURL())) {
        contents.send(IPC_EVENT_CHANNEL, event);
      }
    }
  });

  return () => {
    unsubscribe();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
