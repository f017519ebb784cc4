import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { useApp } from '../store/app-store';
import { importFiles } from '../app/session';
import { useKeyboardShortcuts } from './useKeyboardShortcuts';
import { TopBar } from './TopBar';
import { MediaLibrary } from './MediaLibrary';
import { Preview } from './Preview';
import { Inspector } from './Inspector';
import { Timeline } from './Timeline';
import { ExportPanel } from './ExportPanel';
import { SettingsDialog } from './SettingsDialog';
import { BrandKitDialog } from './BrandKitDialog';
import { TemplatesDialog } from './TemplatesDialog';
import { MissingMediaBanner } from './MissingMediaBanner';
import { CloseBlockedDialog, SaveFailedBanner } from './SaveIndicator';

export function Editor() {
  const { t } = useTranslation();
  const dialog = useApp((s) => s.dialog);
  const exportPanelOpen = useApp((s) => s.exportPanelOpen);
  const closeBlocked = useApp((s) => s.closeBlocked);
  const [dragOver, setDragOver] = useState(false);
  useKeyboardShortcuts();

  // Drop video files anywhere on the window to import them.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragOver(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragOver(false);
      void importFiles(Array.from(e.dataTransfer?.files ?? []));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <div className="editor">
      <TopBar />
      <SaveFailedBanner />
      <MissingMediaBanner />
      <div className="workspace">
        <MediaLibrary />
        <Preview />
        <Inspector />
      </div>
      <Timeline />
      {exportPanelOpen && <ExportPanel />}
      {dialog === 'settings' && <SettingsDialog />}
      {dialog === 'brand' && <BrandKitDialog />}
      {dialog === 'templates' && <TemplatesDialog />}
      {closeBlocked && <CloseBlockedDialog />}
      {dragOver && (
        <div className="drop-veil" aria-hidden="true">
          <div>{t('Drop your videos to import them')}</div>
        </div>
      )}
    </div>
  );
}
