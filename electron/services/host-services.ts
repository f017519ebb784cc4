// The host API behind both transports (Electron IPC and the web-mode HTTP server): one object
// with every method of HOST_CONTRACT, plus the event hub, the media file lookup for the
// media route, uploads (web mode) and close(). Plain Node: no electron import.
import { basename, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type {
  AppInfo,
  AppSettings,
  AppSettingsPatch,
  ConnectionStep,
  CostEstimate,
  ExportRecord,
  HostServices,
  ImportResult,
  MediaItem,
  OpenedProject,
  ProjectSummary,
  TemplateSummary,
} from '../../shared/api';
import { estimateExportCost, COST_RATES } from '../../shared/cost';
import type { MediaRef, Draft } from '../../shared/draft';
import { compileDraft } from '../../shared/compile-draft';
import { isVariantRequest, listVariants } from '../../shared/variants';
import { ASPECT_FRAMES, resolveOutputSettings } from '../../shared/output-settings';
import { AppError } from '../../shared/errors';
import { AppKeysStore, type SecretStore } from './aws/app-keys';
import { createCredentialProvider, listProfiles, type AwsCredentialSource } from './aws/credentials';
import { createEventHub, type EventHub } from './events';
import type { CloudTarget } from '../../node/cloud-target';
import { ExportFailure } from './export/export-failure';
import { createExportService, type ExporterLike } from './export-service';
import { createMediaLibrary, type MediaFileKind, type MediaUrlKind } from './media/library';
import { createBackgroundGate } from './media/background-gate';
import { ensureDataDirs, resolvePaths, type DataPaths } from './paths';
import { removeStaleTemps } from './fs-atomic';
import { createProjectStore } from './projects/store';
import { createSettingsStore } from './settings';
import { createBrandKitStore } from './brand-kit';
import { applyBrandKit, type BrandKit, type BrandKitPatch } from '../../shared/brand-kit';
import { createTemplateStore } from './templates/store';
import type { FileIdentity } from './media-range';
import type { Aspect } from '../../shared/output-settings';

export interface HostServicesOptions {
  /** Default: HOSPUP_DATA_DIR, else the OS app-data folder. */
  dataDir?: string;
  /** Default export folder: HOSPUP_EXPORT_DIR, else the OS Videos folder (the user's setting wins). */
  exportDir?: string;
  mode: 'electron' | 'web';
  version: string;
  systemLocale: string;
  /** URLs the renderer loads media from (the transport's media route). */
  urls: { media(id: string, kind: MediaUrlKind): string; download?(exportId: string, label?: string): string };
  /** Electron: shell.showItemInFolder. Web: absent (no-op). */
  revealInFolder?: (path: string) => Promise<void>;
  /** Electron safeStorage adapter; absent in web mode (access keys cannot be stored). */
  secretStore?: SecretStore;
  /** Parallel proxy encodes; default 1 on two cores, else 2. */
  proxyConcurrency?: number;
  /**
   * Start the local cloud (and its generation function) this long after start when exports go
   * to it, so the first export does not wait for it; default: on the first local export.
   */
  prestartLocalCloudAfterMs?: number;
}

/** Every HOST_CONTRACT method (arguments as validated), plus what the transports need. */
export interface HostServicesRuntime extends HostServices {
  paths: DataPaths;
  events: EventHub;
  mediaFileFor(id: string, kind: MediaFileKind): { path: string; mime: string; identity?: FileIdentity } | undefined;
  /** Web mode: a file uploaded by the browser, saved in the media cache then imported. */
  importUpload(name: string, body: Readable): Promise<MediaItem[]>;
  /** Web mode: saves an uploaded file in the media cache and returns its path (then call relinkMediaPath). */
  saveUpload(name: string, body: Readable): Promise<string>;
  /** Resolves when background media work (proxies, stills) is done; for tests. */
  mediaSettled(id?: string): Promise<void>;
  /** A finished export's file, for the web host's download route. */
  exportFileFor(exportId: string, label?: string): Promise<{ path: string; name: string } | undefined>;
  /** Resolves with the record once an export has finished; for tests. */
  exportFinished(exportId: string): Promise<ExportRecord | undefined>;
  close(): Promise<void>;
}



export function createHostServices(opts: HostServicesOptions): HostServicesRuntime {
  const paths = resolvePaths({ dataDir: opts.dataDir, exportDir: opts.exportDir });
  // Folders first, then the leftovers of writes a crash interrupted (never a finished file).
  const ready = ensureDataDirs(paths).then(async () => {
    for (const dir of [paths.projects, paths.templates, paths.dataDir, paths.mediaCache, paths.probes]) await removeStaleTemps(dir);
  });
  // Every call waits for the folders; a failure (read-only disk) surfaces on the first call.
  ready.catch(() => undefined);
  const events = createEventHub();
  const settings = createSettingsStore(paths.settingsFile);
  const brandKit = createBrandKitStore(paths.brandKitFile, paths.brandDir);
  // Closed while an export renders on this computer: proxies and stills give it the cores.
  const backgroundGate = createBackgroundGate();
  const library = createMediaLibrary({
    dirs: { proxies: paths.proxies, thumbnails: paths.thumbnails, probes: paths.probes, uploads: paths.uploads },
    indexFile: paths.mediaLibraryFile,
    urls: opts.urls,
    events,
    proxyConcurrency: opts.proxyConcurrency,
    gate: backgroundGate,
  });
  const projects = createProjectStore(paths.projects, paths.projectsTrash);
  const templates = createTemplateStore(paths.templates);
  const appKeys = new AppKeysStore({ file: join(paths.dataDir, 'aws-keys.json'), secrets: opts.secretStore ?? NO_SECRET_STORE });

  // The local cloud starts on the first local export (or soon after start, see
  // prestartLocalCloudAfterMs) and lives until close().
  let localCloud: Promise<{ target(): CloudTarget; close(): Promise<void> }> | undefined;
  let localExporter: Promise<ExporterLike> | undefined;
  let closed = false;

  async function exporterFor(target: AppSettings['target'], current: AppSettings): Promise<ExporterLike> {
    const { createExporter } = await import('./export/exporter');
    if (closed) throw new ExportFailure('internal', 'The app is closing.', { retryable: true });
    if (target === 'local') {
      localExporter ??= (async () => {
        localCloud ??= import('../../cloud/local/index').then((m) => m.startLocalCloud({ dataDir: paths.localCloud }));
        try {
          const cloud = await localCloud;
          return createExporter({ target: cloud.target(), hashCacheFile: paths.exporterHashCache, jobJournalFile: paths.exporterJobJournal, uploadJournalFile: paths.exporterUploadJournal, convertedDir: paths.converted });
        } catch (err) {
          localCloud = undefined;
          localExporter = undefined;
          throw new ExportFailure('internal', `The built-in export service could not start: ${(err as Error).message}`, { retryable: true, cause: err });
        }
      })();
      return localExporter;
    }
    return createExporter({ target: await awsTarget(current), hashCacheFile: paths.exporterHashCache, jobJournalFile: paths.exporterJobJournal, uploadJournalFile: paths.exporterUploadJournal, convertedDir: paths.converted });
  }

  async function awsTarget(current: AppSettings): Promise<CloudTarget> {
    const aws = current.aws;
    if (!aws.bucket.trim()) throw new ExportFailure('aws-config', 'Enter the bucket name in Settings › AWS before exporting to AWS.', { field: 'aws.bucket', retryable: false });
    if (!aws.functionName.trim()) {
      throw new ExportFailure('aws-config', 'Enter the function name in Settings › AWS before exporting to AWS.', { field: 'aws.functionName', retryable: false });
    }
    const { endpointsFromEnv } = await import('../../node/cloud-target');
    const endpoints = endpointsFromEnv();
    return {
      kind: 'aws',
      region: aws.region,
      bucket: aws.bucket.trim(),
      functionName: aws.functionName.trim(),
      credentials: createCredentialProvider(credentialSource(current), { appKeys }),
      ...(endpoints && { endpoints }),
    };
  }

  const exportsService = createExportService({
    exportsFile: paths.exportsFile,
    defaultExportDir: paths.exportDir,
    getSettings: () => settings.get(),
    events,
    exporterFor,
    ...(opts.urls.download && { downloadUrlFor: opts.urls.download }),
    missingMedia: (draft) => draft.media.filter((m) => library.item(m.id)?.previewStatus === 'missing').map((m) => m.id),
    // Only the local cloud renders here; an AWS render leaves this computer's cores free.
    onRenderStart: (target) => (target === 'local' ? backgroundGate.hold() : undefined),
  });

  // An idle moment after start: the first export then finds the local cloud, its SDK clients
  // and its generation function ready (~0.5 s of work on two cores, done once).
  const prestart = opts.prestartLocalCloudAfterMs === undefined ? undefined : setTimeout(() => {
    void settings.get()
      .then((current) => (current.target === 'local' && !closed ? exporterFor('local', current) : undefined))
      .catch(() => undefined); // the export that needs it reports the failure
  }, opts.prestartLocalCloudAfterMs);
  prestart?.unref();

  async function exportDir(): Promise<string> {
    return (await settings.get()).exportDir || paths.exportDir;
  }

  async function opened(project: Draft, path: string, recovered: boolean): Promise<OpenedProject> {
    const items = await library.registerMedia(project.media);
    return { project, path, recovered, missingMedia: items.filter((m) => m.previewStatus === 'missing').map((m) => m.id) };
  }

  const services: HostServicesRuntime = {
    paths,
    events,

    async getAppInfo(): Promise<AppInfo> {
      await ready;
      return {
        mode: opts.mode,
        version: opts.version,
        systemLocale: opts.systemLocale,
        dataDir: paths.dataDir,
        exportDir: await exportDir(),
        secureKeyStorage: appKeys.unavailableReason() === null,
      };
    },
    async getSettings(): Promise<AppSettings> {
      await ready;
      return settings.get();
    },
    async updateSettings(patch: AppSettingsPatch): Promise<AppSettings> {
      await ready;
      return settings.update(patch);
    },

    async importPaths(list: string[]): Promise<ImportResult> {
      await ready;
      return library.importPaths(list);
    },
    async importUpload(name: string, body: Readable): Promise<MediaItem[]> {
      await ready;
      return [await library.importUpload(name, body)];
    },
    async saveUpload(name: string, body: Readable): Promise<string> {
      await ready;
      return library.saveUpload(name, body);
    },
    async registerMedia(refs: MediaRef[]): Promise<MediaItem[]> {
      await ready;
      return library.registerMedia(refs);
    },
    async relinkMediaPath(mediaId: string, path: string): Promise<MediaItem> {
      await ready;
      return library.relinkMediaPath(mediaId, path);
    },
    mediaFileFor: (id, kind) => library.mediaFileFor(id, kind),
    mediaSettled: (id) => library.settled(id),

    async listProjects(): Promise<ProjectSummary[]> {
      await ready;
      return projects.list();
    },
    async createProject(name: string, aspect?: Aspect): Promise<OpenedProject> {
      await ready;
      const created = await projects.create(name, aspect);
      // A new project starts with the hotel's logo, placed clear of the apps' interface.
      const branded = applyBrandKit(created.project, await brandKit.get());
      if (branded !== created.project) await projects.save(branded);
      return { project: branded, path: created.path, recovered: false, missingMedia: [] };
    },
    async openProject(id: string): Promise<OpenedProject> {
      await ready;
      const { project, path, recovered } = await projects.open(id);
      return opened(project, path, recovered);
    },
    async saveProject(project: Draft): Promise<{ path: string; savedAt: string }> {
      await ready;
      return projects.save(project);
    },
    async autosaveProject(project: Draft): Promise<void> {
      await ready;
      await projects.autosave(project);
    },
    async deleteProject(id: string): Promise<void> {
      await ready;
      await projects.delete(id);
    },
    async renameProject(id: string, name: string): Promise<ProjectSummary> {
      await ready;
      return projects.rename(id, name);
    },
    async duplicateProject(id: string, copyName?: string): Promise<ProjectSummary> {
      await ready;
      return projects.duplicate(id, (name) => copyName?.trim() || `${name} (copy)`);
    },
    async listLibrary(): Promise<MediaItem[]> {
      await ready;
      return library.listLibrary();
    },

    async listTemplates(): Promise<TemplateSummary[]> {
      await ready;
      return templates.list();
    },
    async applyTemplate(templateId: string, project: Draft, mediaIds: string[], mode?: 'replace' | 'append'): Promise<Draft> {
      await ready;
      const applied = await templates.apply(templateId, project, mediaIds, (id) => library.ref(id), mode);
      // Templates take the brand's logo (if the project has none) and its first font.
      return applyBrandKit(applied, await brandKit.get(), { fonts: mode !== 'append' });
    },
    async saveAsTemplate(project: Draft, name: string): Promise<TemplateSummary> {
      await ready;
      return templates.saveFromProject(project, name);
    },

    async startExport(project: Draft): Promise<{ exportId: string }> {
      await ready;
      return exportsService.start(project);
    },
    async cancelExport(exportId: string): Promise<void> {
      await exportsService.cancel(exportId);
    },
    async listExports(): Promise<ExportRecord[]> {
      await ready;
      return exportsService.list();
    },
    exportFinished: (exportId) => exportsService.finished(exportId),
    async exportFileFor(exportId: string, label?: string) {
      const record = (await exportsService.list()).find((r) => r.id === exportId && r.status === 'done' && r.outputPath);
      // A variant export is a folder: only its videos, by label, are downloadable.
      if (record?.files) {
        const file = label !== undefined ? record.files.find((f) => f.label === label) : undefined;
        return file && { path: file.outputPath, name: basename(file.outputPath) };
      }
      return record?.outputPath && label === undefined ? { path: record.outputPath, name: basename(record.outputPath) } : undefined;
    },
    async showInFolder(path: string): Promise<void> {
      // Only files this app wrote: an export in the history or a file in the export folder.
      const target = resolve(path);
      const known = (await exportsService.list()).some((r) => r.outputPath && resolve(r.outputPath) === target);
      const folder = resolve(await exportDir());
      if (!known && !target.startsWith(folder + sep)) {
        throw AppError.of('forbidden', 'Only exported videos can be shown in their folder', {}, 'path');
      }
      await opts.revealInFolder?.(target);
    },
    async estimateCost(project: Draft): Promise<CostEstimate> {
      return estimateCost(project);
    },

    async getBrandKit(): Promise<BrandKit> {
      await ready;
      return brandKit.get();
    },
    async setBrandLogo(path: string): Promise<BrandKit> {
      await ready;
      return brandKit.setLogo(path);
    },
    async clearBrandLogo(): Promise<BrandKit> {
      await ready;
      return brandKit.clearLogo();
    },
    async updateBrandKit(patch: BrandKitPatch): Promise<BrandKit> {
      await ready;
      return brandKit.update(patch);
    },

    async listAwsProfiles(): Promise<string[]> {
      return listProfiles().map((p) => p.name);
    },
    async testConnection(): Promise<ConnectionStep[]> {
      await ready;
      const aws = (await settings.get()).aws;
      // Names left empty in Settings: say which, without calling AWS.
      for (const [field, label] of [['bucket', 'bucket name'], ['functionName', 'function name']] as const) {
        if (!aws[field].trim()) {
          return [{ name: field === 'bucket' ? 'bucket' : 'function', ok: false, message: `Enter the ${label} in Settings › AWS (aws.${field}).` }];
        }
      }
      const [{ testConnection }, { endpointsFromEnv }] = await Promise.all([import('./aws/connection-test'), import('../../node/cloud-target')]);
      const endpoints = endpointsFromEnv();
      return testConnection({
        credentials: createCredentialProvider(credentialSource(await settings.get()), { appKeys }),
        region: aws.region,
        bucket: aws.bucket.trim(),
        functionName: aws.functionName.trim(),
        ...(endpoints && { endpoints: { s3: endpoints.s3, lambda: endpoints.lambda } }),
      });
    },
    async setAwsKeys(keys: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
      await ready;
      appKeys.save(keys);
    },
    async clearAwsKeys(): Promise<void> {
      appKeys.clear();
    },

    async close(): Promise<void> {
      closed = true;
      clearTimeout(prestart);
      await exportsService.close();
      await library.close();
      const cloud = await localCloud?.catch(() => undefined);
      await cloud?.close();
    },
  };
  return services;
}

function credentialSource(current: AppSettings): AwsCredentialSource {
  switch (current.aws.credentials) {
    case 'keys':
      return { kind: 'app-keys' };
    case 'env':
      return { kind: 'env' };
    default:
      return { kind: 'profile', profile: current.aws.profile || 'default' };
  }
}

/** Web mode has no OS-backed encryption: keys are refused rather than stored in clear. */
const NO_SECRET_STORE: SecretStore = {
  isEncryptionAvailable: () => ({ ok: false, reason: 'access keys can only be saved in the desktop app' }),
  encrypt: () => {
    throw new Error('no secure storage');
  },
  decrypt: () => {
    throw new Error('no secure storage');
  },
};

/**
 * What an AWS export of the project would cost: MediaConvert minutes for the output, S3
 * storage of every source the timeline uses (an upper bound: unchanged clips are not re-sent)
 * and of the render, and downloading the render once.
 */
export function estimateCost(project: Draft): CostEstimate {
  // What will render, not what the timeline holds: the same compileDraft as the export.
  const compiled = compileDraft(project);
  const usedPaths = new Set(compiled.request?.segments.map((s) => s.video_url) ?? []);
  const sourceBytes = project.media.filter((m) => usedPaths.has(m.path)).reduce((sum, m) => sum + m.size_bytes, 0);
  const duration = compiled.duration;
  const { fps } = project.settings;
  // Every video the export makes is billed: one output per format and language, each at its own frame.
  const frames = compiled.request ? variantFrames(compiled.request) : [{ width: project.settings.width, height: project.settings.height }];
  const estimates = frames.map(({ width, height }, i) => {
    // QVBR 8 lands near 6 Mbit/s at 1080x1920; scale by pixels, plus 128 kbit/s of AAC.
    const videoBitsPerSecond = 6e6 * ((width * height) / (1080 * 1920));
    const outputBytesEstimate = Math.round((duration * (videoBitsPerSecond + 128e3)) / 8);
    try {
      // The sources are stored once, whatever the number of videos.
      return estimateExportCost({ outputDurationSec: duration, width, height, fps, sourceBytes: i === 0 ? sourceBytes : 0, outputBytesEstimate });
    } catch (err) {
      throw new AppError('invalid-input', (err as Error).message, { field: (err as Error).message.split(':')[0] });
    }
  });
  const lines = new Map<string, number>();
  for (const item of estimates.flatMap((e) => e.items)) lines.set(item.label, (lines.get(item.label) ?? 0) + item.usd);
  const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
  return {
    lines: [...lines].map(([label, usd]) => ({ label: frames.length > 1 ? `${label} ×${frames.length}` : label, usd: round6(usd) })),
    totalUsd: round6(estimates.reduce((sum, e) => sum + e.totalUsd, 0)),
    ratesDate: COST_RATES.retrieved,
    ratesSource: sourcesText(COST_RATES.sources),
  };
}

/** The frame of each video a compiled request makes (a single request: its own). */
function variantFrames(request: NonNullable<ReturnType<typeof compileDraft>['request']>): { width: number; height: number }[] {
  const output = resolveOutputSettings(request.output);
  const own = { width: output.width, height: output.height };
  if (!isVariantRequest(request)) return [own];
  // Languages alone keep the request's own frame; formats have 1080 px on their short side.
  return listVariants(request, output).map((variant) => (request.formats ? ASPECT_FRAMES[variant.format] : own));
}

function sourcesText(sources: readonly string[]): string {
  return sources.join(', ');
}
