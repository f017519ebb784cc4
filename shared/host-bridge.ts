/**
 * The object Electron's preload exposes to the renderer as `window.hospup`.
 *
 * contextBridge copies only the message of a thrown Error (custom fields like `code` are
 * lost), so the bridge resolves with an outcome envelope instead of rejecting; the renderer's
 * client (renderer/src/host) turns a failed outcome into a `HostError` with code and field.
 */
import type { HostEvent } from './api';

export interface BridgeError {
  message: string;
  code: string;
  field?: string;
}

export type BridgeOutcome<T = unknown> = { ok: true; result: T } | { ok: false; error: BridgeError };

export interface HostBridge {
  /** Calls a HostApi method by name with JSON-like arguments (validated in the main process). */
  call(method: string, args: unknown[]): Promise<BridgeOutcome>;
  /** Imports DOM Files by their paths on disk (webUtils.getPathForFile). */
  importFiles(files: readonly File[]): Promise<BridgeOutcome>;
  /** Relinks a media reference to a DOM File's path on disk. */
  relinkMedia(mediaId: string, file: File): Promise<BridgeOutcome>;
  /** The path on disk of a DOM File (for calls that take a path, e.g. setBrandLogo). */
  stageFile(file: File): Promise<BridgeOutcome>;
  onEvent(listener: (event: HostEvent) => void): () => void;
}

/** The main-world global name, and the IPC channel names. */
export const HOST_BRIDGE_KEY = 'hospup';
export const IPC_EVENT_CHANNEL = 'hospup:event';
export const ipcChannelFor = (method: string): string => `hospup:${method}`;
