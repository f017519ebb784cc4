import { memo } from 'react';
import { usePlayback } from '../../store/playback-store';
import { timeToX } from './geometry';

export const Playhead = memo(function Playhead() {
  const playhead = usePlayback((s) => s.playhead);
  const pxPerSecond = usePlayback((s) => s.pxPerSecond);
  return (
    <div className="playhead" style={{ transform: `translateX(${timeToX(playhead, pxPerSecond)}px)` }} aria-hidden="true" data-testid="playhead">
      <div className="playhead-knob" />
    </div>
  );
});
