import { useRef } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { logoBox } from '../../../shared/logo';
import { keepLogoSafe } from '../../../shared/safe-zones';
import { useEditor } from '../store/editor-store';
import { usePlayback } from '../store/playback-store';
import { useApp } from '../store/app-store';
import { segmentIndexAt, timelineIndex } from '../model/timeline-index';

/** The media id of the photo under the playhead, if the segment there is a photo. */
export function usePhotoAtPlayhead(): string | undefined {
  return useEditor((s) => {
    const playhead = usePlayback.getState().playhead;
    const index = timelineIndex(s.segments);
    const i = segmentIndexAt(index, Math.min(playhead, Math.max(0, index.duration - 1e-6)));
    const segment = i >= 0 ? s.segments[i] : undefined;
    if (!segment) return undefined;
    const facts = s.mediaItems[segment.media_id]?.facts ?? s.media.find((m) => m.id === segment.media_id)?.facts;
    return facts?.kind === 'photo' ? segment.media_id : undefined;
  });
}

/**
 * A photo segment in the preview: the host's upright sRGB preview image, scaled to cover the
 * frame and centred, as the export fits it (the video generator gets it fitted the same way).
 */
export function PhotoLayer({ objectPosition }: { objectPosition?: string }) {
  usePlayback((s) => s.playhead); // follow the playhead
  const mediaId = usePhotoAtPlayhead();
  const item = useEditor((s) => (mediaId ? s.mediaItems[mediaId] : undefined));
  if (!mediaId || !item?.previewUrl) return null;
  return <img className="preview-photo" style={{ objectPosition }} src={item.previewUrl} alt="" draggable={false} data-testid="preview-photo" />;
}

/**
 * The logo over the preview, at the box the render uses (shared/logo.ts logoBox, output pixels
 * scaled to the preview) and its opacity; dragged like a caption, kept clear of the safe zones
 * unless the inspector says otherwise.
 */
export function LogoLayer() {
  const { t } = useTranslation();
  const logo = useEditor((s) => s.logo);
  const settings = useEditor((s) => s.settings);
  const selected = useEditor((s) => s.selection.kind === 'logo');
  const kit = useApp((s) => s.brandKit);
  const layerRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; start: { x: number; y: number }; moved: boolean } | null>(null);
  if (!logo) return null;
  const frame = { width: settings.width, height: settings.height };
  const box = logoBox(logo, logo.image, frame);
  const src = kit?.logo && kit.logo.path === logo.path ? kit.logo.previewDataUrl : undefined;
  const style = {
    left: `${(box.x / frame.width) * 100}%`,
    top: `${(box.y / frame.height) * 100}%`,
    width: `${(box.width / frame.width) * 100}%`,
    height: `${(box.height / frame.height) * 100}%`,
    opacity: Math.min(1, Math.max(0, logo.opacity / 100)),
  };
  return (
    <div className="logo-layer" ref={layerRef}>
      <div
        className={`logo-handle ${selected ? 'selected' : ''}`}
        style={style}
        role="button"
        tabIndex={-1}
        aria-label={t('Logo: {{name}}', { name: logo.name })}
        data-testid="preview-logo"
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.stopPropagation();
          e.currentTarget.setPointerCapture(e.pointerId);
          useEditor.getState().select({ kind: 'logo' });
          drag.current = { x: e.clientX, y: e.clientY, start: { ...logo.position }, moved: false };
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          const layer = layerRef.current;
          if (!d || !layer) return;
          const rect = layer.getBoundingClientRect();
          if (!d.moved && Math.hypot(e.clientX - d.x, e.clientY - d.y) < 3) return;
          if (!d.moved) {
            d.moved = true;
            useEditor.getState().beginGesture();
          }
          const position = { x: d.start.x + ((e.clientX - d.x) / rect.width) * 100, y: d.start.y + ((e.clientY - d.y) / rect.height) * 100 };
          const current = useEditor.getState().logo!;
          const placed = useApp.getState().keepLogoSafe
            ? keepLogoSafe({ position, width: current.width }, current.image, frame, settings.aspect).position
            : { x: Math.min(100, Math.max(0, position.x)), y: Math.min(100, Math.max(0, position.y)) };
          useEditor.getState().updateLogo({ position: placed });
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          e.currentTarget.releasePointerCapture(e.pointerId);
          if (d?.moved) useEditor.getState().endGesture();
        }}
        onPointerCancel={() => {
          if (drag.current?.moved) useEditor.getState().endGesture();
          drag.current = null;
        }}
      >
        {src ? <img src={src} alt="" draggable={false} /> : <div className="logo-placeholder">{logo.name}</div>}
      </div>
    </div>
  );
}
