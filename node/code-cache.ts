/**
 * Runs a CommonJS bundle with a V8 code cache, as Node 22's module compile cache does (Node 20,
 * which the project pins, has none): a cold `hospup export` spent ~120 ms per thread compiling
 * the bundled AWS SDK, local cloud and generation function before doing anything.
 *
 * The cache is what V8 had compiled once the bundle had done its work (`saveCache()`: lazily
 * compiled functions included, which a cache made at load would lack), written beside the bundle
 * under `.code-cache/`. It is named by the bundle's size and modification time, because V8 checks
 * only a source's length: a rebuilt bundle gets a cache of its own. One cache per `variant`
 * (a command: what `--help` compiles is not what an export does). V8 refuses a cache made by
 * another Node version or with other flags; a refused, missing or unwritable cache costs only
 * the compilation it would have saved, never a failure.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';

export interface CachedBundle<T> {
  exports: T;
  /** Whether V8 used a cache made by an earlier run. */
  cacheUsed: boolean;
  /** Writes the cache when there was none or V8 refused it (call once the bundle has worked). */
  saveCache(): void;
}

/** Where `file`'s cache for `variant` lives: in `.code-cache/` beside it, named by the bundle's size and mtime. */
export function codeCachePath(file: string, variant: string): string {
  const { size, mtimeMs } = statSync(file);
  const safeVariant = variant.replace(/[^\w-]/g, '_');
  return join(dirname(file), '.code-cache', `${basename(file)}-${size}-${Math.round(mtimeMs)}-${safeVariant}.v8`);
}

/** `require(file)` for a CommonJS bundle, compiled from its code cache when one fits. */
export function requireWithCodeCache<T>(file: string, variant: string): CachedBundle<T> {
  const cacheFile = codeCachePath(file, variant);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run of this bundle (or variant)
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    // A script compiled from the cache loses this callback (Node 20): bundles meant for this
    // loader turn import() into require() (scripts/build-node.ts); this serves the first run.
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cacheUsed = script.cachedDataRejected === false; // set only when V8 was given a cache
  const module = { exports: {} as T, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext() as (exports: T, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  let saved = cacheUsed;
  return {
    exports: module.exports, // what the bundle assigned (esbuild: `module.exports = ...`)
    cacheUsed,
    saveCache() {
      if (saved) return;
      saved = true;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        const partial = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}`;
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile); // readers see a whole cache or none
      } catch {
        // a read-only install: every run compiles, as without a cache
      }
    },
  };
}
