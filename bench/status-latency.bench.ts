/**
 * How long after the local MediaConvert finishes a render the exporter notices it (goal
 * < 250 ms): the job's own finish time (GetJob `Timing.FinishTime`) against the moment the
 * exporter reports "downloading". Measured with the local cloud's job-change events (what the
 * app and the CLI use) and, side by side, with the timer alone (what an export to AWS, or to an
 * out-of-process `hospup cloud`, does: 1 s, then 1.5x, up to 5 s).
 *
 *   npx tsx bench/status-latency.bench.ts      (BENCH_RUNS=5 exports of each)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetJobCommand, MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { startLocalCloud } from '../cloud/local';
import { createExporter } from '../electron/services/export/exporter';
import { makeTestClip } from '../test/fixtures/media';
import { median } from './stats';

const REPRODUCE = 'npx tsx bench/status-latency.bench.ts';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface StatusLatencyResult {
  eventsMs: number[];
  timerMs: number[];
  lines: string[];
}

export async function runStatusLatencyBench(runs = Number(process.env.BENCH_RUNS ?? 5)): Promise<StatusLatencyResult> {
  const work = await mkdtemp(join(tmpdir(), 'hospup-bench-status-'));
  const cloud = await startLocalCloud({ dataDir: join(work, 'cloud') });
  const mediaConvert = new MediaConvertClient({
    region: cloud.config.region,
    endpoint: cloud.config.endpoints.mediaconvert,
    credentials: cloud.config.admin,
  });
  try {
    const clip = await makeTestClip(join(tmpdir(), 'hospup-test-clips'), { name: 'status-latency', color: 'teal', width: 360, height: 640, fps: 30, durationSec: 2 });
    const latency = async (withEvents: boolean, attempt: number): Promise<number> => {
      const target = withEvents ? cloud.target() : { ...cloud.target(), jobChanged: undefined };
      let noticedAt = 0;
      // A distinct request each time (order of a second copy), so no render is reused.
      const request = {
        property_id: 'bench',
        template_id: `status-${withEvents}-${attempt}`,
        output: { width: 360, height: 640 },
        segments: [{ video_url: clip, start_time: 0, end_time: 1 + attempt / 30, duration: 1 + attempt / 30, order: 1 }],
      };
      const result = await createExporter({ target }).exportRequest(request, {
        outPath: join(work, `out-${withEvents}-${attempt}.mp4`),
        onProgress: (event) => {
          if (event.phase === 'downloading' && !noticedAt) noticedAt = Date.now();
        },
      });
      const { Job } = await mediaConvert.send(new GetJobCommand({ Id: result.jobId }));
      const finishedAt = Job?.Timing?.FinishTime?.getTime() ?? NaN;
      return noticedAt - finishedAt;
    };
    const eventsMs: number[] = [];
    const timerMs: number[] = [];
    for (let r = 0; r < Math.max(1, runs); r++) {
      eventsMs.push(await latency(true, r));
      timerMs.push(await latency(false, r));
    }
    const lines = [
      `status.local_completion_noticed_ms: ${median(eventsMs).toFixed(0)} median, ${Math.max(...eventsMs).toFixed(0)} max of ${eventsMs.length} (goal < 250; job-change events)`,
      `status.timer_only_completion_noticed_ms: ${median(timerMs).toFixed(0)} median, ${Math.max(...timerMs).toFixed(0)} max (the AWS cadence, for comparison)`,
      `reproduce: ${REPRODUCE}`,
    ];
    return { eventsMs, timerMs, lines };
  } finally {
    mediaConvert.destroy();
    await cloud.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of (await runStatusLatencyBench()).lines) console.log(line);
}
