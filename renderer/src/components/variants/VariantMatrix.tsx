import { useTranslation } from '../../i18n/use-translation';
import { missingTranslations } from '../../../../shared/draft-variants';
import { variantLabel } from '../../../../shared/variants';
import type { Aspect } from '../../../../shared/output-settings';
import { useEditor } from '../../store/editor-store';
import { useApp } from '../../store/app-store';
import { languageName } from './languages';
import { useProjectVariants } from './use-shown-variant';

/**
 * The videos one export makes: formats (rows) x languages (columns). An export is always the
 * full product of what is ticked, so rows and columns are ticked, not single cells; at least one
 * of each stays ticked. Each cell shows its video's progress while exporting.
 */
export function VariantMatrix({ disabled }: { disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const { formats, languages } = useProjectVariants();
  const overlays = useEditor((s) => s.overlays);
  const storedPick = useApp((s) => s.exportPick);
  const progress = useApp((s) => s.variantProgress);
  const pick = {
    formats: formats.filter((f) => !storedPick || storedPick.formats.includes(f)),
    languages: languages.filter((l) => !storedPick || storedPick.languages.includes(l)),
  };
  // A pick that lost all its formats or languages (one was removed from the project) means all of them.
  if (pick.formats.length === 0) pick.formats = formats;
  if (pick.languages.length === 0) pick.languages = languages;
  const setPick = (next: { formats: Aspect[]; languages: string[] }) => useApp.setState({ exportPick: next });
  const toggle = <T extends string>(list: T[], value: T, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));
  const columns: (string | undefined)[] = languages.length ? languages : [undefined];
  const count = pick.formats.length * Math.max(1, pick.languages.length);
  return (
    <section className="variants" aria-label={t('Videos to export')}>
      <h3>{t('Videos to export')}</h3>
      <table className="variant-matrix" data-testid="variant-matrix">
        <thead>
          <tr>
            <th />
            {columns.map((l) => {
              const missing = l && l !== languages[0] ? missingTranslations({ overlays, languages }, l).length : 0;
              return (
              <th key={l ?? '-'} scope="col">
                {l ? (
                  <label className="checkbox" title={languageName(l, i18n.language)}>
                    <input
                      type="checkbox"
                      aria-label={t('Export in {{language}}', { language: languageName(l, i18n.language) })}
                      checked={pick.languages.includes(l)}
                      disabled={disabled || (pick.languages.length === 1 && pick.languages.includes(l))}
                      onChange={(e) => setPick({ ...pick, languages: languages.filter((x) => toggle(pick.languages, l, e.target.checked).includes(x)) })}
                    />
                    <span>{l}</span>
                    {missing > 0 && <span className="badge warn">{t('{{count}} missing', { count: missing })}</span>}
                  </label>
                ) : (
                  t('Video')
                )}
              </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {formats.map((f) => (
            <tr key={f}>
              <th scope="row">
                <label className="checkbox">
                  <input
                    type="checkbox"
                    aria-label={t('Export the {{format}} format', { format: f })}
                    checked={pick.formats.includes(f)}
                    disabled={disabled || (pick.formats.length === 1 && pick.formats.includes(f))}
                    onChange={(e) => setPick({ ...pick, formats: formats.filter((x) => toggle(pick.formats, f, e.target.checked).includes(x)) })}
                  />
                  <span>{f}</span>
                </label>
              </th>
              {columns.map((l) => {
                const label = variantLabel(f, l);
                const on = pick.formats.includes(f) && (l === undefined || pick.languages.includes(l));
                const p = progress[label];
                return (
                  <td key={label} data-testid={`variant-${label}`} className={on ? 'on' : 'off'}>
                    {!on ? '—' : p ? (p.phase === 'done' ? '✓' : p.phase === 'failed' ? '✗' : `${Math.round(p.percent)}%`) : '●'}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t('{{count}} videos in one export', { count })}</p>
    </section>
  );
}
