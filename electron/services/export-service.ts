// Exports started from the editor: one click runs the exporter against the target chosen in
// Settings (the embedded local cloud, started on first use and kept for the app's life, or
// AWS), writes `<project name> <yyyy-mm-dd hh-mm>.mp4` into the export folder without ever
// overwriting (a project of several formats or languages: a folder of that name holding
// `<project name>-9x16-fr.mp4` per video), streams `export-progress` events, and keeps a
// history in exports.json.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSettings, ExportError, ExportFile, ExportPhase, ExportProgress, ExportRecord } from '../../shared/api';
import { isVariantDraft } from '../../shared/draft-variants';
import { billedMinutes } from '../../shared/cost';
import type { Draft } from '../../shared/draft';
import type { EventHub } from './events';
import type { ExportOptions, ExportResult } from './export/exporter';
import type { CloudTarget } from '../../node/cloud-target';
import { ExportFailure } from './export/export-failure';
import { isErrorCode } from '../../shared/errors';
import { readTextIfExists, writeJsonAtomic } from './fs-atomic';

/** The exporter's shape as this service uses it (electron/services/export/exporter.ts; types only, nothing loaded). */
export interface ExporterLike {
  exportRequest(
    input: unknown,
    opts: Pick<ExportOptions, 'outPath' | 'signal' | 'onProgress' | 'missingMedia'>,
  ): Promise<Pick<ExportResult, 'outputPath' | 'sizeBytes' | 'durationSec' | 'jobId' | 'warnings' | 'billedSeconds' | 'variants'>>;
}

export interface ExportServiceOptions {
  exportsFile: string;
  /** The export folder when the settings leave it empty. */
  defaultExportDir: string;
  getSettings(): Promise<AppSettings>;
  events: EventHub;
  /** The cloud target and its exporter for a settings target (local cloud started lazily by the caller). */
  exporterFor(target: AppSettings['target'], settings: AppSettings): Promise<ExporterLike>;
  /** Media of the draft whose file is gone (compileDraft leaves their clips out, as the editor shows). */
  missingMedia?(draft: Draft): string[];
  now?: () => Date;
  /** Web mode: where the browser downloads a finished export, or one video of it by label (Electron shows it in its folder instead). */
  downloadUrlFor?(exportId: string, label?: string): string;
  /** Most records kept in exports.json. */
  historyLimit?: number;
  /**
   * Called once when an export submits its render; what it returns is called once when that
   * export ends, however it ends (done, failed, cancelled). The host pauses background media
   * work in between.
   */
  onRenderStart?(target: AppSettings['target']): (() => void) | undefined;
}

export interface ExportService {
  start(project: Draft): Promise<{ exportId: string }>;
  cancel(exportId: string): Promise<void>;
  list(): Promise<ExportRecord[]>;
  /** Resolves when the export has finished (any outcome); for tests and the CLI. */
  finished(exportId: string): Promise<ExportRecord | undefined>;
  close(): Promise<void>;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

export function createExportService(opts: ExportServiceOptions): ExportService {
  const now = opts.now ?? (() => new Date());
  const limit = opts.historyLimit ?? 200;
  const running = new Map<string, Running>();
  const reservedPaths = new Set<string>();
  let history: ExportRecord[] | undefined;
  let writing: Promise<unknown> = Promise.resolve();

  async function load(): Promise<ExportRecord[]> {
    if (history) return history;
    const text = await readTextIfExists(opts.exportsFile);
    let records: ExportRecord[] = [];
    try {
      records = text ? (JSON.parse(text) as ExportRecord[]) : [];
      if (!Array.isArray(records)) records = [];
    } catch {
      console.warn(`exports: ${opts.exportsFile} is unreadable; starting a new history`);
    }
    // Exports still "running" in the file were cut short when the app last closed.
    history = records.map((r) =>
      r.status === 'running'
        ? { ...r, status: 'failed', finishedAt: r.startedAt, error: { code: 'interrupted', message: 'The app was closed during this export. Export again.', retryable: true } }
        : r,
    );
    return history;
  }

  function persist(): Promise<void> {
    const snapshot = (history ?? []).slice(0, limit);
    const run = writing.then(() => writeJsonAtomic(opts.exportsFile, snapshot));
    writing = run.catch((err) => console.error('exports: could not save the history:', (err as Error).message));
    return run;
  }

  async function update(id: string, patch: Partial<ExportRecord>): Promise<void> {
    const records = await load();
    const i = records.findIndex((r) => r.id === id);
    if (i >= 0) records[i] = { ...records[i], ...patch };
    await persist().catch(() => undefined);
    opts.events.emit({ type: 'exports-changed' });
  }

  /** Web mode: each video of a variant export gets its own download address. */
  function withDownloads(id: string, files: ExportFile[]): ExportFile[] {
    return opts.downloadUrlFor ? files.map((f) => ({ ...f, downloadUrl: opts.downloadUrlFor!(id, f.label) })) : files;
  }

  function emitProgress(progress: ExportProgress): void {
    opts.events.emit({ type: 'export-progress', progress });
  }

  async function run(id: string, project: Draft, settings: AppSettings, controller: AbortController): Promise<void> {
    const { signal } = controller;
    let reserved: string | undefined;
    let lastEmit = 0;
    let lastPhase: ExportPhase | undefined;
    let lastVariants: string | undefined;
    let renderEnded: (() => void) | undefined;
    try {
      emitProgress({ exportId: id, phase: 'preparing', percent: 0 });
      const exportDir = settings.exportDir || opts.defaultExportDir;
      await mkdir(exportDir, { recursive: true });
      // Several videos: a folder per export; the exporter adds each video's label to the file name.
      const variants = isVariantDraft(project);
      reserved = variants ? reserveOutputFolder(exportDir, project.name, now(), reservedPaths) : reserveOutputPath(exportDir, project.name, now(), reservedPaths);
      if (variants) await mkdir(reserved, { recursive: true });
      const outPath = variants ? join(reserved, `${sanitiseName(project.name)}.mp4`) : reserved;
      const exporter = await opts.exporterFor(settings.target, settings);
      signal.throwIfAborted();
      const result = await exporter.exportRequest(project, {
        outPath,
        signal,
        missingMedia: opts.missingMedia?.(project) ?? [],
        onProgress(p) {
          if ((p.phase === 'submitting' || p.phase === 'rendering') && !renderEnded) renderEnded = opts.onRenderStart?.(settings.target) ?? (() => {});
          if (p.phase === 'done') return; // announced below, with the file
          const t = Date.now();
          // Phase (or video) changes always; within a phase about ten updates a second.
          const about = p.variants?.join(',');
          if (p.phase !== lastPhase || about !== lastVariants || t - lastEmit >= 100 || p.percent >= 100) {
            lastPhase = p.phase;
            lastVariants = about;
            lastEmit = t;
            emitProgress({ exportId: id, ...p, percent: clampPercent(p.percent) });
          }
        },
      });
      const files = result.variants?.map((v): ExportFile => ({ label: v.label, outputPath: v.outputPath, sizeBytes: v.sizeBytes }));
      await update(id, {
        status: 'done',
        finishedAt: now().toISOString(),
        // A variant export's place is its folder; each video is in `files`.
        outputPath: files ? reserved : result.outputPath,
        sizeBytes: files ? files.reduce((sum, f) => sum + f.sizeBytes, 0) : result.sizeBytes,
        durationSec: result.durationSec,
        ...(files && { files }),
        ...(settings.target === 'aws' && result.billedSeconds !== undefined && { billedMinutes: billedMinutes(result.billedSeconds) }),
      });
      const downloadUrl = files ? undefined : opts.downloadUrlFor?.(id);
      emitProgress({
        exportId: id, phase: 'done', percent: 100, outputPath: files ? reserved : result.outputPath, warnings: result.warnings,
        ...(downloadUrl && { downloadUrl }),
        ...(files && { files: withDownloads(id, files) }),
      });
    } catch (err) {
      if (signal.aborted || (err instanceof ExportFailure && err.code === 'cancelled')) {
        await update(id, { status: 'cancelled', finishedAt: now().toISOString() });
        emitProgress({ exportId: id, phase: 'cancelled', percent: 0 });
      } else {
        const error = toExportError(err);
        await update(id, { status: 'failed', finishedAt: now().toISOString(), error });
        emitProgress({ exportId: id, phase: 'failed', percent: 0, error, message: error.message });
      }
    } finally {
      renderEnded?.();
      if (reserved) reservedPaths.delete(reserved);
      running.delete(id);
    }
  }

  return {
    async start(project) {
      const settings = await opts.getSettings();
      const id = randomUUID();
      const record: ExportRecord = {
        id,
        projectId: project.id,
        projectName: project.name,
        target: settings.target,
        startedAt: now().toISOString(),
        status: 'running',
      };
      const records = await load();
      records.unshift(record);
      if (records.length > limit) records.length = limit;
      await persist().catch(() => undefined);
      opts.events.emit({ type: 'exports-changed' });
      const controller = new AbortController();
      const done = run(id, project, settings, controller);
      running.set(id, { controller, done });
      return { exportId: id };
    },

    async cancel(exportId) {
      running.get(exportId)?.controller.abort();
    },

    async list() {
      const records = structuredClone(await load());
      if (!opts.downloadUrlFor) return records;
      return records.map((r) => {
        if (r.status !== 'done' || !r.outputPath) return r;
        return r.files ? { ...r, files: withDownloads(r.id, r.files) } : { ...r, downloadUrl: opts.downloadUrlFor!(r.id) };
      });
    },

    async finished(exportId) {
      await running.get(exportId)?.done;
      return (await load()).find((r) => r.id === exportId);
    },

    async close() {
      for (const r of running.values()) r.controller.abort();
      await Promise.allSettled([...running.values()].map((r) => r.done));
      await writing;
    },
  };
}

/** A plain-language error for the export panel. */
export function toExportError(err: unknown): ExportError {
  if (err instanceof ExportFailure) {
    return {
      code: err.code, message: err.message, retryable: err.retryable,
      ...(err.field && { field: err.field }), ...(err.key && { key: err.key, params: err.params ?? {} }),
    };
  }
  const e = err as { code?: unknown; message?: unknown; field?: unknown; retryable?: unknown };
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  const code = isErrorCode(e?.code) ? e.code : 'internal';
  return {
    code,
    message: code === 'internal' ? `The export stopped unexpectedly: ${message}` : message,
    retryable: typeof e?.retryable === 'boolean' ? e.retryable : true,
    ...(typeof e?.field === 'string' && { field: e.field }),
  };
}

/** `<name> <yyyy-mm-dd hh-mm>.mp4` in `dir`, with " (2)", " (3)"... when taken. Pure except for existsSync. */
export function reserveOutputPath(dir: string, projectName: string, at: Date, reserved: Set<string> = new Set()): string {
  return reserveName(dir, projectName, at, reserved, '.mp4', (candidate) => existsSync(candidate) || existsSync(`${candidate}.part`));
}

/** `<name> <yyyy-mm-dd hh-mm>` folder in `dir` for a variant export, with " (2)"... when taken. Pure except for existsSync. */
export function reserveOutputFolder(dir: string, projectName: string, at: Date, reserved: Set<string> = new Set()): string {
  // A folder beside a single video of the same name is fine; never reuse a folder or a name being written.
  return reserveName(dir, projectName, at, reserved, '', existsSync);
}

/** The first `<name> <stamp>[ (n)]<suffix>` in `dir` neither reserved nor taken on disk; reserved for the caller. */
function reserveName(dir: string, projectName: string, at: Date, reserved: Set<string>, suffix: string, taken: (candidate: string) => boolean): string {
  const base = `${sanitiseName(projectName)} ${stamp(at)}`;
  for (let n = 1; ; n++) {
    const candidate = join(dir, `${base}${n > 1 ? ` (${n})` : ''}${suffix}`);
    if (!reserved.has(candidate) && !taken(candidate)) {
      reserved.add(candidate);
      return candidate;
    }
  }
}

/** A project name usable as a file name on Windows, macOS and Linux. */
export function sanitiseName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 80)
    .trim();
  // CON, PRN, NUL... are device names on Windows.
  if (!cleaned || /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned)) return 'Hospup video';
  return cleaned;
}

function stamp(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())} ${p(at.getHours())}-${p(at.getMinutes())}`;
}

function clampPercent(p: number): number {
  return Number.isFinite(p) ? Math.max(0, Math.min(100, Math.round(p * 10) / 10)) : 0;
}

export type { CloudTarget };
