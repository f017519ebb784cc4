/**
 * The whole local render, and the app's export, side by side with ONE hand-written ffmpeg
 * command producing the same video from the same files, for the 7.5 s and the 30 s reel of
 * bench/export.bench.ts. Each round runs, back to back:
 * - the hand-written command;
 * - the local MediaConvert job the generation function submits for the reel (an exporter export
 *   through an in-process local cloud, so the job is the real one: validation, role, probing,
 *   ffmpeg, storing and probing the output), timed by the job's own clock from submission to
 *   COMPLETE; the emulator's overhead is that time minus the ffmpeg process's (goal < 5 %);
 * - the app's one-click export in web mode (Playwright, Chromium, bench/app-export.ts): from the
 *   click on Export to "Export complete" (goal <= 1.15x the hand-written command).
 * The best of BENCH_RUNS (default 3) of each counts.
 *
 *   npx tsx bench/render.bench.ts        (HOSPUP_BENCH_SKIP_BUILD=1 reuses dist/renderer)
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalCloud } from '../cloud/local';
import type { LocalJobTiming } from '../cloud/local/mediaconvert/server';
import { createExporter } from '../electron/services/export/exporter';
import { probeMedia } from '../node/media/probe';
import { makeTestClip } from '../test/fixtures/media';
import { startBenchApp } from './app-export';
import { run } from './ffmpeg-run';
import { CLIP_START, MEDIA, REELS, handwrittenArgs, shellQuote, style } from './export.bench';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const REPRODUCE = 'npx tsx bench/render.bench.ts';

/** Kept here too for the benches that import it from this file. */
export { run, type Timing } from './ffmpeg-run';

export interface RenderBenchReel {
  name: string;
  videoSec: number;
  handwrittenSec: number;
  handwrittenCpuSec: number;
  /** Submission to COMPLETE, by the local MediaConvert's clock. */
  jobSec: number;
  /** The ffmpeg process inside that job. */
  jobFfmpegSec: number;
  /** Everything in the job but ffmpeg (percent of the job). */
  overheadPercent: number;
  /** Where the overhead went, in the best job: preparing (role, inputs, probes) and storing (S3 + output probe). */
  overheadParts: { queuedMs: number; preparingMs: number; storingMs: number };
  appSec: number;
  /** The best app export's phases: seconds from the click to each. */
  appPhases: { phase: string; atSec: number }[];
  handwrittenCommand: string;
}

export interface RenderBenchResult {
  reels: RenderBenchReel[];
}

export async function runRenderBench(runs = Number(process.env.BENCH_RUNS ?? 3)): Promise<RenderBenchResult> {
  await mkdir(MEDIA, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'hospup-render-bench-'));
  const timings = new Map<string, LocalJobTiming>();
  const cloud = await startLocalCloud({ dataDir: join(work, 'cloud'), onJobTimed: (t) => timings.set(t.id, t) });
  const app = await startBenchApp();
  try {
    const reels: RenderBenchReel[] = [];
    for (const reel of REELS) {
      const clips: string[] = [];
      for (const spec of reel.clips) clips.push(await makeTestClip(MEDIA, spec));
      const appReel = { clips, clipStart: CLIP_START, clipSec: reel.clipSec, captions: reel.captions, style: { ...style, align: 'center' as const } };
      // Every project first (imports, probes, thumbnails), so no background work overlaps a timing.
      const projects = [];
      for (let r = 0; r < Math.max(1, runs); r++) projects.push(await app.project(appReel, `${reel.name}-${r}`));
      // The app's draft is what all three render: the job and the hand-written command read its request.
      const handArgs = await handwrittenArgs(projects[0].request as Parameters<typeof handwrittenArgs>[0], work, join(work, `${reel.name}-handwritten.mp4`));
      const exporter = createExporter({ target: cloud.target(), hashCacheFile: join(work, 'hashes.json') });
      let best: RenderBenchReel | undefined;
      let handwrittenSec = Infinity;
      let handwrittenCpuSec = Infinity;
      let appSec = Infinity;
      let appPhases: RenderBenchReel['appPhases'] = [];
      for (const [r, project] of projects.entries()) {
        const hand = await run(handArgs);
        handwrittenSec = Math.min(handwrittenSec, hand.wallSec);
        handwrittenCpuSec = Math.min(handwrittenCpuSec, hand.cpuSec);

        const job = await exporter.exportRequest({ ...project.request, template_id: `job-${reel.name}-${r}` }, { outPath: join(work, `${reel.name}-job.mp4`) });
        const timing = timings.get(job.jobId);
        if (!timing) throw new Error(`no timing for job ${job.jobId}`);
        const jobSec = (timing.finishedAtMs - timing.submittedAtMs) / 1000;
        if (!best || jobSec < best.jobSec) {
          const jobFfmpegSec = timing.ffmpegMs / 1000;
          best = {
            name: reel.name, videoSec: reel.clips.length * reel.clipSec, handwrittenSec, handwrittenCpuSec,
            jobSec, jobFfmpegSec, overheadPercent: ((jobSec - jobFfmpegSec) / jobSec) * 100,
            overheadParts: { queuedMs: timing.startedAtMs - timing.submittedAtMs, preparingMs: timing.preparingMs, storingMs: timing.storingMs },
            appSec, appPhases, handwrittenCommand: `ffmpeg ${shellQuote(handArgs)}`,
          };
        }

        const exported = await app.exportProject(project.draft);
        if (exported.wallSec < appSec) {
          appSec = exported.wallSec;
          appPhases = exported.phases;
        }
        const rendered = await probeMedia(exported.outputPath);
        if (Math.abs(rendered.durationSec - best.videoSec) > 0.05) throw new Error(`${reel.name}: the app's export lasts ${rendered.durationSec} s, not ${best.videoSec} s`);
      }
      reels.push({ ...best!, handwrittenSec, handwrittenCpuSec, appSec, appPhases });
    }
    return { reels };
  } finally {
    await app.close();
    await cloud.close();
    await rm(work, { recursive: true, force: true });
  }
}

export function renderBenchLines(result: RenderBenchResult): string[] {
  const lines: string[] = [];
  for (const r of result.reels) {
    const key = r.name.replace(/[^a-z0-9]+/gi, '_');
    const p = r.overheadParts;
    lines.push(
      `render.job_${key}_vs_handwritten_ratio: ${(r.jobSec / r.handwrittenSec).toFixed(3)} (goal <= 1.15; local MediaConvert job ${r.jobSec.toFixed(2)} s, submission to COMPLETE, vs ${r.handwrittenSec.toFixed(2)} s)`,
      `render.emulator_overhead_${key}_percent: ${r.overheadPercent.toFixed(1)} (goal < 5; the job minus its ffmpeg process ${r.jobFfmpegSec.toFixed(2)} s: queued ${p.queuedMs.toFixed(0)} ms, preparing ${p.preparingMs.toFixed(0)} ms, storing ${p.storingMs.toFixed(0)} ms)`,
      `render.app_export_${key}_vs_handwritten_ratio: ${(r.appSec / r.handwrittenSec).toFixed(3)} (goal <= 1.15; web mode, click on Export to the file, ${r.appSec.toFixed(2)} s: ${r.appPhases.map((x) => `${x.phase} at ${x.atSec.toFixed(2)} s`).join(', ')})`,
      `  handwritten: ${r.handwrittenCommand}`,
    );
  }
  lines.push(`reproduce: ${REPRODUCE}`);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of renderBenchLines(await runRenderBench())) console.log(line);
}
