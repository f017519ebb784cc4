/**
 * Local render time of a 30 s 1080x1920 reel (6 clips, mixed fps, 5 s each, 3 overlay PNGs)
 * through the local MediaConvert planner + ffmpeg, as a ratio to ONE hand-written ffmpeg
 * command producing the same output (same cuts, scaling, rate, overlays, encoder settings).
 *
 *   npx tsx bench/render.bench.ts        (BENCH_RUNS=2 by default; the best run of each counts)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ffmpegPath } from '../node/media/ffmpeg-paths';
import { probeMedia } from '../node/media/probe';
import { planFfmpegRender } from '../cloud/local/mediaconvert/compile-ffmpeg';
import { validateJobSettings } from '../cloud/local/mediaconvert/validate-settings';
import { makeTestClip, type ClipSpec } from '../test/fixtures/media';
import { wireImage, wireInput, wireSettings } from '../test/fixtures/mc-job';

const MEDIA = resolve('.cache/bench-media');

const CLIPS: ClipSpec[] = [
  { name: 'reel-24', color: 'red', width: 1080, height: 1920, fps: 24, durationSec: 6 },
  { name: 'reel-25', color: 'green', width: 1080, height: 1920, fps: 25, durationSec: 6 },
  { name: 'reel-2997', color: 'blue', width: 1080, height: 1920, fps: '30000/1001', durationSec: 6 },
  { name: 'reel-30-silent', color: 'yellow', width: 1080, height: 1920, fps: 30, durationSec: 6, audio: false },
  { name: 'reel-50', color: 'cyan', width: 1080, height: 1920, fps: 50, durationSec: 6 },
  { name: 'reel-60', color: 'magenta', width: 1080, height: 1920, fps: 60, durationSec: 6 },
];
// Each clip contributes 5 s starting at 0.5 s: [start frame, end frame inclusive] at the nominal rate.
const CLIP_START_SEC = 0.5;
const CLIP_SEC = 5;
const OVERLAYS = [
  { x: 120, y: 1400, w: 840, h: 160, startSec: 1, durationSec: 8, layer: 0 },
  { x: 120, y: 300, w: 840, h: 160, startSec: 10, durationSec: 10, layer: 1 },
  { x: 240, y: 900, w: 600, h: 120, startSec: 22, durationSec: 6, layer: 2 },
];

function timecode(seconds: number, nominal: number): string {
  const frames = Math.round(seconds * nominal);
  const ff = frames % nominal;
  const total = Math.floor(frames / nominal);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}:${pad(ff)}`;
}

export interface Timing { wallSec: number; cpuSec: number }

/**
 * Runs ffmpeg through bash so its `times` builtin reports the child's CPU time (user + sys):
 * on a machine shared with other work, CPU time is the stable measure, wall time the felt one.
 */
export function run(args: string[]): Promise<Timing> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', '"$0" "$@" >/dev/null; rc=$?; times; exit $rc', ffmpegPath(), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-3000); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg exit ${code}: ${stderr}`));
      const wallSec = Number(process.hrtime.bigint() - started) / 1e9;
      // `times` prints the shell's line, then the children's: "0m11.420s 0m0.610s".
      const children = stdout.trim().split('\n').at(-1) ?? '';
      const cpuSec = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
      resolvePromise({ wallSec, cpuSec });
    });
  });
}

export function shellQuote(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The hand-written reference: what a person would type for this reel, in one command. */
function handwrittenArgs(clips: string[], silent: boolean[], pngs: string[], out: string): string[] {
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  for (const clip of clips) args.push('-ss', String(CLIP_START_SEC), '-t', String(CLIP_SEC), '-i', clip);
  for (const png of pngs) args.push('-i', png);
  const graph: string[] = [];
  clips.forEach((_, i) => {
    graph.push(`[${i}:v]fps=30,scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,format=yuv420p[v${i}]`);
    graph.push(silent[i]
      ? `anullsrc=r=48000:cl=stereo,atrim=0:${CLIP_SEC}[a${i}]`
      : `[${i}:a]aresample=48000,aformat=channel_layouts=stereo[a${i}]`);
  });
  graph.push(`${clips.map((_, i) => `[v${i}][a${i}]`).join('')}concat=n=${clips.length}:v=1:a=1[base][aout]`);
  let current = 'base';
  OVERLAYS.forEach((o, k) => {
    graph.push(`[${current}][${clips.length + k}:v]overlay=${o.x}:${o.y}:enable='between(t,${o.startSec},${o.startSec + o.durationSec})'[o${k}]`);
    current = `o${k}`;
  });
  args.push('-filter_complex', graph.join(';'), '-map', `[${current}]`, '-map', '[aout]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-maxrate', '12000000', '-bufsize', '24000000',
    '-profile:v', 'high', '-g', '60', '-pix_fmt', 'yuv420p', '-r', '30',
    '-c:a', 'aac', '-b:a', '128000', '-ar', '48000', '-ac', '2', '-movflags', '+faststart', out);
  return args;
}

export interface RenderBenchResult {
  localSec: number;
  handwrittenSec: number;
  /** Wall-clock ratio local / hand-written (best run of each). */
  ratio: number;
  localCpuSec: number;
  handwrittenCpuSec: number;
  cpuRatio: number;
  localCommand: string;
  handwrittenCommand: string;
}

/** Generates (cached) media and returns both command lines writing into `work`. */
export async function buildRenderBenchCommands(work: string): Promise<{ localArgs: string[]; handArgs: string[] }> {
  await mkdir(MEDIA, { recursive: true });
  const clips = [];
  for (const spec of CLIPS) clips.push(await makeTestClip(MEDIA, spec)); // sequential: keep the machine usable
  const pngs: string[] = [];
  for (const [k, o] of OVERLAYS.entries()) {
    const png = join(MEDIA, `overlay-${k}-${o.w}x${o.h}.png`);
    if (!existsSync(png)) {
      await run(['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=white@0.8:s=${o.w}x${o.h},format=rgba`, '-frames:v', '1', png]);
    }
    pngs.push(png);
  }
  const probes = await Promise.all(clips.map((c) => probeMedia(c)));

  const inputs = probes.map((probe, i) => {
    const nominal = Math.ceil(probe.fps - 0.001);
    const startFrame = Math.round(CLIP_START_SEC * probe.fps);
    const endFrame = startFrame + Math.round(CLIP_SEC * probe.fps) - 1;
    return wireInput(`s3://bench/sources/${i}.mp4`, timecode(startFrame / nominal, nominal), timecode(endFrame / nominal, nominal), probe.hasAudio);
  });
  const images = OVERLAYS.map((o, k) => wireImage({
    imageInserterInput: `s3://bench/overlays/${k}.png`, imageX: o.x, imageY: o.y, width: o.w, height: o.h,
    layer: o.layer, opacity: 100, startTime: timecode(o.startSec, 30), duration: o.durationSec * 1000, fadeIn: 0, fadeOut: 0,
  }));
  const settings = wireSettings(inputs, { images });
  const checked = validateJobSettings(settings);
  if (!checked.ok) throw new Error(checked.problems.join('\n'));

  const plan = planFfmpegRender(checked.settings, clips.map((localPath, i) => ({ localPath, probe: probes[i] })),
    pngs.map((localPath) => ({ localPath })), join(work, 'local.mp4'));
  const localArgs = plan.args.filter((a, i, all) => a !== '-progress' && all[i - 1] !== '-progress' && a !== '-nostats');
  const handArgs = handwrittenArgs(clips, probes.map((p) => !p.hasAudio), pngs, join(work, 'handwritten.mp4'));
  return { localArgs, handArgs };
}

export async function runRenderBench(runs = Number(process.env.BENCH_RUNS ?? 2)): Promise<RenderBenchResult> {
  const work = await mkdtemp(join(tmpdir(), 'hospup-render-bench-'));
  try {
    const { localArgs, handArgs } = await buildRenderBenchCommands(work);
    let localSec = Infinity;
    let handwrittenSec = Infinity;
    let localCpuSec = Infinity;
    let handwrittenCpuSec = Infinity;
    for (let r = 0; r < Math.max(1, runs); r++) {
      const hand = await run(handArgs);
      const local = await run(localArgs);
      handwrittenSec = Math.min(handwrittenSec, hand.wallSec);
      handwrittenCpuSec = Math.min(handwrittenCpuSec, hand.cpuSec);
      localSec = Math.min(localSec, local.wallSec);
      localCpuSec = Math.min(localCpuSec, local.cpuSec);
    }
    const localDuration = (await probeMedia(join(work, 'local.mp4'))).durationSec;
    const handDuration = (await probeMedia(join(work, 'handwritten.mp4'))).durationSec;
    if (Math.abs(localDuration - 30) > 0.05 || Math.abs(handDuration - 30) > 0.05) {
      throw new Error(`unexpected durations: local ${localDuration}s, handwritten ${handDuration}s`);
    }
    return {
      localSec,
      handwrittenSec,
      ratio: localSec / handwrittenSec,
      localCpuSec,
      handwrittenCpuSec,
      cpuRatio: localCpuSec / handwrittenCpuSec,
      localCommand: `ffmpeg ${shellQuote(localArgs)}`,
      handwrittenCommand: `ffmpeg ${shellQuote(handArgs)}`,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runRenderBench();
  console.log(`render.local_vs_handwritten_ratio: ${result.ratio.toFixed(3)} (goal <= 1.3)`);
  console.log(`render.local_seconds: ${result.localSec.toFixed(2)}`);
  console.log(`render.handwritten_seconds: ${result.handwrittenSec.toFixed(2)}`);
  console.log(`render.local_vs_handwritten_cpu_ratio: ${result.cpuRatio.toFixed(3)} (ffmpeg CPU time ${result.localCpuSec.toFixed(2)} s vs ${result.handwrittenCpuSec.toFixed(2)} s; stable on a busy machine)`);
  console.log('reproduce: npx tsx bench/render.bench.ts');
  console.log(`local command: ${result.localCommand}`);
  console.log(`handwritten command: ${result.handwrittenCommand}`);
}
