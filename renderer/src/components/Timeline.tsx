import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { DraftOverlay } from '../../../shared/draft';
import { useTranslation } from '../i18n/use-translation';
import { useEditor } from '../store/editor-store';
import { usePlayback, MAX_ZOOM, MIN_ZOOM } from '../store/playback-store';
import { timelineIndex } from '../model/timeline-index';
import { Ruler } from './timeline/Ruler';
import { VideoTrack } from './timeline/VideoTrack';
import { TextTrack } from './timeline/TextTrack';
import { LogoTrack } from './timeline/LogoTrack';
import { Playhead } from './timeline/Playhead';
import { TIMELINE_PAD, timelineContentWidth, type Viewport } from './timeline/geometry';
import { Icon } from './Icon';
import { useApp } from '../store/app-store';

export function Timeline() {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const pxPerSecond = usePlayback((s) => s.pxPerSecond);
  const duration = useEditor((s) => timelineIndex(s.segments).duration);
  const overlayEnd = useEditor((s) => overlaysEnd(s.overlays));
  const [viewport, setViewport] = useState<Viewport>({ left: 0, width: 1000 });

  const contentWidth = timelineContentWidth(Math.max(duration, overlayEnd), pxPerSecond);

  const readViewport = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    setViewport((v) => (v.left === el.scrollLeft && v.width === el.clientWidth ? v : { left: el.scrollLeft, width: el.clientWidth }));
  }, []);

  useLayoutEffect(() => {
    readViewport();
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(readViewport);
    observer.observe(el);
    return () => observer.disconnect();
  }, [readViewport]);

  // Ctrl/Cmd + wheel zooms around the pointer; plain wheel scrolls.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      const { pxPerSecond: pps, setZoom } = usePlayback.getState();
      const rect = el.getBoundingClientRect();
      const pointerX = e.clientX - rect.left;
      const timeAtPointer = (el.scrollLeft + pointerX - TIMELINE_PAD) / pps;
      const next = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, pps * Math.exp(-e.deltaY * 0.002)));
      setZoom(next);
      requestAnimationFrame(() => {
        el.scrollLeft = Math.max(0, timeAtPointer * next + TIMELINE_PAD - pointerX);
        readViewport();
      });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [readViewport]);

  // Keep the playhead in view while playing.
  useEffect(
    () =>
      usePlayback.subscribe((state) => {
        const el = scrollRef.current;
        if (!el || !state.playing) return;
        const x = TIMELINE_PAD + state.playhead * state.pxPerSecond;
        if (x > el.scrollLeft + el.clientWidth - 40 || x < el.scrollLeft) {
          el.scrollLeft = Math.max(0, x - 80);
        }
      }),
    [],
  );

  // Fit the whole video in view when a project opens and when its first clip arrives.
  const projectId = useEditor((s) => s.meta?.id);
  const hasClips = duration > 0;
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || !hasClips) return;
    const total = timelineIndex(useEditor.getState().segments).duration;
    // Long projects open at a readable zoom (and a light DOM) rather than squeezed to fit.
    usePlayback.getState().setZoom(Math.max(30, Math.min(200, (el.clientWidth - TIMELINE_PAD * 2 - 40) / Math.max(total, 15))));
  }, [projectId, hasClips]);

  return (
    <section className="panel timeline" aria-label={t('Timeline')}>
      <TimelineToolbar scrollRef={scrollRef} />
      <div className="timeline-body">
        <div className="track-headers" aria-hidden="true">
          <div className="th-ruler" />
          <div className="th-video">{t('Video')}</div>
          <div className="th-text">{t('Text')}</div>
          <div className="th-logo">{t('Logo')}</div>
        </div>
        <div className="timeline-scroll" ref={scrollRef} onScroll={readViewport}>
          <div className="timeline-content" style={{ width: contentWidth }}>
            <Ruler viewport={viewport} />
            <VideoTrack viewport={viewport} />
            <TextTrack viewport={viewport} />
            <LogoTrack />
            <Playhead />
          </div>
        </div>
      </div>
    </section>
  );
}

const overlayEnds = new WeakMap<readonly DraftOverlay[], number>();

/** Where the last overlay ends, once per overlays array (every store change asks). */
function overlaysEnd(overlays: readonly DraftOverlay[]): number {
  let end = overlayEnds.get(overlays);
  if (end === undefined) {
    end = overlays.reduce((m, o) => Math.max(m, o.end_time), 0);
    overlayEnds.set(overlays, end);
  }
  return end;
}

/** Split, delete, add text and zoom: memoised apart, so an edit that changes the length does not re-render it. */
const TimelineToolbar = memo(function TimelineToolbar({ scrollRef }: { scrollRef: RefObject<HTMLDivElement | null> }) {
  const { t } = useTranslation();
  const pxPerSecond = usePlayback((s) => s.pxPerSecond);
  const hasSelection = useEditor((s) => s.selection.kind === 'logo' || (s.selection.kind !== 'none' && s.selection.ids.length > 0));
  const editor = useEditor.getState;

  const fit = () => {
    const el = scrollRef.current;
    const duration = timelineIndex(useEditor.getState().segments).duration;
    if (!el || duration <= 0) return;
    usePlayback.getState().setZoom((el.clientWidth - TIMELINE_PAD * 2 - 40) / duration);
    el.scrollLeft = 0;
  };

  return (
    <div className="timeline-toolbar">
      <div className="tool-group">
        <button
          type="button"
          className="btn small"
          title={`${t('Split')} (S)`}
          onClick={() => editor().splitAtTime(usePlayback.getState().playhead)}
        >
          <Icon name="split" />
          {t('Split')}
        </button>
        <button type="button" className="btn small" disabled={!hasSelection} title={`${t('Delete')} (${t('Del')})`} onClick={() => editor().deleteSelection()}>
          <Icon name="trash" />
          {t('Delete')}
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => {
            editor().addTextOverlay(usePlayback.getState().playhead, t('Your text'), useApp.getState().brandKit?.fonts[0]);
            // The placeholder is selected: typing replaces it instead of adding to it ("…mer" + "Your text").
            requestAnimationFrame(() => {
              const box = document.getElementById('overlay-text-input') as HTMLTextAreaElement | null;
              box?.focus();
              box?.select();
            });
          }}
        >
          <Icon name="text" />
          {t('Add text')}
        </button>
      </div>
      <div className="tool-group zoom">
        <button type="button" className="icon-btn" aria-label={t('Zoom out')} onClick={() => usePlayback.getState().setZoom(pxPerSecond / 1.5)}>
          <Icon name="zoomOut" />
        </button>
        <input
          type="range"
          aria-label={t('Zoom')}
          min={Math.log(MIN_ZOOM)}
          max={Math.log(MAX_ZOOM)}
          step={0.01}
          value={Math.log(pxPerSecond)}
          onChange={(e) => usePlayback.getState().setZoom(Math.exp(Number(e.target.value)))}
        />
        <button type="button" className="icon-btn" aria-label={t('Zoom in')} onClick={() => usePlayback.getState().setZoom(pxPerSecond * 1.5)}>
          <Icon name="zoomIn" />
        </button>
        <button type="button" className="btn small ghost" onClick={fit}>
          {t('Fit')}
        </button>
      </div>
    </div>
  );
});
