/**
 * Builds that run only when their inputs changed, so the second `npm start` is ready in a
 * moment. A build's fingerprint is the sha256 of every input file's path and content (content,
 * not mtime: a `git checkout` that rewrites files with the same bytes rebuilds nothing) and is
 * stored beside the output once the build succeeded.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface CachedBuild {
  /** Shown to the user: "Building the editor…". */
  label: string;
  /** Files and folders (relative to the project root) whose content decides the output. */
  inputs: string[];
  /** Where the build writes; the fingerprint file lives inside it. */
  outDir: string;
  run: () => Promise<void>;
}

const FINGERPRINT_FILE = '.inputs-sha256';
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'dist-electron', 'release']);

/** sha256 over the sorted input files (path + bytes). Missing inputs count as absent, not as an error. */
export function fingerprint(root: string, inputs: readonly string[]): string {
  const files = inputs.flatMap((input) => listFiles(root, join(root, input))).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function listFiles(root: string, path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() && SKIPPED_DIRS.has(entry.name) ? [] : listFiles(root, join(path, entry.name)),
  );
}

/** Runs the build unless its output was made from exactly these inputs. Returns whether it built. */
export async function buildIfChanged(root: string, build: CachedBuild): Promise<boolean> {
  const outDir = join(root, build.outDir);
  const wanted = fingerprint(root, build.inputs);
  const stamp = join(outDir, FINGERPRINT_FILE);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === wanted) return false;
  await build.run();
  // Written last: an interrupted build leaves no stamp and runs again next time.
  writeFileSync(stamp, `${wanted}\n`);
  return true;
}
