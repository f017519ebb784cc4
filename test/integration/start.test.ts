// `npm start` on a machine that cannot download Electron's binary: it says so in one line, serves
// the editor in web mode and opens it in the default browser (unless --no-open); the second
// start builds nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { installedElectronBinary } from '../../scripts/electron-binary';

const ROOT = join(import.meta.dirname, '../..');

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  child: ChildProcess;
  lines: string[];
  ready: string;
}

/** Every start this file made, stopped at the end whatever happened (a failed assertion must not leave a server running). */
const running = new Set<ChildProcess>();

function start(args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts'), ...args], { cwd: ROOT, env });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line after 120 s: ${lines.join('\n')}\n${stderr}`)), 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (/https?:\/\/127\.0\.0\.1:\d+\//.test(line)) {
        clearTimeout(timer);
        resolve({ child, lines, ready: line });
      }
    });
    child.once('exit', (code) => reject(new Error(`npm start exited ${code}: ${lines.join('\n')}\n${stderr}`)));
  });
}

async function stop({ child }: Started): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const skip = installedElectronBinary()
  ? "Electron's binary is installed here: npm start would open the desktop app"
  : process.platform !== 'linux' && 'the browser opener stand-in is a Linux xdg-open';

test('without Electron: one line, web mode, the browser opened; the second start builds nothing', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hospup-start-'));
  // The default browser, as xdg-open: records what it was asked to open.
  const opened = join(dir, 'opened.txt');
  writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\necho "$@" >> "${opened}"\n`);
  chmodSync(join(dir, 'xdg-open'), 0o755);
  const env = {
    ...process.env,
    PATH: `${dir}:${process.env.PATH}`,
    PORT: '0',
    HOSPUP_DATA_DIR: join(dir, 'data'),
    // A download host that refuses connections, whatever network this machine has.
    ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
    ELECTRON_SKIP_BINARY_DOWNLOAD: '',
  };
  try {
    const first = await start([], env);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43})/.exec(first.ready)![1];
    assert.match(first.ready, /^The desktop app is not available \(127\.0\.0\.1 cannot be reached to download it\): opened Hospup Studio in your browser at http/);
    assert.deepEqual(first.lines.filter((line) => !line.startsWith('Building ')), [first.ready], 'one line besides build notes');
    // Opening the printed address as a browser would: the key becomes a cookie, then the editor.
    const login = await fetch(url, { redirect: 'manual' });
    assert.equal(login.status, 303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const page = await fetch(new URL(login.headers.get('location')!, url), { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
    assert.equal((await fetch(url.replace(/\?token=.*/, ''))).status, 401, 'refused without the key');
    assert.equal(readFileSync(opened, 'utf8').trim(), url, 'the default browser was asked to open the editor, key included');
    await stop(first);

    const second = await start(['--no-open'], env);
    assert.deepEqual(second.lines, [second.ready], 'nothing rebuilt: sources unchanged');
    assert.match(second.ready, /: open Hospup Studio in your browser at http/);
    assert.equal(readFileSync(opened, 'utf8').trim().split('\n').length, 1, '--no-open opens no browser');
    await stop(second);
  } finally {
    for (const child of running) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(!existsSync(dir));
});
