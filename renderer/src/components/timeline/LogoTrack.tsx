import { memo } from 'react';
import { useTranslation } from '../../i18n/use-translation';
import { useEditor } from '../../store/editor-store';
import { usePlayback } from '../../store/playback-store';
import { timelineIndex } from '../../model/timeline-index';
import { timeToX } from './geometry';

/** The logo layer: one bar over the whole video (the logo is on every segment); click to select it. */
export const LogoTrack = memo(function LogoTrack() {
  const { t } = useTranslation();
  const logo = useEditor((s) => s.logo);
  const selected = useEditor((s) => s.selection.kind === 'logo');
  const duration = useEditor((s) => timelineIndex(s.segments).duration);
  const pxPerSecond = usePlayback((s) => s.pxPerSecond);
  return (
    <div className="track logo-track-row">
      <div className="logo-track" aria-label={t('Logo track')} role="list">
        {logo && (
          <div
            role="listitem"
            className={`logo-bar ${selected ? 'selected' : ''}`}
            style={{ left: timeToX(0, pxPerSecond), width: Math.max(24, duration * pxPerSecond) }}
            aria-label={t('Logo: {{name}}', { name: logo.name })}
            aria-selected={selected}
            data-testid="logo-bar"
            onPointerDown={(e) => {
              if (e.button !== 0) return;
              e.stopPropagation();
              useEditor.getState().select({ kind: 'logo' });
            }}
          >
            <span className="logo-bar-label">{t('Logo: {{name}}', { name: logo.name })} · {Math.round(logo.opacity)} %</span>
          </div>
        )}
      </div>
    </div>
  );
});
