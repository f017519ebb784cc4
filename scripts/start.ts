/**
 * `npm start`: launches the desktop app (already built by `npm run build`). Where Electron's
 * binary could not be installed (offline machines, CI), says so and serves the same app in
 * web mode instead, so there is always something to use.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function electronBinary(): string | undefined {
  try {
    // The electron package exports the path of its binary; it throws when the binary is missing.
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (binary) {
  const child = spawn(binary, [root], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    "Electron's binary is not installed here (its download needs the internet; run `npm install` on a connected machine).\n" +
      'Starting Hospup Studio in web mode instead: open the address below in your browser.',
  );
  await import('../electron/web/main');
}
