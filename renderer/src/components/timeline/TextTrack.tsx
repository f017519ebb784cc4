import { memo, useMemo } from 'react';
import { useTranslation } from '../../i18n/use-translation';
import type { DraftOverlay } from '../../../../shared/draft';
import { useEditor } from '../../store/editor-store';
import { usePlayback } from '../../store/playback-store';
import { timelineIndex } from '../../model/timeline-index';
import { overlayEdges, overlayLanes, type Edge } from '../../model/timeline-ops';
import { snapThreshold, snapTime } from '../../model/snapping';
import { timeToX, xToTime, type Viewport } from './geometry';
import { draftLanguages, overlayText } from '../../../../shared/draft-variants';

const SNAP_PX = 8;
const LANE_HEIGHT = 30;

/** The text track: one bar per overlay, overlapping ones on separate lanes. */
const OVERSCAN_PX = 300;

export const TextTrack = memo(function TextTrack({ viewport }: { viewport: Viewport }) {
  const { t } = useTranslation();
  const overlays = useEditor((s) => s.overlays);
  const selection = useEditor((s) => s.selection);
  const pxPerSecond = usePlayback((s) => s.pxPerSecond);
  const lanes = useMemo(() => overlayLanes(overlays), [overlays]);
  const languageList = useEditor((s) => s.languages);
  // Per caption, the languages it still lacks (a string, so unchanged items keep their memo).
  const missing = useMemo(() => {
    const [first, ...others] = draftLanguages({ languages: languageList });
    return new Map(overlays.map((o) => [o.id, o.content.trim() ? others.filter((l) => !overlayText(o, l, first).trim()).join(', ') : '']));
  }, [overlays, languageList]);
  const selected = new Set(selection.kind === 'overlays' ? selection.ids : []);

  return (
    <div className="track text-track-row" style={{ height: Math.max(1, lanes.count) * LANE_HEIGHT + 8 }}>
      <ul
        className="text-track"
        aria-label={t('Text track')}
        onPointerDown={(e) => {
          if (e.target === e.currentTarget) useEditor.getState().select({ kind: 'none' });
        }}
      >
        {overlays.filter((o) => inView(o, viewport, pxPerSecond, selected)).map((o) => (
          <OverlayItem
            key={o.id}
            overlay={o}
            lane={lanes.lane.get(o.id) ?? 0}
            pxPerSecond={pxPerSecond}
            selected={selected.has(o.id)}
            missing={missing.get(o.id) ?? ''}
            t={t}
          />
        ))}
      </ul>
      {overlays.length === 0 && <div className="track-empty">{t('Use "Add text" to put a title on your video.')}</div>}
    </div>
  );
});

function startDrag(e: React.PointerEvent, overlay: DraftOverlay, mode: 'move' | Edge) {
  if (e.button !== 0) return;
  e.stopPropagation();
  const target = e.currentTarget as HTMLElement;
  target.setPointerCapture(e.pointerId);
  const editor = useEditor.getState();
  const additive = e.shiftKey || e.ctrlKey || e.metaKey;
  editor.toggleSelect('overlays', overlay.id, additive);
  const startX = e.clientX;
  let moved = false;
  const move = (ev: PointerEvent) => {
    const dx = ev.clientX - startX;
    if (!moved && Math.abs(dx) < 3) return;
    if (!moved) {
      moved = true;
      useEditor.getState().beginGesture();
    }
    const pps = usePlayback.getState().pxPerSecond;
    const state = useEditor.getState();
    const delta = dx / pps;
    const threshold = snapThreshold(SNAP_PX, pps);
    const targets = {
      sorted: [timelineIndex(state.segments).starts, overlayEdges(state.overlays, overlay.id)],
      extra: [usePlayback.getState().playhead],
    };
    const snap = (time: number) => (ev.altKey ? time : snapTime(time, targets, threshold).time);
    if (mode === 'move') {
      const length = overlay.end_time - overlay.start_time;
      const start = overlay.start_time + delta;
      // Snap whichever edge is closer to a target.
      const snappedStart = snap(start);
      const snappedEnd = snap(start + length);
      const useEnd = Math.abs(snappedEnd - (start + length)) < Math.abs(snappedStart - start) && snappedEnd !== start + length;
      state.moveOverlay(overlay.id, useEnd ? snappedEnd - length : snappedStart);
    } else {
      const base = mode === 'in' ? overlay.start_time : overlay.end_time;
      state.resizeOverlay(overlay.id, mode, snap(base + delta));
    }
  };
  const up = () => {
    target.removeEventListener('pointermove', move);
    target.removeEventListener('pointerup', up);
    target.removeEventListener('pointercancel', up);
    if (moved) useEditor.getState().endGesture();
  };
  target.addEventListener('pointermove', move);
  target.addEventListener('pointerup', up);
  target.addEventListener('pointercancel', up);
}

/** Only overlays near the visible window are in the DOM (selected ones always). */
function inView(o: DraftOverlay, viewport: Viewport, pxPerSecond: number, selected: ReadonlySet<string>): boolean {
  if (selected.has(o.id)) return true;
  const from = xToTime(viewport.left - OVERSCAN_PX, pxPerSecond);
  const to = xToTime(viewport.left + viewport.width + OVERSCAN_PX, pxPerSecond);
  return o.end_time >= from && o.start_time <= to;
}

const OverlayItem = memo(function OverlayItem(props: {
  overlay: DraftOverlay;
  lane: number;
  pxPerSecond: number;
  selected: boolean;
  /** Languages without this caption's text, `en, de` ('' when none). */
  missing: string;
  t: (key: string, params?: Record<string, string>) => string;
}) {
  const { t, overlay, lane, pxPerSecond, selected, missing } = props;
  const left = timeToX(overlay.start_time, pxPerSecond);
  const width = Math.max(6, (overlay.end_time - overlay.start_time) * pxPerSecond);
  return (
    <li
      className={`overlay-item ${selected ? 'selected' : ''}`}
      style={{ left, width, top: 4 + lane * LANE_HEIGHT }}
      aria-label={overlay.content}
      aria-selected={selected}
      data-overlay-id={overlay.id}
      onPointerDown={(e) => startDrag(e, overlay, 'move')}
    >
      <span className="overlay-swatch" style={{ background: overlay.style.color }} aria-hidden="true" />
      <span className="overlay-label">{overlay.content}</span>
      {missing && (
        <span className="badge warn" title={t('Not translated yet: {{languages}}', { languages: missing })} data-testid="translation-badge">
          {missing}
        </span>
      )}
      <span
        className="trim-handle in"
        role="slider"
        aria-label={t('Text start')}
        aria-valuenow={overlay.start_time}
        onPointerDown={(e) => startDrag(e, overlay, 'in')}
      />
      <span
        className="trim-handle out"
        role="slider"
        aria-label={t('Text end')}
        aria-valuenow={overlay.end_time}
        onPointerDown={(e) => startDrag(e, overlay, 'out')}
      />
    </li>
  );
});
