import { memo, useCallback, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/use-translation';
import type { MediaItem } from '../../../../shared/api';
import type { DraftSegment } from '../../../../shared/draft';
import { formatTime, snapToFrame } from '../../../../shared/time';
import { useEditor } from '../../store/editor-store';
import { usePlayback } from '../../store/playback-store';
import { timelineIndex, segmentsInRange } from '../../model/timeline-index';
import { dropIndexAt, overlayEdges, type Edge } from '../../model/timeline-ops';
import { snapThreshold, snapTime } from '../../model/snapping';
import { MEDIA_DRAG_TYPE, timeToX, xToTime, type Viewport } from './geometry';

const SNAP_PX = 8;
const OVERSCAN_PX = 300;

interface DragState {
  index: number;
  startX: number;
  dx: number;
  dropIndex: number;
}

/**
 * The magnetic video track. Only segments near the visible window are in the DOM, so a
 * project of thousands of segments stays light.
 */
export const VideoTrack = memo(function VideoTrack({ viewport }: { viewport: Viewport }) {
  const { t } = useTranslation();
  const segments = useEditor((s) => s.segments);
  const mediaItems = useEditor((s) => s.mediaItems);
  const selection = useEditor((s) => s.selection);
  const pxPerSecond = usePlayback((s) => s.pxPerSecond);
  const fps = useEditor((s) => s.settings.fps);
  const [drag, setDrag] = useState<DragState | null>(null);
  const trackRef = useRef<HTMLUListElement>(null);

  const index = timelineIndex(segments);
  const from = xToTime(viewport.left - OVERSCAN_PX, pxPerSecond);
  const to = xToTime(viewport.left + viewport.width + OVERSCAN_PX, pxPerSecond);
  const [first, last] = segmentsInRange(index, from, to);
  const selected = new Set(selection.kind === 'segments' ? selection.ids : []);

  const items = [];
  for (let i = first; i <= last && i >= 0; i++) items.push(i);
  if (drag && (drag.index < first || drag.index > last)) items.push(drag.index);

  const pointerTime = (clientX: number) => {
    const rect = trackRef.current!.getBoundingClientRect();
    return xToTime(clientX - rect.left, pxPerSecond);
  };

  const onBodyPointerDown = (e: React.PointerEvent, i: number) => {
    if (e.button !== 0) return;
    const segment = segments[i];
    const additive = e.shiftKey || e.ctrlKey || e.metaKey;
    const target = e.currentTarget as HTMLElement;
    target.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    let moved = false;
    let dropIndex = i;
    if (!selected.has(segment.id) || additive) useEditor.getState().toggleSelect('segments', segment.id, additive);
    const move = (ev: PointerEvent) => {
      const dx = ev.clientX - startX;
      if (!moved && Math.abs(dx) < 4) return;
      moved = true;
      dropIndex = dropIndexAt(useEditor.getState().segments, i, pointerTime(ev.clientX));
      setDrag({ index: i, startX, dx, dropIndex });
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
      setDrag(null);
      if (moved && dropIndex !== i) useEditor.getState().moveSegment(i, dropIndex);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };

  const onHandlePointerDown = (e: React.PointerEvent, i: number, edge: Edge) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    const target = e.currentTarget as HTMLElement;
    target.setPointerCapture(e.pointerId);
    const original = segments[i];
    const segStart = timelineIndex(segments).starts[i];
    const startX = e.clientX;
    const editor = useEditor.getState();
    editor.select({ kind: 'segments', ids: [original.id] });
    editor.beginGesture();
    const move = (ev: PointerEvent) => {
      const pps = usePlayback.getState().pxPerSecond;
      const delta = (ev.clientX - startX) / pps;
      if (edge === 'in') {
        useEditor.getState().trimSegmentAt(i, 'in', original.start_time + delta);
      } else {
        // The out edge snaps to the playhead and to overlay edges on the output timeline.
        const outTime = segStart + (original.end_time - original.start_time) + delta;
        const state = useEditor.getState();
        const snapped = ev.altKey
          ? outTime
          : snapTime(outTime, { sorted: [overlayEdges(state.overlays)], extra: [usePlayback.getState().playhead] }, snapThreshold(SNAP_PX, pps)).time;
        state.trimSegmentAt(i, 'out', original.start_time + (snapped - segStart));
      }
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
      useEditor.getState().endGesture();
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };

  // Stable handler identities so memoised items skip re-rendering when only others moved.
  const latest = useRef({ onBodyPointerDown, onHandlePointerDown });
  latest.current = { onBodyPointerDown, onHandlePointerDown };
  const stableBody = useCallback((e: React.PointerEvent, i: number) => latest.current.onBodyPointerDown(e, i), []);
  const stableHandle = useCallback((e: React.PointerEvent, i: number, edge: Edge) => latest.current.onHandlePointerDown(e, i, edge), []);

  /** A media card dragged from the media panel: where it would go (insertion index). */
  const [mediaDrop, setMediaDrop] = useState<number | null>(null);
  const insertionAt = (clientX: number) => {
    const time = pointerTime(clientX);
    const starts = timelineIndex(useEditor.getState().segments).starts;
    let at = 0;
    while (at < starts.length - 1 && (starts[at] + starts[at + 1]) / 2 < time) at++;
    return at;
  };
  const dropX = drag
    ? dropMarkerX(segments, drag, pxPerSecond)
    : mediaDrop !== null ? timeToX(index.starts[Math.min(mediaDrop, segments.length)], pxPerSecond) - 2 : null;

  return (
    <div className="track video-track-row">
      <ul
        className="video-track"
        aria-label={t('Video track')}
        ref={trackRef}
        onDragOver={(e) => {
          if (!Array.from(e.dataTransfer.types).includes(MEDIA_DRAG_TYPE)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setMediaDrop(insertionAt(e.clientX));
        }}
        onDragLeave={() => setMediaDrop(null)}
        onDrop={(e) => {
          const id = e.dataTransfer.getData(MEDIA_DRAG_TYPE);
          setMediaDrop(null);
          if (!id) return;
          e.preventDefault();
          e.stopPropagation();
          useEditor.getState().addMediaToTimeline(id, insertionAt(e.clientX));
        }}
        onPointerDown={(e) => {
          if (e.target === e.currentTarget) {
            useEditor.getState().select({ kind: 'none' });
            usePlayback.getState().seek(snapToFrame(pointerTime(e.clientX), useEditor.getState().settings.fps));
          }
        }}
      >
        {items.map((i) => (
          <SegmentItem
            key={segments[i].id}
            segment={segments[i]}
            index={i}
            left={timeToX(index.starts[i], pxPerSecond)}
            width={(index.starts[i + 1] - index.starts[i]) * pxPerSecond}
            media={mediaItems[segments[i].media_id]}
            selected={selected.has(segments[i].id)}
            dragDx={drag?.index === i ? drag.dx : 0}
            pxPerSecond={pxPerSecond}
            fps={fps}
            onBodyPointerDown={stableBody}
            onHandlePointerDown={stableHandle}
            t={t}
          />
        ))}
      </ul>
      {segments.length === 0 && <div className="track-empty">{t('Click "Add to timeline" on a clip to start.')}</div>}
      {dropX !== null && <div className="drop-marker" style={{ left: dropX }} aria-hidden="true" />}
    </div>
  );
});

function dropMarkerX(segments: readonly DraftSegment[], drag: DragState, pxPerSecond: number): number {
  // Position of the insertion point in the current (unmoved) layout.
  const starts = timelineIndex(segments).starts;
  const slot = drag.dropIndex >= drag.index ? drag.dropIndex + 1 : drag.dropIndex;
  return timeToX(starts[Math.min(slot, segments.length)], pxPerSecond) - 2;
}

interface SegmentItemProps {
  segment: DraftSegment;
  index: number;
  left: number;
  width: number;
  media: MediaItem | undefined;
  selected: boolean;
  dragDx: number;
  pxPerSecond: number;
  fps: number;
  onBodyPointerDown(e: React.PointerEvent, index: number): void;
  onHandlePointerDown(e: React.PointerEvent, index: number, edge: Edge): void;
  /** Passed down (not a hook per item): hundreds of items re-render cheaply. */
  t: (key: string, options?: Record<string, unknown>) => string;
}

const SegmentItem = memo(function SegmentItem(props: SegmentItemProps) {
  const { t, segment, index, left, width, media, selected, dragDx, pxPerSecond, fps } = props;
  const length = segment.end_time - segment.start_time;
  const name = media?.name ?? t('Missing clip');
  const photo = media?.facts?.kind === 'photo';
  const strip = photo ? undefined : media?.filmstripUrl;
  const mediaDuration = media?.facts?.duration ?? length;
  // A photo shows its thumbnail, repeated along its length.
  const still = photo ? media?.thumbnailUrl : undefined;
  const style: React.CSSProperties = {
    // Placed by a transform, not `left`: moved, the segment keeps its painted content (a move
    // shifts every segment after it; with `left` each was painted again).
    transform: `translateX(${left + dragDx}px)`,
    width: Math.max(2, width),
    backgroundImage: strip ? `url("${strip}")` : still ? `url("${still}")` : undefined,
    backgroundSize: strip ? `${mediaDuration * pxPerSecond}px 100%` : still ? 'auto 100%' : undefined,
    backgroundPositionX: strip ? `${-segment.start_time * pxPerSecond}px` : undefined,
    backgroundRepeat: still ? 'repeat-x' : undefined,
  };
  const sound = photo ? '' : segment.muted ? t('Muted') : segment.volume_db ? `${segment.volume_db > 0 ? '+' : ''}${Math.round(segment.volume_db * 10) / 10} dB` : '';
  const handleLabels = trimHandleLabels(t, name);
  return (
    <li
      className={`segment ${selected ? 'selected' : ''} ${dragDx ? 'dragging' : ''} ${media?.previewStatus === 'missing' ? 'missing' : ''} ${photo ? 'photo' : ''}`}
      style={style}
      aria-label={`${name}, ${formatTime(length, fps)}`}
      aria-selected={selected}
      data-segment-id={segment.id}
      data-index={index}
      onPointerDown={(e) => props.onBodyPointerDown(e, index)}
    >
      <span className="segment-label">
        <span className="segment-name">{name}</span>
        <span className="segment-duration">{formatTime(length, fps)}</span>
        {sound && <span className={`segment-sound ${segment.muted ? 'muted' : ''}`} data-testid="segment-sound">{sound}</span>}
      </span>
      <span
        className="trim-handle in"
        role="slider"
        aria-label={handleLabels.in}
        aria-valuenow={Math.round(segment.start_time * 100) / 100}
        data-testid="trim-in"
        onPointerDown={(e) => props.onHandlePointerDown(e, index, 'in')}
      />
      <span
        className="trim-handle out"
        role="slider"
        aria-label={handleLabels.out}
        aria-valuenow={Math.round(segment.end_time * 100) / 100}
        data-testid="trim-out"
        onPointerDown={(e) => props.onHandlePointerDown(e, index, 'out')}
      />
    </li>
  );
});

type Translate = SegmentItemProps['t'];
const handleLabelCache = new WeakMap<Translate, Map<string, { in: string; out: string }>>();

/**
 * The trim handles' labels for a clip name, translated once per language and name: an open
 * draws dozens of segments of the same few clips, and a move re-renders every one it shifts
 * (an interpolated i18next call costs tens of microseconds).
 */
function trimHandleLabels(t: Translate, name: string): { in: string; out: string } {
  let byName = handleLabelCache.get(t);
  if (!byName) {
    byName = new Map();
    handleLabelCache.set(t, byName);
  }
  let labels = byName.get(name);
  if (!labels) {
    labels = { in: t('Trim start of {{name}}', { name }), out: t('Trim end of {{name}}', { name }) };
    byName.set(name, labels);
  }
  return labels;
}
