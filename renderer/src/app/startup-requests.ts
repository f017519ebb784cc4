/**
 * The host requests every start makes (app info, settings, the project open last time), sent
 * while the module is evaluated. main.tsx imports this module first, so the host answers while
 * the rest of the editor's code is evaluated and React draws its first frame: sent from the
 * session's first effect instead, a 1,000-segment project's open waited ~100 ms more (issue 13).
 */
import { host } from '../host';
import type { AppInfo, AppSettings, HostEvent, OpenedProject } from '../../../shared/api';

export const LAST_PROJECT_KEY = 'hospup.lastProjectId';

export interface StartupRequests {
  /** The project open last time (localStorage), if any. */
  lastProjectId: string | null;
  info: Promise<AppInfo>;
  settings: Promise<AppSettings>;
  /** That project opened, or null when there is none or it could not be opened. */
  reopening: Promise<OpenedProject | null>;
  /**
   * The host events received so far, and from now on none: call it once the session listens
   * (the host's news about media the project uses may come before the session starts).
   */
  takeEarlyEvents(): HostEvent[];
}

// Listening first, as the session did before these requests moved here.
const early: HostEvent[] = [];
const stopBuffering = host.onEvent((event) => early.push(event));
const lastProjectId = readLastProjectId();
const info = host.getAppInfo();
const settings = host.getSettings();
// Marked handled here: the session awaits them later, and a failure must not be reported before then.
info.catch(() => undefined);
settings.catch(() => undefined);

export const startupRequests: StartupRequests = {
  lastProjectId,
  info,
  settings,
  reopening: lastProjectId ? host.openProject(lastProjectId).catch(() => null) : Promise.resolve(null),
  takeEarlyEvents() {
    stopBuffering();
    return early.splice(0);
  },
};

function readLastProjectId(): string | null {
  try {
    return localStorage.getItem(LAST_PROJECT_KEY);
  } catch {
    return null;
  }
}
