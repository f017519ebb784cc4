// npm run build:electron -> dist-electron/{main.cjs, local-function.cjs, preload.cjs, index_bg.wasm, template.yaml, fonts/}
//
// The main process and the preload as CommonJS bundles (the package is "type": "module", hence
// .cjs; a sandboxed preload must be one self-contained CommonJS file). `electron` is provided
// at run time; the ffmpeg/ffprobe installer packages stay in node_modules because they locate
// their binaries relative to themselves (unpacked from app.asar, see electron-builder.yml), and
// so do sharp (native libvips) and libheif-js (LGPL-3.0: a separate, replaceable module).
// The overlay renderer's wasm and fonts are copied beside the bundle, where the services look
// for them (moduleDir() of cloud/lambda).
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeParsedTemplate } from '../cloud/local/iam/cfn-yaml';
import { build, type BuildOptions } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ELECTRON_OUT_DIR = join(ROOT, 'dist-electron');

// sharp loads its native libvips build from @img/*; libheif-js (LGPL-3.0) must stay a separate,
// replaceable module in node_modules, never inlined into the bundle.
const EXTERNAL = ['electron', '@ffmpeg-installer/*', '@ffprobe-installer/*', 'sharp', '@img/*', 'libheif-js', 'libheif-js/*'];

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: 'linked',
  keepNames: true,
  logLevel: 'warning',
  external: EXTERNAL,
};

export async function buildElectron(opts: { outDir?: string; minify?: boolean } = {}): Promise<{ outDir: string; files: string[] }> {
  const outDir = resolve(opts.outDir ?? ELECTRON_OUT_DIR);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  // The main process, and the local cloud's generation function that it runs in a worker thread
  // (cloud/local/function-sandbox.ts looks for local-function.cjs beside the bundle).
  for (const [entry, file] of [['electron/main.ts', 'main.cjs'], ['cloud/local/function-sandbox-worker.ts', 'local-function.cjs']]) {
    await build({
      ...common,
      entryPoints: [join(ROOT, entry)],
      outfile: join(outDir, file),
      minify: opts.minify ?? false,
      // ESM sources use import.meta.url (createRequire, module-relative files): in the CJS
      // bundle it is the bundle's own file URL.
      banner: { js: 'const __hospupImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__hospupImportMetaUrl' },
      logOverride: { 'empty-import-meta': 'silent' },
    });
  }

  await build({
    ...common,
    entryPoints: [join(ROOT, 'electron/preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    minify: opts.minify ?? false,
    // A sandboxed preload can require nothing but electron and a few built-ins.
    external: ['electron'],
  });

  copyFileSync(join(ROOT, 'node_modules/@resvg/resvg-wasm/index_bg.wasm'), join(outDir, 'index_bg.wasm'));
  // The local cloud enforces the stack's IAM policies: it reads the template beside the bundle.
  copyFileSync(join(ROOT, 'cloud/template.yaml'), join(outDir, 'template.yaml'));
  writeParsedTemplate(join(outDir, 'template.yaml')); // read instead of parsing the YAML at each start
  const fontsDir = join(ROOT, 'shared/fonts');
  mkdirSync(join(outDir, 'fonts'), { recursive: true });
  for (const name of readdirSync(fontsDir).filter((f) => /\.(ttf|otf)$/i.test(f) || f === 'OFL.txt')) {
    copyFileSync(join(fontsDir, name), join(outDir, 'fonts', name));
  }
  return { outDir, files: listFiles(outDir) };
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildElectron({ minify: process.argv.includes('--minify') }).then(
    ({ outDir, files }) => {
      for (const file of files) console.log(`${join(outDir, file)}  ${statSync(join(outDir, file)).size} bytes`);
    },
    (err) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
