// A tiny typed event hub: the services emit HostEvents, each transport forwards them to its UI.
import type { HostEvent } from '../../shared/api';

export type HostEventListener = (event: HostEvent) => void;

export interface EventHub {
  subscribe(listener: HostEventListener): () => void;
  emit(event: HostEvent): void;
  listenerCount(): number;
}

export function createEventHub(): EventHub {
  const listeners = new Set<HostEventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(event) {
      // A failing listener (a closed window, a dropped socket) must not stop the others.
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (err) {
          console.error('host event listener failed:', (err as Error).message);
        }
      }
    },
    listenerCount: () => listeners.size,
  };
}
