/**
 * Streamed sha256 of source files, cached by path + size + mtime so an unchanged project is
 * not hashed twice (the cache survives restarts when given a file).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { writeJsonAtomic } from '../fs-atomic';

interface Entry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

export interface HashCache {
  /** sha256 hex of the file; `onBytes` reports bytes read as hashing goes. */
  hash(path: string, options?: { signal?: AbortSignal; onBytes?: (bytes: number) => void }): Promise<string>;
  /** True when `path` is already hashed at its current size and mtime. */
  isFresh(path: string): Promise<boolean>;
}

export function createHashCache(cacheFile?: string): HashCache {
  let entries: Map<string, Entry> | undefined;
  let writing = Promise.resolve();

  async function load(): Promise<Map<string, Entry>> {
    if (entries) return entries;
    entries = new Map();
    if (cacheFile) {
      try {
        const data = JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, Entry>;
        for (const [path, entry] of Object.entries(data)) entries.set(path, entry);
      } catch {
        // no cache yet, or unreadable: start fresh (hashes are only an optimisation)
      }
    }
    return entries;
  }

  function persist(): Promise<void> {
    if (!cacheFile) return Promise.resolve();
    const path = cacheFile;
    writing = writing.then(() => writeJsonAtomic(path, Object.fromEntries(entries!), { pretty: false }));
    return writing;
  }

  return {
    async isFresh(path) {
      const [map, info] = await Promise.all([load(), stat(path)]);
      const entry = map.get(path);
      return !!entry && entry.size === info.size && entry.mtimeMs === info.mtimeMs;
    },
    async hash(path, options = {}) {
      const map = await load();
      const info = await stat(path);
      const cached = map.get(path);
      if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
        options.onBytes?.(info.size);
        return cached.sha256;
      }
      const sha256 = await hashStream(path, options);
      map.set(path, { size: info.size, mtimeMs: info.mtimeMs, sha256 });
      await persist();
      return sha256;
    },
  };
}

function hashStream(path: string, options: { signal?: AbortSignal; onBytes?: (bytes: number) => void }): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path, { highWaterMark: 1 << 20, signal: options.signal });
    let read = 0;
    stream.on('data', (chunk) => {
      hash.update(chunk);
      read += chunk.length;
      options.onBytes?.(read);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}
