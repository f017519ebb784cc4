/**
 * A whole CLI export through the embedded local cloud (start-up, hashing, upload, Lambda,
 * MediaConvert job, download), as a ratio to ONE hand-written ffmpeg command that produces the
 * same video from the same files (same cuts, frame, rate, caption images, encoder settings).
 * Two reels: 7.5 s (3 clips, 2 captions) and 30 s (6 clips, 3 captions). Each round runs the
 * two back to back; the best of BENCH_RUNS (default 3) of each counts. Every CLI run starts from
 * an empty data folder, as a first export does (nothing cached, every clip uploaded).
 *
 * Also: how long after start the CLI reaches "Uploading" (goal < 0.5 s) and `hospup --help`
 * through the bin (goal < 0.3 s).
 *
 *   npx tsx bench/export.bench.ts
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadFontSet } from '../cloud/lambda/fonts-node';
import { renderOverlayPng } from '../cloud/lambda/overlay-png';
import { probeMedia } from '../node/media/probe';
import { makeTestClip, type ClipSpec } from '../test/fixtures/media';
import { run as runFfmpeg } from './ffmpeg-run';

const ROOT = resolve(import.meta.dirname, '..');
export const MEDIA = join(ROOT, '.cache/bench-media');
const BIN = join(ROOT, 'bin/hospup.mjs');

export interface Reel {
  name: string;
  clips: ClipSpec[];
  /** Seconds taken from each clip, from CLIP_START. */
  clipSec: number;
  captions: { content: string; start: number; end: number; y: number }[];
}

export const CLIP_START = 0.5;
const FPS = 30;
const FRAME = { width: 1080, height: 1920 };

export const REELS: Reel[] = [
  {
    name: 'reel-7.5s',
    clipSec: 2.5,
    clips: [
      { name: 'export-25', color: 'red', width: 1080, height: 1920, fps: 25, durationSec: 4 },
      { name: 'export-2997', color: 'green', width: 1080, height: 1920, fps: '30000/1001', durationSec: 4 },
      { name: 'export-60-silent', color: 'blue', width: 1080, height: 1920, fps: 60, durationSec: 4, audio: false },
    ],
    captions: [
      { content: 'Summer at the Dunes', start: 0.2, end: 3, y: 20 },
      { content: 'Book direct –20 %', start: 4, end: 7.5, y: 80 },
    ],
  },
  {
    name: 'reel-30s',
    clipSec: 5,
    clips: [
      { name: 'reel-24', color: 'red', width: 1080, height: 1920, fps: 24, durationSec: 6 },
      { name: 'reel-25', color: 'green', width: 1080, height: 1920, fps: 25, durationSec: 6 },
      { name: 'reel-2997', color: 'blue', width: 1080, height: 1920, fps: '30000/1001', durationSec: 6 },
      { name: 'reel-30-silent', color: 'yellow', width: 1080, height: 1920, fps: 30, durationSec: 6, audio: false },
      { name: 'reel-50', color: 'cyan', width: 1080, height: 1920, fps: 50, durationSec: 6 },
      { name: 'reel-60', color: 'magenta', width: 1080, height: 1920, fps: 60, durationSec: 6 },
    ],
    captions: [
      { content: 'Welcome to the Dunes', start: 1, end: 9, y: 75 },
      { content: 'Rooftop pool\nopen all year', start: 10, end: 20, y: 20 },
      { content: 'Book direct', start: 22, end: 28, y: 50 },
    ],
  },
];

export const style = { color: '#FFFFFF', font_size: 72, font_family: 'Montserrat' as const, font_weight: 'bold' as const, background: '#00000080' };

export function request(reel: Reel, clips: string[]) {
  return {
    property_id: 'bench',
    template_id: reel.name,
    segments: clips.map((video_url, i) => ({
      video_url,
      start_time: CLIP_START,
      end_time: CLIP_START + reel.clipSec,
      duration: reel.clipSec,
      order: i + 1,
    })),
    text_overlays: reel.captions.map((c) => ({ content: c.content, start_time: c.start, end_time: c.end, position: { x: 50, y: c.y }, style })),
    output: { aspect: '9:16', fps: FPS },
  };
}

/** The part of a request the hand-written command reads: the cuts and the captions. */
export interface HandwrittenRequest {
  segments: { video_url: string; start_time: number; end_time: number }[];
  text_overlays?: { content: string; start_time: number; end_time: number; position: { x: number; y: number }; style?: unknown }[];
}

/** What a person would type for this request: trim, fill the frame, 30 fps, concat, the caption PNGs the function draws. */
export async function handwrittenArgs(req: HandwrittenRequest, work: string, out: string): Promise<string[]> {
  const fonts = loadFontSet();
  const clips = req.segments.map((s) => s.video_url);
  const probes = await Promise.all(clips.map((clip) => probeMedia(clip)));
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'];
  for (const s of req.segments) args.push('-ss', String(s.start_time), '-t', String(s.end_time - s.start_time), '-i', s.video_url);
  const captions = req.text_overlays ?? [];
  const boxes: { x: number; y: number }[] = [];
  for (const [k, overlay] of captions.entries()) {
    const png = await renderOverlayPng(overlay as Parameters<typeof renderOverlayPng>[0], FRAME, fonts);
    const file = join(work, `caption-${k}-${png.x}-${png.y}.png`);
    await writeFile(file, png.png);
    args.push('-i', file);
    boxes.push({ x: png.x, y: png.y });
  }
  const graph: string[] = [];
  req.segments.forEach((segment, i) => {
    graph.push(`[${i}:v]fps=${FPS},scale=${FRAME.width}:${FRAME.height}:force_original_aspect_ratio=increase,crop=${FRAME.width}:${FRAME.height},setsar=1,format=yuv420p[v${i}]`);
    graph.push(probes[i].hasAudio
      ? `[${i}:a]aresample=48000,aformat=channel_layouts=stereo[a${i}]`
      : `anullsrc=r=48000:cl=stereo,atrim=0:${segment.end_time - segment.start_time}[a${i}]`);
  });
  graph.push(`${clips.map((_, i) => `[v${i}][a${i}]`).join('')}concat=n=${clips.length}:v=1:a=1[base][aout]`);
  let current = 'base';
  captions.forEach((caption, k) => {
    const box = boxes[k];
    graph.push(`[${current}][${clips.length + k}:v]overlay=${box.x}:${box.y}:enable='between(t,${caption.start_time},${caption.end_time})'[o${k}]`);
    current = `o${k}`;
  });
  args.push('-filter_complex', graph.join(';'), '-map', `[${current}]`, '-map', '[aout]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-maxrate', '12000000', '-bufsize', '24000000',
    '-profile:v', 'high', '-g', String(2 * FPS), '-pix_fmt', 'yuv420p', '-r', String(FPS),
    '-c:a', 'aac', '-b:a', '128000', '-ar', '48000', '-ac', '2', '-movflags', '+faststart', out);
  return args;
}

interface CliRun {
  wallSec: number;
  /** Seconds from spawn to the first "Uploading" progress line; undefined if none was printed. */
  uploadingSec?: number;
}

export function runCli(args: string[], dataDir: string): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, HOSPUP_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let uploadingSec: number | undefined;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (uploadingSec === undefined && /Uploading/.test(stderr)) uploadingSec = elapsed();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise({ wallSec: elapsed(), uploadingSec }) : reject(new Error(`hospup ${args[0]} exit ${code}: ${stderr.slice(-2000)}`))));
  });
}

export interface ExportBenchReel {
  name: string;
  videoSec: number;
  cliSec: number;
  handwrittenSec: number;
  ratio: number;
  uploadingSec: number;
  cliCommand: string;
  handwrittenCommand: string;
}

export interface ExportBenchResult {
  reels: ExportBenchReel[];
  helpSec: number;
}

export function shellQuote(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export async function runExportBench(runs = Number(process.env.BENCH_RUNS ?? 3)): Promise<ExportBenchResult> {
  await mkdir(MEDIA, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'hospup-export-bench-'));
  try {
    const reels: ExportBenchReel[] = [];
    for (const reel of REELS) {
      const clips: string[] = [];
      for (const spec of reel.clips) clips.push(await makeTestClip(MEDIA, spec));
      const requestFile = join(work, `${reel.name}.json`);
      await writeFile(requestFile, JSON.stringify(request(reel, clips)));
      const handArgs = await handwrittenArgs(request(reel, clips), work, join(work, `${reel.name}-handwritten.mp4`));
      const cliArgs = ['export', requestFile, '--out', join(work, `${reel.name}-cli.mp4`)];
      let cliSec = Infinity;
      let handwrittenSec = Infinity;
      let uploadingSec = Infinity;
      for (let r = 0; r < Math.max(1, runs); r++) {
        const dataDir = join(work, `data-${reel.name}-${r}`);
        const cli = await runCli(cliArgs, dataDir);
        await rm(dataDir, { recursive: true, force: true });
        const hand = await runFfmpeg(handArgs);
        cliSec = Math.min(cliSec, cli.wallSec);
        uploadingSec = Math.min(uploadingSec, cli.uploadingSec ?? Infinity);
        handwrittenSec = Math.min(handwrittenSec, hand.wallSec);
      }
      const videoSec = reel.clips.length * reel.clipSec;
      const rendered = await probeMedia(join(work, `${reel.name}-cli.mp4`));
      if (Math.abs(rendered.durationSec - videoSec) > 0.05) throw new Error(`${reel.name}: the export lasts ${rendered.durationSec} s, not ${videoSec} s`);
      reels.push({
        name: reel.name,
        videoSec,
        cliSec,
        handwrittenSec,
        ratio: cliSec / handwrittenSec,
        uploadingSec,
        cliCommand: `node bin/hospup.mjs ${shellQuote(cliArgs)}`,
        handwrittenCommand: `ffmpeg ${shellQuote(handArgs)}`,
      });
    }
    let helpSec = Infinity;
    for (let r = 0; r < 5; r++) helpSec = Math.min(helpSec, (await runCli(['--help'], join(work, 'data-help'))).wallSec);
    return { reels, helpSec };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function exportBenchLines(result: ExportBenchResult): string[] {
  const lines: string[] = [];
  for (const reel of result.reels) {
    const key = reel.name.replace(/[^a-z0-9]+/gi, '_');
    lines.push(
      `export.cli_${key}_vs_handwritten_ratio: ${reel.ratio.toFixed(3)} (goal <= 1.15; ${reel.cliSec.toFixed(2)} s vs ${reel.handwrittenSec.toFixed(2)} s, best of runs)`,
      `export.cli_${key}_reaches_uploading_seconds: ${Number.isFinite(reel.uploadingSec) ? reel.uploadingSec.toFixed(2) : 'never'} (goal < 0.5)`,
      `  cli: ${reel.cliCommand}`,
      `  handwritten: ${reel.handwrittenCommand}`,
    );
  }
  lines.push(`cli.help_seconds: ${result.helpSec.toFixed(3)} (goal < 0.3; node bin/hospup.mjs --help, best of 5)`);
  lines.push('reproduce: npx tsx bench/export.bench.ts');
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of exportBenchLines(await runExportBench())) console.log(line);
}
