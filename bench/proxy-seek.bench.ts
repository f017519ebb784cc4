/**
 * First frame after a seek in a preview proxy, measured in Chromium: the proxy of the 10 s 1080p
 * HEVC phone clip of bench/phone-proxy.bench.ts in a <video> element, served with HTTP Range by
 * the app's own serveFileRange, seeked to SEEKS pseudo-random times (the same for every proxy);
 * each seek is timed from setting currentTime to the new frame being presented
 * (requestVideoFrameCallback) and to the `seeked` event. Median and p95; goal: p95 < 150 ms.
 * The same clip with the earlier proxy settings (x264's default keyframe spacing, B-frames) is
 * measured in the same run, interleaved, for comparison.
 *
 *   npx tsx bench/proxy-seek.bench.ts      (PLAYWRIGHT_CHROMIUM to choose the browser; default /usr/bin/chromium)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { serveFileRange } from '../electron/services/media-range';
import { proxyArgs } from '../electron/services/media/proxy';
import { probeMedia } from '../node/media/probe';
import { phoneHevcClip } from './phone-proxy.bench';
import { run as runFfmpeg } from './ffmpeg-run';
import { shellQuote } from './export.bench';

const SEEKS = 40;
const GOAL_MS = 150;
const REPRODUCE = 'npx tsx bench/proxy-seek.bench.ts';

/** The proxy arguments as they were before keyframes every 0.5 s: x264's defaults (250 frames, B-frames). */
export function earlierProxyArgs(args: string[]): string[] {
  return args.filter((a, i) => !['-force_key_frames', '-bf'].includes(a) && !['-force_key_frames', '-bf'].includes(args[i - 1]));
}

// Plain JavaScript run in the page (a string: the bundler's helpers do not exist there).
const PAGE = `<!doctype html><video id=v muted preload=auto></video><script>
window.seekTimes = async (src, times) => {
  const v = document.getElementById('v');
  if (v.src !== src) {
    v.src = src;
    await new Promise((ok, ko) => { v.onloadeddata = ok; v.onerror = () => ko(new Error('video error: ' + (v.error && v.error.message))); });
  }
  const frameMs = [], seekedMs = [];
  for (const t of times) {
    const started = performance.now();
    const frame = new Promise((ok) => v.requestVideoFrameCallback(() => ok(performance.now() - started)));
    const seeked = new Promise((ok) => v.addEventListener('seeked', () => ok(performance.now() - started), { once: true }));
    v.currentTime = t;
    const late = new Promise((ok) => setTimeout(() => ok(5000), 5000));
    seekedMs.push(await Promise.race([seeked, late]));
    frameMs.push(await Promise.race([frame, late]));
  }
  return { frameMs, seekedMs };
};
</script>`;

export interface SeekFigures {
  frameMedianMs: number;
  frameP95Ms: number;
  seekedMedianMs: number;
  seekedP95Ms: number;
  bytes: number;
}

export interface ProxySeekBenchResult {
  current: SeekFigures;
  earlier: SeekFigures;
  load: number;
  command: string;
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

function figures(frameMs: number[], seekedMs: number[], bytes: number): SeekFigures {
  return { frameMedianMs: quantile(frameMs, 0.5), frameP95Ms: quantile(frameMs, 0.95), seekedMedianMs: quantile(seekedMs, 0.5), seekedP95Ms: quantile(seekedMs, 0.95), bytes };
}

/** SEEKS times in [0, duration - 0.1), the same every run (a fixed-seed generator). */
function seekTimes(durationSec: number): number[] {
  let seed = 12345;
  return Array.from({ length: SEEKS }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.round((seed / 2147483648) * (durationSec - 0.1) * 1000) / 1000;
  });
}

export async function runProxySeekBench(): Promise<ProxySeekBenchResult> {
  const clip = await phoneHevcClip();
  const probe = await probeMedia(clip);
  const work = await mkdtemp(join(tmpdir(), 'hospup-proxy-seek-'));
  const server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(PAGE);
      return;
    }
    const name = (req.url ?? '').slice(1);
    if (!['current.mp4', 'earlier.mp4'].includes(name)) {
      res.writeHead(404).end();
      return;
    }
    void serveFileRange(join(work, name), req.headers.range, 'video/mp4').then((r) => {
      res.writeHead(r.status, r.headers);
      if (r.body) r.body.pipe(res);
      else res.end();
    });
  });
  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const current = proxyArgs(clip, join(work, 'current.mp4'), probe.hasAudio);
    await runFfmpeg(['-hide_banner', '-nostdin', ...current]);
    await runFfmpeg(['-hide_banner', '-nostdin', ...earlierProxyArgs(proxyArgs(clip, join(work, 'earlier.mp4'), probe.hasAudio))]);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const load = loadavg()[0];
    const times = seekTimes(probe.durationSec);
    const half = Math.ceil(times.length / 2);
    const pages = { current: await browser.newPage(), earlier: await browser.newPage() };
    for (const page of Object.values(pages)) await page.goto(base);
    const measured = { current: { frameMs: [] as number[], seekedMs: [] as number[] }, earlier: { frameMs: [] as number[], seekedMs: [] as number[] } };
    // Interleaved halves, so a burst of load elsewhere on the machine falls on both.
    for (const part of [times.slice(0, half), times.slice(half)]) {
      for (const which of ['current', 'earlier'] as const) {
        const r = (await pages[which].evaluate(`seekTimes(${JSON.stringify(`${base}${which}.mp4`)}, ${JSON.stringify(part)})`)) as { frameMs: number[]; seekedMs: number[] };
        measured[which].frameMs.push(...r.frameMs);
        measured[which].seekedMs.push(...r.seekedMs);
      }
    }
    const size = async (name: string) => (await probeMedia(join(work, name))).sizeBytes;
    return {
      current: figures(measured.current.frameMs, measured.current.seekedMs, await size('current.mp4')),
      earlier: figures(measured.earlier.frameMs, measured.earlier.seekedMs, await size('earlier.mp4')),
      load,
      command: `ffmpeg ${shellQuote(['-hide_banner', '-nostdin', ...proxyArgs(clip, 'proxy.mp4', probe.hasAudio)])}`,
    };
  } finally {
    await browser.close();
    server.close();
    await rm(work, { recursive: true, force: true });
  }
}

export function proxySeekLines(r: ProxySeekBenchResult): string[] {
  const ms = (v: number) => `${Math.round(v)} ms`;
  const kb = (b: number) => `${Math.round(b / 1024)} KiB`;
  return [
    `proxy.seek_first_frame_p95_ms: ${Math.round(r.current.frameP95Ms)} (goal < ${GOAL_MS} ms; median ${ms(r.current.frameMedianMs)}; ${SEEKS} seeks; load ${r.load.toFixed(2)})${r.current.frameP95Ms < GOAL_MS ? '' : ' MISSED'}`,
    `proxy.seek_seeked_event_p95_ms: ${Math.round(r.current.seekedP95Ms)} (median ${ms(r.current.seekedMedianMs)})`,
    `proxy.seek_earlier_settings_first_frame_p95_ms: ${Math.round(r.earlier.frameP95Ms)} (median ${ms(r.earlier.frameMedianMs)}; seeked p95 ${ms(r.earlier.seekedP95Ms)}; x264 default keyframes and B-frames, for comparison)`,
    `proxy.seek_proxy_size: ${kb(r.current.bytes)} (earlier settings ${kb(r.earlier.bytes)})`,
    `reproduce: ${REPRODUCE}`,
    `command: ${r.command}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of proxySeekLines(await runProxySeekBench())) console.log(line);
}
