// The local cloud tells the exporter when a job changed: the status call follows the render,
// not a timer. With a timer set to ten minutes the export still finishes (the only way out is
// the job-change event), and the status was asked only a few times, each through the
// generation function as on AWS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetJobCommand, MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { createHandler } from '../../cloud/lambda/handler';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { createExporter } from '../../electron/services/export/exporter';
import { makeTestClip } from '../fixtures/media';

let dir: string;
let cloud: LocalCloud;
const statusCalls: string[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-job-events-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud'), log: (line) => (line.includes('"action":"status"') ? statusCalls.push(line) : undefined) });
});
after(async () => {
  await cloud.close();
  await rm(dir, { recursive: true, force: true });
});

test('a render is noticed when the local MediaConvert says it changed, not when a timer fires', { timeout: 45_000 }, async () => {
  const clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'job-events', color: 'orange', width: 320, height: 568, fps: 30, durationSec: 2 });
  const exporter = createExporter({ target: cloud.target(), pollMinMs: 600_000, pollMaxMs: 600_000 });
  const phases: string[] = [];
  const result = await exporter.exportRequest(
    { property_id: '1', template_id: 'events', output: { width: 320, height: 568 }, segments: [{ video_url: clip, start_time: 0, end_time: 1.5, duration: 1.5, order: 1 }] },
    { outPath: join(dir, 'out.mp4'), onProgress: (event) => phases.push(event.phase) },
  );
  assert.ok(Math.abs(result.durationSec - 1.5) < 0.05);
  assert.ok(phases.includes('downloading'));
  assert.ok(statusCalls.length >= 1 && statusCalls.length < 40, `${statusCalls.length} status calls`);
});

test('a render that finished before the exporter listened for changes is still noticed at once (the first status call is not waited for)', { timeout: 45_000 }, async () => {
  const slowDir = await mkdtemp(join(tmpdir(), 'hospup-job-events-late-'));
  // The function's reply to `generate` comes back only once the job is COMPLETE, as a Lambda
  // starved of CPU by the render it started could: no change is left to wake the exporter.
  const late = await startLocalCloud({
    dataDir: join(slowDir, 'cloud'),
    generator: (env) => {
      const handler = createHandler(
        { bucket: env.bucket, outputPrefix: 'generated-videos/', overlaysPrefix: 'overlays/', roleArn: env.roleArn, region: env.region, endpoints: env.endpoints },
        { credentials: env.credentials },
      );
      const mediaConvert = new MediaConvertClient({ region: env.region, endpoint: env.endpoints.mediaconvert, credentials: env.credentials });
      return async (event, context) => {
        const reply = (await handler(event, context)) as { job_id?: string };
        if ((event as { action?: string }).action === 'generate' && reply.job_id) {
          for (;;) {
            const { Job } = await mediaConvert.send(new GetJobCommand({ Id: reply.job_id }));
            if (Job?.Status === 'COMPLETE' || Job?.Status === 'ERROR') break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        return reply;
      };
    },
  });
  try {
    const clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'job-events', color: 'orange', width: 320, height: 568, fps: 30, durationSec: 2 });
    const exporter = createExporter({ target: late.target(), pollMinMs: 600_000, pollMaxMs: 600_000 });
    const result = await exporter.exportRequest(
      { property_id: '1', template_id: 'events-late', output: { width: 320, height: 568 }, segments: [{ video_url: clip, start_time: 0, end_time: 1.5, duration: 1.5, order: 1 }] },
      { outPath: join(slowDir, 'out.mp4') },
    );
    assert.ok(Math.abs(result.durationSec - 1.5) < 0.05);
  } finally {
    await late.close();
    await rm(slowDir, { recursive: true, force: true });
  }
});
