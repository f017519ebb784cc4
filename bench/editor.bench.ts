/**
 * Editor benchmark (web mode, Chromium through Playwright): a project of 1,000 segments and
 * 200 overlays is opened in the built renderer; measured in the page:
 * - time to interactive (navigation start -> timeline drawn and the main thread free), goal < 500 ms;
 * - p95 of a trim and of a move through the store, including React's render and the frame that
 *   shows the edit, goal < 8 ms (half a frame at 60 Hz);
 * - renderer JS heap after GC, goal < 300 MB.
 * Each figure is the median of 3 runs (a fresh browser and host each), the runs listed beside it.
 *
 * Run: npx tsx bench/editor.bench.ts   (HOSPUP_BENCH_SKIP_BUILD=1 reuses dist/renderer;
 *      HOSPUP_BENCH_RENDERER=<dir> runs another build, e.g. `npx vite build --config
 *      renderer/vite.config.ts --outDir /tmp/before` on the commit before, for side-by-side runs;
 *      BENCH_RUNS=n; HOSPUP_BENCH_VERBOSE=1 prints the requests' timings, the DOM size and the
 *      edit time quantiles; HOSPUP_BENCH_PROFILE=1 the top functions of the open and of the edits
 *      (readable after `HOSPUP_NO_MINIFY=1 npx vite build --config renderer/vite.config.ts`);
 *      HOSPUP_BENCH_TRACE=1 or =open the renderer main thread's trace events.)
 *
 * What is timed, and why the figures varied between runs and machines (issue 13):
 * - The import's media jobs. importPaths starts the thumbnails, filmstrips and preview proxies
 *   (ffmpeg, about 0.8 s of work here); the page used to open while they ran, on the same two
 *   cores: the bundle took 110-150 ms to arrive instead of ~35 ms and the open varied with how far
 *   those jobs had got. A person reopening a project has its media made, so the page now opens
 *   once they are (HOSPUP_BENCH_MEDIA=busy: at once, as before).
 * - What an edit's time held. It was the edit to the next task: the store, React's render (a
 *   microtask: useSyncExternalStore updates are synchronous) and, only when a frame fell due in
 *   between, that frame's style, layout, paint, layerization and commit (2-10 ms). The share of
 *   samples holding a frame grows with the edits' own length, so the p95 landed in one group or
 *   the other: four runs of one build within two minutes gave a move p95 of 4.4, 6.6, 7.9 and
 *   11.8 ms around a median of 0.4 ms. Now each edit is made at the start of a frame, where
 *   Chromium delivers a drag's pointer moves, and timed until that frame's main-thread work is
 *   done: what a drag costs per frame. Stricter and steadier; the frame's raster and the wait for
 *   the display are not counted (other threads, vsync). HOSPUP_BENCH_EDIT_TIMING=task times as
 *   before.
 * - Load. Other benches share the two cores: at a load average above 4 the open took 650-1300 ms
 *   and the p95s doubled. Report figures with `uptime`, compare builds side by side
 *   (HOSPUP_BENCH_RENDERER) in the same minutes.
 * - Chromium. --disable-gpu: raster and compositing run in software on the same CPU, so a frame
 *   costs more than on a machine with a GPU; the 1440x900 viewport decides how many segments are
 *   drawn (59 of 1,000 with the timeline's overscan); Debian's Chromium is not Playwright's build.
 * - Warm-up. The open is cold by design (new browser, new host: the host's first openProject
 *   takes ~75 ms, later ones ~20 ms); the edits come after 20 unmeasured ones (JIT).
 * - The build. HOSPUP_BENCH_SKIP_BUILD times whatever dist/renderer holds, e.g. the unminified
 *   bundle of a profiling build (1.2 MB instead of 587 KB); profiling and tracing slow the page.
 * - The open's end is seen once per frame (requestAnimationFrame polling): up to 17 ms late.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startWebHost } from '../electron/web/server';
import { hostCaller, launchBenchChromium } from './app-export';
import { makeTestClip } from '../test/fixtures/media';
import type { ImportResult, MediaItem, OpenedProject } from '../shared/api';
import type { Draft, DraftOverlay, DraftSegment } from '../shared/draft';
import { median } from './stats';

const REPRODUCE = 'npx tsx bench/editor.bench.ts';
/** How an edit is timed: 'frame' (the figure) or 'task' (as before issue 13), see the header comment. */
const timing = process.env.HOSPUP_BENCH_EDIT_TIMING === 'task' ? 'task' : 'frame';
const SEGMENTS = 1000;
const OVERLAYS = 200;
const SAMPLES = 200;

export interface BenchFigure {
  name: string;
  value: number;
  /** Every run's value, when the figure is a median. */
  runs?: number[];
  unit: string;
  goal: string;
  ok: boolean;
  reproduce: string;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** The median of `runs` runs of each figure (goals as in runOnce). */
export async function runEditorBench(runs = Number(process.env.BENCH_RUNS ?? 3)): Promise<BenchFigure[]> {
  const all: BenchFigure[][] = [];
  for (let i = 0; i < runs; i++) all.push(await runOnce());
  return all[0].map((first, index) => {
    const values = all.map((figures) => figures[index].value);
    const middle = median(values);
    const goalValue = Number(first.goal.replace(/[^0-9.]/g, ''));
    return { ...first, value: middle, runs: values, ok: middle < goalValue };
  });
}

async function runOnce(): Promise<BenchFigure[]> {
  const staticDir = process.env.HOSPUP_BENCH_RENDERER;
  if (!staticDir && (!process.env.HOSPUP_BENCH_SKIP_BUILD || !existsSync(join(REPO, 'dist/renderer/index.html')))) {
    execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'hospup-editor-bench-'));
  const host = await startWebHost({ port: 0, dataDir: join(dir, 'data'), exportDir: join(dir, 'exports'), ...(staticDir && { staticDir }) });
  const call = hostCaller(host);
  const browser = await launchBenchChromium();
  try {
    const clipDir = join(tmpdir(), 'hospup-e2e-clips');
    const clips = await Promise.all(
      ['red', 'blue', 'green'].map((color) => makeTestClip(clipDir, { name: color, color, width: 360, height: 640, fps: 30, durationSec: 2 })),
    );
    const { imported: media } = await call<ImportResult>('importPaths', [clips]);
    // A project is reopened with its media made: the thumbnails, filmstrips and proxies the
    // import starts (ffmpeg) must not share the two cores with the page being timed.
    // HOSPUP_BENCH_MEDIA=busy opens at once, as before issue 13 (the figures then vary with how far those jobs got).
    const settleStarted = performance.now();
    if (process.env.HOSPUP_BENCH_MEDIA !== 'busy') await mediaSettled(() => call<MediaItem[]>('listLibrary', []));
    if (process.env.HOSPUP_BENCH_VERBOSE) console.log(`media settled in ${Math.round(performance.now() - settleStarted)} ms`);
    const opened = await call<OpenedProject>('createProject', ['Bench 1000', '9:16']);
    const project = bigProject(opened.project, media);
    await call('saveProject', [project]);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    await page.addInitScript(`localStorage.setItem('hospup.lastProjectId', ${JSON.stringify(project.id)})`);
    const profiler = process.env.HOSPUP_BENCH_PROFILE ? await page.context().newCDPSession(page) : undefined;
    if (profiler) await startProfile(profiler);
    const tracer = process.env.HOSPUP_BENCH_TRACE ? await page.context().newCDPSession(page) : undefined;
    if (tracer && process.env.HOSPUP_BENCH_TRACE === 'open') await startTrace(tracer);
    await page.goto(host.loginUrl);
    // In-page code is sent as text: it runs in the browser (DOM), not in node.
    const openMs = (await page.evaluate(`new Promise((resolve) => {
      const check = () => {
        const store = window.__hospup && window.__hospup.editor.getState();
        if (!store || store.segments.length !== ${SEGMENTS} || !document.querySelector('[data-segment-id]')) return requestAnimationFrame(check);
        // Interactive: the frame with the timeline is painted and the next task runs.
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
      };
      check();
    })`)) as number;

    if (process.env.HOSPUP_BENCH_VERBOSE) {
      const entries = (await page.evaluate(`performance.getEntriesByType('resource')
        .map((e) => Math.round(e.startTime) + '..' + Math.round(e.responseEnd) + ' ' + e.name.replace(/^.*\\/\\/[^/]+/, ''))`)) as string[];
      console.log(entries.join('\n'));
      const dom = await page.evaluate(`({ elements: document.querySelectorAll('*').length, segments: document.querySelectorAll('[data-segment-id]').length,
        overlays: document.querySelectorAll('[data-overlay-id]').length, ticks: document.querySelectorAll('.tick').length })`);
      console.log('DOM at interactive:', JSON.stringify(dom));
      await page.screenshot({ path: join(tmpdir(), 'hospup-editor-bench.png') });
    }

    if (profiler) {
      printProfile('open', (await profiler.send('Profiler.stop')).profile as CpuProfile);
      await startProfile(profiler);
    }
    if (tracer && process.env.HOSPUP_BENCH_TRACE === 'open') printTrace('open', await stopTrace(tracer));
    if (tracer && process.env.HOSPUP_BENCH_TRACE !== 'open') await startTrace(tracer);
    const timings = (await page.evaluate(`(async () => {
      const editor = window.__hospup.editor;
      const samples = ${SAMPLES};
      const timing = ${JSON.stringify(timing)};
      // 'frame' (the figure): the edit made where a drag's pointer event runs, at the start of a
      // frame (Chromium aligns pointer moves to frames), timed until that frame's main-thread work
      // is done: store, React's render (a microtask: useSyncExternalStore updates are sync), then
      // style, layout, paint and the commit to the compositor; a message posted in the frame
      // callback runs after them. 'task' (before issue 13): from the edit to the next task, which
      // included a frame only when one happened to fall due (see the header comment).
      const oneEdit = (edit, i) => new Promise((resolve) => {
        const run = () => {
          const started = performance.now();
          edit(i);
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now() - started);
          channel.port2.postMessage(0);
        };
        if (timing === 'task') run();
        else requestAnimationFrame(run);
      });
      const measure = async (edit) => {
        const out = [];
        // The first edits warm up the JIT; they are not measured.
        for (let i = 0; i < 20; i++) await oneEdit(edit, samples + i);
        for (let i = 0; i < samples; i++) out.push(await oneEdit(edit, i));
        return out;
      };
      const n = editor.getState().segments.length;
      const trim = await measure((i) => {
        const index = (i * 37) % n;
        const segment = editor.getState().segments[index];
        editor.getState().trimSegmentAt(index, 'out', segment.end_time + (i % 2 ? 1 : -1) / 30);
      });
      const move = await measure((i) => editor.getState().moveSegment((i * 53) % n, (i * 97 + 11) % n));
      return { trim, move };
    })()`)) as { trim: number[]; move: number[] };

    if (tracer && process.env.HOSPUP_BENCH_TRACE !== 'open') printTrace('edits', await stopTrace(tracer));
    if (profiler) printProfile('edits', (await profiler.send('Profiler.stop')).profile as CpuProfile);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heapMb = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 1e6;

    const quantile = (values: number[], q: number) => values.slice().sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))];
    const p95 = (values: number[]) => quantile(values, 0.95);
    if (process.env.HOSPUP_BENCH_VERBOSE) {
      for (const [name, values] of Object.entries(timings)) {
        console.log(`${name}: ${[0.5, 0.75, 0.9, 0.95, 0.99, 1].map((q) => `p${q * 100} ${quantile(values, q).toFixed(1)}`).join(', ')} ms`);
      }
    }
    const figure = (name: string, value: number, unit: string, goalValue: number): BenchFigure => ({
      name,
      value: Math.round(value * 10) / 10,
      unit,
      goal: `< ${goalValue} ${unit}`,
      ok: value < goalValue,
      reproduce: REPRODUCE,
    });
    return [
      figure(`editor: open a project of ${SEGMENTS} segments + ${OVERLAYS} overlays (time to interactive)`, openMs, 'ms', 500),
      figure(`editor: trim on it, p95 of ${SAMPLES} (${timing === 'task' ? 'store + render, to the next task' : 'store + render + its frame'})`, p95(timings.trim), 'ms', 8),
      figure(`editor: move on it, p95 of ${SAMPLES} (${timing === 'task' ? 'store + render, to the next task' : 'store + render + its frame'})`, p95(timings.move), 'ms', 8),
      figure('editor: renderer JS heap after GC', heapMb, 'MB', 300),
    ];
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Until every imported clip has its thumbnail and filmstrip and no proxy is being made (60 s at most). */
async function mediaSettled(list: () => Promise<MediaItem[]>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const items = await list();
    const busy = items.filter((m) => m.previewStatus === 'queued' || m.previewStatus === 'processing' || !m.thumbnailUrl || !m.filmstripUrl);
    if (busy.length === 0) return;
    if (Date.now() > deadline) throw new Error(`media not ready after 60 s: ${busy.map((m) => `${m.name} (${m.previewStatus})`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function bigProject(base: Draft, media: MediaItem[]): Draft {
  const segments: DraftSegment[] = [];
  for (let i = 0; i < SEGMENTS; i++) {
    const m = media[i % media.length];
    const start = (i % 4) * 0.1;
    segments.push({ id: `seg${i}`, media_id: m.id, start_time: start, end_time: Math.round((start + 0.5 + (i % 7) * 0.15) * 30) / 30 });
  }
  const total = segments.reduce((sum, s) => sum + s.end_time - s.start_time, 0);
  const overlays: DraftOverlay[] = [];
  for (let i = 0; i < OVERLAYS; i++) {
    const start = Math.round(((i * total) / OVERLAYS) * 30) / 30;
    overlays.push({
      id: `text${i}`,
      content: `Title ${i + 1}`,
      start_time: start,
      end_time: Math.min(total, start + 2),
      position: { x: 50, y: 20 + (i % 6) * 10 },
      style: { color: '#FFFFFF', font_size: 64, font_family: 'Inter', font_weight: 'bold', background: null, align: 'center' },
    });
  }
  return { ...base, media, segments, overlays } as Draft;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

async function startProfile(session: { send(method: string, params?: object): Promise<unknown> }): Promise<void> {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 100 });
  await session.send('Profiler.start');
}

/**
 * HOSPUP_BENCH_PROFILE=1: the top functions by self time and by total time (a function counted
 * once per sample however deep it recurses), and the whole profile saved as a .cpuprofile
 * (Chromium DevTools' Performance panel opens it).
 */
function printProfile(phase: string, profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (id: number) => {
    const frame = byId.get(id)!.callFrame;
    return `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\//, '')}:${frame.lineNumber}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sum = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const ms = (profile.timeDeltas?.[i] ?? 0) / 1000;
    sum += ms;
    self.set(keyOf(id), (self.get(keyOf(id)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(keyOf(at));
    for (const key of seen) total.set(key, (total.get(key) ?? 0) + ms);
  });
  const file = join(tmpdir(), `hospup-editor-${phase}-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const top = (map: Map<string, number>, count: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, ms]) => `${ms.toFixed(1).padStart(8)} ms ${((ms / sum) * 100).toFixed(1).padStart(5)} %  ${key}`);
  console.log(`\n# ${phase}: ${sum.toFixed(0)} ms profiled (${file})\n## self time`);
  console.log(top(self, 25).join('\n'));
  console.log('## total time');
  console.log(top(total, 40).join('\n'));
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
  pid: number;
  args?: { name?: string };
}

async function startTrace(session: { send(method: string, params?: object): Promise<unknown> }): Promise<void> {
  await session.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,v8', transferMode: 'ReportEvents' });
}

async function stopTrace(session: { send(method: string, params?: object): Promise<unknown>; on(event: string, fn: (e: { value: TraceEvent[] }) => void): void; once(event: string, fn: () => void): void }): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
  await session.send('Tracing.end');
  await done;
  return events;
}

/**
 * HOSPUP_BENCH_TRACE=1 (the edits) or =open: the renderer main thread's work by trace event
 * (complete events, top level and nested alike), and the trace saved for DevTools' Performance panel.
 */
function printTrace(phase: string, events: TraceEvent[]): void {
  // A navigation may change renderer process: the page's main thread is the busiest one.
  const busiest = new Map<string, number>();
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}/${e.tid}`));
  for (const e of events) if (e.ph === 'X' && mains.has(`${e.pid}/${e.tid}`)) busiest.set(`${e.pid}/${e.tid}`, (busiest.get(`${e.pid}/${e.tid}`) ?? 0) + (e.dur ?? 0));
  const main = [...busiest.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const onMain = events.filter((e) => `${e.pid}/${e.tid}` === main && e.ph === 'X' && e.dur !== undefined);
  const byName = new Map<string, { ms: number; count: number; max: number }>();
  for (const e of onMain) {
    const entry = byName.get(e.name) ?? { ms: 0, count: 0, max: 0 };
    entry.ms += e.dur! / 1000;
    entry.count++;
    entry.max = Math.max(entry.max, e.dur! / 1000);
    byName.set(e.name, entry);
  }
  const file = join(tmpdir(), `hospup-editor-trace-${phase}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ traceEvents: events }));
  console.log(`\n# ${phase}: renderer main thread by trace event (${file})`);
  for (const [name, { ms, count, max }] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) {
    console.log(`${ms.toFixed(1).padStart(8)} ms  ${String(count).padStart(5)} x  max ${max.toFixed(2).padStart(6)} ms  ${name}`);
  }
}

export function printFigures(figures: BenchFigure[]): void {
  for (const f of figures) {
    console.log(`${f.ok ? 'ok  ' : 'SLOW'} ${f.name}: ${f.value} ${f.unit}${f.runs ? ` (median of ${f.runs.join(', ')})` : ''} (goal ${f.goal})  [reproduce: ${f.reproduce}]`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEditorBench().then(printFigures, (error) => {
    console.error(error);
    process.exit(1);
  });
}
