/**
 * The API between the UI (renderer) and the host (Electron main process or the web-mode
 * Node server). The renderer sees exactly one object of type `HostApi`; the preload bridge
 * and the HTTP client both implement it, and both call the same Node services.
 *
 * Every method is async and takes JSON-serialisable arguments (except `importFiles`, which
 * takes DOM `File`s and is implemented per transport). `HOST_METHOD_ARGS` holds the zod
 * schemas the host uses to validate arguments arriving over IPC or HTTP.
 */
import { z } from 'zod';
import { DraftSchema, MediaRef, type Draft } from './draft';

export type Locale = 'en' | 'fr';

export const AwsSettings = z.object({
  credentials: z.enum(['profile', 'keys', 'env']).default('profile'),
  profile: z.string().default('default'),
  region: z.string().default('eu-west-1'),
  bucket: z.string().default(''),
  functionName: z.string().default(''),
});
export type AwsSettings = z.infer<typeof AwsSettings>;

export const AppSettings = z.object({
  /** 'auto' follows the system / browser language. */
  locale: z.enum(['auto', 'en', 'fr']).default('auto'),
  exportDir: z.string().default(''),
  target: z.enum(['local', 'aws']).default('local'),
  aws: AwsSettings.default(AwsSettings.parse({})),
  showSafeZones: z.boolean().default(false),
});
export type AppSettings = z.infer<typeof AppSettings>;
/** A change to some settings: no defaults here, so an absent field keeps its current value. */
export const AppSettingsPatch = z.object({
  locale: z.enum(['auto', 'en', 'fr']).optional(),
  exportDir: z.string().optional(),
  target: z.enum(['local', 'aws']).optional(),
  aws: z
    .object({
      credentials: z.enum(['profile', 'keys', 'env']).optional(),
      profile: z.string().optional(),
      region: z.string().optional(),
      bucket: z.string().optional(),
      functionName: z.string().optional(),
    })
    .optional(),
  showSafeZones: z.boolean().optional(),
});
export type AppSettingsPatch = z.infer<typeof AppSettingsPatch>;

export interface AppInfo {
  mode: 'electron' | 'web';
  version: string;
  /** The system (Electron) or host (web) language, before the user's setting. */
  systemLocale: string;
  dataDir: string;
  exportDir: string;
  /** True when in-app AWS keys can be stored encrypted on this machine. */
  secureKeyStorage: boolean;
}

export type PreviewStatus = 'ready' | 'queued' | 'processing' | 'failed' | 'missing';

/** A media file as the UI sees it: the project's reference plus URLs the host serves. */
export interface MediaItem extends MediaRef {
  /** URL the `<video>` element plays: the original, or its proxy when the original can't be decoded. */
  previewUrl: string | null;
  previewStatus: PreviewStatus;
  /** 0..100 while a proxy is being made. */
  previewPercent: number;
  previewError?: string;
  /** True when the preview plays a proxy (export still uses the original). */
  usesProxy: boolean;
  thumbnailUrl: string | null;
  /** A horizontal strip of frames (JPEG), `filmstripFrames` tiles spread evenly over the clip. */
  filmstripUrl: string | null;
  filmstripFrames: number;
}

/** A file an import could not take, and why (in words for the person who chose it). */
export interface ImportRefusal {
  name: string;
  /** 'not-media', 'not-found', 'not-a-video' (a photo or document chosen), ... */
  code: string;
  message: string;
}

/** A batch import: every good file is imported; each refused one is listed with its reason. */
export interface ImportResult {
  imported: MediaItem[];
  refused: ImportRefusal[];
}

export interface ProjectSummary {
  id: string;
  name: string;
  path: string;
  updated_at: string;
  duration: number;
  segments: number;
}

export interface OpenedProject {
  project: Draft;
  path: string;
  /** True when an autosave newer than the last save was restored (after a crash). */
  recovered: boolean;
  /** Media whose file is gone or changed since import: the UI offers to relink them. */
  missingMedia: string[];
}

export interface TemplateSlot {
  duration: number;
}
export interface TemplateSummary {
  id: string;
  name: string;
  builtIn: boolean;
  description: string;
  aspect: '9:16' | '16:9' | '1:1';
  slots: TemplateSlot[];
}

export type ExportPhase =
  | 'preparing'
  | 'hashing'
  | 'uploading'
  | 'submitting'
  | 'rendering'
  | 'downloading'
  /** The connection dropped: the export waits and resumes by itself (or can be cancelled). */
  | 'paused'
  | 'done'
  | 'failed'
  | 'cancelled';

export interface ExportError {
  /** 'invalid-input' | 'network' | 'aws-auth' | 'render' | 'cancelled' | 'internal' ... */
  code: string;
  message: string;
  /** The request field at fault, for input errors. */
  field?: string;
  retryable: boolean;
}

export interface ExportProgress {
  exportId: string;
  phase: ExportPhase;
  /** Progress within the phase, 0..100. */
  percent: number;
  bytesDone?: number;
  bytesTotal?: number;
  message?: string;
  outputPath?: string;
  error?: ExportError;
  warnings?: string[];
}

export interface ExportRecord {
  id: string;
  projectId: string;
  projectName: string;
  target: 'local' | 'aws';
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  outputPath?: string;
  sizeBytes?: number;
  durationSec?: number;
  /** MediaConvert's billed output minutes (AWS target). */
  billedMinutes?: number;
  error?: ExportError;
}

export interface CostLine {
  label: string;
  usd: number;
}
export interface CostEstimate {
  lines: CostLine[];
  totalUsd: number;
  ratesDate: string;
  ratesSource: string;
}

export interface ConnectionStep {
  name: string;
  ok: boolean;
  message: string;
}

export type HostEvent =
  | { type: 'export-progress'; progress: ExportProgress }
  | { type: 'media-updated'; media: MediaItem }
  | { type: 'exports-changed' };

/**
 * The methods reachable over IPC / HTTP with JSON arguments: implemented once by the host
 * services (electron/services/host-services.ts), called by both transports.
 */
export interface HostCalls {
  getAppInfo(): Promise<AppInfo>;
  getSettings(): Promise<AppSettings>;
  updateSettings(patch: AppSettingsPatch): Promise<AppSettings>;

  /** Import files by absolute path (CLI, tests, Electron). */
  importPaths(paths: string[]): Promise<ImportResult>;
  /** Serve the project's media again (after opening it); reports missing ones. */
  registerMedia(media: MediaRef[]): Promise<MediaItem[]>;
  /** Point a missing media reference at a new file, by path. */
  relinkMediaPath(mediaId: string, path: string): Promise<MediaItem>;

  listProjects(): Promise<ProjectSummary[]>;
  createProject(name: string, aspect?: '9:16' | '16:9' | '1:1'): Promise<OpenedProject>;
  openProject(id: string): Promise<OpenedProject>;
  /** Explicit save (Ctrl/Cmd+S): writes the project file and clears the recovery copy. */
  saveProject(project: Draft): Promise<{ path: string; savedAt: string }>;
  /** Autosave: a recovery copy written every few seconds while editing. */
  autosaveProject(project: Draft): Promise<void>;
  deleteProject(id: string): Promise<void>;

  listTemplates(): Promise<TemplateSummary[]>;
  /** The project filled from a template with the given media (in order). */
  /** `mode`: replace the timeline (default) or add the template after it. */
  applyTemplate(templateId: string, project: Draft, mediaIds: string[], mode?: 'replace' | 'append'): Promise<Draft>;
  saveAsTemplate(project: Draft, name: string): Promise<TemplateSummary>;

  startExport(project: Draft): Promise<{ exportId: string }>;
  cancelExport(exportId: string): Promise<void>;
  listExports(): Promise<ExportRecord[]>;
  showInFolder(path: string): Promise<void>;
  estimateCost(project: Draft): Promise<CostEstimate>;

  listAwsProfiles(): Promise<string[]>;
  testConnection(): Promise<ConnectionStep[]>;
  setAwsKeys(keys: { accessKeyId: string; secretAccessKey: string }): Promise<void>;
  clearAwsKeys(): Promise<void>;
}

/** What the UI holds: the JSON calls, plus the ones each transport implements its own way. */
export interface HostApi extends Omit<HostCalls, 'relinkMediaPath'> {
  /** Import DOM `File`s picked in a file chooser or dropped (the transport gets their bytes or paths). */
  importFiles(files: readonly File[]): Promise<ImportResult>;
  /** Point a missing media reference at a new file chosen by the user. */
  relinkMedia(mediaId: string, file: File): Promise<MediaItem>;
  /** Subscribe to host events; returns the unsubscribe function. */
  onEvent(listener: (event: HostEvent) => void): () => void;
}

/** Methods reachable over IPC / HTTP with JSON arguments, and their argument schemas. */
export const HOST_METHOD_ARGS = {
  getAppInfo: z.tuple([]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([AppSettingsPatch]),
  importPaths: z.tuple([z.array(z.string().min(1)).max(500)]),
  registerMedia: z.tuple([z.array(MediaRef).max(5000)]),
  relinkMediaPath: z.tuple([z.string().min(1), z.string().min(1)]),
  listProjects: z.tuple([]),
  createProject: z.tuple([z.string().max(200), z.enum(['9:16', '16:9', '1:1']).optional()]),
  openProject: z.tuple([z.string().min(1).max(200)]),
  saveProject: z.tuple([DraftSchema]),
  autosaveProject: z.tuple([DraftSchema]),
  deleteProject: z.tuple([z.string().min(1).max(200)]),
  listTemplates: z.tuple([]),
  applyTemplate: z.tuple([z.string().min(1), DraftSchema, z.array(z.string()), z.enum(['replace', 'append']).optional()]),
  saveAsTemplate: z.tuple([DraftSchema, z.string().min(1).max(200)]),
  startExport: z.tuple([DraftSchema]),
  cancelExport: z.tuple([z.string().min(1)]),
  listExports: z.tuple([]),
  showInFolder: z.tuple([z.string().min(1)]),
  estimateCost: z.tuple([DraftSchema]),
  listAwsProfiles: z.tuple([]),
  testConnection: z.tuple([]),
  setAwsKeys: z.tuple([z.object({ accessKeyId: z.string().min(16).max(128), secretAccessKey: z.string().min(16).max(256) })]),
  clearAwsKeys: z.tuple([]),
} as const;
export type HostMethod = keyof typeof HOST_METHOD_ARGS;

/** The host side as the transports see it: every validated method, arguments as parsed. */
export type HostServices = {
  [K in HostMethod]: (...args: z.output<(typeof HOST_METHOD_ARGS)[K]>) => Promise<unknown>;
};

// Compile-time check: the argument schemas and the typed calls list the same methods.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
export const HOST_CALLS_MATCH_ARGS: SameKeys<HostCalls, typeof HOST_METHOD_ARGS> = true;
