// Background media work gives way, checked on the real processes (Linux /proc): the proxy and
// still ffmpeg run at the lowest priority (every thread nice 19), and while an export renders on
// the local cloud a running proxy is stopped (state T) — the render's own ffmpeg is not — then
// continues and completes once the export ends, whether it was cancelled or finished.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Draft } from '../../shared/draft';
import type { ExportPhase } from '../../shared/api';
import { createHostServices, type HostServicesRuntime } from '../../electron/services/host-services';
import { probeMedia } from '../../node/media/probe';
import { makeTestClip } from '../fixtures/media';
import { makePhoneHevcClip } from '../fixtures/phone-media';
import { childrenNamed, processState, type ChildInfo } from '../fixtures/processes';

const CLIPS = join(tmpdir(), 'hospup-test-clips');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('background media work', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  let dir: string;
  let host: HostServicesRuntime;
  let phoneA: string;
  let phoneB: string;
  let red: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hospup-background-'));
    // Two 1080p HEVC phone clips (about 4 s of proxy work each on an idle 2-core machine).
    [phoneA, phoneB, red] = await Promise.all([
      makePhoneHevcClip(CLIPS, { name: 'bg-phone-a', width: 1080, height: 1920, fps: 30, durationSec: 8, rotation: 90, mbps: 8 }),
      makePhoneHevcClip(CLIPS, { name: 'bg-phone-b', width: 1080, height: 1920, fps: 30, durationSec: 8, rotation: 90, mbps: 9 }),
      makeTestClip(CLIPS, { name: 'bg-red', width: 180, height: 320, fps: 30, durationSec: 2, color: 'red' }),
    ]);
    host = createHostServices({
      dataDir: join(dir, 'data'),
      exportDir: join(dir, 'Videos'),
      mode: 'web',
      version: '0.0.0-test',
      systemLocale: 'en-GB',
      urls: { media: (id, kind) => `/media/${id}/${kind}` },
      proxyConcurrency: 2,
    });
  });
  after(async () => {
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Our ffmpeg children writing into `folder` (a proxy: the proxies folder). */
  const ffmpegWriting = (folder: string) => childrenNamed('ffmpeg').filter((c) => c.args.some((a) => a.startsWith(folder)));

  /** The local cloud's render ffmpeg (a child of this process too: it writes into a hospup-mc- folder). */
  const renderFfmpeg = () => childrenNamed('ffmpeg').filter((c) => c.args.some((a) => a.includes('/hospup-mc-')));

  /**
   * Exports `project`; while the render's ffmpeg runs, samples its state and that of `pid` (the
   * proxy), and cancels the export once both were seen, if asked.
   */
  async function exportWatching(project: Draft, pid: number, cancel: boolean) {
    let exportId = '';
    const seen = { proxy: [] as string[], render: [] as string[] };
    const phases: ExportPhase[] = [];
    const unsubscribe = host.events.subscribe((e) => {
      if (e.type === 'export-progress' && e.progress.exportId === exportId) phases.push(e.progress.phase);
    });
    let cancelled = false;
    const sampler = setInterval(() => {
      const render = renderFfmpeg();
      if (!render.length) return;
      seen.render.push(...render.map((c) => c.state));
      seen.proxy.push(processState(pid) ?? 'ended');
      if (cancel && !cancelled && exportId) {
        cancelled = true;
        void host.cancelExport(exportId);
      }
    }, 5);
    try {
      ({ exportId } = await host.startExport(project));
      const record = await host.exportFinished(exportId);
      return { record, seen, phases };
    } finally {
      clearInterval(sampler);
      unsubscribe();
    }
  }

  it('proxies and stills run at the lowest priority, stop while a local export renders, and complete after it', { timeout: 600_000 }, async (t) => {
    const { project } = await host.createProject('Background');
    const [r] = (await host.importPaths([red])).imported;
    const reel = await host.applyTemplate('hotel-tour', project, [r.id]);
    const small: Draft = { ...reel, settings: { ...reel.settings, width: 180, height: 320 } };
    // Warm-up: starts the local cloud and stores the clip, so the exports below reach their render at once.
    const warm = await host.exportFinished((await host.startExport(small)).exportId);
    assert.equal(warm?.status, 'done', JSON.stringify(warm?.error));

    // Watch every still and proxy ffmpeg this host starts.
    const stills: ChildInfo[] = [];
    const watchStills = setInterval(() => stills.push(...ffmpegWriting(host.paths.thumbnails)), 3);
    t.after(() => clearInterval(watchStills)); // a failed assertion must not leave it polling
    const [a] = (await host.importPaths([phoneA])).imported;
    assert.ok(a.usesProxy);
    const proxyA = await waitFor('the first proxy', () => ffmpegWriting(host.paths.proxies)[0]);
    await sleep(300); // its encoder threads started
    const threadsA = childrenNamed('ffmpeg').find((c) => c.pid === proxyA.pid)!;
    assert.ok(threadsA.threadNice.length > 1, 'ffmpeg encodes on several threads');
    assert.deepEqual(new Set(threadsA.threadNice), new Set([19]), `nice values of the proxy threads: ${threadsA.threadNice}`);

    // An export cancelled during its render: the proxy is stopped meanwhile, and goes on after.
    const cancelled = await exportWatching(small, proxyA.pid, true);
    assert.equal(cancelled.record?.status, 'cancelled');
    assert.ok(cancelled.phases.includes('rendering'));
    assert.ok(cancelled.seen.render.length, 'the render ran');
    assert.deepEqual(new Set(cancelled.seen.proxy), new Set(['T']), 'the proxy ffmpeg is stopped while the export renders');
    assert.ok(!cancelled.seen.render.includes('T'), `the render itself is never stopped: ${cancelled.seen.render}`);
    const afterCancel = await waitFor('the proxy to run again', () => {
      const state = processState(proxyA.pid);
      return state !== 'T' ? state ?? 'ended' : undefined;
    }, 2000);
    assert.notEqual(afterCancel, 'T');

    // A proxy started after that: an export that completes stops it too.
    const [b] = (await host.importPaths([phoneB])).imported;
    assert.ok(b.usesProxy);
    const proxyB = await waitFor('the second proxy', () => ffmpegWriting(host.paths.proxies).find((c) => c.args.includes(phoneB)));
    const finished = await exportWatching(small, proxyB.pid, false);
    assert.equal(finished.record?.status, 'done', JSON.stringify(finished.record?.error));
    assert.ok(finished.seen.render.length, 'the render ran');
    assert.deepEqual(new Set(finished.seen.proxy), new Set(['T']), 'the proxy ffmpeg is stopped while the export renders');
    await waitFor('the proxy to run again', () => (processState(proxyB.pid) !== 'T' ? true : undefined), 2000);

    await host.mediaSettled();
    clearInterval(watchStills);
    for (const item of [host.mediaFileFor(a.id, 'preview'), host.mediaFileFor(b.id, 'preview')]) {
      assert.ok(item, 'the proxy is ready');
      const made = await probeMedia(item.path);
      assert.deepEqual([made.videoCodec, made.displayWidth, made.displayHeight, made.rotation], ['h264', 720, 1280, 0]);
      assert.ok(Math.abs(made.durationSec - 8) < 0.1, `whole: ${made.durationSec} s`);
    }
    assert.ok(stills.length > 0, 'still ffmpeg seen');
    const stillNice = stills.flatMap((s) => s.threadNice);
    assert.deepEqual(new Set(stillNice), new Set([19]), `nice values of the still threads: ${[...new Set(stillNice)]} (${stillNice.length} threads seen)`);
  });
});
