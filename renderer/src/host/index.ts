/**
 * The one HostApi object the UI talks to: the Electron preload bridge when the app runs in
 * Electron, the HTTP client in web mode. Import `host` from here and nothing else.
 */
import type { HostApi } from '../../../shared/api';
import type { HostBridge } from '../../../shared/host-bridge';
import { createElectronHostApi } from './electron-client';
import { createWebHostApi } from './web-client';

declare global {
  interface Window {
    /** Set by Electron's preload script (electron/preload.ts); absent in web mode. */
    hospup?: HostBridge;
  }
}

export const host: HostApi = window.hospup ? createElectronHostApi(window.hospup) : createWebHostApi();

export { HostError, isHostError } from './errors';
export { createWebHostApi } from './web-client';
export { createElectronHostApi } from './electron-client';
