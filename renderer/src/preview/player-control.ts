/** Transport commands used by buttons and keyboard shortcuts. */
import { usePlayback } from '../store/playback-store';
import { useEditor } from '../store/editor-store';
import { timelineIndex } from '../model/timeline-index';
import type { TimelinePlayer } from './timeline-player';

let current: TimelinePlayer | null = null;

export function registerPlayer(player: TimelinePlayer): () => void {
  current = player;
  return () => {
    if (current === player) current = null;
  };
}

export function togglePlay(): void {
  const { playing, setPlaying } = usePlayback.getState();
  setPlaying(!playing, 1);
}

export function pause(): void {
  const playback = usePlayback.getState();
  if (playback.playing) {
    playback.setPlaying(false);
    // Keep the playhead where the picture stopped.
    if (current) playback.advance(current.time);
  }
}

/** J / L: each press doubles the speed in that direction (1x, 2x, 4x). */
export function shuttle(direction: 1 | -1): void {
  const { playing, rate, setPlaying } = usePlayback.getState();
  let next = direction;
  if (playing && Math.sign(rate) === direction) next = Math.sign(rate) * Math.min(4, Math.abs(rate) * 2);
  setPlaying(true, next);
}

/** Move the playhead by whole frames (←/→). */
export function stepFrames(frames: number): void {
  pause();
  const fps = useEditor.getState().settings.fps;
  const duration = timelineIndex(useEditor.getState().segments).duration;
  const { playhead, seek } = usePlayback.getState();
  const frame = Math.round(playhead * fps) + frames;
  seek(Math.max(0, Math.min(duration, frame / fps)));
}
