/** App-level UI state: screens, dialogs, settings, export progress, notices. */
import { create } from 'zustand';
import type { Aspect } from '../../../shared/output-settings';
import type { AppInfo, AppSettings, ExportProgress, ExportRecord, ImportRefusal, MediaItem } from '../../../shared/api';
import type { SaveState } from '../app/draft-saver';
import type { BrandKit } from '../../../shared/brand-kit';

export type Dialog = 'none' | 'settings' | 'templates' | 'brand';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

export interface AppState {
  info: AppInfo | null;
  settings: AppSettings | null;
  dialog: Dialog;
  exportPanelOpen: boolean;
  exportProgress: ExportProgress | null;
  /** AWS target: the panel shows the cost estimate and waits for a confirmation. */
  exportConfirm: boolean;
  exportHistory: ExportRecord[];
  /** Variant projects: the formats and languages ticked for the next export (null: all of them). */
  exportPick: { formats: Aspect[]; languages: string[] } | null;
  /** Variant exports: the last phase and percent of each video, by label (`9x16-fr`). */
  variantProgress: Record<string, { phase: ExportProgress['phase']; percent: number }>;
  notices: Notice[];
  showSafeZones: boolean;
  /** The hotel's logo, colours and fonts (loaded at start). */
  brandKit: BrandKit | null;
  /** Dragging the logo keeps it clear of the apps' interface (on by default). */
  keepLogoSafe: boolean;
  /** Files being imported right now. */
  importing: number;
  /** Files the last import could not take, with the reason (shown in the media panel until dismissed). */
  importRefused: ImportRefusal[];
  /** The media library shared by every project (what was imported on this computer). */
  library: MediaItem[];
  /** Whether the open draft is on disk (shown in the top bar). */
  saveState: SaveState;
  /** Closing the project was stopped because its changes could not be saved. */
  closeBlocked: boolean;
  setDialog(dialog: Dialog): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

let noticeId = 0;

export const useApp = create<AppState>()((set) => ({
  info: null,
  settings: null,
  dialog: 'none',
  exportPanelOpen: false,
  exportProgress: null,
  exportConfirm: false,
  exportHistory: [],
  exportPick: null,
  variantProgress: {},
  notices: [],
  showSafeZones: false,
  brandKit: null,
  keepLogoSafe: true,
  importing: 0,
  importRefused: [],
  library: [],
  saveState: { status: 'saved' },
  closeBlocked: false,
  setDialog(dialog) {
    set({ dialog });
  },
  notify(kind, text) {
    const id = ++noticeId;
    set((s) => ({ notices: [...s.notices.slice(-3), { id, kind, text }] }));
    if (kind === 'info') setTimeout(() => useApp.getState().dismiss(id), 6000);
  },
  dismiss(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
}));
