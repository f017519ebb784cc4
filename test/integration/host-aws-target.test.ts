// The AWS target of the app, pointed at the embedded local cloud through the standard
// AWS_ENDPOINT_URL_* and AWS_ACCESS_KEY_ID variables: test connection and export run the same
// code as against a real account.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalCloud } from '../../cloud/local/index';
import { createHostServices, type HostServicesRuntime } from '../../electron/services/host-services';
import { makeTestClip } from '../fixtures/media';

describe('host services with the AWS target', () => {
  let dir: string;
  let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
  let host: HostServicesRuntime;
  const saved = { ...process.env };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hospup-aws-target-'));
    cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
    const c = cloud.config;
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: c.accessKeyId,
      AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
      AWS_ENDPOINT_URL_S3: c.endpoints.s3,
      AWS_ENDPOINT_URL_LAMBDA: c.endpoints.lambda,
    });
    host = createHostServices({ dataDir: join(dir, 'data'), exportDir: join(dir, 'out'), mode: 'web', version: 't', systemLocale: 'en', urls: { media: () => '' } });
  });
  after(async () => {
    await host.close();
    await cloud.close();
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_LAMBDA']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('test connection names the empty setting, then passes every step', async () => {
    await host.updateSettings({ target: 'aws' });
    const empty = await host.testConnection();
    assert.equal(empty[0].ok, false);
    assert.match(empty[0].message, /bucket name/);
    await host.updateSettings({ aws: { credentials: 'env', region: cloud.config.region, bucket: cloud.config.bucket, functionName: cloud.config.functionName } } as never);
    const steps = await host.testConnection();
    assert.ok(steps.every((s) => s.ok), JSON.stringify(steps));
    await host.updateSettings({ aws: { functionName: 'no-such-function' } } as never);
    const wrong = await host.testConnection();
    assert.equal(wrong.find((s) => s.name === 'function')?.ok, false);
    await host.updateSettings({ aws: { functionName: cloud.config.functionName } } as never);
  });

  it('exports with the AWS target and records the billed minutes', { timeout: 120_000 }, async () => {
    const clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'aws-target', width: 180, height: 320, fps: 30, durationSec: 2 });
    const { project } = await host.createProject('AWS reel');
    const [item] = (await host.importPaths([clip])).imported;
    const filled = await host.applyTemplate('breakfast-pool', project, [item.id]);
    const { exportId } = await host.startExport({ ...filled, settings: { ...filled.settings, width: 180, height: 320 } });
    const record = await host.exportFinished(exportId);
    assert.equal(record?.status, 'done', JSON.stringify(record?.error));
    assert.equal(record?.target, 'aws');
    assert.ok(record?.billedMinutes !== undefined && record.billedMinutes > 0, `billedMinutes ${record?.billedMinutes}`);
  });
});
