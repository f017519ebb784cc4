/**
 * The editor session: everything that talks to the host (open/create/save projects,
 * autosave, import, relink, export). Components call these functions; the stores hold the
 * results.
 */
import { host } from '../host';
import type { AppSettingsPatch, HostEvent, ExportProgress, ImportRefusal, MediaItem } from '../../../shared/api';
import type { Draft } from '../../../shared/draft';
import { useEditor } from '../store/editor-store';
import { useApp } from '../store/app-store';
import { usePlayback } from '../store/playback-store';
import { compileDraft, type CompiledDraft } from '../../../shared/compile-draft';
import { isVariantDraft, pickVariants } from '../../../shared/draft-variants';
import { draftIssueText } from '../i18n/draft-issues';
import { applyLocale } from '../i18n';
import { i18n } from '../i18n';
import { createDraftSaver, createJournal, type DraftSaver } from './draft-saver';
import { LAST_PROJECT_KEY, startupRequests } from './startup-requests';
import { AppError, type MessageParams } from '../../../shared/errors';
import { PHOTO_FILE_PATTERN } from '../../../shared/photo';
import { applyBrandKit, type BrandKitPatch } from '../../../shared/brand-kit';
import type { Aspect } from '../../../shared/output-settings';


const t = (key: string, options?: Record<string, unknown>) => i18n.t(key, options) as string;

/** Any error in words for the person, in the editor's language when the host gave its template. */
export function errorMessage(error: unknown): string {
  if (error instanceof AppError) return hostMessage(error);
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A message the host wrote, translated when it came with its template (key) and the table has it. */
export function hostMessage(error: { message: string; key?: string; params?: MessageParams }): string {
  if (error.key && i18n.language !== 'en' && i18n.exists(error.key)) return t(error.key, error.params);
  return error.message;
}

/* ------------------------------------------------------------------ startup */

let started = false;

export async function startSession(): Promise<void> {
  if (started) return;
  started = true;
  host.onEvent(handleHostEvent);
  for (const event of startupRequests.takeEarlyEvents()) handleHostEvent(event);
  // Sent already (startup-requests.ts), together: startup is one round trip, not three.
  const { lastProjectId: last, reopening } = startupRequests;
  const [info, settings] = await Promise.all([startupRequests.info, startupRequests.settings]);
  useApp.setState({ info, settings, showSafeZones: settings.showSafeZones });
  void host.getBrandKit().then((brandKit) => useApp.setState({ brandKit })).catch(() => undefined);
  applyLocale(settings.locale, info.systemLocale);
  void refreshExports();
  installAutosave();
  const opened = await reopening;
  if (opened) await loadOpened(opened.project, opened.missingMedia, opened.recovered, false);
  else if (last) safeStorageSet(LAST_PROJECT_KEY, null);
}

function handleHostEvent(event: HostEvent): void {
  if (event.type === 'media-updated') onMediaUpdated(event.media);
  else if (event.type === 'export-progress') onExportProgress(event.progress);
  else if (event.type === 'exports-changed') void refreshExports();
}

/**
 * News about a media file (thumbnail made, proxy ready): the open project takes it only when it
 * uses that media; the shared library list always does (other projects' media are served too).
 */
function onMediaUpdated(media: MediaItem): void {
  // A file this window is importing shows up (with its progress) before the whole batch answers.
  const ours = useEditor.getState().media.some((m) => m.id === media.id) || importingNames.has(media.name);
  if (ours) useEditor.getState().upsertMediaItems([media]);
  const library = useApp.getState().library;
  const at = library.findIndex((m) => m.id === media.id);
  useApp.setState({ library: at < 0 ? [media, ...library] : library.map((m, i) => (i === at ? media : m)) });
}

/* ---------------------------------------------------------------- projects */

export async function openProject(id: string): Promise<void> {
  const opened = await host.openProject(id);
  await loadOpened(opened.project, opened.missingMedia, opened.recovered);
}

export async function createProject(name: string, aspect: Aspect): Promise<void> {
  const opened = await host.createProject(name, aspect);
  await loadOpened(opened.project, opened.missingMedia, false);
}

async function loadOpened(project: Draft, missing: string[], recovered: boolean, waitForMedia = true): Promise<void> {
  const editor = useEditor.getState();
  editor.closeProject();
  // Changes this window could not hand to the host (failed saves, a crash) are in the journal.
  const journaled = journal.read(project.id);
  const fromJournal = journaled && journaled.at > Date.parse(project.updated_at) ? journaled.draft : undefined;
  editor.loadProject(fromJournal ?? project, missing);
  // Ticks are per project: a newly opened one exports all its videos until told otherwise.
  useApp.setState({ exportPick: null, variantProgress: {} });
  usePlayback.getState().seek(0);
  usePlayback.getState().setPlaying(false);
  safeStorageSet(LAST_PROJECT_KEY, project.id);
  // A recovered copy is newer than the project file: closing must write it there.
  saver.opened(0, { fileBehind: recovered || !!fromJournal });
  if (fromJournal) {
    useApp.getState().notify('info', t('Changes that could not be saved earlier were restored from this window.'));
    // Hand them to the host now.
    useEditor.setState((s) => ({ revision: s.revision + 1 }));
  } else if (journaled) journal.clear(project.id);
  if (recovered && !fromJournal) useApp.getState().notify('info', t('Your latest changes were restored.'));
  void refreshLibrary();
  if (project.media.length) {
    const registering = host
      .registerMedia(project.media)
      .then((items) => useEditor.getState().upsertMediaItems(items))
      .catch((error) => useApp.getState().notify('error', errorMessage(error)));
    if (waitForMedia) await registering;
  }
}

/**
 * Back to the projects: the changes go into the project file itself (so reopening does not
 * announce "recovered" changes). When that write fails, the project stays open and the user
 * chooses: keep editing, or close anyway (the changes stay in this window's journal).
 */
export async function closeProject(force = false): Promise<boolean> {
  if (!force && !(await saver.close())) {
    useApp.setState({ closeBlocked: true });
    return false;
  }
  saver.dispose();
  useApp.setState({ closeBlocked: false });
  safeStorageSet(LAST_PROJECT_KEY, null);
  useEditor.getState().closeProject();
  return true;
}

export async function saveProject(): Promise<void> {
  if (await saver.save()) useApp.getState().notify('info', t('Project saved'));
}

/* ---------------------------------------------------------------- autosave */

const journal = createJournal(safeLocalStorage());

export const saver: DraftSaver = createDraftSaver({
  host,
  journal,
  current() {
    const state = useEditor.getState();
    const draft = state.getDraftForSave();
    return draft && { draft, revision: state.revision };
  },
  revision() {
    const state = useEditor.getState();
    return state.meta ? state.revision : null;
  },
  currentForJournal() {
    const state = useEditor.getState();
    const draft = state.getProject();
    return draft && { draft, revision: state.revision };
  },
  // Every edit says "pending" again: an unchanged state is not set again (its readers would re-render on each edit).
  onState: (saveState) => {
    const now = useApp.getState().saveState;
    if (now.status !== saveState.status || now.error !== saveState.error || now.retryAt !== saveState.retryAt) useApp.setState({ saveState });
  },
});

function installAutosave(): void {
  useEditor.subscribe((state, previous) => {
    if (state.revision === previous.revision || !state.meta) return;
    saver.changed();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void saver.flush();
  });
  window.addEventListener('beforeunload', (event) => {
    if (!saver.hasUnsavedChanges()) return;
    void saver.flush();
    // The browser asks "Leave site?": the journal keeps the changes either way.
    event.preventDefault();
    event.returnValue = '';
  });
  window.addEventListener('pagehide', () => void saver.flush());
}

/** Write the recovery copy now if anything changed since the last write. */
export async function flushAutosave(): Promise<void> {
  await saver.flush();
}

/* ------------------------------------------------------------------- media */

/** Names of the files this window is importing right now. */
const importingNames = new Set<string>();

const VIDEO_NAME = /\.(mp4|mov|m4v|mkv|webm|avi|mts|hevc|3gp)$/i;
/** Photos the host converts (HEIC too, which browsers do not read themselves). */
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'];

/**
 * Import a batch: every good file comes in; each refused one (a photo, a document, a file the
 * host cannot read) is listed in the media panel with its reason. One bad file never stops the rest.
 */
export async function importFiles(files: readonly File[]): Promise<void> {
  const refused: ImportRefusal[] = [];
  const videos: File[] = [];
  for (const file of files) {
    if (file.type.startsWith('video/') || VIDEO_NAME.test(file.name) || PHOTO_TYPES.includes(file.type) || PHOTO_FILE_PATTERN.test(file.name)) videos.push(file);
    else if (file.type.startsWith('image/')) refused.push({ name: file.name, code: 'photo', message: t('This kind of picture cannot be used: import JPEG, PNG, WebP or HEIC photos.') });
    else refused.push({ name: file.name, code: 'not-a-video', message: t('It is not a video or a photo.') });
  }
  useApp.setState({ importing: useApp.getState().importing + videos.length, importRefused: [] });
  for (const file of videos) importingNames.add(file.name);
  try {
    if (videos.length) {
      const result = await host.importFiles(videos);
      // An event may have brought a newer state of an item (its thumbnail) before the answer did.
      const latest = new Map(useApp.getState().library.map((m) => [m.id, m]));
      useEditor.getState().upsertMediaItems(result.imported.map((item) => latest.get(item.id) ?? item));
      refused.push(...result.refused.map((r) => ({ ...r, message: hostMessage(r) })));
    }
  } catch (error) {
    // The host itself failed (not one file): every file not imported is listed with that reason.
    refused.push(...videos.map((f) => ({ name: f.name, code: 'internal', message: errorMessage(error) })));
  } finally {
    for (const file of videos) importingNames.delete(file.name);
    useApp.setState({ importing: Math.max(0, useApp.getState().importing - videos.length), importRefused: refused });
  }
  void refreshLibrary();
}

/** The media of every project on this computer, for the library panel. */
export async function refreshLibrary(): Promise<void> {
  try {
    useApp.setState({ library: await host.listLibrary() });
  } catch {
    /* the shared library is a convenience: the project's own media are still there */
  }
}

/** A clip from another project joins this one (its media reference is added; nothing is copied). */
export function addFromLibrary(item: MediaItem): void {
  useEditor.getState().upsertMediaItems([item]);
}

export async function relinkMedia(mediaId: string, file: File): Promise<void> {
  try {
    const item = await host.relinkMedia(mediaId, file);
    useEditor.getState().upsertMediaItems([item]);
    useApp.getState().notify('info', t('{{name}} is linked again.', { name: item.name }));
  } catch (error) {
    useApp.getState().notify('error', t('Relink failed: {{message}}', { message: errorMessage(error) }));
  }
}

/* ---------------------------------------------------------------- settings */

export async function updateSettings(patch: AppSettingsPatch): Promise<void> {
  const settings = await host.updateSettings(patch);
  useApp.setState({ settings, showSafeZones: settings.showSafeZones });
  applyLocale(settings.locale, useApp.getState().info?.systemLocale);
}

/* ------------------------------------------------------------------ export */

/** The open draft, as saved and exported: the host compiles it with compileDraft (as the notice does). */
export function currentDraft(): Draft | null {
  return useEditor.getState().getProject();
}

/** The draft one export makes: a variant project restricted to the formats and languages ticked in the export panel. */
export function exportDraft(): Draft | null {
  const draft = currentDraft();
  const pick = useApp.getState().exportPick;
  return draft && pick && isVariantDraft(draft) ? pickVariants(draft, pick) : draft;
}

/** What the next export will render: the same compileDraft the host runs on export. */
export function compileCurrentDraft(): CompiledDraft | null {
  const draft = exportDraft();
  return draft && compileDraft(draft, { missingMedia: useEditor.getState().missingMedia });
}

/**
 * One click: local target exports at once; AWS target first shows the cost estimate and
 * exports when the user confirms (`confirmed`).
 */
export async function startExport(confirmed = false): Promise<void> {
  const project = exportDraft();
  const compiled = compileCurrentDraft();
  if (!project || !compiled) return;
  // Several videos: first the matrix of formats x languages to tick (and the cost on AWS).
  const askFirst = useApp.getState().settings?.target === 'aws' || isVariantDraft(project) || useApp.getState().exportPick !== null;
  if (!confirmed && askFirst && (compiled.request || isVariantDraft(project))) {
    useApp.setState({ exportPanelOpen: true, exportConfirm: true, exportProgress: null });
    return;
  }
  useApp.setState({
    exportPanelOpen: true,
    exportConfirm: false,
    exportProgress: { exportId: '', phase: 'preparing', percent: 0 },
    variantProgress: {},
  });
  if (!compiled.request) {
    // Nothing can render: say why in the panel (the notice lists each reason) without asking the host.
    const first = compiled.blocking[0];
    useApp.setState({
      exportProgress: {
        exportId: '',
        phase: 'failed',
        percent: 0,
        error: { code: 'invalid-input', message: first ? draftIssueText(first) : t('Add at least one clip to the timeline before exporting.'), retryable: false },
      },
    });
    return;
  }
  try {
    await flushAutosave();
    const { exportId } = await host.startExport(project);
    const current = useApp.getState().exportProgress;
    if (!current || current.exportId === '' || current.exportId === exportId) {
      useApp.setState({ exportProgress: { ...(current ?? { phase: 'preparing', percent: 0 }), exportId } });
    }
  } catch (error) {
    useApp.setState({
      exportProgress: {
        exportId: '',
        phase: 'failed',
        percent: 0,
        error: { code: 'internal', message: errorMessage(error), retryable: true },
      },
    });
  }
}

function onExportProgress(progress: ExportProgress): void {
  const current = useApp.getState().exportProgress;
  // Only the export this window is showing: not an earlier one, nor one started before a reload
  // or in another window (those land in the history, without popping the panel open).
  const ours = current && (current.exportId === '' || current.exportId === progress.exportId);
  if (!ours) {
    if (isFinished(progress.phase)) void refreshExports();
    return;
  }
  useApp.setState((s) => ({ exportProgress: progress, exportPanelOpen: true, variantProgress: withVariantProgress(s.variantProgress, progress) }));
  if (isFinished(progress.phase)) void refreshExports();
}

/** Each video's own progress: an event names the videos it is about (a format's render: all its languages). */
function withVariantProgress(current: Record<string, { phase: ExportProgress['phase']; percent: number }>, progress: ExportProgress) {
  if (progress.phase === 'done' && progress.files) return Object.fromEntries(progress.files.map((f) => [f.label, { phase: 'done' as const, percent: 100 }]));
  if (!progress.variants) return current;
  const next = { ...current };
  for (const label of progress.variants) next[label] = { phase: progress.phase, percent: progress.percent };
  return next;
}

export function isFinished(phase: ExportProgress['phase']): boolean {
  return phase === 'done' || phase === 'failed' || phase === 'cancelled';
}

export async function cancelExport(): Promise<void> {
  const progress = useApp.getState().exportProgress;
  if (!progress?.exportId) return;
  try {
    await host.cancelExport(progress.exportId);
  } catch (error) {
    useApp.getState().notify('error', errorMessage(error));
  }
}

export async function refreshExports(): Promise<void> {
  try {
    useApp.setState({ exportHistory: await host.listExports() });
  } catch {
    /* history is optional */
  }
}

export async function showInFolder(path: string): Promise<void> {
  try {
    await host.showInFolder(path);
  } catch (error) {
    useApp.getState().notify('error', errorMessage(error));
  }
}

/* --------------------------------------------------------------- helpers */

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function safeStorageSet(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode: no last-project memory */
  }
}

/* --------------------------------------------------------------- brand kit */

/** Makes a PNG or SVG file the hotel's logo (kept once in the app). */
export async function setBrandLogo(file: File): Promise<void> {
  try {
    const path = await host.stageFile(file);
    useApp.setState({ brandKit: await host.setBrandLogo(path) });
  } catch (error) {
    useApp.getState().notify('error', t('The logo could not be set: {{message}}', { message: errorMessage(error) }));
  }
}

export async function clearBrandLogo(): Promise<void> {
  useApp.setState({ brandKit: await host.clearBrandLogo() });
}

export async function updateBrandKit(patch: BrandKitPatch): Promise<void> {
  try {
    useApp.setState({ brandKit: await host.updateBrandKit(patch) });
  } catch (error) {
    useApp.getState().notify('error', errorMessage(error));
  }
}

/** Puts the brand logo on the open project (replacing its logo), placed clear of the apps' interface. */
export function applyBrandLogo(): void {
  const kit = useApp.getState().brandKit;
  const draft = useEditor.getState().getProject();
  if (!kit?.logo || !draft) return;
  const branded = applyBrandKit({ ...draft, logo: null }, kit);
  useEditor.getState().setLogo(branded.logo ?? null);
}
