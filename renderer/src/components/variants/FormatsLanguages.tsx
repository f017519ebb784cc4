import { memo } from 'react';
import { useTranslation } from '../../i18n/use-translation';
import { ASPECTS } from '../../../../shared/output-settings';
import { useEditor } from '../../store/editor-store';
import { CAPTION_LANGUAGES, languageName } from './languages';
import { useProjectVariants } from './use-shown-variant';
import { CaptionFiles } from './CaptionFiles';

/**
 * "Formats & languages" of the project: which frame shapes and caption languages one export
 * makes. The main format (the video settings') and the captions' own language stay first.
 * Memoised (no props): the project panel re-renders on edits that do not concern it.
 */
export const FormatsLanguages = memo(function FormatsLanguages() {
  const { t, i18n } = useTranslation();
  const settings = useEditor((s) => s.settings);
  const { formats, languages: list } = useProjectVariants();
  const addable = CAPTION_LANGUAGES.filter((l) => !list.includes(l));
  return (
    <section className="formats-languages" aria-label={t('Formats & languages')}>
      <h3>{t('Formats & languages')}</h3>
      <fieldset className="field">
        <legend>{t('Formats to make')}</legend>
        <div className="checks">
          {ASPECTS.map((a) => (
            <label key={a} className="checkbox" title={a === settings.aspect ? t('The main format (Video settings above)') : undefined}>
              <input
                type="checkbox"
                aria-label={t('Make a {{format}} video', { format: a })}
                checked={formats.includes(a)}
                disabled={a === settings.aspect}
                onChange={(e) => useEditor.getState().setFormatOn(a, e.target.checked)}
              />
              <span>{a}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <span>{t('Caption languages')}</span>
        {list.length === 0 && <p className="hint">{t('Add the language your captions are written in first, then the ones to translate them into.')}</p>}
        <ul className="language-list">
          {list.map((code, i) => (
            <li key={code} data-testid={`language-${code}`}>
              <span>{languageName(code, i18n.language)}</span>
              <code className="muted small">{code}</code>
              {i === 0 && <span className="tag">{t('written in')}</span>}
              <button
                type="button"
                className="btn small ghost"
                disabled={i === 0 && list.length > 1}
                title={i === 0 && list.length > 1 ? t('Remove the other languages first: the captions are written in this one.') : undefined}
                aria-label={t('Remove {{language}}', { language: languageName(code, i18n.language) })}
                onClick={() => useEditor.getState().setLanguageOn(code, false)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        {addable.length > 0 && (
          <select
            aria-label={t('Add a language')}
            value=""
            onChange={(e) => e.target.value && useEditor.getState().setLanguageOn(e.target.value, true)}
          >
            <option value="">{list.length === 0 ? t('Captions are written in…') : t('Add a language…')}</option>
            {addable.map((code) => (
              <option key={code} value={code}>
                {languageName(code, i18n.language)} ({code})
              </option>
            ))}
          </select>
        )}
      </div>
      <CaptionFiles />
    </section>
  );
});
