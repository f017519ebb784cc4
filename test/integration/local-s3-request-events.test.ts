/**
 * The local S3 server's request events count the object bytes each request really delivered
 * (what the resend bench sums to prove an unchanged project sends nothing), through the real
 * @aws-sdk/client-s3: a PutObject, a two-part multipart upload (aws-chunked, CRC32 trailer),
 * and a HeadObject that sends none.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createRunCredentials } from '../../cloud/local/credentials';
import { startS3Server, type S3RequestEvent, type S3ServerHandle } from '../../cloud/local/s3';

const REGION = 'eu-west-3';
const BUCKET = 'hospup-events';
const MiB = 1024 * 1024;

describe('local S3 request events', () => {
  let dataDir: string;
  let server: S3ServerHandle;
  let s3: S3Client;
  const events: S3RequestEvent[] = [];

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hospup-s3-events-'));
    const credentials = createRunCredentials();
    server = await startS3Server({ dataDir, credentials, region: REGION, buckets: [BUCKET], onRequest: (e) => events.push(e) });
    s3 = new S3Client({ endpoint: server.endpoint, region: REGION, forcePathStyle: true, credentials });
  });

  after(async () => {
    s3?.destroy();
    await server?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const finished = async (count: number) => {
    // 'finish' fires after the SDK has its answer: wait for the event to land.
    for (let i = 0; i < 100 && events.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('counts the body bytes of PutObject and UploadPart, none for HeadObject', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'small.bin', Body: randomBytes(3000) }));
    await finished(1);
    assert.deepEqual(events.map((e) => [e.operation, e.bodyBytes]), [['PutObject', 3000]]);

    const big = randomBytes(11 * MiB);
    await new Upload({ client: s3, params: { Bucket: BUCKET, Key: 'big.bin', Body: big }, partSize: 6 * MiB, queueSize: 1 }).done();
    await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }));
    await finished(5);
    const parts = events.filter((e) => e.operation === 'UploadPart');
    assert.deepEqual(parts.map((e) => e.bodyBytes), [6 * MiB, 5 * MiB]);
    for (const e of events.filter((x) => x.operation !== 'PutObject' && x.operation !== 'UploadPart')) {
      assert.equal(e.bodyBytes, 0, `${e.operation} delivered no object bytes`);
    }
    assert.ok(events.some((e) => e.operation === 'HeadObject'));
  });
});
