// The media library: imports files by path (probe + register), re-registers a project's media
// when it is opened (noticing missing or changed files), relinks moved files, and keeps the
// registry id -> files that the transports' media route serves (original, preview proxy,
// thumbnail, filmstrip). Thumbnails, filmstrips and proxies are made in the background and
// announced with `media-updated` events, at low priority, waiting while an export renders (`gate`).
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, realpathSync, type Stats } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImportResult, MediaItem, PreviewStatus } from '../../../shared/api';
import { MediaRef, type MediaFacts } from '../../../shared/draft';
import { z } from 'zod';
import type { EventHub } from '../events';
import { AppError, isErrorCode } from '../../../shared/errors';
import { writeJsonAtomic } from '../fs-atomic';
import { probeMedia, type MediaProbe } from '../../../node/media/probe';
import type { FileIdentity } from '../media-range';
import type { BackgroundGate } from './background-gate';
import { createLimiter, makeProxy, previewPlan } from './proxy';
import { FILMSTRIP_FRAMES, makeFilmstrip, makeThumbnail, THUMBNAIL_WIDTH } from './thumbnails';
import { PHOTO_MAX_SECONDS } from '../../../shared/photo';
import { isHeif, photoFormatOf, photoPreview, photoThumbnail, probePhoto, PHOTO_CONVERTER_VERSION, type PhotoInfo } from '../../../node/media/photo';

export type MediaFileKind = 'original' | 'preview' | 'thumbnail' | 'filmstrip';
export type MediaUrlKind = 'preview' | 'thumbnail' | 'filmstrip';

export interface MediaLibraryOptions {
  dirs: { proxies: string; thumbnails: string; probes: string; uploads: string };
  /** The media library shared by every project: what was imported on this computer (JSON list, newest first). */
  indexFile?: string;
  urls: { media(id: string, kind: MediaUrlKind): string };
  events: EventHub;
  /** Proxies encoded at the same time (they use every core anyway). Default 1 on ≤ 2 cores, else 2. */
  proxyConcurrency?: number;
  /** Closed while an export renders on this computer: proxies and stills wait (and running ffmpeg stops). */
  gate?: BackgroundGate;
}

/** A user-facing problem (bad file, wrong relink): the one AppError, with a translatable message. */
export class MediaError extends AppError {
  override name = 'MediaError';
}

interface Entry {
  ref: MediaRef;
  /** sha1 of path + size + mtime: names the cached probe, proxy and stills. */
  contentKey?: string;
  probe?: MediaProbe;
  /** A photo's facts (then `probe` is absent and the preview is an image). */
  photo?: PhotoInfo;
  photoPreviewPath?: string;
  missing?: string;
  needsProxy: boolean;
  proxyPath?: string;
  previewStatus: PreviewStatus;
  previewPercent: number;
  previewError?: string;
  thumbnailPath?: string;
  filmstripPath?: string;
  /** Background work for this entry (stills and proxy), for `settled()`. */
  work: Promise<void>;
  /** Bumped when the entry's file changes (relink), so stale background work is ignored. */
  generation: number;
  /** The imported file as it was then (its real path, device, inode, size, time): it is served only while it is that file. */
  pinned?: { path: string } & FileIdentity;
}

const PART_SUFFIX = '.part';

/** Remembers which file was imported: its real path (a symlink chosen on purpose is resolved once, here) and identity. */
function pinFile(entry: Entry, file: string, info: Stats): void {
  let path = file;
  try {
    path = realpathSync(file);
  } catch {
    /* gone already: serving will say so */
  }
  entry.pinned = { path, dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
}

export interface MediaLibrary {
  /** Every readable file is imported; each other one is listed with its reason (a bad file never stops the batch). */
  importPaths(paths: string[]): Promise<ImportResult>;
  importUpload(name: string, data: Readable): Promise<MediaItem>;
  /** Saves an uploaded file into the media cache and returns its path (web mode relink). */
  saveUpload(name: string, data: Readable): Promise<string>;
  registerMedia(refs: MediaRef[]): Promise<MediaItem[]>;
  /** Everything imported in any project on this computer whose file is still there, newest first. */
  listLibrary(): Promise<MediaItem[]>;
  relinkMediaPath(id: string, newPath: string): Promise<MediaItem>;
  item(id: string): MediaItem | undefined;
  ref(id: string): MediaRef | undefined;
  /** The file to serve; `identity` (the imported original): serve it only while it is still that file. */
  mediaFileFor(id: string, kind: MediaFileKind): { path: string; mime: string; identity?: FileIdentity } | undefined;
  /** Resolves when the background work (stills, proxy) of `id` (or of every media) is finished. */
  settled(id?: string): Promise<void>;
  close(): Promise<void>;
}

export function createMediaLibrary(opts: MediaLibraryOptions): MediaLibrary {
  const entries = new Map<string, Entry>();
  const { gate } = opts;
  const closing = new AbortController();
  const stills = createLimiter(2, { gate, signal: closing.signal });
  const proxies = createLimiter(opts.proxyConcurrency ?? (availableParallelism() <= 2 ? 1 : 2), { gate, signal: closing.signal });
  const probing = createLimiter(4);

  function toItem(entry: Entry): MediaItem {
    const { ref } = entry;
    if (entry.photo || ref.facts?.kind === 'photo') return photoItem(entry);
    const ready = !entry.missing && (!entry.needsProxy || (entry.previewStatus === 'ready' && !!entry.proxyPath));
    return {
      ...ref,
      previewUrl: ready ? opts.urls.media(ref.id, 'preview') : null,
      previewStatus: entry.missing ? 'missing' : entry.previewStatus,
      previewPercent: entry.missing ? 0 : entry.previewPercent,
      ...((entry.missing ?? entry.previewError) !== undefined && { previewError: entry.missing ?? entry.previewError }),
      usesProxy: entry.needsProxy,
      thumbnailUrl: !entry.missing && entry.thumbnailPath ? opts.urls.media(ref.id, 'thumbnail') : null,
      filmstripUrl: !entry.missing && entry.filmstripPath ? opts.urls.media(ref.id, 'filmstrip') : null,
      filmstripFrames: FILMSTRIP_FRAMES,
      ...(!entry.missing && entry.probe && {
        colour: {
          primaries: entry.probe.colour.primaries,
          transfer: entry.probe.colour.transfer,
          matrix: entry.probe.colour.matrix,
          bitDepth: entry.probe.colour.bitDepth,
          dynamicRange: entry.probe.colour.dynamicRange,
        },
        variableFrameRate: entry.probe.variableFrameRate,
      }),
    };
  }

  /** A photo: its preview is an upright sRGB image made like the export's, no proxy, no filmstrip. */
  function photoItem(entry: Entry): MediaItem {
    const { ref } = entry;
    const available = !entry.missing && !!entry.photo;
    return {
      ...ref,
      previewUrl: available && entry.photoPreviewPath ? opts.urls.media(ref.id, 'preview') : null,
      previewStatus: entry.missing ? 'missing' : entry.photoPreviewPath ? 'ready' : entry.previewStatus,
      previewPercent: entry.photoPreviewPath ? 100 : 0,
      ...((entry.missing ?? entry.previewError) !== undefined && { previewError: entry.missing ?? entry.previewError }),
      usesProxy: false,
      thumbnailUrl: available && entry.thumbnailPath ? opts.urls.media(ref.id, 'thumbnail') : null,
      filmstripUrl: null,
      filmstripFrames: 0,
    };
  }

  const announce = (entry: Entry) => opts.events.emit({ type: 'media-updated', media: toItem(entry) });

  // The shared library: media refs by id, newest first, written after each change (serialised).
  let libraryIndex: Promise<MediaRef[]> | undefined;
  let indexWrite: Promise<unknown> = Promise.resolve();
  const loadIndex = () =>
    (libraryIndex ??= (async () => {
      if (!opts.indexFile) return [];
      try {
        const parsed = z.array(MediaRef).safeParse(JSON.parse(await readFile(opts.indexFile, 'utf8')));
        return parsed.success ? parsed.data : [];
      } catch {
        return [];
      }
    })());
  function remember(refs: MediaRef[]): void {
    if (!opts.indexFile || refs.length === 0) return;
    const file = opts.indexFile;
    indexWrite = indexWrite.then(async () => {
      const known = await loadIndex();
      const ids = new Set(refs.map((r) => r.id));
      const next = [...refs, ...known.filter((r) => !ids.has(r.id))].slice(0, LIBRARY_LIMIT);
      libraryIndex = Promise.resolve(next);
      await writeJsonAtomic(file, next, { pretty: false }).catch((err) => console.warn(`media: the library index could not be saved: ${(err as Error).message}`));
    });
  }

  /** Probe through a cache in media-cache/probes keyed by the content key. */
  async function probeCached(path: string, key: string): Promise<MediaProbe> {
    const cacheFile = join(opts.dirs.probes, `${key}.v${PROBE_CACHE_VERSION}.json`);
    try {
      return JSON.parse(await readFile(cacheFile, 'utf8')) as MediaProbe;
    } catch {
      /* not cached yet */
    }
    let probe: MediaProbe;
    try {
      probe = await probing(() => probeMedia(path));
    } catch (err) {
      throw MediaError.of('not-media', 'Not a photo or video file we can read: {{name}}', { name: basename(path) });
    }
    await writeJsonAtomic(cacheFile, probe, { pretty: false }).catch(() => undefined);
    return probe;
  }

  /** A photo's facts through the probe cache (HEIC probing decodes the picture). */
  async function probePhotoCached(path: string, key: string): Promise<PhotoInfo> {
    const cacheFile = join(opts.dirs.probes, `${key}.photo.v${PHOTO_CONVERTER_VERSION}.json`);
    try {
      return JSON.parse(await readFile(cacheFile, 'utf8')) as PhotoInfo;
    } catch {
      /* not cached yet */
    }
    let info: PhotoInfo;
    try {
      info = await probing(() => probePhoto(path));
    } catch (err) {
      throw MediaError.of('not-media', 'Not a photo we can read: {{name}} ({{reason}})', { name: basename(path), reason: (err as Error).message.replace(/^cannot read the photo [^:]*: /, '') });
    }
    await writeJsonAtomic(cacheFile, info, { pretty: false }).catch(() => undefined);
    return info;
  }

  /** Fill a photo's entry and make its thumbnail and preview image in the background. */
  function activatePhoto(entry: Entry, info: PhotoInfo, key: string): void {
    entry.photo = info;
    entry.probe = undefined;
    entry.contentKey = key;
    entry.missing = undefined;
    entry.previewError = undefined;
    entry.needsProxy = false;
    entry.generation++;
    const generation = entry.generation;
    const current = () => entry.generation === generation && !closing.signal.aborted;
    const thumbFile = join(opts.dirs.thumbnails, `${key}.photo.jpg`);
    const previewFile = join(opts.dirs.proxies, `${key}.photo.${info.hasAlpha ? 'png' : 'jpg'}`);
    entry.thumbnailPath = existsSync(thumbFile) ? thumbFile : undefined;
    entry.photoPreviewPath = existsSync(previewFile) ? previewFile : undefined;
    entry.previewStatus = entry.photoPreviewPath ? 'ready' : 'processing';
    const src = entry.ref.path;
    const still = (file: string, make: () => Promise<Buffer>, done: (path: string) => void) => stills(async () => {
      if (!current() || existsSync(file)) return;
      await writeFileAtomic(file, await make());
      if (!current()) return;
      done(file);
      announce(entry);
    }).catch((err) => {
      logBackground('photo still', src, err);
      if (current()) {
        entry.previewStatus = 'failed';
        entry.previewError = `The photo could not be shown: ${(err as Error).message}`;
        announce(entry);
      }
    });
    entry.work = Promise.all([
      still(thumbFile, () => photoThumbnail(src, THUMBNAIL_WIDTH), (path) => { entry.thumbnailPath = path; }),
      // The preview is drawn from the same orientation and colour conversion as the export.
      still(previewFile, () => photoPreview(src, 1920), (path) => { entry.photoPreviewPath = path; entry.previewStatus = 'ready'; }),
    ]).then(() => undefined);
  }

  /** Whether a file is a photo: by its name, or by its bytes for HEIF without a usual extension. */
  async function isPhotoFile(path: string): Promise<boolean> {
    if (photoFormatOf(path)) return true;
    const head = Buffer.alloc(16);
    const file = await open(path, 'r').catch(() => undefined);
    if (!file) return false;
    try {
      await file.read(head, 0, 16, 0);
    } finally {
      await file.close();
    }
    return isHeif(head);
  }

  /** Fill `entry` from its file on disk (probe), decide on a proxy and start the background work. */
  function activate(entry: Entry, probe: MediaProbe, key: string): void {
    entry.probe = probe;
    entry.photo = undefined;
    entry.photoPreviewPath = undefined;
    entry.contentKey = key;
    entry.missing = undefined;
    entry.previewError = undefined;
    entry.thumbnailPath = undefined;
    entry.filmstripPath = undefined;
    entry.proxyPath = undefined;
    const plan = previewPlan(probe);
    entry.needsProxy = !plan.playable;
    // A proxy made in an earlier run is ready at once (reopening a project plays immediately).
    const cachedProxy = join(opts.dirs.proxies, proxyName(key, probe));
    if (entry.needsProxy && existsSync(cachedProxy)) entry.proxyPath = cachedProxy;
    const ready = plan.playable || !!entry.proxyPath;
    entry.previewStatus = ready ? 'ready' : 'queued';
    entry.previewPercent = ready ? 100 : 0;
    entry.generation++;
    entry.work = backgroundWork(entry, entry.generation);
  }

  async function backgroundWork(entry: Entry, generation: number): Promise<void> {
    const key = entry.contentKey!;
    const src = entry.ref.path;
    const duration = entry.probe!.durationSec;
    const current = () => entry.generation === generation && !closing.signal.aborted;
    const thumb = stills(async () => {
      if (!current()) return;
      entry.thumbnailPath = await makeThumbnail(src, join(opts.dirs.thumbnails, `${lookKey(key, entry.probe!)}.jpg`), duration, { signal: closing.signal, colour: entry.probe!.colour, gate });
      if (current()) announce(entry);
    }).catch((err) => logBackground('thumbnail', src, err));
    const strip = stills(async () => {
      if (!current()) return;
      entry.filmstripPath = await makeFilmstrip(src, join(opts.dirs.thumbnails, `${lookKey(key, entry.probe!)}-strip.jpg`), duration, { signal: closing.signal, colour: entry.probe!.colour, gate });
      if (current()) announce(entry);
    }).catch((err) => logBackground('filmstrip', src, err));
    const proxy = entry.needsProxy && !entry.proxyPath ? proxies(() => runProxy(entry, generation, key)) : Promise.resolve();
    await Promise.all([thumb, strip, proxy]);
  }

  async function runProxy(entry: Entry, generation: number, key: string): Promise<void> {
    const current = () => entry.generation === generation && !closing.signal.aborted;
    if (!current()) return;
    entry.previewStatus = 'processing';
    announce(entry);
    let lastEmit = 0;
    try {
      const out = await makeProxy({
        src: entry.ref.path,
        out: join(opts.dirs.proxies, proxyName(key, entry.probe!)),
        durationSec: entry.probe!.durationSec,
        hasAudio: entry.probe!.hasAudio,
        colour: entry.probe!.colour,
        signal: closing.signal,
        gate,
        onProgress(percent) {
          if (!current()) return;
          entry.previewPercent = percent;
          const now = Date.now();
          // A few events a second are plenty for a progress bar.
          if (now - lastEmit > 250 && percent < 100) {
            lastEmit = now;
            announce(entry);
          }
        },
      });
      if (!current()) return;
      entry.proxyPath = out;
      entry.previewStatus = 'ready';
      entry.previewPercent = 100;
    } catch (err) {
      if (!current()) return;
      entry.previewStatus = 'failed';
      entry.previewError = `The preview copy could not be made: ${(err as Error).message}`;
    }
    announce(entry);
  }

  /** Upload folders a crash left with only a partial file (no finished upload in them): removed once per run. */
  let swept: Promise<void> | undefined;
  function sweepUploads(): Promise<void> {
    swept ??= (async () => {
      for (const id of await readdir(opts.dirs.uploads).catch(() => [] as string[])) {
        const dir = join(opts.dirs.uploads, id);
        const names = await readdir(dir).catch(() => undefined);
        if (names && names.every((n) => n.endsWith(PART_SUFFIX))) await rm(dir, { recursive: true, force: true });
      }
    })();
    return swept;
  }

  function newEntry(ref: MediaRef): Entry {
    return { ref, needsProxy: false, previewStatus: 'queued', previewPercent: 0, work: Promise.resolve(), generation: 0 };
  }

  async function importOne(path: string): Promise<MediaItem> {
    const file = resolve(path);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) throw MediaError.of('not-found', 'File not found: {{path}}', { path: file });
    const key = contentKey(file, info.size, info.mtimeMs);
    // Stable id: importing the same unchanged file again gives the same media.
    const id = `m_${key.slice(0, 16)}`;
    if (await isPhotoFile(file)) {
      const photo = await probePhotoCached(file, key);
      const ref: MediaRef = { id, path: file, name: basename(file), size_bytes: info.size, mtime_ms: info.mtimeMs, facts: photoFacts(photo, info.size) };
      const existing = entries.get(id);
      if (existing && !existing.missing && existing.contentKey === key) return toItem(existing);
      const entry = existing ?? newEntry(ref);
      entry.ref = ref;
      entries.set(id, entry);
      pinFile(entry, file, info);
      activatePhoto(entry, photo, key);
      return toItem(entry);
    }
    const probe = await probeCached(file, key);
    const ref: MediaRef = { id, path: file, name: basename(file), size_bytes: info.size, mtime_ms: info.mtimeMs, facts: factsOf(probe) };
    const existing = entries.get(id);
    if (existing && !existing.missing && existing.contentKey === key) return toItem(existing);
    const entry = existing ?? newEntry(ref);
    entry.ref = ref;
    entries.set(id, entry);
    pinFile(entry, file, info);
    activate(entry, probe, key);
    return toItem(entry);
  }

  async function registerOne(ref: MediaRef): Promise<MediaItem> {
    const entry = entries.get(ref.id) ?? newEntry(ref);
    entries.set(ref.id, entry);
    const info = await stat(ref.path).catch(() => undefined);
    if (!info?.isFile()) return markMissing(entry, ref, `File not found: ${ref.path}`);
    const key = contentKey(ref.path, info.size, info.mtimeMs);
    if (entry.contentKey === key && !entry.missing) {
      entry.ref = { ...ref, facts: ref.facts ?? entry.ref.facts };
      return toItem(entry);
    }
    if (info.size !== ref.size_bytes) return markMissing(entry, ref, `The file changed since it was imported: ${ref.path}`);
    if (ref.facts?.kind === 'photo') {
      let photo: PhotoInfo;
      try {
        photo = await probePhotoCached(ref.path, key);
      } catch {
        return markMissing(entry, ref, `The file is no longer a readable photo: ${ref.path}`);
      }
      entry.ref = { ...ref, facts: photoFacts(photo, info.size) };
      pinFile(entry, ref.path, info);
      activatePhoto(entry, photo, key);
      return toItem(entry);
    }
    let probe: MediaProbe;
    try {
      probe = await probeCached(ref.path, key);
    } catch {
      return markMissing(entry, ref, `The file is no longer a readable video: ${ref.path}`);
    }
    // Same size but a new modification time (a copy, a sync tool): accept it when it still lasts as long.
    if (ref.facts && Math.abs(probe.durationSec - ref.facts.duration) > 0.1) {
      return markMissing(entry, ref, `The file changed since it was imported: ${ref.path}`);
    }
    entry.ref = { ...ref, facts: ref.facts ?? factsOf(probe) };
    pinFile(entry, ref.path, info);
    activate(entry, probe, key);
    return toItem(entry);
  }

  function markMissing(entry: Entry, ref: MediaRef, reason: string): MediaItem {
    entry.ref = ref;
    entry.missing = reason;
    entry.contentKey = undefined;
    entry.generation++;
    return toItem(entry);
  }

  return {
    async importPaths(paths) {
      const results = await Promise.allSettled(paths.map(importOne));
      const out: ImportResult = { imported: [], refused: [] };
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') out.imported.push(r.value);
        else {
          const err = r.reason as Error & { code?: string };
          out.refused.push({
            name: basename(paths[i]),
            code: err instanceof AppError ? err.code : 'internal',
            message: err.message,
            ...(err instanceof AppError && err.key && { key: err.key, params: err.params ?? {} }),
          });
        }
      });
      remember(out.imported.map((i) => entries.get(i.id)!.ref).reverse());
      return out;
    },

    async saveUpload(name, data) {
      await sweepUploads();
      const dir = join(opts.dirs.uploads, randomUUID());
      await mkdir(dir, { recursive: true });
      const file = join(dir, sanitiseFileName(name));
      // Written as .part and renamed when whole: a crash leaves only a .part, swept at the next upload.
      try {
        await pipeline(data, createWriteStream(`${file}${PART_SUFFIX}`));
        await rename(`${file}${PART_SUFFIX}`, file);
      } catch (err) {
        // Refused (too large), aborted or failed: nothing of it stays on disk.
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
      return file;
    },

    async importUpload(name, data) {
      const saved = await this.saveUpload(name, data);
      const { imported, refused } = await this.importPaths([saved]);
      if (refused.length) {
        // Not a video we can read: the uploaded copy is of no use, do not keep it.
        await rm(dirname(saved), { recursive: true, force: true });
        const [first] = refused;
        throw new MediaError(isErrorCode(first.code) ? first.code : 'internal', first.message, { key: first.key, params: first.params });
      }
      return imported[0];
    },

    async registerMedia(refs) {
      const limit = createLimiter(4);
      const items = await Promise.all(refs.map((ref) => limit(() => registerOne(ref))));
      // Media of an opened project join the shared library (projects made before it existed too).
      remember(items.filter((i) => i.previewStatus !== 'missing').map((i) => entries.get(i.id)!.ref).reverse());
      return items;
    },

    async listLibrary() {
      await indexWrite;
      const refs = await loadIndex();
      const limit = createLimiter(4);
      const known = (ref: MediaRef) => {
        const entry = entries.get(ref.id);
        return entry && !entry.missing ? toItem(entry) : undefined;
      };
      const items = await Promise.all(refs.map((ref) => limit(async () => known(ref) ?? registerOne(ref))));
      // The same file uploaded twice (web mode keeps each upload) is one library entry.
      const seen = new Set<string>();
      return items.filter((i) => {
        const same = `${i.name}\0${i.size_bytes}\0${i.facts?.duration ?? ''}`;
        if (i.previewStatus === 'missing' || seen.has(same)) return false;
        seen.add(same);
        return true;
      });
    },

    async relinkMediaPath(id, newPath) {
      const entry = entries.get(id);
      if (!entry) throw MediaError.of('unknown-media', 'Unknown media "{{id}}": open its project first', { id });
      const file = resolve(newPath);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw MediaError.of('not-found', 'File not found: {{path}}', { path: file });
      const key = contentKey(file, info.size, info.mtimeMs);
      if (entry.ref.facts?.kind === 'photo' || await isPhotoFile(file)) {
        if (entry.ref.facts?.kind !== 'photo') throw MediaError.of('relink-mismatch', '{{name}} is a photo, but the missing media was a video: choose the same clip', { name: basename(file) });
        const photo = await probePhotoCached(file, key);
        entry.ref = { ...entry.ref, path: file, name: basename(file), size_bytes: info.size, mtime_ms: info.mtimeMs, facts: photoFacts(photo, info.size) };
        pinFile(entry, file, info);
        activatePhoto(entry, photo, key);
        const item = toItem(entry);
        opts.events.emit({ type: 'media-updated', media: item });
        return item;
      }
      const probe = await probeCached(file, key);
      const before = entry.ref.facts?.duration;
      if (before !== undefined && !similarDuration(before, probe.durationSec)) {
        throw MediaError.of('relink-mismatch', '{{name}} lasts {{seconds}} s but the missing clip lasted {{before}} s: choose the same clip', {
          name: basename(file),
          seconds: probe.durationSec.toFixed(1),
          before: before.toFixed(1),
        });
      }
      entry.ref = { ...entry.ref, path: file, name: basename(file), size_bytes: info.size, mtime_ms: info.mtimeMs, facts: factsOf(probe) };
      pinFile(entry, file, info);
      activate(entry, probe, key);
      remember([entry.ref]);
      const item = toItem(entry);
      opts.events.emit({ type: 'media-updated', media: item });
      return item;
    },

    item: (id) => {
      const entry = entries.get(id);
      return entry && toItem(entry);
    },
    ref: (id) => entries.get(id)?.ref,

    mediaFileFor(id, kind) {
      const entry = entries.get(id);
      if (!entry || entry.missing) return undefined;
      const original = () =>
        entry.pinned
          ? { path: entry.pinned.path, mime: videoMime(entry.ref.path), identity: { dev: entry.pinned.dev, ino: entry.pinned.ino, size: entry.pinned.size, mtimeMs: entry.pinned.mtimeMs } }
          : { path: entry.ref.path, mime: videoMime(entry.ref.path) };
      switch (kind) {
        case 'original':
          return original();
        case 'preview':
          if (entry.photo) return entry.photoPreviewPath ? { path: entry.photoPreviewPath, mime: entry.photoPreviewPath.endsWith('.png') ? 'image/png' : 'image/jpeg' } : undefined;
          if (!entry.needsProxy) return original();
          return entry.proxyPath && entry.previewStatus === 'ready' ? { path: entry.proxyPath, mime: 'video/mp4' } : undefined;
        case 'thumbnail':
          return entry.thumbnailPath ? { path: entry.thumbnailPath, mime: 'image/jpeg' } : undefined;
        case 'filmstrip':
          return entry.filmstripPath ? { path: entry.filmstripPath, mime: 'image/jpeg' } : undefined;
        default:
          return undefined;
      }
    },

    async settled(id) {
      const list = id === undefined ? [...entries.values()] : [entries.get(id)].filter((e): e is Entry => !!e);
      // Work can be restarted (relink) while we wait: loop until it is stable.
      for (;;) {
        const works = list.map((e) => e.work);
        await Promise.all(works);
        if (list.every((e, i) => e.work === works[i])) return;
      }
    },

    async close() {
      closing.abort();
      await Promise.allSettled([...entries.values()].map((e) => e.work));
    },
  };
}

/** Most media the shared library remembers. */
const LIBRARY_LIMIT = 1000;

/** Cache name of a clip's proxy and stills: HDR ones are tone-mapped (earlier versions made them untreated). */
function lookKey(key: string, probe: MediaProbe): string {
  return probe.colour.dynamicRange === 'sdr' ? key : `${key}.sdr`;
}

/** Bumped when proxies are encoded differently, so older ones are made again (v2: a keyframe every 0.5 s for instant seeks). */
const PROXY_VERSION = 2;

function proxyName(key: string, probe: MediaProbe): string {
  return `${lookKey(key, probe)}.v${PROXY_VERSION}.mp4`;
}

/** Bumped when MediaProbe gains facts (v2: colour, variable frame rate, audio channels): older caches are probed again. */
const PROBE_CACHE_VERSION = 2;

export function contentKey(path: string, size: number, mtimeMs: number): string {
  return createHash('sha1').update(`${path}\0${size}\0${Math.round(mtimeMs)}`).digest('hex');
}

export function factsOf(probe: MediaProbe): MediaFacts {
  return {
    duration: probe.durationSec,
    width: probe.width,
    height: probe.height,
    rotation: probe.rotation,
    fps: probe.fps,
    has_audio: probe.hasAudio,
    video_codec: probe.videoCodec,
    size_bytes: probe.sizeBytes,
  };
}

/** A photo's facts: upright size, silent, and the longest it may show on the timeline as its "duration". */
export function photoFacts(photo: PhotoInfo, sizeBytes: number): MediaFacts {
  return {
    duration: PHOTO_MAX_SECONDS,
    width: photo.width,
    height: photo.height,
    rotation: 0,
    fps: 30,
    has_audio: false,
    video_codec: photo.format,
    size_bytes: sizeBytes,
    kind: 'photo',
  };
}

async function writeFileAtomic(file: string, data: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.part`;
  await writeFile(partial, data);
  await rename(partial, file);
}

/** A relinked file must last about as long as the original (same clip, maybe re-exported). */
export function similarDuration(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(0.2, 0.01 * Math.max(a, b));
}

const VIDEO_MIME: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  // Chromium plays H.264 QuickTime files when they are served as MP4.
  '.mov': 'video/mp4',
  '.3gp': 'video/mp4',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
};

export function videoMime(path: string): string {
  return VIDEO_MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A file name safe on every OS: no folders, no reserved characters, not empty. */
export function sanitiseFileName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f<>:"/\\|?*]/g, '_')
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 180);
  return base || 'upload.mp4';
}


function logBackground(what: string, src: string, err: unknown): void {
  if ((err as Error).name === 'AbortError') return;
  console.warn(`media: ${what} of ${basename(src)} failed: ${(err as Error).message}`);
}
