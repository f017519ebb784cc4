/**
 * Preview proxy of a 10 s 1080p HEVC phone clip (shot upright: 1080x1920 shown, stored 1920x1080
 * with a 90° tag; 30 fps, 12 Mbit/s 8-bit SDR, stereo AAC, moving noisy picture): the media
 * library's own makeProxy (720 px on the short side, upright, H.264 with a keyframe every 0.5 s),
 * wall time and ratio to the clip's duration. Goal: under 10 s (faster than real time) on 2 cores.
 * ffmpeg's CPU time of the same command is the load-independent cross-check.
 *
 *   npx tsx bench/phone-proxy.bench.ts        (BENCH_RUNS=2 by default; the best run counts)
 *
 * The clip is made once (Debian's x265, about a minute) and cached in .cache/bench-media.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { probeMedia } from '../node/media/probe';
import { proxyArgs } from '../electron/services/media/proxy';
import { timeProxyRuns } from './proxy-timing';
import { makePhoneHevcClip } from '../test/fixtures/phone-media';
import { shellQuote } from './export.bench';

const MEDIA = resolve('.cache/bench-media');
const CLIP_SEC = 10;
const GOAL_SEC = 10;

/** The bench's phone clip (shared with bench/proxy-seek.bench.ts). */
export function phoneHevcClip(): Promise<string> {
  return makePhoneHevcClip(MEDIA, { name: 'phone-hevc-1080p', width: 1080, height: 1920, fps: 30, durationSec: CLIP_SEC, rotation: 90, mbps: 12 });
}

export interface PhoneProxyBenchResult {
  seconds: number;
  ratio: number;
  /** ffmpeg CPU seconds of the same command (user + sys): independent of other work on the machine. */
  cpuSeconds: number;
  /** The 1-minute load average when the bench started. */
  load: number;
  clip: string;
  command: string;
}

export async function runPhoneProxyBench(runs = Number(process.env.BENCH_RUNS ?? 2)): Promise<PhoneProxyBenchResult> {
  const clip = await phoneHevcClip();
  const probe = await probeMedia(clip);
  if (probe.videoCodec !== 'hevc' || probe.rotation !== 90 || probe.width !== 1920) throw new Error(`bench clip is not a rotated 1080p HEVC clip: ${clip}`);
  const load = loadavg()[0];
  const work = await mkdtemp(join(tmpdir(), 'hospup-phone-proxy-'));
  try {
    const { seconds: best, cpuSeconds } = await timeProxyRuns({ path: clip, durationSec: probe.durationSec, hasAudio: probe.hasAudio }, work, runs);
    const made = await probeMedia(join(work, 'proxy-0.mp4'));
    if (made.displayWidth !== 720 || made.displayHeight !== 1280 || made.rotation !== 0) throw new Error(`the proxy is not upright 720x1280: ${JSON.stringify(made)}`);
    return {
      seconds: best,
      ratio: best / probe.durationSec,
      cpuSeconds,
      load,
      clip,
      command: `ffmpeg ${shellQuote(['-hide_banner', '-nostdin', ...proxyArgs(clip, 'proxy.mp4', probe.hasAudio)])}`,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function phoneProxyLines(r: PhoneProxyBenchResult): string[] {
  return [
    `proxy.hevc_1080p_seconds: ${r.seconds.toFixed(2)} for a ${CLIP_SEC} s clip (goal < ${GOAL_SEC} s, faster than real time; ${availableParallelism()} cores here, load ${r.load.toFixed(2)})${r.seconds < GOAL_SEC ? '' : ' MISSED'}`,
    `proxy.hevc_1080p_time_to_duration_ratio: ${r.ratio.toFixed(3)} (goal < 1.0)`,
    `proxy.hevc_1080p_cpu_to_two_core_ratio: ${(r.cpuSeconds / (2 * CLIP_SEC)).toFixed(3)} (ffmpeg CPU ${r.cpuSeconds.toFixed(1)} s / (2 cores x ${CLIP_SEC} s): below 1.0 = real time is possible on an idle 2-core machine)`,
    'reproduce: npx tsx bench/phone-proxy.bench.ts',
    `command: ${r.command}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of phoneProxyLines(await runPhoneProxyBench())) console.log(line);
}
