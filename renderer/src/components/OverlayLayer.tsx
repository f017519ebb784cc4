import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { FontSet } from '../../../shared/overlay';
import type { DraftOverlay } from '../../../shared/draft';
import { useEditor } from '../store/editor-store';
import { usePlayback } from '../store/playback-store';
import { facesFor } from '../preview/font-faces';
import type { FontFamily, FontWeight } from '../../../shared/fonts/catalog';
import type { RenderedOverlay } from '../preview/overlay-render';
import { overlayPlacement, overlayText } from '../../../shared/draft-variants';
import type { Aspect } from '../../../shared/output-settings';
import { useShownVariant } from './variants/use-shown-variant';

type OverlaySupport = typeof import('../preview/overlay-support');
let supportLoading: Promise<OverlaySupport> | null = null;
const loadSupport = () => (supportLoading ??= import('../preview/overlay-support'));

/**
 * The text overlays over the preview: the export's own SVG (same layout, same glyph outlines)
 * in a frame-sized viewBox scaled to the preview, plus drag handles to position them.
 */
export function OverlayLayer({ frameSize }: { frameSize: { width: number; height: number } }) {
  const { t } = useTranslation();
  const ownOverlays = useEditor((s) => s.overlays);
  const shown = useShownVariant();
  // Each caption as the shown variant has it: that language's text, that format's place and size (what the render draws).
  const overlays = useMemo(
    () => ownOverlays.map((o) => {
      const { position, font_size } = overlayPlacement(o, shown.format);
      return { ...o, content: overlayText(o, shown.language, shown.firstLanguage), position, style: { ...o.style, font_size } };
    }),
    [ownOverlays, shown.format, shown.language, shown.firstLanguage],
  );
  const selection = useEditor((s) => s.selection);
  const playhead = usePlayback((s) => s.playhead);
  const [fonts, setFonts] = useState<FontSet | null>(null);
  const [support, setSupport] = useState<OverlaySupport | null>(null);
  const [fontError, setFontError] = useState('');
  const layerRef = useRef<HTMLDivElement>(null);

  // Load only the faces the overlays use; a new font choice loads its face on demand.
  const faceKey = useMemo(() => facesFor(overlays.map((o) => o.style)).map((f) => `${f.family}/${f.weight}`).sort().join('|'), [overlays]);
  useEffect(() => {
    if (!faceKey) return;
    let live = true;
    const faces = faceKey.split('|').map((k) => {
      const [family, weight] = k.split('/');
      return { family, weight } as { family: FontFamily; weight: FontWeight };
    });
    loadSupport()
      .then(async (loaded) => {
        const f = await loaded.loadOverlayFonts(faces);
        if (!live) return;
        setSupport(loaded);
        setFonts(f);
      })
      .catch((e) => live && setFontError(String(e?.message ?? e)));
    return () => {
      live = false;
    };
  }, [faceKey]);

  const selectedIds = useMemo(() => (selection.kind === 'overlays' ? selection.ids : []), [selection]);
  const frame = shown.frame;

  // Visible now: inside their time window, or selected (so a selected overlay can be placed).
  const visible = useMemo(
    () => overlays.filter((o) => (playhead >= o.start_time - 1e-6 && playhead < o.end_time - 1e-6) || selectedIds.includes(o.id)),
    [overlays, playhead, selectedIds],
  );

  if (!fonts || !support) return fontError ? <div className="font-error">{fontError}</div> : null;

  const rendered = visible
    .map((o) => ({ overlay: o, result: support.renderOverlay(o, frame, fonts) }))
    .filter((r): r is { overlay: DraftOverlay; result: RenderedOverlay } => 'layout' in r.result);
  const inWindow = (o: DraftOverlay) => playhead >= o.start_time - 1e-6 && playhead < o.end_time - 1e-6;

  return (
    <div className="overlay-layer" ref={layerRef}>
      <svg
        className="overlay-svg"
        viewBox={`0 0 ${frame.width} ${frame.height}`}
        width={frameSize.width}
        height={frameSize.height}
        aria-hidden="true"
        data-testid="overlay-svg"
      >
        {rendered.map(({ overlay, result }) => (
          <g
            key={overlay.id}
            transform={`translate(${result.layout.box.x} ${result.layout.box.y})`}
            opacity={inWindow(overlay) ? 1 : 0.35}
            dangerouslySetInnerHTML={{ __html: result.svg }}
          />
        ))}
      </svg>
      {rendered.map(({ overlay, result }) => (
        <OverlayHandle
          key={overlay.id}
          overlay={overlay}
          box={result.layout.box}
          frame={frame}
          format={shown.format}
          selected={selectedIds.includes(overlay.id)}
          label={t('Text: {{text}}', { text: overlay.content })}
          layerRef={layerRef}
        />
      ))}
    </div>
  );
}

function OverlayHandle(props: {
  overlay: DraftOverlay;
  box: { x: number; y: number; width: number; height: number };
  frame: { width: number; height: number };
  format: Aspect;
  selected: boolean;
  label: string;
  layerRef: React.RefObject<HTMLDivElement | null>;
}) {
  const { overlay, box, frame, format, selected, label, layerRef } = props;
  const drag = useRef<{ x: number; y: number; start: { x: number; y: number }; moved: boolean } | null>(null);
  const style = {
    left: `${(box.x / frame.width) * 100}%`,
    top: `${(box.y / frame.height) * 100}%`,
    width: `${(box.width / frame.width) * 100}%`,
    height: `${(box.height / frame.height) * 100}%`,
  };
  return (
    <div
      className={`overlay-handle ${selected ? 'selected' : ''}`}
      style={style}
      role="button"
      tabIndex={-1}
      aria-label={label}
      data-overlay-id={overlay.id}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        useEditor.getState().select({ kind: 'overlays', ids: [overlay.id] });
        drag.current = { x: e.clientX, y: e.clientY, start: { ...overlay.position }, moved: false };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        const layer = layerRef.current;
        if (!d || !layer) return;
        const rect = layer.getBoundingClientRect();
        const dx = ((e.clientX - d.x) / rect.width) * 100;
        const dy = ((e.clientY - d.y) / rect.height) * 100;
        if (!d.moved && Math.hypot(e.clientX - d.x, e.clientY - d.y) < 3) return;
        if (!d.moved) {
          d.moved = true;
          useEditor.getState().beginGesture();
        }
        // Snap to the centre lines, as editors do.
        let x = d.start.x + dx;
        let y = d.start.y + dy;
        if (Math.abs(x - 50) < 1.2) x = 50;
        if (Math.abs(y - 50) < 1.2) y = 50;
        // Only the shown format moves: the main one its own place, another its placement.
        useEditor.getState().placeOverlay(overlay.id, format, { position: { x, y } });
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
    />
  );
}
