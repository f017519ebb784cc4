/**
 * HostApi over the Electron preload bridge (`window.hospup`). The bridge answers with outcome
 * envelopes (contextBridge would drop an Error's code and field); failures become HostErrors.
 */
import type { HostApi, ImportResult, MediaItem } from '../../../shared/api';
import type { BridgeOutcome, HostBridge } from '../../../shared/host-bridge';
import { hostErrorFrom } from './errors';
import { jsonMethods } from './rpc-methods';

async function unwrap<T>(pending: Promise<BridgeOutcome>): Promise<T> {
  let outcome: BridgeOutcome;
  try {
    outcome = await pending;
  } catch (err) {
    throw hostErrorFrom({ message: (err as Error)?.message ?? String(err), code: 'internal' });
  }
  if (!outcome.ok) throw hostErrorFrom(outcome.error);
  return outcome.result as T;
}

export function createElectronHostApi(bridge: HostBridge): HostApi {
  return {
    ...jsonMethods((method, args) => unwrap(bridge.call(method, args))),
    importFiles: (files) => unwrap<ImportResult>(bridge.importFiles(files)),
    relinkMedia: (mediaId, file) => unwrap<MediaItem>(bridge.relinkMedia(mediaId, file)),
    stageFile: (file) => unwrap<string>(bridge.stageFile(file)),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
