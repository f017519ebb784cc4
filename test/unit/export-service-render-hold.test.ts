// The export service tells the host when an export starts rendering (it submits the render) and
// when that export ends, exactly once, however it ends: done, failed or cancelled. The host
// pauses background media work in between (test/integration/background-media.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppSettings } from '../../shared/api';
import { newDraft } from '../../shared/draft';
import { createEventHub } from '../../electron/services/events';
import { ExportFailure } from '../../electron/services/export/export-failure';
import { createExportService, type ExporterLike } from '../../electron/services/export-service';

type Ending = 'done' | 'failed' | 'cancelled' | 'failed-before-render';

/** An exporter that submits, renders, then ends as told; `during` runs while it renders. */
function scripted(ending: Ending, during: () => void): ExporterLike {
  return {
    async exportRequest(_input, opts) {
      opts.onProgress?.({ phase: 'uploading', percent: 100 });
      if (ending === 'failed-before-render') throw new ExportFailure('network', 'the upload failed', { retryable: true });
      opts.onProgress?.({ phase: 'submitting', percent: 0 });
      opts.onProgress?.({ phase: 'rendering', percent: 10 });
      during();
      opts.onProgress?.({ phase: 'rendering', percent: 90 });
      if (ending === 'failed') throw new ExportFailure('render', 'The render failed.', { retryable: true });
      if (ending === 'cancelled') throw new ExportFailure('cancelled', 'The render was cancelled.', { retryable: true });
      await writeFile(opts.outPath, 'x');
      return { outputPath: opts.outPath, sizeBytes: 1, durationSec: 1, jobId: 'j', warnings: [] };
    },
  };
}

for (const ending of ['done', 'failed', 'cancelled', 'failed-before-render'] as const) {
  test(`an export that ends ${ending} ${ending === 'failed-before-render' ? 'never holds background work' : 'holds background work while it renders, then lets go once'}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hospup-render-hold-'));
    try {
      const log: string[] = [];
      let holding = 0;
      const service = createExportService({
        exportsFile: join(dir, 'exports.json'),
        defaultExportDir: join(dir, 'out'),
        getSettings: async () => AppSettings.parse({}),
        events: createEventHub(),
        exporterFor: async () => scripted(ending, () => log.push(`rendering, holding ${holding}`)),
        onRenderStart(target) {
          holding++;
          log.push(`start ${target}`);
          return () => {
            holding--;
            log.push('end');
          };
        },
      });
      const { exportId } = await service.start(newDraft({ id: 'p', name: 'Spa', now: '2026-01-01T00:00:00Z' }));
      const record = await service.finished(exportId);
      assert.equal(record?.status, ending === 'failed-before-render' ? 'failed' : ending);
      assert.deepEqual(log, ending === 'failed-before-render' ? [] : ['start local', 'rendering, holding 1', 'end']);
      assert.equal(holding, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
