// npm run build:node -> dist/node/{hospup.cjs, local-function.cjs, code-cache.cjs, web.mjs, chunk-*.mjs, template.yaml}
//
// The command line and the web-mode host as plain JavaScript, so they start without compiling
// TypeScript (tsx costs ~0.4 s per start), most npm packages bundled in (see EXTERNAL):
// - the CLI and the local cloud's generation function as CommonJS bundles, which bin/hospup.mjs
//   and the function's thread run with a V8 code cache (node/code-cache.ts, itself built as
//   code-cache.cjs): a cold export compiles almost nothing;
// - the web host as ESM with code splitting (it starts once per session).
// The folder sits two levels under the project root, like electron/cli/, so the paths our
// modules compute from their own location (fonts, the repo root) hold. bin/built.mjs runs these
// only while they are newer than every source file, and tsx otherwise.
import { copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeParsedTemplate } from '../cloud/local/iam/cfn-yaml';
import { build, type BuildOptions } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE_OUT_DIR = join(ROOT, 'dist/node');
/** What the bundles are made from; bin/built.mjs compares their modification times to the stamp. */
export const NODE_BUILD_INPUTS = ['electron', 'shared', 'cloud', 'node', 'package-lock.json', 'scripts/build-node.ts'];
export const STAMP_FILE = '.built';
/**
 * Left in node_modules: packages that find files beside themselves (the ffmpeg binaries,
 * resvg's wasm, sharp's native library, libheif's wasm — LGPL, kept a separate replaceable
 * module), build tools, and Electron. Everything else (the AWS SDK above all: hundreds of small
 * CommonJS files cost ~300 ms to resolve and compile at each start) is bundled.
 */
const EXTERNAL = [
  '@ffmpeg-installer/*',
  '@ffprobe-installer/*',
  '@resvg/resvg-wasm',
  'sharp',
  'libheif-js',
  'libheif-js/*',
  'electron',
  'esbuild',
  'vite',
  'tsx',
  'tsx/*',
  '@playwright/*',
  'playwright*',
];

export async function buildNode(outDir = NODE_OUT_DIR): Promise<void> {
  // Built beside and swapped in, so a half-written folder is never run.
  const next = `${outDir}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    sourcemap: 'linked',
    keepNames: true,
    logLevel: 'warning',
  };
  await build({
    ...common,
    entryPoints: { web: join(ROOT, 'electron/web/main.ts') },
    outdir: next,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    format: 'esm',
    // Bundled CommonJS packages require() node's built-ins: give the ESM chunks a require.
    banner: { js: "import { createRequire as __hospupCreateRequire } from 'node:module'; const require = __hospupCreateRequire(import.meta.url);" },
  });
  const cjsEntries = {
    hospup: 'electron/cli/main.ts',
    // The local cloud's generation function runs in a worker thread (cloud/local/function-sandbox.ts).
    'local-function': 'cloud/local/function-sandbox-worker.ts',
    'code-cache': 'node/code-cache.ts',
  };
  for (const [name, entry] of Object.entries(cjsEntries)) {
    await build({
      ...common,
      entryPoints: [join(ROOT, entry)],
      outfile: join(next, `${name}.cjs`),
      format: 'cjs',
      // ESM sources use import.meta (createRequire, module-relative files): in the CJS bundle it
      // is the bundle's own file.
      banner: { js: 'const __hospupImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__hospupImportMetaUrl', 'import.meta.dirname': '__dirname' },
      logOverride: { 'empty-import-meta': 'silent' },
      // import() of what stays outside (sharp, node: built-ins) as require(): V8 drops a script's
      // dynamic-import callback when it is compiled from a code cache (Node 20), so a real
      // import() there fails with "A dynamic import callback was not specified".
      supported: { 'dynamic-import': false },
    });
  }
  // The local cloud reads the stack's policies beside its bundle (cloud/local/iam/local-stack.ts).
  copyFileSync(join(ROOT, 'cloud/template.yaml'), join(next, 'template.yaml'));
  writeParsedTemplate(join(next, 'template.yaml')); // read instead of parsing the YAML at each start
  writeFileSync(join(next, STAMP_FILE), `${JSON.stringify({ inputs: NODE_BUILD_INPUTS, builtAt: new Date().toISOString() })}\n`);
  const old = `${outDir}.old-${process.pid}`;
  try {
    renameSync(outDir, old);
  } catch {
    /* first build */
  }
  renameSync(next, outDir);
  rmSync(old, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildNode().catch((err) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
