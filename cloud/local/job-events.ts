/**
 * Job state changes of the local MediaConvert, for whoever waits on a job in this process: the
 * embedded local cloud's counterpart of the "MediaConvert Job State Change" events AWS sends to
 * EventBridge. The exporter still reads the job's state through the generation function's
 * status action, exactly as on AWS; these events only tell it *when* to ask, so a finished
 * render is noticed at once instead of at the next poll of a timer.
 */
export interface JobEvents {
  publish(jobId: string): void;
  /** Resolves at the job's next change after this call (or when the signal aborts). */
  nextChange(jobId: string, signal?: AbortSignal): Promise<void>;
}

export function createJobEvents(): JobEvents {
  const waiters = new Map<string, Set<() => void>>();
  return {
    publish(jobId) {
      const waiting = waiters.get(jobId);
      if (!waiting) return;
      waiters.delete(jobId);
      for (const wake of waiting) wake();
    },
    nextChange(jobId, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          waiters.get(jobId)?.delete(wake);
          resolve();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        let set = waiters.get(jobId);
        if (!set) waiters.set(jobId, (set = new Set()));
        set.add(wake);
      });
    },
  };
}
