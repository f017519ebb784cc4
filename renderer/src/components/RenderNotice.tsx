import { useMemo } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { compileDraft } from '../../../shared/compile-draft';
import { formatTime } from '../../../shared/time';
import { useEditor } from '../store/editor-store';
import { draftIssueText } from '../i18n/draft-issues';
import { useApp } from '../store/app-store';
import { isVariantDraft, pickVariants } from '../../../shared/draft-variants';

/**
 * "What will render": the open draft through compileDraft — the same function the host runs on
 * export — so what is left out or changed is said before the render, not discovered after it.
 */
export function RenderNotice() {
  const { t } = useTranslation();
  const meta = useEditor((s) => s.meta);
  const settings = useEditor((s) => s.settings);
  const media = useEditor((s) => s.media);
  const segments = useEditor((s) => s.segments);
  const overlays = useEditor((s) => s.overlays);
  const missing = useEditor((s) => s.missingMedia);
  const formats = useEditor((s) => s.formats);
  const languages = useEditor((s) => s.languages);
  const pick = useApp((s) => s.exportPick);
  const fps = settings.fps;
  const compiled = useMemo(() => {
    if (!meta) return null;
    const draft = { ...meta, name: '', settings, media, segments, overlays, ...(formats && { formats }), ...(languages && { languages }) };
    // What the next export makes: only the ticked videos of a variant project.
    return compileDraft(pick && isVariantDraft(draft) ? pickVariants(draft, pick) : draft, { missingMedia: missing });
  }, [meta, settings, media, segments, overlays, missing, formats, languages, pick]);
  if (!compiled) return null;
  const issues = [...compiled.blocking, ...compiled.leftOut, ...compiled.warnings];
  const clips = compiled.request?.segments.length ?? 0;
  const texts = compiled.request?.text_overlays?.length ?? 0;
  return (
    <section className={`render-notice ${issues.length ? 'has-issues' : ''}`} aria-label={t('What will render')} data-testid="render-notice">
      <h3>{t('What will render')}</h3>
      {compiled.request && (
        <p className="small">
          {formatTime(compiled.duration, fps)} · {t('{{count}} clips', { count: clips })} · {t('{{count}} texts', { count: texts })}
        </p>
      )}
      {issues.length > 0 && (
        <ul className="render-issues">
          {issues.map((issue, i) => (
            <li key={`${issue.code}-${issue.path}-${i}`} className={compiled.blocking.includes(issue) ? 'blocking' : compiled.leftOut.includes(issue) ? 'left-out' : 'changed'}>
              {draftIssueText(issue)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
