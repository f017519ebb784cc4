import { useRef, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { MediaItem } from '../../../shared/api';
import type { MediaRef } from '../../../shared/draft';
import { formatTime } from '../../../shared/time';
import { useEditor } from '../store/editor-store';
import { useApp } from '../store/app-store';
import { addFromLibrary, importFiles, relinkMedia } from '../app/session';
import { MEDIA_ACCEPT, pickFiles } from './pick-files';
import { Icon } from './Icon';
import { MEDIA_DRAG_TYPE } from './timeline/geometry';

export function MediaLibrary() {
  const { t } = useTranslation();
  const media = useEditor((s) => s.media);
  const mediaItems = useEditor((s) => s.mediaItems);
  const importing = useApp((s) => s.importing);
  const refused = useApp((s) => s.importRefused);
  const library = useApp((s) => s.library);
  const [kind, setKind] = useState<'all' | 'video' | 'photo'>('all');
  const kindOf = (m: { facts?: { kind?: string } }) => (m.facts?.kind === 'photo' ? 'photo' : 'video');
  const others = library.filter((item) => !media.some((m) => m.id === item.id) && (kind === 'all' || kindOf(item) === kind));
  const shown = media.filter((m) => kind === 'all' || kindOf(mediaItems[m.id] ?? m) === kind);
  const inputRef = useRef<HTMLInputElement>(null);

  return (
    <section className="panel media-library" aria-label={t('Media library')}>
      <div className="panel-head">
        <h2>{t('Media')}</h2>
        <button type="button" className="btn primary small" onClick={() => inputRef.current?.click()}>
          <Icon name="import" />
          {t('Import media')}
        </button>
        <input
          ref={inputRef}
          type="file"
          multiple
          accept={MEDIA_ACCEPT}
          hidden
          data-testid="media-file-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            void importFiles(files);
          }}
        />
      </div>
      <div className="segmented kind-filter" role="group" aria-label={t('Show')}>
        {(['all', 'video', 'photo'] as const).map((k) => (
          <button key={k} type="button" className={kind === k ? 'on' : ''} aria-pressed={kind === k} onClick={() => setKind(k)}>
            {k === 'all' ? t('All') : k === 'video' ? t('Videos') : t('Photos')}
          </button>
        ))}
      </div>
      {importing > 0 && (
        <div className="importing" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('Importing {{count}} files…', { count: importing })}
        </div>
      )}
      {refused.length > 0 && (
        <div className="import-refused" role="alert" aria-label={t('Files not imported')}>
          <div className="import-refused-head">
            <strong>{t('{{count}} files could not be imported:', { count: refused.length })}</strong>
            <button type="button" className="icon-btn" aria-label={t('Dismiss')} onClick={() => useApp.setState({ importRefused: [] })}>
              ×
            </button>
          </div>
          <ul>
            {refused.map((r, i) => (
              <li key={`${r.name}-${i}`}>
                <span className="refused-name">{r.name}</span> — {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {media.length === 0 && importing === 0 ? (
        <div className="empty-media">
          <Icon name="import" size={28} />
          <p>{t('Import your clips and photos, or drop them here.')}</p>
        </div>
      ) : (
        <ul className="media-list" aria-label={t('Project media')}>
          {shown.map((ref) => (
            <MediaCard key={ref.id} media={ref} item={mediaItems[ref.id]} />
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <section className="library-others" aria-label={t('From your other projects')}>
          <h3>{t('From your other projects')}</h3>
          <ul className="library-list">
            {others.map((item) => (
              <li key={item.id} className="library-item">
                {item.thumbnailUrl ? <img src={item.thumbnailUrl} alt="" loading="lazy" /> : <span className="thumb-placeholder" aria-hidden="true" />}
                <span className="library-name" title={item.path}>
                  {item.name}
                </span>
                <button type="button" className="btn small" onClick={() => addFromLibrary(item)} aria-label={t('Use {{name}} in this project', { name: item.name })}>
                  <Icon name="plus" size={14} />
                  {t('Use')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function MediaCard({ media, item }: { media: MediaRef; item: MediaItem | undefined }) {
  const { t } = useTranslation();
  const addToTimeline = useEditor((s) => s.addMediaToTimeline);
  const missing = useEditor((s) => s.missingMedia.includes(media.id)) || item?.previewStatus === 'missing';
  const facts = item?.facts ?? media.facts;
  const fps = useEditor((s) => s.settings.fps);
  const status = item?.previewStatus;
  const making = status === 'queued' || status === 'processing';
  const photo = facts?.kind === 'photo';

  return (
    <li
      className={`media-card ${missing ? 'missing' : ''} ${photo ? 'photo' : ''}`}
      draggable={!missing && !!facts}
      data-media-kind={photo ? 'photo' : 'video'}
      onDragStart={(e) => {
        // Dropped on the video track: added there, like "Add to timeline".
        e.dataTransfer.setData(MEDIA_DRAG_TYPE, media.id);
        e.dataTransfer.effectAllowed = 'copy';
      }}
    >
      <div className="thumb">
        {item?.thumbnailUrl ? <img src={item.thumbnailUrl} alt="" loading="lazy" /> : <div className="thumb-placeholder" aria-hidden="true" />}
        {facts && <span className="thumb-duration">{photo ? t('Photo') : formatTime(facts.duration, fps)}</span>}
      </div>
      <div className="media-info">
        <div className="media-name" title={media.path}>
          {media.name}
        </div>
        <div className="media-meta">
          {facts
            ? photo
              ? `${t('Photo')} · ${displaySize(facts)} · ${facts.video_codec === 'heif' ? 'HEIC' : facts.video_codec.toUpperCase()}`
              : `${displaySize(facts)} · ${Math.round(facts.fps * 100) / 100} fps · ${facts.video_codec.toUpperCase()}`
            : ''}
        </div>
        <div className="badges">
          {missing && (
            <span className="badge danger">
              <Icon name="warning" size={12} />
              {t('Missing')}
            </span>
          )}
          {item?.colour && item.colour.dynamicRange !== 'sdr' && (
            <span
              className="badge hdr"
              title={t('{{kind}} HDR, {{bits}}-bit: previewed and exported in standard colour (SDR)', {
                kind: item.colour.dynamicRange === 'hlg' ? 'HLG' : 'HDR10 (PQ)',
                bits: item.colour.bitDepth,
              })}
            >
              {t('HDR')}
            </span>
          )}
          {facts && !facts.has_audio && !photo && (
            <span className="badge" title={t('This clip has no sound')}>
              <Icon name="mute" size={12} />
              {t('No audio')}
            </span>
          )}
          {making && (
            <span className="badge info" role="status" title={t('Preparing a preview copy; export uses the original')}>
              {t('Preparing preview {{percent}}%', { percent: Math.round(item?.previewPercent ?? 0) })}
            </span>
          )}
          {status === 'failed' && (
            <span className="badge danger" title={item?.previewError}>
              {t('Preview unavailable')}
            </span>
          )}
          {item?.usesProxy && status === 'ready' && <span className="badge subtle">{t('Preview copy')}</span>}
        </div>
        <div className="media-actions">
          {missing ? (
            <button type="button" className="btn small" onClick={() => void pickFiles({ multiple: false }).then((files) => files[0] && relinkMedia(media.id, files[0]))}>
              <Icon name="link" size={14} />
              {t('Relink')}
            </button>
          ) : (
            <button type="button" className="btn small" disabled={!facts} onClick={() => addToTimeline(media.id)}>
              <Icon name="plus" size={14} />
              {t('Add to timeline')}
            </button>
          )}
        </div>
      </div>
    </li>
  );
}

function displaySize(facts: { width: number; height: number; rotation: number }): string {
  const sideways = facts.rotation === 90 || facts.rotation === 270;
  const w = sideways ? facts.height : facts.width;
  const h = sideways ? facts.width : facts.height;
  return `${w}×${h}`;
}
