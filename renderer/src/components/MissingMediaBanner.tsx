import { useTranslation } from '../i18n/use-translation';
import { useEditor } from '../store/editor-store';
import { relinkMedia } from '../app/session';
import { pickFiles } from './pick-files';
import { Icon } from './Icon';

/** Lists media whose file is gone or changed, each with a Relink action. */
export function MissingMediaBanner() {
  const { t } = useTranslation();
  const missing = useEditor((s) => s.missingMedia);
  const media = useEditor((s) => s.media);
  if (missing.length === 0) return null;
  const names = new Map(media.map((m) => [m.id, m]));
  return (
    <div className="banner warning" role="alert">
      <Icon name="warning" />
      <div className="banner-text">
        <strong>{t('Some clips were moved or deleted.')}</strong>
        <span>{t('Find them again so the video can be previewed and exported:')}</span>
        <ul>
          {missing.map((id) => (
            <li key={id}>
              <span title={names.get(id)?.path}>{names.get(id)?.name ?? id}</span>
              <button type="button" className="btn small" onClick={() => void pickFiles({ multiple: false }).then((files) => files[0] && relinkMedia(id, files[0]))}>
                {t('Relink')}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
