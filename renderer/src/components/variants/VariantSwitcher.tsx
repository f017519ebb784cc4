import { useTranslation } from '../../i18n/use-translation';
import { missingTranslations } from '../../../../shared/draft-variants';
import { useEditor } from '../../store/editor-store';
import { languageName } from './languages';
import { useProjectVariants, useShownVariant } from './use-shown-variant';

/**
 * Over the preview: which format's frame and which language's captions it shows. A language
 * whose captions are not all translated says how many are missing.
 */
export function VariantSwitcher() {
  const { t, i18n } = useTranslation();
  const overlays = useEditor((s) => s.overlays);
  const { formats, languages } = useProjectVariants();
  const shown = useShownVariant();
  if (formats.length < 2 && languages.length < 2) return null;
  const setView = useEditor.getState().setView;
  return (
    <div className="variant-switcher" data-testid="variant-switcher">
      {formats.length > 1 && (
        <div className="segmented" role="group" aria-label={t('Format shown')}>
          {formats.map((f) => (
            <button key={f} type="button" className={shown.format === f ? 'on' : ''} aria-pressed={shown.format === f} onClick={() => setView({ format: f })}>
              {f}
            </button>
          ))}
        </div>
      )}
      {languages.length > 1 && (
        <div className="segmented" role="group" aria-label={t('Caption language shown')}>
          {languages.map((l, i) => {
            const missing = i === 0 ? 0 : missingTranslations({ overlays, languages }, l).length;
            return (
              <button
                key={l}
                type="button"
                className={shown.language === l ? 'on' : ''}
                aria-pressed={shown.language === l}
                title={languageName(l, i18n.language)}
                data-testid={`show-language-${l}`}
                onClick={() => setView({ language: i === 0 ? undefined : l })}
              >
                {l}
                {missing > 0 && (
                  <span className="badge warn" data-testid={`missing-${l}`}>
                    {t('{{count}} missing', { count: missing })}
                  </span>
                )}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
