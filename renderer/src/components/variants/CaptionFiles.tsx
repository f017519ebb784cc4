import { useRef, useState } from 'react';
import { subtitleNoteText } from '../../i18n/subtitle-notes';
import { useTranslation } from '../../i18n/use-translation';
import { captionCues, planCaptionImport } from '../../../../shared/caption-files';
import { formatSrt, formatVtt, parseSubtitles } from '../../../../shared/subtitles';
import { formatTime } from '../../../../shared/time';
import { useEditor } from '../../store/editor-store';
import { languageName } from './languages';
import { useProjectVariants } from './use-shown-variant';

/**
 * Caption files for translators: each language's captions out as SRT or WebVTT, and a file in
 * for a language (its cues matched to the captions by time; the first language of a project
 * without captions makes them). What matched and what did not is said, never silently dropped.
 */
export function CaptionFiles() {
  const { t, i18n } = useTranslation();
  const overlays = useEditor((s) => s.overlays);
  const name = useEditor((s) => s.name);
  const fps = useEditor((s) => s.settings.fps);
  const { languages } = useProjectVariants();
  const rows: (string | undefined)[] = languages.length ? languages : [undefined];
  const [report, setReport] = useState<{ kind: 'ok' | 'error'; lines: string[] } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const importFor = useRef<string | undefined>(undefined);

  const save = (language: string | undefined, format: 'srt' | 'vtt') => {
    const cues = captionCues(overlays, language, languages[0]);
    const text = format === 'srt' ? formatSrt(cues) : formatVtt(cues);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: format === 'srt' ? 'application/x-subrip' : 'text/vtt' }));
    link.download = `${name || 'captions'}${language ? `-${language}` : ''}.${format}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };

  const read = async (file: File) => {
    const language = importFor.current;
    const parsed = parseSubtitles(await file.text(), /\.vtt$/i.test(file.name) ? 'vtt' : /\.srt$/i.test(file.name) ? 'srt' : undefined);
    if (!parsed.ok) {
      setReport({ kind: 'error', lines: [t('{{name}} could not be read as captions:', { name: file.name }), ...parsed.problems.map(subtitleNoteText)] });
      return;
    }
    const isFirst = language === undefined || language === languages[0];
    const plan = planCaptionImport(useEditor.getState().overlays, parsed.cues, isFirst);
    useEditor.getState().applyCaptionImport(language, plan);
    const lang = language ? languageName(language, i18n.language) : '';
    const lines =
      plan.kind === 'create'
        ? [t('{{count}} captions made from {{name}}.', { count: plan.cues.length, name: file.name })]
        : [
            t('{{count}} captions got their text from {{name}}', { count: plan.matches.length, name: file.name }) + (lang ? ` (${lang})` : '') + '.',
            ...plan.unmatchedCues.map((c) => t('Not used (no caption at that time): {{start}} "{{text}}"', { start: formatTime(c.start, fps), text: c.text.slice(0, 40) })),
            ...(plan.unmatchedOverlays.length ? [t('{{count}} captions met no cue and kept their text.', { count: plan.unmatchedOverlays.length })] : []),
          ];
    setReport({ kind: 'ok', lines: [...lines, ...parsed.notes.map(subtitleNoteText)] });
  };

  return (
    <div className="field caption-files">
      <span>{t('Caption files (SRT, WebVTT)')}</span>
      <ul className="language-list">
        {rows.map((l) => (
          <li key={l ?? '-'}>
            <span>{l ? languageName(l, i18n.language) : t('Captions')}</span>
            <button type="button" className="btn small ghost" aria-label={t('Save {{language}} as SRT', { language: l ?? '' })} onClick={() => save(l, 'srt')}>
              .srt
            </button>
            <button type="button" className="btn small ghost" aria-label={t('Save {{language}} as WebVTT', { language: l ?? '' })} onClick={() => save(l, 'vtt')}>
              .vtt
            </button>
            <button
              type="button"
              className="btn small"
              aria-label={t('Import captions for {{language}}', { language: l ?? '' })}
              onClick={() => {
                importFor.current = l;
                fileInput.current?.click();
              }}
            >
              {t('Import…')}
            </button>
          </li>
        ))}
      </ul>
      <input
        ref={fileInput}
        type="file"
        accept=".srt,.vtt,text/vtt,application/x-subrip"
        hidden
        data-testid="caption-file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void read(file);
        }}
      />
      {report && (
        <div className={report.kind === 'error' ? 'hint field-error' : 'hint'} role="status" data-testid="caption-import-report">
          {report.lines.map((line, i) => (
            <p key={i}>{line}</p>
          ))}
        </div>
      )}
    </div>
  );
}
