import { memo, useRef } from 'react';
import { formatTime, snapToFrame } from '../../../../shared/time';
import { useEditor } from '../../store/editor-store';
import { usePlayback } from '../../store/playback-store';
import { rulerStep, timeToX, xToTime, type Viewport } from './geometry';

/** Timecode ruler; click or drag on it to move the playhead. */
export const Ruler = memo(function Ruler({ viewport }: { viewport: Viewport }) {
  const pxPerSecond = usePlayback((s) => s.pxPerSecond);
  const fps = useEditor((s) => s.settings.fps);
  const dragging = useRef(false);
  const step = rulerStep(pxPerSecond, fps);
  const minor = step / 5;
  const first = Math.max(0, Math.floor(xToTime(viewport.left, pxPerSecond) / step) * step);
  const last = xToTime(viewport.left + viewport.width, pxPerSecond) + step;
  const ticks: { t: number; major: boolean }[] = [];
  for (let i = 0, tick = first; tick <= last && i < 2000; i++, tick = first + i * minor) {
    ticks.push({ t: tick, major: i % 5 === 0 });
  }

  const seekAt = (clientX: number, target: HTMLElement) => {
    const rect = target.getBoundingClientRect();
    // On a frame, like the clock: an item added at the playhead then starts where it is shown.
    usePlayback.getState().seek(snapToFrame(xToTime(clientX - rect.left, pxPerSecond), fps));
  };

  return (
    <div
      className="ruler"
      data-testid="timeline-ruler"
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        usePlayback.getState().setPlaying(false);
        seekAt(e.clientX, e.currentTarget);
      }}
      onPointerMove={(e) => dragging.current && seekAt(e.clientX, e.currentTarget)}
      onPointerUp={(e) => {
        dragging.current = false;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
    >
      {ticks.map(({ t, major }) => (
        <div key={t.toFixed(4)} className={`tick ${major ? 'major' : ''}`} style={{ left: timeToX(t, pxPerSecond) }}>
          {major && <span>{formatTime(t, fps, { frames: step < 1 })}</span>}
        </div>
      ))}
    </div>
  );
});
