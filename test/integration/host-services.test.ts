// createHostServices end to end with real ffmpeg and, for export, the real exporter against the
// embedded local cloud.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HOST_METHODS, type ExportProgress, type HostEvent } from '../../shared/api';
import { callHostMethod } from '../../electron/services/host-call';
import { createHostServices, type HostServicesRuntime } from '../../electron/services/host-services';
import { probeMedia } from '../../node/media/probe';
import { makeTestClip } from '../fixtures/media';
import { makeExif6Jpeg, makeLogoSvg } from '../fixtures/photos';

const CLIPS = join(tmpdir(), 'hospup-test-clips');

describe('host services', () => {
  let dir: string;
  let host: HostServicesRuntime;
  const events: HostEvent[] = [];
  const revealed: string[] = [];
  let red: string;
  let blue: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hospup-host-'));
    host = createHostServices({
      dataDir: join(dir, 'data'),
      exportDir: join(dir, 'Videos'),
      mode: 'web',
      version: '0.0.0-test',
      systemLocale: 'fr-FR',
      urls: { media: (id, kind) => `/media/${id}/${kind}` },
      revealInFolder: async (p) => void revealed.push(p),
    });
    host.events.subscribe((e) => events.push(e));
    [red, blue] = await Promise.all([
      makeTestClip(CLIPS, { name: 'host-red', width: 180, height: 320, fps: 30, durationSec: 2, color: 'red' }),
      makeTestClip(CLIPS, { name: 'host-blue', width: 180, height: 320, fps: 25, durationSec: 2, color: 'blue', audio: false }),
    ]);
  });
  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the brand kit keeps its own copy of the logo, refuses what is not a PNG or SVG, and new projects get the logo', async () => {
    const svg = await makeLogoSvg(dir, 'hotel-logo', { width: 200, height: 100 }, 10);
    const kit = await callHostMethod(host, 'setBrandLogo', [svg]) as Awaited<ReturnType<typeof host.getBrandKit>>;
    assert.equal(kit.logo?.name, 'hotel-logo.svg');
    assert.deepEqual([kit.logo?.width, kit.logo?.height, kit.logo?.format], [200, 100, 'svg']);
    assert.ok(kit.logo!.path.startsWith(join(dir, 'data', 'brand')), 'a copy in the data folder');
    assert.equal(await readFile(kit.logo!.path, 'utf8'), await readFile(svg, 'utf8'));
    assert.match(kit.logo!.previewDataUrl, /^data:image\/png;base64,/);
    const jpeg = await makeExif6Jpeg(dir, 'not-a-logo', { width: 40, height: 40 });
    await assert.rejects(host.setBrandLogo(jpeg), /The logo must be a PNG or SVG image we can read: not-a-logo\.jpg/);
    await host.updateBrandKit({ colours: ['#c8a27a'], fonts: ['Playfair Display'] });
    assert.deepEqual((await host.getBrandKit()).colours, ['#C8A27A']);
    const { project } = await host.createProject('Branded');
    assert.equal(project.logo?.path, kit.logo!.path);
    assert.deepEqual(project.logo?.position, { x: 84.98, y: 11.1 });
    const reopened = await host.openProject(project.id);
    assert.equal(reopened.project.logo?.name, 'hotel-logo.svg', 'saved with the project');
    await host.clearBrandLogo();
    assert.equal((await host.getBrandKit()).logo, null);
  });

  it('implements every method of the contract', () => {
    for (const method of HOST_METHODS) {
      assert.equal(typeof (host as unknown as Record<string, unknown>)[method], 'function', method);
    }
  });

  it('reports app info and persists settings in the data folder', async () => {
    const info = await host.getAppInfo();
    assert.deepEqual(
      { ...info },
      { mode: 'web', version: '0.0.0-test', systemLocale: 'fr-FR', dataDir: join(dir, 'data'), exportDir: join(dir, 'Videos'), secureKeyStorage: false },
    );
    const updated = await host.updateSettings({ locale: 'fr' });
    assert.equal(updated.locale, 'fr');
    assert.equal(JSON.parse(await readFile(join(dir, 'data', 'settings.json'), 'utf8')).locale, 'fr');
  });

  // shared/api.ts AppSettingsPatch is AppSettings.partial(): zod fills every missing field with
  // its default while validating the transport's arguments, so a one-field patch resets the rest.
  it('a one-field settings patch through a transport keeps the other settings', async () => {
    await host.updateSettings({ target: 'aws', showSafeZones: true });
    const after = (await callHostMethod(host, 'updateSettings', [{ locale: 'en' }])) as { target: string; showSafeZones: boolean };
    await host.updateSettings({ target: 'local', showSafeZones: false });
    assert.equal(after.target, 'aws');
    assert.equal(after.showSafeZones, true);
  });

  it('relinks a missing clip to an uploaded file (web mode)', async () => {
    const { createReadStream } = await import('node:fs');
    const { copyFile } = await import('node:fs/promises');
    const temp = join(dir, 'gone.mp4');
    await copyFile(red, temp);
    const [item] = (await host.importPaths([temp])).imported;
    await host.mediaSettled(item.id);
    await rm(temp);
    const ref = { id: item.id, path: item.path, name: item.name, size_bytes: item.size_bytes, mtime_ms: item.mtime_ms, facts: item.facts };
    const { project } = await host.createProject('Moved clips');
    await host.saveProject({ ...project, media: [ref], segments: [{ id: 's1', media_id: item.id, start_time: 0, end_time: 1 }] });
    const opened = await host.openProject(project.id);
    assert.deepEqual(opened.missingMedia, [item.id]);
    const [missing] = await host.registerMedia([ref]);
    assert.equal(missing.previewStatus, 'missing');
    const uploaded = await host.saveUpload('found again.mp4', createReadStream(red));
    const relinked = await host.relinkMediaPath(item.id, uploaded);
    assert.equal(relinked.id, item.id);
    assert.equal(relinked.previewStatus, 'ready');
    assert.equal(relinked.name, 'found again.mp4');
  });

  it('creates, fills from a template, saves, autosaves and reopens a project', async () => {
    const created = await host.createProject('Hôtel du Lac');
    assert.equal(created.recovered, false);
    const items = (await host.importPaths([red, blue])).imported;
    assert.equal(items.length, 2);
    const filled = await host.applyTemplate('room-reveal', created.project, items.map((m) => m.id));
    assert.equal(filled.segments.length, 4);
    assert.deepEqual(filled.segments.map((s) => s.end_time), [2, 2, 2, 2]); // clips of 2 s are shorter than the 3-4 s slots
    await host.saveProject(filled);
    await host.autosaveProject({ ...filled, name: 'Hôtel du Lac (edited)' });
    const reopened = await host.openProject(created.project.id);
    assert.equal(reopened.recovered, true);
    assert.equal(reopened.project.name, 'Hôtel du Lac (edited)');
    assert.deepEqual(reopened.missingMedia, []);
    const list = await host.listProjects();
    assert.equal(list[0].id, created.project.id);
    assert.equal(list[0].segments, 4);
  });

  it('serves media files and announces background work', async () => {
    const [item] = (await host.importPaths([red])).imported;
    await host.mediaSettled(item.id);
    assert.equal(host.mediaFileFor(item.id, 'original')?.path, red);
    assert.equal(host.mediaFileFor(item.id, 'thumbnail')?.mime, 'image/jpeg');
    assert.equal(host.mediaFileFor('nope', 'original'), undefined);
    const update = events.find((e) => e.type === 'media-updated' && e.media.id === item.id && e.media.thumbnailUrl);
    assert.ok(update, 'a media-updated event with the thumbnail URL');
    assert.equal(update.type === 'media-updated' && update.media.thumbnailUrl, `/media/${item.id}/thumbnail`);
  });

  it('estimates the cost of an AWS export', async () => {
    const { project } = await host.createProject('Costly');
    const [item] = (await host.importPaths([red])).imported;
    const filled = await host.applyTemplate('hotel-tour', project, [item.id]);
    const cost = await host.estimateCost(filled);
    assert.ok(cost.totalUsd > 0);
    assert.ok(cost.lines.some((l) => /MediaConvert/.test(l.label)));
    assert.match(cost.ratesDate, /^\d{4}-\d{2}-\d{2}$/);
  });

  it('refuses to store AWS keys without secure storage and lists profiles', async () => {
    await assert.rejects(host.setAwsKeys({ accessKeyId: 'AKIAABCDEFGHIJKLMNOP', secretAccessKey: 'a'.repeat(40) }), /not saved/);
    assert.ok(Array.isArray(await host.listAwsProfiles()));
  });

  it('exports a project through the local cloud to the export folder, with progress and history', { timeout: 180_000 }, async () => {
    const { project } = await host.createProject('Reel / "Lac"');
    const [r, b] = (await host.importPaths([red, blue])).imported;
    const filled = await host.applyTemplate('breakfast-pool', project, [r.id, b.id]);
    const small = { ...filled, settings: { ...filled.settings, width: 180, height: 320 } };
    const { exportId } = await host.startExport(small);
    assert.equal((await host.listExports())[0].status, 'running');
    const record = await host.exportFinished(exportId);
    const progress = events.flatMap((e) => (e.type === 'export-progress' && e.progress.exportId === exportId ? [e.progress] : []));
    const last = progress.at(-1) as ExportProgress;
    assert.equal(last.phase, 'done', JSON.stringify(last.error ?? last));
    assert.equal(record?.status, 'done');
    assert.ok(last.outputPath!.startsWith(join(dir, 'Videos', 'Reel Lac ')), last.outputPath);
    assert.ok(last.outputPath!.endsWith('.mp4'));
    assert.equal(record?.outputPath, last.outputPath);
    const phases = new Set(progress.map((p) => p.phase));
    for (const phase of ['preparing', 'uploading', 'rendering', 'downloading', 'done']) assert.ok(phases.has(phase as never), `phase ${phase}`);
    const out = await probeMedia(last.outputPath!);
    assert.ok(Math.abs(out.durationSec - 9) < 0.2, `duration ${out.durationSec}`);
    assert.deepEqual([out.width, out.height], [180, 320]);
    assert.ok(events.some((e) => e.type === 'exports-changed'));
    const history = JSON.parse(await readFile(join(dir, 'data', 'exports.json'), 'utf8'));
    assert.equal(history[0].id, exportId);
    assert.equal(history[0].status, 'done');

    await host.showInFolder(last.outputPath!);
    assert.deepEqual(revealed, [last.outputPath]);
    await assert.rejects(host.showInFolder('/etc/passwd'), /Only exported videos/);

    // Exporting the same project again never overwrites the first file.
    const second = await host.startExport(small);
    const again = await host.exportFinished(second.exportId);
    assert.equal(again?.status, 'done');
    assert.notEqual(again?.outputPath, record?.outputPath);
    assert.ok(existsSync(record!.outputPath!) && existsSync(again!.outputPath!));
  });

  it('cancels an export while it renders, leaving no file behind', { timeout: 120_000 }, async () => {
    const { project } = await host.createProject('Cancelled');
    const [r] = (await host.importPaths([red])).imported;
    const filled = await host.applyTemplate('hotel-tour', project, [r.id]);
    let exportId = '';
    let cancelledAt: string | undefined;
    const unsubscribe = host.events.subscribe((e) => {
      if (e.type === 'export-progress' && e.progress.exportId === exportId && e.progress.phase === 'rendering' && !cancelledAt) {
        cancelledAt = e.progress.phase;
        void host.cancelExport(exportId);
      }
    });
    ({ exportId } = await host.startExport({ ...filled, settings: { ...filled.settings, width: 180, height: 320 } }));
    const record = await host.exportFinished(exportId);
    unsubscribe();
    assert.equal(cancelledAt, 'rendering');
    assert.equal(record?.status, 'cancelled');
    const last = events.filter((e) => e.type === 'export-progress' && e.progress.exportId === exportId).at(-1);
    assert.equal(last?.type === 'export-progress' && last.progress.phase, 'cancelled');
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(join(dir, 'Videos'))).filter((f) => f.startsWith('Cancelled')), []);
  });

  it('reports a failed export in plain words with the field at fault', { timeout: 60_000 }, async () => {
    const { project } = await host.createProject('Empty');
    const { exportId } = await host.startExport(project);
    const record = await host.exportFinished(exportId);
    assert.equal(record?.status, 'failed');
    assert.equal(record?.error?.code, 'invalid-input');
    assert.match(record!.error!.message, /segment/);
    const last = events.filter((e) => e.type === 'export-progress' && e.progress.exportId === exportId).at(-1);
    assert.equal(last?.type === 'export-progress' && last.progress.phase, 'failed');
  });

  it('an AWS target without a bucket fails with the setting to fix', async () => {
    await host.updateSettings({ target: 'aws' });
    const { project } = await host.createProject('AWS');
    const { exportId } = await host.startExport(project);
    const record = await host.exportFinished(exportId);
    await host.updateSettings({ target: 'local' });
    assert.equal(record?.status, 'failed');
    assert.equal(record?.error?.field, 'aws.bucket');
    assert.equal(record?.error?.retryable, false);
  });
});
