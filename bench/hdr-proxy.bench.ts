/**
 * Preview proxy of a 10 s 4K HLG phone clip (HEVC 10-bit, moving picture, stereo sound): the
 * media library's own makeProxy (scale to 720 p, tone-map HLG to BT.709 SDR, H.264), timed as a
 * ratio to the clip's duration. Goal: below 1.0 (faster than real time) on 2 cores.
 *
 *   npx tsx bench/hdr-proxy.bench.ts        (BENCH_RUNS=2 by default; the best run counts)
 *
 * The clip is made once (x265, about a minute) and cached in .cache/bench-media.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SDR_WHITE_NITS } from '../node/media/colour';
import { probeMedia } from '../node/media/probe';
import { proxyArgs } from '../electron/services/media/proxy';
import { timeProxyRuns } from './proxy-timing';
import { FIXTURE_FFMPEG } from '../test/fixtures/phone-media';

const MEDIA = resolve('.cache/bench-media');
const CLIP_SEC = 10;

export interface HdrProxyBenchResult {
  seconds: number;
  ratio: number;
  /** ffmpeg CPU seconds of the same command: load-independent, compared with what 2 cores give in real time. */
  cpuSeconds: number;
  clip: string;
  command: string;
}

/** A moving 3840x2160 HLG picture (testsrc2 with noise, so the decoder has real work). */
async function hlg4kClip(): Promise<string> {
  const file = join(MEDIA, `hlg-4k-${CLIP_SEC}s.mov`);
  if (existsSync(file)) return file;
  await mkdir(MEDIA, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp.mov`;
  const picture = `testsrc2=s=3840x2160:r=30000/1001:d=${CLIP_SEC},noise=alls=12:allf=t,format=gbrpf32le,` +
    `zscale=tin=bt709:pin=bt709:min=gbr:t=arib-std-b67:p=bt2020:m=bt2020nc:r=tv:npl=${SDR_WHITE_NITS},format=yuv420p10le`;
  await new Promise<void>((done, fail) => execFile(FIXTURE_FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', picture, '-f', 'lavfi', '-i', `sine=f=440:sample_rate=48000:d=${CLIP_SEC}`,
    '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-b:v', '25M', '-tag:v', 'hvc1',
    '-color_primaries', 'bt2020', '-color_trc', 'arib-std-b67', '-colorspace', 'bt2020nc', '-color_range', 'tv',
    '-c:a', 'aac', '-ac', '2', tmp], (err, _out, stderr) => (err ? fail(new Error(String(stderr).slice(-1000))) : done())));
  await rename(tmp, file);
  return file;
}

export async function runHdrProxyBench(runs = Number(process.env.BENCH_RUNS ?? 2)): Promise<HdrProxyBenchResult> {
  const clip = await hlg4kClip();
  const probe = await probeMedia(clip);
  if (probe.colour.dynamicRange !== 'hlg' || probe.width !== 3840) throw new Error(`bench clip is not 4K HLG: ${JSON.stringify(probe.colour)}`);
  const work = await mkdtemp(join(tmpdir(), 'hospup-hdr-proxy-'));
  try {
    const { seconds: best, cpuSeconds } = await timeProxyRuns({ path: clip, durationSec: probe.durationSec, hasAudio: probe.hasAudio, colour: probe.colour }, work, runs);
    return {
      seconds: best,
      ratio: best / probe.durationSec,
      cpuSeconds,
      clip,
      command: `ffmpeg -hide_banner -nostdin ${proxyArgs(clip, 'proxy.mp4', probe.hasAudio, probe.colour).join(' ')}`,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function hdrProxyLines(r: HdrProxyBenchResult): string[] {
  return [
    `proxy.hdr_4k_hlg_time_to_duration_ratio: ${r.ratio.toFixed(3)} (goal < 1.0, faster than real time; ${availableParallelism()} cores here)`,
    `proxy.hdr_4k_hlg_seconds: ${r.seconds.toFixed(2)} for a ${CLIP_SEC} s clip`,
    `proxy.hdr_4k_hlg_cpu_to_two_core_ratio: ${(r.cpuSeconds / (2 * CLIP_SEC)).toFixed(3)} (ffmpeg CPU ${r.cpuSeconds.toFixed(1)} s / (2 cores x ${CLIP_SEC} s): below 1.0 = real time is possible on an idle 2-core machine)`,
    'reproduce: npx tsx bench/hdr-proxy.bench.ts',
    `command: ${r.command}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of hdrProxyLines(await runHdrProxyBench())) console.log(line);
}
