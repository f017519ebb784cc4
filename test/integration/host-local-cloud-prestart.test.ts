// The app starts its local cloud (and the generation function's init phase) a moment after it
// starts when exports go to this computer, so the first export of a session does not wait for
// it; with exports going to AWS it starts nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostServices } from '../../electron/services/host-services';

function host(dataDir: string, prestartLocalCloudAfterMs?: number) {
  return createHostServices({
    dataDir,
    exportDir: join(dataDir, 'Videos'),
    mode: 'web',
    version: '0.0.0-test',
    systemLocale: 'fr-FR',
    urls: { media: (id, kind) => `/media/${id}/${kind}` },
    prestartLocalCloudAfterMs,
  });
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

test('exports to this computer: the local cloud is started soon after the app, before any export', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-prestart-'));
  const services = host(join(dir, 'data'), 0);
  try {
    // Its store's folder appears when the local cloud starts (startLocalCloud).
    assert.ok(await until(() => existsSync(join(services.paths.localCloud, 's3')), 30_000), 'the local cloud started without an export');
  } finally {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('exports to AWS: nothing is started', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-prestart-aws-'));
  const dataDir = join(dir, 'data');
  const setup = host(dataDir); // no pre-start: only to choose AWS
  await setup.updateSettings({ target: 'aws' });
  await setup.close();
  const services = host(dataDir, 0);
  try {
    // Time enough for the pre-start to read the settings and (wrongly) start the local cloud.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(existsSync(join(services.paths.localCloud, 's3')), false);
  } finally {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  }
});
