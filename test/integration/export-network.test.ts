// Lost connections and restarts during an export: pause, resume, never pay for a second render.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { createExporter, type ExportProgressEvent } from '../../electron/services/export/exporter';
import { startTcpProxy, type TcpProxy } from '../fixtures/tcp-proxy';
import { ffprobeJson, makeTestClip } from '../fixtures/media';

let dir: string;
let cloud: LocalCloud;
const proxies: TcpProxy[] = [];
let clip: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-network-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
  clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'network-clip', color: 'teal', width: 320, height: 568, fps: 30, durationSec: 4 });
});
after(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

const request = () => ({ property_id: '1', template_id: 't', output: { width: 360, height: 640 }, segments: [{ video_url: clip, start_time: 0, end_time: 3, duration: 3, order: 1 }] });

test('a connection lost while rendering pauses the export, which resumes by itself when it comes back', async () => {
  const s3 = await startTcpProxy(cloud.config.endpoints.s3);
  const lambda = await startTcpProxy(cloud.config.endpoints.lambda);
  proxies.push(s3, lambda);
  const target = { ...cloud.target(), endpoints: { ...cloud.config.endpoints, s3: s3.url, lambda: lambda.url } };
  const events: ExportProgressEvent[] = [];
  let cut = false;
  const exporter = createExporter({ target, pollMinMs: 100, pollMaxMs: 300, reconnect: { firstDelayMs: 200, maxDelayMs: 500 } });
  const result = await exporter.exportRequest(request(), {
    outPath: join(dir, 'resumed.mp4'),
    onProgress: (event) => {
      events.push(event);
      if (event.phase === 'rendering' && !cut) {
        cut = true;
        void Promise.all([s3.down(), lambda.down()]).then(() => setTimeout(() => void Promise.all([s3.up(), lambda.up()]), 4000));
      }
    },
  });
  const paused = events.filter((e) => e.phase === 'paused');
  assert.ok(paused.length > 0, 'a paused state was reported');
  assert.match(paused[0].message!, /^Connection lost while rendering\. Trying again in \d+ s…$/);
  const afterPause = events.slice(events.indexOf(paused[paused.length - 1]) + 1).map((e) => e.phase);
  assert.ok(afterPause.includes('downloading') && afterPause.at(-1) === 'done', `resumed: ${afterPause.join(',')}`);
  const info = await ffprobeJson(result.outputPath);
  assert.ok(Math.abs(Number(info.format.duration) - 3) < 0.05);
});

test('after a crash mid-render, the next export resumes the same job instead of rendering again', async () => {
  const journal = join(dir, 'jobs.json');
  const crashing = createExporter({ target: cloud.target(), jobJournalFile: journal, pollMinMs: 100 });

  await assert.rejects(
    crashing.exportRequest(request(), {
      outPath: join(dir, 'crashed.mp4'),
      onProgress: (event) => {
        // The app dies while the render runs: nothing cancels the job.
        if (event.phase === 'rendering') throw new Error('simulated crash');
      },
    }),
  );
  const { readFile } = await import('node:fs/promises');
  const entries = Object.values(JSON.parse(await readFile(journal, 'utf8'))) as { jobId: string }[];
  assert.equal(entries.length, 1, 'the submitted job was remembered');
  const firstJob = entries[0].jobId;

  const restarted = createExporter({ target: cloud.target(), jobJournalFile: journal, pollMinMs: 100 });
  const result = await restarted.exportRequest(request(), { outPath: join(dir, 'after-restart.mp4') });
  assert.equal(result.jobId, firstJob, 'same MediaConvert job');
  assert.deepEqual(JSON.parse(await readFile(journal, 'utf8')), {}, 'forgotten once downloaded');

  // A new attempt after that renders anew (new token), it does not reuse the finished job.
  const again = await restarted.exportRequest(request(), { outPath: join(dir, 'again.mp4') });
  assert.notEqual(again.jobId, firstJob);
});
