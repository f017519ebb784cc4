// Loads a bundle of dist/node/ (scripts/build-node.ts) when it is up to date, else undefined so
// the caller falls back to the TypeScript sources through tsx. Up to date: the build's stamp is
// newer than every file it was made from (modification times: a few milliseconds to check; an
// edit or a checkout makes the next start use the sources until `npm run build:node`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist/node');
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'dist-electron']);

function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's mtime
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED.has(entry.name)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** Whether `root`/dist/node holds a build newer than all its inputs (HOSPUP_FROM_SOURCES=1: never). */
export function builtIsFresh(root = ROOT) {
  if (process.env.HOSPUP_FROM_SOURCES) return false;
  try {
    const stampPath = join(root, 'dist/node/.built');
    const { inputs } = JSON.parse(readFileSync(stampPath, 'utf8'));
    const builtAt = statSync(stampPath).mtimeMs;
    return inputs.every((input) => newestMtime(join(root, input)) <= builtAt);
  } catch {
    return false;
  }
}

/** The bundle's module, or undefined when it is missing or older than the sources. */
export async function importBuilt(name) {
  return builtIsFresh() ? import(pathToFileURL(join(OUT, `${name}.mjs`)).href) : undefined;
}

/**
 * A CommonJS bundle of dist/node run with its V8 code cache (dist/node/code-cache.cjs, from
 * node/code-cache.ts; one cache per `variant`), or undefined when the build is missing or stale.
 * The caller runs `.exports` and then `.saveCache()`.
 */
export function requireBuiltWithCodeCache(name, variant) {
  if (!builtIsFresh()) return undefined;
  const { requireWithCodeCache } = createRequire(import.meta.url)(join(OUT, 'code-cache.cjs'));
  return requireWithCodeCache(join(OUT, `${name}.cjs`), variant);
}
