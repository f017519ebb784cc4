import { useStore } from 'zustand';
import { useTranslation } from '../i18n/use-translation';
import { redo, undo, useEditor } from '../store/editor-store';
import { useApp } from '../store/app-store';
import { closeProject, saveProject, startExport, isFinished } from '../app/session';
import { Icon } from './Icon';
import { SaveIndicator } from './SaveIndicator';

export function TopBar() {
  const { t } = useTranslation();
  const name = useEditor((s) => s.name);
  const setName = useEditor((s) => s.setName);
  const canUndo = useStore(useEditor.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(useEditor.temporal, (s) => s.futureStates.length > 0);
  const setDialog = useApp((s) => s.setDialog);
  const progress = useApp((s) => s.exportProgress);
  const exporting = progress !== null && !isFinished(progress.phase);
  const settings = useApp((s) => s.settings);

  return (
    <header className="topbar">
      <div className="topbar-left">
        <button type="button" className="brand-btn" onClick={() => void closeProject()} title={t('Back to projects')} aria-label={t('Back to projects')}>
          <span className="brand-mark">H</span>
        </button>
        <input
          className="project-name"
          aria-label={t('Project name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          // Renaming (focus to blur) is one undo step, not one per letter.
          onFocus={() => useEditor.getState().beginGesture()}
          onBlur={() => useEditor.getState().endGesture()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          }}
        />
      </div>
      <div className="topbar-center">
        <button type="button" className="btn ghost" onClick={undo} disabled={!canUndo} title={`${t('Undo')} (Ctrl+Z)`}>
          <Icon name="undo" />
          <span>{t('Undo')}</span>
        </button>
        <button type="button" className="btn ghost" onClick={redo} disabled={!canRedo} title={`${t('Redo')} (Ctrl+Shift+Z)`}>
          <Icon name="redo" />
          <span>{t('Redo')}</span>
        </button>
        <span className="divider" />
        <button type="button" className="btn ghost" onClick={() => void saveProject()} title={`${t('Save')} (Ctrl+S)`}>
          <Icon name="save" />
          <span>{t('Save')}</span>
        </button>
        <button type="button" className="btn ghost" onClick={() => setDialog('templates')}>
          <Icon name="template" />
          <span>{t('Templates')}</span>
        </button>
        <button type="button" className="btn ghost" onClick={() => setDialog('brand')}>
          <Icon name="template" />
          <span>{t('Brand kit')}</span>
        </button>
        <button type="button" className="btn ghost" onClick={() => setDialog('settings')}>
          <Icon name="settings" />
          <span>{t('Settings')}</span>
        </button>
      </div>
      <div className="topbar-right">
        <SaveIndicator />
        {settings?.target === 'aws' && <span className="target-pill">AWS</span>}
        <button
          type="button"
          className="btn primary export-btn"
          aria-label={t('Export')}
          onClick={() => {
            if (exporting) useApp.setState({ exportPanelOpen: true });
            else void startExport();
          }}
        >
          <Icon name="export" />
          {t('Export')}
        </button>
      </div>
    </header>
  );
}
