// npm run build:lambda -> dist/lambda/hospup-generator.zip
//
// One minified CommonJS file (index.js, handler `index.handler`) with our own
// pinned AWS SDK bundled in, the resvg wasm and the overlay fonts beside it.
// The zip is byte-for-byte reproducible (fixed timestamps, sorted entries), so
// its sha256 names the S3 object deploy uploads and CloudFormation only
// updates the function when the code really changed.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LAMBDA_ENTRY = join(ROOT, 'cloud/lambda/handler.ts');
export const DEFAULT_OUT_DIR = join(ROOT, 'dist/lambda');
export const ZIP_NAME = 'hospup-generator.zip';
/** Handler string for the Lambda configuration (cloud/template.yaml). */
export const LAMBDA_HANDLER = 'index.handler';

export interface LambdaBuild {
  zipPath: string;
  /** Folder holding the same files unzipped (for inspection). */
  bundleDir: string;
  zipBytes: number;
  sha256: string;
  files: { path: string; bytes: number }[];
}

// 1980-01-01 is the earliest time a zip can store: a fixed stamp keeps builds identical.
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

export async function buildLambdaZip(opts: { outDir?: string; minify?: boolean } = {}): Promise<LambdaBuild> {
  const outDir = resolve(opts.outDir ?? DEFAULT_OUT_DIR);
  const bundleDir = join(outDir, 'bundle');
  rmSync(bundleDir, { recursive: true, force: true });
  mkdirSync(bundleDir, { recursive: true });

  await build({
    entryPoints: [LAMBDA_ENTRY],
    outfile: join(bundleDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    // CommonJS: the AWS SDK and its dependencies still use require() internally,
    // which an ESM bundle would need a createRequire shim for.
    format: 'cjs',
    minify: opts.minify ?? true,
    // Names stay readable in stack traces in CloudWatch.
    keepNames: true,
    legalComments: 'external',
    sourcemap: false,
    logLevel: 'warning',
    // fonts-node/overlay-png probe import.meta.url and fall back to __dirname in CJS.
    logOverride: { 'empty-import-meta': 'silent' },
  });

  // Lambda reads .js as CommonJS anyway; this also holds when the unzipped
  // folder sits under a package.json with "type": "module" (as in this repo).
  writeFileSync(join(bundleDir, 'package.json'), `${JSON.stringify({ type: 'commonjs', main: 'index.js' })}\n`);
  copy(join(ROOT, 'node_modules/@resvg/resvg-wasm/index_bg.wasm'), join(bundleDir, 'index_bg.wasm'));
  const fontsDir = join(ROOT, 'shared/fonts');
  for (const name of readdirSync(fontsDir).filter((f) => /\.(ttf|otf)$/i.test(f) || f === 'OFL.txt')) {
    copy(join(fontsDir, name), join(bundleDir, 'fonts', name));
  }

  const files = listFiles(bundleDir);
  const entries: Zippable = {};
  for (const f of files) {
    entries[f.path] = [readFileSync(join(bundleDir, f.path)), { level: /\.(js|txt|json|wasm|ttf)$/.test(f.path) ? 9 : 6, mtime: FIXED_MTIME }];
  }
  const zip = zipSync(entries, { mtime: FIXED_MTIME });
  const zipPath = join(outDir, ZIP_NAME);
  writeFileSync(zipPath, zip);
  return {
    zipPath,
    bundleDir,
    zipBytes: zip.byteLength,
    sha256: createHash('sha256').update(zip).digest('hex'),
    files,
  };
}

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, readFileSync(from));
}

function listFiles(dir: string, base = dir): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base));
    else out.push({ path: relative(base, full).split('\\').join('/'), bytes: readFileSync(full).byteLength });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const result = await buildLambdaZip();
  for (const f of result.files) console.log(`  ${f.path.padEnd(40)} ${formatBytes(f.bytes).padStart(10)}`);
  console.log(`${relative(process.cwd(), result.zipPath)}: ${formatBytes(result.zipBytes)} (${result.zipBytes} bytes), sha256 ${result.sha256}, ${Date.now() - started} ms`);
  if (result.zipBytes > 50 * 1024 * 1024) {
    console.error('warning: above the 50 MB limit for a direct upload; deploy goes through S3, limit 250 MB unzipped');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(`build:lambda failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
