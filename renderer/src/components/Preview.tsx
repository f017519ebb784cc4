import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { formatTime } from '../../../shared/time';
import { useEditor, type EditorState } from '../store/editor-store';
import type { MediaItem } from '../../../shared/api';
import type { DraftSegment } from '../../../shared/draft';
import { usePlayback } from '../store/playback-store';
import { useApp } from '../store/app-store';
import { timelineIndex } from '../model/timeline-index';
import { TimelinePlayer } from '../preview/timeline-player';
import { registerPlayer } from '../preview/player-control';
import { OverlayLayer } from './OverlayLayer';
import { LogoLayer, PhotoLayer, usePhotoAtPlayhead } from './PhotoLogoLayers';
import { SafeZones, SafeZoneLegend } from './SafeZones';
import { Icon } from './Icon';
import { togglePlay } from '../preview/player-control';
import { updateSettings } from '../app/session';
import { segmentIndexAt } from '../model/timeline-index';
import { isVariantDraft, segmentFocus } from '../../../shared/draft-variants';
import { objectPositionFor } from '../preview/framing-css';
import { useShownVariant } from './variants/use-shown-variant';
import { VariantSwitcher } from './variants/VariantSwitcher';

export function Preview() {
  const { t } = useTranslation();
  const shown = useShownVariant();
  const { frame } = shown;
  // Booleans and one number, not the segments: a trim or a move does not re-render the preview.
  const hasSegments = useEditor((s) => s.segments.length > 0);
  const pendingPercent = useEditor((s) => firstPendingPercent(s.segments, s.mediaItems));
  const playing = usePlayback((s) => s.playing);
  const showSafeZones = useApp((s) => s.showSafeZones);
  const stageRef = useRef<HTMLDivElement>(null);
  const videoA = useRef<HTMLVideoElement>(null);
  const videoB = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<TimelinePlayer | null>(null);
  const [frameSize, setFrameSize] = useState({ width: 0, height: 0 });
  const [blank, setBlank] = useState(true);
  /** A frame is on its way (after a seek, undo or load): say so instead of showing a stale one. */
  const [loading, setLoading] = useState(false);
  /** The clip under the playhead when nothing can be shown (to say why). */
  const [blankMediaId, setBlankMediaId] = useState<string | undefined>(undefined);

  // Fit the output frame (its aspect) inside the stage.
  useLayoutEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const fit = () => {
      // The content box: the stage's padding stays free around the frame.
      const style = getComputedStyle(stage);
      const room = {
        width: stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        height: stage.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom),
      };
      const ratio = frame.width / frame.height;
      let width = room.width;
      let height = width / ratio;
      if (height > room.height) {
        height = room.height;
        width = height * ratio;
      }
      setFrameSize({ width: Math.floor(width), height: Math.floor(height) });
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(stage);
    return () => observer.disconnect();
  }, [frame.width, frame.height]);

  // One player for the life of the editor.
  useEffect(() => {
    const player = new TimelinePlayer(videoA.current!, videoB.current!, {
      onTime: (time) => usePlayback.getState().advance(time),
      onEnded: () => usePlayback.getState().setPlaying(false),
      onView: (view) => {
        setBlank(view.blank);
        setLoading(view.loading);
        setBlankMediaId(view.blank ? view.mediaId : undefined);
      },
    });
    playerRef.current = player;
    const unregister = registerPlayer(player);
    return () => {
      unregister();
      player.destroy();
      playerRef.current = null;
    };
  }, []);

  usePlayback((s) => s.playhead);
  const photoShown = usePhotoAtPlayhead() !== undefined;
  const blankMedia = useEditor((s) => (blankMediaId ? s.mediaItems[blankMediaId] : undefined));

  // The player follows the store itself (segments, media URLs, frame rate) instead of through a render.
  useEffect(() => {
    const sync = (s: EditorState) => playerRef.current?.setTimeline(s.segments, playableUrl(s.mediaItems), s.settings.fps);
    sync(useEditor.getState());
    return useEditor.subscribe((s, previous) => {
      if (s.segments !== previous.segments || s.mediaItems !== previous.mediaItems || s.settings.fps !== previous.settings.fps) sync(s);
    });
  }, []);

  // Seeks from the timeline, keyboard or scrubbing.
  useEffect(
    () =>
      usePlayback.subscribe((state, previous) => {
        const player = playerRef.current;
        if (!player) return;
        if (state.seekToken !== previous.seekToken) player.seek(state.playhead);
        if (state.playing !== previous.playing || state.rate !== previous.rate) {
          if (state.playing) player.play(state.rate);
          else player.pause();
        }
      }),
    [],
  );

  const frameStyle = { width: frameSize.width, height: frameSize.height };
  const aspectClass = shown.format.replace(':', 'x');
  const objectPosition = useFramingAtPlayhead(frame, shown.format);

  return (
    <section className="panel preview" aria-label={t('Preview')}>
      <VariantSwitcher />
      <div className="stage" ref={stageRef}>
        <div className={`frame a-${aspectClass}`} style={frameStyle} data-testid="preview-frame">
          <video ref={videoA} className="preview-video" style={{ objectPosition }} muted playsInline aria-hidden="true" data-testid="preview-video-a" />
          <video ref={videoB} className="preview-video" style={{ objectPosition }} muted playsInline aria-hidden="true" data-testid="preview-video-b" />
          {!hasSegments ? (
            <div className="frame-empty">
              <p>{t('Add clips to the timeline to see your video here.')}</p>
            </div>
          ) : (
            blank && !photoShown && (
              <div className="frame-empty">
                {blankMedia?.previewStatus === 'missing' ? (
                  <p>{t('{{name}} was moved or deleted. Use Relink to find it.', { name: blankMedia.name })}</p>
                ) : pendingPercent !== null ? (
                  <p>{t('Preparing preview {{percent}}%', { percent: pendingPercent })}</p>
                ) : (
                  <p>{t('This clip cannot be previewed.')}</p>
                )}
              </div>
            )
          )}
          {loading && !blank && hasSegments && (
            <div className="frame-loading" role="status" data-testid="preview-loading">
              <span className="spinner" aria-hidden="true" />
              {t('Loading the frame…')}
            </div>
          )}
          <PhotoLayer objectPosition={objectPosition} />
          {frameSize.width > 0 && <OverlayLayer frameSize={frameSize} />}
          <LogoLayer />
          {showSafeZones && <SafeZones aspect={shown.format} />}
        </div>
      </div>
      <div className="transport">
        <PreviewClock />
        <div className="transport-buttons">
          <button type="button" className="icon-btn" aria-label={t('Go to start')} title={t('Go to start')} onClick={() => usePlayback.getState().seek(0)}>
            <Icon name="skipStart" />
          </button>
          <button type="button" className="play-btn" aria-label={playing ? t('Pause') : t('Play')} title={`${playing ? t('Pause') : t('Play')} (${t('Space')})`} onClick={togglePlay}>
            <Icon name={playing ? 'pause' : 'play'} size={20} />
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label={t('Go to end')}
            title={t('Go to end')}
            onClick={() => usePlayback.getState().seek(timelineIndex(useEditor.getState().segments).duration)}
          >
            <Icon name="skipEnd" />
          </button>
        </div>
        <div className="transport-right">
          {(
            <label className="toggle" title={t('Show where app buttons and captions cover the video')}>
              <input type="checkbox" checked={showSafeZones} onChange={(e) => {
                  // Show at once; remember the choice in the settings in the background.
                  const show = e.target.checked;
                  useApp.setState({ showSafeZones: show });
                  void updateSettings({ showSafeZones: show }).catch(() => undefined);
                }} />
              <span>{t('Safe zones')}</span>
            </label>
          )}
        </div>
      </div>
      {showSafeZones && shown.format === '9:16' && <SafeZoneLegend />}
    </section>
  );
}

function PreviewClock() {
  const playhead = usePlayback((s) => s.playhead);
  const fps = useEditor((s) => s.settings.fps);
  const duration = useEditor((s) => timelineIndex(s.segments).duration);
  return (
    <div className="clock" aria-live="off">
      <span className="clock-now" data-testid="playhead-time">
        {formatTime(playhead, fps)}
      </span>
      <span className="clock-sep">/</span>
      <span className="clock-total">{formatTime(duration, fps)}</span>
    </div>
  );
}

/**
 * The crop of the clip under the playhead in the shown format, as the render makes it
 * (focusCrop with the media's upright size), for the preview's `object-fit: cover` picture.
 */
function useFramingAtPlayhead(frame: { width: number; height: number }, format: Parameters<typeof segmentFocus>[1]): string {
  const playhead = usePlayback((s) => s.playhead);
  return useEditor((s) => {
    const index = timelineIndex(s.segments);
    const i = segmentIndexAt(index, Math.min(playhead, Math.max(0, index.duration - 1e-6)));
    const segment = i >= 0 ? s.segments[i] : undefined;
    if (!segment) return '50% 50%';
    const facts = s.mediaItems[segment.media_id]?.facts ?? s.media.find((m) => m.id === segment.media_id)?.facts;
    // A single video's photo is fitted to its frame (centred) before upload: no focus to show.
    if (facts?.kind === 'photo' && !isVariantDraft(s)) return '50% 50%';
    return facts ? objectPositionFor(facts, frame, segmentFocus(segment, format)) : '50% 50%';
  });
}

/** The URL the player plays for a media id: its proxy once ready; none for photos (PhotoLayer draws them, the player keeps time). */
function playableUrl(mediaItems: Record<string, MediaItem>): (mediaId: string) => string | null {
  return (mediaId) => {
    const item = mediaItems[mediaId];
    if (item?.facts?.kind === 'photo') return null;
    return item && item.previewStatus === 'ready' ? item.previewUrl : null;
  };
}

let pendingMemo: { segments: readonly DraftSegment[]; mediaItems: Record<string, MediaItem>; percent: number | null } | null = null;

/**
 * How far the first clip still being prepared (in timeline order) is, in whole percent; null when
 * none is. Memoised by the two arrays' identities: every store change asks, few change them.
 */
function firstPendingPercent(segments: readonly DraftSegment[], mediaItems: Record<string, MediaItem>): number | null {
  if (pendingMemo?.segments === segments && pendingMemo.mediaItems === mediaItems) return pendingMemo.percent;
  let percent: number | null = null;
  for (const segment of segments) {
    const item = mediaItems[segment.media_id];
    if (item && (item.previewStatus === 'queued' || item.previewStatus === 'processing')) {
      percent = Math.round(item.previewPercent);
      break;
    }
  }
  pendingMemo = { segments, mediaItems, percent };
  return percent;
}
