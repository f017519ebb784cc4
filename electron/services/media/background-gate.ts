// The gate background media work (preview proxies, thumbnails, filmstrips) passes through: an
// export rendering on this computer closes it, so the render gets the cores, and opening it lets
// the work go on where it stopped. Any number of holders; the gate is open when none holds it.
// Pure (no Node APIs): the limiter and the ffmpeg runner act on it.

export interface BackgroundGate {
  /** Closes the gate until the returned release is called (calling it again does nothing). */
  hold(): () => void;
  /** Whether background work must wait now. */
  readonly closed: boolean;
  /** Resolves when the gate is open (at once if it is); rejects with the signal's reason when it aborts first. */
  opened(signal?: AbortSignal): Promise<void>;
  /** `listener(true)` when the gate closes, `listener(false)` when it opens again; returns the unsubscribe. */
  onChange(listener: (closed: boolean) => void): () => void;
}

export function createBackgroundGate(): BackgroundGate {
  let holders = 0;
  const listeners = new Set<(closed: boolean) => void>();
  const tell = (closed: boolean) => {
    for (const listener of [...listeners]) listener(closed);
  };
  const gate: BackgroundGate = {
    hold() {
      holders++;
      if (holders === 1) tell(true);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holders--;
        if (holders === 0) tell(false);
      };
    },
    get closed() {
      return holders > 0;
    },
    opened(signal) {
      if (holders === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          unsubscribe();
          reject(signal!.reason);
        };
        const unsubscribe = gate.onChange((closed) => {
          if (closed) return;
          unsubscribe();
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  return gate;
}
