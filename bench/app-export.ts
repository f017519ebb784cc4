/// <reference lib="dom" />
/**
 * The app's one-click export, as a hotel editor does it, for benches: the built editor in
 * Chromium (Playwright), the web-mode host with its embedded local cloud (the same services
 * Electron uses), a project holding the reel, the Export button, until "Export complete".
 * Timed from the click to the finished file on disk.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { startWebHost, type WebHost } from '../electron/web/server';
import { compileDraft } from '../shared/compile-draft';
import type { ImportResult, MediaItem, OpenedProject } from '../shared/api';
import type { Draft, DraftOverlay } from '../shared/draft';
import type { GenerationRequestInput } from '../shared/request';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** What the reel holds: each clip's cut, and the captions (style as the request's). */
export interface AppReel {
  clips: string[];
  clipStart: number;
  clipSec: number;
  captions: { content: string; start: number; end: number; y: number }[];
  style: DraftOverlay['style'];
}

export interface AppExportRun {
  wallSec: number;
  outputPath: string;
  /** Seconds from the click to each phase the panel showed active (Preparing, Uploading, Rendering, ...). */
  phases: { phase: string; atSec: number }[];
}

export interface BenchApp {
  /** A new project with the reel (a distinct template id per `tag`, so no render is reused); returns it and what it compiles to. */
  project(reel: AppReel, tag: string): Promise<{ draft: Draft; request: GenerationRequestInput }>;
  /** Resolves once the library has made every thumbnail, filmstrip and proxy (background work done). */
  settled(): Promise<void>;
  /** Opens the project in a fresh page, clicks Export and waits for the file. */
  exportProject(draft: Draft): Promise<AppExportRun>;
  close(): Promise<void>;
}

/** The built renderer (vite), unless HOSPUP_BENCH_SKIP_BUILD=1 and it is there. */
export function ensureRendererBuilt(): void {
  if (process.env.HOSPUP_BENCH_SKIP_BUILD && existsSync(join(REPO, 'dist/renderer/index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
}

export function launchBenchChromium(): Promise<Browser> {
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Calls one host API method over web mode's HTTP bridge. */
export function hostCaller(host: WebHost) {
  return async <T>(method: string, args: unknown[]): Promise<T> => {
    const response = await fetch(`${host.url}api/call/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hospup-Token': host.token },
      body: JSON.stringify(args),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (!response.ok || body.error) throw new Error(`${method}: ${body.error?.message ?? response.status}`);
    return body.result as T;
  };
}

export async function startBenchApp(): Promise<BenchApp> {
  ensureRendererBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'hospup-app-export-bench-'));
  const host = await startWebHost({ port: 0, dataDir: join(dir, 'data'), exportDir: join(dir, 'exports') });
  const call = hostCaller(host);
  const browser = await launchBenchChromium();
  return {
    async project(reel, tag) {
      const { imported, refused } = await call<ImportResult>('importPaths', [reel.clips]);
      if (refused.length) throw new Error(`import refused: ${JSON.stringify(refused)}`);
      const media = reel.clips.map((clip) => imported.find((m) => m.path === clip)!);
      const opened = await call<OpenedProject>('createProject', [`Bench ${tag}`, '9:16']);
      const draft: Draft = {
        ...opened.project,
        template_id: `bench-${tag}`,
        media,
        segments: media.map((m, i) => ({ id: `seg${i}`, media_id: m.id, start_time: reel.clipStart, end_time: reel.clipStart + reel.clipSec })),
        overlays: reel.captions.map((c, i) => ({
          id: `text${i}`, content: c.content, start_time: c.start, end_time: c.end, position: { x: 50, y: c.y }, style: reel.style,
        })),
      };
      await call('saveProject', [draft]);
      const compiled = compileDraft(draft);
      if (!compiled.request) throw new Error(`the bench project does not compile: ${compiled.blocking.map((b) => b.message).join('; ')}`);
      return { draft, request: compiled.request };
    },
    async settled() {
      // Import starts thumbnails, filmstrips and proxies in the background (dozens of ffmpeg
      // runs): a bench must not time them with the export, nor let them slow the hand-written command.
      for (let i = 0; i < 1200; i++) {
        const library = await call<MediaItem[]>('listLibrary', []);
        const busy = library.filter((m) => m.previewStatus === 'queued' || m.previewStatus === 'processing' || !m.thumbnailUrl || (m.filmstripFrames > 0 && !m.filmstripUrl));
        if (busy.length === 0) return;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error('the media library never finished its background work');
    },
    async exportProject(draft) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
      try {
        await page.addInitScript(`localStorage.setItem('hospup.lastProjectId', ${JSON.stringify(draft.id)})`);
        await page.goto(host.loginUrl);
        // A function, not a string: the page's CSP forbids eval.
        await page.waitForFunction((count) => {
          const hospup = (window as unknown as { __hospup?: { editor: { getState(): { segments: unknown[] } } } }).__hospup;
          return hospup?.editor.getState().segments.length === count;
        }, draft.segments.length);
        // Thumbnails and filmstrips are fetched when the project opens: let them finish, as they
        // would have while the editor worked, so they do not overlap the timed export.
        await page.waitForLoadState('networkidle');
        const button = page.getByRole('button', { name: 'Export', exact: true });
        await button.waitFor();
        // Timed on the page's clock: the click is made in the page (Playwright's own click first
        // waits for the button to be stable and hit-testable), the end is the frame that shows
        // "Export complete"; between them, which phase the panel shows and when. The page itself
        // says when it is over (no Playwright locator polls the page meanwhile: that costs
        // Chromium a tenth of a core, taken from the render).
        const handle = await button.elementHandle();
        const ended = page.evaluate((el) => new Promise<string | undefined>((resolveEnd) => {
          const w = window as unknown as { __bench: { phases: { phase: string; at: number }[]; clickedAt: number; doneAt?: number } };
          const bench: typeof w.__bench = { phases: [], clickedAt: 0 };
          w.__bench = bench;
          const observer = new MutationObserver(() => {
            const active = document.querySelector('.export-progress .phase.active .phase-head span')?.textContent ?? '';
            if (active && bench.phases.at(-1)?.phase !== active) bench.phases.push({ phase: active, at: performance.now() });
            const failure = document.querySelector('.export-error');
            if (document.querySelector('.export-done .done-title')) bench.doneAt = performance.now();
            if (bench.doneAt !== undefined || failure) {
              observer.disconnect();
              resolveEnd(failure ? failure.textContent ?? 'failed' : undefined);
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          bench.clickedAt = performance.now();
          (el as HTMLButtonElement).click();
        }), handle);
        let timer: NodeJS.Timeout | undefined;
        const failure = await Promise.race([ended, new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the app\'s export did not end within 10 minutes')), 600_000);
        })]).finally(() => clearTimeout(timer));
        if (failure !== undefined) throw new Error(`the app's export failed: ${failure}`);
        const panel = page.getByRole('dialog', { name: 'Export video' });
        const outputPath = (await panel.locator('.export-done .path').textContent()) ?? '';
        const bench = await page.evaluate(() => (window as unknown as { __bench: { phases: { phase: string; at: number }[]; clickedAt: number; doneAt: number } }).__bench);
        const clickedAt = bench.clickedAt;
        const wallSec = (bench.doneAt - clickedAt) / 1000;
        const seen = bench.phases;
        return { wallSec, outputPath, phases: seen.map((p) => ({ phase: p.phase, atSec: (p.at - clickedAt) / 1000 })) };
      } finally {
        await page.close();
      }
    },
    async close() {
      await browser.close();
      await host.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
