// Files that must never be half-written: write a temporary file beside the target, then rename.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: { fsync?: boolean } = {}): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    // fsync for explicit saves (power loss); a killed process never loses written page cache.
    if (opts.fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(file: string, value: unknown, opts: { fsync?: boolean; pretty?: boolean } = {}): Promise<void> {
  const text = opts.pretty === false ? JSON.stringify(value) : `${JSON.stringify(value, null, 2)}\n`;
  await writeFileAtomic(file, text, opts);
}

/** The file's text, or undefined when it does not exist. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** `<file>.<pid>.<8 hex>.tmp`: what writeFileAtomic leaves behind when the process dies mid-write. */
const TEMP_NAME = /\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes temporary files of interrupted writes in `dir` (not recursive): those of another
 * process older than `minAgeMs` (that process may still be writing for a moment), never this
 * process's own. Returns the names removed. A missing folder is not an error.
 */
export async function removeStaleTemps(dir: string, opts: { minAgeMs?: number; now?: number } = {}): Promise<string[]> {
  const minAge = opts.minAgeMs ?? 60_000;
  const now = opts.now ?? Date.now();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || Number(match[1]) === process.pid) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < minAge) continue;
    await rm(path, { force: true });
    removed.push(name);
  }
  return removed;
}
