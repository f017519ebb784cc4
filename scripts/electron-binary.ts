/**
 * Electron's desktop binary is not part of its npm package: its install script downloads it
 * from GitHub (or ELECTRON_MIRROR). `npm install` does not run that script (package.json's
 * allowScripts says `electron: false`), so installing works on networks that reach only the
 * npm registry; `npm start` fetches the binary the first time, when the host can be reached.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The installed binary's path, or undefined when it has not been downloaded. */
export function installedElectronBinary(): string | undefined {
  try {
    // The electron package exports the path of its binary; it throws when the binary is missing.
    const path = require('electron') as unknown;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The host @electron/get downloads from: ELECTRON_MIRROR (or npm's electron_mirror), else GitHub. */
export function electronDownloadHost(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
  const mirror = env.ELECTRON_MIRROR ?? env.npm_config_electron_mirror ?? env.NPM_CONFIG_ELECTRON_MIRROR;
  const url = new URL(mirror || 'https://github.com/electron/electron/releases/download/');
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { host: url.hostname, port };
}

/**
 * Whether a TCP connection to the download host opens within `timeoutMs`. Checked first so an
 * offline start answers in a moment instead of waiting for the downloader's own timeouts.
 */
export function canReach({ host, port }: { host: string; port: number }, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Runs electron's own install script (download, checksum check, unzip). Resolves with its success. */
export function downloadElectronBinary(): Promise<boolean> {
  const script = join(require.resolve('electron/package.json'), '..', 'install.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], {
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', () => resolve(false));
    child.on('exit', (code) => {
      // The script prints a stack trace on failure; only the first line says anything useful.
      if (code !== 0 && stderr) process.stderr.write(`${stderr.split('\n')[0]}\n`);
      resolve(code === 0);
    });
  });
}
