import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { TemplateSummary } from '../../../shared/api';
import { formatTime } from '../../../shared/time';
import { host } from '../host';
import { useApp } from '../store/app-store';
import { useEditor } from '../store/editor-store';
import { errorMessage } from '../app/session';
import { Modal } from './Modal';
import { localizeTemplateText } from '../i18n/template-texts';

/**
 * Reel templates: pick one to fill its slots with the clips in the library (in order), or
 * save the current project as a template.
 */
export function TemplatesDialog() {
  const { t } = useTranslation();
  const close = () => useApp.getState().setDialog('none');
  const notify = useApp((s) => s.notify);
  const media = useEditor((s) => s.media);
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [chosen, setChosen] = useState<string[]>(() => media.map((m) => m.id));
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    host
      .listTemplates()
      .then(setTemplates)
      .catch((e) => {
        notify('error', errorMessage(e));
        setTemplates([]);
      });
  }, [notify]);

  /** The template the user chose while the timeline has clips: ask what to do with them first. */
  const [asking, setAsking] = useState<TemplateSummary | null>(null);

  const choose = (template: TemplateSummary) => {
    const s = useEditor.getState();
    if (s.segments.length > 0 || s.overlays.length > 0) setAsking(template);
    else void apply(template, 'replace');
  };

  const apply = async (template: TemplateSummary, mode: 'replace' | 'append') => {
    setAsking(null);
    const editor = useEditor.getState();
    const project = editor.getProject();
    if (!project) return;
    setBusy(true);
    try {
      const applied = await host.applyTemplate(template.id, project, chosen, mode);
      const existing = new Set(project.overlays.map((o) => o.id));
      const filled = template.builtIn
        ? {
            ...applied,
            overlays: applied.overlays.map((o) => (existing.has(o.id) ? o : { ...o, content: localizeTemplateText(o.content, applied.name, t) })),
          }
        : applied;
      // Applying is one edit of the open project: one undo step (a single tracked change).
      const { name: _n, settings: _s, segments: _g, overlays: _o, media, history: _h, ...meta } = filled;
      useEditor.setState((s) => ({
        meta,
        media,
        name: filled.name,
        settings: filled.settings,
        segments: filled.segments,
        overlays: filled.overlays,
        selection: { kind: 'none' },
        revision: s.revision + 1,
      }));
      notify('info', t('Template "{{name}}" applied.', { name: shownName(template) }));
      close();
    } catch (e) {
      notify('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  // Built-in names and descriptions are translation keys; users' own templates are shown as written.
  const shownName = (tpl: TemplateSummary) => (tpl.builtIn ? t(tpl.name) : tpl.name);
  const shownDescription = (tpl: TemplateSummary) => (tpl.builtIn ? t(tpl.description) : tpl.description);

  const saveAsTemplate = async () => {
    const project = useEditor.getState().getProject();
    if (!project || !name.trim()) return;
    setBusy(true);
    try {
      const saved = await host.saveAsTemplate(project, name.trim());
      setTemplates((list) => [...(list ?? []), saved]);
      setName('');
      notify('info', t('Saved as template "{{name}}".', { name: saved.name }));
    } catch (e) {
      notify('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('Templates')} onClose={close} wide>
      <p className="muted">{t('A template gives your video a rhythm: each slot is filled with one of your clips, in order, with ready-made titles.')}</p>
      {asking && (
        <div className="template-ask" role="alertdialog" aria-label={t('Your timeline already has clips')}>
          <p>
            <strong>{t('Your timeline already has clips.')}</strong> {t('What should "{{name}}" do with them?', { name: shownName(asking) })}
          </p>
          <div className="modal-actions">
            <button type="button" className="btn primary" onClick={() => void apply(asking, 'append')}>
              {t('Add after my clips')}
            </button>
            <button type="button" className="btn danger" onClick={() => void apply(asking, 'replace')}>
              {t('Replace my clips and texts')}
            </button>
            <button type="button" className="btn" onClick={() => setAsking(null)}>
              {t('Cancel')}
            </button>
          </div>
          <p className="muted small">{t('Either way, Undo brings back the timeline as it was.')}</p>
        </div>
      )}
      {media.length > 0 && (
        <fieldset className="template-media">
          <legend>{t('Clips to use')}</legend>
          {media.map((m) => (
            <label key={m.id} className="chip">
              <input
                type="checkbox"
                checked={chosen.includes(m.id)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, m.id] : c.filter((x) => x !== m.id)))}
              />
              {m.name}
            </label>
          ))}
        </fieldset>
      )}
      {templates === null ? (
        <p className="muted">{t('Loading…')}</p>
      ) : (
        <ul className="template-grid" aria-label={t('Templates')}>
          {templates.map((tpl) => {
            const total = tpl.slots.reduce((s, x) => s + x.duration, 0);
            return (
              <li key={tpl.id} className="template-card">
                <div className={`template-thumb a-${tpl.aspect.replace(':', 'x')}`} aria-hidden="true">
                  {tpl.slots.map((slot, i) => (
                    <span key={i} style={{ flexGrow: slot.duration }} />
                  ))}
                </div>
                <h3>{shownName(tpl)}</h3>
                <p className="muted small">{shownDescription(tpl)}</p>
                <p className="small">
                  {tpl.aspect} · {t('{{count}} clips', { count: tpl.slots.length })} · {formatTime(total, 30, { frames: false })}
                </p>
                <button type="button" className="btn small primary" disabled={busy || chosen.length === 0} onClick={() => choose(tpl)} aria-label={t('Use template {{name}}', { name: shownName(tpl) })}>
                  {t('Use')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form
        className="save-template"
        onSubmit={(e) => {
          e.preventDefault();
          void saveAsTemplate();
        }}
      >
        <label className="field">
          <span>{t('Template name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        <button type="submit" className="btn" disabled={busy || !name.trim()}>
          {t('Save as template')}
        </button>
      </form>
    </Modal>
  );
}
