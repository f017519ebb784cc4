/**
 * The contract between the UI (renderer) and the host (Electron main process or the web-mode
 * Node server), written once: `HOST_CONTRACT` is a table of zod schemas — arguments (with their
 * names) and result — for every method reachable with JSON arguments. From it derive the
 * TypeScript types (`HostCalls`, `HostServices`), the method list, the argument validation both
 * transports run (IPC and HTTP, electron/services/host-call.ts) and the renderer's client stubs
 * (renderer/src/host/rpc-methods.ts). Only the three calls that carry DOM Files or callbacks
 * (`importFiles`, `relinkMedia`, `stageFile`, `onEvent`) are added per transport in `HostApi`.
 * Errors cross as one PlainError with one set of codes (errors.ts).
 */
import { z } from 'zod';
import { DraftSchema, MediaFacts, MediaRef } from './draft';
import { ERROR_CODE_NAMES } from './errors';
import { BrandKit, BrandKitPatch } from './brand-kit';
import { ASPECTS } from './output-settings';

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

export const AppInfo = z.object({
  mode: z.enum(['electron', 'web']),
  version: z.string(),
  /** The system (Electron) or host (web) language, before the user's setting. */
  systemLocale: z.string(),
  dataDir: z.string(),
  exportDir: z.string(),
  /** True when in-app AWS keys can be stored encrypted on this machine. */
  secureKeyStorage: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const PreviewStatus = z.enum(['ready', 'queued', 'processing', 'failed', 'missing']);
export type PreviewStatus = z.infer<typeof PreviewStatus>;

/** A clip's picture colour, as probed: HLG / PQ is HDR, shown and exported as BT.709 SDR. */
export const MediaColour = z.object({
  /** ffprobe names, "unknown" when the file does not say (e.g. bt2020, arib-std-b67, bt2020nc). */
  primaries: z.string(),
  transfer: z.string(),
  matrix: z.string(),
  bitDepth: z.number(),
  dynamicRange: z.enum(['sdr', 'hlg', 'pq']),
});
export type MediaColour = z.infer<typeof MediaColour>;

/** A media file as the UI sees it: the project's reference plus URLs the host serves. */
export const MediaItem = MediaRef.extend({
  facts: MediaFacts.optional(),
  /** Colour facts of the picture (absent while the file is missing). */
  colour: MediaColour.optional(),
  /** Frames arrive at a varying rate (fps is then the average). */
  variableFrameRate: z.boolean().optional(),
  /** URL the `<video>` element plays: the original, or its proxy when the original can't be decoded. */
  previewUrl: z.string().nullable(),
  previewStatus: PreviewStatus,
  /** 0..100 while a proxy is being made. */
  previewPercent: z.number(),
  previewError: z.string().optional(),
  /** True when the preview plays a proxy (export still uses the original). */
  usesProxy: z.boolean(),
  thumbnailUrl: z.string().nullable(),
  /** A horizontal strip of frames (JPEG), `filmstripFrames` tiles spread evenly over the clip. */
  filmstripUrl: z.string().nullable(),
  filmstripFrames: z.number().int(),
});
export type MediaItem = z.infer<typeof MediaItem>;

/** A file an import could not take, and why (in words for the person who chose it). */
export const ImportRefusal = z.object({
  name: z.string(),
  /** An error code, or 'photo' / 'not-a-video' for files the UI refuses before sending. */
  code: z.string(),
  message: z.string(),
  key: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ImportRefusal = z.infer<typeof ImportRefusal>;

/** A batch import: every good file is imported; each refused one is listed with its reason. */
export const ImportResult = z.object({ imported: z.array(MediaItem), refused: z.array(ImportRefusal) });
export type ImportResult = z.infer<typeof ImportResult>;

export const ProjectSummary = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  updated_at: z.string(),
  duration: z.number(),
  segments: z.number().int(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const OpenedProject = z.object({
  project: DraftSchema,
  path: z.string(),
  /** True when an autosave newer than the last save was restored (after a crash). */
  recovered: z.boolean(),
  /** Media whose file is gone or changed since import: the UI offers to relink them. */
  missingMedia: z.array(z.string()),
});
export type OpenedProject = z.infer<typeof OpenedProject>;

export const TemplateSummary = z.object({
  id: z.string(),
  name: z.string(),
  builtIn: z.boolean(),
  description: z.string(),
  aspect: z.enum(ASPECTS),
  slots: z.array(z.object({ duration: z.number() })),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;
export type TemplateSlot = TemplateSummary['slots'][number];

export const ExportPhase = z.enum([
  'preparing',
  'hashing',
  'uploading',
  'submitting',
  'rendering',
  'downloading',
  /** The connection dropped: the export waits and resumes by itself (or can be cancelled). */
  'paused',
  'done',
  'failed',
  'cancelled',
]);
export type ExportPhase = z.infer<typeof ExportPhase>;

export const ExportError = z.object({
  code: z.enum(ERROR_CODE_NAMES),
  message: z.string(),
  /** The request field at fault, for input errors. */
  field: z.string().optional(),
  /** English template of `message` and its parameters, for the UI to say it translated (as PlainError). */
  key: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  retryable: z.boolean(),
});
export type ExportError = z.infer<typeof ExportError>;

/** One video of a variant export: its label (`9x16-fr`), file and, in web mode, where to download it. */
export const ExportFile = z.object({
  label: z.string(),
  outputPath: z.string(),
  sizeBytes: z.number(),
  downloadUrl: z.string().optional(),
});
export type ExportFile = z.infer<typeof ExportFile>;

export const ExportProgress = z.object({
  exportId: z.string(),
  phase: ExportPhase,
  /** Progress within the phase, 0..100. */
  percent: z.number(),
  bytesDone: z.number().optional(),
  bytesTotal: z.number().optional(),
  message: z.string().optional(),
  outputPath: z.string().optional(),
  /** Web mode: where the browser downloads the finished video. */
  downloadUrl: z.string().optional(),
  error: ExportError.optional(),
  warnings: z.array(z.string()).optional(),
  /** Variant exports: the videos (labels, `9x16-fr`) this event is about; absent: all of them. */
  variants: z.array(z.string()).optional(),
  /** Variant exports, when done: each video made. */
  files: z.array(ExportFile).optional(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

export const ExportRecord = z.object({
  id: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  target: z.enum(['local', 'aws']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  outputPath: z.string().optional(),
  /** Web mode: where the browser downloads the finished video. */
  downloadUrl: z.string().optional(),
  sizeBytes: z.number().optional(),
  durationSec: z.number().optional(),
  /** MediaConvert's billed output minutes (AWS target). */
  billedMinutes: z.number().optional(),
  error: ExportError.optional(),
  /** Variant exports: one file per video, in the export's folder (`outputPath`). */
  files: z.array(ExportFile).optional(),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

export const CostEstimate = z.object({
  lines: z.array(z.object({ label: z.string(), usd: z.number() })),
  totalUsd: z.number(),
  ratesDate: z.string(),
  ratesSource: z.string(),
});
export type CostEstimate = z.infer<typeof CostEstimate>;
export type CostLine = CostEstimate['lines'][number];

export const ConnectionStep = z.object({ name: z.string(), ok: z.boolean(), message: z.string() });
export type ConnectionStep = z.infer<typeof ConnectionStep>;

export const HostEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('export-progress'), progress: ExportProgress }),
  z.object({ type: z.literal('media-updated'), media: MediaItem }),
  z.object({ type: z.literal('exports-changed') }),
]);
export type HostEvent = z.infer<typeof HostEvent>;

/* -------------------------------------------------------------- the contract */

const Aspect = z.enum(ASPECTS);
const ProjectId = z.string().min(1).max(200);
const Name = z.string().max(200);

/** One method: its parameter names (for messages), argument tuple and result. */
function method<const P extends readonly string[], A extends z.ZodTuple, R extends z.ZodType>(params: P, args: A, result: R) {
  return { params, args, result };
}

/**
 * Every JSON method of the host, once. `params` name the arguments in validation messages
 * (`Invalid argument "project.segments[1].end_time" of saveProject: ...`).
 */
export const HOST_CONTRACT = {
  getAppInfo: method([], z.tuple([]), AppInfo),
  getSettings: method([], z.tuple([]), AppSettings),
  updateSettings: method(['patch'], z.tuple([AppSettingsPatch]), AppSettings),

  /** Import files by absolute path (Electron, CLI, tests): every good file, each refused one with why. */
  importPaths: method(['paths'], z.tuple([z.array(z.string().min(1)).max(500)]), ImportResult),
  /** Serve the project's media again (after opening it); reports missing ones. */
  registerMedia: method(['media'], z.tuple([z.array(MediaRef).max(5000)]), z.array(MediaItem)),
  /** Point a missing media reference at a new file, by path. */
  relinkMediaPath: method(['mediaId', 'path'], z.tuple([z.string().min(1), z.string().min(1)]), MediaItem),
  /** The media library shared by all projects: everything imported on this computer, newest first. */
  listLibrary: method([], z.tuple([]), z.array(MediaItem)),

  listProjects: method([], z.tuple([]), z.array(ProjectSummary)),
  createProject: method(['name', 'aspect'], z.tuple([Name, Aspect.optional()]), OpenedProject),
  openProject: method(['id'], z.tuple([ProjectId]), OpenedProject),
  /** Explicit save (Ctrl/Cmd+S, closing): writes the project file and clears the recovery copy. */
  saveProject: method(['project'], z.tuple([DraftSchema]), z.object({ path: z.string(), savedAt: z.string() })),
  /** Autosave: a recovery copy written a few seconds after each change. */
  autosaveProject: method(['project'], z.tuple([DraftSchema]), z.void()),
  /** Moves the project to the trash folder (its files are kept there). */
  deleteProject: method(['id'], z.tuple([ProjectId]), z.void()),
  renameProject: method(['id', 'name'], z.tuple([ProjectId, Name]), ProjectSummary),
  /** A copy of the project (same media, new id), saved as `name` (default "<name> (copy)"). */
  duplicateProject: method(['id', 'name'], z.tuple([ProjectId, Name.optional()]), ProjectSummary),

  listTemplates: method([], z.tuple([]), z.array(TemplateSummary)),
  /** The project filled from a template with the given media (in order): replacing the timeline, or added after it. */
  applyTemplate: method(
    ['templateId', 'project', 'mediaIds', 'mode'],
    z.tuple([z.string().min(1), DraftSchema, z.array(z.string()), z.enum(['replace', 'append']).optional()]),
    DraftSchema,
  ),
  saveAsTemplate: method(['project', 'name'], z.tuple([DraftSchema, z.string().min(1).max(200)]), TemplateSummary),

  /** Compiles the draft with compileDraft (as the "what will render" notice does) and renders it. */
  startExport: method(['project'], z.tuple([DraftSchema]), z.object({ exportId: z.string() })),
  cancelExport: method(['exportId'], z.tuple([z.string().min(1)]), z.void()),
  listExports: method([], z.tuple([]), z.array(ExportRecord)),
  showInFolder: method(['path'], z.tuple([z.string().min(1)]), z.void()),
  estimateCost: method(['project'], z.tuple([DraftSchema]), CostEstimate),

  /** The hotel's brand kit (logo, colours, fonts), kept once in the app. */
  getBrandKit: method([], z.tuple([]), BrandKit),
  /** Makes the PNG or SVG at `path` the brand logo (the app keeps its own copy). */
  setBrandLogo: method(['path'], z.tuple([z.string().min(1)]), BrandKit),
  clearBrandLogo: method([], z.tuple([]), BrandKit),
  updateBrandKit: method(['patch'], z.tuple([BrandKitPatch]), BrandKit),

  listAwsProfiles: method([], z.tuple([]), z.array(z.string())),
  testConnection: method([], z.tuple([]), z.array(ConnectionStep)),
  setAwsKeys: method(['keys'], z.tuple([z.object({ accessKeyId: z.string().min(16).max(128), secretAccessKey: z.string().min(16).max(256) })]), z.void()),
  clearAwsKeys: method([], z.tuple([]), z.void()),
} as const;

export type HostMethod = keyof typeof HOST_CONTRACT;
export const HOST_METHODS = Object.keys(HOST_CONTRACT) as HostMethod[];
type Contract = typeof HOST_CONTRACT;

/** What the UI calls: arguments as it writes them, results as parsed. */
export type HostCalls = {
  [K in HostMethod]: (...args: z.input<Contract[K]['args']>) => Promise<z.output<Contract[K]['result']>>;
};

/** What the host implements: arguments as validated, results it may return. */
export type HostServices = {
  [K in HostMethod]: (...args: z.output<Contract[K]['args']>) => Promise<z.output<Contract[K]['result']>>;
};

/** What the UI holds: the JSON calls, plus the ones each transport implements its own way. */
export interface HostApi extends HostCalls {
  /** Import DOM `File`s picked in a file chooser or dropped (the transport gets their bytes or paths). */
  importFiles(files: readonly File[]): Promise<ImportResult>;
  /** Point a missing media reference at a new file chosen by the user. */
  relinkMedia(mediaId: string, file: File): Promise<MediaItem>;
  /** A path on the host for a DOM File (Electron: where it is; web: a copy saved by the host), e.g. for setBrandLogo. */
  stageFile(file: File): Promise<string>;
  /** Subscribe to host events; returns the unsubscribe function. */
  onEvent(listener: (event: HostEvent) => void): () => void;
}
