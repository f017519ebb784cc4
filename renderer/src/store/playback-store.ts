/**
 * Playback and view state: playhead, play/pause, shuttle speed and timeline zoom. Kept out of
 * the document store because it changes every frame while playing and is never undone.
 */
import { create } from 'zustand';

export interface PlaybackState {
  /** Output-timeline seconds. */
  playhead: number;
  playing: boolean;
  /** Shuttle rate (J/K/L): 1, 2, 4; negative rates step backwards. */
  rate: number;
  /** Timeline zoom, pixels per second. */
  pxPerSecond: number;
  /** Bumped when the user seeks (the preview must re-seek its video). */
  seekToken: number;
  seek(t: number): void;
  /** Playhead update coming from the playing video (no re-seek). */
  advance(t: number): void;
  setPlaying(playing: boolean, rate?: number): void;
  setZoom(pxPerSecond: number): void;
}

export const MIN_ZOOM = 2;
export const MAX_ZOOM = 400;

export const usePlayback = create<PlaybackState>()((set) => ({
  playhead: 0,
  playing: false,
  rate: 1,
  pxPerSecond: 60,
  seekToken: 0,
  seek(t) {
    set((s) => ({ playhead: Math.max(0, t), seekToken: s.seekToken + 1 }));
  },
  advance(t) {
    set({ playhead: Math.max(0, t) });
  },
  setPlaying(playing, rate = 1) {
    set({ playing, rate: playing ? rate : 1 });
  },
  setZoom(pxPerSecond) {
    set({ pxPerSecond: Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, pxPerSecond)) });
  },
}));
