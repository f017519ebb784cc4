// Files that must never be half-written: write a temporary file beside the target, then rename.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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
