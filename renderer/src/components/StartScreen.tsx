import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { host } from '../host';
import type { ProjectSummary } from '../../../shared/api';
import { formatTime } from '../../../shared/time';
import { createProject, errorMessage, openProject } from '../app/session';
import { useApp } from '../store/app-store';
import { SettingsDialog } from './SettingsDialog';
import { BrandKitDialog } from './BrandKitDialog';
import { ASPECTS } from '../../../shared/output-settings';

type Aspect = (typeof ASPECTS)[number];

export function StartScreen() {
  const { t, i18n } = useTranslation();
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [name, setName] = useState('');
  const [aspect, setAspect] = useState<Aspect>('9:16');
  const [busy, setBusy] = useState(false);
  const notify = useApp((s) => s.notify);
  const dialog = useApp((s) => s.dialog);
  const setDialog = useApp((s) => s.setDialog);

  const refresh = () =>
    host
      .listProjects()
      .then(setProjects)
      .catch(() => setProjects([]));
  useEffect(() => {
    void refresh();
  }, []);
  /** The project being renamed, and the one waiting for a delete confirmation. */
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <main className="start-screen">
      <header className="start-header">
        <div className="brand">
          <span className="brand-mark">H</span>
          <span>Hospup Studio</span>
        </div>
        <button type="button" className="btn ghost" onClick={() => setDialog('settings')}>
          {t('Settings')}
        </button>
      </header>
      <div className="start-body">
        <section className="start-card" aria-labelledby="new-project-title">
          <h2 id="new-project-title">{t('New video')}</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => createProject(name.trim() || t('Untitled video'), aspect));
            }}
          >
            <label className="field">
              <span>{t('Project name')}</span>
              <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('Untitled video')} maxLength={200} />
            </label>
            <fieldset className="aspect-picker">
              <legend>{t('Format')}</legend>
              {ASPECTS.map((a) => (
                <label key={a} className={`aspect-choice ${aspect === a ? 'on' : ''}`}>
                  <input type="radio" name="aspect" value={a} checked={aspect === a} onChange={() => setAspect(a)} />
                  <span className={`aspect-shape a-${a.replace(':', 'x')}`} aria-hidden="true" />
                  <span>{a}</span>
                  <small>{a === '9:16' ? t('Reels, TikTok, Shorts') : a === '16:9' ? t('YouTube, website') : t('Feed post')}</small>
                </label>
              ))}
            </fieldset>
            <button type="submit" className="btn primary" disabled={busy}>
              {t('Create project')}
            </button>
          </form>
        </section>
        <section className="start-card recent" aria-labelledby="recent-title">
          <h2 id="recent-title">{t('Recent projects')}</h2>
          {projects === null ? (
            <p className="muted">{t('Loading…')}</p>
          ) : projects.length === 0 ? (
            <p className="muted">{t('No projects yet. Create your first video on the left.')}</p>
          ) : (
            <ul className="recent-list" aria-label={t('Recent projects')}>
              {projects.map((p) => (
                <li key={p.id} className="recent-row">
                  {renaming?.id === p.id ? (
                    <form
                      className="recent-rename"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void run(async () => {
                          await host.renameProject(p.id, renaming.name);
                          setRenaming(null);
                          await refresh();
                        });
                      }}
                    >
                      <input aria-label={t('New name')} value={renaming.name} maxLength={200} autoFocus onChange={(e) => setRenaming({ id: p.id, name: e.target.value })} />
                      <button type="submit" className="btn small primary" disabled={busy}>
                        {t('Rename')}
                      </button>
                      <button type="button" className="btn small" onClick={() => setRenaming(null)}>
                        {t('Cancel')}
                      </button>
                    </form>
                  ) : (
                    <button type="button" className="recent-item" disabled={busy} onClick={() => void run(() => openProject(p.id))}>
                      <span className="recent-name">{p.name || t('Untitled video')}</span>
                      <span className="recent-meta">
                        {t('{{count}} clips', { count: p.segments })} · {formatTime(p.duration, 30, { frames: false })} · {dateFormat.format(new Date(p.updated_at))}
                      </span>
                    </button>
                  )}
                  {deleting === p.id ? (
                    <div className="recent-confirm" role="alertdialog" aria-label={t('Delete {{name}}?', { name: p.name })}>
                      <span>{t('Delete "{{name}}"? It goes to the trash folder and can be recovered from there.', { name: p.name })}</span>
                      <button
                        type="button"
                        className="btn small danger"
                        onClick={() =>
                          void run(async () => {
                            await host.deleteProject(p.id);
                            setDeleting(null);
                            await refresh();
                          })
                        }
                      >
                        {t('Delete')}
                      </button>
                      <button type="button" className="btn small" onClick={() => setDeleting(null)}>
                        {t('Cancel')}
                      </button>
                    </div>
                  ) : (
                    renaming?.id !== p.id && (
                      <div className="recent-actions">
                        <button type="button" className="btn small ghost" aria-label={t('Rename {{name}}', { name: p.name })} onClick={() => setRenaming({ id: p.id, name: p.name })}>
                          {t('Rename')}
                        </button>
                        <button
                          type="button"
                          className="btn small ghost"
                          aria-label={t('Duplicate {{name}}', { name: p.name })}
                          onClick={() =>
                            void run(async () => {
                              await host.duplicateProject(p.id, t('{{name}} (copy)', { name: p.name }));
                              await refresh();
                            })
                          }
                        >
                          {t('Duplicate')}
                        </button>
                        <button type="button" className="btn small ghost" aria-label={t('Delete {{name}}', { name: p.name })} onClick={() => setDeleting(p.id)}>
                          {t('Delete')}
                        </button>
                      </div>
                    )
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {dialog === 'settings' && <SettingsDialog />}
      {dialog === 'brand' && <BrandKitDialog />}
    </main>
  );
}
