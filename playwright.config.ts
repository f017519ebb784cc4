/**
 * End-to-end tests of the editor in web mode (Debian's Chromium when present).
 * The web server step builds the renderer and starts the web host on a private data and
 * export folder, so every run starts from an empty app.
 */
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The config is evaluated again in each worker: keep one folder and one port per run through
// the env. The port is any free one unless HOSPUP_E2E_PORT names it.
if (!process.env.HOSPUP_E2E_DIR) process.env.HOSPUP_E2E_DIR = mkdtempSync(join(tmpdir(), 'hospup-e2e-'));
if (!process.env.HOSPUP_E2E_PORT) process.env.HOSPUP_E2E_PORT = freePort();
// The web host's access key for this run (it refuses every request without it), given to the
// host through HOSPUP_WEB_TOKEN and to the browser as the cookie opening `/?token=` would set.
if (!process.env.HOSPUP_WEB_TOKEN) process.env.HOSPUP_WEB_TOKEN = randomBytes(32).toString('base64url');
const token = process.env.HOSPUP_WEB_TOKEN;
const runDir = process.env.HOSPUP_E2E_DIR;
const port = Number(process.env.HOSPUP_E2E_PORT);
const chromium = process.env.PLAYWRIGHT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** A port the system says is free now (a config cannot await, so ask a short-lived child). */
function freePort(): string {
  const script = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
}

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: join(runDir, 'results'),
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    storageState: {
      cookies: [{ name: `hospup_token_${port}`, value: token, domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Strict' }],
      origins: [],
    },
    locale: 'en-US',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  webServer: {
    command: 'npx vite build --config renderer/vite.config.ts --logLevel warn && node bin/web.mjs',
    url: `http://127.0.0.1:${port}/?token=${token}`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOSPUP_WEB_TOKEN: token,
      HOSPUP_DATA_DIR: join(runDir, 'data'),
      HOSPUP_EXPORT_DIR: join(runDir, 'exports'),
    },
  },
});
