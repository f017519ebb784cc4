// Where the app keeps its files: HOSPUP_DATA_DIR (drafts, media cache, local cloud, settings)
// and HOSPUP_EXPORT_DIR (rendered videos), with OS defaults.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_FOLDER_NAME = 'Hospup Studio';

export interface DataPaths {
  dataDir: string;
  /** Default export folder (the user's setting may override it). */
  exportDir: string;
  projects: string;
  projectsTrash: string;
  mediaCache: string;
  proxies: string;
  thumbnails: string;
  probes: string;
  uploads: string;
  /** Photos and logos converted to the PNG the cloud renders (content-addressed). */
  converted: string;
  localCloud: string;
  templates: string;
  settingsFile: string;
  /** The brand kit (logo, colours, fonts) and the folder of its logo copies. */
  brandKitFile: string;
  brandDir: string;
  /** The media library shared by all projects. */
  mediaLibraryFile: string;
  exportsFile: string;
  exporterHashCache: string;
  /** Renders submitted but not yet downloaded: resumed after a crash or restart. */
  exporterJobJournal: string;
}

export interface PathEnv {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/** The OS app-data folder for the app (not created). */
export function defaultDataDir({ env = process.env, platform = process.platform, home = homedir() }: PathEnv = {}): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_FOLDER_NAME);
}

/** The OS Videos folder (not created). */
export function defaultExportDir({ platform = process.platform, home = homedir() }: PathEnv = {}): string {
  return join(home, platform === 'darwin' ? 'Movies' : 'Videos');
}

export function resolvePaths(opts: { dataDir?: string; exportDir?: string } & PathEnv = {}): DataPaths {
  const env = opts.env ?? process.env;
  const dataDir = resolve(opts.dataDir || env.HOSPUP_DATA_DIR || defaultDataDir(opts));
  const exportDir = resolve(opts.exportDir || env.HOSPUP_EXPORT_DIR || defaultExportDir(opts));
  const mediaCache = join(dataDir, 'media-cache');
  const projects = join(dataDir, 'projects');
  return {
    dataDir,
    exportDir,
    projects,
    projectsTrash: join(projects, 'trash'),
    mediaCache,
    proxies: join(mediaCache, 'proxies'),
    thumbnails: join(mediaCache, 'thumbnails'),
    probes: join(mediaCache, 'probes'),
    uploads: join(mediaCache, 'uploads'),
    converted: join(mediaCache, 'converted'),
    localCloud: join(dataDir, 'local-cloud'),
    templates: join(dataDir, 'templates'),
    settingsFile: join(dataDir, 'settings.json'),
    brandKitFile: join(dataDir, 'brand-kit.json'),
    brandDir: join(dataDir, 'brand'),
    mediaLibraryFile: join(dataDir, 'media-library.json'),
    exportsFile: join(dataDir, 'exports.json'),
    exporterHashCache: join(mediaCache, 'hash-cache.json'),
    exporterJobJournal: join(dataDir, 'export-jobs.json'),
  };
}

/** Creates the data folders (not the export folder: that one is made when an export needs it). */
export async function ensureDataDirs(paths: DataPaths): Promise<void> {
  for (const dir of [paths.projects, paths.proxies, paths.thumbnails, paths.probes, paths.uploads, paths.localCloud, paths.templates]) {
    await mkdir(dir, { recursive: true });
  }
}
