// The export service with a variant project: one folder per export, the exporter told
// `<folder>/<project>.mp4` (it adds each label), progress per video passed through, and a
// history record listing each file with its own download address in web mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { AppSettings, type ExportProgress } from '../../shared/api';
import { newDraft } from '../../shared/draft';
import { createEventHub } from '../../electron/services/events';
import { createExportService, reserveOutputFolder, type ExporterLike } from '../../electron/services/export-service';

test('a variant project exports into its own folder, one file per video, each downloadable', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-variants-'));
  try {
    const events = createEventHub();
    const progress: ExportProgress[] = [];
    events.subscribe((e) => e.type === 'export-progress' && progress.push(e.progress));
    let told = '';
    const exporter: ExporterLike = {
      async exportRequest(_input, opts) {
        told = opts.outPath;
        const labels = ['9x16-fr', '9x16-en', '16x9-fr', '16x9-en'];
        opts.onProgress?.({ phase: 'rendering', percent: 40, variants: ['9x16-fr', '9x16-en'] });
        opts.onProgress?.({ phase: 'rendering', percent: 40, variants: ['16x9-fr', '16x9-en'] });
        const variants = await Promise.all(labels.map(async (label) => {
          const outputPath = join(dirname(opts.outPath), `${basename(opts.outPath, '.mp4')}-${label}.mp4`);
          await writeFile(outputPath, 'x'.repeat(10));
          const [shape, language] = label.split('-');
          return { label, format: shape.replace('x', ':') as '9:16', language, outputPath, outputUrl: `s3://b/${label}`, sizeBytes: 10, jobId: 'j', durationSec: 2 };
        }));
        return { outputPath: variants[0].outputPath, sizeBytes: 40, durationSec: 2, jobId: 'j', warnings: [], variants };
      },
    };
    const service = createExportService({
      exportsFile: join(dir, 'exports.json'),
      defaultExportDir: join(dir, 'out'),
      getSettings: async () => AppSettings.parse({}),
      events,
      exporterFor: async () => exporter,
      now: () => new Date(2026, 4, 7, 9, 5),
      downloadUrlFor: (id, label) => `/api/exports/${id}/download${label ? `?file=${label}` : ''}`,
    });
    const draft = { ...newDraft({ id: 'p', name: 'Spa', now: '2026-01-01T00:00:00Z' }), formats: ['9:16' as const, '16:9' as const], languages: ['fr', 'en'] };
    const { exportId } = await service.start(draft);
    const record = await service.finished(exportId);
    const folder = join(dir, 'out', 'Spa 2026-05-07 09-05');
    assert.equal(told, join(folder, 'Spa.mp4'));
    assert.equal(record?.status, 'done', JSON.stringify(record));
    assert.equal(record?.outputPath, folder);
    assert.equal(record?.sizeBytes, 40);
    assert.deepEqual(record?.files?.map((f) => basename(f.outputPath)), ['Spa-9x16-fr.mp4', 'Spa-9x16-en.mp4', 'Spa-16x9-fr.mp4', 'Spa-16x9-en.mp4']);
    assert.deepEqual(progress.filter((p) => p.phase === 'rendering').map((p) => p.variants), [['9x16-fr', '9x16-en'], ['16x9-fr', '16x9-en']], 'each video\'s event goes through, even at the same percent');
    const done = progress.at(-1)!;
    assert.equal(done.phase, 'done');
    assert.equal(done.downloadUrl, undefined, 'a folder is not one download');
    assert.equal(done.files?.[3].downloadUrl, `/api/exports/${exportId}/download?file=16x9-en`);
    const listed = (await service.list())[0];
    assert.equal(listed.files?.[0].downloadUrl, `/api/exports/${exportId}/download?file=9x16-fr`);
    await service.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('variant folders never reuse one: (2), (3)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hospup-folders-'));
  try {
    const at = new Date(2026, 4, 7, 9, 5);
    await mkdir(join(dir, 'Tour 2026-05-07 09-05'));
    const reserved = new Set<string>();
    assert.equal(reserveOutputFolder(dir, 'Tour', at, reserved), join(dir, 'Tour 2026-05-07 09-05 (2)'));
    assert.equal(reserveOutputFolder(dir, 'Tour', at, reserved), join(dir, 'Tour 2026-05-07 09-05 (3)'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('one cost estimate covers every video of the export', async () => {
  const { estimateCost } = await import('../../electron/services/host-services');
  const draft = newDraft({ id: 'p', name: 'Spa', now: '2026-01-01T00:00:00Z' });
  draft.media = [{ id: 'm', path: '/clips/a.mp4', name: 'a.mp4', size_bytes: 1e6, mtime_ms: 1, facts: { duration: 120, width: 1920, height: 1080, rotation: 0, fps: 30, has_audio: true, video_codec: 'h264', size_bytes: 1e6 } }];
  draft.segments = [{ id: 's', media_id: 'm', start_time: 0, end_time: 60 }];
  const one = estimateCost(draft);
  const four = estimateCost({ ...draft, formats: ['9:16', '1:1'], languages: ['fr', 'en'] });
  const minutes = (e: typeof one) => e.lines.find((l) => l.label.startsWith('MediaConvert'))!.usd;
  // 1:1 and 9:16 are both HD at 1080 px wide: the same rate, four times the minutes.
  assert.ok(Math.abs(minutes(four) - 4 * minutes(one)) < 1e-6, `${minutes(four)} vs ${minutes(one)}`);
  assert.ok(four.totalUsd > 3 * one.totalUsd);
});
