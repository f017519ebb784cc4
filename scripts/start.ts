/**
 * `npm start [-- --no-open]`: builds what changed, then opens the desktop app; the first time,
 * it downloads Electron's binary if the download host can be reached. Where it cannot (offline
 * machines, office networks that reach only the npm registry), it says so in one line and opens
 * the same editor in the default browser (web mode), backed by the same services.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfChanged, type CachedBuild } from './build-cache';
import { canReach, downloadElectronBinary, electronDownloadHost, installedElectronBinary } from './electron-binary';
import { openInBrowser } from './open-browser';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const noOpen = process.argv.slice(2).includes('--no-open');

const RENDERER_BUILD: CachedBuild = {
  label: 'the editor',
  inputs: ['renderer', 'shared', 'package-lock.json'],
  outDir: 'dist/renderer',
  run: async () => {
    const { build: viteBuild } = await import('vite');
    await viteBuild({ configFile: join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn' });
  },
};

const ELECTRON_BUILD: CachedBuild = {
  label: 'the desktop shell',
  inputs: ['electron', 'shared', 'cloud/lambda', 'cloud/local', 'scripts/build-electron.ts', 'package-lock.json'],
  outDir: 'dist-electron',
  run: async () => {
    const { buildElectron } = await import('./build-electron');
    await buildElectron();
  },
};

async function build(step: CachedBuild): Promise<void> {
  const started = Date.now();
  const built = await buildIfChanged(ROOT, {
    ...step,
    run: async () => {
      process.stdout.write(`Building ${step.label} (sources changed)… `);
      await step.run();
    },
  });
  if (built) process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** The desktop binary, downloading it first when possible; otherwise why the desktop app cannot start. */
async function desktopBinary(): Promise<{ path: string } | { unavailable: string }> {
  const installed = installedElectronBinary();
  if (installed) return { path: installed };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { unavailable: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  const host = electronDownloadHost();
  if (!(await canReach(host))) return { unavailable: `${host.host} cannot be reached to download it` };
  console.log(`Downloading the desktop app's runtime (Electron) from ${host.host}, once…`);
  const downloaded = (await downloadElectronBinary()) ? installedElectronBinary() : undefined;
  return downloaded ? { path: downloaded } : { unavailable: 'its download failed' };
}

async function startWebMode(reason: string): Promise<void> {
  await build(RENDERER_BUILD);
  const { portFromEnv, runWebMode } = await import('../electron/web/run');
  const port = portFromEnv();
  await runWebMode({
    port,
    anyPortIfTaken: port === undefined,
    onReady: async (host) => {
      // The address with this run's access key (?token=…): the page is refused without it.
      const opened = !noOpen && (await openInBrowser(host.loginUrl));
      console.log(
        `The desktop app is not available (${reason}): ${opened ? 'opened' : 'open'} Hospup Studio in your browser at ${host.loginUrl} (Ctrl+C to stop)`,
      );
    },
  });
}

async function main(): Promise<void> {
  const desktop = await desktopBinary();
  if ('unavailable' in desktop) return startWebMode(desktop.unavailable);
  await build(RENDERER_BUILD);
  await build(ELECTRON_BUILD);
  const child = spawn(desktop.path, [ROOT], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((err) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
