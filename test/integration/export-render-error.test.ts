// A render that fails says why: MediaConvert's detail (which input, what is wrong) reaches the user.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startLocalCloud, type LocalCloud } from '../../cloud/local';
import { createCloudClients } from '../../node/cloud-target';
import { ExportFailure } from '../../electron/services/export/export-failure';
import { createExporter } from '../../electron/services/export/exporter';

let dir: string;
let cloud: LocalCloud;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hospup-render-error-'));
  cloud = await startLocalCloud({ dataDir: join(dir, 'cloud') });
});
after(async () => {
  await cloud?.close();
  await rm(dir, { recursive: true, force: true });
});

test('a failed render names the input and the reason, not only a plain sentence', async () => {
  const target = cloud.target();
  const key = "uploads/Suite #1 l'été.mp4";
  // Put in the bucket by an administrator, as the hotel's own files are.
  await createCloudClients({ ...target, credentials: cloud.config.admin }).s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: 'not a video' }));
  const exporter = createExporter({ target, pollMinMs: 20, pollMaxMs: 100 });
  const request = {
    property_id: '1',
    template_id: 't',
    output: { width: 160, height: 90 },
    // Facts given, so the function does not probe: the render is what finds out.
    segments: [{ video_url: `s3://${target.bucket}/${key}`, start_time: 0, end_time: 1, duration: 1, order: 1, source: { fps: 30, has_audio: false } }],
  };
  await assert.rejects(exporter.exportRequest(request, { outPath: join(dir, 'out.mp4') }), (err: ExportFailure) => {
    assert.equal(err.code, 'render');
    assert.match(err.message, /^One of the source clips could not be opened.*\(MediaConvert error 1010: settings\.inputs\[0\]\.fileInput: unable to open input file \[s3:\/\/hospup-videos\/uploads\/Suite #1 l'été\.mp4\]/);
    return true;
  });
});
